"""The speech milestone is registered and its parity checks run."""

from phase0_env.common.registry import get_milestone


def test_speech_is_registered_with_its_exercises():
    milestone = get_milestone("phase6_tracks.speech")
    assert milestone.exercises == ("log_mel", "ctc_loss", "greedy_decode")
