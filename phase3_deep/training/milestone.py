from phase0_env.common.registry import Milestone

MILESTONE = Milestone(
    id="phase3_deep.training",
    title="A reusable training loop",
    claim=(
        "warmup-cosine and one-cycle LR equal torch's schedulers every step; init, label "
        "smoothing and clipping equal torch; resume is bit-identical; DDP (gloo, 2 procs) "
        "equals one process; runs tracked in MLflow"
    ),
    reference="torch",
    demo="phase3_deep.training.demo:main",
    parity="phase3_deep.training.parity:checks",
    bench="phase3_deep.training.bench:run",
    exercises=("warmup_cosine", "adamw_step"),
    requirements=("numpy", "torch", "scikit-learn", "mlflow", "matplotlib", "tqdm"),
    local_deps=(),
)
