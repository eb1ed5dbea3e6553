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
    """Path for a demo's output file `name`: `<milestone>/docs/name` with `--write-docs`,
    else `artifacts/<phase>/<milestone>/name`; the folder is created.

    `milestone_dir` is the milestone package folder (`Path(__file__).parent` of a module in it),
    e.g. `phase4_llm/gpt` -> `artifacts/phase4_llm/gpt/pretrain_loss.png`.
    """
    folder = Path(milestone_dir).resolve()
    if write_docs_enabled():
        out = folder / "docs"
    else:
        out = folder.parents[1] / "artifacts" / folder.parent.name / folder.name
    out.mkdir(parents=True, exist_ok=True)
    return out / name
