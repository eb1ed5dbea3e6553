from phase0_env.common.registry import Milestone

MILESTONE = Milestone(
    id="phase3_deep.image_classifier",
    title="An image classifier on a custom dataset",
    claim=(
        "ImageFolder-style loader and augmentations written here (resize, flip, normalise "
        "equal torch ops); a CNN reaches >= 0.90 held-out macro-F1 on digits PNGs, "
        "reproducibly, tracked in MLflow; transfer vs scratch on photo patches"
    ),
    reference="torch",
    demo="phase3_deep.image_classifier.demo:main",
    parity="phase3_deep.image_classifier.parity:checks",
    bench="phase3_deep.image_classifier.bench:run",
    exercises=("resize_bilinear", "macro_f1"),
    requirements=("numpy", "torch", "pillow", "scikit-learn", "mlflow", "matplotlib", "tqdm"),
    local_deps=("phase3_deep.training",),
)
