"""Seeded request traffic for the phase 2 API: resampled real penguins, optionally drifted."""

from __future__ import annotations

from typing import Any

import numpy as np

from phase2_tabular.common.tables import load_table

DRIFTED_COLUMNS = ("body_mass_g", "island")


def penguin_requests(n: int, seed: int = 0, *, drifted: bool = False) -> list[dict[str, Any]]:
    """`n` penguins drawn with replacement as API records (nulls for missing values).

    `drifted=True` makes every bird 600 g heavier (still inside the API's contract) and moves
    60% of them to Biscoe: `DRIFTED_COLUMNS` change, the other columns keep their distribution.
    """
    df, spec = load_table("penguins")
    rng = np.random.default_rng(seed)
    sample = df[spec.features].iloc[rng.integers(0, len(df), n)].reset_index(drop=True)
    if drifted:
        high = spec.numeric["body_mass_g"][1]
        sample["body_mass_g"] = (sample["body_mass_g"] + 600.0).clip(upper=high)
        sample.loc[rng.random(n) < 0.6, "island"] = "Biscoe"
    rows = sample.to_dict(orient="records")
    return [{k: (None if v != v else v) for k, v in row.items()} for row in rows]
