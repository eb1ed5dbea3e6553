"""The pipeline in polars: lazy group_by/agg, join, and rolling_sum over a dense day grid."""

from __future__ import annotations

import numpy as np
import polars as pl

from .features import WINDOW_DAYS, Features, normalise
from .tables import N_DAYS, EventColumns, StateTable


def features(columns: EventColumns, states: StateTable, n_days: int = N_DAYS) -> Features:
    """Per-state features joined with the state table (inner join, sorted by name)."""
    ev = pl.LazyFrame(
        {"state_code": columns.state_code, "day": columns.day, "amount_cents": columns.amount_cents}
    )
    dim = pl.LazyFrame(
        {
            "state_code": np.arange(len(states), dtype=np.int64),
            "state": states.name.tolist(),
            "urban_pop": states.urban_pop,
            "murder": states.murder,
        }
    )
    agg = ev.group_by("state_code").agg(
        n_events=pl.len().cast(pl.Int64),
        total_cents=pl.col("amount_cents").sum(),
        max_cents=pl.col("amount_cents").max(),
    )
    grid = agg.select("state_code").join(
        pl.LazyFrame({"day": np.arange(n_days, dtype=np.int64)}), how="cross"
    )
    daily = ev.group_by("state_code", "day").agg(cents=pl.col("amount_cents").sum())
    peak = (
        grid.join(daily, on=["state_code", "day"], how="left")
        .with_columns(pl.col("cents").fill_null(0))
        .sort("state_code", "day")
        .with_columns(
            rolling=pl.col("cents").rolling_sum(WINDOW_DAYS, min_samples=1).over("state_code")
        )
        .group_by("state_code")
        .agg(peak_7d_cents=pl.col("rolling").max())
    )
    out = (
        agg.join(peak, on="state_code")
        .join(dim, on="state_code", how="inner")
        .with_columns(
            mean_cents=pl.col("total_cents") / pl.col("n_events"),
            cents_per_urban_pop=pl.col("total_cents") / pl.col("urban_pop"),
        )
        .sort("state", maintain_order=True)
        .collect()
    )
    return normalise({c: out[c].to_numpy() for c in out.columns})
