"""Where a project's own folders are: the project root, its `.cache/` and `artifacts/`.

The root is the nearest folder above a module that holds a `pyproject.toml`: the repository
for the roadmap, and the starter's own folder for a milestone copied out with `roadmap new`
(whose modules sit one level deeper, under `src/`). Counting `parents[N]` would differ
between the two; looking for the project file does not.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path


@cache
def _root_above(folder: Path) -> Path:
    for candidate in (folder, *folder.parents):
        if (candidate / "pyproject.toml").is_file():
            return candidate
    return Path.cwd()  # an installed (non-editable) copy: the caller's working folder


def project_root(anchor: str | Path | None = None) -> Path:
    """The project folder that holds `anchor` (a file or folder; default: this package)."""
    start = Path(anchor).resolve() if anchor is not None else Path(__file__).resolve()
    return _root_above(start if start.is_dir() else start.parent)


def cache_dir(*parts: str, anchor: str | Path | None = None) -> Path:
    """`<project>/.cache/<parts...>` (not created)."""
    return project_root(anchor).joinpath(".cache", *parts)


def default_tracking_uri(anchor: str | Path | None = None) -> str:
    """`MLFLOW_TRACKING_URI` when set, else `sqlite:///<project>/.cache/mlflow.db` (the
    folder is created): every milestone that tracks runs shares one local store."""
    uri = os.environ.get("MLFLOW_TRACKING_URI")
    if uri:
        return uri
    cache = cache_dir(anchor=anchor)
    cache.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{cache / 'mlflow.db'}"
