"""The kit against hostile clients (issue 18): bounded metric labels, rate limits keyed on the
verified principal, visible 500s, documented error responses, no key material in metrics."""

import hashlib
import json
import uuid

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from phase0_env.common.principals import key_fingerprint
from phase0_env.common.service import ServiceSettings
from phase0_env.common.testing import metric_sample
from tests.kit_apps import create_app

MADE_UP = ["FOO", "PROPFIND", "BREW", "X-SCAN", "get", "PURGE", "Q1", "LOCK"]


def _app(**overrides):
    kit_options = {k: overrides.pop(k) for k in ("principal",) if k in overrides}
    return create_app(ServiceSettings(service_name="kit-test", **overrides), **kit_options)


def label_sets(metrics_text: str) -> set[tuple]:
    """Every distinct (sample name, labels) pair of the exposition text."""
    return {
        (s.name, tuple(sorted(s.labels.items())))
        for family in text_string_to_metric_families(metrics_text)
        for s in family.samples
    }


def test_made_up_methods_and_paths_leave_the_label_sets_bounded():
    client = TestClient(_app())
    client.get("/open")
    client.get("/nope")
    client.get("/metrics")  # so that the /metrics route's own label sets exist before
    before = len(label_sets(client.get("/metrics").text))
    for i in range(2000):
        method = MADE_UP[i % len(MADE_UP)] + str(i)  # 2,000 distinct method names
        client.request(method, f"/random/{uuid.uuid4().hex}")
    text = client.get("/metrics").text
    methods = {dict(labels).get("method") for _, labels in label_sets(text)} - {None}
    grown = len(label_sets(text)) - before
    # One new label set ("unmatched", "OTHER", 404): 2 counter samples (total, created) and
    # 17 histogram samples (14 buckets, sum, count, created). Without the fix: 2,000 sets.
    assert grown <= 19, grown
    assert methods == {"GET", "OTHER"}
    counted = metric_sample(
        text, "http_requests_total", {"route": "unmatched", "method": "OTHER", "status": "404"}
    )
    assert counted == 2000


def test_a_fresh_fake_key_per_request_is_limited_like_any_anonymous_caller():
    client = TestClient(_app(api_keys=["good"], rate_limit_per_minute=5))
    codes = [
        client.get("/open", headers={"x-api-key": uuid.uuid4().hex}).status_code for _ in range(20)
    ]
    assert codes.count(200) == 5 and codes.count(429) == 15
    # The anonymous bucket is spent; the holder of a valid key still has its own.
    assert client.get("/open", headers={"x-api-key": "good"}).status_code == 200
    text = client.get("/metrics").text
    assert metric_sample(text, "http_rate_limited_total", {"caller": "anonymous"}) == 15


@pytest.mark.parametrize(
    "headers",
    [
        lambda: {"authorization": "Bearer good", "x-api-key": uuid.uuid4().hex},
        lambda: {"authorization": f"Bearer {uuid.uuid4().hex}", "x-api-key": "good"},
        lambda: {"authorization": "Bearer good"},
    ],
    ids=["valid-bearer+bogus-x-api-key", "bogus-bearer+valid-x-api-key", "bearer-only"],
)
def test_mixing_a_valid_key_with_bogus_headers_never_opens_a_fresh_bucket(headers):
    client = TestClient(_app(api_keys=["good"], rate_limit_per_minute=3))
    codes = [client.get("/open", headers=headers()).status_code for _ in range(6)]
    assert codes == [200, 200, 200, 429, 429, 429]
    # That was the key's bucket, not the anonymous one: anonymous callers are still served.
    assert client.get("/open").status_code == 200


def test_a_service_that_authenticates_its_own_way_names_the_principal():
    users = {"alice-token": "alice", "bob-token": "bob"}

    def principal(request):
        return users.get(request.headers.get("x-session", ""))

    client = TestClient(_app(rate_limit_per_minute=2, principal=principal))
    alice = [
        client.get("/open", headers={"x-session": "alice-token"}).status_code for _ in range(3)
    ]
    assert alice == [200, 200, 429]
    assert client.get("/open", headers={"x-session": "bob-token"}).status_code == 200
    forged = [client.get("/open", headers={"x-session": str(i)}).status_code for i in range(3)]
    assert forged == [200, 200, 429]  # unknown sessions share the anonymous bucket


