"""One catalogue entry, and the small random inputs every generator draws from."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Problem:
    """One problem: ours, the oracle it must equal, and how to draw inputs."""

    name: str
    category: str
    complexity: str
    ours: Callable[..., Any]
    oracle: Callable[..., Any]
    gen: Callable[[random.Random], tuple[Any, ...]]
    oracle_name: str = "brute force"


def ints(
    rng: random.Random, lo: int = -9, hi: int = 9, n_max: int = 9, n_min: int = 0
) -> list[int]:
    """A short list of small integers (ties and negatives likely)."""
    return [rng.randint(lo, hi) for _ in range(rng.randint(n_min, n_max))]


def word(rng: random.Random, alphabet: str = "abc", n_max: int = 8, n_min: int = 0) -> str:
    """A short string over a small alphabet (repeats likely)."""
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(n_min, n_max)))
