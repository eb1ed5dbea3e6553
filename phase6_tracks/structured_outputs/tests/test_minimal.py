"""The minimal constrained decoder (`minimal.py`): every output validates with jsonschema, and
each step's mask equals the full engine's (the `TokenMasker` of phase 4's constrained
package) for the same schema."""

import json
import random

import jsonschema
import numpy as np

from phase0_env.common.parity import assert_parity, reference_version
from phase4_llm.common.constrained.automaton import JsonAutomaton
from phase4_llm.common.constrained.masking import TokenMasker
from phase4_llm.common.constrained.vocab import TokenVocabulary
from phase6_tracks.structured_outputs import minimal

# Every character the schema's keys need (the minimal mask does not look ahead for dead ends),
# and multi-character tokens, some of which straddle parts ('"}', 'e":', '0,'). No space and
# no "-": the full engine also allows JSON whitespace and negative integers, the minimal one
# writes compact JSON with ages >= 0 (a subset: what it writes still validates).
TOKENS = [*'{}":,abegmn0129', '{"name":"', '","age":', "ab", '"}', 'e":', "12", "0,", "90}"]
EOS = len(TOKENS)
VOCAB = [*TOKENS, ""]  # the EOS slot's text is never spelled out


def _random_logits(seed: int):
    rng = np.random.default_rng(seed)
    return lambda ids: rng.normal(size=len(VOCAB)) * 3


def test_every_constrained_output_parses_and_validates():
    # No token budget in the minimal version: 400 tokens leave random logits room to close.
    outputs = [minimal.constrained_greedy(_random_logits(s), VOCAB, EOS, 400) for s in range(40)]
    valid = []
    for text in outputs:
        try:
            jsonschema.validate(json.loads(text), minimal.SCHEMA)
            valid.append(True)
        except (ValueError, jsonschema.ValidationError):
            valid.append(False)
    assert_parity(
        valid,
        [True] * len(outputs),
        reference=f"{reference_version('jsonschema')} validate",
        exact=True,
        name="outputs valid",
    )


def test_masks_equal_the_full_engine_along_random_paths():
    full = TokenMasker(JsonAutomaton(minimal.SCHEMA), TokenVocabulary([*TOKENS, None], (EOS,)))
    ours_masks, full_masks = [], []
    for seed in range(12):
        rng = random.Random(seed)
        state, full_state = minimal.START, full.automaton.initial
        for _ in range(40):
            ours = minimal.token_mask(state, VOCAB, EOS)
            ours_masks.append(ours)
            full_masks.append(full.allowed(full_state, 10**6))
            token = rng.choice(np.flatnonzero(ours).tolist())
            if token == EOS:
                break
            state = minimal.walk(state, TOKENS[token])
            full_state = full.advance(full_state, token)
    assert_parity(
        np.array(ours_masks),
        np.array(full_masks),
        reference="the full phase4_llm.common.constrained TokenMasker",
        exact=True,
        name="token masks",
    )
