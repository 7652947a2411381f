"""A folder or ZIP of images, for everything else (ArtStation, Behance, a hard disk), with an
optional CSV anywhere in it: `file,title,description,alt,tags,date,album` (a header row; only
`file` is required; `tags` separated by spaces or commas; `date` as YYYY-MM-DD or an ISO
time). One image is one work.

Without a CSV, every image is a work titled after its file name, dated by the file's time.
With one, only the files it names are imported, in its order, and a file it names that is not
there is reported."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from cara_fed.imports.archive import Archive, BadArchive
from cara_fed.imports.items import ImportItem, is_image_name

COLUMNS = ("file", "title", "description", "alt", "tags", "date", "album")
MAX_CSV_BYTES = 16 * 1024**2


def read(archive: Archive) -> list[ImportItem]:
    sheets = [name for name in archive.members() if name.lower().endswith(".csv")]
    if len(sheets) > 1:
        raise BadArchive(f"the archive holds {len(sheets)} CSV files; put in one at most")
    if sheets:
        return _from_csv(archive, sheets[0])
    images = [name for name in archive.members() if is_image_name(name)]
    if not images:
        raise BadArchive("the archive holds no image (JPEG, PNG, WebP or GIF)")
    return [_image(archive, name) for name in sorted(images)]


def _image(archive: Archive, name: str) -> ImportItem:
    stem = name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return ImportItem(
        key=f"file:{name}",
        label=name,
        made_at=archive.modified(name),
        files=(name,),
        title=stem.replace("_", " ").replace("-", " ").strip()[:200],
    )


def _from_csv(archive: Archive, sheet: str) -> list[ImportItem]:
    try:
        text = archive.read(sheet, MAX_CSV_BYTES).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BadArchive(f"{sheet} is not UTF-8 text") from None
    rows = csv.DictReader(io.StringIO(text))
    if not rows.fieldnames or "file" not in rows.fieldnames:
        raise BadArchive(f"{sheet} needs a header row with a 'file' column ({', '.join(COLUMNS)})")
    unknown = set(rows.fieldnames) - set(COLUMNS)
    if unknown:
        raise BadArchive(f"{sheet} has columns no import knows: {', '.join(sorted(unknown))}")
    base = sheet.rsplit("/", 1)[0] + "/" if "/" in sheet else ""
    items = []
    for number, row in enumerate(rows, 2):
        name = (row.get("file") or "").strip()
        where = f"{sheet} line {number}"
        if not name:
            raise BadArchive(f"{where} names no file")
        path = name if archive.has(name) else base + name
        label = f"{name} ({where})"
        when = _date(row.get("date") or "", where) if row.get("date") else None
        if not archive.has(path):
            made = when or datetime.now(UTC)
            items.append(ImportItem(f"file:{path}", label, made, skipped="not in the archive"))
            continue
        if not is_image_name(path):
            items.append(ImportItem(f"file:{path}", label, when or archive.modified(path),
                                    skipped="not an image (JPEG, PNG, WebP or GIF)"))  # fmt: skip
            continue
        tags = tuple(t.lstrip("#") for t in (row.get("tags") or "").replace(",", " ").split() if t)
        items.append(
            ImportItem(
                key=f"file:{path}",
                label=label,
                made_at=when or archive.modified(path),
                files=(path,),
                title=(row.get("title") or "").strip()[:200],
                description=(row.get("description") or "").strip(),
                alts=((row.get("alt") or "").strip(),),
                tags=tags,
                album=(row.get("album") or "").strip()[:200] or None,
            )
        )
    return items


def _date(value: str, where: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise BadArchive(f"{where}: {value!r} is not a date (YYYY-MM-DD)") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
