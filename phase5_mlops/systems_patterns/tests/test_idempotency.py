"""Idempotency keys: a retried write applies once; a reused key with another body is refused."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from phase5_mlops.systems_patterns.idempotency import IdempotencyStore, KeyReused


class Ledger:
    def __init__(self):
        self.rows = []

    def append(self, row, delay=0.0):
        def write():
            time.sleep(delay)
            self.rows.append(row)
            return {"id": len(self.rows)}

        return write


def test_retry_returns_first_response_without_applying():
    store, ledger = IdempotencyStore(), Ledger()
    first = store.run("k1", {"x": 1}, ledger.append({"x": 1}))
    again = store.run("k1", {"x": 1}, ledger.append({"x": 1}))
    assert first == again == {"id": 1}
    assert ledger.rows == [{"x": 1}] and (store.applied, store.replayed) == (1, 1)


def test_concurrent_duplicates_apply_once():
    store, ledger = IdempotencyStore(), Ledger()
    with ThreadPoolExecutor(8) as pool:
        out = list(
            pool.map(lambda _: store.run("k", {"x": 1}, ledger.append({"x": 1}, 0.05)), range(8))
        )
    assert out == [{"id": 1}] * 8 and len(ledger.rows) == 1


def test_same_key_other_body_is_refused():
    store, ledger = IdempotencyStore(), Ledger()
    store.run("k", {"x": 1}, ledger.append({"x": 1}))
    with pytest.raises(KeyReused):
        store.run("k", {"x": 2}, ledger.append({"x": 2}))
    assert len(ledger.rows) == 1


def test_failed_write_can_be_retried_with_its_key():
    store, ledger = IdempotencyStore(), Ledger()

    def fail():
        raise OSError("disk full")

    with pytest.raises(OSError):
        store.run("k", {"x": 1}, fail)
    assert store.run("k", {"x": 1}, ledger.append({"x": 1})) == {"id": 1}


def test_key_expires_after_ttl():
    now = [0.0]
    store, ledger = IdempotencyStore(ttl_s=10, clock=lambda: now[0]), Ledger()
    store.run("k", {"x": 1}, ledger.append({"x": 1}))
    now[0] = 10.0
    store.run("k", {"x": 1}, ledger.append({"x": 1}))
    assert len(ledger.rows) == 2


def test_waiter_of_a_failed_first_attempt_applies_it():
    store, ledger = IdempotencyStore(), Ledger()
    gate = threading.Event()

    def fail_later():
        gate.wait(5)
        raise OSError("lost")

    with ThreadPoolExecutor(2) as pool:
        first = pool.submit(store.run, "k", {"x": 1}, fail_later)
        time.sleep(0.02)
        second = pool.submit(store.run, "k", {"x": 1}, ledger.append({"x": 1}))
        time.sleep(0.02)
        gate.set()
        assert isinstance(first.exception(), OSError)
        assert second.result() == {"id": 1}
    assert len(ledger.rows) == 1
