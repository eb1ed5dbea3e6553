"""The loop's stages on real processes and a real MLflow store, composed from the milestones.

bootstrap: the retraining pipeline's nightly run on a clean day (contract, drift, quality,
register, promote, serving gates). observe: the champion's API process (`models:/NAME@champion`)
serves the day's drifted requests; the monitoring milestone's `LogMonitor` reads its prediction
log against the champion's training snapshot. retrain: retrain.py. canary: deploy's
`LocalRollout` with blue = the running champion and green = `models:/NAME@challenger`.
promote / roll back: the registry's aliases, then the retraining pipeline's serving gate.
"""

from __future__ import annotations

import threading
from contextlib import ExitStack
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, cast

import httpx
import pandas as pd

from phase0_env.common.testing import RunningServer
from phase5_mlops.closed_loop import fleet as F
from phase5_mlops.closed_loop.decision import CanaryOutcome, DriftEvidence, RetrainOutcome
from phase5_mlops.closed_loop.retrain import retrain_on_window
from phase5_mlops.closed_loop.window import evidence, traffic_records
from phase5_mlops.deploy.controller import LocalRollout, RouterClient, scrape
from phase5_mlops.deploy.loadgen import run_load
from phase5_mlops.deploy.policy import RolloutPolicy
from phase5_mlops.deploy.promtext import success_rate
from phase5_mlops.monitoring.live import LogMonitor, training_reference
from phase5_mlops.registry.model_registry import CHALLENGER, CHAMPION, TabularRegistry
from phase5_mlops.retraining_pipeline import gates, steps
from phase5_mlops.retraining_pipeline.batches import pool_and_holdout
from phase5_mlops.retraining_pipeline.pipeline import RetrainConfig, run_nightly

ACTOR = "closed_loop"
# Deploy's chart policy, except p99: 2.5 s as in deploy's process tests, since a healthy
# model's p99 reaches ~2 s on a shared 2-core machine; the slow fault adds 3 s.
POLICY = RolloutPolicy(min_requests=20, p99_latency_max_s=2.5)


@dataclass
class LoopConfig:
    """Everything one loop run depends on."""

    name: str = "penguins"
    day: int = 1
    drift: float = 1.0
    fault: str = "none"
    window: int = 300
    seed: int = 0
    n_splits: int = 3
    concurrency: int = 2
    tracking_uri: str = ""
    workdir: str = ""


