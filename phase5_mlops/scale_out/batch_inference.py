"""Batch inference of the phase 2 pipeline over a large table: one process, or Ray tasks.

`synthetic_penguins(n, seed)` draws a table of any size from per-species normal distributions
fitted to the real penguins (categoricals by their per-species shares, 1% missing values), so
the model sees realistic inputs at sizes the 344-row table cannot give. `predict_ray` cuts the
table into contiguous chunks, predicts each in a Ray task and concatenates in order: the result
must equal `predict_single` row for row.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pandas as pd

from phase2_tabular.common.tables import load_table


def synthetic_penguins(n: int, seed: int = 0, missing: float = 0.01) -> pd.DataFrame:
    """`n` seeded penguin-like rows with the phase 2 feature columns (within its contract)."""
    df, spec = load_table("penguins")
    rng = np.random.default_rng(seed)
    species = rng.choice(
        spec.classes,
        size=n,
        p=df[spec.target].value_counts(normalize=True)[list(spec.classes)].to_numpy(),
    )
    out = pd.DataFrame(index=range(n), columns=spec.features)
    for name in spec.classes:
        rows = species == name
        group = df[df[spec.target] == name]
        for col, (low, high) in spec.numeric.items():
            values = rng.normal(group[col].mean(), group[col].std(), rows.sum())
            out.loc[rows, col] = np.clip(values, low, high)
        for col in spec.categorical:
            shares = group[col].value_counts(normalize=True)
            out.loc[rows, col] = rng.choice(
                shares.index.to_numpy(), size=rows.sum(), p=shares.to_numpy()
            )
    for col in spec.numeric:
        out[col] = out[col].astype("float64")
        out.loc[rng.random(n) < missing, col] = np.nan
    for col in spec.categorical:
        out[col] = out[col].astype(object)
    return out


def predict_single(pipeline: Any, table: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(labels, class probabilities) of the whole table in this process."""
    proba = pipeline.predict_proba(table)
    return pipeline.classes_[proba.argmax(axis=1)], proba


def predict_ray(
    pipeline: Any, table: pd.DataFrame, n_chunks: int = 4
) -> tuple[np.ndarray, np.ndarray]:
    """(labels, probabilities) from Ray tasks over contiguous chunks (needs `ray.init` first)."""
    import ray

    if len(table) == 0:
        raise ValueError("the table is empty")
    model = ray.put(pipeline)  # shipped once; every task reads the same object
    bounds = np.linspace(0, len(table), min(n_chunks, len(table)) + 1).astype(int)

    @ray.remote(num_cpus=1)
    def chunk_proba(pipe: Any, chunk: pd.DataFrame) -> np.ndarray:
        from threadpoolctl import threadpool_limits

        with threadpool_limits(limits=1):
            return pipe.predict_proba(chunk)

    parts = [chunk_proba.remote(model, table.iloc[lo:hi]) for lo, hi in itertools.pairwise(bounds)]
    proba = np.concatenate(ray.get(parts))
    return pipeline.classes_[proba.argmax(axis=1)], proba


def predict_ray_data(
    pipeline: Any, table: pd.DataFrame, batch_size: int = 25_000
) -> tuple[np.ndarray, np.ndarray]:
    """(labels, probabilities) through a Ray Data `map_batches` pipeline, order preserved."""
    import ray

    if len(table) == 0:
        raise ValueError("the table is empty")
    context = ray.data.DataContext.get_current()
    context.execution_options.preserve_order = True  # rows come back in input order
    context.enable_progress_bars = False
    model = ray.put(pipeline)

    def batch_proba(batch: pd.DataFrame) -> dict[str, np.ndarray]:
        from threadpoolctl import threadpool_limits

        with threadpool_limits(limits=1):
            return {"proba": ray.get(model).predict_proba(batch)}

    out = (
        ray.data.from_pandas(table)
        .map_batches(batch_proba, batch_format="pandas", batch_size=batch_size)
        .to_pandas()
    )
    proba = np.stack(out["proba"].to_numpy())
    return pipeline.classes_[proba.argmax(axis=1)], proba
