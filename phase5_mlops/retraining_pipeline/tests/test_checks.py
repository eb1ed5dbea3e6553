"""The milestone's parity checks (run by `roadmap report`) all pass."""

from phase5_mlops.retraining_pipeline.parity import checks


def test_every_parity_check_passes():
    results = checks()
    assert len(results) == 5
    failed = [r for r in results if not r.passed]
    assert not failed, failed
