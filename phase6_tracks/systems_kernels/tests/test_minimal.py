"""The minimal kernels (`minimal.py`) against torch and the full softmax progression."""

import pytest
import torch

from phase0_env.common.parity import assert_parity, reference_version
from phase6_tracks.systems_kernels import minimal
from phase6_tracks.systems_kernels.runtime import DEVICE
from phase6_tracks.systems_kernels.softmax import softmax_fused, softmax_naive

TORCH = reference_version("torch")
TOL = dict(rtol=1e-5, atol=1e-6)  # float32: exp and a sum of <= 100 terms


def _x(rows: int, cols: int, seed: int = 0) -> torch.Tensor:
    gen = torch.Generator().manual_seed(seed)
    return (torch.randn(rows, cols, generator=gen) * 5).to(DEVICE)


def test_add_equals_torch():
    x, y = _x(1, 1000, 1)[0], _x(1, 1000, 2)[0]  # 1000 = 3 full blocks and a partial one
    assert_parity(minimal.add(x, y), x + y, reference=TORCH, exact=True, name="vector add")


@pytest.mark.parametrize("cols", [1, 37, 64])
def test_softmax_kernel_and_eager_equal_torch(cols):
    x = _x(5, cols, cols)
    want = torch.softmax(x, -1)
    assert_parity(minimal.softmax(x), want, reference=TORCH, **TOL, name="softmax kernel")
    assert_parity(minimal.softmax_eager(x), want, reference=TORCH, **TOL, name="softmax eager")


def test_softmax_kernel_equals_the_full_naive_and_fused_kernels():
    x = _x(6, 50, 3)
    got = minimal.softmax(x)
    for name, full in (("naive", softmax_naive), ("fused", softmax_fused)):
        assert_parity(got, full(x), reference=f"the full softmax_{name}", **TOL, name=f"vs {name}")
