"""The local controller on real processes: blue, green and the router on loopback ports.

Each test runs a bounded load (a few hundred small batches) through the router while the
controller works, then checks what the clients saw. The tests' policy keeps the chart's
success-rate and PSI gates and scales the latency gate to 2.5 s (with a 3 s injected
delay): on a shared 2-core runner a healthy model's p99 reaches ~2 s under foreign load,
and a gate that trips on that would make the test flaky, not stricter.
"""

import threading
import time

import pytest

from phase5_mlops.deploy.controller import LocalRollout, RouterClient
from phase5_mlops.deploy.fleet import ROUTER_KEY, local_fleet
from phase5_mlops.deploy.loadgen import run_load
from phase5_mlops.deploy.policy import CANARY_STEPS, RolloutPolicy

pytestmark = pytest.mark.service
TEST_POLICY = RolloutPolicy(min_requests=20, p99_latency_max_s=2.5)
MAX_REQUESTS = 5000  # the load's hard bound; the controller ends it long before


def _rollout(versions, tmp_path, records, *, green=None, blue=None, concurrency=3, act, after=30):
    """Run `act(controller)` under load, then `after` more requests; return what happened."""
    with local_fleet(*versions, tmp_path / "logs", green_faults=green, blue_faults=blue) as fleet:
        router = RouterClient(fleet.router.url, ROUTER_KEY)
        stop, out = threading.Event(), {}
        load = threading.Thread(
            target=lambda: out.update(
                load=run_load(
                    fleet.router.url,
                    records,
                    requests=MAX_REQUESTS,
                    concurrency=concurrency,
                    stop=stop,
                )
            )
        )
        load.start()
        try:
            controller = LocalRollout(
                router,
                fleet.blue.url,
                fleet.green.url,
                policy=TEST_POLICY,
                stop_blue=lambda: fleet.stop("blue"),
                stop_green=lambda: fleet.stop("green"),
            )
            result = act(controller)
            for step in getattr(result, "timeline", ()):
                print(step)  # shown when a test fails: the timeline it was judged on
            served = sum(router.state()["served"].values())
            deadline = time.monotonic() + 60
            while sum(router.state()["served"].values()) < served + after:
                assert time.monotonic() < deadline, "traffic stopped after the rollout"
                time.sleep(0.05)
        finally:
            stop.set()
            load.join()
        codes = {
            role: "stopped" if fleet.stopped_cleanly(role) else fleet_state(fleet, role)
            for role in ("blue", "green")
        }
        return result, out["load"], codes, router.state()


def fleet_state(fleet, role):
    return "running" if getattr(fleet, role).process.poll() is None else "crashed"


def test_a_good_green_is_promoted_step_by_step_without_a_failed_request(
    versions, tmp_path, records
):
    # Two clients: at 100 % green takes all of them, and less self-inflicted queueing keeps
    # a healthy p99 well inside the gate on a loaded runner.
    result, load, codes, state = _rollout(
        versions, tmp_path, records, concurrency=2, act=lambda c: c.canary()
    )
    assert result.outcome == "promoted", result.timeline
    assert [s.weight for s in result.timeline] == list(CANARY_STEPS)
    assert all(s.verdict == "pass" and s.canary_requests >= 20 for s in result.timeline)
    assert load.failed == 0 and load.statuses == {200: load.total}
    assert codes == {
        "blue": "stopped",
        "green": "running",
    }  # blue drained, stopped cleanly; green serves
    assert state["weights"] == {"blue": 0, "green": 100} and state["inflight"]["blue"] == 0


@pytest.mark.parametrize(
    ("faults", "reason", "concurrency"),
    [
        # Every 20th prediction fails; the 5 warm-up calls plus >= 20 canary requests reach it.
        ({"error_rate": "0.05"}, "success rate", 3),
        ({"latency_ms": "3000"}, "p99", 8),  # more clients, so slow answers still add up
        ({"shift": "true"}, "prediction PSI", 3),
    ],
    ids=["5pct-errors", "slow", "shifted-predictions"],
)
def test_a_bad_green_is_rolled_back_before_5pct_of_requests_fail(
    versions, tmp_path, records, faults, reason, concurrency
):
    result, load, codes, state = _rollout(
        versions,
        tmp_path,
        records,
        green=faults,
        concurrency=concurrency,
        act=lambda c: c.canary(),
    )
    assert result.outcome == "rolled_back"
    failed = result.failed_step
    assert failed is not None and failed.verdict == "fail"
    assert any(r.startswith(reason) for r in failed.reasons), failed.reasons
    assert load.failed / load.total < 0.05, (load.failed, load.total)
    if "error_rate" in faults:
        assert load.failed > 0  # the fault was real, and clients saw it
    else:
        assert load.failed == 0
    assert codes == {"blue": "running", "green": "stopped"}
    assert state["weights"] == {"blue": 100, "green": 0} and state["inflight"]["green"] == 0


def test_a_blue_green_switch_under_load_loses_no_in_flight_request(versions, tmp_path, records):
    def switch_mid_load(controller):
        router = controller.router
        while router.state()["served"]["blue"] < 60:
            time.sleep(0.05)
        in_flight = router.state()["inflight"]["blue"]
        return controller.switch(), in_flight

    # A slow blue (0.3 s a request) makes sure requests are in flight when the switch lands.
    (result, in_flight), load, codes, state = _rollout(
        versions,
        tmp_path,
        records,
        blue={"latency_ms": "300"},
        concurrency=6,
        act=switch_mid_load,
        after=60,
    )
    assert in_flight > 0, "no request was in flight at the switch; the test proved nothing"
    assert result.outcome == "promoted" and "blue drained" in result.events[-1]
    assert load.failed == 0 and load.statuses == {200: load.total}
    assert load.upstreams["blue"] >= 60 and load.upstreams["green"] >= 60
    assert codes == {"blue": "stopped", "green": "running"}
    assert state["weights"]["green"] == 100
