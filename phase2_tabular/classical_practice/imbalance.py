"""Imbalanced data: a deliberately imbalanced variant and three ways to train on it.

`make_imbalanced` keeps a small fraction of one class (the positive) against all others.
`compare_strategies` cross-validates no correction, class weights, and random
oversampling of the minority inside the training fold only (oversampling before the split
would copy test rows into training), scored with balanced accuracy and PR-AUC.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, balanced_accuracy_score
from sklearn.model_selection import StratifiedKFold

from phase2_tabular.common.pipeline import make_pipeline
from phase2_tabular.common.tables import TableSpec, split_xy

STRATEGIES = ("none", "class_weight", "oversample")


def make_imbalanced(
    df: pd.DataFrame, spec: TableSpec, positive: str, *, keep: float = 0.15, seed: int = 0
) -> tuple[pd.DataFrame, TableSpec]:
    """Binary `positive` vs `other`, keeping only `keep` of the positive rows."""
    rng = np.random.default_rng(seed)
    is_pos = (df[spec.target] == positive).to_numpy()
    pos_idx = np.flatnonzero(is_pos)
    kept = rng.choice(pos_idx, size=max(2, round(keep * pos_idx.size)), replace=False)
    rows = np.sort(np.concatenate([np.flatnonzero(~is_pos), kept]))
    out = df.iloc[rows].reset_index(drop=True).copy()
    out[spec.target] = np.where(out[spec.target] == positive, positive, "other").astype(object)
    return out, dataclasses.replace(spec, classes=("other", positive))


def oversample(X: pd.DataFrame, y: pd.Series, rng: np.random.Generator) -> tuple:
    """Resample every class with replacement up to the majority count."""
    counts = y.value_counts()
    parts = [np.flatnonzero(y.to_numpy() == label) for label in counts.index]
    idx = np.concatenate(
        [p if p.size == counts.max() else rng.choice(p, counts.max(), replace=True) for p in parts]
    )
    return X.iloc[idx], y.iloc[idx]


def compare_strategies(
    df: pd.DataFrame, spec: TableSpec, *, n_splits: int = 5, seed: int = 0
) -> pd.DataFrame:
    """Out-of-fold balanced accuracy and PR-AUC of each strategy (positive = spec.classes[1])."""
    X, y = split_xy(df, spec)
    positive = spec.classes[1]
    cv = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=seed)
    rows = []
    for strategy in STRATEGIES:
        rng = np.random.default_rng(seed)
        pred = np.empty(len(y), dtype=object)
        proba = np.empty(len(y))
        for train, test in cv.split(X, y):
            X_tr, y_tr = X.iloc[train], y.iloc[train]
            if strategy == "oversample":
                X_tr, y_tr = oversample(X_tr, y_tr, rng)
            weight = "balanced" if strategy == "class_weight" else None
            model = LogisticRegression(max_iter=2000, class_weight=weight)
            pipe = make_pipeline(spec, model).fit(X_tr, y_tr)
            pred[test] = pipe.predict(X.iloc[test])
            proba[test] = pipe.predict_proba(X.iloc[test])[:, list(pipe.classes_).index(positive)]
        rows.append(
            {
                "strategy": strategy,
                "balanced_accuracy": balanced_accuracy_score(y, pred),
                "pr_auc": average_precision_score(y == positive, proba),
                "accuracy": float(np.mean(pred == y.to_numpy())),
                "positive_rate": float(np.mean(y == positive)),
            }
        )
    return pd.DataFrame(rows)
