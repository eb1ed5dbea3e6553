"""Checks of the tabular API: served predictions equal the pipeline's, contracts hold."""

from __future__ import annotations

from phase0_env.common.parity import ParityResult, behaviour, compare, reference_version


def checks() -> list[ParityResult]:
    """Served == direct predict_proba; same seed -> identical bytes; 422 and refusals."""
    import tempfile
    from pathlib import Path

    import numpy as np
    from fastapi.testclient import TestClient

    from phase2_tabular.common.tables import WAGES, load_table
    from phase2_tabular.tabular_api.app import create_app
    from phase2_tabular.tabular_api.artifact import ArtifactError, load_artifact
    from phase2_tabular.tabular_api.settings import TabularSettings
    from phase2_tabular.tabular_api.train import train

    sk = reference_version("scikit-learn")
    out = []
    df, spec = load_table("penguins")
    X = df[spec.features]
    with tempfile.TemporaryDirectory() as tmp:
        a = train(Path(tmp) / "a", n_splits=3, seed=0)
        b = train(Path(tmp) / "b", n_splits=3, seed=0)
        pa, pb = (load_artifact(p).pipeline.predict_proba(X) for p in (a, b))
        out.append(
            behaviour(
                "same seed -> byte-identical predictions",
                pa.tobytes() == pb.tobytes(),
                f"{pa.size} probabilities",
            )
        )
        settings = TabularSettings(artifact_dir=str(a), prediction_log="", log_level="WARNING")
        client = TestClient(create_app(settings))
        records = [
            {k: (None if v != v else v) for k, v in row.items()}  # NaN -> null
            for row in X.to_dict(orient="records")
        ]
        resp = client.post("/predict/batch", json={"records": records[:256]})
        served = np.array(
            [[p["probabilities"][c] for c in spec.classes] for p in resp.json()["predictions"]]
        )
        out.append(
            compare(
                "served /predict/batch == pipeline.predict_proba",
                served,
                pa[:256],
                reference=sk,
                rtol=0.0,
                exact=True,
            )
        )
        bad = client.post("/predict", json={**records[0], "body_mass_g": -3})
        fields = [e["field"] for e in bad.json().get("errors", [])]
        out.append(
            behaviour(
                "out-of-range input -> 422 naming the field",
                bad.status_code == 422 and fields == ["body_mass_g"],
                str(fields),
            )
        )
        try:
            load_artifact(a, WAGES)
            refused = False
        except ArtifactError:
            refused = True
        out.append(behaviour("artifact with another schema is refused", refused))
    return out
