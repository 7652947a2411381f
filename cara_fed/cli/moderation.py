"""The moderation and screening commands of `cara-fed` (kept apart from cli.py, which holds
accounts, posting and federation)."""

from __future__ import annotations

import argparse
import asyncio
import json
from pathlib import Path

from activitypub.urls import Urls
from cara_fed.cli.session import with_instance
from cara_fed.config import Config
from cara_fed.errors import UserError
from cara_fed.instance import Instance, screener_for
from cara_fed.services import moderation, screen_eval, screen_train
from cara_fed.store import hash_lists
from cara_fed.store.db import database
from cara_fed.store.models import ListedSource, ModerationRecord
from inbox.screening import MediaContext, trained_head
from inbox.screening.screener import Screener


class ModerationCommandError(UserError):
    pass


async def _load_hash_lists(config: Config, screener: Screener) -> None:
    async with database(config, create_schema=True):
        await hash_lists.refresh_index(screener, Urls(config.base_url))


def _line(row: ModerationRecord) -> str:
    return (
        f"{row.id:>5}  {row.state:<8}  {row.origin:<6}  {row.created_at:%Y-%m-%d %H:%M}  "
        f"{row.actor_uri}  {row.reason[:80]}"
    )


def cmd_list(config: Config, args: argparse.Namespace) -> int:
    async def run() -> int:
        async with database(config, create_schema=True):
            rows = await moderation.list_records(args.state, args.limit)
        if not rows:
            print("no moderation records" + (f" in state {args.state}" if args.state else ""))
        for row in rows:
            print(_line(row))
        return 0

    return asyncio.run(run())


def cmd_show(config: Config, args: argparse.Namespace) -> int:
    async def run() -> int:
        async with database(config, create_schema=True):
            row = await moderation.get_record(args.id)
        doc = {
            "id": row.id,
            "state": row.state,
            "origin": row.origin,
            "sender": row.actor_uri,
            "activity": row.activity_uri,
            "post": row.post_uri,
            "reason": row.reason,
            "appeal": row.appeal_note,
            "media_sha256": row.media_sha256,
            "evidence": row.evidence,
            "created_at": row.created_at.isoformat(),
            "decided_at": row.decided_at.isoformat() if row.decided_at else None,
        }
        print(json.dumps(doc, indent=2, ensure_ascii=False))
        return 0

    return asyncio.run(run())


def _decision(verb: str):
    def command(config: Config, args: argparse.Namespace) -> int:
        async def body(instance: Instance) -> int:
            action = moderation.approve if verb == "approve" else moderation.reject
            decision = await action(instance, args.id)
            row = decision.record
            print(f"record {row.id}: {row.state}")
            if decision.was == "refused":
                print(
                    f"  withdrew {decision.hash_entries} image(s) from this instance's hash "
                    "list; the post was not kept, so its author has to send it again"
                )
            elif row.state == "rejected":
                print(f"  listed {decision.hash_entries} image(s) in this instance's hash list")
            return 0

        return asyncio.run(with_instance(config, body))

    return command


def cmd_appeal(config: Config, args: argparse.Namespace) -> int:
    async def run() -> int:
        async with database(config, create_schema=True):
            row = await moderation.appeal(args.id, args.note)
        print(f"record {row.id}: the appeal is noted for the admins")
        return 0

    return asyncio.run(run())


def cmd_stats(config: Config, args: argparse.Namespace) -> int:
    async def run() -> int:
        async with database(config, create_schema=True):
            domains, accounts = await moderation.stats()
        for title, table in (("domain", domains), ("account", accounts)):
            print(f"{title:50} {'refused':>8} {'review':>7} {'approved':>9} {'rejected':>9}")
            for s in table:
                print(
                    f"{s.source[:50]:50} {s.refused:>8} {s.review:>7} {s.approved:>9} "
                    f"{s.rejected:>9}"
                )
            if not table:
                print("(none)")
            print()
        return 0

    return asyncio.run(run())


