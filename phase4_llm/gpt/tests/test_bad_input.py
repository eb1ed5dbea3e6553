"""Bad configurations and arguments fail with clear messages."""

import pytest
import torch

from phase4_llm.gpt.config import GPTConfig
from phase4_llm.gpt.generate import generate
from phase4_llm.gpt.model import GPT
from phase4_llm.gpt.sampling import (
    apply_temperature,
    repetition_penalty,
    top_k_filter,
    top_p_filter,
)


def test_config_rejects_heads_that_do_not_divide_the_width():
    with pytest.raises(ValueError, match="divisible"):
        GPTConfig(n_embd=30, n_head=4)
    with pytest.raises(ValueError, match="n_kv_head"):
        GPTConfig(n_embd=32, n_head=4, n_kv_head=3)
    with pytest.raises(ValueError, match="position"):
        GPTConfig(position="alibi")


def test_sampling_parameters_out_of_range_are_rejected():
    x = torch.zeros(1, 5)
    with pytest.raises(ValueError, match="temperature"):
        apply_temperature(x, 0.0)
    with pytest.raises(ValueError, match="top_k"):
        top_k_filter(x, 0)
    with pytest.raises(ValueError, match="top_p"):
        top_p_filter(x, 1.5)
    with pytest.raises(ValueError, match="repetition_penalty"):
        repetition_penalty(x, torch.zeros(1, 1, dtype=torch.long), -1.0)


def test_generate_rejects_bad_prompts_and_overlong_requests():
    model = GPT(GPTConfig(vocab_size=10, block_size=8, n_embd=16, n_head=2))
    with pytest.raises(ValueError, match="batch, time"):
        generate(model, torch.tensor([1, 2]), 2)
    with pytest.raises(ValueError, match="block_size"):
        generate(model, torch.tensor([[1, 2]]), 10)
    with pytest.raises(ValueError, match="block_size"):
        model(torch.zeros(1, 9, dtype=torch.long))
