"""The minimal BPE (`minimal.py`) against tiktoken's cl100k_base and against the full version."""

import random

import pytest

from phase0_env.common.parity import assert_parity, reference_version
from phase4_llm.tokenizer import minimal
from phase4_llm.tokenizer.bpe import BPETokenizer, count_chunks
from phase4_llm.tokenizer.corpus import parity_corpus, synthetic_text
from phase4_llm.tokenizer.patterns import resolve_pattern
from phase4_llm.tokenizer.reference import tiktoken_cl100k
from phase4_llm.tokenizer.training import merge_pair, train_merges

FULL = "the full phase4_llm.tokenizer"


def test_merge_replaces_pairs_left_to_right_as_the_full_version():
    rng = random.Random(3)
    cases = [([1, 1, 1, 2], (1, 1)), ([1, 2, 1, 2], (1, 2))]  # overlapping "aaa", repeats
    cases += [([rng.randint(0, 2) for _ in range(12)], (rng.randint(0, 2), 1)) for _ in range(50)]
    assert_parity(
        [str(minimal.merge(seq, pair, 9)) for seq, pair in cases],
        [str(merge_pair(seq, pair, 9)) for seq, pair in cases],
        reference=f"{FULL} merge_pair",
        exact=True,
        name="merge",
    )


@pytest.fixture(scope="module")
def english() -> str:
    """Code and news prose (no specials): where every Unicode version agrees on \\p{L}."""
    return parity_corpus(40_000, seed=4, specials=())


def test_encode_with_cl100k_ranks_equals_tiktoken(english):
    tt = tiktoken_cl100k()
    text = english[:15_000] + synthetic_text(3_000, seed=2)  # emoji, digits, whitespace runs
    assert_parity(
        minimal.encode(text, tt._mergeable_ranks),
        tt.encode_ordinary(text),
        reference=f"{reference_version('tiktoken')} cl100k_base",
        exact=True,
        name="cl100k token ids",
    )


@pytest.mark.parametrize("seed", [0, 1])
def test_learned_merges_equal_the_full_incremental_trainer(seed):
    rng = random.Random(seed)
    text = "".join(rng.choice("aabbbcd e\n") for _ in range(4_000))  # many ties, "aaa" overlaps
    words = count_chunks(text, resolve_pattern("gpt2"))
    assert_parity(
        [str(m) for m in minimal.learn_merges(words, 60)],
        [str(m) for m in train_merges(words, 60)],
        reference=f"{FULL} train_merges",
        exact=True,
        name="merges on random words",
    )


def test_trained_vocabulary_and_encoding_equal_the_full_tokenizer(english):
    train, held_out = english[:18_000], english[30_000:]
    ranks = minimal.train(train, 256 + 120)
    full = BPETokenizer(vocab_size=256 + 120, pattern="cl100k").fit(train)
    assert_parity(
        sorted(ranks.items()),
        sorted(full.ranks_.items()),
        reference=f"{FULL} BPETokenizer.fit",
        exact=True,
        name="learned ranks",
    )
    ids = minimal.encode(held_out, ranks)
    assert_parity(
        ids,
        full.encode_ordinary(held_out),
        reference=f"{FULL} encode_ordinary",
        exact=True,
        name="held-out token ids",
    )
    assert minimal.decode(ids, ranks) == held_out
