"""Property tests over hypothesis-generated schemas: ours vs json.loads + jsonschema (the oracle).

- every compact spelling of a valid instance is accepted (completeness on canonical forms);
- every text the automaton accepts parses and validates (soundness), from random walks;
- a random-init tiny GPT with a character vocabulary, sampling with several seeds, always
  produces an instance that parses and validates, and stops within max_new_tokens.
"""

from __future__ import annotations

import json
import random
import string

import jsonschema
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from phase4_llm.common.constrained.automaton import JsonAutomaton
from phase4_llm.common.constrained.vocab import CharTokenizer
from phase4_llm.gpt.config import GPTConfig
from phase4_llm.gpt.model import GPT
from phase6_tracks.structured_outputs.decoding import JsonConstraint, generate_json

NAMES = st.text(alphabet=string.ascii_lowercase + "_", min_size=1, max_size=4)
SHORT = st.text(alphabet=string.ascii_letters + ' "\\é', max_size=4)
SCALARS = st.one_of(st.integers(-99, 99), SHORT, st.booleans(), st.none())


def _string_schema(lo: int, span: int | None) -> dict:
    schema: dict = {"type": "string"}
    if lo:
        schema["minLength"] = lo
    if span is not None:
        schema["maxLength"] = lo + span
    return schema


LEAVES = st.one_of(
    st.builds(_string_schema, st.integers(0, 2), st.one_of(st.none(), st.integers(0, 5))),
    st.sampled_from(
        [{"type": "integer"}, {"type": "number"}, {"type": "boolean"}, {"type": "null"}]
    ),
    st.lists(SHORT, min_size=1, max_size=3, unique=True).map(
        lambda v: {"type": "string", "enum": v}
    ),
    st.lists(SCALARS, min_size=1, max_size=3).map(lambda v: {"enum": v}),
    SCALARS.map(lambda v: {"const": v}),
)


def _array(items: st.SearchStrategy) -> st.SearchStrategy:
    def build(item: dict, lo: int, span: int | None) -> dict:
        schema = {"type": "array", "items": item, "minItems": lo}
        if span is not None:
            schema["maxItems"] = lo + span
        return schema

    return st.builds(build, items, st.integers(0, 2), st.one_of(st.none(), st.integers(0, 2)))


def _object(values: st.SearchStrategy) -> st.SearchStrategy:
    def build(props: dict) -> dict:
        names = list(props)
        return {
            "type": "object",
            "properties": props,
            "required": names[: len(names) // 2 + 1],
            "additionalProperties": False,
        }

    return st.dictionaries(NAMES, values, min_size=0, max_size=3).map(build)


SCHEMAS = st.recursive(LEAVES, lambda c: st.one_of(_array(c), _object(c)), max_leaves=6)


def instances(schema: dict) -> st.SearchStrategy:
    """Valid instances of a schema from SCHEMAS, built independently of our compiler."""
    if "const" in schema:
        return st.just(schema["const"])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    kind = schema["type"]
    if kind == "string":
        hi = schema.get("maxLength", schema.get("minLength", 0) + 6)
        return st.text(min_size=schema.get("minLength", 0), max_size=hi)
    if kind == "integer":
        return st.integers(-(10**14), 10**14)
    if kind == "number":
        return st.one_of(st.integers(-999, 999), st.floats(-1e15, 1e15, allow_nan=False))
    if kind == "boolean":
        return st.booleans()
    if kind == "null":
        return st.none()
    if kind == "array":
        hi = schema.get("maxItems", schema["minItems"] + 2)
        return st.lists(instances(schema["items"]), min_size=schema["minItems"], max_size=hi)
    names = list(schema["properties"])  # in declared order (fixed_dictionaries may reorder)
    values = st.tuples(*(instances(schema["properties"][n]) for n in names))
    return values.map(lambda vals: dict(zip(names, vals, strict=True)))


@given(st.data())
@settings(max_examples=60)
def test_every_compact_spelling_of_a_valid_instance_is_accepted(data: st.DataObject) -> None:
    schema = data.draw(SCHEMAS)
    value = data.draw(instances(schema))
    jsonschema.validate(value, schema)  # the strategy itself must agree with the oracle
    auto = JsonAutomaton(schema)
    for seps in ((",", ":"), (", ", ": ")):
        text = json.dumps(value, separators=seps, ensure_ascii=False)
        assert auto.accepts(text), f"rejected {text!r} for {schema}"


def random_walk(auto: JsonAutomaton, rng: random.Random, alphabet: str, budget: int) -> str:
    """A random accepted text: any allowed character, as long as the rest still fits."""
    state, out = auto.initial, []
    for left in range(budget - 1, -1, -1):
        if auto.is_accepting(state) and (auto.is_closed(state) or rng.random() < 0.2):
            break
        options = [
            (ch, nxt)
            for ch in alphabet
            if (nxt := auto.step(state, ch)) is not None and auto.min_chars(nxt) <= left
        ]
        assert options, f"dead end after {''.join(out)!r}"
        ch, state = rng.choice(options)
        out.append(ch)
    assert auto.is_accepting(state)
    return "".join(out)


ALPHABET = string.printable + "é✓"


@given(SCHEMAS, st.integers(0, 2**32 - 1))
@settings(max_examples=40)
def test_every_text_the_automaton_accepts_parses_and_validates(schema: dict, seed: int) -> None:
    auto = JsonAutomaton(schema)
    rng = random.Random(seed)
    for _ in range(5):
        text = random_walk(auto, rng, ALPHABET, auto.min_chars(auto.initial) + 25)
        jsonschema.validate(json.loads(text), schema)


@pytest.fixture(scope="module")
def char_model() -> tuple[GPT, CharTokenizer]:
    tok = CharTokenizer(ALPHABET)
    torch.manual_seed(0)
    cfg = GPTConfig(vocab_size=tok.vocab_size, block_size=160, n_layer=1, n_head=2, n_embd=16)
    return GPT(cfg).eval(), tok


@given(SCHEMAS)
@settings(max_examples=20)
def test_random_tiny_gpt_sampling_always_yields_valid_instances(
    char_model: tuple[GPT, CharTokenizer], schema: dict
) -> None:
    model, tok = char_model
    vocab = tok.vocabulary()
    for seed in (0, 1, 2):
        constraint = JsonConstraint(schema, vocab)
        budget = constraint.min_tokens() + 15
        out = generate_json(
            model, tok.encode("{"), constraint, budget, do_sample=True, temperature=1.5, seed=seed
        )
        assert out.complete and len(out.tokens) <= budget
        jsonschema.validate(json.loads(out.text), schema)
