"""Parity checks of the GPT milestone against transformers (used by `roadmap parity/report`)."""

from __future__ import annotations

from typing import Any, cast

import torch

from phase0_env.common.parity import ParityResult, compare, reference_version

from . import reference as ref
from .config import GPTConfig
from .generate import generate
from .model import RotaryEmbedding, apply_rotary
from .sampling import warp
from .weights import from_hf

TRANSFORMERS = reference_version("transformers")
WARPERS = {"temperature": 0.7, "top_k": 5, "top_p": 0.8, "min_p": 0.1, "repetition_penalty": 1.3}


def ours_warper(
    name: str, value: float, input_ids: torch.Tensor, logits: torch.Tensor
) -> torch.Tensor:
    """Our warper called `name`, through the same `warp` entry point generation uses."""
    key = {"repetition_penalty": "repetition"}.get(name, name)
    return warp(logits, input_ids, **cast(dict[str, Any], {key: value}))


def checks(include_smollm2: bool = True) -> list[ParityResult]:
    """GPT-2 and Llama logits, greedy and sampled tokens, RoPE, warpers, SmolLM2."""
    torch.manual_seed(0)
    results = []
    hf = ref.tiny_hf_gpt2()
    ours = from_hf(hf)
    x = torch.randint(0, 100, (2, 12))
    with torch.no_grad():
        results.append(
            compare(
                "gpt2 logits (fp32)",
                ours(x)[0],
                hf(x).logits,
                reference=TRANSFORMERS,
                rtol=1e-5,
                atol=1e-5,
            )
        )
    results.append(
        compare(
            "gpt2 greedy generate",
            generate(ours, x, 24, eos_token_id=hf.config.eos_token_id),
            ref.hf_generate(hf, x, 24, do_sample=False),
            reference=TRANSFORMERS,
            exact=True,
        )
    )
    sample = dict(
        do_sample=True, temperature=0.8, top_k=20, top_p=0.9, min_p=0.05, repetition_penalty=1.2
    )
    torch.manual_seed(7)
    ours_s = generate(ours, x, 24, eos_token_id=hf.config.eos_token_id, **sample)
    torch.manual_seed(7)
    results.append(
        compare(
            "gpt2 sampled generate (same seed)",
            ours_s,
            ref.hf_generate(hf, x, 24, **sample),
            reference=TRANSFORMERS,
            exact=True,
        )
    )
    llama = ref.tiny_hf_llama()
    ours_l = from_hf(llama)
    with torch.no_grad():
        results.append(
            compare(
                "llama (GQA) logits (fp32)",
                ours_l(x)[0],
                llama(x).logits,
                reference=TRANSFORMERS,
                rtol=1e-5,
                atol=1e-5,
            )
        )
    q = torch.randn(2, 3, 40, 16)
    pos = torch.arange(40)
    cos, sin = RotaryEmbedding(GPTConfig(n_embd=48, n_head=3, position="rotary"))(pos, q.dtype)
    results.append(
        compare(
            "RoPE",
            apply_rotary(q, cos, sin),
            ref.hf_rotary(16, 10000.0, pos, q),
            reference=TRANSFORMERS,
            rtol=1e-5,
            atol=1e-6,
        )
    )
    logits, ids = torch.randn(4, 50) * 3, torch.randint(0, 50, (4, 10))
    for name, value in WARPERS.items():
        results.append(
            compare(
                f"warper {name}={value}",
                ours_warper(name, value, ids, logits),
                ref.hf_warper(name, value, ids, logits),
                reference=TRANSFORMERS,
                rtol=1e-6,
            )
        )
    results.append(
        compare(
            "kv cache == no cache (batch 2)",
            generate(ours_l, x, 20),
            generate(ours_l, x, 20, use_cache=False),
            reference="ours without cache",
            exact=True,
        )
    )
    results.extend(config_field_checks(x))
    if include_smollm2:
        results.extend(smollm2_checks())
    return results


def config_field_checks(x: torch.Tensor) -> list[ParityResult]:
    """Non-default config fields honoured: untied head, activation, attention scaling, biases."""
    gpt2 = ref.random_hf_gpt2(
        seed=5,
        vocab_size=101,
        n_positions=32,
        n_embd=32,
        n_layer=3,
        n_head=4,
        tie_word_embeddings=False,
        activation_function="relu",
        scale_attn_weights=False,
        scale_attn_by_inverse_layer_idx=True,
    )
    llama = ref.random_hf_llama(
        seed=6,
        vocab_size=101,
        hidden_size=24,
        intermediate_size=40,
        num_hidden_layers=2,
        num_attention_heads=6,
        num_key_value_heads=3,
        head_dim=8,
        max_position_embeddings=32,
        hidden_act="gelu",
        attention_bias=True,
        mlp_bias=True,
        rope_parameters={"rope_type": "linear", "rope_theta": 500.0, "factor": 4.0},
    )
    out = []
    for name, hf in (
        ("gpt2 untied head, relu, attention / (layer+1) not / sqrt(d)", gpt2),
        ("llama biases, head_dim 8 of 24/6, gelu, linear RoPE x4", llama),
    ):
        ours = from_hf(hf)
        with torch.no_grad():
            out.append(
                compare(
                    f"{name}: logits (fp32)",
                    ours(x)[0],
                    hf(x).logits,
                    reference=TRANSFORMERS,
                    rtol=1e-5,
                    atol=1e-5,
                )
            )
    return out


def smollm2_checks(new_tokens: int = 4) -> list[ParityResult]:
    """Real SmolLM2-135M weights: logits (fp32) and a greedy continuation vs transformers."""
    from .smollm2 import load_smollm2_reference

    hf, tok = load_smollm2_reference()
    ours = from_hf(hf)
    ids = tok("The capital of France is", return_tensors="pt").input_ids
    with torch.no_grad():
        logits = compare(
            "SmolLM2-135M logits (fp32)",
            ours(ids)[0],
            hf(ids).logits,
            reference=TRANSFORMERS,
            rtol=1e-4,
            atol=1e-4,
        )
    tokens = compare(
        f"SmolLM2-135M greedy {new_tokens} tokens",
        generate(ours, ids, new_tokens),
        ref.hf_generate(hf, ids, new_tokens, do_sample=False),
        reference=TRANSFORMERS,
        exact=True,
    )
    return [logits, tokens]
