"""Parity checks of classical_practice against scikit-learn, SciPy and SHAP's own identity."""

from __future__ import annotations

import numpy as np

from phase0_env.common.parity import ParityResult, behaviour, compare, reference_version


def checks() -> list[ParityResult]:
    """Permutation importance vs sklearn, paired t-test vs SciPy, leak-free CV, SHAP additivity."""
    import scipy.stats
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.inspection import permutation_importance as sk_permutation_importance
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import get_scorer
    from sklearn.model_selection import StratifiedKFold

    from phase2_tabular.classical_practice.explain import shap_additivity
    from phase2_tabular.classical_practice.leakage import (
        leaky_cv_scores,
        manual_fold_scores,
        pipeline_cv_scores,
    )
    from phase2_tabular.classical_practice.paired_test import paired_t_test
    from phase2_tabular.classical_practice.permutation import permutation_importance
    from phase2_tabular.common.pipeline import make_pipeline
    from phase2_tabular.common.tables import load_table, split_xy

    sk, sp = reference_version("scikit-learn"), reference_version("scipy")
    df, spec = load_table("penguins")
    X, y = split_xy(df, spec)
    out = []

    forest = RandomForestClassifier(n_estimators=30, random_state=0, n_jobs=1)
    pipe = make_pipeline(spec, forest).fit(X, y)
    scorer = get_scorer("accuracy")
    ours = permutation_importance(pipe, X, y, scorer, n_repeats=5, random_state=7)
    ref = sk_permutation_importance(pipe, X, y, scoring=scorer, n_repeats=5, random_state=7)
    # Same shuffles and same scorer: the float64 score drops must agree to rounding.
    out.append(
        compare(
            "permutation importance (all repeats)",
            ours.importances,
            ref.importances,
            reference=sk,
            rtol=1e-12,
            atol=1e-12,
        )
    )

    rng = np.random.default_rng(0)
    a, b = rng.normal(0.90, 0.02, 10), rng.normal(0.89, 0.02, 10)
    mine = paired_t_test(a, b)
    theirs = scipy.stats.ttest_rel(a, b)
    ci = theirs.confidence_interval(0.95)
    out.append(
        compare(
            "paired t-test (t, p, CI)",
            [mine.t_stat, mine.p_value, mine.ci_low, mine.ci_high],
            [theirs.statistic, theirs.pvalue, ci.low, ci.high],
            reference=sp,
            rtol=1e-9,
        )
    )

    cv = StratifiedKFold(5, shuffle=True, random_state=0)
    model = LogisticRegression(max_iter=2000)
    piped = pipeline_cv_scores(df, spec, model, cv, "neg_log_loss")
    manual = manual_fold_scores(df, spec, model, cv, "neg_log_loss")
    leaky = leaky_cv_scores(df, spec, model, cv, "neg_log_loss")
    out.append(
        compare("pipeline CV == per-fold fit (no leak)", piped, manual, reference=sk, rtol=1e-12)
    )
    gap = float(np.max(np.abs(leaky - manual)))
    out.append(
        behaviour(
            "scaler fitted on all rows changes CV",
            gap > 1e-6,
            f"max fold log-loss change {gap:.2e}",
        )
    )

    shap_res = shap_additivity(pipe, X)
    out.append(
        compare(
            "SHAP additivity (sum + base == proba)",
            shap_res.max_additivity_error,
            0.0,
            reference=reference_version("shap"),
            atol=1e-8,
        )
    )
    return out
