"""A member's follows, blocks, mutes and blocked servers as Mastodon's CSV files (Settings →
Import and export): written as Mastodon writes them, and read from Mastodon's, GoToSocial's
or our own, so an artist brings the accounts they follow and the people they keep out.

following_accounts.csv: `Account address,Show boosts,Notify on new posts,Languages`;
muted_accounts.csv: `Account address,Hide notifications`; blocked_accounts.csv and
blocked_domains.csv: one address or domain a line, no header. Older Mastodon exports of
follows have no header either; both are read. Importing goes row by row: a row that fails
(an account that cannot be found) is reported and the rest goes on; doing it twice changes
nothing more."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from cara_fed.errors import UserError
from cara_fed.services import blocks, following, subscriptions
from cara_fed.store.api_models import PostSubscription
from cara_fed.store.blocks import blocked_domains
from cara_fed.store.models import Actor, Follow

if TYPE_CHECKING:
    from cara_fed.instance import Instance

KINDS = ("following", "blocks", "mutes", "domain_blocks")
HEADERS = {
    "following": ["Account address", "Show boosts", "Notify on new posts", "Languages"],
    "mutes": ["Account address", "Hide notifications"],
}
MAX_ROWS = 2_000
MAX_BYTES = 1_000_000


class CsvError(UserError):
    pass


def _address(actor: Actor) -> str:
    return actor.handle


def _write(rows: list[list[str]], header: list[str] | None) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if header:
        writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


async def export(member: Actor, kind: str) -> str:
    if kind == "following":
        follows = (
            await Follow.filter(follower=member, state="accepted")
            .order_by("-id")
            .prefetch_related("followee")
        )
        bells = set(
            await PostSubscription.filter(member=member).values_list("account_id", flat=True)
        )
        rows = [
            [_address(f.followee), "true", "true" if f.followee.pk in bells else "false", ""]
            for f in follows
        ]
        return _write(rows, HEADERS["following"])
    if kind == "blocks":
        return _write([[_address(a)] for a in await blocks.blocked_accounts(member)], None)
    if kind == "mutes":
        rows = [
            [_address(m.target), "true" if m.notifications else "false"]
            for m in await blocks.muted_accounts(member)
        ]
        return _write(rows, HEADERS["mutes"])
    if kind == "domain_blocks":
        return _write([[d] for d in await blocked_domains(member)], None)
    raise CsvError(f"say which list: {', '.join(KINDS)}")


@dataclass
class Imported:
    done: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (address, why)


def _rows(text: str) -> list[list[str]]:
    if len(text.encode()) > MAX_BYTES:
        raise CsvError(f"the file is larger than {MAX_BYTES // 1000} KB")
    try:
        rows = [r for r in csv.reader(io.StringIO(text)) if r and r[0].strip()]
    except csv.Error as exc:
        raise CsvError(f"not a CSV file: {exc}") from None
    if rows and rows[0][0].strip().lower() == "account address":
        rows = rows[1:]
    if len(rows) > MAX_ROWS:
        raise CsvError(f"the file has {len(rows)} rows; at most {MAX_ROWS}")
    return rows


def _true(row: list[str], index: int, default: bool) -> bool:
    if len(row) <= index or not row[index].strip():
        return default
    return row[index].strip().lower() in ("true", "1", "yes")


async def import_csv(instance: Instance, member: Actor, kind: str, text: str) -> Imported:
    if kind not in KINDS:
        raise CsvError(f"say which list: {', '.join(KINDS)}")
    result = Imported()
    for row in _rows(text):
        address = row[0].strip()
        try:
            if kind == "following":
                target = await following.resolve_account(instance, address)
                if await following.follow_state(member, target) is None:
                    await following.follow(instance, member, address)
                if _true(row, 2, False):
                    await subscriptions.ring(member, target, True)
            elif kind == "blocks":
                await blocks.block(instance, member, address)
            elif kind == "mutes":
                await blocks.mute(instance, member, address, notifications=_true(row, 1, True))
            else:
                await blocks.block_domain(instance, member, address)
            result.done += 1
        except UserError as exc:
            result.failed.append((address, str(exc)))
    return result
