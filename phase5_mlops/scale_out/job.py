"""The cluster entry point (KubeRay RayJob): tune the phase 2 model, then batch-predict a table.

`python -m phase5_mlops.scale_out.job --configs 16 --rows 1000000 --out /data/out` connects to
the cluster named by RAY_ADDRESS (a RayJob sets it), or starts a local one without it.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The job's options."""
    parser = argparse.ArgumentParser(prog="python -m phase5_mlops.scale_out.job")
    parser.add_argument("--configs", type=int, default=16, help="random configurations to try")
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows to batch-predict")
    parser.add_argument("--chunks", type=int, default=32, help="Ray tasks for the prediction")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=Path("artifacts/phase5_mlops/scale_out"))
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> dict:
    """Run the search and the batch prediction; write `summary.json` and the predictions."""
    import numpy as np
    import ray

    from phase5_mlops.scale_out.batch_inference import predict_ray, synthetic_penguins
    from phase5_mlops.scale_out.tuning import GRID, best, random_configs, tune_ray

    args = parse_args(argv)
    ray.init()  # RAY_ADDRESS (set by KubeRay) -> join the cluster; unset -> a local one
    trials = tune_ray(GRID + random_configs(args.configs, args.seed), seed=args.seed)
    winner = best(trials)
    pipeline = fit(winner.config, seed=args.seed)
    labels, _ = predict_ray(pipeline, synthetic_penguins(args.rows, args.seed), args.chunks)
    args.out.mkdir(parents=True, exist_ok=True)
    np.save(args.out / "labels.npy", labels.astype(str))
    summary = {"best": winner.config, "cv_mean": winner.mean, "rows": int(labels.size)}
    (args.out / "summary.json").write_text(json.dumps(summary, indent=2))
    return summary


def fit(config: dict, seed: int = 0):  # type: ignore[no-untyped-def]
    """The phase 2 pipeline with `config`'s model, fitted on the whole penguins table."""
    from phase2_tabular.common.pipeline import make_pipeline
    from phase2_tabular.common.tables import TABLES
    from phase2_tabular.tabular_api.train import make_model
    from phase5_mlops.scale_out.tuning import penguins_xy

    params = {k: v for k, v in config.items() if k != "family"}
    model = make_model(config["family"], seed).set_params(**params)
    return make_pipeline(TABLES["penguins"], model).fit(*penguins_xy())


if __name__ == "__main__":
    print(json.dumps(main(), indent=2))
