"""`roadmap exercise ID DEST`: a milestone's starter with the key functions left to write.

The starter is the one `roadmap new` writes; then, in its copy of the milestone's
`minimal.py`, the body of each function the milestone names in `exercises` becomes
`raise NotImplementedError("<name>: <first docstring line>")` (signature and docstring kept,
every other byte of the file unchanged), and the README gets an "Exercise" section. The
minimal version's tests (`tests/test_minimal.py`) are the grader (`grade.py`).
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass
from pathlib import Path

from phase0_env.common.registry import Milestone
from phase0_env.template.starter import copy_milestone

LINE_LIMIT = 100  # the starter's ruff line length: longer raises are wrapped as ruff would


@dataclass(frozen=True)
class Exercise:
    """A written exercise: where it is, what to write, and the reference solution's text."""

    root: Path
    minimal: Path
    functions: tuple[str, ...]
    solution: str  # the starter's `minimal.py` before blanking (for tests, never written)


def write_exercise(milestone: Milestone, dest: Path, *, package: str | None = None) -> Exercise:
    """Write `milestone`'s starter into `dest` with its `exercises` functions blanked."""
    if not milestone.exercises:
        raise ValueError(
            f"{milestone.id} offers no exercises; these do: {', '.join(with_exercises()) or '-'}"
        )
    if not (milestone.folder / "minimal.py").is_file():
        raise ValueError(f"{milestone.id} names exercises but has no minimal.py")
    root = copy_milestone(milestone, dest, package=package)
    pkg = package or milestone.name
    minimal = root / "src" / pkg / "minimal.py"
    solution = minimal.read_text(encoding="utf-8")
    minimal.write_text(blank_functions(solution, milestone.exercises), encoding="utf-8")
    # The imports the blanked bodies used stay, as hints; ruff is told they are not dead code.
    with (root / "pyproject.toml").open("a", encoding="utf-8") as pyproject:
        pyproject.write(f'\n[tool.ruff.lint.per-file-ignores]\n"src/{pkg}/minimal.py" = ["F401"]\n')
    readme = root / "README.md"
    readme.write_text(
        _with_section(readme.read_text(encoding="utf-8"), _section(solution, milestone, pkg)),
        encoding="utf-8",
    )
    return Exercise(root, minimal, milestone.exercises, solution)


def with_exercises() -> list[str]:
    """Ids of the registered milestones that offer exercises."""
    from phase0_env.common.registry import all_milestones

    return [m.id for m in all_milestones() if m.exercises]


def exercise_listing() -> str:
    """One line per milestone that offers exercises: its id and the functions to write."""
    from phase0_env.common.registry import get_milestone

    lines = [f"{'milestone':<42} functions to write (in minimal.py)"]
    for mid in with_exercises():
        lines.append(f"{mid:<42} {', '.join(get_milestone(mid).exercises)}")
    return "\n".join(lines)


def blank_functions(source: str, names: tuple[str, ...] | list[str]) -> str:
    """`source` with each named function's body (after its docstring) replaced by a raise.

    Functions are found at module level or as methods of module-level classes; a missing
    name, or a function without a docstring, is a ValueError.
    """
    found = {node.name: node for node in _functions(ast.parse(source))}
    missing = [n for n in names if n not in found]
    if missing:
        raise ValueError(f"minimal.py has no function {', '.join(missing)}")
    lines = source.splitlines(keepends=True)
    # Bottom-up, so earlier line numbers stay valid while later spans are replaced.
    for node in sorted((found[n] for n in names), key=lambda f: f.lineno, reverse=True):
        doc = ast.get_docstring(node)
        first = node.body[0]
        if not doc or first.end_lineno is None or node.end_lineno is None:
            raise ValueError(f"{node.name} needs a docstring saying what to implement")
        indent = " " * first.col_offset
        message = f"{node.name}: {doc.splitlines()[0].strip()}"
        lines[first.end_lineno : node.end_lineno] = _raise_lines(indent, message)
    return "".join(lines)


def _raise_lines(indent: str, message: str) -> list[str]:
    """The raise as ruff formats it: one line, or the message on lines of its own, split at
    words into implicitly joined strings that each fit the line length."""
    one = f"{indent}raise NotImplementedError({_quoted(message)})\n"
    if len(one) - 1 <= LINE_LIMIT:
        return [one]
    room = LINE_LIMIT - len(indent) - 4
    # ruff joins implicitly concatenated strings whenever the whole fits on one line.
    parts = [message] if len(_quoted(message)) <= room else _split(message, room)
    inner = [f"{indent}    {_quoted(part)}\n" for part in parts]
    return [f"{indent}raise NotImplementedError(\n", *inner, f"{indent})\n"]


def _split(message: str, room: int) -> list[str]:
    """`message` cut at spaces into pieces whose quoted form fits `room` (the space stays
    with the earlier piece)."""
    parts, current = [], ""
    for word in message.split(" "):
        candidate = f"{current} {word}" if current else word
        if current and len(_quoted(candidate + " ")) > room:
            parts.append(current + " ")
            current = word
        else:
            current = candidate
    return [*parts, current]


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _functions(tree: ast.Module) -> list[ast.FunctionDef]:
    out = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            out.append(node)
        elif isinstance(node, ast.ClassDef):
            out += [n for n in node.body if isinstance(n, ast.FunctionDef)]
    return out


def _section(solution: str, milestone: Milestone, pkg: str) -> str:
    docs = {f.name: (ast.get_docstring(f) or "") for f in _functions(ast.parse(solution))}
    items = "".join(
        f"- `{name}`: {docs[name].splitlines()[0].strip()}\n" for name in milestone.exercises
    )
    return (
        "## Exercise\n\n"
        f"This copy is an exercise. In `src/{pkg}/minimal.py` the bodies of these functions are\n"
        "left for you to write; each docstring says what to compute and ends with a hint:\n\n"
        f"{items}\n"
        "Grade your code with `make grade`: it runs `tests/test_minimal.py`, which compares\n"
        f"the minimal version with {milestone.reference} and with the full version, and prints\n"
        "each check with its worst error against its tolerance (exit status 0 once all pass;\n"
        "from a roadmap checkout, roadmap check with this folder prints the same table).\n"
        "Until then those tests fail: a function still to write shows as `not implemented yet`.\n\n"
    )


def _with_section(readme: str, section: str) -> str:
    """The README with `section` after its title and claim (the first two paragraphs)."""
    head, sep, rest = readme.partition("\n\n")
    claim, sep2, rest = rest.partition("\n\n")
    return f"{head}{sep}{claim}{sep2}{section}{rest}"
