"""Classical ML, the idea only: k nearest neighbours, k-means (Lloyd) and a CART split.

Plain NumPy, no fast path: kNN measures every distance, k-means recomputes every distance
each round, the split search tries every threshold. The full versions (`neighbors.py`,
`kmeans.py`, `tree.py`) give the same answers faster and handle the edge cases; the tests
check both against scikit-learn.
"""

from __future__ import annotations

import numpy as np


def squared_distances(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """Every squared euclidean distance between the rows of A (n, d) and B (m, d): (n, m).

    Example: A = [[0, 0]], B = [[3, 4], [1, 0]] -> [[25, 1]].
    """
    diff = A[:, None, :] - B[None, :, :]  # (n, 1, d) - (1, m, d) -> (n, m, d)
    return (diff**2).sum(axis=2)  # (n, m)


def knn_predict(X_train: np.ndarray, y_train: np.ndarray, X: np.ndarray, k: int) -> np.ndarray:
    """Predict each row of X as the majority label of its k nearest training rows.

    Equal distances go to the earlier training row; equal votes to the smallest label.
    Hint: `squared_distances`, then a stable `np.argsort` per row, then `np.bincount` votes.
    """
    classes, y_idx = np.unique(y_train, return_inverse=True)  # labels -> 0..C-1
    dist = squared_distances(X, X_train)  # (n_query, n_train)
    nearest = np.argsort(dist, axis=1, kind="stable")[:, :k]  # (n_query, k) training rows
    votes = y_idx[nearest]  # (n_query, k) class indices
    counts = np.stack([np.bincount(v, minlength=len(classes)) for v in votes])  # (n_query, C)
    return classes[counts.argmax(axis=1)]  # argmax takes the first (smallest) on a tie


def kmeans(
    X: np.ndarray, centres: np.ndarray, max_iter: int = 300
) -> tuple[np.ndarray, np.ndarray]:
    """Lloyd's k-means from `centres` (k, d): returns (labels (n,), centres (k, d)).

    Repeat: label each row with its nearest centre, move each centre to the mean of its rows;
    stop when no label changes.
    Hint: `squared_distances(X, centres).argmin(axis=1)` labels the rows.
    """
    centres = centres.astype(float)
    labels = np.full(len(X), -1)
    for _ in range(max_iter):
        new_labels = squared_distances(X, centres).argmin(axis=1)  # (n,)
        if np.array_equal(new_labels, labels):
            break
        labels = new_labels
        for j in range(len(centres)):
            if np.any(labels == j):  # an empty cluster keeps its centre
                centres[j] = X[labels == j].mean(axis=0)
    return labels, centres


def gini(y: np.ndarray) -> float:
    """Gini impurity of a set of labels: 1 - sum_c p_c^2.

    Example: [0, 0, 1, 1] -> 0.5; [1, 1, 1] -> 0.0.
    """
    _, counts = np.unique(y, return_counts=True)
    p = counts / len(y)
    return float(1.0 - np.sum(p**2))


def best_split(X: np.ndarray, y: np.ndarray) -> tuple[int, float]:
    """CART's first split (feature, threshold): the largest drop in gini impurity.

    A row goes left when x[feature] <= threshold; thresholds are midpoints between
    neighbouring distinct values of a feature. The first strict best wins.
    Hint: for each feature and each midpoint, weigh the children's `gini` by their sizes.
    """
    n, d = X.shape
    best_feature, best_threshold, best_score = -1, 0.0, gini(y)
    for f in range(d):
        values = np.unique(X[:, f])  # sorted distinct values
        for threshold in (values[:-1] + values[1:]) / 2:
            left = X[:, f] <= threshold
            score = (left.sum() * gini(y[left]) + (~left).sum() * gini(y[~left])) / n
            if score < best_score:
                best_feature, best_threshold, best_score = f, float(threshold), score
    return best_feature, best_threshold
