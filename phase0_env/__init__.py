"""Phase 0: the working environment.

Dotfiles, the one-click project template, a hello-world service, and the shared kit
(`phase0_env.common`) that every higher phase builds on.

The phase's milestones, in reading order; each describes itself in its `milestone.py`
(demo, parity checks and benchmark are its `demo.py`, `parity.py` and `bench.py`).
Nothing is imported here.
"""

MILESTONES = (
    "dotfiles",
    "template",
    "hello_service",
)
