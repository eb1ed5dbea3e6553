"""Needle in a haystack: a tiny rotary GPT trained at length 16 retrieves at 16 and at 4x with RoPE
scaling. (The demo's longer training at length 32 shows plain extrapolation failing at 4x.)"""

from __future__ import annotations

import pytest
import torch

from phase6_tracks.structured_outputs.needle import (
    MARKER,
    QUERY,
    accuracy,
    make_batch,
    scaled,
    train_retriever,
)


def test_batches_hold_one_needle_and_end_with_the_query() -> None:
    ids, answers, pos = make_batch(8, 20, torch.Generator().manual_seed(0))
    assert ids.shape == (8, 20) and (ids[:, -1] == QUERY).all()
    assert ((ids == MARKER).sum(1) == 1).all()
    assert torch.equal(ids[torch.arange(8), pos + 1], answers)
    with pytest.raises(ValueError, match="length"):
        make_batch(1, 3, torch.Generator())


@pytest.fixture(scope="module")
def run():
    return train_retriever(train_length=16, steps=120, batch_size=32, seed=0)


def test_trained_retriever_reads_the_needle_at_the_training_length(run) -> None:
    assert run.losses[-1] < 0.2 * run.losses[0]
    assert accuracy(run.model, 16, n=200) >= 0.95  # chance is 0.1


@pytest.mark.parametrize("kind", ["linear", "ntk"])
def test_rope_scaling_keeps_retrieval_at_four_times_the_length(run, kind: str) -> None:
    model = scaled(run, kind, 4.0)
    assert model.config.block_size == 64
    assert accuracy(model, 64, n=200) >= 0.9
    with pytest.raises(ValueError, match="block_size"):
        run.model(torch.zeros(1, 17, dtype=torch.long))  # the base model refuses past 16
