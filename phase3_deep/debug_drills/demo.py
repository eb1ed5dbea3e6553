"""Walk the drills: each bug's symptom, the toolkit's report, and plots of the symptoms
(loss curve and gradient norm, broken vs fixed) under artifacts/debug_drills/."""

from __future__ import annotations

from pathlib import Path

import torch

from .drills import DRILLS
from .report import Report, diagnose

OUT = Path("artifacts") / "debug_drills"


def main(quick: bool = False) -> None:
    """Diagnose every drill and its fixed loop; plot the short-run curves of each pair."""
    torch.set_num_threads(1)
    healthy: dict[str, Report] = {}
    for drill in DRILLS[:4] if quick else DRILLS:
        broken = diagnose(drill.broken())
        if drill.kind not in healthy:
            healthy[drill.kind] = diagnose(drill.fixed())
        mark = "ok  " if drill.bug_class in broken.classes else "MISS"
        print(f"\n[{mark}] {drill.bug} ({drill.kind}): {drill.symptom}")
        for f in broken.findings:
            print(f"    {f.bug_class:<24} {f.message}")
        print(f"    fixed loop findings: {len(healthy[drill.kind].findings)}")
        _plot(drill.bug, broken, healthy[drill.kind])
    print(f"\nplots: {OUT}/")


def _plot(name: str, broken: Report, fixed: Report) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    OUT.mkdir(parents=True, exist_ok=True)
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.2))
    for report, label in ((fixed, "fixed"), (broken, "broken")):
        ax1.plot(report.losses, label=label)
        ax2.plot(report.grad_norm, label=label)
    ax1.set(title=f"{name}: training loss", xlabel="step", yscale="log")
    ax2.set(title="gradient norm", xlabel="step", yscale="log")
    ax1.legend()
    fig.tight_layout()
    fig.savefig(OUT / f"{name}.png", dpi=80)
    plt.close(fig)
