"""The milestone's parity checks (what `roadmap parity` runs) all pass."""

from __future__ import annotations

from phase4_llm.serving.parity import checks


def test_every_parity_check_passes_without_smollm2():
    # SmolLM2 is covered by the slow test in test_smollm2.py (it takes ~20 s to load and run).
    results = checks(include_smollm2=False)
    assert len(results) == 4
    failed = [r for r in results if not r.passed]
    assert not failed, failed
