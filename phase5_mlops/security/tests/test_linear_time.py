"""PII patterns run in linear time, and `/redact` on 1 MB of hostile text finishes (issue 18).

Both run in a child process under a CPU-time limit (`RLIMIT_CPU`); nothing asserts wall time.
"""

import pytest

from phase4_llm.common.linear_time import run_cpu_limited

SPECS = [
    f"phase5_mlops.security.pii:{name}"
    for name in ("EMAIL", "CARD", "IBAN", "IPV4", "IPV6", "PHONE")
]
SCAN = "from phase4_llm.common.linear_time import scan_all; scan_all({specs!r}, {sizes!r})"
REDACT_1MB = """
from fastapi.testclient import TestClient
from phase5_mlops.security.apikeys import KeyStore, issue_key
from phase5_mlops.security.app import SecuritySettings, create_app
key, record = issue_key(("read",))
settings = SecuritySettings(
    keys_json=KeyStore([record]).to_json(), max_text_chars=1_100_000, max_body_bytes=4_000_000
)
client = TestClient(create_app(settings))
for unit in {units!r}:
    text = (unit * (1_000_000 // len(unit) + 1))[:1_000_000]
    r = client.post("/redact", json={{"text": text}}, headers={{"x-api-key": key}})
    assert r.status_code == 200, r.text
    print(unit, r.json()["found"], flush=True)
print("done", flush=True)
"""


def test_pii_patterns_scan_100k_hostile_characters_within_a_cpu_limit():
    run = run_cpu_limited(SCAN.format(specs=SPECS, sizes=[10_000, 100_000]), cpu_seconds=60)
    assert run.finished, f"killed at {run.last} (rc {run.returncode}): {run.stderr}"


@pytest.mark.slow
def test_pii_patterns_scan_1m_hostile_characters_within_a_cpu_limit():
    run = run_cpu_limited(SCAN.format(specs=SPECS, sizes=[1_000_000]), cpu_seconds=240)
    assert run.finished, f"killed at {run.last} (rc {run.returncode}): {run.stderr}"


def test_redact_endpoint_on_one_megabyte_of_one_long_word_finishes():
    # "a.a.a..." was the issue's case: about 1 s per 20 KB before, so 1 MB took ~50 s of CPU.
    run = run_cpu_limited(REDACT_1MB.format(units=["a.", "a"]), cpu_seconds=20)
    assert run.finished, f"killed after {run.last!r} (rc {run.returncode}): {run.stderr}"


def test_text_over_the_configured_limit_is_413():
    from fastapi.testclient import TestClient

    from phase5_mlops.security.apikeys import KeyStore, issue_key
    from phase5_mlops.security.app import SecuritySettings, create_app

    key, record = issue_key(("read",))
    client = TestClient(create_app(SecuritySettings(keys_json=KeyStore([record]).to_json())))
    r = client.post("/redact", json={"text": "x" * 20_001}, headers={"x-api-key": key})
    assert r.status_code == 413 and r.headers["content-type"].startswith("application/problem")
