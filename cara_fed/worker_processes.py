"""The worker processes `cara-fed serve` starts beside the web server.

Why processes: in one event loop the worker's queries waited behind every inbox request, and
under load it handled a few percent of what the inbox accepted (issue 22). A worker process
has a core's worth of loop to itself; the database and the lease on each row are what the
processes share, as they already were with the CLI. Each child is `cara-fed worker` with the
same config, so what runs is what an admin can run by hand, and it is told to stop when the
server stops (or dies: Linux's parent-death signal).
"""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import subprocess
import sys
from pathlib import Path

log = logging.getLogger(__name__)
PR_SET_PDEATHSIG = 1
PARENT_ENV = "CARA_FED_SERVER_PID"


def start_workers(config_path: Path, count: int) -> list[subprocess.Popen]:
    """The first worker also cloaks; the others handle only the queues (a second cloak at
    once would double the memory peak for no gain on two cores)."""
    env = {**os.environ, PARENT_ENV: str(os.getpid())}
    command = [sys.executable, "-m", "cara_fed", "--config", str(config_path), "worker"]
    return [
        subprocess.Popen(command if index == 0 else [*command, "--no-cloak"], env=env)
        for index in range(count)
    ]


def parent_gone() -> bool:
    """In a worker `serve` started: ask for SIGTERM when the server's process ends, however
    it ends (Linux), and say whether it has already gone (it died before we asked)."""
    parent = os.environ.get(PARENT_ENV)
    if not parent:
        return False
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        except (OSError, AttributeError):
            pass
    return os.getppid() != int(parent)


def stop_workers(processes: list[subprocess.Popen], timeout: float = 15.0) -> None:
    """SIGTERM, then wait: a worker hands its claimed rows back before it exits."""
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            log.warning("worker %d did not stop in %.0f s; killed", process.pid, timeout)
            process.kill()
            process.wait()
