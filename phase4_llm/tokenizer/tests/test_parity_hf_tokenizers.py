"""Ours equals Hugging Face: SmolLM2's GGUF tokenizer, and tokenizer.json files we export."""

import pytest
from tokenizers import Tokenizer

from phase0_env.common.parity import assert_parity, reference_version
from phase4_llm.common.assets import smollm2_gguf_path
from phase4_llm.tokenizer.bpe import BPETokenizer
from phase4_llm.tokenizer.corpus import SPECIALS, parity_corpus
from phase4_llm.tokenizer.formats import to_hf_json
from phase4_llm.tokenizer.reference import smollm2_hf_tokenizer, smollm2_ours

REF = reference_version("tokenizers")


def test_smollm2_tokenizer_has_the_gguf_vocabulary():
    ours = smollm2_ours()
    assert len(ours.merges_) == 48_900
    assert ours.n_vocab == 49_152
    assert ours.special_tokens_["<|im_start|>"] == 1


def test_smollm2_ids_equal_tokenizers_on_1mb(corpus_1mb):
    ours = smollm2_ours().encode(corpus_1mb, allowed_special="all")
    ref = smollm2_hf_tokenizer().encode(corpus_1mb).ids
    assert_parity(ours, ref, reference=REF, exact=True, name="SmolLM2 1 MB")


@pytest.mark.slow  # transformers import + GGUF conversion: ~10-30 s on 2 busy cores
def test_smollm2_ids_equal_transformers_gguf_loader(corpus_1mb):
    from transformers import AutoTokenizer

    path = smollm2_gguf_path()
    ref_tok = AutoTokenizer.from_pretrained(str(path.parent), gguf_file=path.name)
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


@pytest.mark.parametrize("pattern", ["gpt2", "cl100k"])
def test_trained_tokenizer_json_loads_in_tokenizers_with_equal_ids(pattern, tmp_path):
    tok = BPETokenizer(vocab_size=500, pattern=pattern, special_tokens=SPECIALS).fit(
        parity_corpus(60_000, seed=3)
    )
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
