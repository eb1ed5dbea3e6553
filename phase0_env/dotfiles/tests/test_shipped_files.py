"""The shipped dotfiles parse in the tools that read them."""

import json
import shutil
import subprocess

import pytest

from phase0_env.dotfiles.links import FILES_DIR


def test_bashrc_is_valid_bash_and_defines_its_helpers(tmp_path):
    assert subprocess.run(["bash", "-n", FILES_DIR / "bashrc"]).returncode == 0
    out = subprocess.run(
        [
            "bash",
            "--rcfile",
            str(FILES_DIR / "bashrc"),
            "-i",
            "-c",
            "type -t activate; echo $HISTSIZE",
        ],
        capture_output=True,
        text=True,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "TERM": "dumb"},
        timeout=30,
    )
    assert out.stdout.split() == ["function", "100000"], out.stderr


@pytest.mark.skipif(shutil.which("zsh") is None, reason="zsh is not installed here")
def test_zshrc_is_valid_zsh():
    assert subprocess.run(["zsh", "-n", FILES_DIR / "zshrc"]).returncode == 0


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed here")
def test_gitconfig_parses_in_git():
    out = subprocess.run(
        ["git", "config", "--file", FILES_DIR / "gitconfig", "--list"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "init.defaultbranch=main" in out.stdout and "pull.rebase=true" in out.stdout
    assert "user.name" not in out.stdout  # identity lives in ~/.gitconfig.local


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed here")
def test_tmux_conf_sources_without_errors(tmp_path):
    sock = str(tmp_path / "tmux.sock")

    def tmux(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["tmux", "-S", sock, *args], capture_output=True, text=True, timeout=30
        )

    # source-file (unlike loading at start-up) reports errors in its exit status.
    assert tmux("-f", "/dev/null", "new-session", "-d").returncode == 0
    try:
        bad = tmp_path / "bad.conf"
        bad.write_text("set -g no-such-option on\n")
        broken = tmux("source-file", str(bad))
        assert broken.returncode != 0 and "no-such-option" in broken.stdout + broken.stderr
        ours = tmux("source-file", str(FILES_DIR / "tmux.conf"))
        assert ours.returncode == 0, ours.stdout + ours.stderr
        assert "100000" in tmux("show-options", "-g", "history-limit").stdout
    finally:
        tmux("kill-server")


def test_vscode_settings_are_strict_json_with_ruff_on_save():
    settings = json.loads((FILES_DIR / "vscode" / "settings.json").read_text())
    assert settings["[python]"]["editor.defaultFormatter"] == "charliermarsh.ruff"
    assert settings["editor.rulers"] == [100]


def test_editorconfig_is_root_and_tabs_makefiles():
    lines = (FILES_DIR / "editorconfig").read_text().splitlines()
    assert "root = true" in lines
    sections = [line for line in lines if line.startswith("[")]
    assert sections[0] == "[*]" and "[Makefile]" in sections
    makefile_block = lines[lines.index("[Makefile]") + 1]
    assert makefile_block == "indent_style = tab"
