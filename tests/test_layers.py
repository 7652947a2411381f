"""The packages' imports run downward (DESIGN.md): cara_fed → inbox → federation, cloak →
activitypub. A lower package importing a higher one fails here.

What is left of the old upward arrows is listed below, module by module: it is all storage
(`cara_fed.store`) and the instance's URL layout (`cara_fed.urls`), still owned by the
application (issue 15). A new upward import fails; so does a listed one that is gone, so that
the list only ever shrinks."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LEVEL = {"activitypub": 0, "cloak": 1, "federation": 1, "inbox": 2, "cara_fed": 3}

NOT_YET_MOVED = {
    ("federation/delivery.py", "cara_fed.store.models"),
    ("federation/delivery.py", "cara_fed.store.queue"),
    ("federation/outbox.py", "cara_fed.store.models"),
    ("federation/resolver.py", "cara_fed.store"),
    ("federation/resolver.py", "cara_fed.store.models"),
    ("inbox/context.py", "cara_fed.store.domain_blocks"),
    ("inbox/context.py", "cara_fed.store.inbound_writer"),
    ("inbox/context.py", "cara_fed.urls"),
    ("inbox/handlers/_follows.py", "cara_fed.store.models"),
    ("inbox/handlers/_interactions.py", "cara_fed.store.models"),
    ("inbox/handlers/_notes.py", "cara_fed.store"),
    ("inbox/handlers/_notes.py", "cara_fed.store.media"),
    ("inbox/handlers/_notes.py", "cara_fed.store.models"),
    ("inbox/handlers/create.py", "cara_fed.store.models"),
    ("inbox/handlers/delete.py", "cara_fed.store.media"),
    ("inbox/handlers/delete.py", "cara_fed.store.models"),
    ("inbox/handlers/follow.py", "cara_fed.store.follows"),
    ("inbox/handlers/follow.py", "cara_fed.store.models"),
    ("inbox/handlers/undo.py", "cara_fed.store.models"),
    ("inbox/handlers/update.py", "cara_fed.store.models"),
    ("inbox/receive.py", "cara_fed.store.inbound_writer"),
    ("inbox/receive.py", "cara_fed.store.models"),
    ("inbox/remote_media.py", "cara_fed.store.files"),
    ("inbox/remote_media.py", "cara_fed.store.media"),
    ("inbox/worker.py", "cara_fed.store.models"),
    ("inbox/worker.py", "cara_fed.store.queue"),
}


def imported(path: Path) -> set[str]:
    """Every absolute module name `path` imports, at the top or inside a function."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def upward_imports() -> set[tuple[str, str]]:
    found = set()
    for package, level in LEVEL.items():
        for path in sorted((ROOT / package).rglob("*.py")):
            for name in imported(path):
                top = name.split(".")[0]
                if top != package and top in LEVEL and LEVEL[top] >= level:
                    found.add((str(path.relative_to(ROOT)), name))
    return found


def test_no_lower_package_imports_a_higher_one():
    new = upward_imports() - NOT_YET_MOVED
    assert not new, "lower packages import higher ones:\n" + "\n".join(
        f"  {module} imports {name}" for module, name in sorted(new)
    )


def test_the_list_of_imports_not_yet_moved_only_shrinks():
    gone = NOT_YET_MOVED - upward_imports()
    assert not gone, "no longer imported, take them off NOT_YET_MOVED:\n" + "\n".join(
        f"  {module} → {name}" for module, name in sorted(gone)
    )
