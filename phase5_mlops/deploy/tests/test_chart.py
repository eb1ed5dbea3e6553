"""The Helm chart renders (with the documented subset) to exactly the shipped manifests."""

import pytest

from phase5_mlops.deploy.manifests import by_kind, manifest_problems
from phase5_mlops.deploy.render import (
    MANIFEST_DIR,
    TemplateError,
    load_documents,
    render_chart,
    render_text,
)


def test_manifests_are_the_chart_rendered_with_its_default_values():
    rendered = render_chart()
    on_disk = {p.name: p.read_text() for p in MANIFEST_DIR.glob("*.yaml")}
    assert rendered == on_disk, "run `python -m phase5_mlops.deploy.render` to regenerate"


def test_overridden_values_render_to_valid_manifests():
    values = {"name": "fraud-api", "autoscaling": {"maxReplicas": 3}, "image": {"tag": "2.0"}}
    docs = load_documents(render_chart(values=values))
    for doc in docs:
        assert manifest_problems(doc) == []
        assert doc["metadata"]["name"].startswith("fraud-api")
    assert by_kind(docs, "HorizontalPodAutoscaler")[0]["spec"]["maxReplicas"] == 3
    image = by_kind(docs, "Deployment")[0]["spec"]["template"]["spec"]["containers"][0]["image"]
    assert image == "tabular-api:2.0"


def test_argo_placeholders_survive_helm_escaping():
    template = by_kind(load_documents(render_chart()), "AnalysisTemplate")[0]
    query = template["spec"]["metrics"][0]["provider"]["prometheus"]["query"]
    assert 'service="{{args.canary-service}}"' in query and "{{`" not in query


@pytest.mark.parametrize(
    "action",
    ["{{ .Values.x | quote }}", "{{- .Values.x }}", "{{ if .Values.x }}", '{{ include "a" . }}'],
)
def test_actions_outside_the_subset_are_refused(action):
    with pytest.raises(TemplateError, match="unsupported"):
        render_text(f"a: {action}", {"x": 1}, {})


def test_values_render_as_go_prints_them_and_missing_or_nested_values_fail():
    values = {"i": 3, "f": 0.5, "whole": 2.0, "b": True, "s": "x", "m": {"k": 1}}
    text = "{{ .Values.i }} {{ .Values.f }} {{ .Values.whole }} {{ .Values.b }} {{ .Values.s }}"
    assert render_text(text, values, {}) == "3 0.5 2 true x"
    with pytest.raises(TemplateError, match="missing"):
        render_text("{{ .Values.nope }}", values, {})
    with pytest.raises(TemplateError, match="not a scalar"):
        render_text("{{ .Values.m }}", values, {})
