"""The local rollout controller: Argo Rollouts' canary loop, run against real processes.

`LocalRollout.canary()` walks the policy's weights (10 -> 25 -> 50 -> 100 %): set the
router's weight, hold it until the canary has served `min_requests` (the local `pause`),
scrape the router and both versions, judge the step (`analyse_step`), and either go on or
abort. Abort = weight back to 0, wait until the canary has no request in flight, stop it.
Success = after the 100 % step passes, drain and stop the old version. `switch()` is the
blue-green flip: all traffic at once, then the same drain. No request is dropped by a
switch: weights apply to new requests, and a version is stopped only once it is idle.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from phase5_mlops.deploy.analysis import StepAnalysis, analyse_step
from phase5_mlops.deploy.policy import RolloutPolicy
from phase5_mlops.deploy.promtext import Snapshot, class_counts

POLL_S = 0.05


class RouterClient:
    """The controller's handle on the router service: weights, state and metrics."""

    def __init__(self, url: str, api_key: str, timeout: float = 10.0) -> None:
        self.url = url.rstrip("/")
        self._http = httpx.Client(timeout=timeout, headers={"x-api-key": api_key})

    def set_green(self, percent: int) -> dict[str, Any]:
        resp = self._http.put(self.url + "/router/weights", json={"green": percent})
        resp.raise_for_status()
        return resp.json()

    def state(self) -> dict[str, Any]:
        resp = self._http.get(self.url + "/router/state")
        resp.raise_for_status()
        return resp.json()

    def close(self) -> None:
        self._http.close()


def scrape(url: str) -> Snapshot:
    """One scrape of a service's `/metrics`."""
    resp = httpx.get(url.rstrip("/") + "/metrics", timeout=10.0)
    resp.raise_for_status()
    return Snapshot.parse(resp.text)


@dataclass
class RolloutResult:
    """The outcome ("promoted" or "rolled_back") and the timeline of judged steps."""

    outcome: str
    timeline: list[StepAnalysis] = field(default_factory=list)
    events: list[str] = field(default_factory=list)

    @property
    def failed_step(self) -> StepAnalysis | None:
        return next((s for s in self.timeline if s.verdict != "pass"), None)


class LocalRollout:
    """Canary and blue-green delivery of `green` next to `blue` through the router."""

    def __init__(
        self,
        router: RouterClient,
        blue_url: str,
        green_url: str,
        *,
        stop_blue: Callable[[], Any],
        stop_green: Callable[[], Any],
        policy: RolloutPolicy | None = None,
        on_step: Callable[[StepAnalysis], None] | None = None,
    ) -> None:
        self.router = router
        self.urls = {"blue": blue_url, "green": green_url}
        self.stops = {"blue": stop_blue, "green": stop_green}
        self.policy = policy or RolloutPolicy()
        self.on_step = on_step or (lambda _: None)

    def canary(self) -> RolloutResult:
        """Shift traffic step by step; promote green or roll back at the first failed step."""
        result = RolloutResult("promoted")
        blue_start = scrape(self.urls["blue"])
        for step, weight in enumerate(self.policy.steps, start=1):
            self.router.set_green(weight)
            result.events.append(f"step {step}: green weight {weight} %")
            router_before, green_before = self._scrape_router(), scrape(self.urls["green"])
            self._hold(self.router.state()["served"]["green"] + self.policy.min_requests)
            router_delta = self._scrape_router() - router_before
            green_delta = scrape(self.urls["green"]) - green_before
            stable_classes = class_counts(scrape(self.urls["blue"]) - blue_start)
            analysis = analyse_step(
                step, weight, self.policy, router_delta, green_delta, stable_classes
            )
            result.timeline.append(analysis)
            self.on_step(analysis)
            if analysis.verdict != "pass":
                result.outcome = "rolled_back"
                result.events.append(f"abort: {'; '.join(analysis.reasons)}")
                self._retire("green", to_green=0, result=result)
                return result
        self._retire("blue", to_green=100, result=result)
        return result

    def switch(self) -> RolloutResult:
        """Blue-green: send all traffic to green at once, drain blue, stop it."""
        result = RolloutResult("promoted", events=["switch: green weight 100 %"])
        self._retire("blue", to_green=100, result=result)
        return result

    def drain(self, role: str) -> float:
        """Wait until `role` has no request in flight; the seconds it took."""
        start = time.monotonic()
        deadline = start + self.policy.drain_timeout_s
        while self.router.state()["inflight"][role] > 0:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{role} still has requests in flight after drain timeout")
            time.sleep(POLL_S)
        return time.monotonic() - start

    def _retire(self, role: str, *, to_green: int, result: RolloutResult) -> None:
        self.router.set_green(to_green)
        waited = self.drain(role)
        self.stops[role]()
        result.events.append(f"{role} drained in {waited * 1e3:.0f} ms and stopped")

    def _hold(self, target_served: int) -> None:
        """The local `pause`: until green has served `target_served` requests, or timeout."""
        deadline = time.monotonic() + self.policy.step_timeout_s
        while self.router.state()["served"]["green"] < target_served:
            if time.monotonic() > deadline:
                return  # the step's analysis calls it inconclusive
            time.sleep(POLL_S)

    def _scrape_router(self) -> Snapshot:
        return scrape(self.router.url)
