"""Run untrusted Python in a separate process with hard limits.

Limits come from the kernel, not from the code being run: CPU seconds, address space, the size
of any file written, and the number of processes (rlimits), plus a wall-clock deadline that
kills the whole process group. The process has no network (a fresh network namespace with only
a loopback that is down), runs in an empty temporary directory, with an empty environment, and
as an unprivileged user when started as root (root ignores the process-count limit).
If no network namespace can be made, the sandbox refuses to run rather than run unconfined.
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass

NOBODY = 65534


class SandboxUnavailable(RuntimeError):
    """The isolation the sandbox promises cannot be set up on this machine."""


@dataclass(frozen=True)
class Limits:
    """Resource limits of one sandboxed run."""

    cpu_seconds: int = 2
    wall_seconds: float = 5.0
    memory_bytes: int = 256 * 2**20
    file_bytes: int = 1 * 2**20
    processes: int = 8
    output_bytes: int = 64 * 2**10


@dataclass(frozen=True)
class SandboxResult:
    """What happened: exit code, captured output (truncated), and why it was stopped."""

    exit_code: int
    stdout: str
    stderr: str
    stopped_by: str | None  # "wall-clock", "cpu", "file-size", "signal N" or None
    seconds: float

    @property
    def ok(self) -> bool:
        return self.exit_code == 0 and self.stopped_by is None


def python_interpreter() -> str:
    """A system Python the unprivileged sandbox user can execute."""
    for candidate in ("/usr/bin/python3", "/usr/local/bin/python3"):
        if os.access(candidate, os.X_OK):
            return candidate
    found = shutil.which("python3")
    if not found:
        raise SandboxUnavailable("no python3 interpreter found for the sandbox")
    return found


def isolation_prefix() -> list[str]:
    """The command prefix that drops the network (and privileges when root)."""
    unshare = shutil.which("unshare")
    if unshare is None:
        raise SandboxUnavailable("`unshare` (util-linux) is needed for a network-less sandbox")
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            raise SandboxUnavailable("`setpriv` (util-linux) is needed to drop root")
        return [
            unshare,
            "--net",
            "--",
            setpriv,
            f"--reuid={NOBODY}",
            f"--regid={NOBODY}",
            "--clear-groups",
            "--",
        ]
    return [unshare, "--map-root-user", "--net", "--"]


def run_python(code: str, limits: Limits | None = None) -> SandboxResult:
    """Execute `code` with `python3 -I -S` under the limits; never raises for what it does."""
    limits = limits or Limits()
    prefix = isolation_prefix()
    workdir = tempfile.mkdtemp(prefix="sandbox-")
    try:
        if os.geteuid() == 0:
            os.chown(workdir, NOBODY, NOBODY)
        script = os.path.join(workdir, "main.py")
        with open(script, "w", encoding="utf-8") as fh:
            fh.write(code)
        if os.geteuid() == 0:
            os.chown(script, NOBODY, NOBODY)
        cmd = [*prefix, python_interpreter(), "-I", "-S", script]
        return _run(cmd, workdir, limits)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _run(cmd: list[str], workdir: str, limits: Limits) -> SandboxResult:
    def apply_limits() -> None:
        resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 1))
        resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
        resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_bytes, limits.file_bytes))
        resource.setrlimit(resource.RLIMIT_NPROC, (limits.processes, limits.processes))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd,
        cwd=workdir,
        env={"PATH": "/usr/bin:/bin", "HOME": workdir},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=apply_limits,
        start_new_session=True,
    )
    stopped_by = None
    try:
        out, err = proc.communicate(timeout=limits.wall_seconds)
    except subprocess.TimeoutExpired:
        stopped_by = "wall-clock"
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
    finally:
        # Children that escaped into the background die with the group.
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    code = proc.returncode
    if stopped_by is None and code < 0:
        sig = -code
        stopped_by = {
            signal.SIGXCPU: "cpu",
            signal.SIGKILL: "cpu",
            signal.SIGXFSZ: "file-size",
        }.get(signal.Signals(sig), f"signal {sig}")
    cap = limits.output_bytes
    return SandboxResult(
        code,
        out[:cap].decode(errors="replace"),
        err[:cap].decode(errors="replace"),
        stopped_by,
        time.perf_counter() - start,
    )
