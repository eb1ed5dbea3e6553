"""The router's upstream health: ejection after failures, safe retries, the probe that puts an
upstream back, and `/router/state` behind the API key; in-process and on real processes."""

import contextlib
import time

import httpx
import pytest
from fastapi.testclient import TestClient
from prometheus_client import generate_latest

from phase0_env.common.testing import metric_sample, run_uvicorn
from phase5_mlops.deploy.health import UpstreamHealth, may_retry
from phase5_mlops.deploy.router import RouterSettings, create_router_app

KEY = {"x-api-key": "k"}


class Upstream:
    """An in-process upstream whose failure mode a test switches at will."""

    def __init__(self, role: str) -> None:
        self.role = role
        self.fail: type[Exception] | None = None  # raised on every call while set
        self.seen: list[tuple[str, str]] = []

    def transport(self) -> httpx.MockTransport:
        def handler(request: httpx.Request) -> httpx.Response:
            if self.fail is not None:
                raise self.fail("injected", request=request)
            self.seen.append((request.method, request.url.path))
            return httpx.Response(200, json={"from": self.role})

        return httpx.MockTransport(handler)


def _router(blue: Upstream, green: Upstream, **settings):
    app = create_router_app(
        RouterSettings(api_keys=["k"], log_level="ERROR", **settings),
        transports={"blue": blue.transport(), "green": green.transport()},
    )
    return TestClient(app)


def _state(client: TestClient) -> dict:
    return client.get("/router/state", headers=KEY).json()


def test_an_upstream_is_ejected_after_n_failures_in_a_row_and_a_success_resets_the_count():
    h = UpstreamHealth(eject_after=3)
    assert not h.failed() and not h.failed()
    h.succeeded()
    assert [h.failed() for _ in range(4)] == [False, False, True, False]
    assert h.ejected and h.ejections == 1
    h.succeeded()
    assert h.as_dict() == {"ejected": False, "consecutive_failures": 0, "ejections": 1}


@pytest.mark.parametrize(
    ("method", "error", "retry"),
    [
        ("GET", httpx.ReadError, True),
        ("PUT", httpx.RemoteProtocolError, True),
        ("POST", httpx.ConnectError, True),  # no connection: nothing was sent
        ("POST", httpx.ReadError, False),  # may have been delivered: never twice
        ("PATCH", httpx.ReadTimeout, False),
    ],
)
def test_retries_are_for_idempotent_methods_or_requests_never_sent(method, error, retry):
    assert may_retry(method, error("x")) is retry


def test_a_post_that_may_have_been_delivered_fails_until_ejection_then_not_at_all():
    blue, green = Upstream("blue"), Upstream("green")
    green.fail = httpx.ReadError
    with _router(blue, green, green_weight=50, eject_after_failures=3) as client:
        answers = [client.post("/predict", json={}) for _ in range(40)]
        state = _state(client)
        text = generate_latest(client.app.state.metrics_registry).decode()
    statuses = [a.status_code for a in answers]
    # Green gets every second request until its third failure (request 6), then none.
    assert statuses[:6] == [200, 502] * 3 and statuses[6:] == [200] * 34
    assert state["health"]["green"] == {"ejected": True, "consecutive_failures": 3, "ejections": 1}
    assert metric_sample(text, "router_upstream_healthy", {"upstream": "green"}) == 0
    assert metric_sample(text, "router_upstream_ejections_total", {"upstream": "green"}) == 1
    assert metric_sample(text, "router_retries_total", {"upstream": "green"}) == 0


@pytest.mark.parametrize(
    ("method", "error"), [("GET", httpx.ReadError), ("POST", httpx.ConnectError)]
)
def test_a_failed_request_is_retried_on_the_other_upstream_when_safe(method, error):
    blue, green = Upstream("blue"), Upstream("green")
    green.fail = error
    with _router(blue, green, green_weight=50, eject_after_failures=100) as client:
        answers = [client.request(method, "/predict") for _ in range(10)]
        text = generate_latest(client.app.state.metrics_registry).decode()
    assert [a.status_code for a in answers] == [200] * 10
    assert {a.headers["x-upstream"] for a in answers} == {"blue"}
    assert len(blue.seen) == 10 and green.seen == []
    assert metric_sample(text, "router_retries_total", {"upstream": "green"}) == 5
    # The failed tries still count against green: the canary gate must see them.
    assert (
        metric_sample(
            text, "router_upstream_requests_total", {"upstream": "green", "status": "502"}
        )
        == 5
    )


def test_weight_zero_is_respected_even_when_the_other_upstream_is_dead():
    blue, green = Upstream("blue"), Upstream("green")
    blue.fail = httpx.ConnectError
    with _router(blue, green, green_weight=0, eject_after_failures=1) as client:
        answers = [client.get("/predict") for _ in range(5)]
    assert {a.status_code for a in answers} == {502} and green.seen == []


