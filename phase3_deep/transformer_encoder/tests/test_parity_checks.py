"""The milestone's parity checks (what `roadmap parity` and the scoreboard run) all pass."""

from phase3_deep.transformer_encoder.parity import checks


def test_every_parity_check_passes():
    results = checks()
    assert len(results) == 38
    failed = [f"{r.name}: {r.detail}" for r in results if not r.passed]
    assert not failed, "\n".join(failed)
