"""The KubeRay manifests are well-formed and point at this milestone's real entry point."""

import importlib
import shlex
from pathlib import Path

import yaml

from phase5_mlops import scale_out
from phase5_mlops.scale_out.job import parse_args

DEPLOY = Path(scale_out.__file__).resolve().parent / "deploy"  # also in a copied-out starter


def _containers(cluster_spec):
    groups = [cluster_spec["headGroupSpec"], *cluster_spec["workerGroupSpecs"]]
    return [c for g in groups for c in g["template"]["spec"]["containers"]]


def test_raycluster_and_rayjob_have_the_kuberay_shape():
    cluster = yaml.safe_load((DEPLOY / "raycluster.yaml").read_text())
    job = yaml.safe_load((DEPLOY / "rayjob.yaml").read_text())
    assert (cluster["apiVersion"], cluster["kind"]) == ("ray.io/v1", "RayCluster")
    assert (job["apiVersion"], job["kind"]) == ("ray.io/v1", "RayJob")
    import ray

    for spec in (cluster["spec"], job["spec"]["rayClusterSpec"]):
        assert spec["rayVersion"] == ray.__version__  # the image's ray must match
        for container in _containers(spec):
            assert container["resources"]["limits"] and container["resources"]["requests"]
            assert {"name": "OMP_NUM_THREADS", "value": "1"} in container["env"]
        for group in spec["workerGroupSpecs"]:
            assert group["minReplicas"] <= group["replicas"] <= group["maxReplicas"]


def test_the_rayjob_entrypoint_is_this_milestones_job_with_valid_options():
    job = yaml.safe_load((DEPLOY / "rayjob.yaml").read_text())
    argv = shlex.split(job["spec"]["entrypoint"])
    assert argv[:3] == ["python", "-m", "phase5_mlops.scale_out.job"]
    assert callable(importlib.import_module(argv[2]).main)
    args = parse_args(argv[3:])
    assert args.configs == 64 and args.rows == 10_000_000 and str(args.out) == "/data/scale_out"
    mounts = job["spec"]["rayClusterSpec"]["headGroupSpec"]["template"]["spec"]["containers"][0]
    assert any(args.out.is_relative_to(m["mountPath"]) for m in mounts["volumeMounts"])
