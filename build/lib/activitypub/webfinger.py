"""WebFinger (RFC 7033) and host-meta documents, and reading a remote JRD."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from activitypub.errors import InvalidObject
from activitypub.values import as_list
from activitypub.vocab import AS_JSON, is_activitypub_media_type

PROFILE_PAGE_REL = "http://webfinger.net/rel/profile-page"
SUBSCRIBE_REL = "http://ostatus.org/schema/1.0/subscribe"


@dataclass(frozen=True)
class Account:
    """`user@host[:port]`, the handle people type."""

    username: str
    domain: str

    def __str__(self) -> str:
        return f"{self.username}@{self.domain}"

    @property
    def resource(self) -> str:
        return f"acct:{self.username}@{self.domain}"


def parse_account(text: str) -> Account:
    """Accept `user@host`, `@user@host` and `acct:user@host`; the host may carry a port."""
    handle = text.strip()
    if handle.startswith("acct:"):
        handle = handle[5:]
    handle = handle.removeprefix("@")
    username, sep, domain = handle.partition("@")
    if not sep or not username or not domain or "@" in domain or "/" in domain:
        raise InvalidObject(f"{text!r} is not an account handle like artist@example.org")
    return Account(username=username, domain=domain.lower())


def build_jrd(
    account: Account, actor_id: str, profile_url: str, subscribe_template: str | None = None
) -> dict[str, Any]:
    links: list[dict[str, str]] = [
        {"rel": PROFILE_PAGE_REL, "type": "text/html", "href": profile_url},
        {"rel": "self", "type": AS_JSON, "href": actor_id},
    ]
    if subscribe_template:
        links.append({"rel": SUBSCRIBE_REL, "template": subscribe_template})
    return {"subject": account.resource, "aliases": [profile_url, actor_id], "links": links}


def actor_id_from_jrd(jrd: Any) -> str:
    """The ActivityPub actor a JRD points at (`self` link with an AS2 media type)."""
    if not isinstance(jrd, dict):
        raise InvalidObject("WebFinger answer is not a JSON object")
    for link in as_list(jrd.get("links")):
        if (
            isinstance(link, dict)
            and link.get("rel") == "self"
            and is_activitypub_media_type(link.get("type"))
            and isinstance(link.get("href"), str)
        ):
            return link["href"]
    raise InvalidObject("WebFinger answer has no ActivityPub self link")


def build_host_meta(base_url: str) -> str:
    template = escape(f"{base_url}/.well-known/webfinger?resource={{uri}}", {'"': "&quot;"})
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<XRD xmlns="http://docs.oasis-open.org/ns/xri/xrd-1.0">\n'
        f'  <Link rel="lrdd" template="{template}"/>\n'
        "</XRD>\n"
    )


def subscribe_template_from_jrd(jrd: Any) -> str | None:
    """The remote-follow page template (`...?uri={uri}`) a server advertises, if any:
    Mastodon, GoToSocial and Pixelfed let a visitor follow from their own server this way."""
    if not isinstance(jrd, dict):
        return None
    for link in as_list(jrd.get("links")):
        if isinstance(link, dict) and link.get("rel") == SUBSCRIBE_REL:
            template = link.get("template")
            if (
                isinstance(template, str)
                and "{uri}" in template
                and template.startswith(("https://", "http://"))
            ):
                return template
    return None
