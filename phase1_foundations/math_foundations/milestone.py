from phase0_env.common.registry import Milestone

MILESTONE = Milestone(
    id="phase1_foundations.math_foundations",
    title="Autograd, optimisers and PCA from scratch",
    claim="a NumPy reverse-mode autograd equals torch autograd (values and gradients, float64) "
    "on random expression graphs; SGD/momentum/Nesterov/Adam/AdamW trajectories equal "
    "torch.optim step by step; PCA (SVD and covariance eigh) equals scikit-learn",
    reference="torch, scikit-learn",
    demo="phase1_foundations.math_foundations.demo:main",
    parity="phase1_foundations.math_foundations.parity:checks",
    bench="phase1_foundations.math_foundations.bench:run",
    requirements=("numpy", "torch", "scikit-learn"),
    local_deps=(),
    exercises=("backward", "adam_step", "pca"),
)
