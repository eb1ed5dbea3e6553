"""Ours vs transformers: tiny random GPT-2 and Llama, RoPE, greedy and seeded sampling."""

import pytest
import torch

from phase0_env.common.parity import assert_parity, reference_version
from phase4_llm.gpt import reference as ref
from phase4_llm.gpt.config import GPTConfig
from phase4_llm.gpt.generate import generate
from phase4_llm.gpt.model import RotaryEmbedding, apply_rotary
from phase4_llm.gpt.parity import checks
from phase4_llm.gpt.weights import from_hf

TRANSFORMERS = reference_version("transformers")


@pytest.fixture(scope="module")
def gpt2_pair():
    hf = ref.tiny_hf_gpt2(seed=1)
    return hf, from_hf(hf)


@pytest.mark.parametrize("shape", [(1, 1), (1, 17), (3, 9)])
def test_gpt2_logits_match_transformers(gpt2_pair, shape):
    hf, ours = gpt2_pair
    x = torch.randint(0, 100, shape, generator=torch.Generator().manual_seed(shape[1]))
    with torch.no_grad():
        # float32, one forward pass: 1e-5 (seen: ~1e-7)
        assert_parity(
            ours(x)[0],
            hf(x).logits,
            reference=TRANSFORMERS,
            rtol=1e-5,
            atol=1e-5,
            name="gpt2 logits",
        )


def test_gpt2_greedy_generate_tokens_identical(gpt2_pair):
    hf, ours = gpt2_pair
    x = torch.randint(0, 100, (2, 7), generator=torch.Generator().manual_seed(3))
    eos = hf.config.eos_token_id
    assert_parity(
        generate(ours, x, 30, eos_token_id=eos),
        ref.hf_generate(hf, x, 30, do_sample=False),
        reference=TRANSFORMERS,
        exact=True,
        name="greedy tokens",
    )


def test_sampling_with_same_global_seed_draws_the_same_tokens_as_transformers(gpt2_pair):
    hf, ours = gpt2_pair
    x = torch.randint(0, 100, (2, 5), generator=torch.Generator().manual_seed(4))
    opts = dict(do_sample=True, temperature=1.3, top_k=30, top_p=0.95, repetition_penalty=1.1)
    torch.manual_seed(11)
    a = generate(ours, x, 25, eos_token_id=hf.config.eos_token_id, **opts)
    torch.manual_seed(11)
    b = ref.hf_generate(hf, x, 25, **opts)
    assert_parity(a, b, reference=TRANSFORMERS, exact=True, name="sampled tokens")


def test_llama_with_grouped_query_attention_matches_transformers():
    hf = ref.tiny_hf_llama(seed=2)
    ours = from_hf(hf)
    x = torch.randint(0, 100, (2, 30), generator=torch.Generator().manual_seed(5))
    with torch.no_grad():
        assert_parity(
            ours(x)[0],
            hf(x).logits,
            reference=TRANSFORMERS,
            rtol=1e-5,
            atol=1e-5,
            name="llama logits",
        )
    assert_parity(
        generate(ours, x, 10),
        ref.hf_generate(hf, x, 10, do_sample=False),
        reference=TRANSFORMERS,
        exact=True,
        name="llama greedy",
    )


@pytest.mark.parametrize("head_dim,theta", [(8, 10000.0), (64, 100000.0)])
def test_rope_equals_transformers_llama_rotary(head_dim, theta):
    q = torch.randn(2, 3, 50, head_dim, generator=torch.Generator().manual_seed(0))
    pos = torch.arange(50)
    cfg = GPTConfig(n_embd=3 * head_dim, n_head=3, position="rotary", rope_theta=theta)
    cos, sin = RotaryEmbedding(cfg)(pos, q.dtype)
    # float32 trig of the same angles: 1e-5 relative, 1e-6 absolute near zero
    assert_parity(
        apply_rotary(q, cos, sin),
        ref.hf_rotary(head_dim, theta, pos, q),
        reference=TRANSFORMERS,
        rtol=1e-5,
        atol=1e-6,
        name="rope",
    )


def test_every_parity_check_passes():
    results = checks(include_smollm2=False)
    failed = [r for r in results if not r.passed]
    assert results and not failed, failed
