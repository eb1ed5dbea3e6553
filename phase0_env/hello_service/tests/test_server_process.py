"""The hello service as a real uvicorn process on 127.0.0.1: key paths and graceful shutdown."""

import signal
import threading
import time

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from phase0_env.common.testing import run_uvicorn

FACTORY = "phase0_env.hello_service.app:create_app"
ENV = {"HELLO_API_KEYS": '["live-key"]', "HELLO_LOG_LEVEL": "WARNING"}

pytestmark = pytest.mark.service


def test_real_server_answers_the_key_paths(tmp_path):
    with (
        run_uvicorn(FACTORY, env=ENV, log_dir=str(tmp_path)) as server,
        httpx.Client(base_url=server.url, timeout=10) as http,
    ):
        assert http.get("/healthz").json() == {"status": "ok"}
        assert http.get("/hello", params={"name": "Ada"}).json() == {"message": "Hello, Ada!"}
        bad = http.get("/hello", params={"name": "x" * 65})
        assert bad.status_code == 422
        assert bad.headers["content-type"].startswith("application/problem+json")
        assert http.get("/nope").json()["title"] == "Not Found"
        assert http.delete("/hello").status_code == 405
        assert http.post("/echo", json={"message": "hi"}).status_code == 401
        assert (
            http.post("/echo", json={"message": "hi"}, headers={"x-api-key": "no"}).status_code
            == 403
        )
        ok = http.post("/echo", json={"message": "hi"}, headers={"x-api-key": "live-key"})
        assert ok.json() == {"message": "hi", "length": 2}
        big = http.post("/echo", content=b"x" * 20_000, headers={"x-api-key": "live-key"})
        assert big.status_code == 413
        text = http.get("/metrics").text
    samples = [
        s
        for f in text_string_to_metric_families(text)
        for s in f.samples
        if s.name == "http_requests_total"
        and s.labels["route"] == "/hello"
        and s.labels["method"] == "GET"
    ]
    assert sum(s.value for s in samples) == 2


def test_rate_limit_env_gives_429_on_a_real_server(tmp_path):
    env = {**ENV, "HELLO_RATE_LIMIT_PER_MINUTE": "2"}
    with run_uvicorn(FACTORY, env=env, log_dir=str(tmp_path)) as server:
        codes = [httpx.get(server.url + "/hello", timeout=10).status_code for _ in range(3)]
    assert codes == [200, 200, 429]


def test_sigterm_lets_an_in_flight_request_finish_then_exits_cleanly(tmp_path):
    with run_uvicorn(FACTORY, env=ENV, log_dir=str(tmp_path)) as server:
        outcome: dict = {}

        def slow_request() -> None:
            try:
                r = httpx.get(server.url + "/slow", params={"ms": 1500}, timeout=30)
                outcome["status"], outcome["body"] = r.status_code, r.json()
            except httpx.HTTPError as exc:  # recorded so the assert below names it
                outcome["error"] = repr(exc)

        thread = threading.Thread(target=slow_request)
        thread.start()
        time.sleep(0.5)  # the request is now sleeping inside the handler
        server.process.send_signal(signal.SIGTERM)
        # A new connection after SIGTERM is refused: the server stops accepting at once.
        time.sleep(0.2)
        with pytest.raises(httpx.HTTPError):
            httpx.get(server.url + "/healthz", timeout=2)
        thread.join(timeout=30)
        exit_code = server.process.wait(timeout=30)
    assert outcome == {"status": 200, "body": {"slept_ms": 1500}}
    # uvicorn >= 0.29 re-raises the captured SIGTERM once shutdown is complete, so a clean
    # stop reads as -SIGTERM (systemd and docker count that as a clean stop); older ones
    # exit 0. What must never happen is the SIGKILL of a server that did not stop.
    assert exit_code in (0, -signal.SIGTERM), server.logs()
    logs = server.logs()
    assert "Application shutdown complete" in logs and "Finished server process" in logs
    assert logs.index('"GET /slow?ms=1500 HTTP/1.1" 200') < logs.index("Finished server process")


def test_chunked_body_over_the_limit_is_413(tmp_path):
    env = {**ENV, "HELLO_MAX_BODY_BYTES": "100"}

    def chunks():
        yield b'{"message": "' + b"x" * 3000 + b'"}'

    with run_uvicorn(FACTORY, env=env, log_dir=str(tmp_path)) as server:
        r = httpx.post(
            server.url + "/echo",
            content=chunks(),  # a generator: httpx sends Transfer-Encoding: chunked
            headers={"x-api-key": "live-key", "content-type": "application/json"},
            timeout=10,
        )
    assert r.status_code == 413


def _label_sets(text: str) -> int:
    return len(
        {
            (s.name, tuple(sorted(s.labels.items())))
            for f in text_string_to_metric_families(text)
            for s in f.samples
        }
    )


def test_made_up_methods_and_paths_do_not_grow_metrics_on_a_real_server(tmp_path):
    env = {**ENV, "UVICORN_ACCESS_LOG": "false"}
    with (
        run_uvicorn(FACTORY, env=env, log_dir=str(tmp_path)) as server,
        httpx.Client(base_url=server.url, timeout=10) as http,
    ):
        http.get("/hello")
        http.get("/metrics")
        before = _label_sets(http.get("/metrics").text)
        statuses = {http.request(f"M{i}X", f"/p/{i}").status_code for i in range(2000)}
        after = _label_sets(http.get("/metrics").text)
    assert statuses == {404}  # h11 passes any token as a method: every one reached the app
    # One label set ("unmatched", "OTHER", "404"): 2 counter + 17 histogram samples.
    assert after - before <= 19, (before, after)


def test_a_fresh_fake_key_per_request_is_limited_on_a_real_server(tmp_path):
    env = {**ENV, "HELLO_RATE_LIMIT_PER_MINUTE": "60", "UVICORN_ACCESS_LOG": "false"}
    with (
        run_uvicorn(FACTORY, env=env, log_dir=str(tmp_path)) as server,
        httpx.Client(base_url=server.url, timeout=10) as http,
    ):
        start = time.monotonic()
        fake = [http.get("/hello", headers={"x-api-key": f"fake-{i}"}) for i in range(150)]
        # A valid bearer token with a fresh bogus X-API-Key each time: the key's own bucket.
        mixed = [
            http.get("/hello", headers={"authorization": "Bearer live-key", "x-api-key": f"b{i}"})
            for i in range(150)
        ]
        refill = time.monotonic() - start + 1  # tokens refilled while the test ran (1/s)
    for answers in (fake, mixed):
        ok = sum(r.status_code == 200 for r in answers)
        assert 60 <= ok <= 60 + refill, (ok, refill)
        assert all(r.status_code in (200, 429) for r in answers)
