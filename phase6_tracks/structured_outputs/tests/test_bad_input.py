"""Clear errors: unsupported schemas, impossible budgets, bad tokens, bad RoPE settings."""

from __future__ import annotations

import string

import pytest
import torch

from phase4_llm.common.constrained.automaton import JsonAutomaton
from phase4_llm.common.constrained.masking import DeadEndError
from phase4_llm.common.constrained.schema import UnsupportedSchemaError
from phase4_llm.common.constrained.vocab import CharTokenizer, TokenVocabulary
from phase4_llm.gpt.config import GPTConfig
from phase4_llm.gpt.model import GPT
from phase6_tracks.structured_outputs.decoding import JsonConstraint, generate_json
from phase6_tracks.structured_outputs.long_context import ScaledRotaryEmbedding

TOK = CharTokenizer(string.printable)


@pytest.mark.parametrize(
    ("schema", "message"),
    [
        ({"type": "string", "pattern": "^a+$"}, "pattern"),
        ({"type": "integer", "minimum": 0}, "minimum"),
        ({"anyOf": [{"type": "string"}, {"type": "null"}]}, "anyOf"),
        ({"type": ["string", "null"]}, "single type"),
        ({"$ref": "#/definitions/x"}, r"\$ref"),
        ({"type": "object", "properties": {}, "required": ["a"]}, "required"),
        ({"type": "object", "additionalProperties": {"type": "string"}}, "additionalProperties"),
        ({"type": "array"}, "items"),
        ({"type": "string", "minLength": 3, "maxLength": 2}, "maxLength 2 < minLength 3"),
        ({"type": "array", "items": {"type": "null"}, "maxItems": -1}, "non-negative"),
        ({"enum": []}, "non-empty"),
        ({"type": "string", "enum": [1, 2]}, "no value"),
        ({"const": float("nan")}, "not JSON"),
        ({}, "unconstrained"),
        ("string", "must be an object"),
    ],
)
def test_unsupported_schema_is_a_clear_error(schema, message: str) -> None:
    with pytest.raises(UnsupportedSchemaError, match=message):
        JsonAutomaton(schema)


def test_nested_error_names_the_path() -> None:
    schema = {"type": "object", "properties": {"a": {"type": "array", "items": {"not": {}}}}}
    with pytest.raises(UnsupportedSchemaError, match=r"\$\.a\.items"):
        JsonAutomaton(schema)


def test_annotations_are_ignored_not_rejected() -> None:
    schema = {"type": "string", "format": "email", "description": "who", "title": "To"}
    assert JsonAutomaton(schema).accepts('"x"')


def _model(block: int = 64) -> GPT:
    torch.manual_seed(0)
    return GPT(
        GPTConfig(vocab_size=TOK.vocab_size, block_size=block, n_layer=1, n_head=2, n_embd=16)
    ).eval()


def test_budget_below_the_shortest_instance_is_refused() -> None:
    c = JsonConstraint({"type": "string", "minLength": 10}, TOK.vocabulary())
    assert c.min_tokens() == 12
    with pytest.raises(ValueError, match="shortest instance"):
        generate_json(_model(), TOK.encode("a"), c, 11)
    with pytest.raises(ValueError, match="block_size"):
        generate_json(_model(16), TOK.encode("a" * 10), c, 12)
    with pytest.raises(ValueError, match="empty"):
        generate_json(_model(), [], c, 20)


def test_vocabulary_without_a_needed_character_is_a_dead_end() -> None:
    vocab = TokenVocabulary(list('{}"abc:'), eos_ids=())
    model = GPT(GPTConfig(vocab_size=len(vocab), block_size=64, n_layer=1, n_head=2, n_embd=16))
    c = JsonConstraint({"type": "integer"}, vocab)  # no digit tokens at all
    with pytest.raises(DeadEndError, match="lacks a needed character"):
        generate_json(model, [0], c, 10)


def test_advancing_by_a_disallowed_token_is_refused() -> None:
    c = JsonConstraint({"type": "boolean"}, TOK.vocabulary())
    with pytest.raises(ValueError, match="not allowed"):
        c.masker.advance(c.automaton.initial, TOK.encode("x")[0])


def test_split_utf8_tokens_and_specials_are_never_allowed() -> None:
    vocab = TokenVocabulary.from_token_bytes([b'"', b"\xc3", b"\xa9", "é".encode(), None], [4])
    assert vocab.texts == ['"', None, None, "é", None]
    c = JsonConstraint({"type": "string"}, vocab)
    state = c.automaton.walk(c.automaton.initial, '"')
    allowed = c.masker.allowed(state, 5)
    assert allowed.tolist() == [True, False, False, True, False]


def test_bad_rope_settings() -> None:
    with pytest.raises(ValueError, match="unknown RoPE scaling"):
        ScaledRotaryEmbedding(8, 1e4, "yarn", 2.0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="factor"):
        ScaledRotaryEmbedding(8, 1e4, "linear", 0.5)
