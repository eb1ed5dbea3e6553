"""Daily batches are reproducible, and each knob changes exactly what it says."""

import numpy as np
import pytest

from phase2_tabular.common.contract import validate
from phase5_mlops.retraining_pipeline.batches import daily_batch, pool_and_holdout


def test_same_day_same_rows_other_day_other_rows():
    assert daily_batch(3).equals(daily_batch(3))
    assert not daily_batch(3).equals(daily_batch(4))


def test_holdout_never_changes_and_covers_every_class():
    pool, holdout, spec = pool_and_holdout()
    again = pool_and_holdout()[1]
    assert holdout.equals(again)
    assert len(pool) + len(holdout) == 344  # every penguin has a species
    assert set(holdout[spec.target]) == set(spec.classes)


def test_clean_batches_satisfy_the_contract_and_corrupt_rows_do_not():
    _, _, spec = pool_and_holdout()
    assert validate(daily_batch(1), spec).ok
    report = validate(daily_batch(1, corrupt_rows=4), spec)
    assert len(report.failing_rows) == 4
    assert {f["column"] for f in report.failures} == {"body_mass_g", "island"}


def test_drift_moves_mass_and_island_only():
    clean, drifted = daily_batch(2), daily_batch(2, drift=1.0)
    assert drifted["body_mass_g"].mean() > 1.1 * clean["body_mass_g"].mean()
    assert (drifted["island"] == "Biscoe").mean() > (clean["island"] == "Biscoe").mean()
    assert np.allclose(drifted["bill_length_mm"], clean["bill_length_mm"], equal_nan=True)


def test_label_noise_relabels_about_the_requested_share():
    clean, noisy = daily_batch(2), daily_batch(2, label_noise=0.5)
    changed = (clean["species"] != noisy["species"]).mean()
    assert 0.4 < changed < 0.6


def test_bad_knobs_are_refused():
    with pytest.raises(ValueError, match="label_noise"):
        daily_batch(1, label_noise=1.5)
