"""The scoreboard: every milestone's parity checks run now, beside its latest benchmark.

`roadmap report` writes `reports/scoreboard.md` and `reports/scoreboard.html` (a summary table,
an index, a collapsible section per milestone with a log-scale plot of ours/reference time per
size); only with `--readmes` does it rewrite the scoreboard block of each milestone's README.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from phase0_env.common.bench import REPORT_DIR
from phase0_env.common.parity import ParityResult
from phase0_env.common.registry import Milestone, all_milestones
from phase0_env.parity_pool import parity_results

START = "<!-- scoreboard:start (written by `roadmap report --readmes`; do not edit) -->"
END = "<!-- scoreboard:end -->"


@dataclass
class MilestoneParity:
    """All parity results of one milestone, or the error that stopped them."""

    milestone: str
    reference: str
    results: list[ParityResult] = field(default_factory=list)
    error: str = ""
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return not self.error and bool(self.results) and all(r.passed for r in self.results)

    def to_dict(self) -> dict[str, Any]:
        return {
            "milestone": self.milestone,
            "reference": self.reference,
            "passed": self.passed,
            "error": self.error,
            "seconds": self.seconds,
            "checks": [r.to_dict() for r in self.results],
        }

    def format(self) -> str:
        lines = [
            f"{self.milestone}: {'PASS' if self.passed else 'FAIL'} "
            f"({len(self.results)} checks, {self.seconds:.1f} s)"
        ]
        for r in self.results:
            mark = "ok  " if r.passed else "FAIL"
            lines.append(
                f"  {mark} {r.name:<46} {r.reference:<26} "
                f"max err {r.max_error:<10.3g} tol {r.tolerance:.3g}"
                + ("" if r.passed else f"  {r.detail}")
            )
        if self.error:
            lines.append(f"  ERROR {self.error}")
        elif not self.results:
            lines.append("  FAIL no parity checks were returned")
        return "\n".join(lines)


def run_parity(milestone: Milestone) -> MilestoneParity:
    """Run one milestone's parity callable, catching its failure as a failed outcome."""
    outcome = MilestoneParity(milestone.id, milestone.reference)
    start = time.perf_counter()
    try:
        outcome.results = list(milestone.load("parity")())
    except Exception:
        outcome.error = traceback.format_exc()
    outcome.seconds = time.perf_counter() - start
    return outcome


def latest_bench(milestone_id: str, root: Path | None = None) -> dict[str, Any] | None:
    """The last `roadmap bench` report written for this milestone, if any."""
    path = (root or Path.cwd()) / REPORT_DIR / f"{milestone_id}.json"
    if not path.exists():
        return None
    return json.loads(path.read_text())


def write_scoreboard(
    out: Path, *, update_readmes: bool = False, only: str = "", jobs: int = 1
) -> bool:
    """Run every parity check (`jobs` processes at a time), gather benches, write the
    scoreboard; True if all passed.

    One progress line per milestone; what the checks print (server logs, warnings) goes to
    `out/logs/report.log`. With `only` (an id prefix) just those milestones run and only their
    READMEs are rewritten: a partial scoreboard would mislead, so none is written.
    """
    milestones = [m for m in all_milestones() if m.id.startswith(only)]
    if only and not milestones:
        raise LookupError(f"no milestone id starts with {only!r}")
    log = out / "logs" / "report.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text("")
    width = max(len(m.id) for m in milestones)
    cpu_start, wall_start = _cpu_seconds(), time.perf_counter()
    found: dict[int, MilestoneParity] = {}
    for i, parity in parity_results(milestones, log, jobs):
        found[i] = parity
        s = summary(parity, latest_bench(parity.milestone))
        print(
            f"[{len(found):2d}/{len(milestones)}] {parity.milestone:<{width}}  parity "
            f"{s['passed']}/{s['checks']} {'ok  ' if parity.passed else 'FAIL'} "
            f"({parity.seconds:.1f} s)",
            flush=True,
        )
    rows = [(m, found[i], latest_bench(m.id)) for i, m in enumerate(milestones)]
    if update_readmes or only:
        for m, parity, bench in rows:
            update_readme(m, parity, bench)
    failed = [p.milestone for _, p, _ in rows if not p.passed]
    if not only:
        from phase0_env.scoreboard_html import render_html

        out.mkdir(parents=True, exist_ok=True)
        demos = demo_times(out)
        # The parity run's cost, for the estimate of `make demo` in reports/demo_times.md.
        spent = {"cpu_s": _cpu_seconds() - cpu_start, "wall_s": time.perf_counter() - wall_start}
        (out / "report_time.json").write_text(json.dumps(spent | {"created": time.ctime()}))
        (out / "scoreboard.md").write_text(_markdown(rows, demos))
        (out / "scoreboard.html").write_text(render_html(rows, demos))
        print(f"wrote {out / 'scoreboard.md'} and {out / 'scoreboard.html'} (log: {log})")
    print(f"scoreboard: {len(rows) - len(failed)}/{len(rows)} milestones pass parity")
    for name in failed:
        print(f"  FAILED: {name}")
    return not failed


def summary(parity: MilestoneParity, bench: dict[str, Any] | None) -> dict[str, Any]:
    """The scoreboard's summary row: checks passed, best/worst ours/ref ratio, bench time."""
    ratios = [r["ratio"] for r in (bench or {}).get("rows", []) if r.get("ratio") is not None]
    return {
        "passed": sum(r.passed for r in parity.results),
        "checks": len(parity.results),
        "best": min(ratios) if ratios else None,
        "worst": max(ratios) if ratios else None,
        "bench_created": (bench or {}).get("created", ""),
        "bench_mode": ("quick" if bench.get("quick") else "full") if bench else "",
    }


