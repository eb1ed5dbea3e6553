"""Shared, session-cached tokenizers and corpora for the tokenizer tests."""

import pytest

from phase4_llm.tokenizer.bpe import BPETokenizer
from phase4_llm.tokenizer.corpus import SPECIALS, parity_corpus
from phase4_llm.tokenizer.formats import load_cl100k_base


@pytest.fixture(scope="session")
def corpus_1mb() -> str:
    text = parity_corpus(1_100_000, seed=0)
    assert len(text.encode("utf-8")) >= 1_000_000
    return text


@pytest.fixture(scope="session")
def cl100k():
    return load_cl100k_base()


@pytest.fixture(scope="session")
def trained_cl100k() -> BPETokenizer:
    return BPETokenizer(vocab_size=600, pattern="cl100k", special_tokens=SPECIALS).fit(
        parity_corpus(80_000, seed=1)
    )
