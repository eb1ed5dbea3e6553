"""The milestone's parity checks (what `roadmap parity` and the scoreboard run) all pass."""

from phase3_deep.layers_from_scratch.parity import checks


def test_every_parity_check_passes():
    results = checks()
    assert len(results) >= 39
    failed = [f"{r.name}: {r.detail}" for r in results if not r.passed]
    assert not failed, "\n".join(failed)
