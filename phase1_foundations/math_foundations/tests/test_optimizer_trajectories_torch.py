"""Our optimisers follow torch.optim step by step (parameter trajectories, float64)."""

import numpy as np
import pytest

from phase0_env.common.parity import assert_parity, reference_version
from phase1_foundations.math_foundations.autograd import Tensor
from phase1_foundations.math_foundations.optimizers import SGD, Adam, AdamW
from phase1_foundations.math_foundations.trajectories import CONFIGS, problem, trajectory

# float64 rtol 1e-7; atol 1e-12 for parameters that pass through 0 (b1 starts at zeros).
RTOL, ATOL = 1e-7, 1e-12


@pytest.mark.parametrize("name", sorted(CONFIGS))
@pytest.mark.parametrize("seed", [0, 1])
def test_trajectory_equals_torch_optim_every_step(name, seed):
    data = problem(seed)
    ours = trajectory(name, data, 60, "ours")
    ref = trajectory(name, data, 60, "torch")
    assert np.abs(ours[-1] - ours[0]).max() > 1e-3  # the parameters really moved
    assert_parity(
        ours,
        ref,
        reference=reference_version("torch"),
        rtol=RTOL,
        atol=ATOL,
        name=f"{name} trajectory",
    )


def test_nesterov_without_momentum_is_rejected():
    with pytest.raises(ValueError, match="Nesterov"):
        SGD([Tensor([1.0], requires_grad=True)], lr=0.1, nesterov=True)


@pytest.mark.parametrize("cls", [SGD, Adam, AdamW])
def test_empty_parameters_or_bad_lr_are_rejected(cls):
    with pytest.raises(ValueError):
        cls([], lr=0.1)
    with pytest.raises(ValueError):
        cls([Tensor([1.0], requires_grad=True)], lr=-1.0)


def test_parameter_without_gradient_is_left_alone():
    a, b = Tensor([1.0], requires_grad=True), Tensor([2.0], requires_grad=True)
    opt = Adam([a, b], lr=0.1)
    (a * 2.0).sum().backward()
    opt.step()
    assert b.data.tolist() == [2.0] and a.data[0] < 1.0
