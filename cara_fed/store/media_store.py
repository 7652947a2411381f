"""Where media files live: the media directory of this machine (the default) or a bucket of
S3-compatible object storage (`[media] backend = "s3"`), behind one interface, so that every
writer, reader and remover of media (posting, the cloak and its child process, the inbox's
cache of remote images, the media route, /healthz) does the same thing on either.

Names are the same on both: `local/<sha256>.<ext>` (what we publish), `remote/…` (the cache
of remote images), `private/…` (originals, never served), `api-uploads/…` (client-API uploads
waiting for their status); in a bucket under an optional key prefix.

A write returns only once the bytes are durable: on disk after fsync and an atomic rename, in
a bucket when the store answered the PUT (S3 answers only once the object is stored). A post
is acknowledged after its files are written, so a crash after that loses none of them
(DESIGN.md, invariant 1)."""

from __future__ import annotations

import asyncio
import os
import threading
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cara_fed.store.files import write_atomically

CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp", "gif": "image/gif"}
# What anyone may read once a row says so: served by the media route (and, with a bucket in
# redirect mode, by the bucket's public URL). Everything else stays private.
PUBLIC_FOLDERS = ("local", "remote")
PUBLIC_CACHE = "public, max-age=31536000, immutable"  # content-addressed: never changes
PRIVATE_CACHE = "private, no-store"


class MediaStoreError(OSError):
    """The media store could not be read or written; the message says which store and why.
    An OSError, as a failing disk is, so that code which copes with one copes with both."""


class MediaMissing(MediaStoreError):
    """No file of that name in the store."""


@dataclass(frozen=True)
class StoredFile:
    data: bytes
    modified: datetime


def content_type(name: str) -> str:
    return CONTENT_TYPES.get(name.rsplit(".", 1)[-1], "application/octet-stream")


def is_public(name: str) -> bool:
    return name.split("/", 1)[0] in PUBLIC_FOLDERS


class MediaStore(ABC):
    """Media files by name. Every method runs its I/O off the event loop."""

    @property
    @abstractmethod
    def where(self) -> str:
        """How messages name this store."""

    @abstractmethod
    async def put(self, name: str, data: bytes) -> None:
        """Store `data` under `name`, durably, replacing what was there."""

    @abstractmethod
    async def read(self, name: str) -> StoredFile | None:
        """The file and when it was stored, or None when there is none."""

    @abstractmethod
    async def modified(self, name: str) -> datetime | None:
        """When the file was stored, without reading it; None when there is none."""

    @abstractmethod
    async def delete(self, name: str) -> None:
        """Remove the file; a file that is not there is not an error."""

    @abstractmethod
    async def check(self) -> str:
        """ "ok" when files can be written here now, else what is wrong (for /healthz)."""

    @abstractmethod
    async def names(self) -> list[str]:
        """Every file's name, sorted (for a backup: what there is, not only what rows name)."""

    async def exists(self, name: str) -> bool:
        return await self.modified(name) is not None

    async def get(self, name: str) -> bytes:
        found = await self.read(name)
        if found is None:
            raise MediaMissing(f"{name} is not in {self.where}")
        return found.data

    async def put_once(self, name: str, data: bytes) -> None:
        """For content-addressed names: a file already there holds these very bytes."""
        if not await self.exists(name):
            await self.put(name, data)


