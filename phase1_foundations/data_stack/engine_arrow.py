"""The pipeline in pyarrow compute: Table.group_by, Table.join, and a rolling window built
from a cumulative sum over a dense (state, day) grid (Arrow has no rolling kernel)."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from .features import WINDOW_DAYS, Features, normalise
from .tables import N_DAYS, EventColumns, StateTable


def features(columns: EventColumns, states: StateTable, n_days: int = N_DAYS) -> Features:
    """Per-state features joined with the state table (inner join, sorted by name)."""
    n_states = len(states)
    ev = pa.table(
        {"state_code": columns.state_code, "day": columns.day, "amount_cents": columns.amount_cents}
    )
    dim = pa.table(
        {
            "state_code": pa.array(range(n_states), pa.int64()),
            "state": pa.array(states.name.tolist()),
            "urban_pop": states.urban_pop,
            "murder": states.murder,
        }
    )
    agg = ev.group_by("state_code").aggregate(
        [("amount_cents", "count"), ("amount_cents", "sum"), ("amount_cents", "max")]
    )
    agg = agg.rename_columns(["state_code", "n_events", "total_cents", "max_cents"])

    # Dense grid key = state_code * n_days + day; unseen (state, day) cells are 0.
    key = pc.add(pc.multiply(ev["state_code"], n_days), ev["day"])
    daily = (
        pa.table({"key": key, "cents": ev["amount_cents"]})
        .group_by("key")
        .aggregate([("cents", "sum")])
    )
    grid = pa.table({"key": pa.array(range(n_states * n_days), pa.int64())})
    dense = grid.join(daily, "key", join_type="left outer").sort_by("key")
    cents = pc.fill_null(dense["cents_sum"], 0)
    csum = pc.cumulative_sum(cents)
    day = pc.subtract(dense["key"], pc.multiply(pc.divide(dense["key"], n_days), n_days))
    # Window start is `window` days back, but never before the state's first day.
    back = pc.if_else(
        pc.greater_equal(day, WINDOW_DAYS),
        pc.subtract(dense["key"], WINDOW_DAYS),
        pc.subtract(dense["key"], pc.add(day, 1)),
    )
    before = pc.if_else(pc.less(back, 0), 0, pc.take(csum, pc.max_element_wise(back, 0)))
    rolling = pc.subtract(csum, before)
    peak = (
        pa.table({"state_code": pc.divide(dense["key"], n_days), "r": rolling})
        .group_by("state_code")
        .aggregate([("r", "max")])
        .rename_columns(["state_code", "peak_7d_cents"])
    )

    out = agg.join(peak, "state_code").join(dim, "state_code", join_type="inner")
    out = out.sort_by("state")
    total, n = pc.cast(out["total_cents"], pa.float64()), pc.cast(out["n_events"], pa.float64())
    out = out.append_column("mean_cents", pc.divide(total, n))
    out = out.append_column(
        "cents_per_urban_pop", pc.divide(total, pc.cast(out["urban_pop"], pa.float64()))
    )
    return normalise({c: out[c].to_numpy() for c in out.column_names})
