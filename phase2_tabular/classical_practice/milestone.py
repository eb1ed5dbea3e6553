from phase0_env.common.registry import Milestone

MILESTONE = Milestone(
    id="phase2_tabular.classical_practice",
    title="Classical ML practice on real tables",
    claim=(
        "leak-free CV pipelines, model selection, imbalance, calibration; permutation "
        "importance and the paired t-test from scratch equal scikit-learn and SciPy"
    ),
    reference="scikit-learn",
    demo="phase2_tabular.classical_practice.demo:main",
    parity="phase2_tabular.classical_practice.parity:checks",
    bench="phase2_tabular.classical_practice.bench:run",
    requirements=(
        "numpy",
        "pandas",
        "scikit-learn",
        "scipy",
        "pandera",
        "pyarrow",
        "shap",
        "matplotlib",
        "palmerpenguins",
    ),
    local_deps=(),
    exercises=("kfold_splits", "permutation_importance", "paired_t_test", "reliability_curve"),
)
