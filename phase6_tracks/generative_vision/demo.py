"""Demo: a class-conditional DDPM on the 8x8 digits judged by a digits classifier, then a small
CLIP on generated shapes and digits, zero-shot beside supervised baselines.

Quick mode trains each model briefly (numbers far below the full run's); the full mode trains
for real and writes `results.json` and two pictures to the study folder (`docs/` with
`--write-docs`, else `artifacts/`).
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import numpy as np
import torch

from phase0_env.common.outputs import study_output
from phase0_env.common.seeding import seed_everything

from .clip_train import (
    ClipConfig,
    make_clip_data,
    supervised_report,
    train_clip,
    zero_shot_report,
)
from .ddpm_train import DDPMTrainConfig, sample, train_ddpm
from .digits import Digits, confident_shares, judge, load_digits_split, train_judge
from .pictures import sample_grid, zero_shot_examples
from .scenes import SHAPE_CLASSES, shape_prompts

HERE = Path(__file__).resolve().parent


def main(quick: bool = False) -> None:
    """Train, sample, judge and report both models (quick: well under a minute idle)."""
    seed_everything(0)
    cpu = time.process_time()
    digits = load_digits_split()
    results: dict[str, Any] = {"quick": quick}
    results["ddpm"] = diffusion(digits, quick)
    results["clip"] = contrastive(digits, quick)
    results["cpu_seconds"] = time.process_time() - cpu
    out = study_output(HERE, "results.json")
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nresults written to {out} ({results['cpu_seconds']:.0f} CPU s in all)")


def diffusion(digits: Digits, quick: bool) -> dict[str, Any]:
    """Train the judge and the DDPM, sample every class, print and return the judged shares."""
    start = time.perf_counter()
    judge_model = train_judge(digits, epochs=6 if quick else 20)
    pred, conf = judge(judge_model, digits.x_test)
    accuracy = float((pred == digits.y_test).float().mean())
    real = confident_shares(pred, conf, digits.y_test)["confident_and_right"]
    print(f"digit judge: held-out accuracy {accuracy:.4f} ({time.perf_counter() - start:.0f} s)")
    config = DDPMTrainConfig(steps=200, batch_size=64, width=16) if quick else DDPMTrainConfig()
    run = train_ddpm(digits, config)
    print(
        f"DDPM: tiny U-Net (width {config.width}), {config.steps} steps of batch "
        f"{config.batch_size}, {config.schedule.beta_schedule} schedule, {run.seconds:.0f} s "
        f"({run.cpu_seconds:.0f} CPU s); "
        f"loss {np.mean(run.losses[:50]):.3f} -> {np.mean(run.losses[-50:]):.3f}"
    )
    per_class = 10 if quick else 30
    labels = torch.arange(10).repeat_interleave(per_class)
    methods = [("ddim", 20)] if quick else [("ddpm", 1000), ("ddim", 50)]
    table: dict[str, Any] = {"judge_accuracy": accuracy, "real held-out": real}
    images = {}
    for method, steps in methods:
        images[method] = sample(run, labels, steps, method, seed=1)
        sample_pred, sample_conf = judge(judge_model, images[method])
        shares = confident_shares(sample_pred, sample_conf, labels)
        table[f"{method} {steps} steps"] = shares["confident_and_right"]
        table[f"{method} {steps} steps, confident (any class)"] = shares["confident"]
    _print_shares(table, ["real held-out", *[f"{m} {s} steps" for m, s in methods]])
    first = methods[0][0]
    grid = images[first].reshape(10, per_class, 1, 8, 8)[:, :10].reshape(100, 1, 8, 8)
    examples = torch.stack([digits.x_test[digits.y_test == c][0] for c in range(10)])
    path = study_output(HERE, "ddpm_samples.png")
    sample_grid(
        grid.numpy(),
        10,
        path,
        f"class-conditional samples ({first.upper()} {methods[0][1]} steps), one class per row",
        real=examples.numpy(),
    )
    print(f"sample grid: {path}")
    table["train_seconds"] = run.seconds
    table["train_cpu_seconds"] = run.cpu_seconds
    table["steps"] = config.steps
    return table


def contrastive(digits: Digits, quick: bool) -> dict[str, Any]:
    """Train the small CLIP; print zero-shot and supervised accuracies; save examples."""
    config = ClipConfig(n_shapes=600, epochs=3) if quick else ClipConfig()
    data = make_clip_data(digits, config)
    cpu = time.process_time()
    model, losses, seconds = train_clip(data, config)
    cpu = time.process_time() - cpu
    print(
        f"\nCLIP: {sum(len(p.captions) for p in data.train)} training pairs, "
        f"{config.epochs} epochs, {seconds:.0f} s ({cpu:.0f} CPU s); "
        f"loss {losses[0]:.3f} -> {losses[-1]:.3f}"
    )
    rows = {"zero-shot (prompts)": zero_shot_report(model, data)}
    rows.update(supervised_report(model, data, config))
    splits = ["shapes", "unseen shape combos", "digits"]
    print(f"  {'accuracy on held-out':<22}" + "".join(f"{s:>22}" for s in splits))
    for name, accs in rows.items():
        print(f"  {name:<22}" + "".join(f"{accs[s]:>22.4f}" for s in splits))
    parts = {k: v for k, v in rows["zero-shot (prompts)"].items() if k.startswith("unseen:")}
    print(
        "  zero-shot on unseen combos, per attribute: "
        + ", ".join(f"{k.removeprefix('unseen: ')} {v:.3f}" for k, v in parts.items())
    )
    with torch.no_grad():
        shown = data.test_shapes.images[:12], data.unseen_shapes.images[:6]
        images = np.concatenate(shown)
        truth = np.concatenate([data.test_shapes.labels[:12], data.unseen_shapes.labels[:6]])
        scores = model.encode_image(torch.from_numpy(images)) @ model.encode_text(shape_prompts()).T
    predicted = [SHAPE_CLASSES[i] for i in scores.argmax(1).tolist()]
    path = study_output(HERE, "clip_zero_shot.png")
    zero_shot_examples(
        images,
        [SHAPE_CLASSES[i] for i in truth],
        predicted,
        path,
        "zero-shot: true class -> nearest prompt (last row: combinations never seen in training)",
    )
    print(f"zero-shot examples: {path}")
    return {
        "losses": losses,
        "train_seconds": seconds,
        "train_cpu_seconds": cpu,
        "n_train_pairs": sum(len(p.captions) for p in data.train),
        "epochs": config.epochs,
        "accuracy": rows,
    }


def _print_shares(table: dict[str, Any], columns: list[str]) -> None:
    """Per class: share of images judged as that class with probability >= 0.9."""
    print("  share judged as the requested class with p >= 0.9")
    print(f"  {'class':>5}" + "".join(f"{c:>18}" for c in columns))
    for c in range(10):
        print(f"  {c:>5}" + "".join(f"{table[col][c]:>18.2f}" for col in columns))
    print(f"  {'mean':>5}" + "".join(f"{np.mean(table[col]):>18.3f}" for col in columns))


if __name__ == "__main__":
    main()
