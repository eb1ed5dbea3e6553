"""The bounded load tests and fault simulations behind the README's table show what they claim."""

from phase5_mlops.systems_patterns.fault_sims import breaker_sim, idempotency_sim, retry_sim
from phase5_mlops.systems_patterns.loadtest import shedding_load, single_flight_load


def test_shedding_fails_fast_where_an_unbounded_queue_times_out(artifact):
    # 32 callers at a 2-slot, 50 ms model: an unbounded queue is ~800 ms deep, past the
    # 500 ms deadline; a queue of 4 is at most ~150 ms deep, and the rest is refused at once.
    off = shedding_load(artifact, shed=False, clients=32, seconds=1.0, work_s=0.05)
    on = shedding_load(artifact, shed=True, clients=32, seconds=1.0, work_s=0.05)
    assert off.get("errors_DEADLINE_EXCEEDED", 0) > 0
    assert on.get("errors_RESOURCE_EXHAUSTED", 0) > 0
    assert on.get("errors_DEADLINE_EXCEEDED", 0) < off["errors_DEADLINE_EXCEEDED"]


def test_single_flight_collapses_each_burst_to_one_model_call(artifact):
    assert (
        single_flight_load(artifact, "single_flight", bursts=3, concurrency=8)["model_calls"] == 3
    )
    assert single_flight_load(artifact, "none", bursts=3, concurrency=8)["model_calls"] == 24


def test_retry_sim_is_seeded_and_retries_lift_success():
    assert retry_sim(True) == retry_sim(True)
    off, on = retry_sim(False), retry_sim(True)
    assert off["attempts_per_call"] == 1.0
    assert on["success_rate"] > 0.99 > off["success_rate"]


def test_breaker_sim_spares_the_dead_dependency_and_recovers():
    off, on = breaker_sim(False), breaker_sim(True)
    assert off["dependency_calls_in_outage"] == 400  # 4 s at one request per 10 ms
    assert on["dependency_calls_in_outage"] <= 5 + 4 / 0.5  # 5 to open, then one probe per 0.5 s
    assert on["recovered_after_s"] <= 0.5


def test_idempotency_sim_without_keys_duplicates_writes():
    assert idempotency_sim(False)["duplicates"] > 0
    assert idempotency_sim(True)["duplicates"] == 0
