"""CART decision trees (classification: gini/entropy; regression: squared error).

The split search follows scikit-learn's BestSplitter: X is cast to float32, thresholds are
midpoints (a/2 + b/2) of neighbouring distinct values, the best split maximises the
criterion's "proxy" improvement and the first strict maximum wins, with features visited in
scikit-learn's random order (`feature_draw.py`), so exact ties go the same way for any
`random_state`. Regression also replays scikit-learn's sample order (its unstable sort, the
order of every sum, its partition: `native_ops.mse_split`), because splits tied in exact
arithmetic are then decided by how those float sums round. Nodes are numbered in depth-first
pre-order, like scikit-learn's depth-first builder, so `tree_` arrays line up.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from phase1_foundations.native_ops import ops
from phase1_foundations.native_ops.mse_split import cut_offs

from . import tree_params
from ._base import Classifier, Estimator, Regressor
from .feature_draw import FeatureDraw
from .validation import (
    check_array,
    check_classification_targets,
    check_is_fitted,
    check_n_features,
    check_x_y,
)

CRITERIA = {"gini": 0, "entropy": 1, "log_loss": 1, "squared_error": 2}
EPSILON = np.finfo(np.float64).eps
TREE_LEAF, TREE_UNDEFINED = -1, -2


@dataclass
class Tree:
    """Node arrays in scikit-learn's layout (leaves: children -1, feature/threshold -2)."""

    children_left: list[int] = field(default_factory=list)
    children_right: list[int] = field(default_factory=list)
    feature: list[int] = field(default_factory=list)
    # The lists become NumPy arrays in `freeze()`.
    threshold: Any = field(default_factory=list)
    impurity: Any = field(default_factory=list)
    n_node_samples: Any = field(default_factory=list)
    value: Any = field(default_factory=list)

    def add_node(self, impurity: float, n: int, value: np.ndarray) -> int:
        for name, v in (
            ("children_left", TREE_LEAF),
            ("children_right", TREE_LEAF),
            ("feature", TREE_UNDEFINED),
            ("threshold", float(TREE_UNDEFINED)),
        ):
            getattr(self, name).append(v)
        self.impurity.append(impurity)
        self.n_node_samples.append(n)
        self.value.append(value)
        return len(self.impurity) - 1

    def freeze(self) -> None:
        """Turn the node lists into NumPy arrays."""
        for name in ("children_left", "children_right", "feature", "n_node_samples"):
            setattr(self, name, np.asarray(getattr(self, name), dtype=np.int64))
        self.threshold = np.asarray(self.threshold, dtype=np.float64)
        self.impurity = np.asarray(self.impurity, dtype=np.float64)
        self.value = np.asarray(self.value, dtype=np.float64)

    @property
    def node_count(self) -> int:
        return len(self.impurity)

    def apply(self, X: np.ndarray) -> np.ndarray:
        """The leaf index reached by each row of X."""
        node = np.zeros(X.shape[0], dtype=np.int64)
        active = np.arange(X.shape[0])
        while active.size:
            cur = node[active]
            internal = self.children_left[cur] != TREE_LEAF
            active, cur = active[internal], cur[internal]
            go_left = X[active, self.feature[cur]] <= self.threshold[cur]
            node[active] = np.where(go_left, self.children_left[cur], self.children_right[cur])
        return node


def node_impurity(y: np.ndarray, criterion: int, n_classes: int) -> float:
    """Gini, entropy (log2) or variance of the targets at one node, in scikit-learn's formulas.

    Classes and targets are summed in order (np.cumsum is sequential), as scikit-learn's
    loops do, so with the same sample order the result is its own bit for bit.
    """
    n = float(len(y))
    if criterion == 2:
        mean = float(np.cumsum(y)[-1]) / n
        return float(np.cumsum(y * y)[-1]) / n - mean * mean
    imp = 0.0
    sq = 0.0
    for count in np.bincount(y.astype(np.int64), minlength=n_classes).tolist():
        if criterion == 0:
            sq += float(count) * float(count)
        elif count > 0:
            p = count / n
            imp -= p * (math.log(p) / math.log(2.0))  # libm's log, as scikit-learn's C
    return 1.0 - sq / (n * n) if criterion == 0 else float(imp)


