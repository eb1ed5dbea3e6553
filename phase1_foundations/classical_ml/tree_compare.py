"""Walk our tree and scikit-learn's side by side; explain the first difference.

scikit-learn visits features in a random order and keeps the first best split, so when two
splits tie exactly its choice depends on its RNG; ours takes the lowest feature index. A
difference is excused only when our criterion scores both splits equally (a true tie).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from phase1_foundations.native_ops import ops

from .tree import CRITERIA

TIE_RTOL = 1e-12


def compare_trees(ours: Any, ref: Any, X: np.ndarray, y: np.ndarray) -> dict[str, Any]:
    """Walk both trees in pre-order on the training rows.

    Counts nodes that agree (feature, threshold, value) as `equal`, nodes where the trees
    chose different but exactly tied splits as `ties` (walked on when both splits send the
    same rows left, else that subtree is `diverged`), and reports the first real `mismatch`.
    """
    a, b = ours.tree_, ref.tree_
    X32 = np.asarray(X, dtype=np.float32).astype(np.float64)
    is_clf = hasattr(ours, "classes_")
    codes = np.searchsorted(ours.classes_, y).astype(float) if is_clf else np.asarray(y, float)
    crit = CRITERIA[ours.criterion]
    n_classes = len(ours.classes_) if is_clf else 0
    out: dict[str, Any] = {"equal": 0, "ties": 0, "diverged": 0, "mismatch": ""}
    stack = [(0, 0, np.arange(len(X32)))]
    while stack:
        i, j, rows = stack.pop()
        fa, fb = int(a.feature[i]), int(b.feature[j])
        ta, tb = float(a.threshold[i]), float(b.threshold[j])
        va, vb = a.value[i].ravel(), np.asarray(b.value[j]).ravel()
        if not np.allclose(va, vb, rtol=1e-9, atol=1e-12):
            out["mismatch"] = f"node {i}: value {va} vs {vb}"
            break
        if (fa, ta) == (fb, tb):
            out["equal"] += 1
        elif fa < 0 or fb < 0:
            out["mismatch"] = f"node {i}: leaf in one tree only (feature {fa} vs {fb})"
            break
        else:
            pa = _proxy(X32[rows], codes[rows], fa, ta, crit, n_classes)
            pb = _proxy(X32[rows], codes[rows], fb, tb, crit, n_classes)
            if abs(pa - pb) > TIE_RTOL * max(abs(pa), abs(pb)):
                out["mismatch"] = f"node {i}: feature {fa}@{ta} ({pa}) vs {fb}@{tb} ({pb})"
                break
            out["ties"] += 1
            if not np.array_equal(X32[rows, fa] <= ta, X32[rows, fb] <= tb):
                out["diverged"] += 1
                continue
        if fa >= 0:
            left = X32[rows, fa] <= ta
            stack.append((int(a.children_right[i]), int(b.children_right[j]), rows[~left]))
            stack.append((int(a.children_left[i]), int(b.children_left[j]), rows[left]))
    return out


def _proxy(X: np.ndarray, y: np.ndarray, f: int, thr: float, crit: int, k: int) -> float:
    # Score "x_f <= thr" by recoding feature f as 0/1: its only split is that one.
    binary = np.where(X[:, f] <= thr, 0.0, 1.0)[:, None]
    return ops.best_split(binary, y, np.array([0]), crit, k, 1)[2]
