"""What every engine computes, and how results are compared.

Per state that has events (an inner join of the per-state aggregation with USArrests):
n_events, total/mean/max amount, UrbanPop and Murder from the real table, spend per point
of UrbanPop, and the peak trailing 7-day spend (rolling sum over a dense day grid, days
without events count as 0). Rows are ordered by state name.

Amounts are integer cents, so sums, maxima and rolling sums are exact in every engine and
the float columns are one correctly rounded division of exact integers: results are equal,
not merely close.
"""

from __future__ import annotations

import numpy as np

WINDOW_DAYS = 7
COLUMNS = (
    "state",
    "n_events",
    "total_cents",
    "mean_cents",
    "max_cents",
    "urban_pop",
    "murder",
    "cents_per_urban_pop",
    "peak_7d_cents",
)
INT_COLUMNS = ("n_events", "total_cents", "max_cents", "urban_pop", "peak_7d_cents")

Features = dict[str, np.ndarray]


def normalise(columns: dict[str, object]) -> Features:
    """Coerce an engine's output columns to NumPy with the canonical dtypes and order."""
    out: Features = {}
    for name in COLUMNS:
        values = np.asarray(columns[name])
        if name == "state":
            out[name] = values.astype(str)
        elif name in INT_COLUMNS:
            out[name] = values.astype(np.int64)
        else:  # mean_cents, murder, cents_per_urban_pop
            out[name] = values.astype(np.float64)
    return out
