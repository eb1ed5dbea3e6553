"""`roadmap parity phase4_llm.tokenizer` passes: every check of parity.checks()."""

from phase4_llm.tokenizer.parity import checks


def test_every_parity_check_passes():
    results = checks()
    assert len(results) >= 8
    failed = [r for r in results if not r.passed]
    assert not failed, failed
