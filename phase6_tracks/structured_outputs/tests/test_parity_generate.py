"""Our decoding loop against phase 4's `generate`, and the milestone's parity checks."""

from __future__ import annotations

import json
import string

import pytest
import torch

from phase0_env.common.parity import assert_parity
from phase4_llm.common.constrained.vocab import CharTokenizer
from phase4_llm.gpt.config import GPTConfig
from phase4_llm.gpt.generate import generate
from phase4_llm.gpt.model import GPT
from phase6_tracks.structured_outputs.decoding import JsonConstraint, generate_json
from phase6_tracks.structured_outputs.parity import checks
from phase6_tracks.structured_outputs.samples import ORDER
from phase6_tracks.structured_outputs.scripted import ScriptedGPT

REF = "phase4_llm.gpt generate"
TOK = CharTokenizer(string.printable)


def _model(position: str) -> GPT:
    torch.manual_seed(0)
    cfg = GPTConfig(
        vocab_size=TOK.vocab_size, block_size=128, n_layer=2, n_head=2, n_embd=16, position=position
    )  # type: ignore[arg-type]
    return GPT(cfg).eval()


@pytest.mark.parametrize("position", ["learned", "rotary"])
@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"do_sample": True, "seed": 1},
        {"do_sample": True, "seed": 2, "top_p": 0.8, "temperature": 0.7},
    ],
)
def test_unconstrained_loop_equals_phase4_generate(position: str, kwargs: dict) -> None:
    model = _model(position)
    prompt = TOK.encode("Order #")
    ours = generate_json(
        model, prompt, None, 30, vocab=TOK.vocabulary(), eos_token_id=TOK.eos_id, **kwargs
    )
    ref = generate(model, torch.tensor([prompt]), 30, eos_token_id=TOK.eos_id, **kwargs)
    assert_parity(
        ours.tokens,
        ref[0, len(prompt) :].tolist(),
        reference=REF,
        exact=True,
        name=f"loop {position} {kwargs}",
    )


def test_constrained_greedy_equals_free_greedy_when_the_free_text_is_valid() -> None:
    target = json.dumps(
        {"id": 7, "status": "paid", "total": 12.5, "items": [{"sku": "A1", "qty": 2}], "note": None}
    )
    prompt = TOK.encode("> ")
    base = _model("learned")
    scripted = ScriptedGPT(base.config, prompt + TOK.encode(target))
    scripted.load_state_dict(base.state_dict())
    free = generate_json(scripted.eval(), prompt, None, len(target), vocab=TOK.vocabulary())
    assert free.text == target
    constrained = generate_json(scripted, prompt, JsonConstraint(ORDER, TOK.vocabulary()), 100)
    assert_parity(
        constrained.tokens,
        free.tokens,
        reference="ours unconstrained",
        exact=True,
        name="constrained == free greedy",
    )
    # and when the script breaks the schema, the constraint takes over but stays valid
    bad = ScriptedGPT(base.config, prompt + TOK.encode(target.replace('"paid"', '"lost"')))
    bad.load_state_dict(base.state_dict())
    out = generate_json(bad.eval(), prompt, JsonConstraint(ORDER, TOK.vocabulary()), 100)
    assert (
        out.text != target
        and json.loads(out.text)["status"] in ORDER["properties"]["status"]["enum"]
    )


def test_every_parity_check_passes() -> None:
    results = checks()
    assert len(results) >= 8
    failed = [f"{r.name}: {r.detail}" for r in results if not r.passed]
    assert not failed, failed
