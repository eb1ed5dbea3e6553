"""Benchmark: batch inference of the phase 2 model, Ray tasks vs one process, three table sizes.

Ray pays for shipping the table chunks to the object store and for task scheduling; it wins
only when a chunk's prediction costs more than that, and only with more than one free core.
The cluster is started once, outside the timings.
"""

from __future__ import annotations

import tempfile
from functools import partial
from pathlib import Path

import numpy as np

from phase0_env.common.bench import BenchRow, compare, sizes
from phase0_env.common.parity import reference_version

NUM_CPUS = 2


def run(quick: bool = False) -> list[BenchRow]:
    """Ray tasks over 2 x NUM_CPUS chunks vs one `predict_proba`, on seeded synthetic penguins."""
    from phase2_tabular.tabular_api.artifact import load_artifact
    from phase2_tabular.tabular_api.train import train
    from phase5_mlops.scale_out.batch_inference import (
        predict_ray,
        predict_single,
        synthetic_penguins,
    )
    from phase5_mlops.scale_out.ray_local import local_ray

    ref = f"{reference_version('scikit-learn')} (single process)"
    rows = []
    with tempfile.TemporaryDirectory() as tmp, local_ray(num_cpus=NUM_CPUS):
        pipeline = load_artifact(train(Path(tmp) / "model", n_splits=3)).pipeline
        for n in sizes(quick, full=(50_000, 500_000, 2_000_000), small=(10_000, 50_000, 200_000)):
            table = synthetic_penguins(n, seed=0)
            labels, proba = predict_single(pipeline, table)
            ray_labels, ray_proba = predict_ray(pipeline, table, n_chunks=2 * NUM_CPUS)
            rows.append(
                compare(
                    "batch predict_proba (ray tasks)",
                    n,
                    partial(predict_ray, pipeline, table, 2 * NUM_CPUS),
                    partial(predict_single, pipeline, table),
                    reference=ref,
                    repeats=3,
                    quality={
                        "label_mismatches": int(np.sum(ray_labels != labels)),
                        "max_proba_diff": float(np.max(np.abs(ray_proba - proba))),
                    },
                )
            )
    return rows
