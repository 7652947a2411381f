"""The extra web processes of `cara-fed serve --workers N` ([server] web_processes).

Why processes: one Python process serves about one core's worth of requests (FACTS.md:
~2,600 trivial requests/s with one, ~4,500 with two). The server binds the port once and
each extra process is `cara-fed serve` handed that listening socket (`--listen-fd`): the
kernel gives each new connection to whichever process accepts first, so a busy process takes
fewer, and a process that dies loses no queued connection (the socket is the parent's).
What the processes must agree on lives in the database: sessions, rate limits
(services/throttle.py), Idempotency-Keys, the domain-block list (re-read every 5 s), the
queues; each keeps a 60-second cache of verified keys (federation/resolver.py).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

from cara_fed.worker_processes import PARENT_ENV


def start_web_processes(config_path: Path, sock: socket.socket, count: int) -> list:
    """`count` more servers on `sock`, told to stop when this process ends."""
    env = {**os.environ, PARENT_ENV: str(os.getpid())}
    fd = sock.fileno()
    command = [sys.executable, "-m", "cara_fed", "--config", str(config_path), "serve"]
    return [
        subprocess.Popen([*command, "--listen-fd", str(fd)], env=env, pass_fds=(fd,))
        for _ in range(count)
    ]
