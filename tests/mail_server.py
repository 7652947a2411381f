"""A real SMTP server on loopback for the mail tests: aiosmtpd started as a process, writing
what it receives to a Maildir that the tests read. What an instance's worker sends is then
what a mail server accepted over SMTP, headers, parts and all; a mock of the client would
show none of that."""

from __future__ import annotations

import mailbox
import re
import socket
import subprocess
import sys
import time
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

from tests.instances import free_port


class MailServer:
    def __init__(self, root: Path) -> None:
        self.port = free_port()
        self.maildir = root / "maildir"
        self.process: subprocess.Popen | None = None

    def start(self) -> MailServer:
        command = [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{self.port}",
                   "-c", "aiosmtpd.handlers.Mailbox", str(self.maildir)]  # fmt: skip
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    return self
            if self.process.poll() is not None:
                raise RuntimeError(f"aiosmtpd did not start: {self.process.stderr.read()!r}")
            time.sleep(0.05)
        raise RuntimeError("aiosmtpd did not listen within 15 s")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def config(self, from_address: str = "art@cara.test") -> str:
        """The [email] section of an instance that sends here."""
        return (
            f'[email]\nsmtp_host = "127.0.0.1"\nsmtp_port = {self.port}\nsecurity = "none"\n'
            f'from_address = "{from_address}"\n'
        )

    def messages(self) -> list[EmailMessage]:
        if not self.maildir.exists():
            return []
        box = mailbox.Maildir(self.maildir, create=False)
        parser = BytesParser(policy=policy.default)
        # Maildir names start with the time of delivery: sorted, they are in arrival order.
        return [parser.parsebytes(box.get_bytes(key)) for key in sorted(box.keys())]

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages() if m["To"] == address]

    def wait_for(self, address: str, count: int = 1, timeout: float = 20.0) -> list[EmailMessage]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.to(address)
            if len(found) >= count:
                return found
            time.sleep(0.1)
        raise AssertionError(f"{count} message(s) to {address} did not arrive in {timeout} s")


def link_in(message: EmailMessage, path: str = "/password/reset/") -> str:
    """The link under `path` (a reset link, by default) in a message's plain-text part."""
    text = message.get_body(("plain",)).get_content()
    return re.search(rf"(http://\S+{re.escape(path)}\S+)", text).group(1)
