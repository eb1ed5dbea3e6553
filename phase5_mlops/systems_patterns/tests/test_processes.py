"""The twin and the REST service as real processes on 127.0.0.1 give the same answers."""

import os
import subprocess
import sys

import httpx
import pytest

from phase0_env.common.testing import free_port, run_uvicorn
from phase5_mlops.systems_patterns.client import TabularClient


@pytest.mark.service
def test_grpc_process_equals_rest_process(artifact, records):
    port = free_port()
    cmd = [
        sys.executable,
        "-m",
        "phase5_mlops.systems_patterns.server",
        "--port",
        str(port),
        "--artifact-dir",
        str(artifact),
    ]
    grpc_proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    env = {**os.environ, "TABULAR_ARTIFACT_DIR": str(artifact), "TABULAR_PREDICTION_LOG": ""}
    try:
        assert grpc_proc.stdout.readline().strip() == f"listening on 127.0.0.1:{port}"
        client = TabularClient(f"127.0.0.1:{port}")
        with run_uvicorn("phase2_tabular.tabular_api.app:create_app", env=env) as rest:
            batch = records[:100]
            expected = httpx.post(f"{rest.url}/predict/batch", json={"records": batch}).json()
            assert client.predict_batch(batch) == expected
            assert (
                client.predict(records[5])
                == httpx.post(f"{rest.url}/predict", json=records[5]).json()
            )
        assert client.record_feedback(records[0], "Adelie", key="a") == 1
        assert client.record_feedback(records[0], "Adelie", key="a") == 1  # a retry: no new row
        assert client.record_feedback(records[1], "Adelie", key="b") == 2
        client.close()
        check = [sys.executable, "-m", "phase5_mlops.systems_patterns.server", "--check"]
        assert subprocess.run([*check, "--port", str(port)]).returncode == 0
        assert subprocess.run([*check, "--port", str(free_port())]).returncode == 1
    finally:
        grpc_proc.terminate()
        assert grpc_proc.wait(10) == 0
