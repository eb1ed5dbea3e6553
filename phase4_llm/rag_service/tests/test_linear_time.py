"""Every pattern the RAG service applies to user text runs in linear time (issue 18, item 4).

Each check scans hostile inputs of growing size in a child process under a CPU-time limit
(`RLIMIT_CPU`): a quadratic pattern needs ~10^10 steps at 100k characters and is killed, a
linear one finishes in a few seconds of CPU. No wall-clock assertion anywhere.
"""

import pytest

from phase4_llm.common.linear_time import run_cpu_limited

SPECS = [
    "phase4_llm.rag_service.safety:PII_PATTERNS",
    "phase4_llm.common.injection:_COMPILED",
    "phase4_llm.common.injection:_ZERO_WIDTH",
    "phase4_llm.rag_service.chunking:TOKEN",
    "phase4_llm.rag_service.chunking:SENTENCE_END",
    "phase4_llm.rag_service.bm25:WORD",
]
SCAN = "from phase4_llm.common.linear_time import scan_all; scan_all({specs!r}, {sizes!r})"


def _scan(sizes: list[int], cpu_seconds: int) -> None:
    run = run_cpu_limited(SCAN.format(specs=SPECS, sizes=sizes), cpu_seconds)
    assert run.finished, f"killed at {run.last} (rc {run.returncode}): {run.stderr}"


def test_patterns_scan_100k_hostile_characters_within_a_cpu_limit():
    _scan([10_000, 100_000], cpu_seconds=60)


@pytest.mark.slow
def test_patterns_scan_1m_hostile_characters_within_a_cpu_limit():
    _scan([1_000_000], cpu_seconds=240)


def test_the_cpu_limit_catches_the_old_quadratic_email_pattern():
    # The pattern shipped before issue 18: no anchor, so every letter of "a.a.a..." restarts it.
    old = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"
    code = (
        f"import re\nprint('start', flush=True)\nre.findall({old!r}, 'a.' * 50_000)\nprint('done')"
    )
    run = run_cpu_limited(code, cpu_seconds=3)
    assert not run.finished and run.returncode != 0


def test_markdown_cleaning_and_chunking_of_hostile_documents_is_linear():
    code = (
        "from phase4_llm.rag_service.chunking import load_text, split_chunks\n"
        "for unit in ['[a](', '[', '![a](', ' ' * 7 + 'x', ' \\n', 'a.' ]:\n"
        "    text, _ = load_text(unit * (200_000 // len(unit)), 'markdown')\n"
        "    split_chunks('d', text)\n"
        "print('done', flush=True)\n"
    )
    run = run_cpu_limited(code, cpu_seconds=60)
    assert run.finished, f"rc {run.returncode}: {run.stderr}"
