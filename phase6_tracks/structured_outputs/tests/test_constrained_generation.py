"""Constrained decoding with phase 4's GPT: EOS masking, multi-character BPE tokens, 49k vocab."""

from __future__ import annotations

import json
import string

import jsonschema
import numpy as np
import pytest
import torch

from phase4_llm.common.assets import smollm2_gguf_path
from phase4_llm.common.constrained.masking import REJECTED
from phase4_llm.common.constrained.vocab import CharTokenizer, TokenVocabulary
from phase4_llm.gpt.config import GPTConfig
from phase4_llm.gpt.model import GPT
from phase4_llm.tokenizer.bpe import BPETokenizer
from phase4_llm.tokenizer.formats import from_gguf
from phase6_tracks.structured_outputs.decoding import JsonConstraint, generate_json
from phase6_tracks.structured_outputs.samples import ORDER, PERSON, json_corpus


class EosLovingGPT(GPT):
    """A GPT whose EOS logit is pushed far above every other: it wants to stop at once."""

    eos_id = 0

    def forward(self, idx, targets=None, cache=None):  # type: ignore[override]
        logits, loss = super().forward(idx, targets, cache)
        logits[..., self.eos_id] += 1e4
        return logits, loss


def _tiny(vocab_size: int, cls: type[GPT] = GPT, n_embd: int = 16) -> GPT:
    torch.manual_seed(0)
    cfg = GPTConfig(vocab_size=vocab_size, block_size=256, n_layer=1, n_head=2, n_embd=n_embd)
    return cls(cfg).eval()


def test_eos_is_masked_until_the_instance_is_complete() -> None:
    tok = CharTokenizer(string.printable)
    model = _tiny(tok.vocab_size, EosLovingGPT)
    model.eos_id = tok.eos_id
    free = generate_json(
        model, tok.encode("{"), None, 20, vocab=tok.vocabulary(), eos_token_id=tok.eos_id
    )
    assert free.tokens == [tok.eos_id]  # unconstrained, it stops at once with nothing
    constraint = JsonConstraint(PERSON, tok.vocabulary())
    out = generate_json(model, tok.encode("{"), constraint, 200)
    jsonschema.validate(json.loads(out.text), PERSON)
    assert tok.eos_id not in out.tokens  # an object ends at its closing brace: no EOS needed
    # replay: EOS was allowed exactly where the prefix was a complete instance (never, here)
    auto, masker, state = constraint.automaton, constraint.masker, constraint.automaton.initial
    for token in out.tokens:
        assert masker.costs(state)[tok.eos_id] == REJECTED
        state = masker.advance(state, token)
    assert auto.is_closed(state)
    # a number may always grow, so it ends with EOS: here right after its first digit
    number = JsonConstraint({"type": "number"}, tok.vocabulary())
    out = generate_json(model, tok.encode("{"), number, 20)
    assert len(out.tokens) == 2 and out.tokens[-1] == tok.eos_id
    assert isinstance(json.loads(out.text), int)
    assert number.masker.costs(number.automaton.initial)[tok.eos_id] == REJECTED


def test_bpe_tokens_spanning_several_json_characters() -> None:
    bpe = BPETokenizer(vocab_size=420, pattern="gpt2", special_tokens=["<|eos|>"])
    bpe.fit(json_corpus())
    eos = bpe.special_tokens_["<|eos|>"]
    vocab = TokenVocabulary.from_bpe(bpe, eos_ids=[eos])
    structural = [t for t in vocab.texts if t and len(t) > 1 and set(t) & set('{}[]":,')]
    assert len(structural) >= 5, structural  # e.g. '":', '",', '{"'
    model = _tiny(len(vocab))
    multi = 0
    for schema in (PERSON, ORDER):
        for seed in range(3):
            c = JsonConstraint(schema, vocab)
            out = generate_json(
                model, bpe.encode("{"), c, c.min_tokens() + 40, do_sample=True, seed=seed
            )
            assert out.complete
            jsonschema.validate(json.loads(out.text), schema)
            assert bpe.decode(out.tokens).replace("<|eos|>", "") == out.text
            multi += sum(len(vocab.texts[t] or "") > 1 for t in out.tokens)
    assert multi > 0  # the constraint let multi-character tokens through


@pytest.fixture(scope="module")
def smollm2_vocab() -> tuple[TokenVocabulary, BPETokenizer]:
    bpe = from_gguf(smollm2_gguf_path())
    eos = bpe.special_tokens_["<|im_end|>"]
    return TokenVocabulary.from_bpe(bpe, eos_ids=[eos]), bpe


def test_smollm2_vocabulary_of_49k_tokens_with_a_random_tiny_gpt(smollm2_vocab) -> None:
    vocab, bpe = smollm2_vocab
    assert len(vocab) == 49152
    model = _tiny(len(vocab), n_embd=8)
    c = JsonConstraint(ORDER, vocab)
    out = generate_json(model, bpe.encode("Order:"), c, c.min_tokens() + 30, do_sample=True, seed=0)
    assert out.complete
    jsonschema.validate(json.loads(out.text), ORDER)
    assert c.masker.cache_misses >= 1


def test_greedy_constrained_decode_is_deterministic() -> None:
    tok = CharTokenizer(string.printable)
    model = _tiny(tok.vocab_size)
    runs = [
        generate_json(model, tok.encode("x"), JsonConstraint(ORDER, tok.vocabulary()), 150)
        for _ in range(2)
    ]
    assert runs[0].tokens == runs[1].tokens
    jsonschema.validate(json.loads(runs[0].text), ORDER)


def test_masks_never_allow_a_token_whose_text_the_automaton_rejects(smollm2_vocab) -> None:
    vocab, _ = smollm2_vocab
    c = JsonConstraint(PERSON, vocab)
    auto = c.automaton
    state = auto.walk(auto.initial, '{"name": "Al')
    costs = c.masker.costs(state)
    allowed = [i for i in range(len(vocab)) if costs[i] != REJECTED]
    assert 1000 < len(allowed) < len(vocab)  # inside a string most tokens fit, not all
    for i in allowed[:: max(1, len(allowed) // 500)]:
        assert auto.walk(state, vocab.texts[i]) is not None
    for i in (vocab.texts.index('"}'), vocab.texts.index("\n")):
        assert costs[i] == REJECTED  # closing the object now would skip required keys


def test_mask_fast_paths_equal_the_plain_per_token_walk(smollm2_vocab) -> None:
    from phase4_llm.common.constrained.masking import TokenMasker
    from phase6_tracks.structured_outputs.bench import naive_costs

    vocab, _ = smollm2_vocab
    schema = {
        "type": "object",
        "properties": {
            "a": {"type": "string", "minLength": 3, "maxLength": 6},
            "b": {"type": "string", "minLength": 2},
            "c": {"type": "array", "items": {"enum": ["x", 1]}},
        },
    }
    c = JsonConstraint(schema, vocab)
    auto = c.automaton
    text = '{"a": "xy\\u00e9zz", "b": "q\\"r", "c": ["x", 1]}'
    state = auto.initial
    for i, ch in enumerate(text):
        if i % 3 == 0 or ch in '\\"u':  # escapes and string ends, and a third of the rest
            masker = TokenMasker(auto, vocab)  # cold: string states take the fast path
            expected = naive_costs(auto, vocab, state)
            assert np.array_equal(masker.costs(state), expected), (i, ch)
            assert np.array_equal(masker._walk_trie(state), expected), (i, ch)
        state = auto.step(state, ch)
    assert auto.is_closed(state)
