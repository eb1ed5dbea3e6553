"""JSON Schemas of the Argo Rollouts fields this milestone uses (a documented subset).

Argo's CRDs are not in the `kubernetes` client, so these schemas stand in for them. They
cover only what `rollout.yaml` and `analysistemplate.yaml` use, field names and types taken
from the Argo Rollouts v1.7 specification (argoproj.io/v1alpha1), and every object refuses
unknown fields: a field this subset does not know is an error here even where Argo would
accept it, so extending the manifests means extending the schema, on purpose.
"""

from __future__ import annotations

from typing import Any

import jsonschema

DURATION = {"type": "string", "pattern": r"^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$"}
NAME = {"type": "string", "pattern": r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", "maxLength": 63}
LABELS = {"type": "object", "additionalProperties": {"type": "string"}}


def _obj(properties: dict[str, Any], required: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": list(required),
        "additionalProperties": False,
    }


METADATA = _obj(
    {"name": NAME, "namespace": NAME, "labels": LABELS, "annotations": LABELS}, ("name",)
)
ANALYSIS_ARG = _obj({"name": {"type": "string"}, "value": {"type": "string"}}, ("name",))
STEP = {
    "oneOf": [
        _obj({"setWeight": {"type": "integer", "minimum": 0, "maximum": 100}}, ("setWeight",)),
        _obj(
            {"pause": _obj({"duration": {"oneOf": [DURATION, {"type": "integer"}]}})},
            ("pause",),
        ),
        _obj(
            {
                "analysis": _obj(
                    {
                        "templates": {
                            "type": "array",
                            "minItems": 1,
                            "items": _obj({"templateName": NAME}, ("templateName",)),
                        },
                        "args": {"type": "array", "items": ANALYSIS_ARG},
                    },
                    ("templates",),
                )
            },
            ("analysis",),
        ),
    ]
}
ROLLOUT = _obj(
    {
        "apiVersion": {"const": "argoproj.io/v1alpha1"},
        "kind": {"const": "Rollout"},
        "metadata": METADATA,
        "spec": _obj(
            {
                "replicas": {"type": "integer", "minimum": 0},
                "revisionHistoryLimit": {"type": "integer", "minimum": 0},
                "selector": _obj({"matchLabels": LABELS}, ("matchLabels",)),
                "workloadRef": _obj(
                    {
                        "apiVersion": {"const": "apps/v1"},
                        "kind": {"const": "Deployment"},
                        "name": NAME,
                        "scaleDown": {"enum": ["never", "onsuccess", "progressively"]},
                    },
                    ("apiVersion", "kind", "name"),
                ),
                "strategy": _obj(
                    {
                        "canary": _obj(
                            {
                                "canaryService": NAME,
                                "stableService": NAME,
                                "abortScaleDownDelaySeconds": {"type": "integer", "minimum": 0},
                                "trafficRouting": _obj(
                                    {"nginx": _obj({"stableIngress": NAME}, ("stableIngress",))}
                                ),
                                "steps": {"type": "array", "minItems": 1, "items": STEP},
                            },
                            ("steps",),
                        )
                    },
                    ("canary",),
                ),
            },
            ("selector", "strategy"),
        ),
    },
    ("apiVersion", "kind", "metadata", "spec"),
)
METRIC = _obj(
    {
        "name": NAME,
        "interval": DURATION,
        "count": {"type": "integer", "minimum": 1},
        "failureLimit": {"type": "integer", "minimum": 0},
        "successCondition": {"type": "string", "minLength": 1},
        "provider": _obj(
            {
                "prometheus": _obj(
                    {
                        "address": {"type": "string", "pattern": "^https?://"},
                        "query": {"type": "string", "minLength": 1},
                    },
                    ("address", "query"),
                )
            },
            ("prometheus",),
        ),
    },
    ("name", "successCondition", "provider"),
)
ANALYSIS_TEMPLATE = _obj(
    {
        "apiVersion": {"const": "argoproj.io/v1alpha1"},
        "kind": {"const": "AnalysisTemplate"},
        "metadata": METADATA,
        "spec": _obj(
            {
                "args": {"type": "array", "items": ANALYSIS_ARG},
                "metrics": {"type": "array", "minItems": 1, "items": METRIC},
            },
            ("metrics",),
        ),
    },
    ("apiVersion", "kind", "metadata", "spec"),
)
SCHEMAS = {"Rollout": ROLLOUT, "AnalysisTemplate": ANALYSIS_TEMPLATE}


def argo_problems(doc: dict[str, Any]) -> list[str]:
    """Every schema violation of an Argo Rollouts manifest, as `path: message` lines."""
    schema = SCHEMAS.get(doc.get("kind", ""))
    if schema is None or not str(doc.get("apiVersion", "")).startswith("argoproj.io/"):
        return [f"not an Argo kind this subset covers: {doc.get('apiVersion')}/{doc.get('kind')}"]
    validator = jsonschema.Draft202012Validator(schema)
    return [
        f"{doc['kind']}.{'.'.join(str(p) for p in err.absolute_path)}: {err.message}"
        for err in sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
    ]
