"""Benchmark: each estimator against its scikit-learn counterpart at three sizes.

Times fit + predict together (median of a few runs), on the same seeded data, in one
process. Quality figures (accuracy, R^2, inertia) are printed for both sides.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from phase0_env.common.bench import BenchRow, compare, sizes
from phase0_env.common.parity import reference_version

from .kmeans import KMeans
from .linear import Ridge
from .logistic import LogisticRegression
from .naive_bayes import GaussianNB
from .neighbors import KNeighborsClassifier
from .tree import DecisionTreeClassifier, DecisionTreeRegressor

SK = reference_version("scikit-learn")
N_QUERY = 1000  # kNN: predict 1000 rows against n training rows


def run(quick: bool = False) -> list[BenchRow]:
    """Rows for kNN, logistic regression, decision trees, k-means, ridge and Gaussian NB."""
    from sklearn.datasets import make_blobs, make_classification

    rows = []
    for n in sizes(quick, full=(1_000, 10_000, 100_000), small=(500, 1_000, 2_000)):
        reps = 3 if n < 50_000 else 1
        X, y = make_classification(n + N_QUERY, 20, n_informative=10, n_classes=3, random_state=0)
        Xtr, ytr, Xte, yte = X[:n], y[:n], X[n:], y[n:]
        # a continuous target for the regression tree (class codes would stop it early)
        y_real = X @ np.random.default_rng(0).normal(size=X.shape[1]) + y
        pairs = _estimator_cases(Xtr, ytr, Xte, y_real[:n])
        for case, (ours, ref, metric) in pairs.items():
            truth = y_real[n:] if "squared error" in case else yte
            quality = {
                "ours_" + metric: _quality(ours(), truth, metric),
                "sklearn_" + metric: _quality(ref(), truth, metric),
            }
            rows.append(
                compare(case, n, ours, ref, reference=SK, repeats=reps, warmup=0, quality=quality)
            )
        ours_km, ref_km = _kmeans_case(make_blobs(n, 10, centers=8, random_state=0)[0])
        rows.append(
            compare(
                "k-means k=8, same initial centres",
                n,
                ours_km,
                ref_km,
                reference=SK,
                repeats=reps,
                warmup=0,
                quality={"ours_inertia": ours_km().inertia_, "sklearn_inertia": ref_km().inertia_},
            )
        )
    return rows


def _estimator_cases(
    Xtr: np.ndarray, ytr: np.ndarray, Xte: np.ndarray, yreal_tr: np.ndarray
) -> dict[str, tuple[Callable[[], Any], Callable[[], Any], str]]:
    from sklearn import linear_model, naive_bayes, neighbors, tree

    return {
        "kNN classifier k=5 (fit + predict 1000)": (
            lambda: KNeighborsClassifier(5).fit(Xtr, ytr).predict(Xte),
            lambda: neighbors.KNeighborsClassifier(5, algorithm="brute").fit(Xtr, ytr).predict(Xte),
            "accuracy",
        ),
        "logistic regression multinomial tol=1e-6": (
            lambda: LogisticRegression(tol=1e-6).fit(Xtr, ytr).predict(Xte),
            lambda: (
                linear_model.LogisticRegression(tol=1e-6, max_iter=1000).fit(Xtr, ytr).predict(Xte)
            ),
            "accuracy",
        ),
        "decision tree gini, full depth": (
            lambda: DecisionTreeClassifier(random_state=0).fit(Xtr, ytr).predict(Xte),
            lambda: tree.DecisionTreeClassifier(random_state=0).fit(Xtr, ytr).predict(Xte),
            "accuracy",
        ),
        "decision tree squared error, full depth": (
            lambda: DecisionTreeRegressor(random_state=0).fit(Xtr, yreal_tr).predict(Xte),
            lambda: tree.DecisionTreeRegressor(random_state=0).fit(Xtr, yreal_tr).predict(Xte),
            "r2",
        ),
        "gaussian naive Bayes": (
            lambda: GaussianNB().fit(Xtr, ytr).predict(Xte),
            lambda: naive_bayes.GaussianNB().fit(Xtr, ytr).predict(Xte),
            "accuracy",
        ),
        "ridge alpha=1": (
            lambda: Ridge(1.0).fit(Xtr, ytr.astype(float)).predict(Xte),
            lambda: linear_model.Ridge(1.0).fit(Xtr, ytr.astype(float)).predict(Xte),
            "r2",
        ),
    }


def _kmeans_case(Xb: np.ndarray) -> tuple[Callable[[], Any], Callable[[], Any]]:
    from sklearn import cluster

    init = Xb[:8]
    return (
        lambda: KMeans(8, init=init).fit(Xb),
        lambda: cluster.KMeans(8, init=init, n_init=1).fit(Xb),
    )


def _quality(pred: np.ndarray, y: np.ndarray, metric: str) -> float:
    if metric == "accuracy":
        return round(float(np.mean(pred == y)), 4)
    return round(1.0 - float(np.sum((y - pred) ** 2) / np.sum((y - y.mean()) ** 2)), 4)
