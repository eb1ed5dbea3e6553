"""A milestone README, rewritten for its starter: every command it shows exists there.

`roadmap run|parity|bench ID` become the starter's `make demo|parity|bench`, `pytest` paths
point at the starter's `tests/`, and what has no counterpart in a starter (`roadmap new`,
the roadmap's scoreboard tooling, targets of the roadmap's Makefile) is dropped with the
list item or line that shows it. `commands()` and `missing_commands()` let a test check it.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

CODE_SPAN = re.compile(r"`([^`\n]+)`")
COMMAND = re.compile(r"^(?:\.venv/bin/)?(roadmap|make|pytest|python -m)\b\s*(.*)$")
TARGET = re.compile(r"^([\w-]+):", flags=re.M)
STARTER_MAKEFILE = Path(__file__).resolve().parent / "skeleton" / "starter" / "Makefile"


@cache
def starter_targets() -> frozenset[str]:
    """The targets every starter's Makefile has (read from the skeleton it is made from)."""
    return frozenset(TARGET.findall(STARTER_MAKEFILE.read_text(encoding="utf-8")))


def _unavailable(tool: str, words: list[str], targets: frozenset[str] | set[str]) -> bool:
    """A `roadmap ...` command, or `make X` for a target the starter's Makefile lacks."""
    if tool == "roadmap":
        return bool(words) and bool(re.match(r"[a-z]", words[0]))
    if tool == "make" and words and re.fullmatch(r"[a-z][\w-]*", words[0]):
        return words[0] not in targets
    return False


def rewrite_readme(text: str, milestone_id: str, pkg: str) -> str:
    """`text` (a milestone README, before its dotted names are renamed) for the starter."""
    folder = milestone_id.replace(".", "/")
    ident = re.escape(milestone_id)
    subs = [
        (rf"roadmap run {ident}(?: \[--quick\])", "make demo` / `make demo-quick"),
        (rf"roadmap run {ident} --quick", "make demo-quick"),
        (rf"roadmap run {ident}(?: --[\w-]+)*", "make demo"),
        (rf"roadmap parity {ident}(?: --json)?", "make parity"),
        (rf"roadmap bench {ident} --quick", "make bench-quick"),
        (rf"roadmap bench {ident}", "make bench"),
        # The sentence stays (it says what the exercise blanks); the command is the roadmap's.
        (rf"`roadmap\s+exercise\s+{ident}(?:\s+DEST)?`", "the roadmap's `exercise` command"),
        (r"make test-phase PHASE=\S+", "make test"),
        (rf"(?:\.venv/bin/)?pytest {re.escape(folder)}/?(?=[`\s)]|$)", "make test"),
        (rf"{re.escape(folder)}/tests/", "tests/"),
        (rf"{re.escape(folder)}/", f"src/{pkg}/"),
        (r"<!-- scoreboard:start[^>]*-->", "<!-- scoreboard as measured in the roadmap -->"),
        (r"<!-- scoreboard:end[^>]*-->", ""),
    ]
    for pattern, new in subs:
        text = re.sub(pattern, new, text)
    return "\n".join(_drop_unavailable(text.splitlines())) + "\n"


def _drop_unavailable(lines: list[str]) -> list[str]:
    """Lines without commands the starter lacks; a list item goes with its continuation."""
    out: list[str] = []
    in_code = dropping_item = False
    for line in lines:
        if line.lstrip().startswith("```"):
            in_code, dropping_item = not in_code, False
            out.append(line)
            continue
        continuation = line[:1].isspace() and line.strip() and not line.lstrip().startswith("- ")
        if dropping_item and continuation:
            continue
        dropping_item = False
        if missing_in_line(line, in_code=in_code):
            dropping_item = not in_code and line.lstrip().startswith("- ")
            continue
        out.append(line)
    return out


def commands(text: str) -> list[str]:
    """Every command a README shows: code spans and code-block lines that start like one."""
    found: list[str] = []
    in_code = False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            in_code = not in_code
            continue
        candidates = [line.strip()] if in_code else CODE_SPAN.findall(line)
        for candidate in candidates:
            candidate = candidate.split("#")[0].strip() if in_code else candidate.strip()
            if COMMAND.match(candidate):
                found.append(candidate)
    return found


def missing_in_line(line: str, *, in_code: bool) -> list[str]:
    """Commands in one line that a starter cannot run (no `roadmap`, known make targets)."""
    candidates = [line.strip()] if in_code else CODE_SPAN.findall(line)
    missing = []
    for candidate in candidates:
        match = COMMAND.match(candidate.strip())
        if not match:
            continue
        tool, rest = match.groups()
        if _unavailable(tool, rest.split(), starter_targets()):
            missing.append(candidate)
    return missing


def missing_commands(root: Path, pkg: str) -> list[str]:
    """Commands the starter's README shows that do not exist in the starter."""
    text = (root / "README.md").read_text(encoding="utf-8")
    makefile = (root / "Makefile").read_text(encoding="utf-8")
    targets = set(TARGET.findall(makefile))
    problems = []
    for command in commands(text):
        tool, rest = COMMAND.match(command).groups()  # type: ignore[union-attr]
        words = rest.split()
        if _unavailable(tool, words, targets):
            problems.append(command)
        elif tool == "python -m" and words and re.fullmatch(r"[\w.]+", words[0]):
            module = words[0]
            if module.split(".")[0] == pkg and not _module_exists(root / "src", module):
                problems.append(command)
        elif tool == "pytest" and words and not words[0].startswith("-"):
            target = words[0].split("::")[0]
            if re.fullmatch(r"[\w./-]+", target) and not (root / target).exists():
                problems.append(command)
    return problems


def _module_exists(src: Path, module: str) -> bool:
    base = src.joinpath(*module.split("."))
    return base.with_suffix(".py").exists() or (base / "__main__.py").exists()
