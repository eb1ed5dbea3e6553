"""Demo: canary rollouts of the tabular API on this machine, with the timeline of each.

Trains two versions, starts blue, green and the router as real processes, sends a bounded
load through the router, and lets the controller walk 10 -> 25 -> 50 -> 100 %: once with a
healthy green (promoted) and once each with an injected fault (rolled back). The policy is
the chart's (success >= 99 %, p99 <= 0.5 s, PSI <= 0.25); on a busy machine a healthy
model can miss the latency gate, and the timeline then says so.
"""

from __future__ import annotations

import math
import tempfile
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from phase0_env.common.loadresult import LoadResult
from phase5_mlops.deploy.analysis import StepAnalysis
from phase5_mlops.deploy.controller import LocalRollout, RolloutResult, RouterClient
from phase5_mlops.deploy.fleet import ROUTER_KEY, local_fleet, train_versions
from phase5_mlops.deploy.loadgen import penguin_records, run_load
from phase5_mlops.deploy.policy import RolloutPolicy

SCENARIOS: dict[str, dict[str, str]] = {
    "healthy green": {},
    "green answering 5 % errors": {"error_rate": "0.05"},
    "green with shifted predictions": {"shift": "true"},
    "green 0.8 s slower": {"latency_ms": "800"},
}
HEADER = (
    f"{'step':>4} {'weight':>6} {'canary req':>10} {'success r/s':>13} "
    f"{'p99 svc (s)':>11} {'p99 rtr (s)':>11} {'PSI':>7}  decision"
)


def main(quick: bool = False) -> None:
    """Run the scenarios and print their timelines.

    Quick (`make demo`): only the green with shifted predictions, rolled back by the PSI gate;
    each scenario starts three server processes, the larger part of the demo's cost."""
    names = ["green with shifted predictions"] if quick else list(SCENARIOS)
    policy = RolloutPolicy(min_requests=20 if quick else 30)
    records = penguin_records()
    with tempfile.TemporaryDirectory(prefix="deploy-demo-") as tmp:
        versions = train_versions(Path(tmp) / "models")
        for name in names:
            print(
                f"\n== {name} (policy: {policy.steps} %, success >= {policy.success_rate_min}, "
                f"p99 <= {policy.p99_latency_max_s} s, PSI <= {policy.psi_max})"
            )
            print(HEADER)
            result, load = rollout(
                versions, Path(tmp) / name.replace(" ", "_"), records, SCENARIOS[name], policy
            )
            for event in result.events:
                print(f"     - {event}")
            print(
                f"   outcome: {result.outcome.upper()}; clients sent {load.total} requests, "
                f"{load.failed} failed ({100 * load.failed / max(1, load.total):.2f} %), "
                f"by version {dict(load.upstreams)}"
            )


def rollout(
    versions: tuple[Path, Path],
    folder: Path,
    records: list[dict[str, Any]],
    faults: Mapping[str, str],
    policy: RolloutPolicy,
) -> tuple[RolloutResult, LoadResult]:
    """One canary of green (with `faults`) under load; the timeline prints as it goes."""
    blue, green = versions
    with local_fleet(blue, green, folder, green_faults=faults) as fleet:
        stop = threading.Event()
        out: dict[str, LoadResult] = {}
        load = threading.Thread(
            target=lambda: out.update(
                r=run_load(fleet.router.url, records, requests=20_000, concurrency=4, stop=stop)
            )
        )
        load.start()
        try:
            controller = LocalRollout(
                RouterClient(fleet.router.url, ROUTER_KEY),
                fleet.blue.url,
                fleet.green.url,
                stop_blue=lambda: fleet.stop("blue"),
                stop_green=lambda: fleet.stop("green"),
                policy=policy,
                on_step=print_step,
            )
            result = controller.canary()
        finally:
            stop.set()
            load.join()
    return result, out["r"]


def print_step(s: StepAnalysis) -> None:
    """One timeline row: the step's numbers and verdict."""
    success = f"{_pct(s.router_success_rate)}/{_pct(s.service_success_rate)}"
    decision = s.verdict if not s.reasons else f"{s.verdict}: {'; '.join(s.reasons)}"
    print(
        f"{s.step:>4} {s.weight:>5}% {s.canary_requests:>10} {success:>13} "
        f"{s.service_p99_s:>11.3f} {s.router_p99_s:>11.3f} {s.psi:>7.3f}  {decision}"
    )


def _pct(x: float) -> str:
    return "nan" if math.isnan(x) else f"{100 * x:.1f}%"


if __name__ == "__main__":
    main()
