"""The commands the README shows really exist: make targets and `roadmap` sub-commands."""

import re
from pathlib import Path

from phase0_env.cli import _parser

ROOT = Path(__file__).resolve().parents[1]


def _make_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text()
    return set(re.findall(r"^([a-zA-Z][\w-]*):", text, flags=re.M))


def _roadmap_commands() -> set[str]:
    parser = _parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    return set(sub.choices)


def _documents() -> list[Path]:
    docs = [ROOT / "README.md"]
    docs += sorted(ROOT.glob("phase*_*/README.md")) + sorted(ROOT.glob("phase*_*/*/README.md"))
    return docs


def test_readme_opens_with_the_two_commands():
    text = (ROOT / "README.md").read_text()
    first_block = re.search(r"```(?:bash|sh)?\n(.*?)```", text, flags=re.S).group(1)
    commands = [c for c in first_block.splitlines() if c.strip() and not c.startswith("#")]
    assert commands == ["make demo", "make test"]


def test_every_documented_make_target_exists():
    targets = _make_targets()
    for doc in _documents():
        for target in re.findall(r"`make ([a-z][\w-]*)", doc.read_text()):
            assert target in targets, f"{doc.relative_to(ROOT)} mentions `make {target}`"


def test_every_documented_roadmap_command_exists():
    commands = _roadmap_commands()
    for doc in _documents():
        for command in re.findall(r"`roadmap ([a-z][\w-]*)", doc.read_text()):
            assert command in commands, f"{doc.relative_to(ROOT)} mentions `roadmap {command}`"


def test_ci_runs_the_readme_test_command():
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_readme_maps_every_milestone():
    from phase0_env.common.registry import all_milestones

    text = (ROOT / "README.md").read_text()
    missing = [m.id for m in all_milestones() if f"`{m.phase}/{m.name}`" not in text]
    assert not missing, f"README.md's milestone map lacks {missing}"
