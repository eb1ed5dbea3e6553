"""Saving and loading a fitted pipeline with its model card, refusing mismatched artifacts.

An artifact is a folder: `model.joblib` (the pipeline) and `model_card.json` (data hash and
schema, metrics with confidence intervals, library versions, git revision, seed, features,
the drift reference, and the sha256 of `model.joblib`). `load_artifact` checks the hash,
the schema against the expected table, and the library versions before unpickling.
A `models:/NAME@ALIAS` path is resolved through the MLflow registry (model_uri.py).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import platform
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from phase2_tabular.common.tables import TableSpec

MODEL_FILE = "model.joblib"
CARD_FILE = "model_card.json"
# How many leading version components must match. scikit-learn pickles are only supported
# within one minor release, so it needs major.minor; numpy and pandas need the major.
COMPAT_COMPONENTS = {"scikit-learn": 2, "numpy": 1, "pandas": 1, "joblib": 1}


class ArtifactError(ValueError):
    """An artifact that must not be served: corrupt, wrong schema or incompatible libraries."""


@dataclass
class Artifact:
    """A loaded pipeline and its model card."""

    pipeline: Any
    card: dict[str, Any]
    path: Path

    @property
    def version(self) -> str:
        return str(self.card["model_version"])


def schema_of(spec: TableSpec) -> dict[str, Any]:
    """The JSON form of a table's contract, as recorded in the model card."""
    return {
        "table": spec.name,
        "schema_version": spec.schema_version,
        "target": spec.target,
        "classes": list(spec.classes),
        "numeric": {k: list(v) for k, v in spec.numeric.items()},
        "categorical": {k: list(v) for k, v in spec.categorical.items()},
        "nullable": sorted(spec.nullable),
    }


def library_versions() -> dict[str, str]:
    """Versions of the libraries a pickled pipeline depends on."""
    out = {"python": platform.python_version()}
    for name in COMPAT_COMPONENTS:
        out[name] = importlib.metadata.version(name)
    return out


def save_artifact(pipeline: Any, card: dict[str, Any], out_dir: Path) -> Path:
    """Write the pipeline and its card (with the pipeline's sha256) to `out_dir`."""
    import joblib

    out_dir.mkdir(parents=True, exist_ok=True)
    model_path = out_dir / MODEL_FILE
    tmp = model_path.with_suffix(".tmp")
    joblib.dump(pipeline, tmp)
    card = {**card, "model_sha256": _sha256(tmp)}
    card["model_version"] = card["model_sha256"][:12]
    tmp.replace(model_path)
    card_tmp = out_dir / (CARD_FILE + ".tmp")
    card_tmp.write_text(json.dumps(card, indent=2, sort_keys=True, default=str))
    card_tmp.replace(out_dir / CARD_FILE)
    return out_dir


def load_artifact(path: Path | str, spec: TableSpec | None = None) -> Artifact:
    """Load an artifact folder (or a `models:/NAME@ALIAS` registry reference, via mlflow);
    raise ArtifactError if it is corrupt or does not match."""
    import joblib

    if str(path).startswith("models:/"):  # mlflow is imported only for registry references
        from phase2_tabular.tabular_api.model_uri import load_registered

        return load_registered(str(path), spec)
    path = Path(path)
    card_path, model_path = path / CARD_FILE, path / MODEL_FILE
    if not card_path.exists() or not model_path.exists():
        raise ArtifactError(f"{path} is not a model artifact (needs {CARD_FILE} and {MODEL_FILE})")
    card = read_card(card_path)
    problems = check_compatible(card, spec)
    try:
        actual = _sha256(model_path)
    except OSError as err:
        raise ArtifactError(f"refusing artifact {path}: cannot read {MODEL_FILE}: {err}") from err
    if actual != card.get("model_sha256"):
        problems.append(f"{MODEL_FILE} sha256 {actual[:12]} != card's {card.get('model_sha256')}")
    if problems:
        raise ArtifactError(f"refusing artifact {path}: " + "; ".join(problems))
    try:
        pipeline = joblib.load(model_path)
    except Exception as err:
        raise ArtifactError(
            f"refusing artifact {path}: {MODEL_FILE} does not load: {err!r}"
        ) from err
    return Artifact(pipeline, card, path)


def read_card(card_path: Path) -> dict[str, Any]:
    """The model card as a dict; ArtifactError when it is empty, torn or not a card."""
    try:
        card = json.loads(card_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        # A card half-written by a copy that is still running reads as torn JSON.
        raise ArtifactError(f"{card_path} is empty or not valid JSON (torn write?): {err}") from err
    if not isinstance(card, dict) or not card.get("model_version"):
        raise ArtifactError(f"{card_path} is not a model card (no model_version)")
    return card


def check_compatible(card: dict[str, Any], spec: TableSpec | None) -> list[str]:
    """Every reason this card's model cannot be served here (empty when it can)."""
    problems = []
    if spec is not None and card.get("schema") != schema_of(spec):
        problems.append(
            f"schema mismatch: artifact has {_schema_name(card.get('schema'))}, "
            f"this service expects {spec.name} v{spec.schema_version}"
        )
    here = library_versions()
    for lib, n in COMPAT_COMPONENTS.items():
        saved = str(card.get("libraries", {}).get(lib, "?"))
        if saved.split(".")[:n] != here[lib].split(".")[:n]:
            problems.append(f"{lib} {saved} was used to train, {here[lib]} is installed")
    return problems


def _schema_name(schema: Any) -> str:
    if not isinstance(schema, dict):
        return "no schema"
    return f"{schema.get('table')} v{schema.get('schema_version')}"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
