"""Bias-variance decomposition of polynomial regression, measured by simulation, and its plot.

For each degree we fit `n_datasets` training sets drawn from y = sin(2*pi*x) + noise and
predict on a fixed grid. Per grid point, the mean over training sets of (f - f_hat)^2
splits exactly into bias^2 = (f - mean f_hat)^2 plus variance = mean (f_hat - mean f_hat)^2;
the expected test error adds the irreducible noise sigma^2.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np


@dataclass(frozen=True)
class BiasVariance:
    """Per-degree averages over the grid: bias^2, variance, noise and the expected error."""

    degrees: np.ndarray
    bias_sq: np.ndarray
    variance: np.ndarray
    noise: float
    error_vs_truth: np.ndarray  # mean over sets and grid of (f - f_hat)^2
    test_mse: np.ndarray  # mean over sets of squared error on fresh noisy test targets


def true_function(x: np.ndarray) -> np.ndarray:
    """The regression function the data come from."""
    return np.sin(2 * np.pi * x)


def decompose(
    degrees: tuple[int, ...] = tuple(range(1, 10)),
    n_datasets: int = 200,
    n_train: int = 40,
    noise_sd: float = 0.3,
    seed: int = 0,
) -> BiasVariance:
    """Simulate the decomposition for polynomial least squares of each degree."""
    rng = np.random.default_rng(seed)
    x_test = np.linspace(0.0, 1.0, 100)
    f_test = true_function(x_test)
    xs = rng.uniform(0.0, 1.0, (n_datasets, n_train))
    ys = true_function(xs) + noise_sd * rng.standard_normal(xs.shape)
    y_test = f_test + noise_sd * rng.standard_normal((n_datasets, x_test.size))
    bias_sq, variance, err, mse = [], [], [], []
    for deg in degrees:
        preds = np.stack(
            [_poly_fit_predict(x, y, x_test, deg) for x, y in zip(xs, ys, strict=True)]
        )
        mean_pred = preds.mean(axis=0)
        bias_sq.append(np.mean((mean_pred - f_test) ** 2))
        variance.append(np.mean(preds.var(axis=0)))
        err.append(np.mean((preds - f_test) ** 2))
        mse.append(np.mean((preds - y_test) ** 2))
    return BiasVariance(
        np.array(degrees),
        np.array(bias_sq),
        np.array(variance),
        noise_sd**2,
        np.array(err),
        np.array(mse),
    )


def plot(result: BiasVariance, path: Path) -> Path:
    """Save the bias^2 / variance / test-error curves as a PNG (matplotlib, Agg backend)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(result.degrees, result.bias_sq, "o-", label="bias$^2$")
    ax.plot(result.degrees, result.variance, "s-", label="variance")
    ax.plot(
        result.degrees,
        result.bias_sq + result.variance + result.noise,
        "k--",
        label="bias$^2$ + variance + noise",
    )
    ax.plot(result.degrees, result.test_mse, "x", color="red", label="simulated test MSE")
    ax.axhline(result.noise, color="grey", lw=0.8, label="noise $\\sigma^2$")
    ax.set(
        xlabel="polynomial degree",
        ylabel="squared error",
        yscale="log",
        title="Bias-variance trade-off",
    )
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def _poly_fit_predict(x: np.ndarray, y: np.ndarray, x_new: np.ndarray, degree: int) -> np.ndarray:
    # Centre x on [-1, 1] so the Vandermonde matrix stays well conditioned at degree 9+.
    design = np.vander(2 * x - 1, degree + 1)
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    return np.vander(2 * x_new - 1, degree + 1) @ coef
