"""Reading an export someone hands us, a ZIP or a folder, without trusting it: every name is
checked before anything is read (no absolute paths, no `..`, no symlinks), the sizes the ZIP
declares are checked before anything is inflated (a ZIP bomb is refused whole), and every read
is capped again as it inflates, since a ZIP's declared sizes may lie. A bad archive is refused
with the reason before any work is made from it."""

from __future__ import annotations

import stat
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from cara_fed.errors import UserError

# Members of one archive. An Instagram export of 10,000 posts has about that many files.
MAX_MEMBERS = 100_000
# All members together, inflated. A large Instagram export is a few gigabytes.
MAX_TOTAL_BYTES = 20 * 1024**3
# A member inflating to over this many times its compressed size, past 1 MB: a ZIP bomb
# (images and videos do not compress; text compresses ~10x).
MAX_RATIO = 200
# A JSON member (an index of posts) is read whole: at most this much.
MAX_JSON_BYTES = 256 * 1024**2


class BadArchive(UserError):
    """The archive cannot be imported; the message says why, for the person who gave it."""


@dataclass(frozen=True)
class Member:
    name: str  # as a POSIX path relative to the archive's root
    size: int
    modified: datetime  # the file's time, as the archive or the disk gives it


def safe_name(name: str) -> str:
    """`name` as a relative POSIX path inside the archive, or BadArchive."""
    if "\\" in name or "\x00" in name:
        raise BadArchive(f"the archive holds a file with a name no import can use: {name!r}")
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts:
        raise BadArchive(f"the archive holds a path that escapes it: {name!r}")
    return str(path)


class Archive:
    """A ZIP or a folder, read the same way: `members()` and `read(name, limit)`."""

    def __init__(self, source: Path) -> None:
        self.source = source
        self._zip: zipfile.ZipFile | None = None
        self._members: dict[str, Member] = {}
        if source.is_dir():
            self._members = _folder_members(source)
            return
        if not source.is_file():
            raise BadArchive(f"there is no file or folder at {source}")
        try:
            self._zip = zipfile.ZipFile(source)
        except zipfile.BadZipFile:
            raise BadArchive(f"{source.name} is not a ZIP archive") from None
        except OSError as exc:
            raise BadArchive(f"{source.name} cannot be read: {exc}") from None
        self._members = _zip_members(self._zip)

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def members(self) -> dict[str, Member]:
        return self._members

    def has(self, name: str) -> bool:
        return name in self._members

    def modified(self, name: str) -> datetime:
        return self._members[name].modified

    def read(self, name: str, limit: int) -> bytes:
        """The member's bytes; BadArchive if it is missing or inflates past `limit`."""
        member = self._members.get(name)
        if member is None:
            raise BadArchive(f"the archive has no file {name!r}")
        if member.size > limit:
            raise BadArchive(f"{name} is {member.size} bytes, over the {limit} byte limit")
        if self._zip is None:
            with (self.source / name).open("rb") as file:
                data = file.read(limit + 1)
        else:
            try:
                with self._zip.open(name) as file:
                    data = file.read(limit + 1)
            except (zipfile.BadZipFile, OSError, EOFError) as exc:
                raise BadArchive(f"{name} in the archive is damaged: {exc}") from None
        if len(data) > limit:
            raise BadArchive(f"{name} is over the {limit} byte limit")
        return data


def _zip_members(archive: zipfile.ZipFile) -> dict[str, Member]:
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise BadArchive(f"the archive holds {len(infos)} files, more than {MAX_MEMBERS}")
    members: dict[str, Member] = {}
    total = 0
    for info in infos:
        name = safe_name(info.filename)
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            raise BadArchive(f"the archive holds a symbolic link: {info.filename!r}")
        if info.is_dir():
            continue
        total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise BadArchive(f"the archive inflates to more than {MAX_TOTAL_BYTES} bytes")
        if info.file_size > 1024**2 and info.file_size > MAX_RATIO * max(1, info.compress_size):
            raise BadArchive(
                f"{info.filename} inflates {info.file_size // max(1, info.compress_size)} "
                "times over: the archive looks like a ZIP bomb"
            )
        try:
            when = datetime(*info.date_time, tzinfo=UTC)
        except ValueError:
            when = datetime(1980, 1, 1, tzinfo=UTC)
        members[name] = Member(name, info.file_size, when)
    return members


def _folder_members(root: Path) -> dict[str, Member]:
    members: dict[str, Member] = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if path.is_symlink():
            raise BadArchive(f"the folder holds a symbolic link: {relative!r}")
        if path.is_file():
            status = path.stat()
            when = datetime.fromtimestamp(status.st_mtime, UTC)
            members[relative] = Member(relative, status.st_size, when)
            if len(members) > MAX_MEMBERS:
                raise BadArchive(f"the folder holds more than {MAX_MEMBERS} files")
    return members
