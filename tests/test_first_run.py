"""The first run on a fresh clone: a read-only tree, system programs found or skipped with a
summary (a failure in CI), and the demo runner's time table."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from phase0_env import first_run
from phase0_env.common import sysprogs
from phase0_env.common.outputs import WRITE_DOCS_ENV, study_dir, study_output
from phase0_env.common.registry import Milestone, all_milestones

ROOT = Path(__file__).resolve().parents[1]


def _ignored(path: Path) -> bool:
    done = subprocess.run(["git", "check-ignore", "-q", str(path)], cwd=ROOT, timeout=60)
    return done.returncode == 0


@pytest.mark.parametrize("milestone", all_milestones(), ids=lambda m: m.id)
def test_study_output_is_git_ignored_unless_docs_are_asked_for(milestone, monkeypatch):
    monkeypatch.delenv(WRITE_DOCS_ENV, raising=False)
    out = study_dir(milestone.folder) / "result.md"
    assert out.is_relative_to(ROOT / "artifacts") and _ignored(out)
    monkeypatch.setenv(WRITE_DOCS_ENV, "1")
    docs = study_dir(milestone.folder) / "result.md"
    assert docs == milestone.folder / "docs" / "result.md" and not _ignored(docs)


def test_study_output_creates_its_folder(tmp_path, monkeypatch):
    monkeypatch.delenv(WRITE_DOCS_ENV, raising=False)
    out = study_output(tmp_path / "phase9_x" / "m", "plot.png")
    assert out == tmp_path / "artifacts" / "phase9_x" / "m" / "plot.png" and out.parent.is_dir()


# Writers of a milestone's docs/ outside `study_output`, each guarded by an explicit request.
EXPLICIT_DOCS_WRITERS = {
    "phase0_env/common/outputs.py",  # the helper itself
    # `python -m phase6_tracks.ann_search.sweep`: the sweep study, an explicit command only.
    "phase6_tracks/ann_search/sweep.py",
    # writes docs/ and its README only when write_docs_enabled() (--write-docs).
    "phase5_mlops/closed_loop/demo.py",
}
DOCS_PATH = re.compile(r"""(/\s*["']docs["']|with_name\(\s*["']docs["']\s*\))""")


def test_no_module_writes_into_a_docs_folder_behind_the_helper():
    offenders = []
    for path in sorted(ROOT.glob("phase*_*/**/*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if "/tests/" in rel or "/skeleton/" in rel or rel in EXPLICIT_DOCS_WRITERS:
            continue
        if DOCS_PATH.search(path.read_text(encoding="utf-8")):
            offenders.append(rel)
    assert not offenders, f"use phase0_env.common.outputs.study_output in: {offenders}"


@pytest.fixture
def scratch_repo(tmp_path, monkeypatch):
    """A git repository with one tracked file and an ignored artifacts/ folder, as cwd."""
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "tracked.md").write_text("committed\n")
    (tmp_path / ".gitignore").write_text("artifacts/\nreports/\n")
    subprocess.run(["git", "add", "."], cwd=tmp_path, check=True)
    subprocess.run([*git, "commit", "-qm", "init"], cwd=tmp_path, check=True)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_demo_runner_fails_a_step_that_changes_the_tree_and_times_every_step(
    scratch_repo, monkeypatch, capsys
):
    def fake_step(args, log):
        log.write_text(f"output of {args}\n")
        if args[1] == "phase9_x.writes_docs":
            (scratch_repo / "tracked.md").write_text("overwritten by a demo\n")
        else:
            (scratch_repo / "artifacts").mkdir(exist_ok=True)
            (scratch_repo / "artifacts" / f"{args[1]}.md").write_text("fine\n")
        return 0, 2.0, 1.5

    monkeypatch.setattr(first_run, "_timed", fake_step)
    fakes = [
        Milestone(f"phase9_x.{n}", "t", "c", "r", "m:f", "m:f", "m:f")
        for n in ("clean", "writes_docs")
    ]
    times = first_run.run_demos(fakes, scratch_repo / "reports")
    assert [t.ok for t in times] == [True, False]
    assert times[1].changed == [" M tracked.md"]
    console = capsys.readouterr().out
    assert "[ 1/2] phase9_x.clean" in console and "changed the tree" in console
    table = json.loads((scratch_repo / "reports" / "demo_times.json").read_text())
    assert [s["demo_wall_s"] for s in table["steps"]] == [2.0, 2.0]
    md = (scratch_repo / "reports" / "demo_times.md").read_text()
    assert "| phase9_x.clean | 15 | 2.0 | 1.5 | 2.0 | 1.5 | ok |" in md
    assert (scratch_repo / "reports" / "logs" / "phase9_x.clean.demo.log").exists()


def test_a_step_over_budget_on_both_clocks_is_reported():
    step = first_run.StepTime("m", budget_s=10.0, demo_ok=True, demo_wall_s=30, demo_cpu_s=12)
    assert first_run._verdict(step) == "over budget"
    step.demo_cpu_s = 8.0  # a busy machine: wall time grew, CPU time stayed in budget
    assert first_run._verdict(step) == "ok"


# Skip reasons the repository's tests give today for a missing program, and others.
MISSING = [
    "redis-server is not installed (apt-get install redis-server)",
    "PostgreSQL is not installed (initdb, pg_ctl not found; make setup)",
    "running as root and runuser is missing: cannot start PostgreSQL",
    "promtool is absent, so the rules cannot be checked: x",
    "prometheus is not installed (apt-get install prometheus)",
    "promtool not installed",
    "chromium is not installed (make setup)",
]
OTHER = ["zsh is not installed here", "needs the roadmap's milestones (a copied-out starter)"]


def test_skip_reasons_for_missing_programs_are_recognised():
    assert all(sysprogs.MISSING_PROGRAM.search(r) for r in MISSING)
    assert not any(sysprogs.MISSING_PROGRAM.search(r) for r in OTHER)


@pytest.mark.parametrize("ci", ["", "true"])
def test_make_test_summarises_missing_program_skips_and_ci_fails_on_them(tmp_path, ci):
    (tmp_path / "test_x.py").write_text(
        "import pytest\n"
        "def test_needs_redis():\n"
        f"    pytest.skip({MISSING[0]!r})\n"
        "def test_other():\n"
        f"    pytest.skip({OTHER[0]!r})\n"
    )
    # Only the root conftest as a plugin: no pyproject options, the tmp folder as rootdir.
    isolated = ["-c", os.devnull, "--rootdir", str(tmp_path), "-p", "no:cacheprovider", "-q"]
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "conftest", str(tmp_path), *isolated],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "CI": ci},
    )
    assert "skipped: a system program is missing" in done.stdout
    summary = done.stdout.split("skipped: a system program is missing")[1]
    assert "1 test(s): redis-server is not installed" in summary and "zsh" not in summary
    assert done.returncode == (1 if ci else 0), done.stdout[-2000:]


