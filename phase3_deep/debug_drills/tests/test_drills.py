"""Every drill's report names its bug class; the healthy loops report nothing; the fixed
loops reach the stated test accuracy."""

from functools import cache

import pytest

from phase3_deep.debug_drills.drills import DRILLS, TARGET, train_accuracy
from phase3_deep.debug_drills.loop import BUGS, KINDS, DigitsLoop
from phase3_deep.debug_drills.report import BUG_CLASSES, Report, diagnose


@cache
def _healthy(kind: str) -> Report:
    return diagnose(DigitsLoop(kind))


def test_catalogue_has_at_least_15_drills_one_per_bug():
    assert len(DRILLS) >= 15
    assert sorted(d.bug for d in DRILLS) == sorted(BUGS)
    assert all(d.bug_class in BUG_CLASSES and d.symptom for d in DRILLS)


@pytest.mark.parametrize("drill", DRILLS, ids=lambda d: d.bug)
def test_report_names_the_injected_bug_class(drill):
    report = diagnose(drill.broken())
    assert drill.bug_class in report.classes, report.findings


@pytest.mark.parametrize("kind", KINDS)
def test_healthy_loop_reports_nothing(kind):
    assert _healthy(kind).findings == []


@pytest.mark.parametrize("kind", KINDS)
def test_fixed_loop_converges_to_the_stated_accuracy(kind):
    losses, acc = train_accuracy(DigitsLoop(kind))
    assert acc >= TARGET[kind], acc
    assert losses[-1] < losses[0]


@pytest.mark.parametrize("drill", DRILLS, ids=lambda d: d.bug)
def test_each_drill_fixes_to_the_healthy_loop_of_its_kind(drill):
    fixed = drill.fixed()
    assert fixed.bug is None and fixed.kind == drill.kind and drill.broken().bug == drill.bug


def test_unknown_bug_or_kind_is_refused():
    with pytest.raises(ValueError, match="unknown bug"):
        DigitsLoop("mlp", "typo")
    with pytest.raises(ValueError, match="kind"):
        DigitsLoop("cnn")
