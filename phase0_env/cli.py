"""`roadmap`: list, run, check and benchmark every milestone of the repository.

roadmap list [--json]               every registered milestone
roadmap run ID [--quick] | --all    a milestone's demo (--write-docs: rewrite its docs/)
roadmap demo [--only PREFIX]        every quick demo + quick bench -> reports/demo_times.md
             [--jobs N] [--write-docs]  (N steps at a time; --write-docs: copy into README)
roadmap parity ID [--json] | --all  its parity checks; exit 1 if any fails
roadmap bench ID [--json] [--quick] its benchmark, also written to reports/bench/ID.json
roadmap report                      parity + latest benches -> reports/scoreboard.{md,html}
roadmap new ID DEST [--name PKG]    copy a milestone out as a standalone starter project
roadmap new --list                  what each milestone's starter depends on, install size
roadmap exercise ID DEST            a starter whose minimal.py key functions are yours to write
roadmap exercise --list             the milestones that offer exercises, and their functions
roadmap check DEST                  grade DEST's minimal version: one row per parity check
roadmap new-project NAME DEST       a fresh project from the one-click template
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from phase0_env.common.registry import Milestone, all_milestones, get_milestone


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `roadmap` console script; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except (LookupError, ValueError, FileExistsError) as exc:
        print(f"roadmap: {exc}", file=sys.stderr)
        return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="roadmap", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("list", help="list every registered milestone")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("run", help="run a milestone's demo")
    p.add_argument("id", nargs="?")
    p.add_argument("--all", action="store_true", help="run every milestone's demo")
    p.add_argument("--quick", action="store_true", help="smaller, faster demo")
    p.add_argument(
        "--write-docs",
        action="store_true",
        help="rewrite the committed study results in the milestone's docs/ (else artifacts/)",
    )
    p.set_defaults(func=cmd_run)

    p = sub.add_parser(
        "demo", help="every quick demo and quick bench, one line each (logs in reports/logs/)"
    )
    p.add_argument("--only", default="", help="only milestones whose id starts with this")
    p.add_argument("--no-bench", action="store_true", help="skip the quick benchmarks")
    p.add_argument("--out", default="reports", help="output folder (default: reports)")
    p.add_argument("--jobs", type=int, default=2, help="steps at a time (default: 2)")
    p.add_argument(
        "--write-docs",
        action="store_true",
        help="copy the time table into README.md's budget section",
    )
    p.add_argument(
        "--no-run", action="store_true", help="rewrite the table from the last times, run nothing"
    )
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("parity", help="run a milestone's parity checks")
    p.add_argument("id", nargs="?")
    p.add_argument("--all", action="store_true")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_parity)

    p = sub.add_parser("bench", help="run a milestone's benchmark")
    p.add_argument("id", nargs="?")
    p.add_argument("--all", action="store_true")
    p.add_argument("--json", action="store_true")
    p.add_argument("--quick", action="store_true", help="smaller sizes, fewer repeats")
    p.set_defaults(func=cmd_bench)

    p = sub.add_parser("report", help="write reports/scoreboard.md and .html")
    p.add_argument("--out", default="reports", help="output folder (default: reports)")
    p.add_argument(
        "--readmes",
        action="store_true",
        help="also rewrite the scoreboard section of each milestone README",
    )
    p.add_argument(
        "--only",
        default="",
        help="only milestones whose id starts with this (READMEs only, no scoreboard)",
    )
    p.add_argument("--jobs", type=int, default=2, help="parity processes at a time (default: 2)")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("new", help="copy a milestone out as a standalone starter project")
    p.add_argument("id", nargs="?")
    p.add_argument("dest", nargs="?")
    p.add_argument("--name", help="the starter's package name (default: the milestone's)")
    p.add_argument("--list", action="store_true", help="each starter's dependencies and size")
    p.set_defaults(func=cmd_new)

    p = sub.add_parser("exercise", help="a starter with the minimal version's key functions blank")
    p.add_argument("id", nargs="?")
    p.add_argument("dest", nargs="?")
    p.add_argument("--name", help="the starter's package name (default: the milestone's)")
    p.add_argument("--list", action="store_true", help="milestones that offer exercises")
    p.set_defaults(func=cmd_exercise)

    p = sub.add_parser("check", help="grade a starter's minimal version (tests/test_minimal.py)")
    p.add_argument("dest")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("new-project", help="create a project from the one-click template")
    p.add_argument("name")
    p.add_argument("dest")
    p.set_defaults(func=cmd_new_project)
    return parser


def _selected(args: argparse.Namespace) -> list[Milestone]:
    if getattr(args, "all", False):
        return all_milestones()
    if not args.id:
        raise LookupError("give a milestone id or --all (see `roadmap list`)")
    return [get_milestone(args.id)]


def cmd_list(args: argparse.Namespace) -> int:
    milestones = all_milestones()
    if args.json:
        print(json.dumps([m.to_dict() for m in milestones], indent=2))
        return 0
    for m in milestones:
        print(f"{m.id:<42} {m.reference:<28} {m.claim}")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from phase0_env.common.outputs import WRITE_DOCS_ENV

    if args.write_docs:
        os.environ[WRITE_DOCS_ENV] = "1"
    failures = 0
    for m in _selected(args):
        print(f"\n=== {m.id}: {m.title} ===", flush=True)
        try:
            m.load("demo")(quick=args.quick)
        except Exception:
            failures += 1
            traceback.print_exc()
            if not args.all:
                return 1
    return 1 if failures else 0


def cmd_demo(args: argparse.Namespace) -> int:
    from phase0_env.demo_table import load_times, merged, write_readme_block, write_times
    from phase0_env.first_run import run_demos

    out = Path(args.out)
    registry = all_milestones()
    milestones = [m for m in registry if m.id.startswith(args.only)]
    if not milestones:
        raise LookupError(f"no milestone id starts with {args.only!r}")
    ok = True
    if args.no_run:
        steps = merged(load_times(out), [], [m.id for m in registry])
        write_times(steps, out, None, jobs=max(1, args.jobs))
    else:
        # A partial run (--only) updates its rows of the last table and keeps the others.
        keep = load_times(out) if args.only else []
        times = run_demos(
            milestones, out, bench=not args.no_bench, jobs=max(1, args.jobs), keep=keep
        )
        ok = all(s.ok for s in times)
    if args.write_docs:
        readme = Path(__file__).resolve().parents[1] / "README.md"
        if not write_readme_block((out / "demo_times.md").read_text(), readme):
            raise LookupError(f"{readme} has no demo-times block to rewrite")
        print(f"copied {out / 'demo_times.md'} into {readme}")
    return 0 if ok else 1


def cmd_parity(args: argparse.Namespace) -> int:
    from phase0_env.report import run_parity

    outcome = [run_parity(m) for m in _selected(args)]
    if args.json:
        print(json.dumps([o.to_dict() for o in outcome], indent=2))
    else:
        for o in outcome:
            print(o.format())
    return 0 if all(o.passed for o in outcome) else 1


def cmd_bench(args: argparse.Namespace) -> int:
    from phase0_env.common.bench import bench_report, format_rows, write_bench_report

    for m in _selected(args):
        rows = m.load("bench")(quick=args.quick)
        report = bench_report(m.id, rows)
        report["quick"] = bool(args.quick)
        path = write_bench_report(report)
        if args.json:
            print(json.dumps(report, indent=2, default=str))
        else:
            print(f"\n{m.id} ({'quick' if args.quick else 'full'}), written to {path}")
            print(format_rows(rows))
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from phase0_env.report import write_scoreboard

    ok = write_scoreboard(
        Path(args.out), update_readmes=args.readmes, only=args.only, jobs=max(1, args.jobs)
    )
    return 0 if ok else 1


def cmd_new(args: argparse.Namespace) -> int:
    from phase0_env.template.starter import copy_milestone, starter_listing

    if args.list:
        print(starter_listing(all_milestones()))
        return 0
    if not args.id or not args.dest:
        raise ValueError("usage: roadmap new ID DEST [--name PKG] (or roadmap new --list)")
    path = copy_milestone(get_milestone(args.id), Path(args.dest), package=args.name)
    print(f"wrote {path}: cd there and run `make test` (see its README)")
    return 0


def cmd_exercise(args: argparse.Namespace) -> int:
    from phase0_env.template.exercise import exercise_listing, write_exercise

    if args.list:
        print(exercise_listing())
        return 0
    if not args.id or not args.dest:
        raise ValueError(
            "usage: roadmap exercise ID DEST [--name PKG] (or roadmap exercise --list)"
        )
    done = write_exercise(get_milestone(args.id), Path(args.dest), package=args.name)
    print(f"wrote {done.root}: write {', '.join(done.functions)} in {done.minimal.name},")
    print(f"then `make grade` there (or `roadmap check {args.dest}`)")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from phase0_env.template.grade import format_table, grade

    result = grade(Path(args.dest))
    print(format_table(result))
    return 0 if result.passed else 1


def cmd_new_project(args: argparse.Namespace) -> int:
    from phase0_env.template.generate import new_project

    path = new_project(args.name, Path(args.dest))
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
