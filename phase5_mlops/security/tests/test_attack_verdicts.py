"""The attack suite's decision rules, fed observed answers by hand (no servers, fast)."""

import json

import pytest

from phase5_mlops.security.attack import catalogue, fuzz, report
from phase5_mlops.security.attack.__main__ import parse_args
from phase5_mlops.security.attack.probes import (
    benign_text,
    hostile_word,
    hostile_words,
    metrics_footprint,
)
from phase5_mlops.security.attack.targets import Call, Target
from phase5_mlops.security.attack.verdicts import (
    FATAL,
    bypass_verdict,
    cardinality_verdict,
    count_5xx,
    failures,
    limiter_active_verdict,
    poisoning_verdict,
    stall_verdict,
    write_verdict,
)


def test_count_5xx_counts_only_server_errors():
    assert count_5xx([200, 404, 429, 499, 500, 503, 599, 600]) == 3


def test_fresh_fake_keys_all_passing_the_limiter_is_a_bypass():
    # 50 requests with a new fake key each, none refused: one bucket of 20 admits ~23.
    v = bypass_verdict("fake keys", [401] * 50, burst=20, rate_per_s=1 / 3, elapsed_s=2.0)
    assert not v.passed and v.kind == "bypass" and v.figures["passed_limiter"] == 50


def test_one_bucket_worth_then_429_is_not_a_bypass():
    statuses = [200] * 20 + [429] * 30
    v = bypass_verdict("fake keys", statuses, burst=20, rate_per_s=1 / 3, elapsed_s=2.0)
    assert v.passed and v.kind == "" and v.figures["429"] == 30


def test_refill_during_a_slow_flood_is_allowed_for():
    # 60 s at 1 token/s refills 60 tokens: 20 + 60 requests through is still one bucket.
    statuses = [200] * 80 + [429] * 20
    assert bypass_verdict("slow", statuses, burst=20, rate_per_s=1.0, elapsed_s=60).passed
    assert not bypass_verdict("fast", statuses, burst=20, rate_per_s=1.0, elapsed_s=5).passed


def test_a_limiter_that_never_answers_429_voids_the_probe():
    assert not limiter_active_verdict("control", [200] * 50).passed
    assert limiter_active_verdict("control", [200] * 20 + [429] * 30).passed
    assert "suite_error" in FATAL


def test_metrics_that_grow_in_every_round_are_unbounded():
    # Baseline, then two rounds of never-seen methods: the second round adds 570 series.
    v = cardinality_verdict("card", [92_000, 142_000, 192_000], [300, 870, 1440])
    assert not v.passed and v.kind == "metric_growth"
    assert v.figures["later_round_series_growth"] == 570


def test_metrics_that_grow_once_then_stop_are_bounded():
    # The first round adds the collapsed label values ("unmatched", "other") once.
    v = cardinality_verdict("card", [92_000, 93_500, 93_502], [300, 330, 330])
    assert v.passed


def test_cardinality_needs_a_baseline_and_two_rounds():
    with pytest.raises(ValueError, match="two rounds"):
        cardinality_verdict("card", [1, 2], [1, 2])


def test_lost_and_torn_writes_are_told_apart():
    acked = {"b0": ["b0d0", "b0d1"], "b1": ["b1d0", "b1d1"]}
    unacked = {"b2": ["b2d0", "b2d1"], "b3": ["b3d0", "b3d1"]}
    present = ["b0d0", "b0d1", "b1d0", "b2d0"]  # b1d1 lost, b2 torn, b3 absent (fine)
    by_name = {
        v.probe.split(": ", 1)[1]: v for v in write_verdict("k", acked, unacked, present, [])
    }
    assert by_name["acknowledged writes survive"].kind == "lost_write"
    assert by_name["acknowledged writes survive"].figures["lost"] == 1
    assert by_name["unacknowledged batches are all or nothing"].kind == "torn_write"
    assert by_name["store consistent"].passed


def test_a_complete_store_passes_every_write_check():
    acked = {"b0": ["b0d0"]}
    unacked = {"b1": ["b1d0", "b1d1"]}
    verdicts = write_verdict("k", acked, unacked, ["b0d0", "b1d0", "b1d1"], [])
    assert all(v.passed for v in verdicts)
    broken = write_verdict("k", acked, {}, ["b0d0"], ["chunk 3 has no vector"])
    assert [v.kind for v in failures(broken)] == ["inconsistent_store"]


