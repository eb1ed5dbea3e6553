"""Real data for the demo: the Palmer penguins, split by the year they were measured."""

from __future__ import annotations

import numpy as np
import pandas as pd

COLUMNS = [
    "bill_length_mm",
    "bill_depth_mm",
    "flipper_length_mm",
    "body_mass_g",
    "island",
    "sex",
    "species",
]


def penguins_by_year() -> tuple[pd.DataFrame, pd.DataFrame]:
    """(reference = 2007-2008, current = 2009) slices of the penguins table."""
    from palmerpenguins import load_penguins

    table = load_penguins()
    reference = table[table["year"] < 2009][COLUMNS].reset_index(drop=True)
    current = table[table["year"] == 2009][COLUMNS].reset_index(drop=True)
    return reference, current


def with_drift(frame: pd.DataFrame, seed: int = 0) -> pd.DataFrame:
    """A copy with heavier penguins and more of one island: drift a monitor must catch."""
    rng = np.random.default_rng(seed)
    drifted = frame.copy()
    drifted["body_mass_g"] = drifted["body_mass_g"] * 1.15 + rng.normal(0, 50, len(frame))
    flip = rng.random(len(frame)) < 0.4
    drifted.loc[flip, "island"] = "Biscoe"
    return drifted
