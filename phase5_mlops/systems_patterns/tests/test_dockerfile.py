"""The image runs as a non-root user, probes health with a prediction, and copies what exists."""

from pathlib import Path

HERE = Path(__file__).resolve().parents[1]
# The build context: the repository root here; the project itself in a `roadmap new` copy.
ROOT = HERE if (HERE / "pyproject.toml").exists() else HERE.parents[1]


def instructions():
    text = (HERE / "Dockerfile").read_text().replace("\\\n", " ")
    return [line.split(None, 1) for line in text.splitlines() if line and not line.startswith("#")]


def test_non_root_healthcheck_and_graceful_command():
    steps = instructions()
    kinds = [k for k, _ in steps]
    assert kinds.index("USER") < kinds.index("CMD")
    assert dict(steps)["USER"].strip() != "root"
    assert 'server", "--check"' in dict(steps)["HEALTHCHECK"]
    assert '"0.0.0.0"' in dict(steps)["CMD"]


def test_every_copied_source_is_in_the_repository_except_the_trained_artifact():
    for kind, rest in instructions():
        if kind == "COPY":
            source = rest.split()[0]
            assert source.startswith("artifacts/") or (ROOT / source).exists(), source
