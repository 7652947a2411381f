// Reads a member's account, home timeline and notifications with masto.js (the client
// library Elk is built on), which decodes every answer into its own typed entities, and
// prints what it read as one JSON line for tests/api/test_masto_js.py to check.
import { createRestAPIClient } from "masto";

const masto = createRestAPIClient({ url: process.env.BASE, accessToken: process.env.TOKEN });
const me = await masto.v1.accounts.verifyCredentials();
const home = await masto.v1.timelines.home.list({ limit: 20 });
const notifications = await masto.v1.notifications.list({ limit: 20 });
const instance = await masto.v2.instance.fetch();
const status = home.length ? await masto.v1.statuses.$select(home[0].id).fetch() : null;
console.log(JSON.stringify({
  me: { username: me.username, followersCount: me.followersCount, avatar: me.avatar },
  home: home.map((s) => ({
    id: s.id,
    account: s.account.acct,
    spoilerText: s.spoilerText,
    media: s.mediaAttachments.map((m) => ({ description: m.description, type: m.type })),
    favouritesCount: s.favouritesCount,
  })),
  notifications: notifications.map((n) => ({ type: n.type, account: n.account.acct })),
  instance: { title: instance.title, version: instance.version },
  fetched: status && status.id,
}));