def test_one_failed_bystander_is_a_poisoned_batch():
    bystanders = [(200, "length")] * 5 + [(500, "engine step failed")]
    v = poisoning_verdict("poison", bystanders, hostile_status=200)
    assert not v.passed and v.kind == "poisoned_batch" and v.figures["hurt"] == 1


def test_a_refused_hostile_request_with_healthy_bystanders_passes():
    assert poisoning_verdict("poison", [(200, "stop")] * 6, hostile_status=400).passed
    v = poisoning_verdict("poison", [(200, "stop")] * 6, hostile_status=500)
    assert not v.passed and v.kind == "5xx"


def test_a_missed_or_slow_health_check_is_a_stall():
    v = stall_verdict("redos", [0.01, None, 0.02], 200, limit_s=5.0)
    assert not v.passed and v.kind == "stall" and v.figures["slow_or_missed"] == 1
    assert not stall_verdict("redos", [0.01, 7.0], 200, limit_s=5.0).passed
    assert stall_verdict("redos", [0.01, 0.02], 200, limit_s=5.0).passed


def test_a_hostile_input_far_costlier_than_a_benign_one_is_a_stall():
    # 20 KB through a quadratic pattern: 2.2 s where ordinary words of that size take 0.14 s.
    v = stall_verdict("redos", [0.05], 200, limit_s=5.0, hostile_s=2.16, benign_s=0.14)
    assert not v.passed and v.kind == "stall"
    assert stall_verdict("redos", [0.05], 200, limit_s=5.0, hostile_s=0.29, benign_s=0.23).passed


def test_hostile_words_have_no_spaces_and_benign_text_has_words():
    words, text = hostile_words(100_000), benign_text(100_000)
    assert len(text) == 100_000 and len(text.split()) > 30_000
    assert set(words) == {"letters and digits", "dotted"}
    for word in words.values():
        assert len(word) == 100_000 and " " not in word and "@" not in word
    assert words["letters and digits"].isalnum() and words["dotted"] == hostile_word(100_000)
    assert words["dotted"].count(".") > 10_000


TARGET = Target(
    "demo",
    "x:y",
    "DEMO_",
    "README.md",
    {"X-API-Key": "real-key-123"},
    Call("GET", "/hello"),
    [
        Call("POST", "/items", {"n": 1, "text": "a"}, needs_key=True),
        Call("GET", "/l", None, {"k": 1}),
    ],
    Call("POST", "/items", {"n": 1, "text": "a"}, needs_key=True),
    Call("GET", "/hello"),
)


def test_catalogue_mutates_every_body_field_and_parameter():
    cases = catalogue.bad_inputs(TARGET)
    names = {c.name for c in cases}
    assert {"n=NaN", "n=Infinity", "text: lone surrogate", "oversized body", "?k=NaN"} <= names
    nan = next(c for c in cases if c.name == "n=NaN")
    assert nan.content == b'{"n": NaN, "text": "a"}' and nan.headers == {
        "X-API-Key": "real-key-123"
    }
    oversized = next(c for c in cases if c.name == "oversized body")
    assert oversized.content is not None and len(oversized.content) > catalogue.OVERSIZED


def test_forged_keys_are_near_misses_never_the_real_key():
    forged = [c for c in catalogue.bad_inputs(TARGET) if c.expect == "denied"]
    sent = [v for c in forged for v in c.headers.values()]
    assert len(forged) >= 8 and "real-key-123" not in sent
    assert "real-key-12" in sent and "REAL-KEY-123" in sent


def test_bearer_services_get_forged_bearer_tokens():
    bearer = Target(**{**TARGET.__dict__, "key_headers": {"Authorization": "Bearer sk-1"}})
    bearer.bearer = True
    sent = [c.headers.get("Authorization") for c in catalogue.forged_key_cases(bearer)]
    assert "Bearer sk-" in sent and "Bearer sk-1" not in sent


def test_judge_separates_fatal_answers_from_reported_violations():
    cases = [
        catalogue.Case("a", "POST", "/x", b"{", expect="4xx"),
        catalogue.Case("b", "POST", "/x", b"{", expect="4xx"),
        catalogue.Case("c", "POST", "/x", expect="denied"),
        catalogue.Case("d", "GET", "/y"),
        catalogue.Case("e", "GET", "/z"),
    ]
    verdicts, violations = catalogue.judge(cases, [422, 200, 201, 500, 0])
    assert [v.kind for v in verdicts] == ["bypass", "5xx", "crash"]
    assert violations == ["POST /x [b]: 200 where a 4xx was expected"]


