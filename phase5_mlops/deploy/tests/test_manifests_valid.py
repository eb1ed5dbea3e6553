"""Every shipped manifest passes the strict Kubernetes / Argo checks; broken ones do not."""

import copy

import pytest

from phase5_mlops.deploy.argo_schema import argo_problems
from phase5_mlops.deploy.k8s_validate import ManifestError, problems, validate
from phase5_mlops.deploy.manifests import by_kind, load_manifests, manifest_problems


@pytest.fixture(scope="module")
def docs():
    return load_manifests()


def test_the_folder_holds_every_kind_of_the_delivery(docs):
    kinds = sorted(d["kind"] for d in docs)
    assert kinds == [
        "AnalysisTemplate",
        "Deployment",
        "HorizontalPodAutoscaler",
        "Ingress",
        "Rollout",
        "Service",
        "Service",
    ]


def test_every_manifest_passes_its_validator(docs):
    for doc in docs:
        assert manifest_problems(doc) == [], f"{doc['kind']} {doc['metadata']['name']}"


def test_core_kinds_deserialise_into_the_kubernetes_client_models(docs):
    deployment = validate(by_kind(docs, "Deployment")[0])
    assert type(deployment).__name__ == "V1Deployment"
    container = deployment.spec.template.spec.containers[0]
    assert container.readiness_probe.http_get.path == "/readyz"
    hpa = validate(by_kind(docs, "HorizontalPodAutoscaler")[0])
    assert type(hpa).__name__ == "V2HorizontalPodAutoscaler" and hpa.spec.max_replicas >= 2


def _deployment(docs):
    return copy.deepcopy(by_kind(docs, "Deployment")[0])


def test_an_unknown_field_is_rejected_with_its_path(docs):
    doc = _deployment(docs)
    doc["spec"]["template"]["spec"]["containers"][0]["readinessProbes"] = {}
    assert problems(doc) == [
        "Deployment.spec.template.spec.containers[0].readinessProbes: unknown field of V1Container"
    ]
    with pytest.raises(ManifestError, match="readinessProbes"):
        validate(doc)


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("spec", "replicas"), "3", "spec.replicas: expected int, got str"),
        (("spec", "replicas"), True, "spec.replicas: expected int, got bool"),
        (("spec", "template", "metadata", "labels"), ["a"], "expected a mapping, got list"),
        (("spec", "template", "spec", "containers"), {"name": "x"}, "expected a list, got dict"),
    ],
)
def test_a_wrong_type_is_rejected(docs, path, value, message):
    doc = _deployment(docs)
    target = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    assert any(message in p for p in problems(doc)), problems(doc)


def test_a_missing_required_field_is_rejected_by_the_client(docs):
    doc = _deployment(docs)
    del doc["spec"]["template"]["spec"]["containers"][0]["name"]
    assert any("name" in p for p in problems(doc))


def test_a_bad_name_and_an_unknown_kind_are_rejected(docs):
    doc = _deployment(docs)
    doc["metadata"]["name"] = "Tabular_API"
    assert any("DNS-1123" in p for p in problems(doc))
    assert "no core model" in problems({"apiVersion": "v9", "kind": "Deployment"})[0]


def test_the_argo_schema_rejects_typos_wrong_types_and_bad_steps(docs):
    rollout = copy.deepcopy(by_kind(docs, "Rollout")[0])
    rollout["spec"]["strategy"]["canary"]["stepz"] = []
    rollout["spec"]["replicas"] = "2"
    rollout["spec"]["strategy"]["canary"]["steps"].append({"setWeight": 150})
    found = "\n".join(argo_problems(rollout))
    assert "'stepz' was unexpected" in found
    assert "spec.replicas: '2' is not of type 'integer'" in found
    assert "setWeight" in found and "150" in found
    template = copy.deepcopy(by_kind(docs, "AnalysisTemplate")[0])
    template["spec"]["metrics"][0]["provider"]["prometheus"]["address"] = "prometheus:9090"
    assert "does not match" in "\n".join(argo_problems(template))
