"""Writing one benchmark's section of bench/RESULTS.md without touching the others, headed by
when, at which commit and on what machine it was measured (figures mean nothing without)."""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import re
import subprocess
from pathlib import Path

RESULTS = Path(__file__).with_name("RESULTS.md")


def provenance() -> str:
    def git(*args: str) -> str:
        try:
            return subprocess.run(
                ["git", *args], capture_output=True, text=True, check=True, cwd=RESULTS.parent
            ).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            return ""

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    if git("status", "--porcelain", "--untracked-files=no"):
        commit += " (with uncommitted changes)"
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return (
        f"Measured {when} at commit {commit} on {os.cpu_count()} vCPU ({cpu}), "
        f"Python {platform.python_version()}."
    )


def write_section(name: str, markdown: str, path: Path = RESULTS) -> None:
    """Replace the section between this benchmark's markers, or add it at the end."""
    begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
    block = f"{begin}\n{markdown.strip()}\n{end}"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _: block, text)
    else:
        text = (text.rstrip() + "\n\n" if text.strip() else "") + block
    path.write_text(text.rstrip() + "\n", encoding="utf-8")


def write_report(name: str, title: str, description: str, report: dict) -> None:
    """A section made of a title, the provenance line, what was run, and the JSON result."""
    write_section(
        name,
        "\n".join(
            [
                f"## {title}",
                "",
                provenance(),
                "",
                description,
                "",
                "```json",
                json.dumps(report, indent=2),
                "```",
            ]
        ),
    )
