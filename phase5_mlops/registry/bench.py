"""Bench: resolving `models:/NAME@champion` and predicting, against loading the folder."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from phase0_env.common.bench import BenchRow, compare, sizes
from phase0_env.common.parity import reference_version


def run(quick: bool = False) -> list[BenchRow]:
    """Load + predict n rows via the registry alias vs via the artifact folder."""
    import numpy as np

    from phase2_tabular.common.tables import load_table
    from phase2_tabular.tabular_api.artifact import load_artifact
    from phase2_tabular.tabular_api.train import train
    from phase5_mlops.registry.model_registry import TabularRegistry

    rows = []
    before = os.environ.get("MLFLOW_TRACKING_URI")
    with tempfile.TemporaryDirectory(prefix="registry-bench-") as tmp:
        root = Path(tmp)
        uri = f"sqlite:///{root / 'mlflow.db'}"
        os.environ["MLFLOW_TRACKING_URI"] = uri
        try:
            folder = train(root / "model", n_splits=3, seed=0)
            reg = TabularRegistry("penguins", uri=uri, artifacts=root / "artifacts")
            reg.register(folder, reason="bench")
            reg.promote(reason="bench")
            df, spec = load_table("penguins")
            X = df[spec.features]
            for n in sizes(quick, full=(10, 1_000, 10_000), small=(10, 100, 1_000)):
                batch = X.iloc[np.arange(n) % len(X)]

                def via_alias(batch=batch):  # type: ignore[no-untyped-def]
                    return load_artifact("models:/penguins@champion", spec).pipeline.predict_proba(
                        batch
                    )

                def via_folder(batch=batch):  # type: ignore[no-untyped-def]
                    return load_artifact(folder, spec).pipeline.predict_proba(batch)

                same = float(np.max(np.abs(via_alias() - via_folder())))
                rows.append(
                    compare(
                        "load+predict: models:/@champion vs folder",
                        n,
                        via_alias,
                        via_folder,
                        reference=f"phase2 load_artifact, folder ({reference_version('mlflow')})",
                        repeats=3,
                        quality={"max_abs_diff": same},
                    )
                )
        finally:
            if before is None:
                os.environ.pop("MLFLOW_TRACKING_URI", None)
            else:
                os.environ["MLFLOW_TRACKING_URI"] = before
    return rows
