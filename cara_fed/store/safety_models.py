"""The tables of a member's safety tools: whom they block or mute, which servers they block
for themselves, and reports about accounts and works (from a member here or a peer's Flag).

A block is recorded in both directions the same way: a member here blocking anyone, or an
account elsewhere blocking a member here (its Block activity), so that "may they see each
other" is one lookup whoever blocked whom, as in Mastodon's `blocks` table."""

from __future__ import annotations

from tortoise import fields

from cara_fed.store.base_model import Model


class AccountBlock(Model):
    id = fields.BigIntField(primary_key=True)
    blocker: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "models.Actor", related_name="blocks_made", on_delete=fields.CASCADE
    )
    target: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "models.Actor", related_name="blocks_received", on_delete=fields.CASCADE
    )
    # The Block activity's id: ours when a member blocks (its Undo names it), the peer's when
    # one of their accounts blocks a member here (so their Undo finds it).
    activity_uri = fields.CharField(max_length=2048, unique=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "account_blocks"
        unique_together = (("blocker", "target"),)


class AccountMute(Model):
    """Hidden from the member's feeds (and, unless they chose otherwise, notifications);
    nobody is told, nothing is sent."""

    id = fields.BigIntField(primary_key=True)
    member: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "models.Actor", related_name="mutes_made", on_delete=fields.CASCADE
    )
    target: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "models.Actor", related_name="mutes_received", on_delete=fields.CASCADE
    )
    notifications = fields.BooleanField(default=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "account_mutes"
        unique_together = (("member", "target"),)


class MemberDomainBlock(Model):
    """A whole server blocked by one member (Mastodon's user domain block), not by the
    instance: its accounts cannot follow or reach the member, and vanish from their feeds."""

    id = fields.BigIntField(primary_key=True)
    member: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "models.Actor", related_name="domains_blocked", on_delete=fields.CASCADE
    )
    domain = fields.CharField(max_length=255, db_index=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "member_domain_blocks"
        unique_together = (("member", "domain"),)


class Report(Model):
    """A report about an account and some of its works, for the admins: from a member here
    (origin local: about anyone, forwarded to the account's server as a Flag only if an admin
    chooses, without naming the member) or from a peer (origin remote: its Flag about a
    member here or their works)."""

    id = fields.BigIntField(primary_key=True)
    origin = fields.CharField(max_length=8)  # local | remote
    reporter: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "models.Actor", related_name="reports_made", on_delete=fields.CASCADE
    )
    account: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "models.Actor", related_name="reports_about", on_delete=fields.CASCADE
    )
    post_uris = fields.JSONField(default=list)
    comment = fields.TextField(default="")
    # A peer's Flag: its id, so that a replay is one report, not two.
    flag_uri = fields.CharField(max_length=2048, null=True)
    state = fields.CharField(max_length=16, default="open", db_index=True)  # open | resolved
    resolution = fields.TextField(default="")
    forwarded_at = fields.DatetimeField(null=True)
    resolved_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "reports"
        unique_together = (("flag_uri", "account"),)
