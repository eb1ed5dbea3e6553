"""Demo: fit every estimator on a bundled data set and compare with scikit-learn."""

from __future__ import annotations

from typing import Any

import numpy as np

from phase1_foundations.native_ops import ops

from . import datasets
from .kmeans import KMeans
from .linear import LinearRegression, Ridge
from .logistic import LogisticRegression
from .naive_bayes import GaussianNB, MultinomialNB
from .neighbors import KNeighborsClassifier
from .tree import DecisionTreeClassifier
from .tree_compare import compare_trees


def main(quick: bool = False) -> None:
    """Print, per estimator, our score, scikit-learn's score and the largest difference."""
    o: Any
    r: Any
    ours: Any
    ref: Any
    from sklearn import cluster, linear_model, naive_bayes, neighbors, tree

    print(f"native C++ ops: {'on' if ops.native_available() else 'off (NumPy fallback)'}")
    X, y = datasets.classification_sets()["wine" if quick else "breast_cancer"]
    Xs = datasets.logistic_sets()["wine" if quick else "breast_cancer"][0]
    Xr, yr = datasets.regression_sets()["diabetes"]
    tr, te = slice(0, None, 2), slice(1, None, 2)
    rows = []

    def row(name: str, ours: object, ref: object, agree: str) -> None:
        rows.append((name, ours, ref, agree))

    o = KNeighborsClassifier(5).fit(Xs[tr], y[tr])
    r = neighbors.KNeighborsClassifier(5, algorithm="brute").fit(Xs[tr], y[tr])
    same = np.mean(o.kneighbors(Xs[te])[1] == r.kneighbors(Xs[te])[1])
    row(
        "kNN accuracy",
        o.score(Xs[te], y[te]),
        r.score(Xs[te], y[te]),
        f"{same:.1%} neighbour indices equal",
    )
    o = LogisticRegression().fit(Xs, y)
    r = linear_model.LogisticRegression(tol=1e-10, max_iter=10_000).fit(Xs, y)
    row(
        "logistic accuracy",
        o.score(Xs, y),
        r.score(Xs, y),
        f"max |coef diff| {np.abs(o.coef_ - r.coef_).max():.1e}",
    )
    o, r = (
        DecisionTreeClassifier(max_depth=4, random_state=0).fit(X, y),
        tree.DecisionTreeClassifier(max_depth=4, random_state=0).fit(X, y),
    )
    cmp = compare_trees(o, r, X, y)
    row(
        "tree accuracy",
        o.score(X, y),
        r.score(X, y),
        f"{cmp['equal']} of {r.tree_.node_count} nodes equal {cmp['mismatch']}".strip(),
    )
    for name, ours, ref in (
        ("GaussianNB", GaussianNB(), naive_bayes.GaussianNB()),
        ("MultinomialNB", MultinomialNB(), naive_bayes.MultinomialNB()),
    ):
        po, pr = ours.fit(X, y).predict_proba(X), ref.fit(X, y).predict_proba(X)
        row(
            f"{name} accuracy",
            ours.score(X, y),
            ref.score(X, y),
            f"max |proba diff| {np.abs(po - pr).max():.1e}",
        )
    for name, ours, ref in (
        ("OLS R^2", LinearRegression(), linear_model.LinearRegression()),
        ("ridge R^2", Ridge(1.0), linear_model.Ridge(1.0)),
    ):
        ours.fit(Xr, yr)
        ref.fit(Xr, yr)
        row(
            name,
            ours.score(Xr, yr),
            ref.score(Xr, yr),
            f"max |coef diff| {np.abs(ours.coef_ - ref.coef_).max():.1e}",
        )
    init = Xs[:3]
    o, r = KMeans(3, init=init).fit(Xs), cluster.KMeans(3, init=init, n_init=1).fit(Xs)
    row(
        "k-means inertia",
        o.inertia_,
        r.inertia_,
        f"labels equal: {bool(np.array_equal(o.labels_, r.labels_))}",
    )
    print(f"{'estimator':22} {'ours':>12} {'scikit-learn':>13}  agreement")
    for name, ours_v, ref_v, agree in rows:
        print(f"{name:22} {ours_v:12.4f} {ref_v:13.4f}  {agree}")
