"""The C++ operator: values, gradcheck, opcheck, torch.compile, and its errors.

Marked slow: the first run compiles the extension (about 25 s on 2 cores), later runs load
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
    # float32: our erf approximation (AVX512) or ATen's vector erf, within 1e-5 of eager.
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


def test_float32_error_is_no_larger_than_eagers():
    """Against float64 GELU on a dense grid, the operator's float32 error is at most eager's."""
    from phase6_tracks.systems_kernels import custom_op as op

    op.load_op()
    v = torch.linspace(-10, 10, 200_001)
    zero = torch.zeros(1)
    truth = torch.nn.functional.gelu(v.double())
    ours = float((op.bias_gelu(v[:, None], zero).squeeze(1).double() - truth).abs().max())
    eager = float((torch.nn.functional.gelu(v).double() - truth).abs().max())
    assert ours <= max(eager, 6e-7), (ours, eager)


def test_finite_extremes_match_eager(op):
    x = torch.tensor([[-1e30, -1e4, -50.0, -30.5, -6.0, 0.0, 6.0, 30.5, 50.0, 1e4, 1e30]])
    b = torch.zeros(x.shape[1])
    xo, bo = x.clone().requires_grad_(), b.clone().requires_grad_()
    xe, be = x.clone().requires_grad_(), b.clone().requires_grad_()
    y, ye = op.bias_gelu(xo, bo), op.bias_gelu_eager(xe, be)
    assert torch.isfinite(y).all()
    assert_parity(y, ye, reference=TORCH, rtol=1e-6, atol=1e-6, name="extreme values")
    y.sum().backward()
    ye.sum().backward()
    assert_parity(xo.grad, xe.grad, reference=TORCH, rtol=1e-6, atol=1e-6, name="extreme dx")


@pytest.mark.parametrize(
    ("shape", "grad_kind"),
    [
        ((100, 37), "dense"),  # more rows than one partial-sum chunk, a SIMD tail
        ((3, 10_000), "dense"),  # wider than one column block
        ((2, 3, 21), "sum"),  # `y.sum().backward()`: a broadcast scalar gradient
        ((64, 48), "transposed"),  # a non-contiguous gradient
    ],
)
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_backward_equals_eager(op, shape, grad_kind, dtype):
    gen = torch.Generator().manual_seed(len(shape) * 1000 + shape[-1])
    x = torch.randn(*shape, generator=gen, dtype=dtype)
    b = torch.randn(shape[-1], generator=gen, dtype=dtype)
    grads = {}
    for name, fn in (("ours", op.bias_gelu), ("eager", op.bias_gelu_eager)):
        xg, bg = x.clone().requires_grad_(), b.clone().requires_grad_()
        y = fn(xg, bg)
        if grad_kind == "sum":
            y.sum().backward()
        else:
            g = torch.randn(*shape, generator=torch.Generator().manual_seed(7), dtype=dtype)
            if grad_kind == "transposed":
                g = g.t().contiguous().t()
            y.backward(g)
        grads[name] = (xg.grad, bg.grad)
    tol = 1e-5 if dtype == torch.float32 else 1e-12
    assert_parity(
        grads["ours"][0], grads["eager"][0], reference=TORCH, rtol=tol, atol=tol, name="dx"
    )
    rows = x.numel() // shape[-1]
    assert_parity(
        grads["ours"][1], grads["eager"][1], reference=TORCH, rtol=tol, atol=tol * rows, name="db"
    )


def test_bias_gradient_does_not_depend_on_thread_count(op):
    x = torch.randn(333, 130, generator=torch.Generator().manual_seed(3))
    b = torch.randn(130, generator=torch.Generator().manual_seed(4))
    g = torch.randn(333, 130, generator=torch.Generator().manual_seed(5))
    before = torch.get_num_threads()
    results = []
    try:
        for threads in (1, 2, 3):
            torch.set_num_threads(threads)
            results.append(torch.ops.roadmap.bias_gelu_backward(g, x, b))
    finally:
        torch.set_num_threads(before)
    for dx, db in results[1:]:
        assert torch.equal(dx, results[0][0]) and torch.equal(db, results[0][1])
