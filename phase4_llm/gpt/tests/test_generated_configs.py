"""Generated GPT-2 and Llama configurations: ours equals transformers on every one drawn.

Hypothesis draws configs from the space `from_hf` claims (README, "Supported configurations"),
builds a tiny seeded-random transformers model from each (every weight and bias perturbed, so
a dropped bias shows), loads it into ours, and compares logits and cached greedy generation.
Default run: a few examples per family (fast); the `slow` twins draw many more.
"""

from typing import Any

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from phase0_env.common.parity import assert_parity, reference_version
from phase4_llm.gpt import reference as ref
from phase4_llm.gpt.activations import ACTIVATIONS
from phase4_llm.gpt.generate import generate
from phase4_llm.gpt.weights import UnsupportedConfigError, from_hf

TRANSFORMERS = reference_version("transformers")
# float32 forward passes of a few layers, same operations up to SDPA vs eager: 1e-5 (seen ~5e-7)
RTOL = ATOL = 1e-5
FEW, MANY = 6, 100


@st.composite
def gpt2_fields(draw: Any) -> dict[str, Any]:
    """GPT2Config fields: shape, untied head, activation, attention scaling and upcasting."""
    n_head = draw(st.integers(1, 4))
    n_embd = n_head * draw(st.sampled_from([2, 4, 8]))
    return dict(
        vocab_size=draw(st.integers(8, 80)),
        n_positions=draw(st.integers(12, 40)),
        n_embd=n_embd,
        n_layer=draw(st.integers(1, 3)),
        n_head=n_head,
        n_inner=draw(st.none() | st.integers(4, 48)),
        activation_function=draw(st.sampled_from(sorted(ACTIVATIONS))),
        layer_norm_epsilon=draw(st.sampled_from([1e-5, 1e-6])),
        tie_word_embeddings=draw(st.booleans()),
        scale_attn_weights=draw(st.booleans()),
        scale_attn_by_inverse_layer_idx=draw(st.booleans()),
        reorder_and_upcast_attn=draw(st.booleans()),
        attn_implementation=draw(st.sampled_from(["sdpa", "eager"])),
    )


@st.composite
def rope_parameters(draw: Any, max_positions: int) -> dict[str, Any]:
    """Llama `rope_parameters`: theta, and default, linear or llama3 scaling."""
    theta = draw(st.sampled_from([100.0, 10000.0, 500000.0]))
    kind = draw(st.sampled_from(["default", "linear", "llama3"]))
    rope: dict[str, Any] = {"rope_type": kind, "rope_theta": theta}
    if kind != "default":
        rope["factor"] = draw(st.sampled_from([1.0, 2.0, 8.0, 32.0]))
    if kind == "llama3":
        low = draw(st.sampled_from([0.5, 1.0, 2.0]))
        rope.update(
            low_freq_factor=low,
            high_freq_factor=low * draw(st.sampled_from([2.0, 4.0])),
            original_max_position_embeddings=draw(st.integers(2, max_positions - 1)),
        )
    return rope


@st.composite
def llama_fields(draw: Any) -> dict[str, Any]:
    """LlamaConfig fields: shape, GQA, head_dim override, biases, activation, tying, RoPE."""
    n_kv = draw(st.integers(1, 3))
    n_head = n_kv * draw(st.integers(1, 3))
    head_dim = draw(st.sampled_from([2, 4, 8]))
    own_head_dim = draw(st.booleans())  # head_dim given apart from hidden_size / heads
    # transformers still wants hidden_size divisible by the heads when head_dim is its own
    hidden = n_head * (draw(st.integers(1, 6)) if own_head_dim else head_dim)
    positions = draw(st.integers(12, 40))
    return dict(
        vocab_size=draw(st.integers(8, 80)),
        hidden_size=hidden,
        intermediate_size=draw(st.integers(4, 64)),
        num_hidden_layers=draw(st.integers(1, 3)),
        num_attention_heads=n_head,
        num_key_value_heads=n_kv,
        head_dim=head_dim if own_head_dim else None,
        max_position_embeddings=positions,
        rms_norm_eps=draw(st.sampled_from([1e-5, 1e-6])),
        hidden_act=draw(st.sampled_from(sorted(ACTIVATIONS))),
        tie_word_embeddings=draw(st.booleans()),
        attention_bias=draw(st.booleans()),
        mlp_bias=draw(st.booleans()),
        rope_parameters=draw(rope_parameters(positions)),
    )


