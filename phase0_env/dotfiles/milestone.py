from phase0_env.common.registry import Milestone

MILESTONE = Milestone(
    id="phase0_env.dotfiles",
    title="Dotfiles and an idempotent symlink installer",
    claim="bash/zsh/git/tmux/EditorConfig/VS Code dotfiles; the installer is idempotent, "
    "backs up what it replaces, restores it exactly on uninstall, and a dry run touches nothing",
    reference="behaviour checks",
    demo="phase0_env.dotfiles.demo:main",
    parity="phase0_env.dotfiles.parity:checks",
    bench="phase0_env.dotfiles.bench:run",
    requirements=(),
)
