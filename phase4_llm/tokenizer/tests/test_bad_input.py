"""Clear errors for misuse: unfitted, disallowed specials, wrong types, unknown ids, bad files."""

import pytest

from phase4_llm.tokenizer.bpe import BPETokenizer
from phase4_llm.tokenizer.formats import from_tiktoken, load
from phase4_llm.tokenizer.gguf_metadata import read_gguf_metadata


def test_encode_before_fit_raises():
    with pytest.raises(RuntimeError, match="not fitted"):
        BPETokenizer().encode("x")


def test_special_token_in_text_raises_unless_allowed(cl100k):
    with pytest.raises(ValueError, match="special token"):
        cl100k.encode("a <|endoftext|>")
    assert cl100k.encode("<|endoftext|>", allowed_special={"<|endoftext|>"}) == [100257]
    with pytest.raises(ValueError, match=r"<\|fim_prefix\|>"):
        cl100k.encode("<|fim_prefix|>", allowed_special={"<|endoftext|>"})
    assert len(cl100k.encode("<|endoftext|>", allowed_special="none")) > 1


def test_non_string_text_and_bad_options_raise(cl100k):
    with pytest.raises(TypeError):
        cl100k.encode(b"bytes")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="allowed_special"):
        cl100k.encode("x <|endoftext|>", allowed_special="some")
    with pytest.raises(TypeError):
        BPETokenizer().fit([b"bytes"])  # type: ignore[list-item]


def test_unknown_id_in_decode_raises(cl100k):
    with pytest.raises(ValueError, match="unknown token id 999999"):
        cl100k.decode([1, 999_999])


def test_vocab_size_below_256_raises():
    with pytest.raises(ValueError, match="at least 256"):
        BPETokenizer(vocab_size=100).fit("hello")


def test_wrong_files_are_rejected(tmp_path):
    bad = tmp_path / "x.json"
    bad.write_text('{"format": "other"}')
    with pytest.raises(ValueError, match="not a roadmap-bpe-tokenizer"):
        load(bad)
    with pytest.raises(ValueError, match="not a GGUF"):
        read_gguf_metadata(bad)


def test_ranks_without_every_byte_report_the_missing_bytes(tmp_path):
    path = tmp_path / "tiny.tiktoken"
    path.write_text("YQ== 0\n")  # only b"a"
    tok = from_tiktoken(path, "gpt2")
    with pytest.raises(ValueError, match="no token id"):
        tok.encode("ab")
