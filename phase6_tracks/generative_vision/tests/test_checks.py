"""`roadmap parity` for this milestone: every check passes."""

from __future__ import annotations

from phase6_tracks.generative_vision.parity import checks


def test_every_parity_check_passes() -> None:
    results = checks()
    assert len(results) >= 28
    failed = [f"{r.name}: {r.detail}" for r in results if not r.passed]
    assert not failed, failed
