"""Repository-wide pytest set-up: offline model hubs and the hypothesis profiles."""

import os

from hypothesis import HealthCheck, settings

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
# Triton's interpreter (no GPU) must be chosen before any test module imports a library that
# imports triton; the systems_kernels milestone owns that choice.
from phase6_tracks.systems_kernels.interpreter import use_interpreter_without_gpu

use_interpreter_without_gpu()

# ci: repeatable (derandomized) and free of wall-clock deadlines on a slow machine.
settings.register_profile(
    "ci",
    derandomize=True,
    deadline=None,
    max_examples=50,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", deadline=None, max_examples=200)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


# --- system programs and a read-only tree -------------------------------------------------
# Tests find redis-server and PostgreSQL where pip stand-ins or Debian keep them, too.
from phase0_env.common import sysprogs  # noqa: E402

sysprogs.extend_path()
_MISSING: list[tuple[str, str]] = []
_TREE_BEFORE: list[str] = []


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _tracked_changes() -> list[str]:
    """`git status --porcelain` of tracked files (empty outside a git checkout)."""
    import subprocess

    try:
        out = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=os.path.dirname(os.path.abspath(__file__)),
        )
    except (OSError, subprocess.SubprocessError):
        return []
    return out.stdout.splitlines() if out.returncode == 0 else []


def pytest_sessionstart(session):
    _TREE_BEFORE[:] = _tracked_changes()


def pytest_runtest_logreport(report):
    if report.skipped and isinstance(report.longrepr, tuple):
        reason = str(report.longrepr[2]).removeprefix("Skipped: ")
        if sysprogs.MISSING_PROGRAM.search(reason):
            _MISSING.append((report.nodeid, reason))


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    write = terminalreporter.write_line
    if _MISSING:
        terminalreporter.section("skipped: a system program is missing")
        reasons: dict[str, int] = {}
        for _, reason in _MISSING:
            reasons[reason] = reasons.get(reason, 0) + 1
        for reason, n in sorted(reasons.items()):
            write(f"{n:4d} test(s): {reason}")
        write("`make setup` installs them as root (or with sudo); see README 'First run'.")
        if _in_ci():
            write("CI: every system program must be present, so these skips fail the run.")
    # Only in CI (a fresh clone): on a shared working tree, others' edits would show up here.
    changed = sorted(set(_tracked_changes()) - set(_TREE_BEFORE)) if _in_ci() else []
    if changed:
        terminalreporter.section("tracked files changed by this test run")
        for line in changed:
            write(line)


def pytest_sessionfinish(session, exitstatus):
    # In CI (a fresh clone) a skipped server test or a tracked file rewritten is a failure.
    if not _in_ci() or exitstatus not in (0, 5):
        return
    if _MISSING or sorted(set(_tracked_changes()) - set(_TREE_BEFORE)):
        session.exitstatus = 1
