"""`diagnose(loop)`: run every check of the toolkit on a loop and list what is wrong.

Each finding names a bug class (the keys of `BUG_CLASSES`) and says what was measured. A
healthy loop gives an empty report: every threshold below sits far from what the healthy
digits loops measure (see the README's table).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import torch

from . import checks, data_checks
from .checks import TrainingLoop
from .nonfinite import first_nonfinite
from .stats import (
    EXPLODING_GRAD,
    EXPLODING_UPDATE,
    VANISHING_ACT,
    VANISHING_GRAD,
    LayerStats,
    grad_norms,
    snapshot,
    update_ratios,
)

BUG_CLASSES = {
    "exploding_updates": "weights move by more than their own size per step, or the loss blows up",
    "nonfinite_op": "an operation produced NaN/Inf from finite inputs",
    "half_precision_overflow": "a float16 operation overflowed (finite in float32)",
    "stale_gradients": "gradients accumulate across steps (no zero_grad)",
    "loss_scale": "the loss at initialisation is far from log(classes): wrong reduction",
    "batch_mixing": "one sample's output depends on other samples in the batch",
    "cannot_overfit": "the loop cannot drive one small batch's loss to ~0",
    "labels_not_learnable": "real labels train no better than permuted labels",
    "split_leakage": "test rows also appear in the training split",
    "label_leakage": "one feature alone predicts the label",
    "input_scale": "inputs are far from unit scale",
    "train_mode_at_eval": "evaluation depends on randomness or the batch: dropout/BN left training",
    "padding_leak": "outputs change when padded positions change",
    "frozen_parameters": "a weight matrix never changes during training",
    "vanishing_signal": "activations carry (almost) no signal",
    "nondeterminism": "the same seed gives a different run",
}
RUN_STEPS = 100  # long enough for fp16 logits to pass 11 (exp overflows) on the digits loop


@dataclass(frozen=True)
class Finding:
    """One diagnosed problem."""

    bug_class: str
    message: str


@dataclass
class Report:
    """Findings plus the curves recorded on the short run (for plots)."""

    findings: list[Finding] = field(default_factory=list)
    losses: list[float] = field(default_factory=list)
    grad_norm: list[float] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        """The bug classes found."""
        return {f.bug_class for f in self.findings}

    def add(self, bug_class: str, message: str) -> None:
        """Record a finding of a known class."""
        if bug_class not in BUG_CLASSES:
            raise ValueError(f"unknown bug class {bug_class!r}")
        self.findings.append(Finding(bug_class, message))


def diagnose(loop: TrainingLoop) -> Report:
    """Every check of the toolkit on `loop`; an empty `findings` list means nothing was found."""
    report = Report()
    _data(loop, report)
    _short_run(loop, report)
    gap = checks.stale_gradient(loop)
    if gap > 1e-3:
        report.add(
            "stale_gradients", f".grad differs from a fresh gradient by {gap:.2g} (relative)"
        )
    mix = checks.batch_mixing(loop)
    if mix > 1e-6:
        report.add("batch_mixing", f"d out[0] / d x[1:] reaches {mix:.2g} in eval mode")
    loss = checks.overfit_one_batch(loop)
    if not loss < 0.1:
        report.add("cannot_overfit", f"one batch of 16: loss {loss:.3g} after 150 steps")
    real, permuted = checks.label_permutation(loop)
    if not real > permuted + 0.2:
        report.add(
            "labels_not_learnable",
            f"test accuracy {real:.2f} with labels vs {permuted:.2f} permuted",
        )
    eval_gap, training = checks.eval_mode_leaks(loop)
    if eval_gap > 1e-5 or training:
        report.add(
            "train_mode_at_eval",
            f"predictions vary by {eval_gap:.2g}; training at eval: {training}",
        )
    pad = checks.padding_leak(loop)
    if pad is not None and pad > 1e-5:
        report.add("padding_leak", f"noise in padded positions moves outputs by {pad:.2g}")
    diverged = checks.first_divergence(loop)
    if diverged is not None:
        report.add("nondeterminism", f"two runs from seed 0 first differ at: {diverged}")
    return report


def _data(loop: TrainingLoop, report: Report) -> None:
    train, test = loop.data()
    share = data_checks.duplicate_share(train.x, test.x)
    if share > data_checks.DUPLICATE_SHARE:
        report.add("split_leakage", f"{share:.0%} of test rows are also training rows")
    column, acc = data_checks.leaking_feature(train.x, train.y, test.x, test.y)
    if acc > data_checks.LEAK_ACCURACY:
        report.add(
            "label_leakage",
            f"feature {column} alone predicts the test label with accuracy {acc:.2f}",
        )
    mean, std = data_checks.feature_scale(train.x)
    if max(mean, std) > data_checks.SCALE_LIMIT:
        report.add("input_scale", f"feature |mean| up to {mean:.3g}, std up to {std:.3g}")


def _short_run(loop: TrainingLoop, report: Report) -> None:
    """Train RUN_STEPS steps watching loss, per-layer stats and update ratios."""
    checks.seed_all(0)
    model, opt = loop.make(0)
    stats = LayerStats(model)
    first_loss = None
    for i, (x, y) in enumerate(loop.batches(RUN_STEPS)):
        before, rng = snapshot(model), torch.random.get_rng_state()
        loss = loop.step(model, opt, x, y)
        norms = grad_norms(model)
        if i == 0:
            stats.close()
            _activations(stats, report)
            weak = {
                n: v
                for n, v in norms.items()
                if model.get_parameter(n).dim() >= 2 and v < VANISHING_GRAD
            }
            if weak:
                report.add("vanishing_signal", f"weight gradients vanish at step 0: {_fmt(weak)}")
            first_loss = loss
            expected = math.log(loop.n_classes)
            if math.isfinite(loss) and not expected / 3 < loss < 3 * expected:
                report.add(
                    "loss_scale",
                    f"initial loss {loss:.3g}, expected ~log({loop.n_classes}) = {expected:.3g}",
                )
        if not (math.isfinite(loss) and all(map(math.isfinite, norms.values()))):
            _restore(model, before)
            torch.random.set_rng_state(rng)  # the same dropout masks as the failing step
            _nonfinite(loop, model, x, y, i, report)
            return
        report.losses.append(loss)
        report.grad_norm.append(math.sqrt(sum(v * v for v in norms.values())))
        worst_grad = max(norms.items(), key=lambda kv: kv[1], default=("-", 0.0))
        worst_update = max(
            update_ratios(before, model).items(), key=lambda kv: kv[1], default=("-", 0.0)
        )
        if worst_grad[1] > EXPLODING_GRAD or worst_update[1] > EXPLODING_UPDATE:
            report.add(
                "exploding_updates",
                f"step {i}: grad norm of {worst_grad[0]} {worst_grad[1]:.3g}, "
                f"update/weight of {worst_update[0]} {worst_update[1]:.3g}",
            )
            return
    assert first_loss is not None
    frozen = [n for n, r in update_ratios(_initial(loop), model).items() if r == 0.0]
    if frozen:
        report.add("frozen_parameters", f"never updated in {RUN_STEPS} steps: {frozen}")
    if report.losses[-1] > 3 * first_loss:
        report.add(
            "exploding_updates", f"loss rose from {first_loss:.3g} to {report.losses[-1]:.3g}"
        )


def _fmt(values: dict[str, float]) -> str:
    return ", ".join(f"{n} {v:.2g}" for n, v in values.items())


def _restore(model: torch.nn.Module, state: dict[str, torch.Tensor]) -> None:
    with torch.no_grad():
        for n, p in model.named_parameters():
            p.copy_(state[n])


def _initial(loop: TrainingLoop) -> dict[str, torch.Tensor]:
    return snapshot(loop.make(0)[0])


def _activations(stats: LayerStats, report: Report) -> None:
    for a in stats.acts:
        if a.std < VANISHING_ACT or a.dead == 1.0:
            report.add(
                "vanishing_signal", f"module {a.module}: output std {a.std:.2g}, {a.dead:.0%} zeros"
            )
            return


def _nonfinite(
    loop: TrainingLoop,
    model: torch.nn.Module,
    x: torch.Tensor,
    y: torch.Tensor,
    step: int,
    report: Report,
) -> None:
    where = first_nonfinite(model, lambda: loop.loss(model, x, y))
    if where is None:
        report.add(
            "exploding_updates", f"step {step}: the loss is finite but a gradient is NaN/Inf"
        )
        return
    if not where.params_finite:
        report.add(
            "exploding_updates", f"step {step}: weights are already NaN/Inf; {where.describe()}"
        )
    elif where.dtype in ("float16", "bfloat16"):
        report.add("half_precision_overflow", f"step {step}: {where.describe()}")
    else:
        report.add("nonfinite_op", f"step {step}: {where.describe()}")
