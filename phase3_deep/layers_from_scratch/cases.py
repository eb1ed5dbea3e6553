"""Each layer next to the torch.nn.functional call it re-implements, plus the helper that runs
both on the same inputs and returns outputs and input gradients (used by parity, tests, bench)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import torch

from . import functional as scratch

# float64: the same formulas in a different order agree to ~1e-15 relative; 1e-10 leaves room
# for sums of many terms. float32: the bound, 1e-5 (atol too, for elements near 0).
TOL = {torch.float64: (1e-10, 1e-12), torch.float32: (1e-5, 1e-5)}


def outputs_and_grads(
    fn: Callable[..., torch.Tensor], inputs: Sequence[torch.Tensor], seed: int = 0
) -> list[torch.Tensor]:
    """[fn(*inputs), d<fn, R>/d input for each float input], R a fixed random cotangent."""
    leaves = [t.detach().clone().requires_grad_(t.is_floating_point()) for t in inputs]
    out = fn(*leaves)
    gen = torch.Generator().manual_seed(seed)
    # drawn in float64 and cast, so both dtypes of a case see the same cotangent
    cotangent = torch.randn(out.shape, generator=gen, dtype=torch.float64).to(out.dtype)
    floats = [t for t in leaves if t.requires_grad]
    grads = torch.autograd.grad(out, floats, cotangent)
    return [out.detach(), *grads]


def random_inputs(shapes: Sequence[tuple[int, ...]], dtype: torch.dtype, seed: int) -> list:
    """Standard-normal tensors of the given shapes, from one seeded generator."""
    gen = torch.Generator().manual_seed(seed)
    return [torch.randn(s, generator=gen, dtype=dtype) for s in shapes]


def pairs() -> dict[str, tuple[Callable, Callable, list[tuple[int, ...]]]]:
    """name -> (ours, torch's, input shapes): one representative case per layer."""
    import torch.nn.functional as F

    def bn_train(ours: bool):
        def run(x, w, b):
            rm, rv = torch.zeros(x.shape[1], dtype=x.dtype), torch.ones(x.shape[1], dtype=x.dtype)
            fn = scratch.batch_norm if ours else F.batch_norm
            y = fn(x, rm, rv, w, b, training=True, momentum=0.1, eps=1e-5)
            return torch.cat([y.flatten(), rm, rv])  # the running statistics must agree too

        return run

    def bn_eval(ours: bool):
        def run(x, w, b):
            c = x.shape[1]
            rm = torch.linspace(-1, 1, c, dtype=x.dtype)
            rv = torch.linspace(0.5, 2, c, dtype=x.dtype)
            fn = scratch.batch_norm if ours else F.batch_norm
            return fn(x, rm, rv, w, b, training=False, eps=1e-5)

        return run

    return {
        "linear": (scratch.linear, F.linear, [(4, 3, 5), (6, 5), (6,)]),
        "conv2d stride 2 pad 1": (
            lambda x, w, b: scratch.conv2d(x, w, b, 2, 1),
            lambda x, w, b: F.conv2d(x, w, b, 2, 1),
            [(2, 3, 7, 6), (4, 3, 3, 3), (4,)],
        ),
        "max_pool2d 3/2/1": (
            lambda x: scratch.max_pool2d(x, 3, 2, 1),
            lambda x: F.max_pool2d(x, 3, 2, 1),
            [(2, 3, 7, 6)],
        ),
        "batch_norm train": (bn_train(True), bn_train(False), [(4, 3, 5, 5), (3,), (3,)]),
        "batch_norm eval": (bn_eval(True), bn_eval(False), [(4, 3, 5, 5), (3,), (3,)]),
        "layer_norm": (
            lambda x, w, b: scratch.layer_norm(x, (8,), w, b),
            lambda x, w, b: F.layer_norm(x, (8,), w, b),
            [(3, 4, 8), (8,), (8,)],
        ),
        "softmax": (lambda x: scratch.softmax(x, -1), lambda x: F.softmax(x, -1), [(3, 4, 9)]),
        "log_softmax": (
            lambda x: scratch.log_softmax(x, 1),
            lambda x: F.log_softmax(x, 1),
            [(3, 4, 9)],
        ),
        "cross_entropy": (
            lambda x: scratch.cross_entropy(x, _targets()),
            lambda x: F.cross_entropy(x, _targets()),
            [(6, 5)],
        ),
        "gelu erf": (scratch.gelu, F.gelu, [(5, 7)]),
        "gelu tanh": (
            lambda x: scratch.gelu(x, "tanh"),
            lambda x: F.gelu(x, approximate="tanh"),
            [(5, 7)],
        ),
        "relu": (scratch.relu, F.relu, [(5, 7)]),
        "dropout p=0.3 (seeded)": (_seeded(scratch.dropout), _seeded(F.dropout), [(5, 7)]),
    }


def gradcheck_function(name: str, ours: Callable) -> Callable:
    """What gradcheck differentiates for case `name`: the running statistics that the
    batch-norm case appends are a side effect, not a differentiable output."""
    if name == "batch_norm train":
        return lambda x, w, b: scratch.batch_norm(x, None, None, w, b, training=True)
    return ours


def _targets() -> torch.Tensor:
    return torch.tensor([0, 4, -100, 2, 1, 3])  # one ignored row (ignore_index -100)


def _seeded(fn: Callable) -> Callable:
    def run(x):
        torch.manual_seed(1234)
        return fn(x, 0.3, True)

    return run
