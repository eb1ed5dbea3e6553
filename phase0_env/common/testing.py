"""Run a service as a real uvicorn process on 127.0.0.1 for tests and benchmarks."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

READY_TIMEOUT_ENV = "ROADMAP_READY_TIMEOUT"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class RunningServer:
    """A started server: its base URL and process."""

    url: str
    port: int
    process: subprocess.Popen[bytes]
    log_path: str

    def logs(self) -> str:
        with open(self.log_path, encoding="utf-8", errors="replace") as fh:
            return fh.read()


@contextmanager
def run_uvicorn(
    factory: str,
    *,
    env: Mapping[str, str] | None = None,
    ready_path: str = "/readyz",
    timeout: float = 60.0,
    workers: int = 1,
    log_dir: str | None = None,
    port: int | None = None,
) -> Iterator[RunningServer]:
    """Start `uvicorn --factory factory` on a free loopback port; wait for `ready_path`.

    The process is always stopped on exit (SIGTERM, then SIGKILL after 10 s), also when
    the body raises. On a start-up failure the error carries the server's log. `port`
    restarts a server where a killed one listened (a proxy's upstream coming back).
    $ROADMAP_READY_TIMEOUT raises the readiness wait (a loaded machine, e.g. `roadmap demo`
    running steps side by side); it never shortens `timeout`.
    """
    import httpx

    timeout = max(timeout, float(os.environ.get(READY_TIMEOUT_ENV) or 0))
    port = port or free_port()
    log_path = os.path.join(log_dir or _tmpdir(), f"uvicorn-{port}.log")
    cmd = [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        factory,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--timeout-graceful-shutdown",
        "5",
    ]
    full_env = {**os.environ, **(env or {})}
    with open(log_path, "wb") as log_file:
        proc = subprocess.Popen(cmd, stdout=log_file, stderr=subprocess.STDOUT, env=full_env)
    server = RunningServer(f"http://127.0.0.1:{port}", port, proc, log_path)
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"server exited with {proc.returncode}:\n{server.logs()}")
            try:
                if httpx.get(server.url + ready_path, timeout=2.0).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"server not ready within {timeout} s:\n{server.logs()}")
            time.sleep(0.1)
        yield server
    finally:
        stop_process(proc)


def stop_process(proc: subprocess.Popen[bytes], grace: float = 10.0) -> int:
    """SIGTERM, wait up to `grace` seconds, then SIGKILL; return the exit code."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=grace)
    return int(proc.returncode)


def _tmpdir() -> str:
    import tempfile

    return tempfile.mkdtemp(prefix="roadmap-server-")


def metric_sample(text: str, sample: str, labels: Mapping[str, str] | None = None) -> float:
    """The value of one sample (e.g. a histogram's `..._count`) in Prometheus exposition text."""
    from prometheus_client.parser import text_string_to_metric_families

    want = dict(labels or {})
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            if s.name == sample and all(s.labels.get(k) == v for k, v in want.items()):
                return float(s.value)
    raise KeyError(f"no sample {sample}{want or ''} in the metrics text")