def cmd_sources(config: Config, args: argparse.Namespace) -> int:
    csv_text = ""
    if args.sources_command == "import":
        try:
            csv_text = Path(args.csv).read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise ModerationCommandError(f"cannot read {args.csv}: {exc.strerror}") from None
        except UnicodeDecodeError:
            raise ModerationCommandError(f"{args.csv} is not UTF-8 text") from None

    async def run() -> int:
        async with database(config, create_schema=True):
            if args.sources_command == "add":
                row = await moderation.add_source(args.kind, args.value, args.note or "")
                print(f"listed {row.kind} {row.value}")
            elif args.sources_command == "remove":
                removed = await moderation.remove_source(args.kind, args.value)
                if not removed:
                    raise ModerationCommandError(f"{args.kind} {args.value} is not listed")
                print(f"removed {args.kind} {args.value}")
            elif args.sources_command == "import":
                added = await moderation.import_domains_csv(csv_text)
                print(f"listed {added} new domain(s)")
            else:
                rows = await ListedSource.all().order_by("kind", "value")
                for row in rows:
                    print(f"{row.kind:8} {row.value}  {row.note}")
                if not rows:
                    print("no listed sources")
        return 0

    return asyncio.run(run())


def cmd_screen(config: Config, args: argparse.Namespace) -> int:
    from cloak.imaging import BadImage

    screener = screener_for(config)
    if config.on_postgres or config.database_path.exists():  # initialised: match its lists too
        asyncio.run(_load_hash_lists(config, screener))
    results = []
    for name in args.images:
        try:
            verdict = screener.screen(Path(name).read_bytes(), MediaContext(text=args.text or ""))
            results.append({"file": name, "verdict": verdict.outcome, "evidence": verdict.evidence})
        except (OSError, BadImage) as exc:
            results.append({"file": name, "verdict": "error", "error": str(exc)})
    if args.json:
        print(json.dumps(results, indent=2, ensure_ascii=False))
    else:
        for r in results:
            print(f"{r['file']}: {r['verdict']}" + (f" ({r['error']})" if "error" in r else ""))
            for e in r.get("evidence", []):
                print(f"    {e['signal']} ({e['outcome']}): {e['detail']}")
    return 0


def cmd_screen_eval(config: Config, args: argparse.Namespace) -> int:
    report = screen_eval.evaluate(screener_for(config), Path(args.dir))
    doc = report.to_json()
    if args.json:
        print(json.dumps(doc, indent=2))
        return 0
    print(f"images: {doc['images']}")
    if doc["left_out_trained"]:
        print(
            f"left out {doc['left_out_trained']} images the trained head learnt from: "
            "it is measured only on images it has not seen"
        )
    for label, counts in doc["overall"].items():
        print(f"overall, {label}: {counts}")
    for name, by_label in doc["signals"].items():
        print(f"{name}: " + "; ".join(f"{label} {dict(c)}" for label, c in by_label.items()))
    if "classifier" in doc:
        c = doc["classifier"]
        print(
            f"classifier: ROC AUC {c['roc_auc']}, recall at ≤1% FP {c['recall_at_fpr_1pct']},"
            f" at ≤5% FP {c['recall_at_fpr_5pct']} ({c['scored']} scored)"
        )
        if "at_head_threshold" in c:
            h = c["at_head_threshold"]
            print(
                f"at the trained head's own threshold {h['threshold']:.4f}: flags "
                f"{h['fpr']:.1%} of these real images and catches {h['recall']:.1%} of the "
                "generated ones"
            )
    for line in doc["unreadable"]:
        print(f"unreadable: {line}")
    return 0


def add_parsers(sub, common: argparse.ArgumentParser) -> None:
    mod = sub.add_parser("moderation", parents=[common], help="screening decisions")
    mod_sub = mod.add_subparsers(dest="moderation_command", required=True)
    listing = mod_sub.add_parser("list", parents=[common], help="moderation records")
    listing.add_argument("--state", choices=moderation.STATES)
    listing.add_argument("--limit", type=int, default=100)
    listing.set_defaults(func=cmd_list)
    for verb, func, text in (
        ("show", cmd_show, "a record with its evidence"),
        (
            "approve",
            _decision("approve"),
            "publish a held post, or uphold an appeal against a refusal",
        ),
        ("reject", _decision("reject"), "remove a held post"),
    ):
        p = mod_sub.add_parser(verb, parents=[common], help=text)
        p.add_argument("id", type=int)
        p.set_defaults(func=func)
    appeal = mod_sub.add_parser("appeal", parents=[common], help="an artist's appeal")
    appeal.add_argument("id", type=int)
    appeal.add_argument("--note", required=True)
    appeal.set_defaults(func=cmd_appeal)
    mod_sub.add_parser(
        "stats", parents=[common], help="decisions per domain and account"
    ).set_defaults(func=cmd_stats)

    sources = sub.add_parser(
        "sources", parents=[common], help="accounts and domains listed as generated-art sources"
    )
    src_sub = sources.add_subparsers(dest="sources_command", required=True)
    for verb in ("add", "remove"):
        p = src_sub.add_parser(verb, parents=[common])
        p.add_argument("kind", choices=("account", "domain"))
        p.add_argument("value", help="an actor URL or a domain")
        if verb == "add":
            p.add_argument("--note")
        p.set_defaults(func=cmd_sources)
    imp = src_sub.add_parser(
        "import", parents=[common], help="domains from a CSV (Mastodon's domain-block export works)"
    )
    imp.add_argument("csv")
    imp.set_defaults(func=cmd_sources)
    src_sub.add_parser("list", parents=[common]).set_defaults(func=cmd_sources)

    _add_screening_parsers(sub, common)


