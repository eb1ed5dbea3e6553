"""The hostile-client probes: metrics cardinality, rate-limit bypass, batch poisoning, ReDoS.

Each probe talks HTTP to a running instance and returns `Verdict`s (see `verdicts.py` for
the decision rules, which are unit-tested without servers).
"""

from __future__ import annotations

import secrets
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

from phase5_mlops.security.attack.targets import LIMIT_PER_MINUTE, Call, Target
from phase5_mlops.security.attack.verdicts import (
    Verdict,
    bypass_verdict,
    cardinality_verdict,
    limiter_active_verdict,
    poisoning_verdict,
    server_error_verdict,
    stall_verdict,
)


def metrics_footprint(text: str) -> tuple[int, int]:
    """(bytes, number of samples) of a Prometheus exposition text."""
    from prometheus_client.parser import text_string_to_metric_families

    samples = sum(len(f.samples) for f in text_string_to_metric_families(text))
    return len(text.encode()), samples


def cardinality_probe(url: str, per_round: int, rounds: int = 2) -> list[Verdict]:
    """Rounds of requests with never-seen HTTP methods and paths; /metrics must stop growing."""
    sizes, series, statuses = [], [], []
    with httpx.Client(base_url=url, timeout=30) as http:
        for r in range(rounds + 1):
            if r:
                for i in range(per_round):
                    tag = secrets.token_hex(4)
                    if i % 2:
                        method, path = f"X{tag.upper()}", "/healthz"
                    else:
                        method, path = "GET", f"/attack-{tag}/{i}"
                    statuses.append(http.request(method, path).status_code)
            size, n = metrics_footprint(http.get("/metrics").text)
            sizes.append(size)
            series.append(n)
    return [
        cardinality_verdict("metrics cardinality", sizes, series),
        server_error_verdict("metrics cardinality: made-up methods and paths", statuses),
    ]


def bypass_probes(url: str, target: Target, requests: int) -> list[Verdict]:
    """Against the limited instance: a control (one client repeating) must meet 429; fresh
    fake keys per request, and (bearer services) a valid bearer plus a bogus X-API-Key, must
    not get more than one bucket's worth through."""
    rate = LIMIT_PER_MINUTE / 60.0
    out = []
    floods = []
    # The floods with forged keys run first: after a fix, an exhausted per-client bucket
    # would otherwise refuse them because of the control, not because of the limiter's keying.
    fake = _flood(url, target.limit_probe, requests, lambda i: {"X-API-Key": _fake_key(i)})
    floods.append(fake)
    out.append(
        bypass_verdict(
            "rate limit: fresh fake X-API-Key per request",
            fake[0],
            burst=LIMIT_PER_MINUTE,
            rate_per_s=rate,
            elapsed_s=fake[1],
        )
    )
    if target.bearer:
        mixed = _flood(
            url,
            Call("GET", "/v1/usage"),
            requests,
            lambda i: {**target.key_headers, "X-API-Key": _fake_key(i)},
        )
        floods.append(mixed)
        out.append(
            bypass_verdict(
                "rate limit: valid bearer + bogus X-API-Key",
                mixed[0],
                burst=LIMIT_PER_MINUTE,
                rate_per_s=rate,
                elapsed_s=mixed[1],
            )
        )
    control = _flood(url, target.limit_probe, requests, lambda _: _valid_headers(target))
    floods.append(control)
    out.append(limiter_active_verdict("rate limit: one client repeating (control)", control[0]))
    out.append(server_error_verdict("rate limit probes", [s for f in floods for s in f[0]]))
    return out


def poisoning_probe(url: str, target: Target, bystanders: int = 6) -> list[Verdict]:
    """Serving: one request with temperature 1e-300 among concurrent well-formed ones."""
    good = {"model": "tiny-gpt", "max_tokens": 24, "ignore_eos": True, "temperature": 0.8}
    results: list[tuple[int, str]] = []
    hostile: dict[str, int] = {}
    barrier = threading.Barrier(bystanders + 1)

    def bystander(i: int) -> None:
        barrier.wait()
        body = {**good, "prompt": f"bystander {i} says", "seed": i}
        results.append(_completion(url, target, body))

    def attacker() -> None:
        barrier.wait()
        time.sleep(0.05)  # join the running batch rather than precede it
        body = {**good, "prompt": "poison", "temperature": 1e-300, "max_tokens": 8}
        hostile["status"] = _completion(url, target, body)[0]

    with ThreadPoolExecutor(bystanders + 1) as pool:
        futures = [pool.submit(bystander, i) for i in range(bystanders)]
        futures.append(pool.submit(attacker))
        for f in futures:
            f.result()
    return [poisoning_verdict("batch poisoning (temperature 1e-300)", results, hostile["status"])]


