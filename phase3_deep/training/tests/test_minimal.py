"""The minimal training loop (`minimal.py`): its schedule equals torch's SequentialLR and the
full `WarmupCosine`, its AdamW step equals `torch.optim.AdamW`, and a whole run equals the
same loop driven by torch's optimizer and schedulers (float64)."""

import copy
import math

import torch
from torch import nn
from torch.optim import lr_scheduler as sched

from phase0_env.common.parity import assert_parity, reference_version
from phase3_deep.training import minimal
from phase3_deep.training.schedules import WarmupCosine

TORCH = reference_version("torch")


def _torch_lrs(base: float, warmup: int, total: int, start: float) -> list[float]:
    opt = torch.optim.SGD([nn.Parameter(torch.zeros(1))], lr=base)
    s = sched.SequentialLR(
        opt,
        [sched.LinearLR(opt, start, 1.0, warmup), sched.CosineAnnealingLR(opt, total - warmup)],
        milestones=[warmup],
    )
    out = []
    for _ in range(total):
        out.append(opt.param_groups[0]["lr"])
        opt.step()
        s.step()
    return out


def test_schedule_equals_torch_sequential_lr_and_the_full_schedule():
    ours = [minimal.warmup_cosine(t, 0.1, 5, 30, start=0.2) for t in range(30)]
    full = [WarmupCosine(0.1, 5, 30, start_factor=0.2).lr_at(t) for t in range(30)]
    # torch updates the rate multiplicatively step by step: 1e-12 of rounding drift
    tol = dict(rtol=1e-9, atol=1e-12)
    assert_parity(
        ours, _torch_lrs(0.1, 5, 30, 0.2), reference=f"{TORCH} SequentialLR", **tol, name="lr"
    )
    assert_parity(ours, full, reference="the full WarmupCosine", **tol, name="lr vs full")


def test_adamw_steps_equal_torch_adamw():
    gen = torch.Generator().manual_seed(0)
    p_ref = nn.Parameter(torch.randn(4, 3, dtype=torch.float64, generator=gen))
    p = p_ref.detach().clone()
    m, v = torch.zeros_like(p), torch.zeros_like(p)
    opt = torch.optim.AdamW([p_ref], lr=0.05, weight_decay=0.1)
    for t in range(1, 6):
        g = torch.randn(4, 3, dtype=torch.float64, generator=gen)
        p_ref.grad = g.clone()
        opt.step()
        minimal.adamw_step(p, g, m, v, t, 0.05, weight_decay=0.1)
    assert_parity(
        p, p_ref.detach(), reference=f"{TORCH} AdamW", rtol=1e-10, atol=1e-12, name="adamw"
    )


def test_a_whole_run_equals_the_loop_with_torch_optimizer_and_schedulers():
    gen = torch.Generator().manual_seed(1)
    X = torch.randn(40, 5, dtype=torch.float64, generator=gen)
    y = (X[:, 0] + X[:, 1] > 0).long()
    torch.manual_seed(2)
    model = nn.Sequential(nn.Linear(5, 8), nn.Tanh(), nn.Linear(8, 2)).double()
    twin = copy.deepcopy(model)
    losses = minimal.fit(model, X, y, epochs=3, batch_size=16, lr=0.05, warmup=2, seed=3)

    total = 3 * math.ceil(40 / 16)
    opt = torch.optim.AdamW(twin.parameters(), lr=0.05, weight_decay=0.01)
    s = sched.SequentialLR(
        opt,
        [sched.LinearLR(opt, 1 / 3, 1.0, 2), sched.CosineAnnealingLR(opt, total - 2)],
        milestones=[2],
    )
    order_gen, ref_losses = torch.Generator().manual_seed(3), []
    for _ in range(3):
        order = torch.randperm(40, generator=order_gen)
        for start in range(0, 40, 16):
            idx = order[start : start + 16]
            loss = nn.functional.cross_entropy(twin(X[idx]), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            s.step()
            ref_losses.append(loss.item())
    reference = f"{TORCH} AdamW + SequentialLR loop"
    tol = dict(rtol=1e-8, atol=1e-10)  # float64, 9 steps of rounding in two orders
    assert_parity(losses, ref_losses, reference=reference, **tol, name="loss per step")
    for (name, a), b in zip(model.named_parameters(), twin.parameters(), strict=True):
        assert_parity(a.detach(), b.detach(), reference=reference, **tol, name=f"final {name}")
