"""Load the rendered manifests and check each one: core kinds against the Kubernetes client,
Argo kinds against the schema subset."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from phase5_mlops.deploy.argo_schema import argo_problems
from phase5_mlops.deploy.k8s_validate import problems
from phase5_mlops.deploy.render import MANIFEST_DIR


def load_manifests(folder: Path = MANIFEST_DIR) -> list[dict[str, Any]]:
    """Every YAML document under `folder`, in file-name order."""
    docs: list[dict[str, Any]] = []
    for path in sorted(folder.glob("*.yaml")):
        docs.extend(d for d in yaml.safe_load_all(path.read_text()) if d)
    return docs


def manifest_problems(doc: dict[str, Any]) -> list[str]:
    """Problems of any manifest this milestone ships (empty when valid)."""
    if str(doc.get("apiVersion", "")).startswith("argoproj.io/"):
        return argo_problems(doc)
    return problems(doc)


def by_kind(docs: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    """The documents of one kind."""
    return [d for d in docs if d.get("kind") == kind]
