"""Two versions of the tabular API and the router in front of them, as real processes.

`train_versions` trains the blue and green artifacts (both logistic regression; green on a
seeded 90 % resample, as a retrain on fresh data would be). `local_fleet` starts blue,
green (with optional injected faults) and the router with `run_uvicorn` on loopback ports,
the two model servers in parallel, and stops everything on exit.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from phase0_env.common.testing import RunningServer, run_uvicorn, stop_process

MODEL_FACTORY = "phase5_mlops.deploy.faults:create_app"
ROUTER_FACTORY = "phase5_mlops.deploy.router:create_router_app"
ROUTER_KEY = "deploy-controller-key"


def train_versions(out_dir: Path, seed: int = 0) -> tuple[Path, Path]:
    """Blue and green artifacts under `out_dir` (2-fold CV: seconds, not minutes)."""
    from phase2_tabular.common.tables import load_table
    from phase2_tabular.tabular_api.train import train

    df, _ = load_table("penguins")
    blue = train(out_dir / "blue", seed=seed, n_splits=2)
    green_rows = df.sample(frac=0.9, random_state=seed + 1)
    green = train(out_dir / "green", seed=seed + 1, n_splits=2, data=green_rows)
    return blue, green


@dataclass
class Fleet:
    """The three running servers; `stop(role)` stops blue or green early (after a drain)."""

    blue: RunningServer
    green: RunningServer
    router: RunningServer

    def stop(self, role: str) -> int:
        return stop_process(getattr(self, role).process)

    def stopped_cleanly(self, role: str) -> bool:
        """The process has exited after uvicorn's graceful shutdown (it re-raises SIGTERM,
        so the exit code is -15 or 0 depending on the version)."""
        server = getattr(self, role)
        return server.process.poll() is not None and "Finished server process" in server.logs()


def model_env(artifact: Path, log_dir: Path, faults: Mapping[str, str] | None = None) -> dict:
    """Environment of one model server: its artifact, a private prediction log, its faults."""
    env = {
        "TABULAR_ARTIFACT_DIR": str(artifact),
        "TABULAR_PREDICTION_LOG": str(log_dir / f"predictions-{artifact.name}.jsonl"),
        "TABULAR_LOG_LEVEL": "WARNING",
        "OMP_NUM_THREADS": "1",
        "UVICORN_ACCESS_LOG": "false",  # uvicorn's CLI reads UVICORN_* options from the env
    }
    env.update({f"DEPLOY_FAULT_{k.upper()}": str(v) for k, v in (faults or {}).items()})
    return env


@contextmanager
def local_fleet(
    blue: Path,
    green: Path,
    log_dir: Path,
    *,
    green_faults: Mapping[str, str] | None = None,
    blue_faults: Mapping[str, str] | None = None,
    green_weight: int = 0,
) -> Iterator[Fleet]:
    """Start blue, green and the router; yield them; stop all on exit (also on error)."""
    log_dir.mkdir(parents=True, exist_ok=True)
    with ExitStack() as stack:
        managers = [
            run_uvicorn(
                MODEL_FACTORY, env=model_env(blue, log_dir, blue_faults), log_dir=str(log_dir)
            ),
            run_uvicorn(
                MODEL_FACTORY, env=model_env(green, log_dir, green_faults), log_dir=str(log_dir)
            ),
        ]
        with ThreadPoolExecutor(2) as pool:  # the two model servers start in parallel
            futures = [pool.submit(m.__enter__) for m in managers]
        for manager, future in zip(managers, futures, strict=True):
            if future.exception() is None:
                stack.push(manager)  # registers its __exit__
        blue_server, green_server = (f.result() for f in futures)  # raises a start failure
        router_env = {
            "DEPLOY_ROUTER_BLUE_URL": blue_server.url,
            "DEPLOY_ROUTER_GREEN_URL": green_server.url,
            "DEPLOY_ROUTER_GREEN_WEIGHT": str(green_weight),
            "DEPLOY_ROUTER_API_KEYS": f'["{ROUTER_KEY}"]',
            "DEPLOY_ROUTER_LOG_LEVEL": "WARNING",
            "UVICORN_ACCESS_LOG": "false",
        }
        router = stack.enter_context(
            run_uvicorn(ROUTER_FACTORY, env=router_env, log_dir=str(log_dir))
        )
        for server in (blue_server, green_server):
            warm_up(server.url)
        yield Fleet(blue_server, green_server, router)


def warm_up(url: str, requests: int = 5) -> None:
    """A few predictions straight to a fresh server: its first calls pay one-off costs
    (lazy imports, first-use caches) that would otherwise land in the canary's p99."""
    import httpx

    from phase5_mlops.deploy.loadgen import penguin_records

    records = penguin_records()[:8]
    with httpx.Client(timeout=30.0) as client:
        for _ in range(requests):
            client.post(url + "/predict/batch", json={"records": records}).raise_for_status()
