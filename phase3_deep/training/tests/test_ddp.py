"""Torch DDP (gloo, 2 CPU processes) equals one process on the same global batch."""

import pytest

from phase0_env.common.parity import assert_parity, reference_version
from phase3_deep.training.config import TrainConfig
from phase3_deep.training.ddp import free_port, train_ddp, train_single

# float32: the all-reduce sums two half-batch means in another order than one full-batch mean;
# Adam's division by sqrt(v) can amplify that last-bit difference over the steps.
GRAD_RTOL, GRAD_ATOL = 1e-5, 1e-7
WEIGHT_RTOL, WEIGHT_ATOL = 1e-4, 1e-6


@pytest.mark.slow
def test_ddp_two_processes_equal_one_process_on_the_same_global_batch():
    cfg = TrainConfig(epochs=2, batch_size=64, lr=1e-3, grad_clip=1.0, label_smoothing=0.1)
    ddp, single = train_ddp(2, cfg), train_single(cfg)
    assert ddp["steps"] == single["steps"] == 2 * (1077 // 64)
    for name, grad in single["grads"].items():
        assert_parity(
            ddp["grads"][name],
            grad,
            reference=f"{reference_version('torch')} one process",
            rtol=GRAD_RTOL,
            atol=GRAD_ATOL,
            name=f"grad {name}",
        )
    for name, weight in single["weights"].items():
        assert_parity(
            ddp["weights"][name],
            weight,
            reference=f"{reference_version('torch')} one process",
            rtol=WEIGHT_RTOL,
            atol=WEIGHT_ATOL,
            name=f"weight {name}",
        )


def test_global_batch_that_does_not_split_over_ranks_is_rejected():
    import torch

    from phase3_deep.training.data import shard

    with pytest.raises(ValueError, match="split evenly"):
        shard(torch.arange(7), rank=0, world_size=2)
    assert shard(torch.arange(8), 1, 2).tolist() == [4, 5, 6, 7]


def test_free_port_is_a_usable_port_number():
    assert 1024 <= free_port() <= 65535
