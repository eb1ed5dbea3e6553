"""The pipeline in NumPy: bincount for group sums, a flat (state, day) grid for the window."""

from __future__ import annotations

import numpy as np

from .features import WINDOW_DAYS, Features, normalise
from .tables import N_DAYS, EventColumns, StateTable


def features(columns: EventColumns, states: StateTable, n_days: int = N_DAYS) -> Features:
    """Per-state features joined with the state table (inner join, sorted by name)."""
    n_states = len(states)
    code, day, amount = columns.state_code, columns.day, columns.amount_cents
    known = (code >= 0) & (code < n_states)  # inner join drops unknown keys
    code, day, amount = code[known], day[known], amount[known]
    n_events = np.bincount(code, minlength=n_states)
    # Float64 weights are exact here: every partial sum of cents stays far below 2**53.
    total = np.bincount(code, weights=amount, minlength=n_states).astype(np.int64)
    max_cents = np.zeros(n_states, dtype=np.int64)
    np.maximum.at(max_cents, code, amount)
    daily = (
        np.bincount(code * n_days + day, weights=amount, minlength=n_states * n_days)
        .astype(np.int64)
        .reshape(n_states, n_days)
    )
    csum = np.cumsum(daily, axis=1)
    rolling = csum.copy()
    rolling[:, WINDOW_DAYS:] -= csum[:, :-WINDOW_DAYS]
    peak = rolling.max(axis=1) if n_days else np.zeros(n_states, dtype=np.int64)
    present = np.flatnonzero(n_events)
    present = present[np.argsort(states.name[present], kind="stable")]
    return normalise(
        {
            "state": states.name[present],
            "n_events": n_events[present],
            "total_cents": total[present],
            "mean_cents": total[present] / n_events[present],
            "max_cents": max_cents[present],
            "urban_pop": states.urban_pop[present],
            "murder": states.murder[present],
            "cents_per_urban_pop": total[present] / states.urban_pop[present],
            "peak_7d_cents": peak[present],
        }
    )
