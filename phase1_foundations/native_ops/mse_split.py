"""scikit-learn's squared-error split search, replayed operation for operation (Python fallback).

The same algorithm as `_native.mse_split`, kept bit-identical to it: a regression node's
sums run over samples in the order scikit-learn's unstable introsort leaves them, so matching
its trees bit for bit means replaying that sort, the order of every addition, and the final
partition. Plain Python loops: the C++ path is the fast one; this one proves the algorithm.
"""

from __future__ import annotations

import math

import numpy as np

# scikit-learn's: values closer than this are never split apart. A float32 constant added to
# float32 values: `a <= b + FEATURE_THRESHOLD` rounds the sum to float32 first.
FEATURE_THRESHOLD = np.float32(1e-7)


def cut_offs(values: np.ndarray | list[float]) -> np.ndarray:
    """float32(v + FEATURE_THRESHOLD) per value, in float64: compare `a <= cut_offs(b)`.

    Example: cut_offs([0.0]) == [1.0000000116860974e-07] (1e-7 rounded to float32).
    """
    return (np.asarray(values, dtype=np.float32) + FEATURE_THRESHOLD).astype(np.float64)


def mse_split(
    X: np.ndarray,
    y: np.ndarray,
    samples: np.ndarray,
    start: int,
    end: int,
    features: np.ndarray,
    min_samples_leaf: int,
) -> tuple[int, float, int, float, float]:
    """Best squared-error split of samples[start:end]: (feature or -1, threshold, pos,
    impurity_left, impurity_right); `samples` is permuted in place as scikit-learn's is.
    """
    if samples.ndim != 1 or start < 0 or end > samples.shape[0] or end - start < 1:
        raise ValueError("need 0 <= start < end <= len(samples)")
    smp = samples[start:end].tolist()
    if min(smp) < 0 or max(smp) >= min(X.shape[0], y.shape[0]):
        raise ValueError("a sample index is out of range")
    feats = [int(f) for f in features]
    if feats and (min(feats) < 0 or max(feats) >= X.shape[1]):
        raise ValueError("a feature is out of range")
    n = end - start
    ys = y.tolist()
    sum_total = sq_sum_total = 0.0
    for i in smp:
        sum_total += ys[i]
        sq_sum_total += ys[i] * ys[i]
    best = (-1, 0.0, n, -math.inf)  # feature, threshold, position (node-relative), proxy
    for f in feats:
        v = _float32_values(X, smp, f)
        sk_sort(v, smp)
        cut = cut_offs(v).tolist()
        if v[n - 1] <= cut[0]:
            continue
        state = [0.0, 0.0, 0]  # sum_left, weight_left, pos: criterion.reset()
        p = 1
        while p < n:
            while p < n and v[p] <= cut[p - 1]:
                p += 1
            if p >= n:
                break
            if p >= min_samples_leaf and n - p >= min_samples_leaf:
                _update(state, p, smp, ys, sum_total, n)
                sum_left, wl = state[0], state[1]
                sum_right, wr = sum_total - sum_left, n - wl
                proxy = sum_left * sum_left / wl + sum_right * sum_right / wr
                if proxy > best[3]:
                    thr = v[p - 1] / 2.0 + v[p] / 2.0
                    if thr == v[p] or math.isinf(thr):
                        thr = v[p - 1]
                    best = (f, thr, p, proxy)
            p += 1
    f, thr, pos, _ = best
    if f < 0:
        samples[start:end] = smp
        return -1, 0.0, end, 0.0, 0.0
    v = _float32_values(X, smp, f)
    lo, hi = 0, n  # partition_samples_final
    while lo < hi:
        if v[lo] <= thr:
            lo += 1
        else:
            hi -= 1
            _swap(v, smp, lo, hi)
    samples[start:end] = smp
    state = [0.0, 0.0, 0]
    _update(state, pos, smp, ys, sum_total, n)
    sum_left, wl = state[0], state[1]
    sq_left = 0.0
    for i in smp[:pos]:
        sq_left += ys[i] * ys[i]
    wr, sum_right = n - wl, sum_total - sum_left
    ml, mr = sum_left / wl, sum_right / wr
    return f, thr, start + pos, sq_left / wl - ml * ml, (sq_sum_total - sq_left) / wr - mr * mr


def _float32_values(X: np.ndarray, smp: list, f: int) -> list:
    """Feature f of the listed samples as float32 values (held as Python floats, exact)."""
    return X[smp, f].astype(np.float32).astype(np.float64).tolist()


def _update(state: list, new_pos: int, smp: list, ys: list, sum_total: float, n: int) -> None:
    """criterion.update: add forward from the last position, or subtract back from the end."""
    sum_left, wl, pos = state
    if new_pos - pos <= n - new_pos:
        for q in range(pos, new_pos):
            sum_left += ys[smp[q]]
            wl += 1.0
    else:
        sum_left, wl = sum_total, float(n)
        for q in range(n - 1, new_pos - 1, -1):
            sum_left -= ys[smp[q]]
            wl -= 1.0
    state[:] = [sum_left, wl, new_pos]


def sk_sort(v: list, s: list) -> None:
    """scikit-learn's simultaneous_sort (3-way introsort) of values v and ids s, in place.

    Example: v=[2, 1, 2, 0], s=[10, 11, 12, 13] -> v=[0, 1, 2, 2], s=[13, 11, 10, 12].
    """
    if v:
        _introsort(v, s, 0, len(v), 2 * int(math.log2(len(v))))


def _swap(v: list, s: list, i: int, j: int) -> None:
    v[i], v[j] = v[j], v[i]
    s[i], s[j] = s[j], s[i]


def _introsort(v: list, s: list, lo: int, n: int, maxd: int) -> None:
    while n > 15:
        if maxd <= 0:
            _heapsort(v, s, lo, n)
            return
        maxd -= 1
        a, b, c = v[lo], v[lo + n // 2], v[lo + n - 1]  # median of three
        if a < b:
            pivot = b if b < c else (c if a < c else a)
        else:
            pivot = (a if a < c else c) if b < c else b
        i = left = 0
        right = n
        while i < right:
            if v[lo + i] < pivot:
                _swap(v, s, lo + i, lo + left)
                i += 1
                left += 1
            elif v[lo + i] > pivot:
                right -= 1
                _swap(v, s, lo + i, lo + right)
            else:
                i += 1
        _introsort(v, s, lo, left, maxd)
        lo, n = lo + right, n - right
    for i in range(lo + 1, lo + n):  # insertion sort
        tv, ts, j = v[i], s[i], i
        while j > lo and v[j - 1] > tv:
            v[j], s[j] = v[j - 1], s[j - 1]
            j -= 1
        v[j], s[j] = tv, ts


def _heapsort(v: list, s: list, lo: int, n: int) -> None:
    for start in range((n - 2) // 2, -1, -1):
        _sift_down(v, s, lo, start, n)
    for end in range(n - 1, 0, -1):
        _swap(v, s, lo, lo + end)
        _sift_down(v, s, lo, 0, end)


def _sift_down(v: list, s: list, lo: int, root: int, end: int) -> None:
    while True:
        child, top = root * 2 + 1, root
        if child < end and v[lo + top] < v[lo + child]:
            top = child
        if child + 1 < end and v[lo + top] < v[lo + child + 1]:
            top = child + 1
        if top == root:
            return
        _swap(v, s, lo + root, lo + top)
        root = top
