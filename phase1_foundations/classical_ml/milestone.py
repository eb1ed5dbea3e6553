from phase0_env.common.registry import Milestone

MILESTONE = Milestone(
    id="phase1_foundations.classical_ml",
    title="Classical ML estimators from scratch",
    claim="kNN, linear/ridge/logistic regression, CART, k-means and naive Bayes written in "
    "NumPy (+ a C++ hot path) equal scikit-learn: same neighbours, same trees node by node, "
    "same k-means labels, coefficients and probabilities within stated tolerances",
    reference="scikit-learn",
    demo="phase1_foundations.classical_ml.demo:main",
    parity="phase1_foundations.classical_ml.parity:checks",
    bench="phase1_foundations.classical_ml.bench:run",
    requirements=("numpy", "scikit-learn", "pybind11", "hypothesis"),
    local_deps=("phase1_foundations.native_ops",),
    exercises=("knn_predict", "kmeans", "best_split"),
)