def _node_value(y: np.ndarray, criterion: int, n_classes: int) -> np.ndarray:
    """Class fractions, or the mean target summed in sample order (scikit-learn's node_value)."""
    if criterion == 2:
        return np.array([float(np.cumsum(y)[-1]) / len(y)])
    return np.bincount(y.astype(np.int64), minlength=n_classes) / len(y)


class _BaseTree(Estimator):
    def __init__(
        self,
        criterion: str = "gini",
        max_depth: int | None = None,
        min_samples_split: int | float = 2,
        min_samples_leaf: int = 1,
        max_features: int | float | str | None = None,
        random_state: int | None = None,
        native: bool | None = None,
    ) -> None:
        self.criterion = criterion
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf
        self.max_features = max_features
        self.random_state = random_state
        self.native = native

    def _build(self, X: np.ndarray, y: np.ndarray, n_classes: int) -> None:
        n, d = X.shape
        crit, max_depth, mss, msl, n_feat = tree_params.resolve(self, n, d, CRITERIA)
        draw = FeatureDraw(d, self.random_state)  # consumes one draw, as scikit-learn's fit
        # resolved once per fit (a per-node lookup of ROADMAP_NO_NATIVE costs measurable time)
        native = ops.native_available() if self.native is None else self.native
        tree = Tree()
        # scikit-learn's `samples` array: each node owns samples[start:end]; its order matters
        # for regression, whose sums run in it (classification counts are order-free).
        samples = np.arange(n, dtype=np.int64)
        # Depth-first, left child first: the order of scikit-learn's node ids (and of its
        # feature draws). Entry: start, end, depth, parent, is_left, impurity, known constants.
        stack: list[tuple[int, int, int, int, bool, float, int]] = [
            (0, n, 0, -1, True, node_impurity(y, crit, n_classes), 0)
        ]
        while stack:
            start, end, depth, parent, is_left, imp, n_known = stack.pop()
            rows = samples[start:end].copy()
            yn = y[rows]
            node = tree.add_node(imp, end - start, _node_value(yn, crit, n_classes))
            if parent >= 0:
                (tree.children_left if is_left else tree.children_right)[parent] = node
            if depth >= max_depth or end - start < mss or end - start < 2 * msl or imp <= EPSILON:
                continue
            Xn = X[rows]
            is_constant = Xn.max(axis=0) <= cut_offs(Xn.min(axis=0))  # float32, as sklearn
            feats, n_constant = draw.visit(is_constant, n_known, n_feat)
            order = np.asarray(feats, dtype=np.int64)
            if crit == 2:  # replays scikit-learn's sample order too (see module docstring)
                f, thr, pos, imp_l, imp_r = ops.mse_split(
                    X, y, samples, start, end, order, msl, native=native
                )
            else:
                f, thr, _, _ = ops.best_split(Xn, yn, order, crit, n_classes, msl, native=native)
                if f >= 0:
                    left = Xn[:, f] <= thr
                    samples[start:end] = np.concatenate([rows[left], rows[~left]])
                    pos = start + int(left.sum())
                    imp_l = node_impurity(yn[left], crit, n_classes)
                    imp_r = node_impurity(yn[~left], crit, n_classes)
            if f < 0:
                continue
            if _improvement(imp, imp_l, imp_r, pos - start, end - start, n) + EPSILON < 0.0:
                continue  # scikit-learn's min_impurity_decrease=0 rule, rounding included
            tree.feature[node], tree.threshold[node] = f, thr
            stack.append((pos, end, depth + 1, node, False, imp_r, n_constant))
            stack.append((start, pos, depth + 1, node, True, imp_l, n_constant))
        tree.freeze()
        self.tree_ = tree
        self.n_features_in_ = d
        self.max_features_ = n_feat
        self.feature_importances_ = _importances(tree, d)

    def _leaf_values(self, X: Any) -> np.ndarray:
        check_is_fitted(self, "tree_")
        X = check_array(X)
        check_n_features(self, X)
        X32 = X.astype(np.float32).astype(np.float64)  # compare as scikit-learn does
        return self.tree_.value[self.tree_.apply(X32)]

    def apply(self, X: Any) -> np.ndarray:
        """The leaf reached by each row."""
        check_is_fitted(self, "tree_")
        X = check_array(X)
        check_n_features(self, X)
        return self.tree_.apply(X.astype(np.float32).astype(np.float64))

    def get_depth(self) -> int:
        """Depth of the fitted tree (a lone root has depth 0)."""
        check_is_fitted(self, "tree_")
        depth = np.zeros(self.tree_.node_count, dtype=int)
        for i in range(self.tree_.node_count):  # parents precede children in pre-order
            for c in (self.tree_.children_left[i], self.tree_.children_right[i]):
                if c != TREE_LEAF:
                    depth[c] = depth[i] + 1
        return int(depth.max())


