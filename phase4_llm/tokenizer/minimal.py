"""Byte-level BPE in one file (minbpe style): train by counting pairs, encode by merging ranks.

Scope: the idea only. Text is cut into chunks by a regex (GPT-4's cl100k pattern by default;
the `regex` package understands its `\\p{L}`), each chunk becomes its UTF-8 bytes (ids
0-255), and training merges the most frequent adjacent pair, recounting every pair after every
merge. Encoding merges, inside each chunk, the adjacent pair whose bytes have the lowest rank
(tiktoken's rule). No special tokens, no caching, no incremental counts: `bpe.py` and
`training.py` add those.
"""

from __future__ import annotations

import itertools
from collections import Counter

import regex

from .patterns import CL100K_PATTERN

Pair = tuple[int, int]


def merge(ids: list[int], pair: Pair, new_id: int) -> list[int]:
    """Replace every occurrence of `pair` in `ids` by `new_id`, left to right, not overlapping.

    Example: merge([1, 1, 1, 2], (1, 1), 9) -> [9, 1, 2].
    Hint: walk an index i; when ids[i], ids[i + 1] equal the pair, emit new_id and step 2.
    """
    out, i = [], 0
    while i < len(ids):
        if i + 1 < len(ids) and (ids[i], ids[i + 1]) == pair:
            out.append(new_id)
            i += 2
        else:
            out.append(ids[i])
            i += 1
    return out


def learn_merges(words: dict[tuple[int, ...], int], n_merges: int) -> list[tuple[Pair, bytes]]:
    """Up to `n_merges` merges from chunk counts {byte ids: count}: [((left, right), bytes)].

    Each step: count adjacent pairs over all chunks (weighted by the chunk's count), take the
    most frequent (ties: the smallest pair), give it the next id (256, 257, ...), merge it
    everywhere. Stop early when no pair is left.
    Hint: `min(counts, key=lambda p: (-counts[p], p))` picks the pair.
    """
    seqs = {tuple(w): n for w, n in words.items()}
    vocab = {i: bytes([i]) for i in range(256)}  # id -> bytes
    ids = {b: i for i, b in vocab.items()}  # bytes -> id
    merges: list[tuple[Pair, bytes]] = []
    for _ in range(n_merges):
        counts: Counter[Pair] = Counter()
        for seq, n in seqs.items():
            for pair in itertools.pairwise(seq):
                counts[pair] += n
        if not counts:
            break
        pair = min(counts, key=lambda p: (-counts[p], p))
        merged = vocab[pair[0]] + vocab[pair[1]]
        # Two different pairs can spell the same bytes ("a"+"bc", "ab"+"c"): one id for them.
        new_id = ids.setdefault(merged, len(vocab))
        vocab[new_id] = merged
        merges.append((pair, merged))
        new_seqs: Counter[tuple[int, ...]] = Counter()
        for seq, n in seqs.items():
            new_seqs[tuple(merge(list(seq), pair, new_id))] += n
        seqs = dict(new_seqs)
    return merges


def chunk_counts(text: str, pattern: str = CL100K_PATTERN) -> dict[tuple[int, ...], int]:
    """How often each regex chunk of `text` occurs, keyed by its UTF-8 bytes.

    Example: chunk_counts("ab ab") -> {(97, 98): 1, (32, 97, 98): 1}.
    """
    return dict(Counter(tuple(c.encode("utf-8")) for c in regex.findall(pattern, text)))


def train(text: str, vocab_size: int, pattern: str = CL100K_PATTERN) -> dict[bytes, int]:
    """Token ranks {bytes: id} of a `vocab_size` vocabulary learned from `text`."""
    ranks = {bytes([i]): i for i in range(256)}
    for _, merged in learn_merges(chunk_counts(text, pattern), vocab_size - 256):
        ranks.setdefault(merged, len(ranks))
    return ranks


def encode_chunk(chunk: bytes, ranks: dict[bytes, int]) -> list[int]:
    """The ids of one chunk: start from its bytes, merge the lowest-ranked pair until none is.

    Example (ranks b"ab": 256, b"abc": 257): b"abcd" -> [257, 100].
    Hint: rank a pair by `ranks.get(left + right)`; stop when no adjacent pair has a rank.
    """
    parts = [chunk[i : i + 1] for i in range(len(chunk))]
    while len(parts) > 1:
        pair_ranks = [ranks.get(a + b) for a, b in itertools.pairwise(parts)]
        known = [(r, i) for i, r in enumerate(pair_ranks) if r is not None]
        if not known:
            break
        _, i = min(known)  # lowest rank, leftmost on ties
        parts[i : i + 2] = [parts[i] + parts[i + 1]]
    return [ranks[p] for p in parts]


def encode(text: str, ranks: dict[bytes, int], pattern: str = CL100K_PATTERN) -> list[int]:
    """Token ids of `text`: chunk by the pattern, then BPE each chunk on its own."""
    return [i for c in regex.findall(pattern, text) for i in encode_chunk(c.encode("utf-8"), ranks)]


def decode(ids: list[int], ranks: dict[bytes, int]) -> str:
    """Text of `ids` (a cut multi-byte character becomes U+FFFD)."""
    token = {i: b for b, i in ranks.items()}
    return b"".join(token[i] for i in ids).decode("utf-8", errors="replace")
