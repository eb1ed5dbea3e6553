"""Incremental training learns exactly the merges of the minimal recount-every-merge loop."""

import random

import pytest

from phase4_llm.tokenizer.bpe import BPETokenizer, count_chunks
from phase4_llm.tokenizer.corpus import parity_corpus
from phase4_llm.tokenizer.minimal import learn_merges
from phase4_llm.tokenizer.patterns import resolve_pattern
from phase4_llm.tokenizer.training import merge_pair, train_merges


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_incremental_merges_equal_minimal_on_seeded_random_words(seed):
    rng = random.Random(seed)
    alphabet = "aabbbcd e\n"  # few symbols: many ties and overlapping pairs (aaa)
    text = "".join(rng.choice(alphabet) for _ in range(6_000))
    words = count_chunks(text, resolve_pattern("gpt2"))
    assert train_merges(words, 80) == learn_merges(words, 80)


def test_incremental_merges_equal_minimal_on_real_text():
    words = count_chunks(parity_corpus(30_000, seed=7), resolve_pattern("cl100k"))
    fast, slow = train_merges(words, 120), learn_merges(words, 120)
    assert len(fast) == 120 and fast == slow


def test_training_stops_when_no_pair_is_left():
    words = count_chunks("ab ab", resolve_pattern("gpt2"))
    merges = train_merges(words, 50)
    assert merges == learn_merges(words, 50)
    assert [m[1] for m in merges] == [b"ab", b" ab"]  # chunks "ab", " ab"


def test_merge_pair_replaces_non_overlapping_left_to_right():
    assert merge_pair([1, 1, 1, 2], (1, 1), 9) == [9, 1, 2]
    assert merge_pair([1, 2, 1, 2], (1, 2), 7) == [7, 7]


def test_fit_learns_requested_vocabulary_and_frequent_words_become_one_token():
    text = parity_corpus(20_000, seed=8, specials=()) + " the cat the hat" * 50
    tok = BPETokenizer(vocab_size=300, pattern="gpt2").fit(text)
    assert len(tok.ranks_) == 300
    assert tok.encode(" the") == [tok.ranks_[b" the"]]


def test_training_stops_early_when_the_corpus_runs_out_of_pairs():
    tok = BPETokenizer(vocab_size=400, pattern="gpt2").fit("the cat the hat " * 50)
    assert 256 < len(tok.ranks_) < 400
    assert tok.encode(" the cat") == [tok.ranks_[b" the"], tok.ranks_[b" cat"]]


def test_special_tokens_get_ids_after_the_vocabulary_and_never_merge():
    tok = BPETokenizer(vocab_size=280, special_tokens=["<|end|>"]).fit("ab<|end|>ab<|end|>" * 20)
    assert tok.special_tokens_ == {"<|end|>": len(tok.ranks_)}
    assert not any(b"end" in t for t in tok.ranks_)  # never learned from the special's text
    assert tok.encode("ab<|end|>", allowed_special="all")[-1] == len(tok.ranks_)