class LocalMediaStore(MediaStore):
    """Files under the media directory (`data_dir/media`), as cara-fed always kept them."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @property
    def where(self) -> str:
        return f"the media directory {self.root}"

    def path(self, name: str) -> Path:
        """The file's path, refused unless it is inside the media directory."""
        path = (self.root / name).resolve()
        if self.root.resolve() not in path.parents:
            raise MediaStoreError(f"{name!r} is not a name inside {self.where}")
        return path

    async def put(self, name: str, data: bytes) -> None:
        await asyncio.to_thread(write_atomically, self.path(name), data)

    async def read(self, name: str) -> StoredFile | None:
        def read() -> StoredFile | None:
            path = self.path(name)
            try:
                with path.open("rb") as source:
                    stat = os.fstat(source.fileno())
                    return StoredFile(source.read(), _from_timestamp(stat.st_mtime))
            except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
                return None

        return await asyncio.to_thread(read)

    async def modified(self, name: str) -> datetime | None:
        def stat() -> datetime | None:
            path = self.path(name)
            return _from_timestamp(path.stat().st_mtime) if path.is_file() else None

        return await asyncio.to_thread(stat)

    async def delete(self, name: str) -> None:
        await asyncio.to_thread(self.path(name).unlink, missing_ok=True)

    async def names(self) -> list[str]:
        """Files only; the temporary files of writes under way (`.name.tmp`) are not media."""

        def walk() -> list[str]:
            if not self.root.is_dir():
                return []
            return sorted(
                path.relative_to(self.root).as_posix()
                for path in self.root.rglob("*")
                if path.is_file() and not path.name.startswith(".")
            )

        return await asyncio.to_thread(walk)

    async def check(self) -> str:
        """The media directory, or before the first image is stored (it is made then) the
        directory that will hold it."""
        folder = self.root if self.root.exists() else self.root.parent
        if not folder.is_dir():
            return f"not a directory: {folder}"
        if not os.access(folder, os.W_OK | os.X_OK):
            return f"not writable: {folder}"
        return "ok"


def _from_timestamp(seconds: float) -> datetime:
    return datetime.fromtimestamp(int(seconds), UTC)


def _utc(moment: datetime) -> datetime:
    """botocore's datetimes carry dateutil's UTC; HTTP dates want the standard library's."""
    return moment.astimezone(UTC).replace(microsecond=0)


@dataclass(frozen=True)
class S3Settings:
    """A bucket of S3-compatible storage. `prefix` is put before every name (normalised to
    end in one slash); `metadata` goes with every public object as `x-amz-meta-*` headers
    (the no-AI statement, for whoever reads the bucket's copy)."""

    endpoint: str
    bucket: str
    access_key: str
    secret_key: str
    region: str = "us-east-1"
    prefix: str = ""
    metadata: dict[str, str] = field(default_factory=dict)
    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    attempts: int = 3


def normalised_prefix(prefix: str) -> str:
    prefix = prefix.strip("/")
    return f"{prefix}/" if prefix else ""


