"""The bias-variance decomposition is an identity, has the textbook shape, and plots."""

import numpy as np

from phase1_foundations.stats.bias_variance import decompose, plot


def test_error_vs_truth_splits_exactly_into_bias_and_variance():
    r = decompose(n_datasets=40)
    np.testing.assert_allclose(r.error_vs_truth, r.bias_sq + r.variance, rtol=1e-9)


def test_simulated_test_mse_is_error_plus_noise_within_sampling_error():
    r = decompose(n_datasets=100, degrees=(1, 3, 5))
    # Test noise is drawn independently of the fits: E[MSE] = error + sigma^2; 100 sets of
    # 100 points leave ~3% sampling error.
    np.testing.assert_allclose(r.test_mse, r.error_vs_truth + r.noise, rtol=0.05)


def test_underfit_has_high_bias_and_overfit_has_high_variance():
    r = decompose(n_datasets=60)
    assert r.bias_sq[0] > 10 * r.bias_sq[3]  # a line cannot follow a sine
    assert r.variance[-1] > 2 * r.variance[2]  # degree 9 chases the noise
    best = int(np.argmin(r.bias_sq + r.variance))
    assert 0 < best < len(r.degrees) - 1  # the sweet spot is inside the range


def test_plot_writes_a_png(tmp_path):
    path = plot(decompose(n_datasets=20, degrees=(1, 2, 3)), tmp_path / "bv" / "plot.png")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
