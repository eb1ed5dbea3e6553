"""Where demos write what they produce: git-ignored folders unless docs are asked for.

A milestone's committed study results (its `docs/` folder) are rewritten only on request:
`roadmap run ID --write-docs` sets `ROADMAP_WRITE_DOCS=1`. Every other run (`make demo`,
tests, a plain `roadmap run`) writes to `artifacts/<phase>/<milestone>/`, which git ignores,
so a clone stays clean whatever it runs.
"""

from __future__ import annotations

import os
from pathlib import Path

WRITE_DOCS_ENV = "ROADMAP_WRITE_DOCS"


def write_docs_enabled() -> bool:
    """True when this process was asked to rewrite committed docs (`--write-docs`)."""
    return os.environ.get(WRITE_DOCS_ENV, "") not in ("", "0", "false", "no")


def study_output(milestone_dir: str | Path, name: str) -> Path:
    """Path for a demo's output file `name` in `study_dir(milestone_dir)`, folder created."""
    out = study_dir(milestone_dir)
    out.mkdir(parents=True, exist_ok=True)
    return out / name


def study_dir(milestone_dir: str | Path) -> Path:
    """`<milestone>/docs` with `--write-docs`, else `artifacts/<phase>/<milestone>`.

    `milestone_dir` is the milestone package folder (`Path(__file__).parent` of a module in it),
    e.g. `phase4_llm/gpt` -> `artifacts/phase4_llm/gpt/`.
    """
    folder = Path(milestone_dir).resolve()
    if write_docs_enabled():
        return folder / "docs"
    return folder.parents[1] / "artifacts" / folder.parent.name / folder.name


def committed_docs(milestone_dir: str | Path, name: str) -> Path:
    """Path of the committed study result `name` in `<milestone>/docs/`, for reading only
    (writers go through `study_output`)."""
    return Path(milestone_dir).resolve() / "docs" / name
