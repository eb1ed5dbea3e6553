"""The search space, the synthetic table and the choice of the best trial behave as stated."""

import numpy as np
import pandas as pd
import pytest

from phase2_tabular.common.contract import validate
from phase2_tabular.common.tables import PENGUINS
from phase5_mlops.scale_out.batch_inference import synthetic_penguins
from phase5_mlops.scale_out.tuning import SPACE, Trial, best, random_configs


def test_random_configs_are_seeded_and_inside_the_space():
    configs = random_configs(20, seed=5)
    assert configs == random_configs(20, seed=5) and configs != random_configs(20, seed=6)
    for config in configs:
        for name, (low, high) in SPACE[config["family"]].items():
            assert low <= config[name] <= high


def test_synthetic_table_is_seeded_and_keeps_the_phase2_contract():
    table = synthetic_penguins(2_000, seed=1)
    pd.testing.assert_frame_equal(table, synthetic_penguins(2_000, seed=1))
    assert list(table.columns) == PENGUINS.features
    assert validate(table, PENGUINS, with_target=False).ok
    missing = table[list(PENGUINS.numeric)].isna().mean().mean()
    assert 0.002 < missing < 0.03  # about the 1% asked for


def test_best_takes_the_highest_mean_and_the_first_of_equals():
    trials = [Trial({"i": 0}, (0.5, 0.7)), Trial({"i": 1}, (0.6, 0.6)), Trial({"i": 2}, (0.9, 0.1))]
    assert best(trials).config == {"i": 0}
    assert np.isclose(best(trials).mean, 0.6)
    with pytest.raises(ValueError):
        best([])
