"""The budget of each milestone's share of `make demo`, and the time table `roadmap demo` writes.

A step is one milestone's quick demo plus its quick benchmark. Its budget is in CPU seconds
(user + system of the step's processes): on 2 quiet cores with two steps at a time, wall time is
about CPU time, and the budgets add up to the 10-minute goal (a test checks the sum). The table
goes to `reports/demo_times.{json,md}`; README.md's copy changes only with
`roadmap demo --write-docs`.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Sequence
from dataclasses import asdict, fields
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from phase0_env.first_run import StepTime

GOAL_S = 600.0  # `make demo` after set-up, on 2 quiet cores
CORES = 2
# CPU seconds of every milestone's parity checks, run by `roadmap report` after the demos
# (two worker processes, like the steps).
REPORT_BUDGET = 140.0
DEFAULT_BUDGET = 15.0
# CPU seconds of demo + quick bench (one thread) for the milestones that need more than
# DEFAULT_BUDGET, set from measured runs with some headroom (README "Budget per quick demo").
BUDGETS = {
    "phase1_foundations.data_stack": 20.0,
    "phase2_tabular.classical_practice": 20.0,
    "phase2_tabular.tabular_api": 40.0,
    "phase3_deep.resnet_block": 20.0,
    "phase3_deep.training": 40.0,
    "phase3_deep.image_classifier": 25.0,
    "phase3_deep.debug_drills": 20.0,
    "phase4_llm.gpt": 35.0,
    "phase4_llm.quantization": 40.0,
    "phase4_llm.evals": 25.0,
    "phase4_llm.lora": 20.0,
    "phase4_llm.finetune": 90.0,
    "phase4_llm.rag_service": 35.0,
    "phase4_llm.serving": 35.0,
    "phase5_mlops.registry": 25.0,
    "phase5_mlops.retraining_pipeline": 20.0,
    "phase5_mlops.deploy": 40.0,
    "phase5_mlops.closed_loop": 45.0,
    "phase5_mlops.onnx_export": 20.0,
    "phase5_mlops.scale_out": 30.0,
    "phase5_mlops.systems_patterns": 20.0,
    # A fresh clone builds its torch C++ extension (into .cache/) on the first run.
    "phase6_tracks.systems_kernels": 40.0,
    "phase6_tracks.ann_search": 20.0,
    "phase6_tracks.structured_outputs": 25.0,
    # Tracks that promise a quick demo of at most 30 s.
    "phase6_tracks.speech": 30.0,
    "phase6_tracks.vision": 30.0,
    "phase6_tracks.generative_vision": 30.0,
}
MARK_START = "<!-- demo-times:start (written by `roadmap demo --write-docs`; do not edit) -->"
MARK_END = "<!-- demo-times:end -->"


def budget_of(milestone_id: str) -> float:
    """CPU seconds the milestone's quick demo and quick bench may take together."""
    return BUDGETS.get(milestone_id, DEFAULT_BUDGET)


def load_times(out: Path) -> list[StepTime]:
    """The steps of the last `out/demo_times.json`, budgets refreshed from the table above."""
    from phase0_env.first_run import StepTime

    path = out / "demo_times.json"
    if not path.exists():
        return []
    names = {f.name for f in fields(StepTime)}
    steps = []
    for raw in json.loads(path.read_text()).get("steps", []):
        step = StepTime(**{k: v for k, v in raw.items() if k in names})
        step.budget_s = budget_of(step.milestone)
        steps.append(step)
    return steps


def merged(previous: Sequence[StepTime], new: Sequence[StepTime], order: Sequence[str]) -> list:
    """`new` steps replacing `previous` ones of the same milestone, in registry `order`."""
    by_id = {s.milestone: s for s in previous} | {s.milestone: s for s in new}
    rank = {m: i for i, m in enumerate(order)}
    return sorted(by_id.values(), key=lambda s: rank.get(s.milestone, len(rank)))


