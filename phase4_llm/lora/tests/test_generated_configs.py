"""Generated LoRA configurations: ours equals PEFT on every one drawn.

Drawn: rank, alpha, rsLoRA, and target modules as a list of names (including `lm_head`) or as
a regular expression over module paths. Dropout is 0 (dropout parity is a fixed check in
parity.py). Each example compares logits and adapter gradients with PEFT's `LoraModel`, then
loads PEFT's saved file into ours and ours into PEFT. A few examples by default, many in `slow`.
"""

import copy
from typing import Any

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from phase0_env.common.parity import assert_parity, reference_version
from phase4_llm.lora.adapters import load_adapter, save_adapter
from phase4_llm.lora.parity import ATOL, RTOL, TARGETS, tokens
from phase4_llm.lora.reference import peft_twin, randomise_adapters, tiny_llama
from phase4_llm.lora.wrap import LoRAConfig, apply_lora, lora_layers

PEFT = reference_version("peft")
FEW, MANY = 5, 60
NAMES = [*TARGETS, "lm_head"]


@st.composite
def target_modules(draw: Any) -> list[str] | str:
    """A list of module names, or a regex naming some projections of some layers (+ lm_head)."""
    names = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=4, unique=True))
    if draw(st.booleans()):
        return names
    parts = []
    projections = [n for n in names if n != "lm_head"]
    if projections:
        layers = draw(st.sampled_from([r"\d+", "0", "1", "(0|1)"]))
        parts.append(rf"model\.layers\.{layers}\.\w+\.({'|'.join(projections)})")
    if "lm_head" in names:
        parts.append("lm_head")
    return "|".join(parts)


@st.composite
def lora_configs(draw: Any) -> LoRAConfig:
    return LoRAConfig(
        target_modules=draw(target_modules()),
        r=draw(st.integers(1, 8)),
        alpha=draw(st.sampled_from([1.0, 2.0, 8.0, 16.0, 32.0])),
        dropout=0.0,
        use_rslora=draw(st.booleans()),
    )


def check(config: LoRAConfig, seed: int, tmp_path) -> None:
    from peft import PeftModel

    base = tiny_llama(seed % 3)
    ours = apply_lora(copy.deepcopy(base), config)
    randomise_adapters(ours, seed=seed)
    theirs = peft_twin(base, ours, config)
    ids = tokens(seed=seed, length=7)
    a, b = ours(input_ids=ids, labels=ids), theirs(input_ids=ids, labels=ids)
    a.loss.backward()
    b.loss.backward()
    assert_parity(a.logits, b.logits, reference=PEFT, rtol=RTOL, atol=ATOL, name="logits")
    for name, layer in lora_layers(ours):
        peft_layer = theirs.base_model.model.get_submodule(name)
        for part in ("lora_A", "lora_B"):
            assert_parity(
                getattr(layer, part).weight.grad,
                getattr(peft_layer, part)["default"].weight.grad,
                reference=PEFT,
                rtol=RTOL,
                atol=ATOL,
                name=f"{name}.{part} gradient",
            )
    # Files both ways: PEFT's file in ours, ours in PEFT.
    theirs.save_pretrained(tmp_path / "peft")
    save_adapter(ours, config, tmp_path / "ours")
    with torch.no_grad():
        expected = theirs.eval()(input_ids=ids).logits
        loaded = load_adapter(copy.deepcopy(base), tmp_path / "peft").eval()
        back = PeftModel.from_pretrained(copy.deepcopy(base), tmp_path / "ours").eval()
        for label, model in (("PEFT file in ours", loaded), ("our file in PEFT", back)):
            assert_parity(
                model(input_ids=ids).logits,
                expected,
                reference=PEFT,
                rtol=RTOL,
                atol=ATOL,
                name=label,
            )


@settings(max_examples=FEW)
@given(config=lora_configs(), seed=st.integers(0, 2**16))
def test_generated_lora_configs_match_peft(tmp_path_factory, config, seed):
    check(config, seed, tmp_path_factory.mktemp("lora"))


@pytest.mark.slow
@settings(max_examples=MANY)
@given(config=lora_configs(), seed=st.integers(0, 2**16))
def test_many_generated_lora_configs_match_peft(tmp_path_factory, config, seed):
    check(config, seed, tmp_path_factory.mktemp("lora"))
