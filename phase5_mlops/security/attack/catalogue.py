"""A catalogue of bad inputs: malformed and oversized bodies, NaN/Infinity, hostile unicode,
junk parameters and paths, and missing, wrong or forged keys.

`bad_inputs(target)` builds the cases from the target's own calls (so every body endpoint is
hit with every mutation); `run_cases` sends them and `judge` turns the answers into findings.
Expectations: `no5xx` (any answer but a server error), `4xx` (must be refused; a 2xx is a
reported violation), `denied` (a forged key must never get a 2xx: that is a bypass).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from phase5_mlops.security.attack.targets import Call, Target
from phase5_mlops.security.attack.verdicts import Verdict, count_5xx

OVERSIZED = 2_000_000  # above every service's body limit (the kit's default is 1 MB)
HOSTILE_STRINGS = {
    "lone surrogate": "\\ud800",  # JSON escape of an unpaired surrogate (invalid UTF-16)
    "NUL": "\\u0000",
    "bidi override + zero width": "\\u202e\\u200b\\u2066abc\\u2069",
    "4-byte emoji": "\\ud83d\\ude00",
    "2000 combining marks": "e" + "\\u0301" * 2000,
}
NUMBER_TOKENS = ("NaN", "Infinity", "-Infinity", "1e309", "1" + "0" * 40, "-0.0")


@dataclass(frozen=True)
class Case:
    """One request of the catalogue and what is expected of its answer."""

    name: str
    method: str
    path: str
    content: bytes | None = None
    headers: dict[str, Any] = field(default_factory=dict)
    params: dict[str, Any] | None = None
    expect: str = "no5xx"  # "no5xx", "4xx" or "denied"


def bad_inputs(target: Target) -> list[Case]:
    """Every case for `target`: body mutations, parameters, paths and forged keys."""
    cases: list[Case] = []
    for call in target.calls:
        headers = dict(target.key_headers) if call.needs_key else {}
        if call.body is not None:
            cases += [_with(c, headers) for c in body_mutations(call)]
        if call.params:
            cases += [_with(c, headers) for c in param_mutations(call)]
    cases += path_cases()
    cases += forged_key_cases(target)
    return cases


def body_mutations(call: Call) -> Iterator[Case]:
    """Malformed, oversized, non-JSON and hostile-value versions of `call`'s body."""
    m, p = call.method, call.path
    valid = json.dumps(call.body).encode()
    yield Case("truncated JSON", m, p, valid[:-1], expect="4xx")
    yield Case("not JSON", m, p, b"not json at all", expect="4xx")
    yield Case("empty body", m, p, b"", expect="4xx")
    yield Case("invalid UTF-8", m, p, b'{"x": "\xff\xfe\xfd"}', expect="4xx")
    for raw in (b"null", b"[]", b'"text"', b"12"):
        yield Case(f"JSON {raw.decode()} as body", m, p, raw, expect="4xx")
    yield Case("deeply nested arrays", m, p, b"[" * 50_000 + b"]" * 50_000, expect="4xx")
    yield Case("duplicate keys", m, p, valid[:-1] + b', "dup": 1, "dup": 2}')
    yield Case("extra fields", m, p, valid[:-1] + b', "__proto__": {"admin": true}}')
    yield Case(
        "wrong content type", m, p, valid, headers={"content-type": "text/plain; charset=utf-8"}
    )
    yield Case("oversized body", m, p, b'{"x": "' + b"a" * OVERSIZED + b'"}', expect="4xx")
    if isinstance(call.body, dict):
        for key in call.body:
            for token in NUMBER_TOKENS:
                yield Case(f"{key}={token}", m, p, _replace(call.body, key, token))
            for label, text in HOSTILE_STRINGS.items():
                yield Case(f"{key}: {label}", m, p, _replace(call.body, key, f'"{text}"'))


def param_mutations(call: Call) -> Iterator[Case]:
    """Junk values of each query parameter of `call`."""
    for key in call.params or {}:
        for value in ("NaN", "Infinity", "-1", "9" * 30, "\x00", "x" * 8000, "%ff"):
            params = {**(call.params or {}), key: value}
            yield Case(f"?{key}={value[:12]}", call.method, call.path, params=params)


