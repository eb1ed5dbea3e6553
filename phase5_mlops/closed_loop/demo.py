"""Demo: the closed loop once, on a throwaway registry, with its report printed.

`python -m phase5_mlops.closed_loop [--fault none|errors|slow|shift] [--drift 1.0] [--quick]`.
A champion is bootstrapped, serves drifted traffic, the monitor flags it, the retrained
challenger is registered and canaried against the running champion, then promoted or rolled
back. The report (JSON + markdown) lands in artifacts/phase5_mlops/closed_loop/<run>/ and
with `--write-docs`, the markdown of a full-size run is also copied to docs/run_<fault>.md
(and the healthy run into the README).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from phase0_env.common.outputs import WRITE_DOCS_ENV, write_docs_enabled
from phase5_mlops.closed_loop.fleet import FAULTS
from phase5_mlops.closed_loop.live_stages import LoopConfig
from phase5_mlops.closed_loop.loop import run_closed_loop

DOCS = Path(__file__).with_name("docs")
README = Path(__file__).with_name("README.md")
RUN_START, RUN_END = "<!-- loop-run:start", "<!-- loop-run:end -->"


def main(quick: bool = False, fault: str = "none", drift: float = 1.0) -> int:
    """Run the loop (quick: 2-fold CV, a 200-row window) and print its timeline."""
    config = LoopConfig(
        fault=fault, drift=drift, window=200 if quick else 300, n_splits=2 if quick else 3
    )
    print(f"closed loop: drift {drift}, challenger fault {fault!r} (this takes a minute) ...")
    report, folder = run_closed_loop(config)
    markdown = report.markdown()
    print(markdown)
    print(f"report: {folder / 'report.json'} and {folder / 'report.md'}")
    # The docs keep full-size runs (the healthy one is quoted in the README), on request only.
    if not quick and write_docs_enabled():
        DOCS.mkdir(exist_ok=True)
        (DOCS / f"run_{fault}.md").write_text(markdown)
        if fault == "none" and drift == 1.0:
            embed_in_readme(markdown)
    return report.exit_code


def embed_in_readme(markdown: str, readme: Path = README) -> None:
    """Replace the README's loop-run block with this run's timeline."""
    text = readme.read_text()
    start = text.index(RUN_START)
    start = text.index("\n", start) + 1
    end = text.index(RUN_END)
    readme.write_text(text[:start] + markdown + text[end:])


def cli(argv: list[str] | None = None) -> None:
    """The `python -m phase5_mlops.closed_loop` command line."""
    p = argparse.ArgumentParser(prog="python -m phase5_mlops.closed_loop", description=__doc__)
    p.add_argument(
        "--fault",
        choices=sorted(FAULTS),
        default="none",
        help="fault injected into the challenger (deploy's faults)",
    )
    p.add_argument("--drift", type=float, default=1.0, help="drift of the live traffic (0: none)")
    p.add_argument("--quick", action="store_true", help="smaller window, 2-fold CV")
    p.add_argument("--write-docs", action="store_true", help="copy a full run into docs/")
    args = p.parse_args(argv)
    if args.write_docs:
        os.environ[WRITE_DOCS_ENV] = "1"
    sys.exit(main(quick=args.quick, fault=args.fault, drift=args.drift))
