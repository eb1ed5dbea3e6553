"""`roadmap demo`: every milestone's quick demo and quick benchmark, one progress line each.

Each step runs in its own process with its output (service access logs, library warnings,
progress bars) in `reports/logs/<milestone>.{demo,bench}.log`, so the console shows one line per
milestone. The times go to `reports/demo_times.{md,json}`: wall time and CPU time (user + sys of
the step's processes; on a busy machine wall time grows, CPU time hardly does) against the
milestone's budget. A step that changes the git working tree (a tracked file, or a new file that
git does not ignore) fails the run: generated output belongs under reports/, artifacts/, .cache/.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from phase0_env.common.registry import Milestone

# Quick-demo budgets in seconds on 2 quiet cores (README "First run"); the rest get DEFAULT.
DEFAULT_BUDGET = 15.0
BUDGETS = {
    "phase1_foundations.data_stack": 25.0,
    "phase2_tabular.classical_practice": 30.0,
    "phase3_deep.image_classifier": 45.0,
    "phase4_llm.finetune": 180.0,
    "phase4_llm.gpt": 30.0,
    "phase4_llm.serving": 30.0,
    "phase5_mlops.closed_loop": 60.0,
    "phase5_mlops.deploy": 30.0,
    "phase5_mlops.scale_out": 40.0,
    "phase6_tracks.structured_outputs": 40.0,
}


@dataclass
class StepTime:
    """One milestone's quick demo (and quick bench): outcome and times in seconds."""

    milestone: str
    budget_s: float
    demo_ok: bool = False
    demo_wall_s: float = 0.0
    demo_cpu_s: float = 0.0
    bench_ok: bool | None = None
    bench_wall_s: float = 0.0
    bench_cpu_s: float = 0.0
    changed: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.demo_ok and self.bench_ok is not False and not self.changed


def run_demos(
    milestones: Sequence[Milestone], out: Path = Path("reports"), *, bench: bool = True
) -> list[StepTime]:
    """Run each quick demo (then its quick bench) in a subprocess; write the time table."""
    logs = out / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    times: list[StepTime] = []
    width = max((len(m.id) for m in milestones), default=10)
    start = time.perf_counter()
    for i, m in enumerate(milestones, 1):
        step = StepTime(m.id, BUDGETS.get(m.id, DEFAULT_BUDGET))
        before = tree_state()
        rc, step.demo_wall_s, step.demo_cpu_s = _timed(
            ["run", m.id, "--quick"], logs / f"{m.id}.demo.log"
        )
        step.demo_ok = rc == 0
        if bench and step.demo_ok:
            rc, step.bench_wall_s, step.bench_cpu_s = _timed(
                ["bench", m.id, "--quick"], logs / f"{m.id}.bench.log"
            )
            step.bench_ok = rc == 0
        step.changed = sorted(set(tree_state()) - set(before))
        times.append(step)
        print(_progress(i, len(milestones), width, step), flush=True)
        # Rewritten after every step, so an interrupted run still leaves its times.
        write_times(times, out, time.perf_counter() - start)
    total = time.perf_counter() - start
    write_times(times, out, total)
    print(
        f"demo: {sum(s.ok for s in times)}/{len(times)} ok in {total / 60:.1f} min; "
        f"times in {out / 'demo_times.md'}, logs in {logs}/"
    )
    for s in times:
        if s.changed:
            print(f"  {s.milestone} changed the working tree: {', '.join(s.changed)}")
    return times


def tree_state() -> list[str]:
    """`git status --porcelain` lines (tracked changes and untracked, not ignored, files)."""
    try:
        done = subprocess.run(
            ["git", "status", "--porcelain"], capture_output=True, text=True, timeout=120
        )
    except (OSError, subprocess.SubprocessError):
        return []
    return done.stdout.splitlines() if done.returncode == 0 else []


def write_times(times: Sequence[StepTime], out: Path, total_s: float) -> Path:
    """reports/demo_times.json and .md: each demo's wall and CPU time against its budget."""
    out.mkdir(parents=True, exist_ok=True)
    doc = {
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg()[0],
        "total_s": total_s,
        "steps": [asdict(s) | {"ok": s.ok} for s in times],
    }
    (out / "demo_times.json").write_text(json.dumps(doc, indent=2))
    lines = [
        f"Quick demos on {os.cpu_count()} CPUs ({doc['created']}, load average at the end "
        f"{doc['load_average']:.1f}); total {total_s / 60:.1f} min with the quick benchmarks.",
        "",
        "| milestone | budget (s) | demo wall (s) | demo CPU (s) | bench wall (s) | bench CPU (s) "
        "| result |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for s in times:
        bench = f"{s.bench_wall_s:.1f} | {s.bench_cpu_s:.1f}" if s.bench_ok is not None else "- | -"
        lines.append(
            f"| {s.milestone} | {s.budget_s:.0f} | {s.demo_wall_s:.1f} | {s.demo_cpu_s:.1f} "
            f"| {bench} | {_verdict(s)} |"
        )
    path = out / "demo_times.md"
    path.write_text("\n".join(lines) + "\n")
    return path


def _timed(args: list[str], log: Path) -> tuple[int, float, float]:
    """Run `roadmap ARGS` with its output in `log`: (exit status, wall s, CPU s)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    with log.open("w") as fh:
        rc = subprocess.call(
            [sys.executable, "-m", "phase0_env.cli", *args],
            stdout=fh,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return rc, wall, cpu


def _verdict(s: StepTime) -> str:
    if not s.demo_ok:
        return "demo FAILED"
    if s.bench_ok is False:
        return "bench FAILED"
    if s.changed:
        return "changed the tree"
    return "ok" if min(s.demo_wall_s, s.demo_cpu_s) <= s.budget_s else "over budget"


def _progress(i: int, n: int, width: int, s: StepTime) -> str:
    bench = f"bench {s.bench_wall_s:5.1f} s" if s.bench_ok is not None else "bench     -  "
    return (
        f"[{i:2d}/{n}] {s.milestone:<{width}}  demo {s.demo_wall_s:6.1f} s "
        f"(budget {s.budget_s:.0f})  {bench}  {_verdict(s)}"
    )
