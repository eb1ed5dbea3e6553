"""The minimal decode loops (`minimal.py`): cached == uncached == transformers' greedy
`generate`, and == the continuous-batching engine serving several requests at once."""

import pytest
import torch

from phase0_env.common.parity import assert_parity, reference_version
from phase4_llm.gpt import reference as gpt_ref
from phase4_llm.gpt.weights import from_hf
from phase4_llm.serving import minimal
from phase4_llm.serving.engine import Engine
from phase4_llm.serving.request import SamplingParams
from phase4_llm.serving.workload import mixed_prompts

TRANSFORMERS = reference_version("transformers")


@pytest.fixture(scope="module")
def gpt2_pair():
    hf = gpt_ref.tiny_hf_gpt2(seed=2)
    return hf, from_hf(hf)


@pytest.mark.parametrize("prompt_len", [1, 9])
def test_cached_and_uncached_loops_equal_transformers_generate(gpt2_pair, prompt_len):
    hf, ours = gpt2_pair
    prompt = torch.randint(0, 100, (prompt_len,), generator=torch.Generator().manual_seed(3))
    expected = gpt_ref.hf_generate(hf, prompt[None], 20, do_sample=False)[0, prompt_len:]
    for name, loop in (("no cache", minimal.greedy_no_cache), ("cache", minimal.greedy_with_cache)):
        assert_parity(
            loop(ours, prompt.tolist(), 20),
            expected,
            reference=f"{TRANSFORMERS} generate (greedy)",
            exact=True,
            name=f"greedy tokens, {name}",
        )


def test_the_engine_batching_requests_gives_each_the_minimal_loops_tokens(tiny):
    requests = mixed_prompts(6, seed=4)
    engine = Engine(tiny, eos_token_id=None, kv_budget_bytes=8 * 2**20)
    handles = [engine.submit(p, SamplingParams(max_tokens=k)) for p, k in requests]
    while engine.n_running or engine.queue_depth:
        engine.step()
    assert_parity(
        [str(h.output_ids) for h in handles],
        [str(minimal.greedy_with_cache(tiny, p, k)) for p, k in requests],
        reference="the full phase4_llm.serving Engine",
        exact=True,
        name="batched engine tokens",
    )
