"""Prove that the install users run (`scripts/run`: the runtime dependencies, no extras) can
serve an instance whose cloak works. The cloak once shipped importing a test-only package
inside a function, so every post stayed unpublished on a real install while the suite, which
installs the test extra, passed.

Run with the runtime venv's Python (`.ci/run` does):
1. every module the five packages import, at the top or inside a function, is installed;
2. every module of the five packages imports;
3. an instance started from this venv publishes a post only after a real cloak job (two steps,
   a small image) has run, and serves pixels that differ from the original within the
   strength's budget.
Uses only the standard library and runtime dependencies. Exits non-zero with the reason."""

from __future__ import annotations

import ast
import importlib
import importlib.util
import io
import json
import os
import pkgutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("cara_fed", "activitypub", "federation", "inbox", "cloak")
DEADLINE_SECONDS = 150.0


def fail(message: str) -> None:
    sys.exit(f"check_runtime: {message}")


def imported_modules() -> dict[str, set[str]]:
    """Top-level names of every absolute import in the five packages, with the files that
    import each; imports inside functions count, since they run later, on a real request."""
    found: dict[str, set[str]] = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                names: list[str] = []
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                for name in names:
                    found.setdefault(name.split(".")[0], set()).add(str(path.relative_to(ROOT)))
    return found


def check_imports() -> int:
    missing = {
        name: files
        for name, files in imported_modules().items()
        if name not in PACKAGES and importlib.util.find_spec(name) is None
    }
    if missing:
        lines = [f"  {name} (imported by {', '.join(sorted(f))})" for name, f in missing.items()]
        fail("modules the server imports are not installed without extras:\n" + "\n".join(lines))
    count = 0
    for package in PACKAGES:
        module = importlib.import_module(package)
        for info in pkgutil.walk_packages(module.__path__, f"{package}."):
            if info.name.endswith(".__main__"):
                continue  # runs the CLI
            importlib.import_module(info.name)
            count += 1
    return count


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cara_fed(config: Path, *args: str, stdin: str | None = None) -> str:
    command = [str(Path(sys.executable).with_name("cara-fed")), "--config", str(config), *args]
    result = subprocess.run(command, capture_output=True, text=True, input=stdin, timeout=120)
    if result.returncode != 0:
        fail(f"`cara-fed {' '.join(args)}` failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def sample_png(path: Path) -> None:
    """A small artwork with flat colour, a gradient and edges."""
    import numpy as np
    from PIL import Image

    y, x = np.mgrid[0:240, 0:320]
    image = np.zeros((240, 320, 3), np.uint8)
    image[..., 0] = (x * 255 // 319).astype(np.uint8)
    image[..., 1] = 120
    image[..., 2] = (y * 255 // 239).astype(np.uint8)
    image[60:180, 100:220] = (240, 200, 40)
    Image.fromarray(image).save(path, "PNG")


def check_cloaked_post(root: Path) -> dict:
    import httpx
    import numpy as np
    from PIL import Image

    from cloak.strength import STRENGTHS

    port = free_port()
    config = root / "instance.toml"
    config.write_text(
        f'[instance]\nurl = "http://127.0.0.1:{port}"\nname = "runtime check"\n'
        f'data_dir = "data"\n[server]\nhost = "127.0.0.1"\nport = {port}\n'
        "[cloak]\nenabled = true\nsteps = 2\npoll_interval_seconds = 0.2\n"
        "retry_seconds = 0.5\nlease_seconds = 5.0\n"
    )
    cara_fed(config, "init")
    cara_fed(config, "user", "add", "ana")
    original = root / "art.png"
    sample_png(original)
    with open(root / "server.log", "wb") as log:
        server = subprocess.Popen(
            [str(Path(sys.executable).with_name("cara-fed")), "--config", str(config), "serve"],
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=root,
        )
    try:
        deadline = time.monotonic() + DEADLINE_SECONDS
        base = f"http://127.0.0.1:{port}"
        while True:
            if server.poll() is not None or time.monotonic() > deadline:
                fail("the server did not start:\n" + (root / "server.log").read_text())
            try:
                if httpx.get(f"{base}/.well-known/nodeinfo", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        url = cara_fed(config, "post", "ana", "--image", str(original), "--alt", "a test").strip()
        headers = {"Accept": "application/activity+json"}
        if (status := httpx.get(url, headers=headers).status_code) != 404:
            fail(f"the post answered {status} before its image was cloaked")
        while (response := httpx.get(url, headers=headers)).status_code != 200:
            if time.monotonic() > deadline:
                jobs = cara_fed(config, "cloak-jobs", "--json")
                fail(f"the post was not published in time; cloak jobs:\n{jobs}")
            time.sleep(0.5)
        [attachment] = response.json()["attachment"]
        published = Image.open(io.BytesIO(httpx.get(attachment["url"]).content)).convert("RGB")
        clean = np.asarray(Image.open(original).convert("RGB"), np.int16)
        changed = np.abs(np.asarray(published, np.int16) - clean)
        budget = round(STRENGTHS["default"].eps * 255)
        if changed.max() == 0:
            fail("the published image is the original: it was not cloaked")
        if changed.max() > budget:
            fail(f"the cloak changed a pixel by {changed.max()} levels (budget {budget})")
        [job] = json.loads(cara_fed(config, "cloak-jobs", "--json"))
        if job["state"] != "done":
            fail(f"the cloak job is {job['state']}")
        return {
            "changed_pixels": float((changed.max(axis=2) > 0).mean()),
            "max_change": int(changed.max()),
        }
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()


def main() -> None:
    started = time.monotonic()
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    modules = check_imports()
    with tempfile.TemporaryDirectory(prefix="cara-fed-runtime-") as tmp:
        cloaked = check_cloaked_post(Path(tmp))
    print(
        f"check_runtime: {modules} modules import without extras; a post published after its "
        f"cloak ({cloaked['changed_pixels']:.0%} of pixels changed, at most "
        f"{cloaked['max_change']} levels) in {time.monotonic() - started:.0f} s"
    )


if __name__ == "__main__":
    main()
