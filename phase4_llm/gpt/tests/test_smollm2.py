"""The real SmolLM2-135M weights in our Llama-style model agree with transformers."""

import pytest
import torch

from phase0_env.common.parity import assert_parity, reference_version
from phase4_llm.gpt import reference as ref
from phase4_llm.gpt.generate import generate
from phase4_llm.gpt.smollm2 import load_smollm2_reference
from phase4_llm.gpt.weights import from_hf

pytestmark = pytest.mark.slow
TRANSFORMERS = reference_version("transformers")


@pytest.fixture(scope="module")
def pair():
    hf, tok = load_smollm2_reference()
    return hf, from_hf(hf), tok


def test_smollm2_logits_match_transformers_fp32(pair):
    hf, ours, tok = pair
    ids = tok(["Inflation in the UK rose again in March, the"], return_tensors="pt").input_ids
    with torch.no_grad():
        # fp32 through 30 layers, logits up to ~30: 1e-4 (seen: 0, same kernels)
        assert_parity(
            ours(ids)[0],
            hf(ids).logits,
            reference=TRANSFORMERS,
            rtol=1e-4,
            atol=1e-4,
            name="smollm2 logits",
        )


def test_smollm2_greedy_continuation_identical(pair):
    hf, ours, tok = pair
    ids = tok("The capital of France is", return_tensors="pt").input_ids
    ours_ids = generate(ours, ids, 4)
    assert_parity(
        ours_ids,
        ref.hf_generate(hf, ids, 4, do_sample=False),
        reference=TRANSFORMERS,
        exact=True,
        name="greedy",
    )
    assert "Paris" in tok.decode(ours_ids[0, ids.shape[1] :])
