"""Save/load round trips, and our GGUF header reader agrees with the gguf package."""

from phase4_llm.common.assets import smollm2_gguf_path
from phase4_llm.tokenizer.corpus import parity_corpus
from phase4_llm.tokenizer.formats import from_tiktoken, load, read_tiktoken_ranks, save, to_tiktoken
from phase4_llm.tokenizer.gguf_metadata import read_gguf_metadata
from phase4_llm.tokenizer.patterns import bytes_to_unicode, str_to_token, token_to_str
from phase4_llm.tokenizer.reference import smollm2_gguf_fields


def test_save_load_round_trip_keeps_ids(trained_cl100k, tmp_path):
    again = load(save(trained_cl100k, tmp_path / "tok.json"))
    text = parity_corpus(30_000, seed=9)
    assert again.encode(text, allowed_special="all") == trained_cl100k.encode(
        text, allowed_special="all"
    )
    assert again.merges_ == trained_cl100k.merges_


def test_cl100k_save_load_without_merges(cl100k, tmp_path):
    again = load(save(cl100k, tmp_path / "cl.json"))
    assert again.merges_ is None and again.ranks_ == cl100k.ranks_


def test_tiktoken_rank_file_round_trip(trained_cl100k, tmp_path):
    path = to_tiktoken(trained_cl100k, tmp_path / "t.tiktoken")
    assert read_tiktoken_ranks(path) == trained_cl100k.ranks_
    assert from_tiktoken(path, "cl100k").ranks_ == trained_cl100k.ranks_


def test_byte_alphabet_is_a_bijection():
    table = bytes_to_unicode()
    assert len(set(table.values())) == 256 and table[32] == "Ġ"
    every = bytes(range(256))
    assert str_to_token(token_to_str(every)) == every


def test_gguf_header_reader_agrees_with_gguf_package():
    ours = read_gguf_metadata(smollm2_gguf_path(), prefix="tokenizer.ggml.")
    fields = smollm2_gguf_fields()
    for key in (
        "tokenizer.ggml.tokens",
        "tokenizer.ggml.merges",
        "tokenizer.ggml.token_type",
        "tokenizer.ggml.model",
        "tokenizer.ggml.eos_token_id",
    ):
        assert ours[key] == fields[key].contents(), key
