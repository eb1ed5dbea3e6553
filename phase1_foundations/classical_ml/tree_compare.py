"""Compare our tree with scikit-learn's node by node; explain the first difference.

There is no tie excuse: our splitter visits features in scikit-learn's random order (and,
for regression, sums targets in its sample order), so even exactly tied splits must go the
same way. Everything is compared bit for bit: children, feature, threshold, n_node_samples,
values and impurities.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from phase1_foundations.native_ops import ops

from .tree import CRITERIA


def compare_trees(ours: Any, ref: Any, X: np.ndarray, y: np.ndarray) -> dict[str, Any]:
    """`{"equal": nodes that agree, "mismatch": "" or the first difference, explained}`.

    Nodes are walked in pre-order (the numbering both builders use). At a split that
    differs, the message gives both splits' proxy improvements on that node's rows (ours),
    so a reader sees whether the difference is a real one or a rounding-level near tie.
    """
    a, b = ours.tree_, ref.tree_
    out: dict[str, Any] = {"equal": 0, "mismatch": ""}
    X32 = np.asarray(X, dtype=np.float32).astype(np.float64)
    stack = [(0, np.arange(len(X32)))]
    while stack:
        i, rows = stack.pop()
        if i >= b.node_count:
            out["mismatch"] = f"node {i}: absent from scikit-learn's tree ({b.node_count} nodes)"
            break
        problem = _node_difference(a, b, i)
        if problem:
            if a.feature[i] >= 0 and b.feature[i] >= 0 and problem.startswith("split"):
                problem += _proxies(ours, X32, y, rows, a, b, i)
            out["mismatch"] = f"node {i}: {problem}"
            break
        out["equal"] += 1
        if a.children_left[i] >= 0:
            left = X32[rows, a.feature[i]] <= a.threshold[i]
            stack.append((int(a.children_right[i]), rows[~left]))
            stack.append((int(a.children_left[i]), rows[left]))
    if not out["mismatch"] and a.node_count != b.node_count:
        out["mismatch"] = f"node count {a.node_count} vs scikit-learn's {b.node_count}"
    return out


def _node_difference(a: Any, b: Any, i: int) -> str:
    fa, fb = int(a.feature[i]), int(b.feature[i])
    ta, tb = float(a.threshold[i]), float(b.threshold[i])
    if (fa, ta) != (fb, tb) or (a.children_left[i] < 0) != (b.children_left[i] < 0):
        return f"split feature {fa} <= {ta!r} vs scikit-learn's feature {fb} <= {tb!r}"
    if int(a.n_node_samples[i]) != int(b.n_node_samples[i]):
        return f"n_node_samples {a.n_node_samples[i]} vs {b.n_node_samples[i]}"
    va, vb = a.value[i].ravel(), np.asarray(b.value[i]).ravel()
    if not np.array_equal(va, vb):
        return f"value {va.tolist()!r} vs {vb.tolist()!r}"
    ia, ib = float(a.impurity[i]), float(b.impurity[i])
    if ia != ib:
        return f"impurity {ia!r} vs {ib!r}"
    return ""


def _proxies(
    ours: Any, X32: np.ndarray, y: np.ndarray, rows: np.ndarray, a: Any, b: Any, i: int
) -> str:
    is_clf = hasattr(ours, "classes_")
    codes = np.searchsorted(ours.classes_, y).astype(float) if is_clf else np.asarray(y, float)
    crit, k = CRITERIA[ours.criterion], (len(ours.classes_) if is_clf else 0)
    pa = _proxy(X32[rows], codes[rows], int(a.feature[i]), float(a.threshold[i]), crit, k)
    pb = _proxy(X32[rows], codes[rows], int(b.feature[i]), float(b.threshold[i]), crit, k)
    return f" (proxy improvement {pa!r} vs {pb!r})"


def _proxy(X: np.ndarray, y: np.ndarray, f: int, thr: float, crit: int, k: int) -> float:
    # Score "x_f <= thr" by recoding feature f as 0/1: its only split is that one.
    binary = np.where(X[:, f] <= thr, 0.0, 1.0)[:, None]
    return ops.best_split(binary, y, np.array([0]), crit, k, 1)[2]