def path_cases() -> list[Case]:
    """Paths a scanner tries: traversal, encoded NUL and invalid UTF-8, an 8 KB path."""
    return [
        Case("path traversal", "GET", "/../../etc/passwd"),
        Case("encoded NUL in path", "GET", "/healthz%00"),
        Case("invalid UTF-8 in path", "GET", "/%ff%fe"),
        Case("8 KB path", "GET", "/" + "a" * 8000),
        Case("16 KB header", "GET", "/healthz", headers={"x-junk": "b" * 16_000}),
    ]


def forged_key_cases(target: Target) -> list[Case]:
    """The protected call with no key and with keys that are close to, but not, a real one."""
    call = target.protected
    body = json.dumps(call.body).encode() if call.body is not None else None
    real = next(iter(target.key_headers.values()))
    real = real.removeprefix("Bearer ")
    forged: dict[str, str | bytes] = {
        "wrong key": "attack-wrong-key",
        "real key minus its last character": real[:-1],
        "real key plus a character": real + "x",
        "real key in swapped case": real.swapcase(),
        "8 KB key": "k" * 8192,
        "non-ASCII key bytes": b"\xff\xfe-key",
    }
    header = "Authorization" if target.bearer else "X-API-Key"
    cases = [Case("no key", call.method, call.path, body, expect="denied")]
    cases.append(Case("empty key", call.method, call.path, body, {header: ""}, expect="denied"))
    for label, value in forged.items():
        if target.bearer:
            value = b"Bearer " + value if isinstance(value, bytes) else f"Bearer {value}"
        cases.append(Case(label, call.method, call.path, body, {header: value}, expect="denied"))
    cases.append(
        Case(
            "real key in a query parameter",
            call.method,
            call.path,
            body,
            params={"api_key": real},
            expect="denied",
        )
    )
    if target.bearer:
        cases.append(
            Case(
                "Basic instead of Bearer",
                call.method,
                call.path,
                body,
                {"Authorization": "Basic " + "YXR0YWNrOmtleQ=="},
                expect="denied",
            )
        )
    return cases


def run_cases(base_url: str, cases: Iterable[Case], timeout: float = 60.0) -> list[int]:
    """Send each case; its status code, or 0 when the connection failed (no answer)."""
    import httpx

    statuses = []
    with httpx.Client(base_url=base_url, timeout=timeout) as http:
        for case in cases:
            headers = {"content-type": "application/json"} if case.content is not None else {}
            headers.update(case.headers)
            try:
                resp = http.request(
                    case.method,
                    case.path,
                    content=case.content,
                    headers=headers,
                    params=case.params,
                )
                statuses.append(resp.status_code)
            except httpx.HTTPError:
                statuses.append(0)
    return statuses


def judge(cases: list[Case], statuses: list[int]) -> tuple[list[Verdict], list[str]]:
    """Fatal verdicts (5xx, forged key accepted, no answer) and reported violations."""
    verdicts: list[Verdict] = []
    violations: list[str] = []
    for case, status in zip(cases, statuses, strict=True):
        label = f"{case.method} {case.path[:40]} [{case.name}]"
        if status == 0:
            verdicts.append(Verdict(f"catalogue {label}", False, "crash", "no answer"))
        elif count_5xx([status]):
            verdicts.append(Verdict(f"catalogue {label}", False, "5xx", f"status {status}"))
        elif case.expect == "denied" and 200 <= status < 300:
            verdicts.append(Verdict(f"catalogue {label}", False, "bypass", f"accepted {status}"))
        elif case.expect == "4xx" and not 400 <= status < 500:
            violations.append(f"{label}: {status} where a 4xx was expected")
    return verdicts, violations


def _with(case: Case, headers: dict[str, str]) -> Case:
    return Case(
        case.name,
        case.method,
        case.path,
        case.content,
        {**headers, **case.headers},
        case.params,
        case.expect,
    )


def _replace(body: dict[str, Any], key: str, raw_value: str) -> bytes:
    """`body` as JSON with `key`'s value replaced by a raw JSON token (NaN is not JSON)."""
    marker = "__ATTACK_VALUE__"
    text = json.dumps({**body, key: marker})
    return text.replace(json.dumps(marker), raw_value).encode()
