"""Each gate fails in turn: nothing bad is promoted and the API keeps serving the champion."""

import json
from pathlib import Path
from urllib.parse import urlparse

import pytest

from phase5_mlops.registry.model_registry import TabularRegistry
from phase5_mlops.retraining_pipeline import steps
from phase5_mlops.retraining_pipeline.pipeline import RetrainConfig, run_nightly

KEY = {"X-API-Key": "k"}


def _served(client) -> dict:
    assert client.post("/admin/reload", headers=KEY).status_code == 200
    return client.get("/model").json()


def _registry(base) -> TabularRegistry:
    return TabularRegistry(base["name"], uri=base["tracking_uri"], artifacts=base["artifact_root"])


@pytest.mark.parametrize(
    ("fault", "failed_gate"),
    [
        ({"corrupt_rows": 5}, "contract"),
        ({"drift": 1.0}, "drift"),
        ({"label_noise": 0.5}, "quality"),
    ],
    ids=["contract_violation", "drift", "worse_metrics"],
)
def test_a_failing_gate_registers_nothing_and_the_champion_keeps_serving(
    bootstrapped, serving, fault, failed_gate
):
    registry = _registry(bootstrapped)
    client = serving(bootstrapped["name"])
    before, served_before = registry.resolve("champion"), _served(client)
    versions_before = len(registry.versions())

    report = run_nightly(RetrainConfig(day=5, **bootstrapped, **fault))

    assert report.outcome == "rejected" and report.failed_gate == failed_gate
    assert [g["passed"] for g in report.gates][-1] is False
    assert all(g["passed"] for g in report.gates[:-1])
    assert report.champion_before == report.champion_after == before
    assert registry.resolve("champion") == before
    assert len(registry.versions()) == versions_before  # nothing registered
    served = _served(client)
    assert served["model_sha256"] == served_before["model_sha256"]
    assert served["served_from"]["version"] == before
    folder = Path(bootstrapped["runs_dir"]) / report.run_id
    saved = json.loads((folder / "report.json").read_text())
    assert saved["outcome"] == "rejected" and saved["failed_gate"] == failed_gate
    assert f"| {failed_gate} | **no** |" in (folder / "report.md").read_text()


def test_a_failed_serving_check_rolls_back_to_the_previous_champion(
    bootstrapped, serving, monkeypatch
):
    registry = _registry(bootstrapped)
    client = serving(bootstrapped["name"])
    before, served_before = registry.resolve("champion"), _served(client)
    real_register = steps.register

    def register_then_corrupt(registry, artifact_dir, reason):
        # The store loses the bytes after registration: every earlier gate still passes.
        version = real_register(registry, artifact_dir, reason)
        uri = registry.client.get_model_version_download_uri(registry.name, version)
        stored = Path(urlparse(uri).path)  # a file:// URI in a local store
        next(stored.rglob("model.joblib")).write_bytes(b"truncated upload")
        return version

    monkeypatch.setattr(steps, "register", register_then_corrupt)
    report = run_nightly(RetrainConfig(day=6, **bootstrapped))

    assert report.outcome == "rolled_back" and report.failed_gate == "serving"
    assert [g["name"] for g in report.gates] == ["contract", "drift", "quality", "serving"]
    assert "sha256" in report.gates[-1]["message"]
    assert report.champion_after == before == registry.resolve("champion")
    champion_moves = [
        (e.action, e.previous, e.version) for e in registry.history() if e.alias == "champion"
    ]
    new = report.challenger_version
    assert champion_moves[-2:] == [("promote", before, new), ("rollback", new, before)]
    assert registry.history_problems() == []
    assert _served(client)["model_sha256"] == served_before["model_sha256"]


def test_a_clean_night_promotes_and_the_api_follows(bootstrapped, serving):
    registry = _registry(bootstrapped)
    client = serving(bootstrapped["name"])
    before = registry.resolve("champion")

    report = run_nightly(RetrainConfig(day=7, **bootstrapped))

    assert report.outcome == "promoted", report.to_dict()
    assert [g["name"] for g in report.gates] == ["contract", "drift", "quality", "serving"]
    assert all(g["passed"] for g in report.gates)
    new = report.challenger_version
    assert new != before and registry.resolve("champion") == new == report.champion_after
    served = _served(client)
    assert served["served_from"]["version"] == new
    assert served["model_sha256"] == registry.version_tags(new)["card.model_sha256"]
    quality = report.gates[2]["detail"]
    assert quality["champion_version"] == before
    assert quality["challenger"] >= quality["champion"] - quality["margin"]