class S3MediaStore(MediaStore):
    """Objects in a bucket, through boto3 (synchronous: each call runs in a thread). The
    client is made at first use, so commands that never touch media do not import boto3."""

    def __init__(self, settings: S3Settings) -> None:
        self.settings = settings
        self.prefix = normalised_prefix(settings.prefix)
        self._clients: dict[int, Any] = {}
        self._lock = threading.Lock()

    @property
    def where(self) -> str:
        return f"bucket {self.settings.bucket} at {self.settings.endpoint}"

    def key(self, name: str) -> str:
        """The object key of a media name: the prefix, then the name as it is on disk."""
        if not name or name.startswith("/") or ".." in name.split("/"):
            raise MediaStoreError(f"{name!r} is not a media name")
        return self.prefix + name

    def _client(self, attempts: int | None = None) -> Any:
        """A client per number of attempts: /healthz asks once, everything else retries
        (boto3's standard mode: throttling, 5xx and dropped connections, with backoff)."""
        attempts = attempts or self.settings.attempts
        with self._lock:  # making a boto3 client is not thread-safe
            client = self._clients.get(attempts)
            if client is None:
                import boto3
                from botocore.config import Config

                s = self.settings
                client = boto3.session.Session().client(
                    "s3",
                    endpoint_url=s.endpoint,
                    region_name=s.region,
                    aws_access_key_id=s.access_key,
                    aws_secret_access_key=s.secret_key,
                    config=Config(
                        # SigV4: presigned and signed requests alike (SigV2 ones failed
                        # against SeaweedFS); path-style, as every S3-compatible store takes
                        signature_version="s3v4",
                        s3={"addressing_style": "path"},
                        connect_timeout=s.connect_timeout,
                        read_timeout=s.read_timeout,
                        retries={"max_attempts": attempts, "mode": "standard"},
                    ),
                )
                self._clients[attempts] = client
            return client

    async def _call(self, operation: str, name: str | None = None, **params: Any) -> Any:
        """Run one S3 call in a thread; its failures become MediaStoreError (MediaMissing for
        an object that is not there) with a message naming the store."""
        from botocore.exceptions import BotoCoreError, ClientError

        def call() -> Any:
            return getattr(self._client(), operation)(Bucket=self.settings.bucket, **params)

        try:
            return await asyncio.to_thread(call)
        except ClientError as exc:
            error = exc.response.get("Error", {})
            code = str(error.get("Code", ""))
            status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
            what = f"{name} in {self.where}" if name else self.where
            if code == "NoSuchBucket":  # an error of the configuration, not a missing file
                raise MediaStoreError(f"{self.where}: the bucket does not exist") from None
            if code in ("NoSuchKey", "NotFound") or status == 404:  # HEAD answers no code
                raise MediaMissing(f"{name} is not in {self.where}") from None
            message = error.get("Message") or ""
            raise MediaStoreError(
                f"{operation} of {what} failed: {code or status} {message}".rstrip()
            ) from None
        except BotoCoreError as exc:
            raise MediaStoreError(f"{self.where} is unreachable: {exc}") from None

    def presigned_url(self, name: str, seconds: int) -> str:
        """A URL that reads the object without credentials for `seconds`: SigV4 over the
        endpoint's host, computed here (no request to the store)."""
        return self._client().generate_presigned_url(
            "get_object",
            Params={"Bucket": self.settings.bucket, "Key": self.key(name)},
            ExpiresIn=seconds,
        )

    async def put(self, name: str, data: bytes) -> None:
        public = is_public(name)
        await self._call(
            "put_object",
            name,
            Key=self.key(name),
            Body=data,
            ContentType=content_type(name),
            CacheControl=PUBLIC_CACHE if public else PRIVATE_CACHE,
            Metadata=self.settings.metadata if public else {},
        )

    async def read(self, name: str) -> StoredFile | None:
        try:
            found = await self._call("get_object", name, Key=self.key(name))
        except MediaMissing:
            return None
        body = found["Body"]
        try:
            data = await asyncio.to_thread(body.read)
        except Exception as exc:  # the connection dropped mid-body: botocore's or urllib3's
            raise MediaStoreError(f"reading {name} from {self.where} failed: {exc}") from None
        finally:
            body.close()
        return StoredFile(data, _utc(found["LastModified"]))

    async def modified(self, name: str) -> datetime | None:
        try:
            found = await self._call("head_object", name, Key=self.key(name))
        except MediaMissing:
            return None
        return _utc(found["LastModified"])

    async def delete(self, name: str) -> None:
        await self._call("delete_object", name, Key=self.key(name))

    async def names(self) -> list[str]:
        found: list[str] = []
        token: dict[str, str] = {}
        while True:
            page = await self._call("list_objects_v2", Prefix=self.prefix, **token)
            found += [item["Key"][len(self.prefix) :] for item in page.get("Contents", [])]
            if not page.get("IsTruncated"):
                return sorted(found)
            token = {"ContinuationToken": page["NextContinuationToken"]}

    async def check(self) -> str:
        """The bucket answers an authenticated request (asked once: a monitor asks again).
        Says what failed in a word or two, as the database check does: /healthz is public."""
        from botocore.exceptions import BotoCoreError, ClientError

        def head() -> None:
            self._client(attempts=1).head_bucket(Bucket=self.settings.bucket)

        try:
            await asyncio.to_thread(head)
        except ClientError as exc:
            status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
            if status == 404:
                return f"bucket {self.settings.bucket} does not exist"
            return f"bucket {self.settings.bucket} refused: {status}"
        except BotoCoreError as exc:
            return f"unreachable: {type(exc).__name__}"
        return "ok"
