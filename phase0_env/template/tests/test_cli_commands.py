"""The `roadmap new-project` and `roadmap new` commands call into this milestone."""

from pathlib import Path

import pytest

from phase0_env.template.inspect_tree import expected_files, tree_files

# In a `roadmap new` copy of this milestone there are no roadmap milestones to copy from, so
# these tests skip there instead of failing (a path test: the import rewrite leaves it alone).
if Path(__file__).resolve().parents[2].name != "phase0_env":
    pytest.skip("needs the roadmap's milestones (a copied-out starter)", allow_module_level=True)
main = pytest.importorskip("phase0_env.cli").main


def test_roadmap_new_project_writes_the_project(tmp_path, capsys):
    assert main(["new-project", "cli_made", str(tmp_path / "p")]) == 0
    assert tree_files(tmp_path / "p") == expected_files("cli_made")
    assert "wrote" in capsys.readouterr().out


def test_roadmap_new_copies_a_registered_milestone(tmp_path):
    assert main(["new", "phase0_env.hello_service", str(tmp_path / "s")]) == 0
    assert (tmp_path / "s" / "src" / "hello_service" / "app.py").exists()


def test_roadmap_new_with_an_unknown_id_exits_2(tmp_path, capsys):
    assert main(["new", "phase0_env.nope", str(tmp_path / "s")]) == 2
    assert "unknown milestone" in capsys.readouterr().err
    assert not (tmp_path / "s").exists()
