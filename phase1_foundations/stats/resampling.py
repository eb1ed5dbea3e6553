"""Bootstrap confidence intervals (percentile, BCa) and a permutation test.

Both reproduce scipy's random stream exactly: given `np.random.default_rng(seed)`, the
bootstrap draws `rng.integers(0, n, (n_resamples, n))` once per sample, in sample order, and
the permutation test draws `rng.permutation(N)` once per resample, as scipy 1.17 does with
its default `batch=None`. Same seed, same resamples, same interval (to rounding).

`statistic(*samples, axis=-1)` must be vectorised, like `np.mean`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np

from .distributions import norm_cdf, norm_ppf

Statistic = Callable[..., np.ndarray]


@dataclass(frozen=True)
class BootstrapResult:
    """Interval bounds, the standard error and the bootstrap distribution."""

    low: float
    high: float
    standard_error: float
    distribution: np.ndarray


@dataclass(frozen=True)
class PermutationResult:
    """Observed statistic, p-value and the null distribution."""

    statistic: float
    pvalue: float
    null_distribution: np.ndarray


def bootstrap_ci(
    data: Sequence[np.ndarray],
    statistic: Statistic,
    *,
    n_resamples: int = 9999,
    confidence_level: float = 0.95,
    method: str = "bca",
    paired: bool = False,
    rng: np.random.Generator,
) -> BootstrapResult:
    """Two-sided bootstrap interval of `statistic` over the 1-D samples in `data`."""
    samples = [_as_sample(s) for s in data]
    if method not in ("percentile", "bca"):
        raise ValueError(f"method must be 'percentile' or 'bca', got {method!r}")
    if not 0 < confidence_level < 1:
        raise ValueError(f"confidence_level must be in (0, 1), got {confidence_level}")
    if n_resamples < 1:
        raise ValueError("n_resamples must be a positive integer")
    stat = statistic
    if paired:  # resample observation indices once, so pairs stay together (as scipy does)
        n = samples[0].size
        if any(s.size != n for s in samples):
            raise ValueError("paired samples must have equal length")
        originals = samples

        def stat(i: np.ndarray, axis: int = -1) -> np.ndarray:
            return statistic(*(s[..., i] for s in originals), axis=axis)

        samples = [np.arange(n)]
    resampled = [s[rng.integers(0, s.size, (n_resamples, s.size))] for s in samples]
    theta_b = np.asarray(stat(*resampled, axis=-1), dtype=np.float64)
    alpha = (1 - confidence_level) / 2
    if method == "bca":
        a1, a2 = _bca_levels(samples, stat, alpha, theta_b)
    else:
        a1, a2 = alpha, 1 - alpha
    low, high = quantile_linear(theta_b, np.array([a1, a2]))
    return BootstrapResult(float(low), float(high), float(theta_b.std(ddof=1)), theta_b)


def quantile_linear(values: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Hyndman-Fan type 7 quantiles, in the operation order of `scipy.stats.quantile`."""
    y = np.sort(values)
    n = y.size
    jg = p * n + (1 - p)
    jp1 = jg // 1
    j = jp1 - 1
    g = np.where(j < 0, 0.0, jg % 1)
    j, jp1 = np.clip(j, 0, n - 1).astype(np.int64), np.clip(jp1, 0, n - 1).astype(np.int64)
    return (1 - g) * y[j] + g * y[jp1]