def test_schemathesis_summary_counts_requests_and_5xx_from_its_events():
    def event(*codes):
        interactions = {
            str(i): {"response": {"status_code": c} if c else None} for i, c in enumerate(codes)
        }
        return json.dumps({"ScenarioFinished": {"recorder": {"interactions": interactions}}})

    run = {
        "test_cases": {"generated": 7},
        "operations": {"tested": 2},
        "failures": [
            {"type": "ServerError", "code": "ST100", "title": "Server error", "count": 1},
            {
                "type": "UndefinedStatusCode",
                "code": "ST103",
                "title": "Undocumented status code",
                "count": 2,
                "operations": ["POST /echo"],
            },
        ],
    }
    summary = fuzz.summarise(run, [event(200, 500), event(422, None), '{"SuiteStarted": {}}'])
    assert summary["cases"] == 7 and summary["requests"] == 4
    assert summary["5xx"] == 1 and summary["no_answer"] == 1
    assert summary["violations"] == ["ST103 Undocumented status code: 2 (POST /echo)"]
    assert fuzz.verdicts(summary)[0].kind == "5xx"
    assert fuzz.verdicts({"error": "timeout"})[0].kind == "suite_error"


def test_metrics_footprint_counts_samples():
    text = '# TYPE a counter\na_total 1.0\n# TYPE b gauge\nb 2.0\nb{x="1"} 3.0\n'
    assert metrics_footprint(text) == (len(text), 3)


def test_markdown_report_has_the_summary_row_and_each_failure():
    section = {
        "service": "hello_service",
        "schemathesis": {"cases": 10, "requests": 10, "operations": 2, "5xx": 0},
        "catalogue": {"cases": 5},
        "5xx": 0,
        "bypasses": 1,
        "violations": [],
        "load": [{"clients": 16, "rps": 150.4, "p50_ms": 17.2, "p99_ms": 680.0}],
        "faults": [{"fault": "x", "survived": True}],
        "failures": [{"kind": "bypass", "probe": "rate limit", "detail": "50 of 50 passed"}],
        "verdicts": [],
    }
    md = report.markdown(
        {
            "profile": {"name": "short"},
            "started_at": "now",
            "git": "abc",
            "machine": "m",
            "load_client": "httpx-asyncio",
            "passed": False,
            "seconds": 1.0,
            "services": {"hello_service": section},
        }
    )
    assert "| hello_service | 15 | 0 | 1 | 1 | 0 | 150 rps, 17 / 680 ms | - | 1 of 1 |" in md
    assert "**FAIL** (bypass) rate limit: 50 of 50 passed" in md


def test_cli_refuses_unknown_services():
    assert parse_args(["--services", "serving,security"]).services == ["serving", "security"]
    with pytest.raises(SystemExit):
        parse_args(["--services", "nope"])


def _figures(statuses, transport_errors=0, clients=16):
    from phase5_mlops.security.attack.load import LoadFigures

    total = sum(statuses.values()) + transport_errors
    return LoadFigures(clients, total, 1.0, total, 1.0, 2.0, statuses, transport_errors, "t", [])


def test_upstream_kill_in_flight_502s_pass_and_are_not_counted_as_5xx():
    from phase5_mlops.security.attack.crash import upstream_kill_verdict

    v = upstream_kill_verdict("during", _figures({"200": 85, "502": 11}), clients=16)
    assert v.passed and v.figures["5xx"] == 0 and v.figures["in_flight_502"] == 11
    # More 502s than clients: some request was not in flight at the kill.
    v = upstream_kill_verdict("during", _figures({"200": 70, "502": 26}), clients=16)
    assert not v.passed and v.figures["5xx"] == 26
    # Any other 5xx, or a transport error, fails and is counted.
    assert not upstream_kill_verdict("during", _figures({"200": 95, "500": 1}), 16).passed
    assert not upstream_kill_verdict("during", _figures({"200": 95}, 1), 16).passed
    # After the kill every request must succeed: one 502 fails and counts.
    v = upstream_kill_verdict("after", _figures({"200": 95, "502": 1}), clients=16)
    assert not v.passed and v.figures["5xx"] == 1
    assert upstream_kill_verdict("after", _figures({"200": 96}), clients=16).passed
