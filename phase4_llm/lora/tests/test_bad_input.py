"""Clear errors for settings and files this LoRA cannot honour."""

import json

import pytest
from torch import nn

from phase4_llm.lora.adapters import load_adapter, read_adapter_config, save_adapter
from phase4_llm.lora.layer import LoRALinear
from phase4_llm.lora.reference import tiny_llama
from phase4_llm.lora.wrap import LoRAConfig, apply_lora


def test_rank_and_dropout_are_validated():
    with pytest.raises(ValueError, match="rank r must be positive"):
        LoRALinear(nn.Linear(4, 4), r=0)
    with pytest.raises(ValueError, match="dropout"):
        LoRALinear(nn.Linear(4, 4), dropout=1.0)


def test_a_target_that_matches_nothing_is_an_error():
    with pytest.raises(ValueError, match="no linear layer matches"):
        apply_lora(tiny_llama(), LoRAConfig(target_modules=["qproj"]))


def test_adapter_for_other_modules_is_refused(tmp_path):
    model = apply_lora(tiny_llama(), LoRAConfig(target_modules=["q_proj"]))
    save_adapter(model, LoRAConfig(target_modules=["q_proj"]), tmp_path)
    config = json.loads((tmp_path / "adapter_config.json").read_text())
    config["target_modules"] = ["k_proj"]
    (tmp_path / "adapter_config.json").write_text(json.dumps(config))
    with pytest.raises(ValueError, match="does not fit this model"):
        load_adapter(tiny_llama(), tmp_path)


def test_unsupported_peft_options_are_refused(tmp_path):
    (tmp_path / "adapter_config.json").write_text(
        json.dumps(
            {
                "peft_type": "LORA",
                "r": 4,
                "lora_alpha": 8,
                "target_modules": ["q_proj"],
                "use_dora": True,
            }
        )
    )
    with pytest.raises(ValueError, match="does not implement"):
        read_adapter_config(tmp_path)
    (tmp_path / "adapter_config.json").write_text(json.dumps({"peft_type": "IA3"}))
    with pytest.raises(ValueError, match="not a LoRA adapter"):
        read_adapter_config(tmp_path)
