"""Facts the READMEs state that code changes could make false: each is checked here."""

import re
from pathlib import Path

import pytest

from phase0_env.common.registry import all_milestones
from phase0_env.common.rules import imported_modules

ROOT = Path(__file__).resolve().parents[1]
LINES_CLAIM = re.compile(r"`minimal\.py`: [^\n]*?~(\d+) lines")


CLAIMS = {
    readme.parent.relative_to(ROOT).as_posix(): int(claim.group(1))
    for readme in sorted(ROOT.glob("phase*_*/*/README.md"))
    if (claim := LINES_CLAIM.search(readme.read_text(encoding="utf-8")))
}


@pytest.mark.parametrize("folder", sorted(CLAIMS))
def test_a_readmes_minimal_line_count_is_near_the_files(folder):
    lines = len((ROOT / folder / "minimal.py").read_text(encoding="utf-8").splitlines())
    # "~N lines" is a reader's estimate of the effort: within a quarter either way.
    assert abs(lines - CLAIMS[folder]) <= 0.25 * lines, f"{folder}: ~{CLAIMS[folder]}, {lines}"


def test_every_milestone_with_exercises_has_a_minimal_version_read_first():
    for m in all_milestones():
        if not m.exercises:
            continue
        assert (m.folder / "minimal.py").is_file(), m.id
        readme = (m.folder / "README.md").read_text(encoding="utf-8")
        order = readme.split("Read in this order", 1)[-1]
        first = re.search(r"^[-\d.]+\s+`([^`]+)`", order, flags=re.M)
        assert first and first.group(1) == "minimal.py", f"{m.id}: reading order starts elsewhere"


def test_phase4_does_not_import_phase3_as_the_phase3_readme_says():
    readme = (ROOT / "phase3_deep" / "README.md").read_text(encoding="utf-8")
    assert "Phase 4's GPT does not import these layers" in readme
    imports = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in (ROOT / "phase4_llm").rglob("*.py")
        for line, module in imported_modules(path)
        if module.split(".")[0] == "phase3_deep"
    ]
    assert not imports, f"phase 4 imports phase 3 now; update phase3_deep/README.md: {imports}"


def test_the_algorithms_readme_counts_the_catalogue():
    from phase1_foundations.algorithms.catalogue import PROBLEMS

    readme = (ROOT / "phase1_foundations" / "algorithms" / "README.md").read_text()
    count = re.search(r"^# algorithms: (\d+) classic problems", readme, flags=re.M)
    assert count and int(count.group(1)) == len(PROBLEMS)


def test_the_classical_practice_readme_counts_the_table_rows():
    from phase2_tabular.common.tables import load_table

    readme = (ROOT / "phase2_tabular" / "classical_practice" / "README.md").read_text()
    rows = {
        name: int(n.replace(",", ""))
        for name, n in re.findall(r"(palmerpenguins|plm Wages) \(([\d,]+) rows", readme)
    }
    assert rows == {"palmerpenguins": 344, "plm Wages": 4165}
    assert len(load_table("penguins")[0]) == rows["palmerpenguins"]
    assert len(load_table("wages")[0]) == rows["plm Wages"]
