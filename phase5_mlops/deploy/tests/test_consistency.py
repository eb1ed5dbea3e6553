"""The manifests agree with each other, with the service they deploy, and with the policy."""

import re
from pathlib import Path

import pytest
import yaml
from prometheus_client import generate_latest
from prometheus_client.parser import text_string_to_metric_families

from phase2_tabular import tabular_api
from phase2_tabular.tabular_api.app import create_app
from phase2_tabular.tabular_api.settings import TabularSettings
from phase5_mlops.deploy import policy
from phase5_mlops.deploy.manifests import load_manifests
from phase5_mlops.deploy.promql import ARGO_CANARY, ARGO_STABLE, analysis_queries
from phase5_mlops.deploy.render import CHART_DIR

DOCKERFILE = Path(tabular_api.__file__).resolve().parent / "Dockerfile"  # also in a starter


@pytest.fixture(scope="module")
def docs():
    return {(d["kind"], d["metadata"]["name"]): d for d in load_manifests()}


@pytest.fixture(scope="module")
def values():
    return yaml.safe_load((CHART_DIR / "values.yaml").read_text())


@pytest.fixture(scope="module")
def pod(docs):
    return docs["Deployment", "tabular-api"]["spec"]["template"]


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """The phase 2 service itself (no artifact needed to list its routes and metrics)."""
    folder = tmp_path_factory.mktemp("none")
    return create_app(TabularSettings(artifact_dir=str(folder / "model"), prediction_log=""))


def _subset(small, big):
    return all(big.get(k) == v for k, v in small.items())


def test_selectors_match_the_pod_labels(docs, pod):
    labels = pod["metadata"]["labels"]
    deployment = docs["Deployment", "tabular-api"]
    assert _subset(deployment["spec"]["selector"]["matchLabels"], labels)
    assert docs["Rollout", "tabular-api"]["spec"]["selector"] == deployment["spec"]["selector"]
    for name in ("tabular-api", "tabular-api-canary"):
        assert _subset(docs["Service", name]["spec"]["selector"], labels)


def test_ports_line_up_from_ingress_to_container(docs, pod):
    container_ports = {p["name"]: p["containerPort"] for p in pod["spec"]["containers"][0]["ports"]}
    for name in ("tabular-api", "tabular-api-canary"):
        for port in docs["Service", name]["spec"]["ports"]:
            assert port["targetPort"] in container_ports
    path = docs["Ingress", "tabular-api"]["spec"]["rules"][0]["http"]["paths"][0]
    backend = path["backend"]["service"]
    service_ports = [p["name"] for p in docs["Service", backend["name"]]["spec"]["ports"]]
    assert backend["port"]["name"] in service_ports
    annotations = pod["metadata"]["annotations"]
    assert int(annotations["prometheus.io/port"]) == container_ports["http"]


def test_probes_hit_routes_the_service_really_has(pod, app):
    routes = {r.path for r in app.routes if "GET" in getattr(r, "methods", set())}
    container = pod["spec"]["containers"][0]
    probes = {
        k: container[k]["httpGet"] for k in ("startupProbe", "readinessProbe", "livenessProbe")
    }
    assert probes["livenessProbe"]["path"] == "/healthz"
    assert probes["readinessProbe"]["path"] == probes["startupProbe"]["path"] == "/readyz"
    for probe in probes.values():
        assert probe["path"] in routes and probe["port"] == "http"
    assert annotations_path(pod) in routes


def annotations_path(pod):
    return pod["metadata"]["annotations"]["prometheus.io/path"]


