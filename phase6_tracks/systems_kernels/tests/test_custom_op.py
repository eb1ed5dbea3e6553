"""The C++ operator: values, gradcheck, opcheck, torch.compile, and its errors.

Marked slow: the first run compiles the extension (about a minute on 2 cores), later runs load
the cached library from `.cache/torch_extensions`.
"""

import pytest
import torch

from phase0_env.common.parity import assert_parity, reference_version

pytestmark = pytest.mark.slow
TORCH = reference_version("torch")


@pytest.fixture(scope="module")
def op():
    from phase6_tracks.systems_kernels import custom_op

    custom_op.load_op()
    return custom_op


@pytest.mark.parametrize("shape", [(1, 1), (3, 7), (2, 5, 33), (64, 256)])
def test_values_equal_the_eager_composition(op, shape):
    gen = torch.Generator().manual_seed(sum(shape))
    x, b = torch.randn(*shape, generator=gen), torch.randn(shape[-1], generator=gen)
    # float32 with glibc's vector erf (about 4 ulp): within the float32 bound of 1e-5.
    assert_parity(
        op.bias_gelu(x, b),
        op.bias_gelu_eager(x, b),
        reference=TORCH,
        rtol=1e-5,
        atol=1e-6,
        name="bias_gelu",
    )


def test_gradcheck_in_float64(op):
    x = torch.randn(4, 9, dtype=torch.float64, requires_grad=True)
    b = torch.randn(9, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(op.bias_gelu, (x, b))


def test_opcheck_passes_every_test(op):
    x = torch.randn(5, 6, requires_grad=True)
    b = torch.randn(6, requires_grad=True)
    results = torch.library.opcheck(torch.ops.roadmap.bias_gelu.default, (x, b))
    assert results and all(v == "SUCCESS" for v in results.values()), results


def test_usable_under_torch_compile(op):
    # aot_eager traces through the fake kernel and the autograd formula, as inductor would.
    fn = torch.compile(lambda x, b: op.bias_gelu(x, b) * 2, backend="aot_eager", fullgraph=True)
    x = torch.randn(8, 16, requires_grad=True)
    b = torch.randn(16, requires_grad=True)
    fn(x, b).sum().backward()
    x2, b2 = x.detach().clone().requires_grad_(), b.detach().clone().requires_grad_()
    (op.bias_gelu_eager(x2, b2) * 2).sum().backward()
    assert_parity(x.grad, x2.grad, reference=TORCH, rtol=1e-5, atol=1e-6, name="compiled dx")
    assert_parity(b.grad, b2.grad, reference=TORCH, rtol=1e-5, atol=1e-5, name="compiled db")


def test_bad_inputs_raise_clear_errors(op):
    with pytest.raises(RuntimeError, match="b must have shape"):
        op.bias_gelu(torch.randn(3, 4), torch.randn(5))
    with pytest.raises(RuntimeError, match="float32 or float64"):
        op.bias_gelu(torch.randn(3, 4).half(), torch.randn(4).half())
