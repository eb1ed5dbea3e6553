"""The minimal GPT (`minimal.py`) against transformers' GPT-2 and against the full `GPT`."""

import pytest
import torch

from phase0_env.common.parity import assert_parity, reference_version
from phase4_llm.gpt import minimal
from phase4_llm.gpt import reference as ref
from phase4_llm.gpt.config import GPTConfig
from phase4_llm.gpt.model import GPT

TRANSFORMERS = reference_version("transformers")


@pytest.fixture(scope="module")
def hf_gpt2():
    hf = ref.tiny_hf_gpt2(seed=5)
    gen = torch.Generator().manual_seed(5)
    with torch.no_grad():  # transformers starts biases at 0, which would hide a dropped one
        for p in hf.parameters():
            p.copy_(torch.randn(p.shape, generator=gen) * 0.1)
    return hf


def test_attention_equals_torch_sdpa():
    q, k, v = torch.randn(3, 2, 4, 7, 8, generator=torch.Generator().manual_seed(0))
    # float32, one softmax over 7 keys: 1e-6 (seen: ~1e-7)
    assert_parity(
        minimal.causal_self_attention(q, k, v),
        torch.nn.functional.scaled_dot_product_attention(q, k, v, is_causal=True),
        reference=f"{reference_version('torch')} scaled_dot_product_attention",
        rtol=1e-5,
        atol=1e-6,
        name="causal attention",
    )


def test_gelu_equals_torch_tanh_gelu():
    x = torch.linspace(-6, 6, 101, dtype=torch.float64)
    assert_parity(
        minimal.gelu_tanh(x),
        torch.nn.functional.gelu(x, approximate="tanh"),
        reference=f"{reference_version('torch')} gelu(approximate='tanh')",
        rtol=1e-12,
        atol=1e-14,
        name="gelu tanh",
    )


@pytest.mark.parametrize("shape", [(1, 1), (2, 17)])
def test_minimal_logits_equal_transformers_gpt2(hf_gpt2, shape):
    ours = minimal.from_gpt2(hf_gpt2)
    x = torch.randint(0, 101, shape, generator=torch.Generator().manual_seed(shape[1]))
    with torch.no_grad():
        # float32, two layers: 1e-5 (seen: ~1e-6)
        assert_parity(
            ours(x),
            hf_gpt2(x).logits,
            reference=f"{TRANSFORMERS} GPT2LMHeadModel",
            rtol=1e-5,
            atol=1e-5,
            name="minimal vs gpt2 logits",
        )


def test_minimal_loads_the_full_models_weights_and_gives_its_logits():
    torch.manual_seed(0)
    full = GPT(GPTConfig(vocab_size=97, block_size=32, n_layer=3, n_head=4, n_embd=48)).eval()
    small = minimal.GPT(minimal.Config(97, 32, 3, 4, 48)).eval()
    small.load_state_dict(full.state_dict(), strict=True)  # the same names and shapes
    x = torch.randint(0, 97, (2, 32), generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        # float32; SDPA and the written-out softmax round differently: 1e-5 (seen: ~1e-7)
        assert_parity(
            small(x),
            full(x)[0],
            reference="the full phase4_llm.gpt model",
            rtol=1e-5,
            atol=1e-5,
            name="minimal vs full logits",
        )
