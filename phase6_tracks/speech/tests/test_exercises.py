"""The exercises the milestone names are functions of minimal.py with a docstring and a hint."""

import inspect

from phase6_tracks.speech import minimal
from phase6_tracks.speech.milestone import MILESTONE


def test_each_exercise_is_a_documented_function_of_the_minimal_version():
    assert MILESTONE.exercises == ("log_mel", "ctc_loss", "greedy_decode")
    for name in MILESTONE.exercises:
        fn = getattr(minimal, name)
        assert inspect.isfunction(fn)
        doc = inspect.getdoc(fn) or ""
        assert doc.splitlines()[-1].startswith("Hint: "), name
