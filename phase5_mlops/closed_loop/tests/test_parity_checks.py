"""Every parity/behaviour check of the milestone passes (decision table, drift verdict)."""

from phase5_mlops.closed_loop.parity import checks


def test_every_check_passes():
    results = checks()
    assert len(results) == 9
    failed = [(r.name, r.detail) for r in results if not r.passed]
    assert not failed, failed
