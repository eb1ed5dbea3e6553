"""`from_hf` honours or refuses every config field: one case per field that was once ignored.

Before the checklist in `hf_configs.py`, each case below loaded without a word and gave other
logits than transformers (issue 20, item 2).
"""

from typing import Any

import pytest
import torch

from phase0_env.common.parity import assert_parity, reference_version
from phase4_llm.gpt import reference as ref
from phase4_llm.gpt.weights import from_hf

TRANSFORMERS = reference_version("transformers")
GPT2 = dict(vocab_size=40, n_positions=24, n_embd=16, n_layer=3, n_head=2)
LLAMA = dict(
    vocab_size=40,
    hidden_size=16,
    intermediate_size=24,
    num_hidden_layers=2,
    num_attention_heads=4,
    num_key_value_heads=2,
    max_position_embeddings=24,
)
LLAMA3_ROPE = {
    "rope_type": "llama3",
    "rope_theta": 500000.0,
    "factor": 8.0,
    "low_freq_factor": 1.0,
    "high_freq_factor": 4.0,
    "original_max_position_embeddings": 6,
}


def assert_logits_match(hf: Any) -> None:
    ids = torch.randint(0, 40, (2, 20), generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        # float32, a few layers: 1e-5 (seen: <= 5e-7)
        assert_parity(
            from_hf(hf)(ids)[0],
            hf(ids).logits,
            reference=TRANSFORMERS,
            rtol=1e-5,
            atol=1e-5,
            name="logits",
        )


@pytest.mark.parametrize(
    "fields",
    [
        dict(tie_word_embeddings=False),
        dict(activation_function="relu"),
        dict(activation_function="gelu"),
        dict(activation_function="silu"),
        dict(activation_function="quick_gelu"),
        dict(scale_attn_weights=False),
        dict(scale_attn_by_inverse_layer_idx=True),
        dict(reorder_and_upcast_attn=True, attn_implementation="eager"),
    ],
    ids=lambda f: next(f"{k}={v}" for k, v in f.items()),
)
def test_gpt2_config_field_is_honoured(fields):
    assert_logits_match(ref.random_hf_gpt2(seed=3, **GPT2, **fields))


@pytest.mark.parametrize(
    "fields",
    [
        dict(attention_bias=True),
        dict(mlp_bias=True),
        dict(hidden_act="gelu_pytorch_tanh"),
        dict(hidden_act="relu"),
        dict(head_dim=8),
        dict(tie_word_embeddings=True),
        dict(rope_parameters={"rope_type": "linear", "rope_theta": 100.0, "factor": 4.0}),
        dict(rope_parameters=LLAMA3_ROPE),
    ],
    ids=lambda f: next(f"{k}={v}" for k, v in f.items())[:40],
)
def test_llama_config_field_is_honoured(fields):
    assert_logits_match(ref.random_hf_llama(seed=4, **LLAMA, **fields))


@pytest.mark.parametrize(
    "family,field,value",
    [
        ("gpt2", "add_cross_attention", True),
        ("gpt2", "activation_function", "prelu"),
        ("llama", "rope_parameters", {"rope_type": "yarn", "factor": 2.0, "rope_theta": 1e4}),
        ("llama", "rope_parameters", {"rope_type": "dynamic", "factor": 2.0, "rope_theta": 1e4}),
    ],
)
def test_unimplemented_config_value_is_refused_naming_the_field(family, field, value):
    build = ref.random_hf_gpt2 if family == "gpt2" else ref.random_hf_llama
    hf = build(**(GPT2 if family == "gpt2" else LLAMA))
    setattr(hf.config, field, value)
    with pytest.raises((NotImplementedError, ValueError), match=field.split("_")[0]) as err:
        from_hf(hf)
    assert isinstance(err.value, NotImplementedError) and isinstance(err.value, ValueError)


def test_every_field_of_the_default_configs_is_on_the_checklist():
    from transformers import GPT2Config, LlamaConfig

    from phase4_llm.gpt import hf_configs as h

    for cfg, read, no_effect in (
        (GPT2Config(), h.GPT2_READ, h.GPT2_NO_EFFECT),
        (LlamaConfig(), h.LLAMA_READ, h.LLAMA_NO_EFFECT),
    ):
        rest = set(cfg.to_dict()) - set(read) - set(no_effect) - set(h.COMMON_NO_EFFECT)
        # Fields left must keep their default value: the only such fields today are these two.
        assert rest <= {"add_cross_attention", "is_encoder_decoder"}, rest
