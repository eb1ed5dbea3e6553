"""`roadmap parity phase3_deep.debug_drills`: every drill diagnosed, every healthy loop clean,
every fixed loop at its stated accuracy. There is no reference library: the healthy loop of
the same kind is the control."""

from __future__ import annotations

import torch

from phase0_env.common.parity import ParityResult, behaviour

from .drills import DRILLS, TARGET, train_accuracy
from .loop import DigitsLoop
from .report import diagnose


def checks() -> list[ParityResult]:
    """One behaviour result per drill, per healthy loop and per fixed loop's accuracy."""
    torch.set_num_threads(1)
    out = []
    for drill in DRILLS:
        found = diagnose(drill.broken()).classes
        out.append(
            behaviour(
                f"drill_{drill.bug}_names_{drill.bug_class}",
                drill.bug_class in found,
                f"found {sorted(found)}",
            )
        )
    for kind, target in TARGET.items():
        findings = diagnose(DigitsLoop(kind)).findings
        out.append(behaviour(f"healthy_{kind}_reports_nothing", not findings, f"{findings}"))
        _, acc = train_accuracy(DigitsLoop(kind))
        out.append(
            behaviour(f"fixed_{kind}_reaches_{target}", acc >= target, f"test accuracy {acc:.3f}")
        )
    return out