def test_an_unhandled_error_is_counted_logged_and_answered_with_its_request_id(capsys):
    app = _app()  # logging is set up here, on the captured stderr
    client = TestClient(app)  # raise_server_exceptions stays on: the kit must answer itself
    r = client.get("/boom", headers={"x-request-id": "rid-boom-1"})
    assert r.status_code == 500
    assert r.headers["content-type"] == "application/problem+json"
    assert r.headers["x-request-id"] == "rid-boom-1"
    body = r.json()
    assert body["request_id"] == "rid-boom-1" and "a bug in the handler" not in r.text
    text = client.get("/metrics").text
    assert (
        metric_sample(
            text, "http_requests_total", {"route": "/boom", "method": "GET", "status": "500"}
        )
        == 1
    )
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line]
    access = [x for x in lines if x["logger"].startswith("roadmap.access") and x["path"] == "/boom"]
    assert [(x["status"], x["request_id"]) for x in access] == [(500, "rid-boom-1")]
    errors = [x for x in lines if x["msg"] == "unhandled error"]
    assert errors and errors[0]["request_id"] == "rid-boom-1"
    assert "a bug in the handler" in errors[0]["exc"]


def _problem_media(response: dict) -> dict:
    return response["content"]["application/problem+json"]["schema"]


def test_openapi_documents_the_kit_errors_as_problem_json():
    spec = TestClient(_app(api_keys=["k"], rate_limit_per_minute=10)).get("/openapi.json").json()
    assert "Problem" in spec["components"]["schemas"]
    items = spec["paths"]["/items"]["post"]["responses"]
    for code in ("400", "401", "403", "413", "422", "429", "500"):
        assert _problem_media(items[code]) == {"$ref": "#/components/schemas/Problem"}, code
    assert "text/plain" in items["400"]["content"]  # uvicorn's own plain-text 400s
    opened = spec["paths"]["/open"]["get"]["responses"]
    assert {"400", "429", "500"} <= set(opened) and not {"401", "403", "413"} & set(opened)
    assert "429" not in spec["paths"]["/healthz"]["get"]["responses"]  # ops are never limited
    no_limit = TestClient(_app()).get("/openapi.json").json()
    assert "429" not in no_limit["paths"]["/open"]["get"]["responses"]


def test_key_fingerprints_are_salted_and_no_key_material_reaches_metrics():
    assert key_fingerprint("k", b"salt-1") != key_fingerprint("k", b"salt-2")
    assert key_fingerprint("k", b"salt-1") != hashlib.sha256(b"k").hexdigest()[:12]
    key = "sk-live-0123456789"
    app = _app(api_keys=[key], rate_limit_per_minute=1, key_hash_salt="pepper")
    client = TestClient(app)
    for _ in range(3):
        client.post("/items", json={"name": "a", "qty": 1}, headers={"x-api-key": key})
    text = client.get("/metrics").text
    for leak in (key, hashlib.sha256(key.encode()).hexdigest()[:8], app.state.key_fingerprint(key)):
        assert leak not in text
    assert metric_sample(text, "http_rate_limited_total", {"caller": "key"}) == 2
    assert app.state.key_fingerprint(key) == key_fingerprint(key, b"pepper")


@pytest.mark.service
def test_a_real_server_counts_logs_and_answers_a_crashing_handler(tmp_path):
    import httpx

    from phase0_env.common.testing import run_uvicorn

    env = {"KIT_TEST_LOG_LEVEL": "INFO", "UVICORN_ACCESS_LOG": "false"}
    with run_uvicorn("tests.kit_apps:create_app", env=env, log_dir=str(tmp_path)) as server:
        r = httpx.get(server.url + "/boom", headers={"x-request-id": "rid-live"}, timeout=10)
        text = httpx.get(server.url + "/metrics", timeout=10).text
        logs = server.logs()
    assert r.status_code == 500 and r.json()["request_id"] == "rid-live"
    labels = {"route": "/boom", "method": "GET", "status": "500"}
    assert metric_sample(text, "http_requests_total", labels) == 1
    lines = [json.loads(x) for x in logs.splitlines() if x.startswith("{")]
    access = [x for x in lines if x.get("path") == "/boom"]
    assert [(x["status"], x["request_id"]) for x in access] == [(500, "rid-live")]
