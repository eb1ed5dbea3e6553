"""Decoding behaviour: seeds, streaming, stop sequences, eos padding, sinusoidal table."""

import math

import pytest
import torch

from phase4_llm.gpt.config import GPTConfig
from phase4_llm.gpt.generate import generate, stream
from phase4_llm.gpt.model import GPT, sinusoidal_positions


@pytest.fixture(scope="module")
def model():
    torch.manual_seed(0)
    return GPT(GPTConfig(vocab_size=20, block_size=64, n_embd=32, n_head=4)).eval()


PROMPT = torch.tensor([[1, 2, 3], [4, 5, 6]])


def test_same_seed_same_sample_and_other_seed_differs(model):
    a = generate(model, PROMPT, 30, do_sample=True, seed=3)
    assert torch.equal(a, generate(model, PROMPT, 30, do_sample=True, seed=3))
    assert not torch.equal(a, generate(model, PROMPT, 30, do_sample=True, seed=4))


def test_stream_yields_the_tokens_generate_returns(model):
    steps = list(stream(model, PROMPT, 12, do_sample=True, seed=1, top_k=5))
    assert len(steps) == 12 and all(s.shape == (2,) for s in steps)
    full = generate(model, PROMPT, 12, do_sample=True, seed=1, top_k=5)
    assert torch.equal(torch.stack(steps, dim=1), full[:, 3:])


def test_stop_sequence_ends_generation_and_stays_in_output(model):
    free = generate(model, PROMPT[:1], 20)[0, 3:].tolist()
    stop = free[4:6]  # a pair the model really produces
    out = generate(model, PROMPT[:1], 20, stop=[stop])[0, 3:].tolist()
    first = next(i for i in range(len(free) - 1) if free[i : i + 2] == stop)
    assert out == free[: first + 2]


def test_rows_after_eos_are_padded_until_all_rows_finish(model):
    free = generate(model, PROMPT, 20)
    eos = int(free[0, 5])
    out = generate(model, PROMPT, 20, eos_token_id=eos, pad_token_id=19)
    row = out[0, 3:].tolist()
    k = row.index(eos)
    assert all(t == 19 for t in row[k + 1 :])


def test_greedy_ignores_sampling_options(model):
    assert torch.equal(
        generate(model, PROMPT, 10), generate(model, PROMPT, 10, top_k=1, temperature=9.0)
    )


def test_sinusoidal_table_follows_the_formula():
    table = sinusoidal_positions(10, 8)
    assert table[0].tolist() == [0, 1, 0, 1, 0, 1, 0, 1]
    assert table[3, 2].item() == pytest.approx(math.sin(3 / 10000 ** (2 / 8)), rel=1e-6)
    assert table[3, 3].item() == pytest.approx(math.cos(3 / 10000 ** (2 / 8)), rel=1e-6)
