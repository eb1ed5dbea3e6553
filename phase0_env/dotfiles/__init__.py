"""Dotfiles (bash, zsh, git, tmux, EditorConfig, VS Code) and an idempotent symlink installer."""
