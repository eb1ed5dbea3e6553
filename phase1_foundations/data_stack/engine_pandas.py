"""The pipeline in pandas: groupby/agg, merge, and rolling over a pivoted day grid."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .features import WINDOW_DAYS, Features, normalise
from .tables import N_DAYS, EventColumns, StateTable


def states_frame(states: StateTable) -> pd.DataFrame:
    """The state table as a DataFrame keyed by state_code."""
    return pd.DataFrame(
        {
            "state_code": np.arange(len(states)),
            "state": states.name,
            "urban_pop": states.urban_pop,
            "murder": states.murder,
        }
    )


def features(columns: EventColumns, states: StateTable, n_days: int = N_DAYS) -> Features:
    """Per-state features joined with the state table (inner join, sorted by name)."""
    ev = pd.DataFrame(
        {"state_code": columns.state_code, "day": columns.day, "amount_cents": columns.amount_cents}
    )
    agg = ev.groupby("state_code").agg(
        n_events=("amount_cents", "size"),
        total_cents=("amount_cents", "sum"),
        max_cents=("amount_cents", "max"),
    )
    daily = (
        ev.groupby(["state_code", "day"])["amount_cents"]
        .sum()
        .unstack(fill_value=0)
        .reindex(columns=range(n_days), fill_value=0)
    )
    # Rolling sums of whole cents are exact in float64; cast back to int afterwards.
    peak = daily.T.rolling(WINDOW_DAYS, min_periods=1).sum().max().astype(np.int64)
    agg["peak_7d_cents"] = peak
    out = (
        agg.reset_index()
        .merge(states_frame(states), on="state_code", how="inner")
        .sort_values("state", kind="stable")
    )
    out["mean_cents"] = out["total_cents"] / out["n_events"]
    out["cents_per_urban_pop"] = out["total_cents"] / out["urban_pop"]
    return normalise({c: out[c].to_numpy() for c in out.columns})
