"""`roadmap parity phase3_deep.training`: the loop's pieces against torch, plus resume identity.

DDP-vs-one-process equality is proven in tests/test_ddp.py, not here: spawning two gloo
processes costs ~15 s on a small machine, over this function's budget.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import torch

from phase0_env.common.parity import ParityResult, behaviour, compare, reference_version

from .config import TrainConfig
from .example_task import DigitsMLP, digits_splits
from .init_schemes import SCHEMES, init_tensor
from .loop import Trainer, TrainingDiverged
from .losses import clip_grad_norm, smoothed_cross_entropy
from .schedules import OneCycle, WarmupCosine

TORCH = reference_version("torch")


def checks() -> list[ParityResult]:
    """Schedules, init, label smoothing and clipping vs torch; resume and accumulation identity."""
    torch.set_num_threads(1)
    out = [*schedule_checks(), *init_checks()]
    logits = torch.randn(64, 10, generator=torch.Generator().manual_seed(0))
    target = torch.randint(0, 10, (64,), generator=torch.Generator().manual_seed(1))
    out.append(
        compare(
            "label_smoothing_cross_entropy",
            smoothed_cross_entropy(logits, target, 0.1),
            torch.nn.functional.cross_entropy(logits, target, label_smoothing=0.1),
            reference=TORCH,
            rtol=1e-6,  # float32, different summation order
        )
    )
    out.append(clip_check())
    out.append(resume_check())
    out.append(divergence_check())
    return out


def schedule_checks(total: int = 200) -> list[ParityResult]:
    """Our schedules vs torch's schedulers, every step (rtol 1e-12: torch recurses in float64)."""
    ours_wc = WarmupCosine(0.1, 20, total, start_factor=0.1, min_lr=1e-4)
    ours_oc = OneCycle(0.5, total, pct_start=0.25)
    sched = torch.optim.lr_scheduler

    def torch_lrs(make) -> list[float]:
        opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)
        s, lrs = make(opt), []
        for _ in range(total):
            lrs.append(opt.param_groups[0]["lr"])
            opt.step()
            s.step()
        return lrs

    ref_wc = torch_lrs(
        lambda o: sched.SequentialLR(
            o,
            [sched.LinearLR(o, 0.1, 1.0, 20), sched.CosineAnnealingLR(o, total - 20, 1e-4)],
            milestones=[20],
        )
    )
    ref_oc = torch_lrs(
        lambda o: sched.OneCycleLR(o, 0.5, total_steps=total, pct_start=0.25, cycle_momentum=False)
    )
    return [
        compare(
            "warmup_cosine_vs_SequentialLR",
            [ours_wc.lr_at(t) for t in range(total)],
            ref_wc,
            reference=TORCH,
            rtol=1e-12,
        ),
        compare(
            "one_cycle_vs_OneCycleLR",
            [ours_oc.lr_at(t) for t in range(total)],
            ref_oc,
            reference=TORCH,
            rtol=1e-12,
        ),
    ]


def init_checks() -> list[ParityResult]:
    """Each init scheme vs torch.nn.init from the same generator state (exact)."""
    out = []
    for scheme in SCHEMES:
        ours = init_tensor(torch.empty(32, 16, 3, 3), scheme, torch.Generator().manual_seed(7))
        ref = torch.empty(32, 16, 3, 3)
        fn = getattr(torch.nn.init, scheme + "_")
        kwargs = {"nonlinearity": "relu"} if scheme.startswith("kaiming") else {}
        fn(ref, generator=torch.Generator().manual_seed(7), **kwargs)
        out.append(compare(f"init_{scheme}", ours, ref, reference=TORCH, rtol=1e-6))
    return out


def clip_check() -> ParityResult:
    """clip_grad_norm vs torch.nn.utils.clip_grad_norm_ on the same gradients (float32)."""
    gen = torch.Generator().manual_seed(3)
    a = [torch.nn.Parameter(torch.zeros(20, 7)), torch.nn.Parameter(torch.zeros(5))]
    b = [torch.nn.Parameter(torch.zeros(20, 7)), torch.nn.Parameter(torch.zeros(5))]
    for p, q in zip(a, b, strict=True):
        p.grad = torch.randn(p.shape, generator=gen) * 3
        q.grad = p.grad.clone()
    clip_grad_norm(a, 1.0)
    torch.nn.utils.clip_grad_norm_(b, 1.0)
    ours = torch.cat([p.grad.flatten() for p in a])
    ref = torch.cat([p.grad.flatten() for p in b])
    return compare("clip_grad_norm", ours, ref, reference=TORCH, rtol=1e-6)


def resume_check(stop_at: int = 7) -> ParityResult:
    """Stop at step k, resume in a fresh Trainer: weights equal an uninterrupted run exactly."""
    train, val, _ = digits_splits()
    cfg = TrainConfig(epochs=2, batch_size=64, lr=3e-3, accum_steps=2, label_smoothing=0.1)

    def fresh() -> DigitsMLP:
        torch.manual_seed(0)
        return DigitsMLP(hidden=64, dropout=0.2)

    with tempfile.TemporaryDirectory() as tmp:
        ckpt = Path(tmp) / "k.pt"
        Trainer(
            fresh(), TrainConfig(**{**cfg.to_params(), "max_steps": stop_at}), checkpoint_path=ckpt
        ).fit(train, val)
        torch.manual_seed(999)  # a different global RNG: the checkpoint must restore it
        resumed = DigitsMLP(hidden=64, dropout=0.2)
        Trainer(resumed, cfg).fit(train, val, resume_from=ckpt)
    straight = fresh()
    Trainer(straight, cfg).fit(train, val)
    flat = lambda m: torch.cat([v.flatten() for v in m.state_dict().values()])  # noqa: E731
    return compare(
        f"resume_at_step_{stop_at}_bit_identical",
        flat(resumed),
        flat(straight),
        reference="uninterrupted run (torch)",
        exact=True,
    )


def divergence_check() -> ParityResult:
    """A too-high LR and a NaN input each raise a clear error instead of training on."""
    train, _, _ = digits_splits()
    messages = []
    try:
        Trainer(DigitsMLP(), TrainConfig(epochs=1, lr=1e4, grad_clip=None)).fit(train)
    except TrainingDiverged as exc:
        messages.append(str(exc))
    bad = type(train)(train.x.clone(), train.y)
    bad.x[5, 3] = float("nan")
    try:
        Trainer(DigitsMLP(), TrainConfig(epochs=1)).fit(bad)
    except ValueError as exc:
        messages.append(str(exc))
    return behaviour("broken_setup_detected", len(messages) == 2, " | ".join(messages))
