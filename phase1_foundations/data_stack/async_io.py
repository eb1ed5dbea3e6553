"""asyncio basics: concurrent requests to a local TCP server, bounded by a semaphore, with
per-request timeouts and clean cancellation.

Protocol (one line each way): the client sends `GET <id> <delay_ms>`, the server waits
`delay_ms` and answers `OK <id>`. The server counts how many connections it serves at once,
so a test can prove the semaphore really bounds concurrency.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field


@dataclass
class ServerStats:
    """What the server saw: connections now and at peak, replies sent, clients that left."""

    active: int = 0
    peak: int = 0
    served: int = 0
    dropped: int = 0
    ids: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class Reply:
    """The outcome of one request: status "ok" or "timeout", and the elapsed seconds."""

    request_id: int
    status: str
    seconds: float


@asynccontextmanager
async def local_server(
    host: str = "127.0.0.1", port: int = 0
) -> AsyncIterator[tuple[int, ServerStats]]:
    """Run the delay server on 127.0.0.1 (a free port by default); yield (port, stats)."""
    stats = ServerStats()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        stats.active += 1
        stats.peak = max(stats.peak, stats.active)
        try:
            _, rid, delay_ms = (await reader.readline()).decode().split()
            stats.ids.append(int(rid))
            # Wait out the delay, unless the client hangs up first (timeout, cancellation).
            hangup = asyncio.ensure_future(reader.read(1))
            done, _ = await asyncio.wait({hangup}, timeout=int(delay_ms) / 1000)
            if done:
                stats.dropped += 1
                return
            hangup.cancel()
            writer.write(f"OK {rid}\n".encode())
            await writer.drain()
            stats.served += 1
        except (ConnectionError, ValueError):
            stats.dropped += 1
        except asyncio.CancelledError:
            # Server shutdown: end quietly (asyncio logs handler tasks that end cancelled).
            stats.dropped += 1
        finally:
            stats.active -= 1
            writer.close()

    server = await asyncio.start_server(handle, host, port)
    try:
        yield server.sockets[0].getsockname()[1], stats
    finally:
        server.close()
        await server.wait_closed()


@asynccontextmanager
async def connection(
    host: str, port: int
) -> AsyncIterator[tuple[asyncio.StreamReader, asyncio.StreamWriter]]:
    """An open TCP connection that is always closed, also on timeout or cancellation."""
    reader, writer = await asyncio.open_connection(host, port)
    try:
        yield reader, writer
    finally:
        writer.close()
        try:
            await writer.wait_closed()
        except (ConnectionError, asyncio.CancelledError):
            pass  # closing is best effort; a cancelled caller must not wait here


async def fetch(host: str, port: int, request_id: int, delay_ms: int, timeout: float) -> Reply:
    """One request; a reply later than `timeout` seconds becomes status "timeout"."""
    loop = asyncio.get_running_loop()
    start = loop.time()
    try:
        async with asyncio.timeout(timeout):
            async with connection(host, port) as (reader, writer):
                writer.write(f"GET {request_id} {delay_ms}\n".encode())
                await writer.drain()
                line = (await reader.readline()).decode().strip()
        if line != f"OK {request_id}":
            raise ConnectionError(f"unexpected reply {line!r} to request {request_id}")
        return Reply(request_id, "ok", loop.time() - start)
    except TimeoutError:
        return Reply(request_id, "timeout", loop.time() - start)


async def fetch_all(
    host: str, port: int, delays_ms: Sequence[int], *, concurrency: int, timeout: float
) -> list[Reply]:
    """Request every delay concurrently, at most `concurrency` at a time; replies in order."""
    if concurrency < 1:
        raise ValueError(f"concurrency must be >= 1, got {concurrency}")
    gate = asyncio.Semaphore(concurrency)

    async def one(i: int, delay: int) -> Reply:
        async with gate:
            return await fetch(host, port, i, delay, timeout)

    # TaskGroup cancels the siblings if one fails, and cancels them all if we are cancelled.
    async with asyncio.TaskGroup() as tg:
        tasks = [tg.create_task(one(i, d)) for i, d in enumerate(delays_ms)]
    return [t.result() for t in tasks]
