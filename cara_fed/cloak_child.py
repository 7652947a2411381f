"""Running one cloak in a child process and watching it: the command, the child's
environment and priority, its deadline, the job's lease while it runs, and a stop.

The child is `cara-fed --config PATH cloak-job ID`: it reads everything else (the original,
strength, steps, threads, pixel limit) from the same configuration and the job's row, so that
nothing is said twice and a job can be rerun by hand exactly as the worker ran it."""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import ctypes.util
import os
import signal
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

# How much of a failed child's stderr the job keeps.
ERROR_TAIL = 2000
PR_SET_PDEATHSIG = 1  # linux/prctl.h


class CloakFailed(Exception):
    """The child process failed; the message says how, for the job's record."""


class LeaseLost(Exception):
    """Another worker took the job over while this one ran (our lease had run out)."""


class Stopping(Exception):
    """The worker is shutting down mid-job; the job is given back untouched."""


def child_command(config_path: Path, job_id: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "cara_fed",
        "--config",
        str(config_path),
        "cloak-job",
        str(job_id),
    ]


def work_file(data_dir: Path, job_id: int, attempt: int) -> Path:
    """Where the child writes its lossless output: one name per attempt, so that a child
    killed mid-write never leaves a file the next attempt could mistake for its own."""
    return data_dir / "cloak-work" / f"job-{job_id}-{attempt}.png"


async def run_child(
    command: list[str],
    *,
    threads: int,
    timeout_seconds: float,
    check_every: float,
    keep_lease: Callable[[], Awaitable[bool]],
    stop: asyncio.Event,
) -> str:
    """The child's stdout. Every `check_every` seconds the lease is renewed (LeaseLost when
    another worker has the job) and the deadline checked (CloakFailed); a stop kills the
    child (Stopping). A child that exits non-zero fails with the end of its stderr."""
    process = await asyncio.create_subprocess_exec(
        *command,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        stdin=asyncio.subprocess.DEVNULL,
        preexec_fn=_child_setup,
        env=_child_env(threads),
    )
    talk = asyncio.ensure_future(process.communicate())
    stopping = asyncio.ensure_future(stop.wait())
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_seconds
    try:
        while True:
            done, _ = await asyncio.wait(
                {talk, stopping}, timeout=check_every, return_when=asyncio.FIRST_COMPLETED
            )
            if talk in done:
                break
            if stopping in done:
                raise Stopping()
            if loop.time() > deadline:
                raise CloakFailed(f"the cloak took longer than {timeout_seconds:.0f} s")
            if not await keep_lease():
                raise LeaseLost()
    except BaseException:
        if process.returncode is None:
            process.kill()
        with contextlib.suppress(Exception):
            await talk
        raise
    finally:
        stopping.cancel()
    stdout, stderr = talk.result()
    if process.returncode != 0:
        reason = stderr.decode("utf-8", "replace").strip()[-ERROR_TAIL:]
        raise CloakFailed(f"the cloak exited with {process.returncode}: {reason}")
    return stdout.decode("utf-8", "replace")


def _child_env(threads: int) -> dict[str, str]:
    """Threads are fixed before numpy loads its BLAS: the only way to bound them."""
    env = dict(os.environ)
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env[name] = str(threads)
    return env


def _child_setup() -> None:
    """In the child, before exec: let the server's requests and deliveries come first, and
    die with the server (Linux), so a killed server leaves no orphan cloaking on its own."""
    os.nice(10)
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
