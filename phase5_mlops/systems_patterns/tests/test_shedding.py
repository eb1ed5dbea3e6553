"""Bounded queue: past in-flight + queue the request is shed at once, with retry-after."""

import threading
from concurrent.futures import ThreadPoolExecutor

import grpc
import pytest

from phase5_mlops.systems_patterns.client import TabularClient
from phase5_mlops.systems_patterns.grpc_twin import TabularServicer, serve
from phase5_mlops.systems_patterns.shedding import Overloaded, Shedder


def hold(shedder, started, release):
    with shedder.admit():
        started.release()
        release.wait(5)


def test_full_queue_sheds_immediately_and_frees_after():
    shedder = Shedder(max_inflight=1, max_queue=1, retry_after_s=0.2)
    started, release = threading.Semaphore(0), threading.Event()
    with ThreadPoolExecutor(2) as pool:
        first = pool.submit(hold, shedder, started, release)
        started.acquire()
        queued = pool.submit(hold, shedder, started, release)  # waits in the queue
        while shedder.waiting == 0:
            pass
        with pytest.raises(Overloaded) as err, shedder.admit():
            pass
        assert err.value.retry_after_s == 0.2
        release.set()
        first.result(), queued.result()
    assert (shedder.admitted, shedder.shed, shedder.inflight) == (2, 1, 0)
    with shedder.admit():  # capacity is back
        assert shedder.inflight == 1


def test_waiting_longer_than_the_timeout_is_shed():
    shedder = Shedder(max_inflight=1, max_queue=5)
    started, release = threading.Semaphore(0), threading.Event()
    t = threading.Thread(target=hold, args=(shedder, started, release))
    t.start()
    started.acquire()
    with pytest.raises(Overloaded, match="deadline"), shedder.admit(timeout_s=0.01):
        pass
    release.set()
    t.join()
    assert shedder.waiting == 0


def test_bad_bounds_are_refused():
    with pytest.raises(ValueError):
        Shedder(0, 1)


def test_grpc_overload_is_resource_exhausted_with_retry_after(artifact, records):
    servicer = TabularServicer(artifact, shedder=Shedder(1, 0, retry_after_s=0.25), work_s=0.3)
    with serve(servicer) as target:
        client = TabularClient(target)
        with ThreadPoolExecutor(4) as pool:
            futures = [pool.submit(client.predict, records[0]) for _ in range(4)]
            errors = [f.exception() for f in futures]
    shed = [e for e in errors if e is not None]
    assert len(shed) >= 1 and len(shed) < 4
    for e in shed:
        assert e.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
        assert dict(e.trailing_metadata())["retry-after-ms"] == "250"


def test_client_retries_ride_out_shedding(artifact, records):
    # 6 callers at a 1-slot, no-queue server: without retries most are shed; with retries
    # (retry-after honoured, full jitter) every call eventually succeeds.
    from phase5_mlops.systems_patterns.resilience import RetryPolicy

    servicer = TabularServicer(artifact, shedder=Shedder(1, 0, retry_after_s=0.02), work_s=0.02)
    with serve(servicer) as target:
        plain = TabularClient(target)
        patient = TabularClient(target, retry=RetryPolicy(attempts=50, base_s=0.01, budget_s=30))
        with ThreadPoolExecutor(6) as pool:
            bare = [pool.submit(plain.predict, records[0]) for _ in range(6)]
            assert any(f.exception() is not None for f in bare)
            retried = [pool.submit(patient.predict, records[0]) for _ in range(6)]
            answers = [f.result() for f in retried]
    assert all(a == answers[0] for a in answers)
    assert servicer.shedder.shed > 0


def test_client_breaker_opens_on_an_unavailable_server(records):
    from phase5_mlops.systems_patterns.client import is_transient
    from phase5_mlops.systems_patterns.resilience import BreakerOpen, CircuitBreaker

    with serve(TabularServicer(None)) as target:  # no model: UNAVAILABLE
        breaker = CircuitBreaker(failures=2, reset_after_s=60, counts=is_transient)
        client = TabularClient(target, breaker=breaker)
        for _ in range(2):
            with pytest.raises(grpc.RpcError):
                client.predict(records[0])
        with pytest.raises(BreakerOpen):
            client.predict(records[0])


def test_invalid_argument_is_not_retried(artifact, records):
    from phase5_mlops.systems_patterns.resilience import RetryPolicy

    servicer = TabularServicer(artifact)
    with serve(servicer) as target:
        client = TabularClient(target, retry=RetryPolicy(attempts=5))
        with pytest.raises(grpc.RpcError) as err:
            client.predict({**records[0], "island": "Atlantis"})
    assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT
