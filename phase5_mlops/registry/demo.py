"""Demo: two penguin models through the registry, served by the phase 2 API, then a rollback.

Runs in a throwaway sqlite store (a temporary folder), so the repository's store is untouched.
"""

from __future__ import annotations

import tempfile
from pathlib import Path


def main(quick: bool = False) -> None:
    """Register, promote, serve via models:/NAME@champion, move the alias, roll back."""
    import os

    import numpy as np
    from fastapi.testclient import TestClient
    from pydantic import SecretStr

    from phase2_tabular.common.tables import load_table
    from phase2_tabular.tabular_api.app import create_app
    from phase2_tabular.tabular_api.artifact import load_artifact
    from phase2_tabular.tabular_api.settings import TabularSettings
    from phase2_tabular.tabular_api.train import train
    from phase5_mlops.registry.model_registry import TabularRegistry

    with tempfile.TemporaryDirectory(prefix="registry-demo-") as tmp:
        root = Path(tmp)
        uri = f"sqlite:///{root / 'mlflow.db'}"
        os.environ["MLFLOW_TRACKING_URI"] = uri  # what the phase 2 service reads
        first = train(root / "logreg", n_splits=3, seed=0)
        second = train(root / "forest", family="random_forest", n_splits=3, seed=1)
        reg = TabularRegistry("penguins", uri=uri, artifacts=root / "artifacts")
        v1 = reg.register(first, reason="first model", actor="demo")
        reg.promote(reason="initial champion", actor="demo")
        settings = TabularSettings(
            artifact_dir="models:/penguins@champion",
            prediction_log="",
            api_keys=[SecretStr("k")],
            log_level="WARNING",
        )
        df, spec = load_table("penguins")
        rows = df[spec.features].head(20)
        records = [
            {k: (None if v != v else v) for k, v in r.items()} for r in rows.to_dict("records")
        ]
        with TestClient(create_app(settings)) as client:
            served = client.post("/predict/batch", json={"records": records}).json()
            direct = load_artifact(first).pipeline.predict_proba(rows)
            got = np.array([list(p["probabilities"].values()) for p in served["predictions"]])
            diff = float(np.max(np.abs(got - direct)))
            print(f"champion v{v1} served by the API; max |served - artifact| = {diff:.1e}")
            v2 = reg.register(second, reason="nightly", actor="demo")
            reg.promote(reason="better CV balanced accuracy", actor="demo")
            version = client.post("/admin/reload", headers={"X-API-Key": "k"}).json()
            print(f"alias moved to v{v2}; /admin/reload now serves {version['model_version']}")
            reg.rollback(reason="demo rollback", actor="demo")
            version = client.post("/admin/reload", headers={"X-API-Key": "k"}).json()
            print(f"rolled back to v{reg.resolve('champion')}: serving {version['model_version']}")
        print("\nversions:")
        for row in reg.versions():
            print(f"  v{row.version} {','.join(row.aliases) or '-':<10} {row.model_version}")
        print("\nalias history (MLflow keeps none; stored as registered-model tags):")
        for e in reg.history():
            print(
                f"  {e.alias:<10} {e.previous or '-'} -> {e.version or '-'}  "
                f"{e.action:<8} {e.reason}"
            )
        print(f"history consistent with aliases: {reg.history_problems() == []}")
        os.environ.pop("MLFLOW_TRACKING_URI", None)
