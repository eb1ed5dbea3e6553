"""`roadmap demo`: every milestone's quick demo and quick benchmark, one progress line each.

Each step (a milestone's quick demo, then its quick bench) runs in its own processes with their
output (service access logs, library warnings, progress bars) in
`reports/logs/<milestone>.{demo,bench}.log`, so the console shows one line per milestone. With
`jobs=2` two steps run at a time, each child on one thread (`OMP_NUM_THREADS=1` unless set), the
longest-budgeted first; milestones that write the shared MLflow store never overlap. The times
(CPU: user + sys of each child and the children it waited for, from `os.wait4`; wall) go to
`reports/demo_times.{md,json}` against each step's budget (`demo_table.py`). A step that changes
the git working tree (a tracked file, or a new file that git does not ignore) fails the run:
generated output belongs under reports/, artifacts/, .cache/.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from phase0_env.common.registry import Milestone
from phase0_env.demo_table import budget_of, write_times

# Milestones needing this package write the one MLflow store (sqlite by default): SQLite takes
# one writer at a time, and two processes creating a fresh store would race on its schema.
SHARED_STORE = "mlflow"


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
    measured: str = ""  # when this step ran (rows of an `--only` run merge into older ones)

    @property
    def ok(self) -> bool:
        return self.demo_ok and self.bench_ok is not False and not self.changed

    @property
    def cpu_s(self) -> float:
        return self.demo_cpu_s + self.bench_cpu_s

    @property
    def wall_s(self) -> float:
        return self.demo_wall_s + self.bench_wall_s

    @property
    def verdict(self) -> str:
        """ok, over budget (on both clocks: a busy machine stretches only wall time), or why
        the step failed."""
        if not self.demo_ok:
            return "demo FAILED"
        if self.bench_ok is False:
            return "bench FAILED"
        if self.changed:
            return "changed the tree"
        return "ok" if min(self.wall_s, self.cpu_s) <= self.budget_s else "over budget"


def run_demos(
    milestones: Sequence[Milestone],
    out: Path = Path("reports"),
    *,
    bench: bool = True,
    jobs: int = 1,
    keep: Sequence[StepTime] = (),
) -> list[StepTime]:
    """Run each quick demo (then its quick bench) in a subprocess, `jobs` steps at a time;
    write the time table (with the `keep` steps of milestones not run now)."""
    logs = out / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    # Kept rows stay where the last table had them; milestones new to it go last.
    order = list(dict.fromkeys([*(s.milestone for s in keep), *(m.id for m in milestones)]))
    pending = sorted(milestones, key=lambda m: -budget_of(m.id))  # longest first: less idle
    done: list[StepTime] = []
    width = max((len(m.id) for m in milestones), default=10)
    cond = threading.Condition()
    busy_store = [False]
    start = time.perf_counter()

    def take() -> Milestone | None:
        with cond:
            while pending:
                for i, m in enumerate(pending):
                    if not (_shares_store(m) and busy_store[0]):
                        busy_store[0] |= _shares_store(m)
                        return pending.pop(i)
                cond.wait()
            return None

    def worker() -> None:
        while (m := take()) is not None:
            step = _run_step(m, logs, bench)
            with cond:
                busy_store[0] &= not _shares_store(m)
                done.append(step)
                print(_progress(len(done), len(milestones), width, step, start), flush=True)
                # Rewritten after every step, so an interrupted run still leaves its times.
                write_times(_ordered(keep, done, order), out, time.perf_counter() - start, jobs)
                cond.notify_all()

    with one_thread_per_child(jobs > 1):
        threads = [threading.Thread(target=worker) for _ in range(max(1, jobs))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    total = time.perf_counter() - start
    times = _ordered((), done, order)
    write_times(_ordered(keep, done, order), out, total, jobs)
    _summary(times, total, out)
    return times


def _run_step(m: Milestone, logs: Path, bench: bool) -> StepTime:
    step = StepTime(m.id, budget_of(m.id), measured=time.strftime("%Y-%m-%dT%H:%M:%S%z"))
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
    # With two steps at a time, a change seen here may come from the other one: both are named.
    step.changed = sorted(set(tree_state()) - set(before))
    return step


def _shares_store(m: Milestone) -> bool:
    names = (re.split(r"[\s\[<>=!~;]", r, maxsplit=1)[0].lower() for r in m.requirements)
    return SHARED_STORE in names


def _ordered(
    keep: Sequence[StepTime], done: Sequence[StepTime], order: Sequence[str]
) -> list[StepTime]:
    from phase0_env.demo_table import merged

    return merged(keep, done, order)


@contextmanager
def one_thread_per_child(on: bool) -> Iterator[None]:
    """Children inherit OMP/MKL_NUM_THREADS=1 (unless set): two steps share two cores.
    Servers they start get 180 s to become ready (unless set), as two steps run at once."""
    keys = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "ROADMAP_READY_TIMEOUT")
    saved = {k: os.environ.get(k) for k in keys}
    if on:
        os.environ.setdefault("OMP_NUM_THREADS", "1")
        os.environ.setdefault("MKL_NUM_THREADS", "1")
        os.environ.setdefault("ROADMAP_READY_TIMEOUT", "180")
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _summary(times: Sequence[StepTime], total: float, out: Path) -> None:
    from phase0_env.demo_table import estimate_wall_s

    cpu = sum(s.cpu_s for s in times)
    print(
        f"demo: {sum(s.ok for s in times)}/{len(times)} ok in {total / 60:.1f} min wall, "
        f"{cpu / 60:.1f} CPU-min (about {estimate_wall_s(cpu) / 60:.1f} min on 2 quiet cores "
        f"with the scoreboard); times in {out / 'demo_times.md'}, logs in {out / 'logs'}/"
    )
    over = [
        f"{s.milestone} ({s.cpu_s:.0f}/{s.budget_s:.0f} s)"
        for s in times
        if s.verdict == "over budget"
    ]
    if over:
        print(f"  over budget (CPU s/budget): {', '.join(over)}")
    for s in times:
        if s.changed:
            print(f"  {s.milestone} changed the working tree: {', '.join(s.changed)}")


def tree_state() -> list[str]:
    """`git status --porcelain` lines (tracked changes and untracked, not ignored, files)."""
    try:
        done = subprocess.run(
            ["git", "status", "--porcelain"], capture_output=True, text=True, timeout=120
        )
    except (OSError, subprocess.SubprocessError):
        return []
    return done.stdout.splitlines() if done.returncode == 0 else []


def _timed(args: list[str], log: Path) -> tuple[int, float, float]:
    """Run `roadmap ARGS` with its output in `log`: (exit status, wall s, CPU s).

    CPU time is the child's own rusage (with the descendants it waited for), from `os.wait4`,
    so two steps running at once are timed apart."""
    start = time.perf_counter()
    with log.open("w") as fh:
        proc = subprocess.Popen(
            [sys.executable, "-m", "phase0_env.cli", *args],
            stdout=fh,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    return proc.returncode, wall, usage.ru_utime + usage.ru_stime


def _verdict(s: StepTime) -> str:
    return s.verdict


def _progress(i: int, n: int, width: int, s: StepTime, start: float) -> str:
    bench = f"bench {s.bench_cpu_s:5.1f}" if s.bench_ok is not None else "bench     -"
    return (
        f"[{i:2d}/{n}] {s.milestone:<{width}}  CPU s: demo {s.demo_cpu_s:5.1f}  {bench}  "
        f"budget {s.budget_s:3.0f}  {s.verdict:<16} ({(time.perf_counter() - start) / 60:.1f} min)"
    )