def _improvement(imp: float, imp_l: float, imp_r: float, n_l: int, n_node: int, n: int) -> float:
    """scikit-learn's weighted impurity decrease of a split, in its order of operations."""
    w, wl, wr = float(n_node), float(n_l), float(n_node - n_l)
    return (w / n) * (imp - wr / w * imp_r - wl / w * imp_l)


def _importances(tree: Tree, d: int) -> np.ndarray:
    imp = np.zeros(d)
    w, im = tree.n_node_samples.astype(float), tree.impurity
    for i in np.flatnonzero(tree.children_left != TREE_LEAF):
        lft, rgt = tree.children_left[i], tree.children_right[i]
        imp[tree.feature[i]] += w[i] * im[i] - w[lft] * im[lft] - w[rgt] * im[rgt]
    imp /= w[0]
    total = imp.sum()
    return imp / total if total > 0 else imp


class DecisionTreeClassifier(_BaseTree, Classifier):
    """CART classifier; leaf values are class fractions."""

    def fit(self, X: Any, y: Any) -> DecisionTreeClassifier:
        """Grow the tree on float32-cast X."""
        X, y = check_x_y(X, y)
        check_classification_targets(y)
        self.classes_, codes = np.unique(y, return_inverse=True)
        self.n_classes_ = len(self.classes_)
        X32 = X.astype(np.float32).astype(np.float64)
        self._build(X32, codes.astype(np.float64), self.n_classes_)
        return self

    def predict_proba(self, X: Any) -> np.ndarray:
        """Class fractions of the leaf each row falls in."""
        return self._leaf_values(X)

    def predict(self, X: Any) -> np.ndarray:
        """The majority class of each row's leaf."""
        proba = self._leaf_values(X)
        return self.classes_[np.argmax(proba, axis=1)]


class DecisionTreeRegressor(_BaseTree, Regressor):
    """CART regressor (squared error); leaf values are target means."""

    def __init__(
        self,
        criterion: str = "squared_error",
        max_depth: int | None = None,
        min_samples_split: int | float = 2,
        min_samples_leaf: int = 1,
        max_features: int | float | str | None = None,
        random_state: int | None = None,
        native: bool | None = None,
    ) -> None:
        super().__init__(
            criterion,
            max_depth,
            min_samples_split,
            min_samples_leaf,
            max_features,
            random_state,
            native,
        )

    def fit(self, X: Any, y: Any) -> DecisionTreeRegressor:
        """Grow the tree on float32-cast X."""
        if self.criterion != "squared_error":
            raise ValueError(
                "criterion must be 'squared_error' (friedman_mse, absolute_error and poisson "
                f"are not implemented), got {self.criterion!r}"
            )
        X, y = check_x_y(X, y, y_numeric=True)
        self._build(X.astype(np.float32).astype(np.float64), y, 0)
        return self

    def predict(self, X: Any) -> np.ndarray:
        """The mean target of each row's leaf."""
        return self._leaf_values(X)[:, 0]
