"""Daily batches simulated from the real penguins table, with knobs for what goes wrong.

The table is split once (seeded, stratified) into a *pool* that batches are drawn from and
a fixed *holdout* that every model is judged on, so challenger and champion always meet the
same rows. A day's batch is a bootstrap sample of the pool with small measurement noise;
`drift` makes birds heavier and moves them to Biscoe (1.0 is the monitoring milestone's
injected drift), `label_noise` relabels a share of rows, `corrupt_rows` breaks the contract.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from phase2_tabular.common.tables import TableSpec, load_table

HOLDOUT_FRACTION = 0.25
BATCH_ROWS = 240
NOISE_SHARE = 0.02  # measurement noise: this share of each numeric column's std


def pool_and_holdout(seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame, TableSpec]:
    """(pool, holdout, spec): a stratified, seeded split of the penguins table."""
    from sklearn.model_selection import train_test_split

    df, spec = load_table("penguins")
    pool, holdout = train_test_split(
        df, test_size=HOLDOUT_FRACTION, stratify=df[spec.target], random_state=seed
    )
    return pool.reset_index(drop=True), holdout.reset_index(drop=True), spec


def daily_batch(
    day: int,
    *,
    drift: float = 0.0,
    label_noise: float = 0.0,
    corrupt_rows: int = 0,
    n_rows: int = BATCH_ROWS,
    seed: int = 0,
) -> pd.DataFrame:
    """The batch that arrives on `day` (same arguments, same rows)."""
    if not 0.0 <= label_noise <= 1.0 or drift < 0 or corrupt_rows < 0 or n_rows < 1:
        raise ValueError("need 0 <= label_noise <= 1, drift >= 0, corrupt_rows >= 0, n_rows >= 1")
    pool, _, spec = pool_and_holdout(seed)
    rng = np.random.default_rng([seed, day])
    batch = pool.iloc[rng.integers(0, len(pool), n_rows)].reset_index(drop=True)
    for col, (lo, hi) in spec.numeric.items():
        noise = rng.normal(0.0, NOISE_SHARE * pool[col].std(), n_rows)
        batch[col] = (batch[col] + noise).clip(lo, hi)  # noise never breaks the contract
    if drift:
        heavier = batch["body_mass_g"] * (1 + 0.15 * drift) + rng.normal(0, 50, n_rows)
        batch["body_mass_g"] = heavier.clip(*spec.numeric["body_mass_g"])
        moved = rng.random(n_rows) < min(1.0, 0.4 * drift)
        batch.loc[moved, "island"] = "Biscoe"
    if label_noise:
        flip = np.flatnonzero(rng.random(n_rows) < label_noise)
        classes = np.asarray(spec.classes, dtype=object)
        for i in flip:
            others = classes[classes != batch.at[i, spec.target]]
            batch.at[i, spec.target] = others[rng.integers(0, len(others))]
    if corrupt_rows:
        rows = rng.choice(n_rows, size=min(corrupt_rows, n_rows), replace=False)
        batch.loc[rows, "body_mass_g"] = -1.0  # a unit bug upstream
        batch.loc[rows, "island"] = "Atlantis"
    return batch
