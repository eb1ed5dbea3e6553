"""The data sets every parity check and test uses: scikit-learn's bundled sets + seeded ones."""

from __future__ import annotations

import numpy as np


def classification_sets() -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """iris, wine, breast_cancer, digits and a seeded make_classification."""
    from sklearn import datasets as d

    return {
        "iris": d.load_iris(return_X_y=True),
        "wine": d.load_wine(return_X_y=True),
        "breast_cancer": d.load_breast_cancer(return_X_y=True),
        "digits": d.load_digits(return_X_y=True),
        "make_classification": d.make_classification(
            400, 8, n_informative=5, n_classes=3, random_state=0
        ),
    }


def regression_sets() -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """diabetes and a seeded make_regression."""
    from sklearn import datasets as d

    return {
        "diabetes": d.load_diabetes(return_X_y=True),
        "make_regression": d.make_regression(300, 6, noise=5.0, random_state=0),
    }


def logistic_sets() -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Standardised sets for logistic regression (lbfgs converges on these at tol 1e-10)."""
    sets = {k: v for k, v in classification_sets().items() if k != "digits"}
    X, y = classification_sets()["digits"]
    sets["digits[:300]"] = (X[:300], y[:300])
    return {k: (_standardise(X), y) for k, (X, y) in sets.items()}


def clustering_sets() -> dict[str, np.ndarray]:
    """iris, digits and seeded blobs."""
    from sklearn import datasets as d

    return {
        "iris": d.load_iris(return_X_y=True)[0],
        "digits": d.load_digits(return_X_y=True)[0],
        "make_blobs": d.make_blobs(1000, 5, centers=6, random_state=0)[0],
    }


def _standardise(X: np.ndarray) -> np.ndarray:
    std = X.std(axis=0)
    std[std == 0] = 1.0
    return (X - X.mean(axis=0)) / std
