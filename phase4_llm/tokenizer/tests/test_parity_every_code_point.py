"""Every code point, in every context the split patterns tell apart, encodes as the references
do: cl100k_base as tiktoken, SmolLM2 as its `tokenizers` pipeline. The default run sweeps a
sample (every range edge of the pinned tables plus random code points) in seven contexts; the
slow run sweeps all 1,112,064 non-surrogate code points next to their neighbours and between
letters, spaces and digits. Lone surrogates are tested on their own."""

import pytest

from phase0_env.common.parity import assert_parity, reference_version
from phase4_llm.tokenizer.reference import smollm2_hf_tokenizer, smollm2_ours, tiktoken_cl100k
from phase4_llm.tokenizer.sweep import (
    CORE_SEPARATORS,
    SEPARATORS,
    context_texts,
    every_code_point,
    sampled_code_points,
)

TT, HF = reference_version("tiktoken"), reference_version("tokenizers")


def _sweep_cl100k(cl100k, code_points, separators):
    ref = tiktoken_cl100k()
    for label, texts in context_texts(code_points, separators):
        assert_parity(
            [i for t in texts for i in cl100k.encode_ordinary(t)],
            [i for ids in ref.encode_ordinary_batch(texts) for i in ids],
            reference=TT,
            exact=True,
            name=f"cl100k {label}",
        )


def _sweep_smollm2(code_points, separators):
    ours, ref = smollm2_ours(), smollm2_hf_tokenizer()
    for label, texts in context_texts(code_points, separators):
        assert_parity(
            [i for t in texts for i in ours.encode_ordinary(t)],
            [i for e in ref.encode_batch_fast(texts) for i in e.ids],
            reference=HF,
            exact=True,
            name=f"SmolLM2 {label}",
        )


def test_cl100k_equals_tiktoken_on_sampled_code_points_in_every_context(cl100k):
    _sweep_cl100k(cl100k, sampled_code_points(3_000, seed=0), SEPARATORS)


def test_smollm2_equals_tokenizers_on_sampled_code_points_in_every_context():
    _sweep_smollm2(sampled_code_points(3_000, seed=1), SEPARATORS)


@pytest.mark.slow  # 4 contexts x 1.1M code points through ours and tiktoken: minutes
def test_cl100k_equals_tiktoken_on_every_code_point(cl100k):
    _sweep_cl100k(cl100k, every_code_point(), CORE_SEPARATORS)


@pytest.mark.slow  # the same sweep for SmolLM2
def test_smollm2_equals_tokenizers_on_every_code_point():
    _sweep_smollm2(every_code_point(), CORE_SEPARATORS)


@pytest.mark.parametrize(
    "text",
    [
        "x\U00010940y",  # a Unicode 17.0 letter: no letter to tiktoken, so it splits apart
        " \U00010940\U00010941 ab",
        "\u0558a 12\U00011de0",  # Unicode 17.0 letter and digit next to ASCII
        "'\U00010940s",
        "\U0003d000\U0003d001",  # Unicode 18.0 letters
    ],
)
def test_letters_newer_than_unicode_16_split_as_in_tiktoken(cl100k, text):
    assert cl100k.encode(text) == tiktoken_cl100k().encode(text)


@pytest.mark.parametrize(
    "text",
    [
        "\ud800",  # lone high surrogate
        "a\udfffb",  # lone low surrogate
        "\ud83d\ude00 x",  # a surrogate pair: tiktoken joins it into U+1F600
        "x\ud83d",
        "<|endoftext|>\udc00<|endoftext|>",
    ],
)
def test_surrogates_encode_as_in_tiktoken(cl100k, text):
    ref = tiktoken_cl100k()
    assert cl100k.encode(text, allowed_special="all") == ref.encode(text, allowed_special="all")
    assert cl100k.encode_ordinary(text) == ref.encode_ordinary(text)


def test_smollm2_encodes_surrogates_as_their_replacement():
    ours = smollm2_ours()
    assert ours.encode("a\ud800b") == ours.encode("a\ufffdb")
    assert ours.encode("\ud83d\ude00") == smollm2_hf_tokenizer().encode("\U0001f600").ids
