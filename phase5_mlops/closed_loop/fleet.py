"""The processes of the loop: the champion, then the challenger and the router beside it.

Deploy's `local_fleet` starts blue and green together; here blue is the champion that has
been serving since the loop began (its prediction log is what the monitor read), so only
green (`models:/NAME@challenger`, with optional faults) and the router are started next to
it, with deploy's factories and environment recipe. Every process gets the loop's store.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from phase0_env.common.testing import RunningServer, run_uvicorn, stop_process
from phase5_mlops.deploy.fleet import MODEL_FACTORY, ROUTER_FACTORY, ROUTER_KEY, model_env, warm_up

# What `--fault` injects into the challenger (deploy's faults.py). The slow fault is above
# the loop's p99 gate (live_stages.POLICY).
FAULTS: dict[str, dict[str, str]] = {
    "none": {},
    "errors": {"error_rate": "0.05"},
    "slow": {"latency_ms": "3000"},
    "shift": {"shift": "true"},
}


def server_env(model_uri: str, tracking_uri: str, log_dir: Path, faults=None) -> dict[str, str]:
    """Deploy's model-server environment for a `models:/` reference, plus the loop's store."""
    return {**model_env(Path(model_uri), log_dir, faults), "MLFLOW_TRACKING_URI": tracking_uri}


def prediction_log(model_uri: str, log_dir: Path) -> Path:
    """Where the server of `model_uri` writes its prediction log (deploy's naming)."""
    return Path(server_env(model_uri, "", log_dir)["TABULAR_PREDICTION_LOG"])


@contextmanager
def serve(model_uri: str, tracking_uri: str, log_dir: Path, faults=None) -> Iterator[RunningServer]:
    """One phase 2 API process on `model_uri` (deploy's fault-injecting factory)."""
    log_dir.mkdir(parents=True, exist_ok=True)
    env = server_env(model_uri, tracking_uri, log_dir, faults)
    with run_uvicorn(MODEL_FACTORY, env=env, log_dir=str(log_dir)) as server:
        yield server


@dataclass
class CanaryFleet:
    """Blue (the running champion), green and the router."""

    blue: RunningServer
    green: RunningServer
    router: RunningServer

    def stop(self, role: str) -> int:
        return stop_process(getattr(self, role).process)


@contextmanager
def canary_fleet(
    blue: RunningServer,
    green_uri: str,
    tracking_uri: str,
    log_dir: Path,
    green_faults: Mapping[str, str] | None = None,
) -> Iterator[CanaryFleet]:
    """Start green and the router in front of the running blue; stop both on exit."""
    with serve(green_uri, tracking_uri, log_dir, green_faults) as green:
        router_env = {
            "DEPLOY_ROUTER_BLUE_URL": blue.url,
            "DEPLOY_ROUTER_GREEN_URL": green.url,
            "DEPLOY_ROUTER_GREEN_WEIGHT": "0",
            "DEPLOY_ROUTER_API_KEYS": f'["{ROUTER_KEY}"]',
            "DEPLOY_ROUTER_LOG_LEVEL": "WARNING",
            "UVICORN_ACCESS_LOG": "false",
        }
        with run_uvicorn(ROUTER_FACTORY, env=router_env, log_dir=str(log_dir)) as router:
            warm_up(green.url)
            yield CanaryFleet(blue, green, router)


def model_card(url: str) -> dict:
    """`GET /model` of a running server (sha256, served_from)."""
    resp = httpx.get(url.rstrip("/") + "/model", timeout=10.0)
    resp.raise_for_status()
    return resp.json()
