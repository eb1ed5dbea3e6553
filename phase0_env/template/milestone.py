from phase0_env.common.registry import Milestone

MILESTONE = Milestone(
    id="phase0_env.template",
    title="One-click project template and milestone starters",
    claim="`roadmap new-project` writes a src-layout package (ruff, mypy, pytest, pre-commit, CI, "
    "Dockerfile) and `roadmap new` copies a milestone out; both install and pass their tests "
    "in a fresh venv",
    reference="behaviour checks",
    demo="phase0_env.template.demo:main",
    parity="phase0_env.template.parity:checks",
    bench="phase0_env.template.bench:run",
    requirements=("pyyaml", "ruff"),  # parity parses the YAML it writes and lints the code
)
