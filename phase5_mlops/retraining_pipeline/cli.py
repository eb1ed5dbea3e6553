"""Command line: `python -m phase5_mlops.retraining_pipeline run [--prefect] [--day N] ...`.

Exit status: 0 promoted, 2 rejected by a gate (champion untouched), 3 promoted then rolled
back; the run report's path is printed either way. This is the command cron runs.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import asdict
from pathlib import Path

from phase5_mlops.retraining_pipeline.pipeline import RetrainConfig, run_nightly


def build_parser() -> argparse.ArgumentParser:
    """`run` with one option per `RetrainConfig` field, and `--prefect`."""
    parser = argparse.ArgumentParser(prog="python -m phase5_mlops.retraining_pipeline")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="one nightly run")
    defaults = RetrainConfig()
    for name, value in asdict(defaults).items():
        kind = type(value) if value is not None else str
        run.add_argument(f"--{name.replace('_', '-')}", type=kind, default=value)
    run.add_argument("--prefect", action="store_true", help="run as a Prefect flow")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the pipeline once and print where its report is."""
    args = vars(build_parser().parse_args(sys.argv[1:] if argv is None else argv))
    args.pop("command")
    use_prefect = args.pop("prefect")
    config = RetrainConfig(**args)
    if use_prefect:
        # Without PREFECT_API_URL Prefect starts a temporary local server; on a busy machine
        # its default 20 s start-up limit is too tight.
        os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
        from phase5_mlops.retraining_pipeline.flow import nightly_retraining

        report = nightly_retraining(asdict(config))
        outcome, run_id = report["outcome"], report["run_id"]
    else:
        result = run_nightly(config)
        outcome, run_id = result.outcome, result.run_id
    folder = Path(config.runs_dir) / run_id
    print(json.dumps({"outcome": outcome, "report": str(folder / "report.md")}))
    return {"promoted": 0, "rejected": 2, "rolled_back": 3}.get(outcome, 1)
