"""Checks: what the registry serves is the artifact, bit for bit; history and rollback hold."""

from __future__ import annotations

import tempfile
from pathlib import Path

from phase0_env.common.parity import ParityResult, behaviour, compare, reference_version


def checks() -> list[ParityResult]:
    """Register two models in a throwaway sqlite store and compare what each path serves."""
    import os

    import mlflow

    from phase2_tabular.common.tables import load_table
    from phase2_tabular.tabular_api.artifact import load_artifact
    from phase2_tabular.tabular_api.train import train
    from phase5_mlops.registry.model_registry import RegistryError, TabularRegistry

    ref = reference_version("mlflow")
    results = []
    before = os.environ.get("MLFLOW_TRACKING_URI")
    with tempfile.TemporaryDirectory(prefix="registry-parity-") as tmp:
        root = Path(tmp)
        uri = f"sqlite:///{root / 'mlflow.db'}"
        os.environ["MLFLOW_TRACKING_URI"] = uri
        try:
            first = train(root / "a", n_splits=3, seed=0)
            second = train(root / "b", family="random_forest", n_splits=3, seed=1)
            reg = TabularRegistry("penguins", uri=uri, artifacts=root / "artifacts")
            v1 = reg.register(first, reason="a")
            reg.promote(reason="a")
            df, spec = load_table("penguins")
            X = df[spec.features]
            served = load_artifact("models:/penguins@champion", spec).pipeline
            direct = load_artifact(first, spec).pipeline
            results.append(
                compare(
                    "models:/penguins@champion predict_proba == artifact folder",
                    served.predict_proba(X),
                    direct.predict_proba(X),
                    reference=ref,
                    exact=True,
                )
            )
            complete = X.dropna().reset_index(drop=True)
            mlflow.set_tracking_uri(uri)
            pyfunc = mlflow.pyfunc.load_model("models:/penguins@champion").predict(complete)
            cols = [f"proba_{c}" for c in direct.classes_]
            results.append(
                compare(
                    "mlflow.pyfunc predict == pipeline predict_proba",
                    pyfunc[cols].to_numpy(),
                    direct.predict_proba(complete),
                    reference=ref,
                    exact=True,
                )
            )
            info = mlflow.models.get_model_info(f"models:/penguins/{v1}")
            results.append(
                behaviour(
                    "version carries signature, input example and card tags",
                    info.signature is not None
                    and info.saved_input_example_info is not None
                    and reg.version_tags(v1)["card.model_sha256"]
                    == load_artifact(first).card["model_sha256"],
                )
            )
            v2 = reg.register(second, reason="b")
            reg.promote(reason="b")
            moved = reg.resolve("champion") == v2
            back = reg.rollback(reason="check")
            try:
                reg.rollback(reason="nothing left")
                refused = False
            except RegistryError:
                refused = True
            results.append(
                behaviour(
                    "rollback returns champion to the previous one, then refuses",
                    moved and back == v1 and reg.resolve("champion") == v1 and refused,
                    f"v{v2} -> v{back}",
                )
            )
            problems = reg.history_problems()
            results.append(
                behaviour(
                    "alias history agrees with the registry's aliases",
                    problems == [] and len(reg.history()) == 7,
                    "; ".join(problems) or f"{len(reg.history())} events",
                )
            )
        finally:
            if before is None:
                os.environ.pop("MLFLOW_TRACKING_URI", None)
            else:
                os.environ["MLFLOW_TRACKING_URI"] = before
    return results