def assert_same_model(hf: Any, data: Any) -> None:
    """Logits on a drawn prompt, then cached greedy generation, ours vs transformers."""
    ours = from_hf(hf)
    vocab, block = hf.config.vocab_size, ours.config.block_size
    batch, length = data.draw(st.integers(1, 2)), data.draw(st.integers(1, block // 2))
    new = data.draw(st.integers(1, min(6, block - length)))
    gen = torch.Generator().manual_seed(data.draw(st.integers(0, 2**16)))
    ids = torch.randint(0, vocab, (batch, length), generator=gen)
    with torch.no_grad():
        assert_parity(
            ours(ids)[0],
            hf(ids).logits,
            reference=TRANSFORMERS,
            rtol=RTOL,
            atol=ATOL,
            name="logits",
        )
    eos = hf.config.eos_token_id
    cached = generate(ours, ids, new, eos_token_id=eos)
    assert_parity(
        cached,
        ref.hf_generate(hf, ids, new, do_sample=False),
        reference=TRANSFORMERS,
        exact=True,
        name="cached greedy tokens",
    )
    uncached = generate(ours, ids, new, eos_token_id=eos, use_cache=False)
    assert torch.equal(cached, uncached), "KV-cached generation differs from uncached"


def check_gpt2(fields: dict[str, Any], seed: int, data: Any) -> None:
    assert_same_model(ref.random_hf_gpt2(seed=seed, **fields), data)


def check_llama(fields: dict[str, Any], seed: int, data: Any) -> None:
    assert_same_model(ref.random_hf_llama(seed=seed, **fields), data)


@settings(max_examples=FEW)
@given(fields=gpt2_fields(), seed=st.integers(0, 2**16), data=st.data())
def test_generated_gpt2_configs_match_transformers(fields, seed, data):
    check_gpt2(fields, seed, data)


@settings(max_examples=FEW)
@given(fields=llama_fields(), seed=st.integers(0, 2**16), data=st.data())
def test_generated_llama_configs_match_transformers(fields, seed, data):
    check_llama(fields, seed, data)


@pytest.mark.slow
@settings(max_examples=MANY)
@given(fields=gpt2_fields(), seed=st.integers(0, 2**16), data=st.data())
def test_many_generated_gpt2_configs_match_transformers(fields, seed, data):
    check_gpt2(fields, seed, data)


@pytest.mark.slow
@settings(max_examples=MANY)
@given(fields=llama_fields(), seed=st.integers(0, 2**16), data=st.data())
def test_many_generated_llama_configs_match_transformers(fields, seed, data):
    check_llama(fields, seed, data)


# Outside the supported space: (family, field, value) that must be refused by name.
UNSUPPORTED = [
    ("gpt2", "add_cross_attention", True),
    ("gpt2", "activation_function", "prelu"),  # has a learned parameter
    ("gpt2", "activation_function", "xielu"),
    ("llama", "hidden_act", "laplace"),
    ("llama", "rope_parameters", {"rope_type": "dynamic", "factor": 2.0, "rope_theta": 1e4}),
    ("llama", "rope_parameters", {"rope_type": "yarn", "factor": 2.0, "rope_theta": 1e4}),
    ("llama", "rope_parameters", {"rope_type": "linear", "factor": 2.0, "rope_theta": 1e4,
                                  "partial_rotary_factor": 0.5}),
    ("llama", "is_encoder_decoder", True),
]  # fmt: skip
TINY = {
    "gpt2": dict(vocab_size=16, n_positions=8, n_embd=8, n_layer=1, n_head=2),
    "llama": dict(
        vocab_size=16,
        hidden_size=8,
        intermediate_size=8,
        num_hidden_layers=1,
        num_attention_heads=2,
        max_position_embeddings=8,
    ),
}


@settings(max_examples=FEW)
@given(
    case=st.sampled_from(UNSUPPORTED),
    extra=st.from_regex(r"\Azz_[a-z]{1,8}\Z"),
    value=st.integers(1, 9),
)
def test_fields_outside_the_supported_space_are_refused_by_name(case, extra, value):
    family, field, bad = case
    build = ref.random_hf_gpt2 if family == "gpt2" else ref.random_hf_llama
    hf = build(**TINY[family])
    setattr(hf.config, field, bad)
    with pytest.raises(UnsupportedConfigError, match=field.split("_")[0]) as err:
        from_hf(hf)
    assert err.value.field.split(".")[0] == field
    # A field transformers does not know (a newer version's, or a typo) is refused as well.
    hf = build(**TINY[family])
    setattr(hf.config, extra, value)
    with pytest.raises(UnsupportedConfigError, match=extra):
        from_hf(hf)
