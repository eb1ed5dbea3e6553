"""A small Dockerfile linter: the rules every service image of the repository follows.

Parses instructions (comments dropped, `\\` continuations joined) and reports what breaks the
house rules: slim base, a non-root USER, a HEALTHCHECK, a CMD, no ADD from URLs.
"""

from __future__ import annotations

import re
from pathlib import Path

SLIM_BASES = ("-slim", "alpine", "distroless")
ROOT_USERS = {"root", "0", "0:0", "root:root"}


def parse_dockerfile(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs.

    "FROM python:3.11-slim" -> [("FROM", "python:3.11-slim")]
    """
    instructions: list[tuple[str, str]] = []
    pending = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if pending and line.startswith("#"):
            continue  # comment lines inside a continuation are dropped by docker too
        if line.endswith("\\"):
            pending += line[:-1].strip() + " "
            continue
        full = (pending + line).strip()
        pending = ""
        if full:
            keyword, _, args = full.partition(" ")
            instructions.append((keyword.upper(), args.strip()))
    if pending.strip():
        keyword, _, args = pending.strip().partition(" ")
        instructions.append((keyword.upper(), args.strip()))
    return instructions


def dockerfile_problems(text: str) -> list[str]:
    """Every broken rule, as a sentence; an empty list means the Dockerfile passes."""
    instructions = parse_dockerfile(text)
    problems = []
    stages = [args for kw, args in instructions if kw == "FROM"]
    if not stages:
        return ["no FROM instruction"]
    final = _final_stage(instructions)
    base = re.sub(r"^--platform=\S+\s+", "", stages[-1]).split()[0]
    if not any(tag in base for tag in SLIM_BASES):
        problems.append(
            f"final base image {base!r} is not slim (use a -slim, alpine or distroless)"
        )
    users = [args.split()[0] for kw, args in final if kw == "USER" and args]
    if not users:
        problems.append("no USER instruction: the container would run as root")
    elif users[-1] in ROOT_USERS:
        problems.append(f"the last USER is {users[-1]!r}: the container would run as root")
    checks = [args for kw, args in final if kw == "HEALTHCHECK"]
    if not checks or checks[-1].upper().startswith("NONE"):
        problems.append("no HEALTHCHECK")
    if not any(kw in ("CMD", "ENTRYPOINT") for kw, _ in final):
        problems.append("no CMD or ENTRYPOINT")
    for kw, args in instructions:
        if kw == "ADD" and re.search(r"\bhttps?://", args):
            problems.append(f"ADD from a URL ({args}): download in a RUN step with a checksum")
    return problems


def _final_stage(instructions: list[tuple[str, str]]) -> list[tuple[str, str]]:
    last_from = max(i for i, (kw, _) in enumerate(instructions) if kw == "FROM")
    return instructions[last_from:]


def service_dockerfile(package_dir: Path) -> Path:
    """The Dockerfile that builds the service in `package_dir`: its own, else its project's.

    In the roadmap it sits beside the code; in a `roadmap new` starter, at the project root.
    """
    own = package_dir / "Dockerfile"
    if own.exists():
        return own
    return build_context(package_dir) / "Dockerfile"


def build_context(start: Path) -> Path:
    """The folder `docker build` runs in: the nearest from `start` up with a pyproject.toml."""
    for folder in (start, *start.parents):
        if (folder / "pyproject.toml").exists():
            return folder
    raise FileNotFoundError(f"no pyproject.toml above {start}")
