"""Every milestone folder is registered, and every registered milestone is complete."""

import importlib
from pathlib import Path

import pytest

from phase0_env.common.registry import PHASES, all_milestones, get_milestone
from phase0_env.common.rules import milestone_dirs, phase_dirs

ROOT = Path(__file__).resolve().parents[1]
MILESTONES = all_milestones()


def test_registered_ids_equal_the_milestone_folders():
    folders = {f"{p.name}.{m.name}" for p in phase_dirs(ROOT) for m in milestone_dirs(p)}
    assert {m.id for m in MILESTONES} == folders


def test_each_phase_lists_its_milestones_in_one_static_tuple():
    for phase in PHASES:
        names = importlib.import_module(phase).MILESTONES
        assert isinstance(names, tuple) and all(isinstance(n, str) for n in names)
        assert [m.name for m in all_milestones() if m.phase == phase] == list(names)


def test_demo_parity_and_bench_are_found_by_convention():
    from phase0_env.common.registry import Milestone

    bare = Milestone("phase1_foundations.stats", "t", "c", "r")
    assert bare.target("parity") == "phase1_foundations.stats.parity:checks"
    assert bare.load("bench").__name__ == "run"


def test_unknown_milestone_is_a_clear_error():
    with pytest.raises(LookupError, match=r"unknown milestone 'phase9_nope\.x'"):
        get_milestone("phase9_nope.x")


@pytest.mark.parametrize("milestone", MILESTONES, ids=lambda m: m.id)
def test_milestone_is_complete(milestone):
    folder = milestone.folder
    assert folder == ROOT / milestone.phase / milestone.name
    assert milestone.title and milestone.claim and milestone.reference
    readme = (folder / "README.md").read_text()
    assert "<!-- scoreboard:start" in readme and "<!-- scoreboard:end -->" in readme
    assert f"roadmap new {milestone.id}" in readme, "README must say how to copy it out"
    tests = list((folder / "tests").rglob("test_*.py"))
    assert any("def test_" in t.read_text() for t in tests)
    assert (folder / "__main__.py").exists()
    for dep in milestone.local_deps:
        assert get_milestone(dep).phase <= milestone.phase


@pytest.mark.parametrize("milestone", MILESTONES, ids=lambda m: m.id)
def test_milestone_callables_resolve(milestone):
    for which in ("demo", "parity", "bench"):
        module_name, _, attr = getattr(milestone, which).partition(":")
        assert module_name.startswith(milestone.id + "."), f"{which} lives outside the milestone"
        assert callable(getattr(importlib.import_module(module_name), attr))
