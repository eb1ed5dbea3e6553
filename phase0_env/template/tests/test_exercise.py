"""`roadmap exercise` and `roadmap check` on small inputs: blanking, refusals, the table."""

import subprocess
import sys
from pathlib import Path

import pytest

from phase0_env.template.exercise import blank_functions
from phase0_env.template.grade import Grade, Row, format_table

if Path(__file__).resolve().parents[2].name != "phase0_env":
    pytest.skip("needs the roadmap's milestones (a copied-out starter)", allow_module_level=True)
main = pytest.importorskip("phase0_env.cli").main

SOURCE = '''"""A module."""

import numpy as np


def keep(x):
    """Stays as it is."""
    return x + 1


def area(r: float) -> float:
    """Area of a circle of radius r.

    Hint: pi r^2.
    """
    # a comment inside the body goes too
    return np.pi * r**2


class Box:
    def volume(self) -> float:
        """Volume of the box."""
        return 1.0
'''


def test_blanking_replaces_only_the_named_bodies_and_keeps_every_other_byte():
    out = blank_functions(SOURCE, ["area", "volume"])
    assert out == SOURCE.replace(
        "    # a comment inside the body goes too\n    return np.pi * r**2\n",
        '    raise NotImplementedError("area: Area of a circle of radius r.")\n',
    ).replace(
        "        return 1.0\n",
        '        raise NotImplementedError("volume: Volume of the box.")\n',
    )
    namespace: dict = {}
    exec(compile(out, "blank", "exec"), namespace)
    assert namespace["keep"](1) == 2
    with pytest.raises(NotImplementedError, match="area: Area of a circle"):
        namespace["area"](1.0)


def test_blanking_refuses_unknown_names_and_functions_without_a_docstring():
    with pytest.raises(ValueError, match="no function nope"):
        blank_functions(SOURCE, ["nope"])
    with pytest.raises(ValueError, match="needs a docstring"):
        blank_functions("def f():\n    return 1\n", ["f"])


def test_a_long_message_is_split_over_lines_that_fit_and_join_to_the_whole():
    doc = " ".join(f"word{i}" for i in range(40))
    out = blank_functions(f'def f():\n    """{doc}"""\n    return 1\n', ["f"])
    body = out.splitlines()[2:]
    assert body[0] == "    raise NotImplementedError(" and body[-1] == "    )"
    assert max(len(line) for line in body) <= 100 and len(body) > 3
    namespace: dict = {}
    exec(compile(out, "blank", "exec"), namespace)
    with pytest.raises(NotImplementedError) as raised:
        namespace["f"]()
    assert str(raised.value) == f"f: {doc}"


def test_a_message_that_fits_its_own_line_stays_one_string():
    doc = "x" * 80  # too long beside `raise`, short enough on a line of its own
    out = blank_functions(f'def f():\n    """{doc}"""\n    return 1\n', ["f"])
    assert out.splitlines()[2:] == [
        "    raise NotImplementedError(",
        f'        "f: {doc}"',
        "    )",
    ]


def test_blanked_files_are_as_ruff_formats_them_for_any_message_length(tmp_path):
    for n in range(40, 260):  # every length: each layout, and each boundary between them
        doc = " ".join(["word"] * (n // 5)) + "x" * (n % 5)
        source = f'class C:\n    def f(self):\n        """{doc}"""\n        return 1\n'
        (tmp_path / f"m{n}.py").write_text(blank_functions(source, ["f"]))
    ruff = Path(sys.executable).parent / "ruff"
    out = subprocess.run(
        [ruff, "format", "--check", "--no-cache", "--line-length", "100", "."],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stdout[-3000:]


def test_exercise_refuses_a_milestone_without_exercises_and_lists_those_with(tmp_path, capsys):
    assert main(["exercise", "phase0_env.dotfiles", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "offers no exercises" in err
    assert "phase1_foundations.classical_ml" in err
    assert not (tmp_path / "x").exists()


def test_exercise_list_names_each_milestone_and_its_functions(capsys):
    assert main(["exercise", "--list"]) == 0
    assert "knn_predict, kmeans, best_split" in capsys.readouterr().out


def test_check_refuses_a_folder_without_a_grader(tmp_path, capsys):
    assert main(["check", str(tmp_path)]) == 2
    assert "no tests/test_minimal.py" in capsys.readouterr().err


def test_the_table_has_a_row_per_check_and_passes_only_when_all_do():
    rows = [
        Row("knn labels", True, 0.0, 0.0, "scikit-learn"),
        Row("test_kmeans", False, note="not implemented yet: kmeans"),
    ]
    table = format_table(Grade(rows, 1, ""))
    assert "knn labels" in table and "not implemented yet: kmeans" in table
    assert table.splitlines()[-1] == "1 of 2 checks pass"
    assert not Grade(rows, 1, "").passed
    assert Grade(rows[:1], 0, "").passed
    assert not Grade([], 0, "").passed  # no check ran: nothing was graded
