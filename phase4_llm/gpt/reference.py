"""The transformers side of the comparisons: tiny random reference models and warpers.

Only parity checks, tests, the demo's comparison and the bench import this module.
"""

from __future__ import annotations

from typing import Any

import torch


def tiny_hf_gpt2(seed: int = 0, vocab_size: int = 101, n_positions: int = 64) -> Any:
    """A small random `GPT2LMHeadModel` built from a config (no download), eval mode."""
    from transformers import GPT2Config, GPT2LMHeadModel

    torch.manual_seed(seed)
    eos = vocab_size - 1
    cfg = GPT2Config(
        vocab_size=vocab_size,
        n_positions=n_positions,
        n_embd=32,
        n_layer=2,
        n_head=4,
        bos_token_id=eos,
        eos_token_id=eos,
        pad_token_id=eos,
    )
    return GPT2LMHeadModel(cfg).eval()


def tiny_hf_llama(seed: int = 0, vocab_size: int = 101) -> Any:
    """A small random `LlamaForCausalLM` with grouped-query attention, eval mode."""
    from transformers import LlamaConfig, LlamaForCausalLM

    torch.manual_seed(seed)
    cfg = LlamaConfig(
        vocab_size=vocab_size,
        hidden_size=48,
        intermediate_size=96,
        num_hidden_layers=2,
        num_attention_heads=6,
        num_key_value_heads=2,
        max_position_embeddings=64,
        rope_theta=10000.0,
        tie_word_embeddings=False,
        bos_token_id=0,
        eos_token_id=vocab_size - 1,
        pad_token_id=vocab_size - 1,
    )
    return LlamaForCausalLM(cfg).eval()


def random_hf_gpt2(seed: int = 0, noise: float = 0.1, **fields: Any) -> Any:
    """A `GPT2LMHeadModel` from any `GPT2Config` fields, every weight and bias seeded-random.

    transformers starts biases at zero and norms at one, which would hide a dropped bias or
    norm weight; seeded noise of std `noise` on every parameter makes each one count.
    """
    from transformers import GPT2Config, GPT2LMHeadModel

    fields.setdefault("bos_token_id", 0)
    fields.setdefault("eos_token_id", 0)
    attn = fields.pop("attn_implementation", "sdpa")
    torch.manual_seed(seed)
    return _perturb(GPT2LMHeadModel(GPT2Config(**fields, attn_implementation=attn)), seed, noise)


def random_hf_llama(seed: int = 0, noise: float = 0.1, **fields: Any) -> Any:
    """A `LlamaForCausalLM` from any `LlamaConfig` fields, every weight and bias seeded-random."""
    from transformers import LlamaConfig, LlamaForCausalLM

    fields.setdefault("bos_token_id", 0)
    fields.setdefault("eos_token_id", 0)
    torch.manual_seed(seed)
    return _perturb(LlamaForCausalLM(LlamaConfig(**fields)), seed, noise)


def _perturb(model: Any, seed: int, noise: float) -> Any:
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in model.parameters():
            p.add_(torch.randn(p.shape, generator=gen) * noise)
    return model.eval()


def hf_rotary(head_dim: int, theta: float, positions: torch.Tensor, q: torch.Tensor) -> Any:
    """q rotated by transformers' Llama rotary embedding (q: batch, heads, time, head_dim)."""
    from transformers import LlamaConfig
    from transformers.models.llama.modeling_llama import LlamaRotaryEmbedding, apply_rotary_pos_emb

    cfg = LlamaConfig(
        hidden_size=head_dim * q.shape[1],
        num_attention_heads=q.shape[1],
        rope_theta=theta,
        max_position_embeddings=int(positions.max()) + 1,
    )
    rope = LlamaRotaryEmbedding(cfg)
    cos, sin = rope(q, positions[None, :])
    return apply_rotary_pos_emb(q, q, cos, sin)[0]


def hf_warper(name: str, value: float, input_ids: torch.Tensor, logits: torch.Tensor) -> Any:
    """Apply the transformers logits processor called `name` with parameter `value`."""
    from transformers import generation as g

    processors = {
        "temperature": lambda: g.TemperatureLogitsWarper(value),
        "top_k": lambda: g.TopKLogitsWarper(int(value)),
        "top_p": lambda: g.TopPLogitsWarper(value),
        "min_p": lambda: g.MinPLogitsWarper(value),
        "repetition_penalty": lambda: g.RepetitionPenaltyLogitsProcessor(value),
    }
    return processors[name]()(input_ids, logits.clone())


def hf_generate(model: Any, idx: torch.Tensor, max_new_tokens: int, **kwargs: Any) -> Any:
    """transformers' `generate` with a full attention mask (no padding in our prompts)."""
    return model.generate(
        idx,
        attention_mask=torch.ones_like(idx),
        max_new_tokens=max_new_tokens,
        pad_token_id=model.config.eos_token_id,
        **kwargs,
    )
