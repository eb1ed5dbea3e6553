"""`python -m phase0_env.dotfiles install|uninstall [--dry-run] [--home DIR]` end to end."""

import subprocess
import sys

from phase0_env.dotfiles.snapshot import make_lived_in_home, tree_snapshot


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "phase0_env.dotfiles", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_cli_dry_run_install_and_uninstall_round_trip(tmp_path):
    home = make_lived_in_home(tmp_path / "home")
    before = tree_snapshot(home)
    dry = _cli("install", "--dry-run", "--home", str(home))
    assert dry.returncode == 0, dry.stderr
    assert "would backup" in dry.stdout and "planned (dry run)" in dry.stdout
    assert tree_snapshot(home) == before

    first = _cli("install", "--home", str(home))
    assert first.returncode == 0 and (home / ".bashrc").is_symlink()
    again = _cli("install", "--home", str(home))
    assert "install: 0 change(s)" in again.stdout

    undo = _cli("--uninstall", "--home", str(home))
    assert undo.returncode == 0, undo.stderr
    assert tree_snapshot(home) == before


def test_cli_rejects_an_unknown_command():
    out = _cli("explode")
    assert out.returncode == 2 and "invalid choice" in out.stderr
