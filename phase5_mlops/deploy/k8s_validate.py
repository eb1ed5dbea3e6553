"""Strict offline validation of core Kubernetes objects against the `kubernetes` client.

The client's models carry the API's OpenAPI schema (`openapi_types`, `attribute_map`), but
its deserialiser silently drops unknown keys and does not check scalar types. `validate`
walks the model tree and reports every unknown field (a typo such as `readinessProbes`)
and every wrong type with its path, then deserialises with the client so its own checks
(required fields, enums) run too. `object` fields (IntOrString, Quantity) accept a string
or a number. Argo's kinds are not in the client: see argo_schema.py.
"""

from __future__ import annotations

import re
from typing import Any

from kubernetes import client

KINDS = {
    ("apps/v1", "Deployment"): "V1Deployment",
    ("v1", "Service"): "V1Service",
    ("v1", "ConfigMap"): "V1ConfigMap",
    ("v1", "Secret"): "V1Secret",
    ("autoscaling/v2", "HorizontalPodAutoscaler"): "V2HorizontalPodAutoscaler",
    ("networking.k8s.io/v1", "Ingress"): "V1Ingress",
    ("policy/v1", "PodDisruptionBudget"): "V1PodDisruptionBudget",
}
DNS_1123 = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
SCALARS: dict[str, tuple[type, ...]] = {
    "str": (str,),
    "int": (int,),
    "float": (int, float),
    "bool": (bool,),
    "datetime": (str,),
    "bytes": (str,),
    "object": (str, int, float),
}


class ManifestError(ValueError):
    """A manifest that the Kubernetes API would reject (all problems in one message)."""


def model_name(doc: dict[str, Any]) -> str:
    """The client model class name for a manifest's apiVersion and kind."""
    key = (doc.get("apiVersion"), doc.get("kind"))
    if key not in KINDS:
        raise ManifestError(f"no core model for apiVersion/kind {key}; known: {sorted(KINDS)}")
    return KINDS[key]  # type: ignore[index]


def problems(doc: dict[str, Any]) -> list[str]:
    """Every problem of one manifest, as `path: message` lines (empty when valid)."""
    try:
        name = model_name(doc)
    except ManifestError as err:
        return [str(err)]
    found = _walk(doc, name, doc.get("kind", "?"))
    meta_name = (doc.get("metadata") or {}).get("name")
    if not isinstance(meta_name, str) or not DNS_1123.match(meta_name) or len(meta_name) > 63:
        found.append(f"metadata.name: {meta_name!r} is not a DNS-1123 label")
    if not found:
        try:  # the client's own checks: required fields, enum values
            client.ApiClient()._ApiClient__deserialize(doc, name)  # type: ignore[attr-defined]
        except (ValueError, TypeError) as err:
            found.append(f"{doc['kind']}: {err}")
    return found


def validate(doc: dict[str, Any]) -> Any:
    """The deserialised client model of a valid manifest; ManifestError listing all problems."""
    found = problems(doc)
    if found:
        raise ManifestError("\n".join(found))
    return client.ApiClient()._ApiClient__deserialize(doc, model_name(doc))  # type: ignore[attr-defined]


def _walk(data: Any, type_name: str, path: str) -> list[str]:
    """Problems of `data` against one openapi type string (a model, List[..], Dict[..])."""
    if type_name.startswith("List["):
        if not isinstance(data, list):
            return [f"{path}: expected a list, got {type(data).__name__}"]
        inner = type_name[5:-1]
        return [p for i, item in enumerate(data) for p in _walk(item, inner, f"{path}[{i}]")]
    if type_name.startswith("Dict["):
        if not isinstance(data, dict):
            return [f"{path}: expected a mapping, got {type(data).__name__}"]
        inner = type_name[5:-1].split(", ", 1)[1]
        return [p for k, v in data.items() for p in _walk(v, inner, f"{path}.{k}")]
    if type_name in SCALARS:
        allowed = SCALARS[type_name]
        # YAML's `true` is a Python bool, which is also an int: refuse it where a number goes.
        if isinstance(data, bool) and bool not in allowed:
            return [f"{path}: expected {type_name}, got bool"]
        if not isinstance(data, allowed):
            return [f"{path}: expected {type_name}, got {type(data).__name__}"]
        return []
    model = getattr(client, type_name, None)
    if model is None or not hasattr(model, "openapi_types"):
        return [f"{path}: unknown model type {type_name}"]
    if not isinstance(data, dict):
        return [f"{path}: expected an object ({type_name}), got {type(data).__name__}"]
    by_json = {json_key: attr for attr, json_key in model.attribute_map.items()}
    found = []
    for key, value in data.items():
        if key not in by_json:
            found.append(f"{path}.{key}: unknown field of {type_name}")
        elif value is not None:
            found.extend(_walk(value, model.openapi_types[by_json[key]], f"{path}.{key}"))
    return found
