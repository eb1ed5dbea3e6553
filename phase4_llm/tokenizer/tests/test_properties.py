"""Properties over any Unicode string: round trips, and agreement with tiktoken and with
SmolLM2's `tokenizers` pipeline on generated text drawn from every code point."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from phase4_llm.tokenizer.reference import smollm2_hf_tokenizer, smollm2_ours, tiktoken_cl100k
from phase4_llm.tokenizer.unicode_tables import REGEX_UNICODE, engine_difference

texts = st.text(max_size=200)

# Letters and numbers of the `regex` package's Unicode version (18.0) that the references'
# version lacks: hypothesis's own character tables (Python's unicodedata) never draw them.
NEWER = engine_difference("L", REGEX_UNICODE)[0] + engine_difference("N", REGEX_UNICODE)[0]
unicode_chars = st.one_of(
    st.characters(),  # assigned code points as Python knows them, weighted by hypothesis
    st.integers(0, 0x10FFFF).map(chr),  # any code point: unassigned, private, surrogates
    st.sampled_from(NEWER).map(chr),
    st.sampled_from(list(" \t\n\r\u00a0\u3000'sdmtlvreSDM0123456789\u0663\U00011de0")),
)
unicode_texts = st.lists(unicode_chars, max_size=80).map("".join)


def _without_surrogates(text: str) -> str:
    # `tokenizers` takes no lone surrogate; tiktoken and ours replace them by U+FFFD this way.
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


@given(texts)
def test_decode_encode_round_trips_any_unicode_with_cl100k(cl100k, text):
    assert cl100k.decode(cl100k.encode(text, allowed_special="none")) == text


@given(texts)
def test_decode_encode_round_trips_any_unicode_with_trained(trained_cl100k, text):
    assert trained_cl100k.decode(trained_cl100k.encode(text, allowed_special="none")) == text


@given(texts)
def test_cl100k_ids_equal_tiktoken_on_any_unicode(cl100k, text):
    assert cl100k.encode_ordinary(text) == tiktoken_cl100k().encode_ordinary(text)


@given(unicode_texts)
def test_cl100k_ids_equal_tiktoken_on_text_from_every_code_point(cl100k, text):
    assert cl100k.encode_ordinary(text) == tiktoken_cl100k().encode_ordinary(text)


@given(unicode_texts)
def test_smollm2_ids_equal_tokenizers_on_text_from_every_code_point(text):
    ref = smollm2_hf_tokenizer().encode(_without_surrogates(text)).ids
    assert smollm2_ours().encode_ordinary(text) == ref


@pytest.mark.slow  # 3,000 generated texts against each reference
@settings(max_examples=3_000)
@given(unicode_texts)
def test_both_tokenizers_equal_their_references_on_many_generated_texts(cl100k, text):
    assert cl100k.encode_ordinary(text) == tiktoken_cl100k().encode_ordinary(text)
    ref = smollm2_hf_tokenizer().encode(_without_surrogates(text)).ids
    assert smollm2_ours().encode_ordinary(text) == ref


@given(st.lists(st.sampled_from(["a", " b", "<|endoftext|>", "\n", "é", "🙂"]), max_size=30))
def test_special_tokens_encode_like_tiktoken(cl100k, parts):
    text = "".join(parts)
    assert cl100k.encode(text, allowed_special="all") == tiktoken_cl100k().encode(
        text, allowed_special="all"
    )
