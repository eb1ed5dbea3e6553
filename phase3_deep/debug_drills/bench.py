"""What the toolkit costs: one training step plain vs with the per-layer statistics hooks,
and a full `diagnose` run, at three batch sizes."""

from __future__ import annotations

import torch

from phase0_env.common.bench import BenchRow, compare, sizes

from .loop import DigitsLoop
from .report import diagnose
from .stats import LayerStats, grad_norms, snapshot, update_ratios


def run(quick: bool = False) -> list[BenchRow]:
    """Rows: hooked step vs plain step per batch size, and diagnose() on the healthy loop."""
    torch.set_num_threads(1)
    rows = [
        _step_row(batch, quick) for batch in sizes(quick, full=(32, 128, 512), small=(32, 64, 128))
    ]
    rows.append(
        compare(
            "diagnose (healthy mlp)",
            64,
            lambda: diagnose(DigitsLoop("mlp")),
            None,
            reference="-",
            repeats=1,
            warmup=0,
        )
    )
    return rows


def _step_row(batch: int, quick: bool) -> BenchRow:
    loop = DigitsLoop("mlp", batch_size=batch)
    model, opt = loop.make(0)
    plain_model, plain_opt = loop.make(0)
    x, y = next(iter(loop.batches(1)))
    stats = LayerStats(model)

    def hooked() -> None:
        before = snapshot(model)
        loop.step(model, opt, x, y)
        grad_norms(model)
        update_ratios(before, model)
        stats.acts.clear()

    row = compare(
        "step with stats",
        batch,
        hooked,
        lambda: loop.step(plain_model, plain_opt, x, y),
        reference="plain step",
        repeats=5 if quick else 20,
    )
    stats.close()
    return row