def write_times(times: Sequence[StepTime], out: Path, total_s: float | None, jobs: int = 1) -> Path:
    """reports/demo_times.json and .md: each step's CPU and wall time against its budget."""
    out.mkdir(parents=True, exist_ok=True)
    doc = {
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "cpus": os.cpu_count(),
        "jobs": jobs,
        "load_average": os.getloadavg()[0],
        "total_s": total_s,
        "report_cpu_s": _report_cpu_s(out),
        "steps": [asdict(s) | {"ok": s.ok, "verdict": s.verdict} for s in times],
    }
    (out / "demo_times.json").write_text(json.dumps(doc, indent=2))
    path = out / "demo_times.md"
    path.write_text(markdown(times, doc) + "\n")
    return path


def markdown(times: Sequence[StepTime], doc: dict) -> str:
    """The time table with its totals and the wall-time estimate for 2 quiet cores."""
    run = "" if doc["total_s"] is None else f", this run {doc['total_s'] / 60:.1f} min wall"
    lines = [
        f"Written by `roadmap demo` on {doc['cpus']} CPUs, {doc['jobs']} step(s) at a time "
        f"({doc['created']}, load average at the end {doc['load_average']:.1f}{run}).",
        "",
        "| milestone | budget (CPU s) | demo wall (s) | demo CPU (s) | bench wall (s) "
        "| bench CPU (s) | result |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for s in times:
        bench = f"{s.bench_wall_s:.1f} | {s.bench_cpu_s:.1f}" if s.bench_ok is not None else "- | -"
        lines.append(
            f"| {s.milestone} | {s.budget_s:.0f} | {s.demo_wall_s:.1f} | {s.demo_cpu_s:.1f} "
            f"| {bench} | {s.verdict} |"
        )
    cpu = sum(s.cpu_s for s in times)
    budget = sum(s.budget_s for s in times)
    over = [s.milestone for s in times if s.verdict == "over budget"]
    report = doc.get("report_cpu_s")
    report_s = REPORT_BUDGET if report is None else report
    seen = (
        "its budget: no `roadmap report` timed yet"
        if report is None
        else f"the last `roadmap report`; budget {REPORT_BUDGET:.0f} s"
    )
    lines += [
        "",
        f"Total CPU {cpu:.0f} s of {budget:.0f} s budgeted ({len(times)} steps). The scoreboard's "
        f"parity run (two processes): {report_s:.0f} CPU s ({seen}). "
        f"Estimate for 2 quiet cores: {estimate_wall_s(cpu, report_s) / 60:.1f} min "
        f"(goal {GOAL_S / 60:.0f}).",
        f"Over budget: {', '.join(over) if over else 'none'}.",
    ]
    return "\n".join(lines)


def _report_cpu_s(out: Path) -> float | None:
    path = out / "report_time.json"
    return float(json.loads(path.read_text())["cpu_s"]) if path.exists() else None


def estimate_wall_s(steps_cpu_s: float, report_s: float = REPORT_BUDGET) -> float:
    """Wall seconds on CORES quiet cores: the steps, then the report, each spread over them."""
    return (steps_cpu_s + report_s) / CORES


def budget_table_problems(milestone_ids: Sequence[str]) -> list[str]:
    """What is wrong with the budget table (static CPU seconds, not a measurement): the
    milestones' budgets and the report's, spread over CORES, must fit GOAL_S, and every budget
    must name an existing milestone."""
    steps_cpu = sum(budget_of(i) for i in milestone_ids)
    out = []
    if estimate_wall_s(steps_cpu) > GOAL_S:
        out.append(f"{len(milestone_ids)} steps budget {steps_cpu:.0f} CPU s: over the goal")
    out += [f"a budget names no milestone: {m}" for m in sorted(set(BUDGETS) - set(milestone_ids))]
    return out


def write_readme_block(table_md: str, readme: Path) -> bool:
    """Replace README's block between the demo-times markers; False if it had none."""
    text = readme.read_text()
    if MARK_START not in text or MARK_END not in text:
        return False
    head, rest = text.split(MARK_START, 1)
    _, tail = rest.split(MARK_END, 1)
    readme.write_text(f"{head}{MARK_START}\n{table_md.strip()}\n{MARK_END}{tail}")
    return True
