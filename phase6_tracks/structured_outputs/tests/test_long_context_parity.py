"""RoPE scaling equals transformers' "linear" and "dynamic" (NTK) RoPE on a tiny random Llama."""

from __future__ import annotations

import pytest
import torch

from phase0_env.common.parity import assert_parity, reference_version
from phase4_llm.gpt.config import GPTConfig
from phase4_llm.gpt.model import GPT
from phase4_llm.gpt.weights import llama_config, map_llama_state_dict
from phase6_tracks.structured_outputs.long_context import ScaledRoPEGPT

REF = reference_version("transformers")


def tiny_scaled_llama(rope: dict, seed: int = 0):
    from transformers import LlamaConfig, LlamaForCausalLM

    torch.manual_seed(seed)
    cfg = LlamaConfig(
        vocab_size=97,
        hidden_size=32,
        intermediate_size=64,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=16,
        rope_parameters={"rope_theta": 10000.0, **rope},
    )
    return LlamaForCausalLM(cfg).eval()


def ours_from(hf, kind: str, factor: float) -> ScaledRoPEGPT:
    cfg = llama_config_default(hf)
    base = GPT(cfg)
    base.load_state_dict(map_llama_state_dict(hf.state_dict(), cfg), strict=True)
    return ScaledRoPEGPT.from_base(base.eval(), kind, factor)  # type: ignore[arg-type]


def llama_config_default(hf) -> GPTConfig:
    # phase 4 maps only default RoPE; present the same config with the scaling stripped
    rope = dict(hf.config.rope_parameters)
    hf.config.rope_parameters = {"rope_type": "default", "rope_theta": rope["rope_theta"]}
    try:
        return llama_config(hf.config)
    finally:
        hf.config.rope_parameters = rope


@pytest.mark.parametrize("factor", [2.0, 4.0])
def test_linear_scaling_equals_transformers_linear_rope(factor: float) -> None:
    hf = tiny_scaled_llama({"rope_type": "linear", "factor": factor})
    ours = ours_from(hf, "linear", factor)
    ids = torch.randint(0, 97, (2, int(16 * factor)), generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        # float32 logits: 1e-5 (atol for logits near zero)
        assert_parity(
            ours(ids)[0],
            hf(ids).logits,
            reference=REF,
            rtol=1e-5,
            atol=1e-6,
            name=f"linear RoPE x{factor} logits",
        )


@pytest.mark.parametrize("length", [24, 40])
def test_ntk_scaling_equals_transformers_dynamic_rope_at_that_length(length: int) -> None:
    factor = 2.0
    hf = tiny_scaled_llama({"rope_type": "dynamic", "factor": factor})
    # transformers' dynamic NTK picks its scale from the current length
    alpha = factor * length / 16 - (factor - 1)
    ours = ours_from(hf, "ntk", alpha)
    ids = torch.randint(0, 97, (1, length), generator=torch.Generator().manual_seed(2))
    with torch.no_grad():
        assert_parity(
            ours(ids)[0],
            hf(ids).logits,
            reference=REF,
            rtol=1e-5,
            atol=1e-6,
            name=f"NTK RoPE (alpha {alpha}) logits",
        )


def test_scaling_of_one_is_the_base_model_exactly() -> None:
    torch.manual_seed(0)
    base = GPT(GPTConfig.llama(vocab_size=50, block_size=32, n_embd=32, n_head=4)).eval()
    ids = torch.randint(0, 50, (1, 32))
    for kind in ("linear", "ntk"):
        scaled = ScaledRoPEGPT.from_base(base, kind, 1.0)
        assert torch.equal(scaled(ids)[0], base(ids)[0])
    with pytest.raises(ValueError, match="rotary"):
        ScaledRoPEGPT(GPTConfig(vocab_size=50))
