"""Generation with the KV cache equals generation that re-reads the whole sequence."""

import pytest
import torch

from phase4_llm.gpt.config import GPTConfig
from phase4_llm.gpt.generate import generate
from phase4_llm.gpt.model import GPT


def tiny(position: str) -> GPT:
    torch.manual_seed(0)
    if position == "rotary":
        cfg = GPTConfig.llama(vocab_size=50, block_size=64, n_embd=32, n_head=4, n_kv_head=2)
    else:
        cfg = GPTConfig(vocab_size=50, block_size=64, n_embd=32, n_head=4, position=position)
    return GPT(cfg).eval()


@pytest.mark.parametrize("position", ["learned", "sinusoidal", "rotary"])
@pytest.mark.parametrize("batch", [1, 2])
@pytest.mark.parametrize("prompt_len", [1, 4, 13])
def test_cached_generation_equals_uncached(position, batch, prompt_len):
    model = tiny(position)
    x = torch.randint(
        0, 50, (batch, prompt_len), generator=torch.Generator().manual_seed(prompt_len)
    )
    assert torch.equal(generate(model, x, 16), generate(model, x, 16, use_cache=False))


def test_cached_logits_equal_full_forward_logits():
    model = tiny("rotary")
    x = torch.randint(0, 50, (2, 20), generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        full = model(x)[0]
        cache = model.new_cache(2)
        steps = [model(x[:, :7], cache=cache)[0]]
        steps += [model(x[:, t : t + 1], cache=cache)[0] for t in range(7, 20)]
    # same float32 math in a different order of blocks: 1e-5
    torch.testing.assert_close(torch.cat(steps, dim=1), full, rtol=1e-5, atol=1e-5)


def test_cache_overflow_is_a_clear_error():
    model = tiny("learned")
    cache = model.new_cache(1, max_len=4)
    with torch.no_grad(), pytest.raises(ValueError, match="overflow"):
        model(torch.zeros(1, 5, dtype=torch.long), cache=cache)
