"""The nightly run as a Prefect 3 flow: each step a task (I/O steps retried), same code as
the plain runner. Run offline: with `PREFECT_API_URL` unset Prefect starts a temporary local
server for the run (seconds); the plain runner needs none."""

from __future__ import annotations

from typing import Any

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from phase5_mlops.retraining_pipeline.pipeline import RetrainConfig, run_nightly

# Steps that touch the store or the disk may hit a transient error; gates and training are
# deterministic, so retrying them would only repeat the same verdict.
RETRIES = {"ingest": 2, "register": 2, "promote": 2, "rollback": 3, "champion_version": 2}


def prefect_call(name: str, fn: Any, *args: Any, **kwargs: Any) -> Any:
    """Run one step as a Prefect task (no result caching: every night is new data)."""
    step = task(
        fn,
        name=name,
        retries=RETRIES.get(name, 0),
        retry_delay_seconds=1,
        cache_policy=NO_CACHE,
        persist_result=False,
    )
    return step(*args, **kwargs)


@flow(name="nightly-retraining", log_prints=True)
def nightly_retraining(config: dict[str, Any]) -> dict[str, Any]:
    """The Prefect flow: one nightly run; returns the run report as a dict."""
    return run_nightly(RetrainConfig(**config), call=prefect_call).to_dict()
