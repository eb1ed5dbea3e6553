"""Bench: our permutation importance vs scikit-learn's, at three table sizes."""

from __future__ import annotations

from functools import partial

from phase0_env.common.bench import BenchRow, compare, sizes


def run(quick: bool = False) -> list[BenchRow]:
    """Time ours and sklearn's permutation importance on a fitted pipeline (rows resampled)."""
    import numpy as np
    from sklearn.inspection import permutation_importance as sk_permutation_importance
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import get_scorer

    from phase0_env.common.parity import reference_version
    from phase2_tabular.classical_practice.permutation import permutation_importance
    from phase2_tabular.common.pipeline import make_pipeline
    from phase2_tabular.common.tables import load_table, split_xy

    df, spec = load_table("penguins")
    X, y = split_xy(df, spec)
    pipe = make_pipeline(spec, LogisticRegression(max_iter=2000)).fit(X, y)
    scorer = get_scorer("accuracy")
    rows = []
    for n in sizes(quick, full=(1_000, 10_000, 50_000), small=(300, 1_000, 3_000)):
        idx = np.random.default_rng(0).integers(0, len(X), n)
        Xn, yn = X.iloc[idx].reset_index(drop=True), y.iloc[idx].reset_index(drop=True)
        ours = permutation_importance(pipe, Xn, yn, scorer, n_repeats=3, random_state=0)
        ref = sk_permutation_importance(pipe, Xn, yn, scoring=scorer, n_repeats=3, random_state=0)
        rows.append(
            compare(
                "permutation_importance",
                n,
                partial(permutation_importance, pipe, Xn, yn, scorer, n_repeats=3),
                partial(
                    sk_permutation_importance,
                    pipe,
                    Xn,
                    yn,
                    scoring=scorer,
                    n_repeats=3,
                    random_state=0,
                ),
                reference=reference_version("scikit-learn"),
                repeats=3,
                quality={"max_abs_diff": float(np.max(np.abs(ours.importances - ref.importances)))},
            )
        )
    return rows
