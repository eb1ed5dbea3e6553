"""The layout rules hold for the repository, and fail loudly on a deliberately broken tree."""

from pathlib import Path

from phase0_env.common.registry import all_milestones
from phase0_env.common.rules import (
    heavy_imports_in_phase_inits,
    import_direction_violations,
    milestone_boundary_violations,
    milestone_layout_problems,
)

ROOT = Path(__file__).resolve().parents[1]


def _declared() -> dict[str, set[str]]:
    return {m.id: set(m.local_deps) for m in all_milestones()}


def test_no_phase_imports_a_higher_phase():
    problems = import_direction_violations(ROOT)
    assert not problems, "import direction broken:\n" + "\n".join(problems)


def test_milestones_import_siblings_only_when_declared():
    problems = milestone_boundary_violations(ROOT, _declared())
    assert not problems, "undeclared sibling imports:\n" + "\n".join(problems)


def test_phase_packages_stay_light():
    problems = heavy_imports_in_phase_inits(ROOT)
    assert not problems, "heavy imports in phase __init__:\n" + "\n".join(problems)


def test_every_milestone_folder_has_its_files():
    problems = milestone_layout_problems(ROOT)
    assert not problems, "milestone layout:\n" + "\n".join(problems)


def _write(path: Path, text: str = "") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def _bad_tree(root: Path) -> Path:
    """Two phases whose lower one breaks every rule once."""
    _write(root / "phase1_low" / "__init__.py", "import torch\n")
    _write(root / "phase1_low" / "README.md", "# low")
    _write(root / "phase1_low" / "alpha" / "__init__.py")
    _write(
        root / "phase1_low" / "alpha" / "model.py",
        "from phase3_high.gamma import thing\nimport phase1_low.beta.core\n",
    )
    _write(root / "phase1_low" / "beta" / "__init__.py")
    _write(root / "phase1_low" / "beta" / "milestone.py")
    _write(root / "phase1_low" / "beta" / "README.md", "# beta")
    _write(root / "phase1_low" / "beta" / "tests" / "test_nothing.py", "x = 1\n")
    _write(root / "phase3_high" / "__init__.py")
    _write(root / "phase3_high" / "gamma" / "__init__.py")
    _write(root / "phase3_high" / "gamma" / "milestone.py")
    return root


def test_rules_flag_a_higher_phase_import_with_its_line(tmp_path):
    problems = import_direction_violations(_bad_tree(tmp_path))
    assert problems == [
        "phase1_low/alpha/model.py:1: phase 1 imports higher phase phase3_high (phase3_high.gamma)",
    ]


def test_rules_flag_an_undeclared_sibling_import(tmp_path):
    root = _bad_tree(tmp_path)
    problems = milestone_boundary_violations(root, {})
    assert len(problems) == 1 and "phase1_low.alpha imports phase1_low.beta.core" in problems[0]
    assert milestone_boundary_violations(root, {"phase1_low.alpha": {"phase1_low.beta"}}) == []


def test_rules_flag_heavy_imports_in_a_phase_init(tmp_path):
    assert heavy_imports_in_phase_inits(_bad_tree(tmp_path)) == [
        "phase1_low/__init__.py:1: imports torch"
    ]


def test_rules_flag_missing_milestone_files(tmp_path):
    problems = milestone_layout_problems(_bad_tree(tmp_path))
    assert "phase1_low/alpha: not registered (no milestone.py)" in problems
    assert "phase1_low/alpha: no README.md" in problems
    assert "phase1_low/alpha: no tests/ folder" in problems
    assert "phase1_low/beta: tests/ holds no test function" in problems
    assert "phase3_high: no README.md" in problems
    assert "phase3_high/gamma: no README.md" in problems