def _add_screening_parsers(sub, common: argparse.ArgumentParser) -> None:
    """screen, screen-eval and screen-train: the admin's tools for the screening itself."""
    screen = sub.add_parser("screen", parents=[common], help="screen image files")
    screen.add_argument("images", nargs="+")
    screen.add_argument("--text", help="post text to screen with them")
    screen.add_argument("--json", action="store_true")
    screen.set_defaults(func=cmd_screen)
    evaluation = sub.add_parser(
        "screen-eval",
        parents=[common],
        help="measure screening on labelled images (DIR/labels.csv)",
    )
    evaluation.add_argument("dir")
    evaluation.add_argument("--json", action="store_true")
    evaluation.set_defaults(func=cmd_screen_eval)
    training = sub.add_parser(
        "screen-train",
        parents=[common],
        help="fit a detector head on labelled images and/or this instance's decisions",
    )
    training.add_argument("dir", nargs="?", help="a labelled folder (DIR/labels.csv)")
    training.add_argument(
        "--from-moderation",
        action="store_true",
        help="learn from the decisions kept here (refusals, rejections, approvals)",
    )
    training.add_argument(
        "--fpr",
        type=float,
        default=0.01,
        help="share of real images the threshold may flag (default 0.01)",
    )
    training.add_argument("--folds", type=int, default=5)
    training.add_argument(
        "--out", help="where to write the head (default DATA_DIR/screening-head.json)"
    )
    training.set_defaults(func=cmd_screen_train)


def cmd_screen_train(config: Config, args: argparse.Namespace) -> int:
    if not args.dir and not args.from_moderation:
        raise ModerationCommandError("name a labelled folder (DIR), --from-moderation, or both")
    clip = screen_train.encoder(config.models_dir, config.screening.classifier_threads)
    found = screen_train.TrainingSet()
    if args.dir:
        screen_train.add_folder(found, clip, Path(args.dir), config.media.max_pixels)
    if args.from_moderation:

        async def run() -> None:
            async with database(config, create_schema=True):
                await screen_train.add_moderation(found)

        asyncio.run(run())
    head_file = screen_train.train(found, args.fpr, args.folds)
    out = Path(args.out) if args.out else config.data_dir / "screening-head.json"
    trained_head.write(out, head_file)
    v = head_file.validation
    print(f"trained on {v.ai} generated and {v.real} real images: {'; '.join(found.sources)}")
    if found.duplicates:
        print(f"  {found.duplicates} images were given twice and counted once")
    for line in found.unreadable[:5]:
        print(f"  unreadable: {line}")
    print(f"cross-validated ({v.folds} folds, each image scored by a head that did not see it):")
    print(f"  ROC AUC {v.auc:.3f}")
    print(
        f"  threshold {v.threshold:.4f}: flags {v.fpr:.1%} of the real images (95 % bound "
        f"{v.fpr_upper_95:.1%}; asked for {v.target_fpr:.1%}) and catches {v.recall:.1%} of "
        "the generated ones"
    )
    for warning in v.warnings:
        print(f"warning: {warning}")
    print(
        f"wrote {out}. It decides nothing by itself. To use it: [screening] classifier = "
        f'"trained" and classifier_model_path = "{out}"; its score is then advice for '
        "moderators. To send images at or above the threshold to review, also set "
        f"classifier_review_threshold = {v.threshold:.4f}. Measure it first on images it "
        "was not trained on: cara-fed screen-eval DIR."
    )
    return 0
