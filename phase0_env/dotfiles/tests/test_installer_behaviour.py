"""The installer in a temporary HOME: dry run, idempotence, backups, exact restore, odd targets."""

import os
from pathlib import Path

import pytest

from phase0_env.dotfiles import installer
from phase0_env.dotfiles.installer import MANIFEST, install, uninstall
from phase0_env.dotfiles.links import FILES_DIR, default_links
from phase0_env.dotfiles.snapshot import make_lived_in_home, tree_snapshot

LINKS = default_links("linux")


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return make_lived_in_home(tmp_path / "home")


def _kinds(actions) -> list[str]:
    return [a.kind for a in actions]


def test_every_shipped_file_is_linked_to_its_target(home):
    install(home, links=LINKS)
    for source, rel in LINKS.items():
        target = home / rel
        assert target.is_symlink() and os.readlink(target) == str(source.resolve())
        assert target.read_bytes() == source.read_bytes()


def test_dry_run_install_touches_nothing_but_reports_the_plan(home):
    before = tree_snapshot(home)
    plan = install(home, links=LINKS, dry_run=True)
    assert tree_snapshot(home) == before
    assert not (home / MANIFEST).exists()
    real = install(home, links=LINKS)
    assert [(a.kind, a.path) for a in plan] == [(a.kind, a.path) for a in real]


def test_second_install_changes_nothing(home):
    install(home, links=LINKS)
    after_first = tree_snapshot(home)
    second = install(home, links=LINKS)
    assert set(_kinds(second)) == {"skip"} and len(second) == len(LINKS)
    assert tree_snapshot(home) == after_first


def test_uninstall_restores_the_original_tree_exactly(home):
    before = tree_snapshot(home)
    install(home, links=LINKS)
    install(home, links=LINKS)
    uninstall(home)
    assert tree_snapshot(home) == before
    assert oct((home / ".bashrc").stat().st_mode & 0o777) == "0o600"


def test_uninstall_into_an_empty_home_leaves_it_empty(tmp_path):
    install(tmp_path, links=LINKS)
    assert (tmp_path / ".config/Code/User/settings.json").is_symlink()
    uninstall(tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_dry_run_uninstall_touches_nothing_and_plans_the_real_steps(home):
    install(home, links=LINKS)
    installed = tree_snapshot(home)
    plan = uninstall(home, dry_run=True)
    assert tree_snapshot(home) == installed
    assert [(a.kind, a.path) for a in plan] == [(a.kind, a.path) for a in uninstall(home)]


def test_broken_symlink_is_backed_up_as_a_link_not_followed(home):
    install(home, links=LINKS)
    (backup,) = home.glob(".tmux.conf.bak-*")
    assert backup.is_symlink() and os.readlink(backup) == str(home / "no-such-file")
    assert not (home / "no-such-file").exists()  # nothing was created at the dangling end


def test_foreign_symlink_target_is_left_untouched(home):
    foreign = home / "dotfiles-elsewhere" / "gitconfig"
    content = foreign.read_text()
    install(home, links=LINKS)
    assert foreign.read_text() == content
    (backup,) = home.glob(".gitconfig.bak-*")
    assert backup.is_symlink() and Path(os.readlink(backup)) == foreign


def test_a_directory_in_the_way_is_backed_up_and_restored(tmp_path):
    (tmp_path / ".editorconfig").mkdir()
    (tmp_path / ".editorconfig" / "inside").write_text("x")
    before = tree_snapshot(tmp_path)
    install(tmp_path, links=LINKS)
    assert (tmp_path / ".editorconfig").is_symlink()
    uninstall(tmp_path)
    assert tree_snapshot(tmp_path) == before


def test_backup_names_are_timestamped_and_numbered_on_collision(home, monkeypatch):
    monkeypatch.setattr(installer.time, "strftime", lambda fmt: "20250101-000000")
    (home / ".bashrc.bak-20250101-000000").write_text("an older backup")
    install(home, links=LINKS)
    assert (home / ".bashrc.bak-20250101-000000").read_text() == "an older backup"
    assert (home / ".bashrc.bak-20250101-000000-1").read_text().startswith("# my old bashrc")


def test_a_link_changed_by_hand_is_kept_on_uninstall(home):
    install(home, links=LINKS)
    (home / ".zshrc").unlink()
    (home / ".zshrc").write_text("my own zshrc\n")
    actions = uninstall(home)
    assert (home / ".zshrc").read_text() == "my own zshrc\n"
    assert any(a.kind == "keep" and a.path == home / ".zshrc" for a in actions)


def test_own_link_from_a_moved_checkout_is_relinked_without_backup(tmp_path):
    old, new, home = tmp_path / "old", tmp_path / "new", tmp_path / "home"
    for folder in (old, new, home):
        folder.mkdir()
    (old / "bashrc").write_text("old\n")
    (new / "bashrc").write_text("new\n")
    install(home, links={old / "bashrc": ".bashrc"})
    (old / "bashrc").unlink()  # the checkout moved: our link is now broken
    actions = install(home, links={new / "bashrc": ".bashrc"})
    assert _kinds(actions) == ["relink"]
    assert (home / ".bashrc").read_text() == "new\n"
    assert not list(home.glob(".bashrc.bak-*"))


def test_a_missing_source_file_is_a_clear_error_before_any_change(tmp_path):
    with pytest.raises(FileNotFoundError, match="dotfile to install is missing"):
        install(tmp_path, links={FILES_DIR / "no-such-dotfile": ".nope"})
    assert list(tmp_path.iterdir()) == []


def test_install_uninstall_install_again_works(home):
    install(home, links=LINKS)
    uninstall(home)
    install(home, links=LINKS)
    assert all((home / rel).is_symlink() for rel in LINKS.values())


def test_vscode_settings_go_to_the_platform_folder():
    assert default_links("darwin")[FILES_DIR / "vscode" / "settings.json"].startswith("Library/")
    assert default_links("linux")[FILES_DIR / "vscode" / "settings.json"] == (
        ".config/Code/User/settings.json"
    )