def test_find_program_looks_beyond_path(tmp_path, monkeypatch):
    binary = tmp_path / "redis-server"
    binary.write_text("#!/bin/sh\n")
    binary.chmod(0o755)
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.setattr(sysprogs, "extra_dirs", lambda: [tmp_path])
    assert sysprogs.find_program("redis-server") == str(binary)
    assert sysprogs.find_program("promtool") is None
    sysprogs.extend_path()
    assert os.environ["PATH"].split(os.pathsep)[-1] == str(tmp_path)


def test_pip_stand_ins_do_not_stop_apt_installing_the_real_program(tmp_path, monkeypatch):
    for name in ("redis-server", "initdb", "pg_ctl"):
        (tmp_path / name).write_text("#!/bin/sh\n")
        (tmp_path / name).chmod(0o755)
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.setattr(sysprogs, "extra_dirs", lambda: [tmp_path])
    assert sysprogs.missing_apt_packages() == [
        "redis-server",
        "prometheus",
        "chromium",
        "postgresql",
        "espeak-ng",
    ]
    assert sysprogs.report()[0] == ("redis-server", str(tmp_path / "redis-server"))
    assert sysprogs.report()[1][1].startswith("missing: its tests are skipped")


@pytest.mark.parametrize(
    ("uid", "sudo_ok", "expected_prefix"),
    [(0, False, []), (1000, True, ["sudo"]), (1000, False, None)],
)
def test_apt_runs_as_root_or_through_passwordless_sudo_else_not_at_all(
    monkeypatch, uid, sudo_ok, expected_prefix
):
    monkeypatch.setattr(os, "geteuid", lambda: uid)
    monkeypatch.setattr(sysprogs.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(
        subprocess, "run", lambda cmd, **kw: subprocess.CompletedProcess(cmd, 0 if sudo_ok else 1)
    )
    commands = sysprogs.install_command(["redis-server"])
    if expected_prefix is None:
        assert commands is None
    else:
        assert commands is not None
        assert commands[0] == [*expected_prefix, "apt-get", "update", "-qq"]
        assert commands[1][: len(expected_prefix) + 1] == [*expected_prefix, "env"]
        assert commands[1][-1] == "redis-server"


def test_set_up_goes_on_when_nothing_can_be_installed(monkeypatch, capsys):
    monkeypatch.setattr(sysprogs, "missing_apt_packages", lambda: ["prometheus"])
    monkeypatch.setattr(sysprogs, "install_command", lambda packages: None)
    assert sysprogs.main(["--install"]) == 0
    out = capsys.readouterr().out
    assert "not installing prometheus" in out and "system programs:" in out


@pytest.mark.parametrize(("env", "waited"), [(None, "0.2 s"), ("1.5", "1.5 s"), ("0.1", "0.2 s")])
def test_ready_timeout_env_raises_the_wait_and_never_shortens_it(
    monkeypatch, tmp_path, env, waited
):
    from phase0_env.common import testing

    # The app's module never finishes importing, so the server never becomes ready.
    (tmp_path / "never_ready.py").write_text("import time\n\ntime.sleep(60)\n")
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    if env is None:
        monkeypatch.delenv(testing.READY_TIMEOUT_ENV, raising=False)
    else:
        monkeypatch.setenv(testing.READY_TIMEOUT_ENV, env)
    with (
        pytest.raises(TimeoutError, match=f"not ready within {waited}"),
        testing.run_uvicorn("never_ready:app", timeout=0.2),
    ):
        pass