class LiveStages:
    """The loop's stages; a context manager that owns the processes it starts."""

    def __init__(self, config: LoopConfig, policy: RolloutPolicy = POLICY) -> None:
        if config.fault not in F.FAULTS:
            raise ValueError(f"fault must be one of {sorted(F.FAULTS)}, got {config.fault!r}")
        self.config, self.policy = config, policy
        self.work = Path(config.workdir)
        self.registry = TabularRegistry(
            config.name, uri=config.tracking_uri, artifacts=self.work / "mlflow-artifacts"
        )
        self.logs = self.work / "logs"
        _use_store(config.tracking_uri)
        self._stack = ExitStack()
        self._champion: RunningServer | None = None
        self._traffic: list[dict[str, Any]] = []
        self._retrain: dict[str, Any] = {}
        self._window: pd.DataFrame | None = None  # the rows the monitor judged

    def __enter__(self) -> LiveStages:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()

    # -- registry ------------------------------------------------------------------
    def champion(self) -> str | None:
        return steps.champion_version(self.registry)

    def history(self) -> list[dict[str, Any]]:
        try:
            return [asdict(e) for e in self.registry.history()]
        except Exception:  # no registered model yet
            return []

    def bootstrap(self) -> dict[str, Any]:
        c = self.config
        report = run_nightly(
            RetrainConfig(
                name=c.name,
                day=0,
                seed=c.seed,
                n_splits=c.n_splits,
                tracking_uri=c.tracking_uri,
                artifact_root=str(self.registry.artifacts),
                runs_dir=str(self.work / "bootstrap"),
            )
        )
        version = report.champion_after if report.outcome == "promoted" else None
        gates_passed = [f"{g['name']}: {g['message']}" for g in report.gates]
        return {
            "version": version,
            "summary": f"nightly run on a clean day: {report.outcome}, champion v{version}",
            "gates": gates_passed,
            "run_id": report.run_id,
        }

    # -- observe ---------------------------------------------------------------------
    def observe(self) -> DriftEvidence:
        c = self.config
        uri = self.registry.model_uri(CHAMPION)
        self._champion = self._stack.enter_context(F.serve(uri, c.tracking_uri, self.logs))
        self._traffic = traffic_records(c.day, c.drift, c.window, c.seed)
        with httpx.Client(timeout=30.0) as client:
            for start in range(0, len(self._traffic), 50):
                body = {"records": self._traffic[start : start + 50]}
                client.post(self._champion.url + "/predict/batch", json=body).raise_for_status()
        with steps.store_env(c.tracking_uri):
            reference = training_reference(uri)
        monitor = LogMonitor(F.prediction_log(uri, self.logs), reference, window=c.window)
        verdict = monitor.check()
        if verdict is None:
            raise RuntimeError("the champion's prediction log holds too few rows to judge")
        self._window = verdict.current
        return evidence(verdict, served_from=F.model_card(self._champion.url).get("served_from"))

    # -- retrain ---------------------------------------------------------------------
    def retrain(self, evidence: DriftEvidence) -> RetrainOutcome:
        assert self._window is not None, "observe() reads the window"
        outcome, self._retrain = retrain_on_window(
            self.registry, self._window, self.config, self.work / "retrain", ACTOR
        )
        return outcome

    # -- canary ----------------------------------------------------------------------
    def canary(self, version: str) -> CanaryOutcome:
        c, champion = self.config, self._champion
        assert champion is not None, "observe() starts the champion"
        green_uri = self.registry.model_uri(CHALLENGER)
        with F.canary_fleet(
            champion, green_uri, c.tracking_uri, self.logs, F.FAULTS[c.fault]
        ) as fleet:
            green_card = F.model_card(fleet.green.url)
            router = RouterClient(fleet.router.url, F.ROUTER_KEY)
            stop, out = threading.Event(), cast(dict[str, Any], {})
            load = threading.Thread(
                target=lambda: out.update(
                    r=run_load(
                        fleet.router.url,
                        self._traffic,
                        requests=20_000,
                        concurrency=c.concurrency,
                        seed=c.seed,
                        stop=stop,
                    )
                )
            )
            load.start()
            try:
                result = LocalRollout(
                    router,
                    champion.url,
                    fleet.green.url,
                    policy=self.policy,
                    stop_blue=lambda: fleet.stop("blue"),
                    stop_green=lambda: fleet.stop("green"),
                ).canary()
                # who answers through the router now: blue after a rollback, green after 100 %
                body = {"records": self._traffic[:8]}
                after = httpx.post(fleet.router.url + "/predict/batch", json=body, timeout=30)
                served_after = {
                    "status": after.status_code,
                    "upstream": after.headers.get("x-upstream"),
                }
            finally:
                stop.set()
                load.join()
            blue_rate, blue_requests = success_rate(
                scrape(fleet.router.url),
                "router_upstream_requests_total",
                where=lambda labels: labels.get("upstream") == "blue",
            )
            router.close()
        loaded = out["r"]
        detail = {
            "policy": asdict(self.policy),
            "fault": c.fault,
            "green_served_from": green_card.get("served_from"),
            "green_sha256": green_card.get("model_sha256"),
            "load": {
                "sent": loaded.total,
                "failed": loaded.failed,
                "by_upstream": dict(loaded.upstreams),
            },
            "champion_via_router": {"requests": blue_requests, "success_rate": blue_rate},
            "router_after_canary": served_after,
        }
        steps_ = [s.to_dict() for s in result.timeline]
        return CanaryOutcome(result.outcome, steps_, list(result.events), detail)

    # -- decide ----------------------------------------------------------------------
    def promote(self, version: str, reason: str) -> dict[str, Any]:
        self.registry.promote(version, reason=reason, actor=ACTOR)
        _, holdout, spec = pool_and_holdout(self.config.seed)
        serving = gates.serving_gate(
            self.registry.uri,
            self.registry.model_uri(CHAMPION),
            self._retrain["challenger_sha256"],
            self._retrain["challenger_labels"],
            holdout,
            spec,
            gates.Thresholds(),
        )
        return {
            "passed": serving.passed,
            "summary": f"champion -> v{version}; serving check: {serving.message}",
            "aliases": self.registry.aliases(),
            "serving_gate": serving.to_dict(),
            "served_sha256": self._retrain["challenger_sha256"] if serving.passed else None,
        }

    def roll_back(self, version: str, reason: str) -> dict[str, Any]:
        self.registry.set_alias(CHALLENGER, None, reason=reason, actor=ACTOR)
        self.registry.client.set_model_version_tag(
            self.registry.name, version, "rolled_back", reason[:200]
        )
        aliases = self.registry.aliases()
        return {
            "summary": f"challenger alias removed from v{version}; champion stays "
            f"v{aliases.get(CHAMPION)}",
            "aliases": aliases,
        }


def _use_store(uri: str) -> None:
    """Point MLflow's process-wide URIs at the loop's store. Phase 2's `registered_folder`
    builds its client with the tracking URI only, so its registry URI falls back to the
    global one, which an earlier `register` (MLflow's fluent API) may have set to another
    store of this process."""
    import mlflow

    mlflow.set_tracking_uri(uri)
    mlflow.set_registry_uri(uri)
