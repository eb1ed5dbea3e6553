"""Ours equals Hugging Face: SmolLM2's GGUF tokenizer (with the pre-tokenizer its GGUF
declares), and tokenizer.json files we export."""

import gguf
import pytest
from tokenizers import Tokenizer, pre_tokenizers

from phase0_env.common.parity import assert_parity, reference_version
from phase4_llm.common.assets import smollm2_gguf_path
from phase4_llm.tokenizer.bpe import BPETokenizer
from phase4_llm.tokenizer.corpus import SPECIALS, parity_corpus
from phase4_llm.tokenizer.formats import from_gguf, to_hf_json, to_tiktoken
from phase4_llm.tokenizer.patterns import token_to_str
from phase4_llm.tokenizer.reference import smollm2_hf_tokenizer, smollm2_ours

REF = reference_version("tokenizers")


def test_smollm2_tokenizer_has_the_gguf_vocabulary():
    ours = smollm2_ours()
    assert len(ours.merges_) == 48_900
    assert ours.n_vocab == 49_152
    assert ours.special_tokens_["<|im_start|>"] == 1


@pytest.mark.parametrize(
    "text",
    [
        "Hello world! 123",
        "x  12   345\n\n 6",  # runs of spaces before digits
        " \u0661\u0662\u0663 \u096b\u096c \uff11\uff12",  # Arabic-Indic, Devanagari, fullwidth
        "x\u00b2 \u2167 \u00bd 3.14 1e-5",  # superscript, Roman numeral, fraction (numeric)
        " \U00011de0\U00011de1",  # Unicode 17.0 digits: numeric to the Digits step only
    ],
)
def test_smollm2_splits_every_digit_as_its_gguf_pre_type_declares(text):
    # tokenizer.ggml.pre = "smollm": every number character is a chunk of its own, so a space
    # before a digit is never glued to it; our loader ignored this before.
    ours = smollm2_ours()
    assert ours.split_digits_
    assert ours.encode(text) == smollm2_hf_tokenizer().encode(text).ids
    assert ours.encode("x  1") == [ours.ranks_[t] for t in (b"x", b"  ", b"1")]


def _write_gguf(path, pre: str | None):
    writer = gguf.GGUFWriter(str(path), "llama")
    writer.add_tokenizer_model("gpt2")
    if pre is not None:
        writer.add_tokenizer_pre(pre)
    tokens = [token_to_str(bytes([b])) for b in range(256)] + [token_to_str(b" 1")]
    writer.add_token_list(tokens)
    writer.add_token_types([1] * len(tokens))
    writer.add_token_merges([f"{token_to_str(b' ')} 1"])
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path


@pytest.mark.parametrize(("pre", "glued"), [("gpt-2", True), ("smollm", False)])
def test_gguf_pre_type_decides_whether_digits_split(tmp_path, pre, glued):
    tok = from_gguf(_write_gguf(tmp_path / "t.gguf", pre))
    assert (tok.encode(" 1") == [256]) == glued


@pytest.mark.parametrize("pre", ["llama-bpe", "qwen2", None])
def test_gguf_with_an_unimplemented_or_missing_pre_type_is_refused(tmp_path, pre):
    with pytest.raises(ValueError, match=r"tokenizer\.ggml\.pre.*not supported"):
        from_gguf(_write_gguf(tmp_path / "t.gguf", pre))


def test_smollm2_ids_equal_tokenizers_on_1mb(corpus_1mb):
    ours = smollm2_ours().encode(corpus_1mb, allowed_special="all")
    ref = smollm2_hf_tokenizer().encode(corpus_1mb).ids
    assert_parity(ours, ref, reference=REF, exact=True, name="SmolLM2 1 MB")


@pytest.mark.slow  # transformers import + GGUF conversion: ~10-30 s on 2 busy cores
def test_smollm2_ids_equal_transformers_gguf_loader(corpus_1mb):
    from transformers import AutoTokenizer

    path = smollm2_gguf_path()
    ref_tok = AutoTokenizer.from_pretrained(str(path.parent), gguf_file=path.name)
    # transformers 5.24's GGUF loader knows no split for tokenizer.ggml.pre = "smollm" and
    # keeps plain ByteLevel, which splits "x  1" as "x", " ", " 1" where SmolLM2's own
    # tokenizer.json gives "x", "  ", "1"; give it that pre-tokenizer and compare what it does
    # convert (vocab, merges, special tokens).
    assert ref_tok.encode("x  1", add_special_tokens=False) != smollm2_ours().encode("x  1")
    ref_tok.backend_tokenizer.pre_tokenizer = pre_tokenizers.Sequence(
        [
            pre_tokenizers.Digits(individual_digits=True),
            pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True),
        ]
    )
    text = corpus_1mb[:100_000] + "<|im_start|>user\nhi<|im_end|>"
    assert_parity(
        smollm2_ours().encode(text, allowed_special="all"),
        ref_tok.encode(text, add_special_tokens=False),
        reference=reference_version("transformers"),
        exact=True,
        name="SmolLM2 vs transformers",
    )


def test_smollm2_decode_equals_tokenizers_decode(corpus_1mb):
    ids = smollm2_hf_tokenizer().encode(corpus_1mb[:50_000]).ids
    assert smollm2_ours().decode(ids) == smollm2_hf_tokenizer().decode(
        ids, skip_special_tokens=False
    )


@pytest.mark.parametrize(
    ("pattern", "split_digits"), [("gpt2", False), ("cl100k", False), ("gpt2", True)]
)
def test_trained_tokenizer_json_loads_in_tokenizers_with_equal_ids(pattern, split_digits, tmp_path):
    tok = BPETokenizer(
        vocab_size=500, pattern=pattern, special_tokens=SPECIALS, split_digits=split_digits
    ).fit(parity_corpus(60_000, seed=3))
    hf = Tokenizer.from_file(str(to_hf_json(tok, tmp_path / "tokenizer.json")))
    sample = parity_corpus(150_000, seed=4)
    assert_parity(
        tok.encode(sample, allowed_special="all"),
        hf.encode(sample).ids,
        reference=REF,
        exact=True,
        name=f"trained {pattern} -> tokenizer.json",
    )
    assert hf.decode(hf.encode(sample).ids, skip_special_tokens=False) == sample


def test_digit_splitting_tokenizer_is_not_exported_as_tiktoken_ranks(tmp_path):
    tok = BPETokenizer(vocab_size=260, pattern="gpt2", split_digits=True).fit("a 12 a 12")
    assert b" 1" not in tok.ranks_ and tok.encode(" 12") == [32, 49, 50]
    with pytest.raises(ValueError, match="digit-splitting"):
        to_tiktoken(tok, tmp_path / "t.tiktoken")


@pytest.mark.parametrize(
    "text",
    [
        "a\x04b\x1dc",  # control characters whose byte SmolLM2 has no token for
        "\U00052074\U00052088\U0005209c",  # 4-byte characters with lead byte 0xF1 (no token)
    ],
)
def test_bytes_without_a_token_are_dropped_before_merging_as_in_tokenizers(text):
    # tokenizers drops such a byte before merging, so its neighbours can merge across it;
    # ours raised on it before, and once dropped it after merging.
    assert smollm2_ours().encode(text) == smollm2_hf_tokenizer().encode(text).ids
