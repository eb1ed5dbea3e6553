"""PEFT adapter files that were once refused: an adapted `lm_head`, regex `target_modules`.

Issue 20, item 5: both are legitimate PEFT outputs. An `lm_head` adapter file also carries
the head's base weight (`lm_head.base_layer.weight`), which PEFT loads over the model's own.
"""

import copy
import json

import pytest
import torch

from phase0_env.common.parity import assert_parity, reference_version
from phase4_llm.lora.adapters import UnsupportedAdapterError, load_adapter, read_adapter_config
from phase4_llm.lora.parity import ATOL, RTOL, tokens
from phase4_llm.lora.reference import peft_twin, randomise_adapters, tiny_llama
from phase4_llm.lora.wrap import LoRAConfig, apply_lora

PEFT = reference_version("peft")


def peft_adapter_dir(config: LoRAConfig, tmp_path):
    """Save a PEFT model with non-zero adapters (PEFT's own `save_pretrained`)."""
    base = tiny_llama(0)
    ours = apply_lora(copy.deepcopy(base), config)
    randomise_adapters(ours, seed=5)
    peft_twin(base, ours, config).save_pretrained(tmp_path)
    return tmp_path


def assert_loads_like_peft(directory, base) -> None:
    from peft import PeftModel

    theirs = PeftModel.from_pretrained(copy.deepcopy(base), directory).eval()
    ours = load_adapter(copy.deepcopy(base), directory).eval()
    ids = tokens(seed=3)
    with torch.no_grad():
        assert_parity(
            ours(input_ids=ids).logits,
            theirs(input_ids=ids).logits,
            reference=PEFT,
            rtol=RTOL,
            atol=ATOL,
            name="logits after loading the PEFT file",
        )


def test_peft_lm_head_adapter_with_its_base_weight_loads_like_peft(tmp_path):
    directory = peft_adapter_dir(LoRAConfig(target_modules=["q_proj", "lm_head"], r=4), tmp_path)
    from safetensors.torch import load_file

    assert "base_model.model.lm_head.base_layer.weight" in load_file(
        directory / "adapter_model.safetensors"
    )
    # A base whose head differs from the saved one: PEFT replaces it, so must we.
    base = tiny_llama(0)
    with torch.no_grad():
        base.lm_head.weight.mul_(-2.0)
    assert_loads_like_peft(directory, base)


@pytest.mark.parametrize(
    "pattern", [r".*\.(q|v)_proj", r"model\.layers\.1\.mlp\.\w+_proj|lm_head", "lm_head"]
)
def test_peft_regex_target_modules_load_like_peft(tmp_path, pattern):
    directory = peft_adapter_dir(LoRAConfig(target_modules=pattern, r=2, alpha=4), tmp_path)
    assert json.loads((directory / "adapter_config.json").read_text())["target_modules"] == pattern
    assert read_adapter_config(directory).target_modules == pattern
    assert_loads_like_peft(directory, tiny_llama(0))


def test_a_regex_matches_whole_module_paths_only():
    model = apply_lora(tiny_llama(0), LoRAConfig(target_modules=r"model\.layers\.0\..*_proj"))
    adapted = [n for n, m in model.named_modules() if type(m).__name__ == "LoRALinear"]
    assert adapted and all(n.startswith("model.layers.0.") for n in adapted)
    assert "lm_head" not in adapted


def test_targets_that_are_not_linear_layers_are_refused():
    # PEFT adapts embeddings with a different parametrisation; not implemented here.
    with pytest.raises(NotImplementedError, match="embed_tokens"):
        apply_lora(tiny_llama(0), LoRAConfig(target_modules=["q_proj", "embed_tokens"]))
    with pytest.raises(NotImplementedError, match="all-linear"):
        apply_lora(tiny_llama(0), LoRAConfig(target_modules="all-linear"))


@pytest.mark.parametrize(
    "key,value",
    [
        ("layers_to_transform", [0]),
        ("modules_to_save", ["lm_head"]),
        ("lora_bias", True),
        ("init_lora_weights", "pissa"),
        ("exclude_modules", ["v_proj"]),
        ("an_option_from_a_newer_peft", 3),
    ],
)
def test_adapter_config_keys_outside_the_checklist_are_refused_by_name(tmp_path, key, value):
    directory = peft_adapter_dir(LoRAConfig(target_modules=["q_proj"], r=2), tmp_path)
    raw = json.loads((directory / "adapter_config.json").read_text())
    raw[key] = value
    (directory / "adapter_config.json").write_text(json.dumps(raw))
    with pytest.raises(UnsupportedAdapterError, match=key):
        read_adapter_config(directory)