def _bca_levels(
    samples: list[np.ndarray], stat: Statistic, alpha: float, theta_b: np.ndarray
) -> tuple[float, float]:
    """Bias-corrected, accelerated quantile levels (Efron & Tibshirani eq. 14.10, 15.36)."""
    theta_hat = float(stat(*samples, axis=-1))
    below = np.count_nonzero(theta_b < theta_hat) + np.count_nonzero(theta_b <= theta_hat)
    z0 = norm_ppf(below / (2 * theta_b.size))
    nums = dens = 0.0
    for j, sample in enumerate(samples):
        n = sample.size
        keep = ~np.eye(n, dtype=bool)  # row i leaves out observation i
        jack = np.broadcast_to(sample, (n, n))[keep].reshape(n, n - 1)
        args = [np.broadcast_to(s, (n, s.size)) for s in samples]
        args[j] = jack
        theta_i = np.asarray(stat(*args, axis=-1), dtype=np.float64)
        u = (n - 1) * (theta_i.mean(keepdims=True) - theta_i)
        nums += float(np.sum(u**3)) / float(n) ** 3
        dens += float(np.sum(u**2)) / float(n) ** 2
    a_hat = 1 / 6 * nums / dens ** (3 / 2)
    z_alpha = norm_ppf(alpha)
    levels = []
    for z in (z_alpha, -z_alpha):
        num = z0 + z
        levels.append(norm_cdf(z0 + num / (1 - a_hat * num)))
    return levels[0], levels[1]


def permutation_test(
    data: Sequence[np.ndarray],
    statistic: Statistic,
    *,
    n_resamples: int = 9999,
    alternative: str = "two-sided",
    rng: np.random.Generator,
) -> PermutationResult:
    """Independent-samples permutation test (exact when n_resamples covers every partition)."""
    samples = [_as_sample(s) for s in data]
    if len(samples) < 2:
        raise ValueError("an independent-samples permutation test needs at least 2 samples")
    if alternative not in ("two-sided", "less", "greater"):
        raise ValueError(f"unknown alternative {alternative!r}")
    sizes = [s.size for s in samples]
    bounds = np.cumsum([0, *sizes])
    n_partitions = math.prod(math.comb(int(bounds[i + 1]), s) for i, s in enumerate(sizes))
    exact = n_resamples >= n_partitions
    if exact:
        index = np.array(list(_all_partitions(sizes)))
        n_resamples = n_partitions
    else:
        index = np.array([rng.permutation(int(bounds[-1])) for _ in range(n_resamples)])
    pooled = np.concatenate(samples)[index]
    parts = [pooled[:, bounds[i] : bounds[i + 1]] for i in range(len(samples))]
    null = np.asarray(statistic(*parts, axis=-1), dtype=np.float64)
    observed = float(statistic(*samples, axis=-1))
    adjustment = 0 if exact else 1
    gamma = abs(np.finfo(np.float64).eps * 100 * observed)  # ties up to rounding count as ties

    def p_less() -> float:
        return (np.count_nonzero(null <= observed + gamma) + adjustment) / (
            n_resamples + adjustment
        )

    def p_greater() -> float:
        return (np.count_nonzero(null >= observed - gamma) + adjustment) / (
            n_resamples + adjustment
        )

    p = {"less": p_less, "greater": p_greater, "two-sided": lambda: 2 * min(p_less(), p_greater())}[
        alternative
    ]()
    return PermutationResult(observed, float(np.clip(p, 0.0, 1.0)), null)


def _all_partitions(sizes: list[int]) -> Iterator[list[int]]:
    """Every split of range(N) into groups of `sizes`, concatenated, in scipy's order."""

    def split(pool: list[int], rest: list[int]) -> Iterator[list[int]]:
        if not rest:
            yield []
            return
        for chosen in combinations(pool, rest[0]):
            left = [i for i in pool if i not in set(chosen)]
            for tail in split(left, rest[1:]):
                yield list(chosen) + tail

    yield from split(list(range(sum(sizes))), list(sizes))


def _as_sample(s: np.ndarray) -> np.ndarray:
    arr = np.asarray(s, dtype=np.float64)
    if arr.ndim != 1 or arr.size < 2:
        raise ValueError(f"each sample must be 1-D with at least 2 observations, got {arr.shape}")
    if np.isnan(arr).any():
        raise ValueError("sample contains NaN")
    return arr
