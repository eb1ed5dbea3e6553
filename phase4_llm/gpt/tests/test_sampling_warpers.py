"""Each sampling warper equals the matching transformers logits processor on random logits."""

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from phase0_env.common.parity import assert_parity, reference_version
from phase4_llm.gpt import reference as ref
from phase4_llm.gpt.parity import ours_warper
from phase4_llm.gpt.sampling import min_p_filter, top_k_filter, top_p_filter

TRANSFORMERS = reference_version("transformers")
VALUES = {
    "temperature": st.floats(0.05, 5.0),
    "top_k": st.integers(1, 70),
    "top_p": st.floats(0.0, 1.0),
    "min_p": st.floats(0.0, 1.0),
    "repetition_penalty": st.floats(0.5, 3.0),
}


@pytest.mark.parametrize("name", list(VALUES))
@settings(max_examples=25)
@given(
    data=st.data(), batch=st.integers(1, 4), vocab=st.integers(1, 64), scale=st.floats(0.1, 20.0)
)
def test_warper_equals_transformers_processor(name, data, batch, vocab, scale):
    value = data.draw(VALUES[name])
    seed = data.draw(st.integers(0, 2**16))
    g = torch.Generator().manual_seed(seed)
    logits = torch.randn(batch, vocab, generator=g) * scale
    ids = torch.randint(0, vocab, (batch, 6), generator=g)
    # identical float32 operations: exact up to 1e-6 relative
    assert_parity(
        ours_warper(name, value, ids, logits),
        ref.hf_warper(name, value, ids, logits),
        reference=TRANSFORMERS,
        rtol=1e-6,
        name=f"{name}={value}",
    )


def test_warpers_on_ties_keep_every_tied_token():
    logits = torch.tensor([[1.0, 3.0, 3.0, 2.0]])
    assert torch.isfinite(top_k_filter(logits, 1)).tolist() == [[False, True, True, False]]


def test_top_p_and_min_p_always_keep_the_best_token():
    logits = torch.tensor([[0.0, 10.0, 0.0]])
    assert torch.isfinite(top_p_filter(logits, 0.0))[0, 1]
    assert torch.isfinite(min_p_filter(logits, 1.0))[0, 1]