def test_the_probe_puts_a_recovered_upstream_back_in_rotation():
    blue, green = Upstream("blue"), Upstream("green")
    green.fail = httpx.ConnectError
    with _router(blue, green, green_weight=50, eject_after_failures=2, probe_interval_s=0.02) as c:
        for _ in range(8):
            assert c.get("/predict").status_code == 200  # retried on blue
        assert _state(c)["health"]["green"]["ejected"]
        green.fail = None  # the upstream is back; only the probe can notice (no traffic)
        deadline = time.monotonic() + 30
        while _state(c)["health"]["green"]["ejected"]:
            assert time.monotonic() < deadline, "the probe never put green back"
            time.sleep(0.02)
        assert ("GET", "/readyz") in green.seen
        routed = [c.get("/predict").headers["x-upstream"] for _ in range(100)]
    assert routed.count("green") == 50


def test_router_state_needs_the_api_key_because_it_names_internal_urls():
    with _router(Upstream("blue"), Upstream("green"), blue_url="http://10.0.0.7:8001") as c:
        anonymous = c.get("/router/state")
        assert anonymous.status_code == 401 and "10.0.0.7" not in anonymous.text
        assert c.get("/router/state", headers={"x-api-key": "guess"}).status_code == 403
        assert _state(c)["upstreams"]["blue"] == "http://10.0.0.7:8001"
        spec = c.get("/openapi.json").json()["paths"]["/router/state"]["get"]["responses"]
    assert {"401", "403"} <= set(spec)


HELLO = "phase0_env.hello_service.app:create_app"
ROUTER = "phase5_mlops.deploy.router:create_router_app"
QUIET = {"UVICORN_ACCESS_LOG": "false", "HELLO_API_KEYS": '["h"]', "HELLO_LOG_LEVEL": "ERROR"}


@pytest.mark.service
def test_a_killed_upstream_is_ejected_retried_around_and_back_after_restart(tmp_path):
    logs = str(tmp_path)
    with contextlib.ExitStack() as stack:
        blue = stack.enter_context(run_uvicorn(HELLO, env=QUIET, log_dir=logs))
        green = stack.enter_context(run_uvicorn(HELLO, env=QUIET, log_dir=logs))
        router_env = {
            "DEPLOY_ROUTER_BLUE_URL": blue.url,
            "DEPLOY_ROUTER_GREEN_URL": green.url,
            "DEPLOY_ROUTER_GREEN_WEIGHT": "50",
            "DEPLOY_ROUTER_API_KEYS": '["k"]',
            "DEPLOY_ROUTER_PROBE_INTERVAL_S": "0.2",
            "DEPLOY_ROUTER_LOG_LEVEL": "ERROR",
            "UVICORN_ACCESS_LOG": "false",
        }
        router = stack.enter_context(run_uvicorn(ROUTER, env=router_env, log_dir=logs))
        http = stack.enter_context(httpx.Client(base_url=router.url, timeout=10))

        def traffic(n: int) -> list[httpx.Response]:
            """Alternating GET /hello and POST /echo through the router."""
            return [
                http.get("/hello")
                if i % 2
                else http.post("/echo", json={"message": "hi"}, headers={"x-api-key": "h"})
                for i in range(n)
            ]

        before = traffic(40)
        assert {r.status_code for r in before} == {200}
        assert {r.headers["x-upstream"] for r in before} == {"blue", "green"}

        green.process.kill()  # SIGKILL: no goodbye, its connections just die
        green.process.wait(timeout=10)
        during = traffic(200)
        codes = [r.status_code for r in during]
        state = http.get("/router/state", headers=KEY).json()
        # At most the failures before ejection are 502s (a POST on a connection that died
        # mid-request is not retried); a refused connection is retried on blue.
        print("502s after the kill:", codes.count(502))
        assert codes.count(502) <= 3 and set(codes) <= {200, 502}, codes
        assert codes[20:] == [200] * 180
        assert state["health"]["green"]["ejected"] and state["health"]["green"]["ejections"] == 1

        stack.enter_context(run_uvicorn(HELLO, env=QUIET, log_dir=logs, port=green.port))
        deadline = time.monotonic() + 60
        while http.get("/router/state", headers=KEY).json()["health"]["green"]["ejected"]:
            assert time.monotonic() < deadline, "green never came back"
            time.sleep(0.1)
        after = traffic(100)
    assert [r.status_code for r in after] == [200] * 100
    assert sum(r.headers["x-upstream"] == "green" for r in after) == 50


def test_the_path_is_forwarded_as_the_client_encoded_it():
    paths = []

    def handler(request: httpx.Request) -> httpx.Response:
        paths.append(request.url.raw_path)
        return httpx.Response(404, json={"detail": "Not Found"})

    app = create_router_app(
        RouterSettings(log_level="ERROR"),
        transports={"blue": httpx.MockTransport(handler), "green": httpx.MockTransport(handler)},
    )
    with TestClient(app) as client:
        # Decoded, %00 is a NUL no URL can carry (httpx.InvalidURL, once a 500 here).
        nul = client.get("/healthz%00")
        slash = client.get("/files/a%2Fb?q=1")
    assert nul.status_code == 404 and slash.status_code == 404
    assert paths == [b"/healthz%00", b"/files/a%2Fb?q=1"]


def test_idle_upstream_connections_expire_before_uvicorn_closes_them():
    import uvicorn

    server_keep_alive = uvicorn.Config("phase0_env.hello_service.app:create_app").timeout_keep_alive
    assert RouterSettings().upstream_keepalive_s < server_keep_alive