def demo_times(out: Path) -> dict[str, float]:
    """Each milestone's last quick-demo wall time from `out/demo_times.json` (`roadmap demo`)."""
    path = out / "demo_times.json"
    if not path.exists():
        return {}
    steps = json.loads(path.read_text()).get("steps", [])
    return {s["milestone"]: float(s["demo_wall_s"]) for s in steps if s.get("demo_ok")}


def _cpu_seconds() -> float:
    """User + system time of this process and the children it waited for."""
    own, kids = (resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


@contextmanager
def _output_to(log: Path) -> Iterator[None]:
    """Send this process's stdout and stderr (file descriptors too, so subprocesses and C
    libraries follow) to the end of `log` for the duration of the block."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    with log.open("a") as fh, redirect_stdout(fh), redirect_stderr(fh):
        os.dup2(fh.fileno(), 1)
        os.dup2(fh.fileno(), 2)
        try:
            yield
        finally:
            fh.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])


def milestone_section(parity: MilestoneParity, bench: dict[str, Any] | None) -> str:
    """The Markdown block of one milestone: parity checks, then the benchmark table.

    Checks against a library show max error and tolerance; behaviour checks (no reference
    library) only their result and what they found.
    """
    numeric = [r for r in parity.results if r.reference != "behaviour"]
    behaviour = [r for r in parity.results if r.reference == "behaviour"]
    lines: list[str] = []
    if numeric:
        lines += ["| check | reference | max error | tolerance | result |", "|---|---|---|---|---|"]
        lines += [
            f"| {r.name} | {r.reference} | {r.max_error:.3g} | {r.tolerance:.3g} "
            f"| {'pass' if r.passed else '**FAIL**'} |"
            for r in numeric
        ]
    if behaviour:
        lines += ["", ""] if numeric else []
        lines += ["| behaviour check | result |", "|---|---|"]
        lines += [
            f"| {r.name} | {'pass' if r.passed else '**FAIL** ' + r.detail} |" for r in behaviour
        ]
    if parity.error:
        last = parity.error.strip().splitlines()[-1]
        lines += ["", f"**Error:** {last}"]
    if bench:
        lines += [
            "",
            f"Benchmark ({'quick' if bench.get('quick') else 'full'}, "
            f"{bench['machine'].get('cpus')} CPUs, {bench.get('created', '')}):",
            "",
            "| case | size | ours (s) | reference | ref (s) | ours/ref | quality |",
            "|---|---|---|---|---|---|---|",
        ]
        for row in bench["rows"]:
            ratio = f"{row['ratio']:.2f}" if row.get("ratio") is not None else "-"
            ref_s = f"{row['ref_s']:.4g}" if row.get("ref_s") is not None else "-"
            qual = ", ".join(f"{k}={_num(v)}" for k, v in row.get("quality", {}).items())
            lines.append(
                f"| {row['case']} | {row['size']} | {row['ours_s']:.4g} | "
                f"{row['reference']} | {ref_s} | {ratio} | {qual} |"
            )
    else:
        lines += ["", "No benchmark yet: run `roadmap bench <id>`."]
    return "\n".join(lines)


def update_readme(milestone: Milestone, parity: MilestoneParity, bench: dict | None) -> bool:
    """Replace the scoreboard block of the milestone's README (appended when missing)."""
    readme = milestone.folder / "README.md"
    if not readme.exists():
        return False
    text = readme.read_text()
    block = f"{START}\n{milestone_section(parity, bench)}\n{END}"
    if START in text and END in text:
        head, rest = text.split(START, 1)
        tail = rest.split(END, 1)[1]
        text = head + block + tail
    else:
        text = text.rstrip() + "\n\n## Scoreboard\n\n" + block + "\n"
    readme.write_text(text)
    return True


def _markdown(
    rows: list[tuple[Milestone, MilestoneParity, dict | None]], demos: dict[str, float]
) -> str:
    stamp = time.strftime("%Y-%m-%d %H:%M")
    lines = [
        "# Scoreboard",
        "",
        f"Written by `roadmap report` on {stamp}. Ratio: ours / reference time (below 1: ours",
        "is faster); best and worst over the benchmark's cases and sizes.",
        "",
        "| milestone | reference | parity | checks passed | best / worst ours/ref | bench run "
        "| quick demo (s) |",
        "|---|---|---|---|---|---|---|",
    ]
    for m, p, b in rows:
        s = summary(p, b)
        spread = f"{s['best']:.2f} / {s['worst']:.2f}" if s["best"] is not None else "-"
        run = f"{s['bench_created'][:16]} ({s['bench_mode']})" if b else "-"
        lines.append(
            f"| [{m.id}](#{_anchor(m.id)}) | {m.reference} | {'pass' if p.passed else '**FAIL**'} "
            f"| {s['passed']}/{s['checks']} | {spread} | {run} "
            f"| {f'{demos[m.id]:.1f}' if m.id in demos else '-'} |"
        )
    for m, p, b in rows:
        lines += ["", f"## {m.id}", "", f"{m.title}. {m.claim}", "", milestone_section(p, b)]
    return "\n".join(lines) + "\n"


def _anchor(milestone_id: str) -> str:
    """GitHub's heading anchor of `## milestone.id` (dots dropped)."""
    return milestone_id.replace(".", "").lower()


def _num(value: Any) -> str:
    return f"{value:.4g}" if isinstance(value, float) else str(value)
