"""TTL cache with single-flight: one computation per key per expiry, no stampede."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from phase5_mlops.systems_patterns.cache import SingleFlightCache
from phase5_mlops.systems_patterns.client import TabularClient
from phase5_mlops.systems_patterns.grpc_twin import TabularServicer, serve


class Clock:
    def __init__(self):
        self.t = 0.0

    def __call__(self):
        return self.t


def slow_compute(calls, value, gate):
    def compute():
        calls.append(1)
        gate.wait(5)
        return value

    return compute


@pytest.mark.parametrize("single_flight, expected_calls", [(True, 1), (False, 16)])
def test_concurrent_misses_compute_once_only_with_single_flight(single_flight, expected_calls):
    cache = SingleFlightCache(ttl_s=60, single_flight=single_flight)
    calls, gate = [], threading.Event()
    with ThreadPoolExecutor(16) as pool:
        futures = [pool.submit(cache.get, "k", slow_compute(calls, 7, gate)) for _ in range(16)]
        deadline = time.monotonic() + 5
        while cache.misses < 16 and time.monotonic() < deadline:
            time.sleep(0.001)
        gate.set()
        assert [f.result() for f in futures] == [7] * 16
    assert len(calls) == expected_calls


def test_ttl_expiry_recomputes_and_hits_before():
    clock = Clock()
    cache = SingleFlightCache(ttl_s=10, clock=clock)
    values = iter([1, 2])
    assert cache.get("k", lambda: next(values)) == 1
    clock.t = 9.9
    assert cache.get("k", lambda: next(values)) == 1
    clock.t = 10.0
    assert cache.get("k", lambda: next(values)) == 2
    assert (cache.hits, cache.computations) == (1, 2)


def test_errors_reach_every_waiter_and_are_not_cached():
    cache = SingleFlightCache(ttl_s=60)
    gate = threading.Event()

    def boom():
        gate.wait(5)
        raise RuntimeError("upstream down")

    with ThreadPoolExecutor(4) as pool:
        futures = [pool.submit(cache.get, "k", boom) for _ in range(4)]
        while cache.misses < 4:
            time.sleep(0.001)
        gate.set()
        assert all(isinstance(f.exception(), RuntimeError) for f in futures)
    assert cache.get("k", lambda: 3) == 3


def test_lru_bound():
    cache = SingleFlightCache(ttl_s=60, max_entries=2)
    for k in "abc":
        cache.get(k, lambda k=k: k)
    cache.get("a", lambda: "recomputed")
    assert cache.computations == 4


def test_grpc_concurrent_identical_requests_call_the_model_once(artifact, records):
    servicer = TabularServicer(artifact, cache=SingleFlightCache(ttl_s=60), work_s=0.2)
    with serve(servicer) as target:
        client = TabularClient(target)
        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(lambda _: client.predict(records[0]), range(8)))
        assert client.predict(records[1]) != answers[0]
    assert all(a == answers[0] for a in answers)
    assert servicer.model_calls == 2


def test_followers_of_a_shed_leader_get_resource_exhausted(artifact, records):
    # One slot, a queue of one: a call of the first record holds the slot; the second record's
    # leader queues with a short deadline and is shed when it passes; its followers (longer
    # deadlines) must see RESOURCE_EXHAUSTED too, not UNKNOWN from the leader's abort.
    import grpc

    from phase5_mlops.systems_patterns.shedding import Shedder

    servicer = TabularServicer(
        artifact, cache=SingleFlightCache(ttl_s=60), shedder=Shedder(1, 1), work_s=0.8
    )
    with serve(servicer) as target:
        client = TabularClient(target)
        with ThreadPoolExecutor(8) as pool:
            holder = pool.submit(client.predict, records[0])
            time.sleep(0.1)
            leader = pool.submit(client.predict, records[1], 0.3)
            time.sleep(0.1)
            followers = [pool.submit(client.predict, records[1], 5.0) for _ in range(3)]
            holder.result()
            codes = [f.exception().code() for f in followers if f.exception() is not None]
            assert leader.exception() is not None
    assert codes == [grpc.StatusCode.RESOURCE_EXHAUSTED] * 3
    assert servicer.cache.coalesced >= 3
