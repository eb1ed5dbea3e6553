"""Start a throw-away Prometheus server that scrapes given targets (tests and the demo).

`run_prometheus({"drift_monitor": "127.0.0.1:8001"}, rules=[...], workdir=tmp)` writes a
config with a short scrape and evaluation interval, starts `prometheus` on a free loopback
port with its TSDB in `workdir`, waits until it is ready and stops it afterwards.
`query()` and `alerts()` read its HTTP API.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import httpx
import yaml

from phase0_env.common.testing import free_port, stop_process

RULES = Path(__file__).resolve().parent / "deploy" / "alerts.yml"
T = TypeVar("T")


def prometheus_binary(name: str = "prometheus") -> str:
    """Path of `prometheus` (or `promtool`); FileNotFoundError with the install hint if absent."""
    found = shutil.which(name) or (
        f"/usr/bin/{name}" if Path(f"/usr/bin/{name}").exists() else None
    )
    if found is None:
        raise FileNotFoundError(f"{name} is not installed (apt-get install prometheus)")
    return found


@contextmanager
def run_prometheus(
    targets: Mapping[str, str],
    *,
    workdir: Path,
    rules: Sequence[Path] = (),
    interval: str = "1s",
    timeout: float = 30.0,
) -> Iterator[str]:
    """Yield the base URL of a Prometheus scraping `targets` (job name -> host:port)."""
    workdir.mkdir(parents=True, exist_ok=True)
    config = {
        "global": {"scrape_interval": interval, "evaluation_interval": interval},
        "rule_files": [str(p) for p in rules],
        "scrape_configs": [
            {"job_name": job, "static_configs": [{"targets": [target]}]}
            for job, target in targets.items()
        ],
    }
    config_path = workdir / "prometheus.yml"
    config_path.write_text(yaml.safe_dump(config))
    port = free_port()
    log_path = workdir / "prometheus.log"
    with open(log_path, "wb") as log_file:
        proc = subprocess.Popen(
            [
                prometheus_binary(),
                f"--config.file={config_path}",
                f"--storage.tsdb.path={workdir / 'tsdb'}",
                f"--web.listen-address=127.0.0.1:{port}",
                "--log.level=warn",
            ],
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: _ready(url, proc, log_path), timeout, what="prometheus ready")
        yield url
    finally:
        stop_process(proc)


def query(url: str, promql: str) -> list[dict[str, Any]]:
    """The instant-query result vector of `promql` (each item: `metric` labels and `value`)."""
    body = httpx.get(f"{url}/api/v1/query", params={"query": promql}, timeout=5).json()
    if body.get("status") != "success":
        raise RuntimeError(f"query {promql!r} failed: {body}")
    return body["data"]["result"]


def alerts(url: str) -> list[dict[str, Any]]:
    """Active alerts (pending or firing) with their labels and state."""
    return httpx.get(f"{url}/api/v1/alerts", timeout=5).json()["data"]["alerts"]


def wait_for(probe: Callable[[], T | None], timeout: float, *, what: str, every: float = 0.2) -> T:
    """Call `probe` until it returns something truthy; TimeoutError naming `what` otherwise."""
    deadline = time.monotonic() + timeout
    while True:
        result = probe()
        if result:
            return result
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(every)


def _ready(url: str, proc: subprocess.Popen[bytes], log_path: Path) -> bool:
    if proc.poll() is not None:
        raise RuntimeError(f"prometheus exited with {proc.returncode}:\n{log_path.read_text()}")
    try:
        return httpx.get(f"{url}/-/ready", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False
