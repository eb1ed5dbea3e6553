"""The milestone's parity checks all pass."""

from phase4_llm.rag_service.parity import checks


def test_every_parity_check_passes():
    results = checks()
    assert len(results) >= 4
    failed = [r for r in results if not r.passed]
    assert not failed, failed
