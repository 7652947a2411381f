"""The load generator that ingest.py and fetch.py drive: `concurrency` workers sharing one
aiohttp session, each request timed. aiohttp, not httpx: httpx spent about 2 ms of CPU per
request, as much as the server under test, on the same two cores (aiohttp comes with bovine).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp


async def timed(
    client: aiohttp.ClientSession, method: str, url: str, **kw: Any
) -> tuple[str, float]:
    """(status or the error's name, seconds) of one request, its body read."""
    started = time.perf_counter()
    try:
        async with client.request(method, url, **kw) as response:
            await response.read()
            status = str(response.status)
    except (aiohttp.ClientError, TimeoutError) as exc:
        status = type(exc).__name__
    return status, time.perf_counter() - started


async def run_workers(
    worker: Callable[[aiohttp.ClientSession], Awaitable[None]], concurrency: int
) -> float:
    """Run `concurrency` copies of `worker` on one session; returns the seconds it took."""
    started = time.monotonic()
    connector = aiohttp.TCPConnector(limit=concurrency)
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as client:
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
    return time.monotonic() - started