def test_the_container_matches_the_dockerfile(pod, values):
    text = DOCKERFILE.read_text()
    container = pod["spec"]["containers"][0]
    assert f"EXPOSE {container['ports'][0]['containerPort']}" in text
    uid = re.search(r"useradd .*--uid (\d+)", text).group(1)
    assert pod["spec"]["securityContext"]["runAsUser"] == int(uid)
    grace = re.search(r'"--timeout-graceful-shutdown", "(\d+)"', text).group(1)
    assert container["args"][container["args"].index("--timeout-graceful-shutdown") + 1] == grace
    assert "phase2_tabular.tabular_api.app:create_app" in container["args"]
    # SIGTERM comes after preStop; the kubelet kills at the grace period's end.
    assert pod["spec"]["terminationGracePeriodSeconds"] > (
        values["preStopSleepSeconds"] + values["gracefulShutdownSeconds"]
    )
    logs = next(m for m in container["volumeMounts"] if m["name"] == "logs")["mountPath"]
    assert "mkdir -p /app/logs" in text and logs == "/app/logs"


def test_environment_variables_are_settings_the_service_reads(pod):
    fields = {f"TABULAR_{name.upper()}" for name in TabularSettings.model_fields}
    for env in pod["spec"]["containers"][0]["env"]:
        assert env["name"] in fields


def test_autoscaler_rollout_deployment_and_services_reference_each_other(docs):
    rollout = docs["Rollout", "tabular-api"]
    target = docs["HorizontalPodAutoscaler", "tabular-api"]["spec"]["scaleTargetRef"]
    assert (target["kind"], target["name"]) == ("Rollout", "tabular-api")
    assert ("Deployment", rollout["spec"]["workloadRef"]["name"]) in docs
    canary = rollout["spec"]["strategy"]["canary"]
    assert ("Service", canary["canaryService"]) in docs
    assert ("Service", canary["stableService"]) in docs
    assert ("Ingress", canary["trafficRouting"]["nginx"]["stableIngress"]) in docs


def test_rollout_steps_are_the_policy_steps_each_paused_then_analysed(docs):
    steps = docs["Rollout", "tabular-api"]["spec"]["strategy"]["canary"]["steps"]
    weights = [s["setWeight"] for s in steps if "setWeight" in s]
    assert tuple(weights) == policy.CANARY_STEPS
    kinds = [next(iter(s)) for s in steps]
    assert kinds == ["setWeight", "pause", "analysis"] * len(weights)
    template = docs["AnalysisTemplate", "tabular-api-canary"]
    declared = {a["name"] for a in template["spec"]["args"]}
    for step in steps:
        if "analysis" in step:
            name = step["analysis"]["templates"][0]["templateName"]
            assert ("AnalysisTemplate", name) in docs
            assert {a["name"] for a in step["analysis"]["args"]} == declared


def test_analysis_thresholds_and_queries_are_the_policy_and_promql_module(docs, values):
    metrics = {
        m["name"]: m for m in docs["AnalysisTemplate", "tabular-api-canary"]["spec"]["metrics"]
    }
    expected = analysis_queries(ARGO_CANARY, ARGO_STABLE, values["analysis"]["window"])
    assert {n: m["provider"]["prometheus"]["query"] for n, m in metrics.items()} == expected
    assert metrics["success-rate"]["successCondition"] == f"result[0] >= {policy.SUCCESS_RATE_MIN}"
    assert metrics["latency-p99"]["successCondition"] == f"result[0] <= {policy.P99_LATENCY_MAX_S}"
    assert metrics["prediction-psi"]["successCondition"] == f"result[0] <= {policy.PSI_MAX}"
    for query in expected.values():
        for arg in re.findall(r"\{\{args\.([a-z-]+)\}\}", query):
            assert arg in {
                a["name"] for a in docs["AnalysisTemplate", "tabular-api-canary"]["spec"]["args"]
            }


def test_queried_metrics_and_routes_exist_in_the_service(app):
    families = {
        f.name: f.type
        for f in text_string_to_metric_families(
            generate_latest(app.state.metrics_registry).decode()
        )
    }
    assert families["http_requests"] == "counter"
    assert families["http_request_duration_seconds"] == "histogram"
    assert families["tabular_predictions"] == "counter"
    predict_routes = [r.path for r in app.routes if r.path.startswith("/predict")]
    assert sorted(predict_routes) == ["/predict", "/predict/batch"]
