"""The Dockerfile follows the house rules; the systemd unit and cloud-init file are deployable."""

import configparser
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

import phase0_env.hello_service as service_package
from phase0_env.hello_service.dockerfile_rules import (
    build_context,
    dockerfile_problems,
    parse_dockerfile,
    service_dockerfile,
)

# Found through the package, so these tests also run in a `roadmap new` starter.
HERE = Path(service_package.__file__).resolve().parent
DOCKERFILE_PATH = service_dockerfile(HERE)
DOCKERFILE = DOCKERFILE_PATH.read_text()
UNIT_TEXT = (HERE / "deploy" / "hello.service").read_text()


def _unit() -> configparser.ConfigParser:
    # systemd allows repeated keys (ExecStartPre); strict=False keeps the last one.
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read_string(UNIT_TEXT)
    return parser


def test_our_dockerfile_breaks_no_rule():
    assert dockerfile_problems(DOCKERFILE) == []


def test_our_dockerfile_runs_the_factory_as_non_root_with_a_python_healthcheck():
    instructions = parse_dockerfile(DOCKERFILE)
    assert instructions[0] == ("FROM", "python:3.11-slim")
    assert ("USER", "app") in instructions
    health = next(args for kw, args in instructions if kw == "HEALTHCHECK")
    assert "urllib.request" in health and "/healthz" in health
    cmd = next(args for kw, args in instructions if kw == "CMD")
    assert "--factory" in cmd and "phase0_env.hello_service.app:create_app" in cmd


def test_every_copied_path_exists_in_the_build_context():
    root = build_context(DOCKERFILE_PATH.parent)
    copied = [args.split()[:-1] for kw, args in parse_dockerfile(DOCKERFILE) if kw == "COPY"]
    assert copied
    for sources in copied:
        for source in sources:
            assert (root / source).exists(), f"COPY {source}: not in the build context {root}"


@pytest.mark.parametrize(
    ("dockerfile", "problem"),
    [
        ("FROM python:3.11\nUSER app\nHEALTHCHECK CMD true\nCMD x", "not slim"),
        ("FROM python:3.11-slim\nHEALTHCHECK CMD true\nCMD x", "no USER"),
        ("FROM python:3.11-slim\nUSER app\nUSER root\nHEALTHCHECK CMD true\nCMD x", "run as root"),
        ("FROM python:3.11-slim\nUSER app\nCMD x", "no HEALTHCHECK"),
        ("FROM python:3.11-slim\nUSER app\nHEALTHCHECK NONE\nCMD x", "no HEALTHCHECK"),
        ("FROM python:3.11-slim\nUSER app\nHEALTHCHECK CMD true", "no CMD"),
        (
            "FROM python:3.11-slim\nADD https://x.io/a.tgz /a\nUSER app\n"
            "HEALTHCHECK CMD true\nCMD x",
            "ADD from a URL",
        ),
        (
            "FROM python:3.11-slim AS b\nUSER app\nFROM python:3.11-slim\nHEALTHCHECK CMD t\nCMD x",
            "no USER",
        ),
    ],
    ids=[
        "fat-base",
        "no-user",
        "root-last",
        "no-healthcheck",
        "healthcheck-none",
        "no-cmd",
        "add-url",
        "user-only-in-build-stage",
    ],
)
def test_the_linter_flags_each_broken_rule(dockerfile, problem):
    problems = dockerfile_problems(dockerfile)
    assert any(problem in p for p in problems), problems


def test_the_parser_joins_continuations_and_drops_comments():
    text = '# c\nRUN a \\\n  # inside\n  b\nCMD ["x"]\n'
    assert parse_dockerfile(text) == [("RUN", "a b"), ("CMD", '["x"]')]


def test_systemd_unit_has_the_required_keys():
    unit = _unit()
    assert (
        "docker.service" in unit["Unit"]["After"] and unit["Unit"]["Requires"] == "docker.service"
    )
    service = unit["Service"]
    assert service["Restart"] in {"always", "on-failure"}
    assert int(service["RestartSec"]) > 0
    assert service["ExecStart"].startswith("/usr/bin/docker run --rm --name hello")
    assert "--env-file /etc/hello/hello.env" in service["ExecStart"]
    assert service["ExecStop"].startswith("/usr/bin/docker stop")
    assert unit["Install"]["WantedBy"] == "multi-user.target"


def test_unit_stops_the_container_before_systemd_gives_up():
    service = _unit()["Service"]
    docker_grace = int(service["ExecStop"].split("--time")[1].split()[0])
    assert docker_grace < int(service["TimeoutStopSec"])


def test_cloud_init_installs_docker_and_enables_the_exact_unit():
    text = (HERE / "deploy" / "cloud-init.yaml").read_text()
    assert text.startswith("#cloud-config\n")
    config = yaml.safe_load(text)
    assert "docker.io" in config["packages"]
    files = {f["path"]: f for f in config["write_files"]}
    assert files["/etc/systemd/system/hello.service"]["content"] == UNIT_TEXT
    assert files["/etc/hello/hello.env"]["permissions"] == "0600"  # it holds the API keys
    assert "HELLO_API_KEYS=" in files["/etc/hello/hello.env"]["content"]
    runcmd = " ; ".join(c if isinstance(c, str) else " ".join(c) for c in config["runcmd"])
    assert "systemctl enable --now docker" in runcmd
    assert "systemctl enable --now hello.service" in runcmd
    assert runcmd.index("daemon-reload") < runcmd.index("enable --now hello.service")


def _systemd_verify(unit: Path) -> list[str]:
    """systemd-analyze's complaints, less those about docker being absent on this machine."""
    out = subprocess.run(
        ["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, timeout=60
    )
    lines = (out.stdout + out.stderr).splitlines()
    return [line for line in lines if line.strip() and "docker" not in line]


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze here")
def test_systemd_analyze_finds_nothing_wrong_with_the_unit(tmp_path):
    unit = tmp_path / "hello.service"
    unit.write_text(UNIT_TEXT)
    assert _systemd_verify(unit) == []
    broken = tmp_path / "broken.service"
    broken.write_text(UNIT_TEXT.replace("RestartSec=5", "RestartSec=5\nRestartz=always"))
    assert any("Unknown key" in line and "Restartz" in line for line in _systemd_verify(broken))
