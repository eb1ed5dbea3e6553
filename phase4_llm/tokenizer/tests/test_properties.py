"""Properties over any Unicode string: round trips, and agreement with tiktoken."""

from hypothesis import given
from hypothesis import strategies as st

from phase4_llm.tokenizer.reference import tiktoken_cl100k

texts = st.text(max_size=200)


@given(texts)
def test_decode_encode_round_trips_any_unicode_with_cl100k(cl100k, text):
    assert cl100k.decode(cl100k.encode(text, allowed_special="none")) == text


@given(texts)
def test_decode_encode_round_trips_any_unicode_with_trained(trained_cl100k, text):
    assert trained_cl100k.decode(trained_cl100k.encode(text, allowed_special="none")) == text


@given(texts)
def test_cl100k_ids_equal_tiktoken_on_any_unicode(cl100k, text):
    assert cl100k.encode_ordinary(text) == tiktoken_cl100k().encode_ordinary(text)


@given(st.lists(st.sampled_from(["a", " b", "<|endoftext|>", "\n", "é", "🙂"]), max_size=30))
def test_special_tokens_encode_like_tiktoken(cl100k, parts):
    text = "".join(parts)
    assert cl100k.encode(text, allowed_special="all") == tiktoken_cl100k().encode(
        text, allowed_special="all"
    )
