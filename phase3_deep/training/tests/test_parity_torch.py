"""Schedules, init schemes, label smoothing and clipping equal torch."""

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from phase0_env.common.parity import assert_parity, reference_version
from phase3_deep.training.init_schemes import SCHEMES, init_tensor
from phase3_deep.training.losses import clip_grad_norm, smoothed_cross_entropy
from phase3_deep.training.parity import checks
from phase3_deep.training.schedules import OneCycle, WarmupCosine

TORCH = reference_version("torch")
sched = torch.optim.lr_scheduler


def _torch_lrs(make, total):
    opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)
    scheduler, lrs = make(opt), []
    for _ in range(total):
        lrs.append(opt.param_groups[0]["lr"])
        opt.step()
        scheduler.step()
    return lrs


@pytest.mark.parametrize(
    ("base", "warmup", "total", "start", "eta_min"),
    [(0.1, 10, 100, 0.1, 0.0), (3e-4, 1, 50, 0.5, 1e-6), (1.0, 37, 301, 1 / 3, 0.01)],
)
def test_warmup_cosine_equals_sequential_linear_then_cosine_every_step(
    base, warmup, total, start, eta_min
):
    ours = WarmupCosine(base, warmup, total, start_factor=start, min_lr=eta_min)

    def make(opt):
        for g in opt.param_groups:
            g["lr"] = base
        return sched.SequentialLR(
            opt,
            [
                sched.LinearLR(opt, start, 1.0, warmup),
                sched.CosineAnnealingLR(opt, total - warmup, eta_min),
            ],
            milestones=[warmup],
        )

    # rtol 1e-12: torch computes these recursively in float64, ours in closed form.
    assert_parity(
        [ours.lr_at(t) for t in range(total)],
        _torch_lrs(make, total),
        reference=TORCH,
        rtol=1e-12,
        name="warmup_cosine",
    )


def test_warmup_cosine_equals_lambda_lr_formula():
    ours = WarmupCosine(0.2, 5, 40, start_factor=0.2)

    def factor(t):
        import math

        if t < 5:
            return 0.2 + 0.8 * t / 5
        return (1 + math.cos(math.pi * (t - 5) / 35)) / 2

    def make(opt):
        for g in opt.param_groups:
            g["lr"] = 0.2
        return sched.LambdaLR(opt, factor)

    assert_parity(
        [ours.lr_at(t) for t in range(40)], _torch_lrs(make, 40), reference=TORCH, rtol=1e-12
    )


@pytest.mark.parametrize(
    ("max_lr", "total", "pct", "div", "final"),
    [(0.5, 97, 0.25, 25.0, 1e4), (1e-3, 10, 0.3, 10.0, 100.0), (2.0, 1000, 0.5, 25.0, 1e4)],
)
def test_one_cycle_equals_torch_one_cycle_lr_every_step(max_lr, total, pct, div, final):
    ours = OneCycle(max_lr, total, pct_start=pct, div_factor=div, final_div_factor=final)
    ref = _torch_lrs(
        lambda o: sched.OneCycleLR(
            o,
            max_lr,
            total_steps=total,
            pct_start=pct,
            div_factor=div,
            final_div_factor=final,
            cycle_momentum=False,
        ),
        total,
    )
    assert_parity([ours.lr_at(t) for t in range(total)], ref, reference=TORCH, rtol=1e-12)


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("shape", [(8, 3), (16, 4, 3, 3), (5, 2, 7)])
def test_init_scheme_equals_torch_nn_init_from_same_generator(scheme, shape):
    ours = init_tensor(torch.empty(shape), scheme, torch.Generator().manual_seed(11))
    ref = torch.empty(shape)
    kwargs = {"nonlinearity": "relu"} if scheme.startswith("kaiming") else {}
    getattr(torch.nn.init, scheme + "_")(ref, generator=torch.Generator().manual_seed(11), **kwargs)
    # float32; the bound is computed in Python float by both, so expect near-exact
    assert_parity(ours, ref, reference=TORCH, rtol=1e-6, name=scheme)


@settings(max_examples=25)
@given(
    n=st.integers(1, 40),
    k=st.integers(2, 12),
    eps=st.floats(0.0, 0.9),
    seed=st.integers(0, 2**16),
)
def test_label_smoothing_equals_torch_cross_entropy(n, k, eps, seed):
    gen = torch.Generator().manual_seed(seed)
    logits = torch.randn(n, k, generator=gen) * 3
    target = torch.randint(0, k, (n,), generator=gen)
    ref = torch.nn.functional.cross_entropy(logits, target, label_smoothing=eps)
    # float32, different reduction order
    assert_parity(smoothed_cross_entropy(logits, target, eps), ref, reference=TORCH, rtol=1e-5)


@pytest.mark.parametrize("max_norm", [0.1, 1.0, 1e6])
def test_clip_grad_norm_equals_torch(max_norm):
    gen = torch.Generator().manual_seed(0)
    ours = [torch.nn.Parameter(torch.zeros(s)) for s in [(10, 3), (7,), (2, 2, 2)]]
    ref = [torch.nn.Parameter(torch.zeros(s)) for s in [(10, 3), (7,), (2, 2, 2)]]
    for p, q in zip(ours, ref, strict=True):
        p.grad = torch.randn(p.shape, generator=gen)
        q.grad = p.grad.clone()
    norm = clip_grad_norm(ours, max_norm)
    ref_norm = torch.nn.utils.clip_grad_norm_(ref, max_norm)
    assert_parity(norm, ref_norm, reference=TORCH, rtol=1e-6, name="norm")
    for p, q in zip(ours, ref, strict=True):
        assert_parity(p.grad, q.grad, reference=TORCH, rtol=1e-6, name="clipped grad")


def test_every_parity_check_passes():
    results = checks()
    failed = [r for r in results if not r.passed]
    assert len(results) >= 10
    assert not failed, failed