def redos_probe(
    url: str, target: Target, chars: int, limit_s: float, timeout: float = 120.0
) -> list[Verdict]:
    """Hostile words of `chars` characters sent where PII patterns run over user text; while
    each is processed `/healthz` must keep answering within `limit_s`, and it may not cost far
    more than a benign text of the same length. One verdict per kind of word."""
    benign_s, _ = _timed(url, target, redos_calls(target, benign_text(chars), "benign"), timeout)
    verdicts = []
    for kind, word in hostile_words(chars).items():
        calls = redos_calls(target, word, kind.split()[0])
        hostile_s, status, latencies = _while_polling_health(url, target, calls, limit_s, timeout)
        size = len(calls[0].body["text"]) if calls[0].path == "/redact" else chars
        verdicts.append(
            stall_verdict(
                f"ReDoS: one {size // 1000}k-char word ({kind}) via "
                + " then ".join(c.path for c in calls),
                latencies,
                status,
                limit_s=limit_s,
                hostile_s=hostile_s,
                benign_s=benign_s,
            )
        )
    return verdicts


def hostile_words(chars: int) -> dict[str, str]:
    """Words without spaces that make PII patterns backtrack: a letters-and-digits run (every
    position starts an unanchored `[...]+@` match) and one whose dots and dashes put a word
    boundary at every other character (every position starts a `\\b`-anchored one)."""
    return {
        "letters and digits": ("ab1" * (chars // 3 + 1))[:chars],
        "dotted": hostile_word(chars),
    }


def _while_polling_health(
    url: str, target: Target, calls: list[Call], limit_s: float, timeout: float
) -> tuple[float, int, list[float | None]]:
    """Run `calls` in a thread while polling `/healthz`; (seconds, worst status, latencies)."""
    done = threading.Event()
    outcome: dict[str, Any] = {}

    def hostile() -> None:
        try:
            outcome["s"], outcome["status"] = _timed(url, target, calls, timeout)
        finally:
            done.set()

    latencies: list[float | None] = []
    worker = threading.Thread(target=hostile)
    worker.start()
    with httpx.Client(base_url=url, timeout=limit_s * 2) as http:
        while not done.is_set() or not latencies:
            t0 = time.perf_counter()
            try:
                http.get("/healthz")
                latencies.append(time.perf_counter() - t0)
            except httpx.HTTPError:
                latencies.append(None)
            time.sleep(0.1)
    worker.join()
    return outcome.get("s", 0.0), outcome.get("status", 599), latencies


def redos_calls(target: Target, text: str, tag: str) -> list[Call]:
    """Where user text meets the PII patterns: a RAG document then a query that retrieves it;
    the security service's `/redact` (which takes at most 20,000 characters)."""
    if target.name == "rag_service":
        doc = {"id": f"attack-redos-{tag}", "text": "zebra savannah " + text}
        return [
            Call("POST", "/documents", {"documents": [doc]}, needs_key=True),
            Call("POST", "/query", {"query": "zebra savannah", "k": 3}),
        ]
    return [Call("POST", "/redact", {"text": text[:20_000]}, needs_key=True)]


def benign_text(chars: int) -> str:
    """Ordinary words of the same length as the hostile word (a space every 6 characters)."""
    return ("ab c1 " * (chars // 6 + 1))[:chars]


def hostile_word(chars: int) -> str:
    """One word with no spaces whose every dot or dash is a word boundary: the input that
    makes an unanchored `\\b[...]+@` pattern try a match from every position (quadratic)."""
    return ("ab.c-1" * (chars // 6 + 1))[:chars]


def _flood(
    url: str, call: Call, n: int, headers_for: Any
) -> tuple[list[int], float]:  # headers_for: (i) -> headers
    statuses = []
    start = time.perf_counter()
    with httpx.Client(base_url=url, timeout=30) as http:
        for i in range(n):
            resp = http.request(
                call.method, call.path, json=call.body, params=call.params, headers=headers_for(i)
            )
            statuses.append(resp.status_code)
    return statuses, time.perf_counter() - start


def _timed(url: str, target: Target, calls: list[Call], timeout: float) -> tuple[float, int]:
    """Seconds for `calls` in order, and the worst status (0 when the connection failed)."""
    worst = 0
    start = time.perf_counter()
    with httpx.Client(base_url=url, timeout=timeout, headers=target.key_headers) as http:
        for call in calls:
            try:
                worst = max(worst, http.request(call.method, call.path, json=call.body).status_code)
            except httpx.HTTPError:
                return time.perf_counter() - start, 599
    return time.perf_counter() - start, worst


def _valid_headers(target: Target) -> dict[str, str]:
    return dict(target.key_headers) if target.limit_probe.needs_key else {}


def _fake_key(i: int) -> str:
    return f"attack-fake-{i}-{secrets.token_hex(6)}"


def _completion(url: str, target: Target, body: dict[str, Any]) -> tuple[int, str]:
    """(status, finish_reason or the error) of one non-streamed completion."""
    try:
        resp = httpx.post(
            url + "/v1/completions", json=body, headers=target.key_headers, timeout=120
        )
    except httpx.HTTPError as err:
        return 0, repr(err)
    if resp.status_code != 200:
        return resp.status_code, resp.text[:200]
    return 200, str(resp.json()["choices"][0].get("finish_reason"))
