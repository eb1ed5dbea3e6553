"""The benchmark's exponent fit, on exact power laws (never on measured time)."""

import pytest

from phase1_foundations.algorithms.bench import fitted_exponent


@pytest.mark.parametrize("power", [0.5, 1.0, 2.0, 3.0])
def test_fitted_exponent_recovers_a_power_law(power):
    ns = [100, 1_000, 10_000]
    assert fitted_exponent(ns, [2e-6 * n**power for n in ns]) == pytest.approx(power)
