"""The Dockerfile is slim, runs as a non-root user, has a HEALTHCHECK and starts our factory."""

from pathlib import Path

DOCKERFILE = Path(__file__).resolve().parents[1] / "Dockerfile"


def _instructions():
    text = DOCKERFILE.read_text().replace("\\\n", " ")
    return [line.strip() for line in text.splitlines() if line.strip() and line[0] != "#"]


def test_image_is_slim_non_root_and_health_checked():
    lines = _instructions()
    assert lines[0].startswith("FROM python:") and lines[0].endswith("-slim")
    users = [line.split()[1] for line in lines if line.startswith("USER ")]
    assert users and users[-1] not in {"root", "0"}
    health = [line for line in lines if line.startswith("HEALTHCHECK")]
    assert health and "/readyz" in health[0]


def test_image_serves_the_app_factory_and_ships_the_artifact():
    text = DOCKERFILE.read_text()
    assert "phase2_tabular.tabular_api.app:create_app" in text and "--factory" in text
    assert "COPY artifacts/phase2_tabular/model" in text
    assert "scikit-learn==1.9.*" in text  # the loader refuses another minor release
