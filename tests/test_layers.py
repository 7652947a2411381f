"""The packages' imports run downward (DESIGN.md): cara_fed → inbox → federation, cloak →
activitypub. A lower package importing a higher one fails here.

Storage is the one exception, and it is narrow: each lower package reaches the application's
storage (`cara_fed.store`) through one module of its own (`inbox/storage.py`,
`federation/storage.py`), and `cara_fed.store` (with the pure converter it uses,
`cara_fed.convert.from_as`) imports nothing of the application above it, so the import does
not drag the web app, the services or the configuration into the wire code."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LEVEL = {"activitypub": 0, "cloak": 1, "federation": 1, "inbox": 2, "cara_fed": 3}

# The only lower modules that may import the application, and what they may import of it.
STORAGE_GATEWAYS = {"inbox/storage.py", "federation/storage.py"}
STORAGE = ("cara_fed.store",)
# What storage may import of the application: itself and the pure AS2 → model converter.
BELOW_THE_APPLICATION = ("cara_fed.store", "cara_fed.convert.from_as")
# Packages that only hold the modules above (their __init__ is a docstring).
BELOW_THE_APPLICATION_PACKAGES = {"cara_fed.convert"}


def _within(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


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
    found = {
        (module, name)
        for module, name in upward_imports()
        if not (module in STORAGE_GATEWAYS and _within(name, STORAGE))
    }
    assert not found, "lower packages import higher ones:\n" + "\n".join(
        f"  {module} imports {name}" for module, name in sorted(found)
    )


def test_importing_the_lower_packages_loads_nothing_of_the_application():
    """Import every module of the lower packages in a fresh interpreter: of `cara_fed`, only
    storage and the AS2 → model converter may come along (no config, services, routes, CLI,
    web framework), whatever storage itself imports, at the top or lazily at import time."""
    lower = [
        ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for package, level in LEVEL.items()
        if level < LEVEL["cara_fed"]
        for path in sorted((ROOT / package).rglob("*.py"))
    ]
    script = (
        "import importlib, sys\n"
        f"for name in {lower!r}: importlib.import_module(name)\n"
        "print('\\n'.join(sorted(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    loaded = done.stdout.split()
    application = sorted(
        name
        for name in loaded
        if (
            name.startswith("cara_fed.")
            and not _within(name, BELOW_THE_APPLICATION)
            and name not in BELOW_THE_APPLICATION_PACKAGES
        )
        or name == "quart"
    )
    assert "inbox.storage" in loaded and "cara_fed.store.models" in loaded
    assert not application, "the lower packages load the application: " + ", ".join(application)


def test_the_check_sees_an_upward_import(tmp_path):
    """The walk must see imports inside functions, or a lazy import would slip through."""
    module = tmp_path / "lazy.py"
    module.write_text("def f():\n    from cara_fed.app import create_app\n")
    assert "cara_fed.app" in imported(module)
