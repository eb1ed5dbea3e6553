"""Every behaviour check of `parity.checks()` passes (what `roadmap parity` reports)."""

from phase0_env.dotfiles.parity import checks


def test_every_behaviour_check_passes():
    results = checks()
    assert len(results) == 7
    failed = [(r.name, r.detail) for r in results if not r.passed]
    assert not failed, failed
