"""Ours equals tiktoken: cl100k_base on >= 1 MB of mixed real text, and our exported ranks."""

import pytest

from phase0_env.common.parity import assert_parity, reference_version
from phase4_llm.tokenizer.corpus import SPECIALS, parity_corpus, source_sizes
from phase4_llm.tokenizer.formats import to_tiktoken
from phase4_llm.tokenizer.reference import tiktoken_cl100k, tiktoken_from_file

REF = reference_version("tiktoken")


def test_corpus_mixes_code_news_and_many_scripts(corpus_1mb):
    sizes = source_sizes()
    assert sizes["code"] > 300_000 and sizes["news"] > 300_000 and sizes["multilingual"] > 100_000
    scripts = {"\u0400": "Cyrillic", "\u0600": "Arabic", "\u0900": "Devanagari", "\u4e00": "CJK"}
    found = {
        name
        for ch in corpus_1mb
        for start, name in scripts.items()
        if ord(start) <= ord(ch) < ord(start) + 0x100
    }
    assert len(found) >= 3, found
    assert any(s in corpus_1mb for s in SPECIALS) and "👩‍💻" in corpus_1mb


def test_cl100k_ids_equal_tiktoken_on_1mb_with_special_tokens(cl100k, corpus_1mb):
    ours = cl100k.encode(corpus_1mb, allowed_special="all")
    ref = tiktoken_cl100k().encode(corpus_1mb, allowed_special="all")
    assert_parity(ours, ref, reference=REF, exact=True, name="cl100k 1 MB")


def test_cl100k_ordinary_encoding_equals_tiktoken_encode_ordinary(cl100k, corpus_1mb):
    text = corpus_1mb[:200_000]
    assert_parity(
        cl100k.encode_ordinary(text),
        tiktoken_cl100k().encode_ordinary(text),
        reference=REF,
        exact=True,
        name="cl100k ordinary",
    )


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "\n\n\n",
        "   \n  x",
        "I'M don'T 'll",
        "12345678901",
        "a\r\nb",
        "🫠🫠",
        "\u00a0\u3000",
    ],
)
def test_cl100k_ids_equal_tiktoken_on_edge_strings(cl100k, text):
    assert cl100k.encode(text) == tiktoken_cl100k().encode(text)


def test_decode_matches_tiktoken_decode(cl100k, corpus_1mb):
    ids = tiktoken_cl100k().encode(corpus_1mb[:50_000], allowed_special="all")
    assert cl100k.decode(ids) == tiktoken_cl100k().decode(ids)


def test_trained_tokenizer_exported_to_tiktoken_ranks_encodes_identically(trained_cl100k, tmp_path):
    path = to_tiktoken(trained_cl100k, tmp_path / "ours.tiktoken")
    enc = tiktoken_from_file(str(path), trained_cl100k.pattern_, trained_cl100k.special_tokens_)
    sample = parity_corpus(150_000, seed=5)
    assert_parity(
        trained_cl100k.encode(sample, allowed_special="all"),
        enc.encode(sample, allowed_special="all"),
        reference=REF,
        exact=True,
        name="trained -> tiktoken",
    )
