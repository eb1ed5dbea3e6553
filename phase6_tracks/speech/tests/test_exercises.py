"""The exercises are functions of minimal.py with a docstring that ends in a hint."""

import inspect

import pytest

from phase6_tracks.speech import minimal

EXERCISES = ("log_mel", "ctc_loss", "greedy_decode")


def test_each_exercise_is_a_documented_function_of_the_minimal_version():
    for name in EXERCISES:
        fn = getattr(minimal, name)
        assert inspect.isfunction(fn)
        doc = inspect.getdoc(fn) or ""
        assert doc.splitlines()[-1].startswith("Hint: "), name


def test_the_milestone_record_names_these_exercises():
    try:  # a copied-out starter has no milestone record
        from phase6_tracks.speech.milestone import MILESTONE
    except ImportError:
        pytest.skip("no milestone record outside the repository")
    assert MILESTONE.exercises == EXERCISES
