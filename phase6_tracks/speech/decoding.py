"""CTC decoding: greedy (best path) and prefix beam search with an optional character LM.

Greedy takes the most likely symbol per frame, merges repeats and drops blanks. Prefix beam
search (Hannun et al., 2014) keeps, for each candidate prefix, the probability of all paths
that end in a blank and of all that end in its last character, so paths that collapse to the
same text are summed rather than competing; a language model adds `lm_weight * log P(c | h)`
and `length_bonus` each time a character is appended (shallow fusion).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence

import numpy as np

from .lm import CharNGramLM


def greedy_decode(log_probs: np.ndarray, blank: int = 0) -> list[int]:
    """Best-path labels of (T, C) log-probabilities: argmax, merge repeats, drop blanks."""
    best = np.asarray(log_probs).argmax(axis=-1)  # (T,)
    out, previous = [], blank
    for symbol in best.tolist():
        if symbol != previous and symbol != blank:
            out.append(symbol)
        previous = symbol
    return out


def _logadd(a: float, b: float) -> float:
    if a == -math.inf:
        return b
    if b == -math.inf:
        return a
    hi, lo = (a, b) if a > b else (b, a)
    return hi + math.log1p(math.exp(lo - hi))


def prefix_beam_search(
    log_probs: np.ndarray,
    *,
    beam_width: int = 16,
    blank: int = 0,
    lm: CharNGramLM | None = None,
    alphabet: Sequence[str] | None = None,
    lm_weight: float = 0.5,
    length_bonus: float = 0.0,
    prune: float = -12.0,
) -> list[tuple[tuple[int, ...], float]]:
    """Beams as (labels, score) best first; score = log P(labels | x) [+ LM terms].

    Symbols with log-probability below `prune` at a frame are not extended there. With no LM
    and a beam wide enough to keep every prefix the scores are exact label log-likelihoods.
    """
    if lm is not None and alphabet is None:
        raise ValueError("an LM needs the alphabet that maps label ids to characters")
    lp = np.asarray(log_probs, dtype=np.float64)  # (T, C)
    # beams[prefix] = (log P(paths ending in blank), log P(paths ending in last label), LM)
    beams: dict[tuple[int, ...], tuple[float, float, float]] = {(): (0.0, -math.inf, 0.0)}

    def lm_term(prefix: tuple[int, ...], symbol: int) -> float:
        if lm is None or alphabet is None:
            return 0.0
        history = "".join(alphabet[i] for i in prefix)
        return lm_weight * lm.log_prob(alphabet[symbol], history) + length_bonus

    for t in range(lp.shape[0]):
        frame = lp[t]
        candidates = [c for c in range(len(frame)) if frame[c] >= prune or c == blank]
        nxt: dict[tuple[int, ...], list[float]] = defaultdict(lambda: [-math.inf, -math.inf, 0.0])
        for prefix, (p_b, p_nb, p_lm) in beams.items():
            for c in candidates:
                p = frame[c]
                if c == blank:
                    entry = nxt[prefix]
                    entry[0] = _logadd(entry[0], _logadd(p_b, p_nb) + p)
                    entry[2] = p_lm
                    continue
                extended = (*prefix, c)
                entry = nxt[extended]
                entry[2] = p_lm + lm_term(prefix, c)
                if prefix and prefix[-1] == c:
                    # a repeat needs a blank in between; without one it stays the same prefix
                    entry[1] = _logadd(entry[1], p_b + p)
                    same = nxt[prefix]
                    same[1] = _logadd(same[1], p_nb + p)
                    same[2] = p_lm
                else:
                    entry[1] = _logadd(entry[1], _logadd(p_b, p_nb) + p)
        alive = [kv for kv in nxt.items() if _logadd(kv[1][0], kv[1][1]) > -math.inf]
        ranked = sorted(alive, key=lambda kv: -(_logadd(kv[1][0], kv[1][1]) + kv[1][2]))
        beams = {k: (v[0], v[1], v[2]) for k, v in ranked[:beam_width]}
    scored = [(k, _logadd(b, nb) + lm_s) for k, (b, nb, lm_s) in beams.items()]
    return sorted(scored, key=lambda kv: -kv[1])
