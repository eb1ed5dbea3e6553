"""asyncio against a local server on 127.0.0.1: semaphore bound, timeouts, cancellation."""

import asyncio

import pytest

from phase1_foundations.data_stack.async_io import fetch, fetch_all, local_server

HOST = "127.0.0.1"


@pytest.mark.parametrize("concurrency", [1, 3, 8])
def test_semaphore_bounds_concurrent_connections(concurrency):
    async def run():
        async with local_server() as (port, stats):
            replies = await fetch_all(HOST, port, [30] * 16, concurrency=concurrency, timeout=5)
            return stats, replies

    stats, replies = asyncio.run(run())
    assert [r.status for r in replies] == ["ok"] * 16
    assert [r.request_id for r in replies] == list(range(16))  # results in request order
    assert stats.peak <= concurrency
    assert stats.peak == min(concurrency, 16)  # and the bound is actually used
    assert stats.served == 16


def test_slow_request_times_out_and_server_sees_hangup():
    async def run():
        async with local_server() as (port, stats):
            reply = await fetch(HOST, port, 7, delay_ms=5_000, timeout=0.2)
            await asyncio.sleep(0.1)  # let the server notice the closed connection
            return reply, stats

    reply, stats = asyncio.run(run())
    assert reply.status == "timeout" and 0.2 <= reply.seconds < 2.0
    assert stats.dropped == 1 and stats.served == 0 and stats.active == 0


def test_cancelling_fetch_all_closes_every_connection_and_leaks_no_task():
    async def run():
        async with local_server() as (port, stats):
            task = asyncio.create_task(
                fetch_all(HOST, port, [5_000] * 10, concurrency=4, timeout=30)
            )
            while stats.active < 4:  # wait until 4 requests are in flight
                await asyncio.sleep(0.01)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            for _ in range(100):  # bounded wait for the server to see all hang-ups
                if stats.active == 0:
                    break
                await asyncio.sleep(0.01)
            leftover = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            return stats, leftover

    stats, leftover = asyncio.run(run())
    assert stats.active == 0 and stats.dropped == 4 and stats.served == 0
    assert len(stats.ids) == 4  # the other 6 never started: the semaphore held them back
    assert leftover == []


def test_concurrency_must_be_positive():
    with pytest.raises(ValueError, match="concurrency"):
        asyncio.run(fetch_all(HOST, 1, [1], concurrency=0, timeout=1))
