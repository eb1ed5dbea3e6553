"""The safety screen's patterns scan hostile text in linear time (a child process under a
CPU-time limit; nothing asserts wall time). The e-mail pattern used to start a match at every
`\\b` inside one long run of local-part characters: quadratic, killed at 100k characters."""

from phase4_llm.common.linear_time import run_cpu_limited

PATTERNS = (
    "_TOXIC",
    "_TOXIC_EXEMPT",
    "_SELF_HARM",
    "_SELF_HARM_EXEMPT",
    "_EMAIL",
    "_PHONE",
    "_SSN",
    "_CARD",
    "_IPV4",
    "_IBAN",
)
SCAN = "from phase4_llm.common.linear_time import scan_all; scan_all({specs!r}, {sizes!r})"


def test_safety_patterns_scan_100k_hostile_characters_within_a_cpu_limit():
    specs = [f"phase4_llm.evals.safety:{name}" for name in PATTERNS]
    run = run_cpu_limited(SCAN.format(specs=specs, sizes=[10_000, 100_000]), cpu_seconds=60)
    assert run.finished, f"killed at {run.last} (rc {run.returncode}): {run.stderr}"


def test_emails_are_still_found():
    from phase4_llm.evals.safety import _EMAIL

    text = "write to ada.lovelace+notes@example.co.uk or bob@mail.example.org."
    assert [m.group(0) for m in _EMAIL.finditer(text)] == [
        "ada.lovelace+notes@example.co.uk",
        "bob@mail.example.org",
    ]
