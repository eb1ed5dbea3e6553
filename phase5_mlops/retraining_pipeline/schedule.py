"""The schedule: a crontab line and a Kubernetes CronJob, checked against each other.

`load_cronjob` turns the YAML into the `kubernetes` client's `V1CronJob` model (its
deserialiser rejects unknown types and missing required fields); `schedule_problems` also
checks the cron expression field by field and that cron and Kubernetes run the same command
at the same time.
"""

from __future__ import annotations

import json
import shlex
from pathlib import Path
from typing import Any

DEPLOY = Path(__file__).with_name("deploy")
CRONJOB = DEPLOY / "cronjob.yaml"
CRONTAB = DEPLOY / "crontab.txt"  # .txt: `roadmap new` rewrites module paths in text files
MODULE = "phase5_mlops.retraining_pipeline"
# (name, lowest, highest) of the five cron fields
CRON_FIELDS = (("minute", 0, 59), ("hour", 0, 23), ("day", 1, 31), ("month", 1, 12), ("dow", 0, 7))


def load_cronjob(path: Path = CRONJOB) -> Any:
    """The manifest as a `kubernetes.client.V1CronJob` (ValueError if it does not fit)."""
    import yaml
    from kubernetes.client import ApiClient

    data = yaml.safe_load(path.read_text())
    if data.get("apiVersion") != "batch/v1" or data.get("kind") != "CronJob":
        raise ValueError(f"{path}: expected apiVersion batch/v1, kind CronJob")

    # The generated client's own deserialiser (kubernetes >= 35 takes the JSON text).
    return ApiClient().deserialize(json.dumps(data), "V1CronJob", "application/json")


def cron_problems(expression: str) -> list[str]:
    """Why a five-field cron expression is invalid (numbers, ranges, lists, steps, `*`)."""
    fields = expression.split()
    if len(fields) != 5:
        return [f"{expression!r}: expected 5 fields, got {len(fields)}"]
    problems = []
    for text, (name, lo, hi) in zip(fields, CRON_FIELDS, strict=True):
        for part in text.split(","):
            base, _, step = part.partition("/")
            if step and not (step.isdigit() and int(step) > 0):
                problems.append(f"{name}: bad step {step!r}")
            if base == "*":
                continue
            bounds = base.split("-")
            if len(bounds) > 2 or not all(b.isdigit() for b in bounds):
                problems.append(f"{name}: {part!r} is not a number, range or *")
                continue
            values = [int(b) for b in bounds]
            if any(not lo <= v <= hi for v in values) or values != sorted(values):
                problems.append(f"{name}: {part!r} outside {lo}-{hi}")
    return problems


def crontab_entry(path: Path = CRONTAB) -> tuple[str, list[str]]:
    """(schedule, command words) of the one active line of the crontab file."""
    lines = [ln for ln in path.read_text().splitlines() if ln.strip() and not ln.startswith("#")]
    if len(lines) != 1:
        raise ValueError(f"{path}: expected one active line, found {len(lines)}")
    words = lines[0].split()
    return " ".join(words[:5]), shlex.split(" ".join(words[5:]))


def schedule_problems(cronjob_path: Path = CRONJOB, crontab_path: Path = CRONTAB) -> list[str]:
    """Everything wrong with the two schedules, or that makes them disagree (empty: none)."""
    job = load_cronjob(cronjob_path)
    problems = [f"CronJob: {p}" for p in cron_problems(job.spec.schedule)]
    schedule, words = crontab_entry(crontab_path)
    problems += [f"crontab: {p}" for p in cron_problems(schedule)]
    if schedule != job.spec.schedule:
        problems.append(f"crontab runs at {schedule!r}, the CronJob at {job.spec.schedule!r}")
    if job.spec.concurrency_policy != "Forbid":
        problems.append("CronJob must forbid concurrent runs (alias moves must not interleave)")
    containers = job.spec.job_template.spec.template.spec.containers
    command = containers[0].command or []
    for name, cmd in (("CronJob", command), ("crontab", words)):
        if MODULE not in cmd or "run" not in cmd:
            problems.append(f"{name} does not run `python -m {MODULE} run`")
    if MODULE in command and MODULE in words:
        job_args = command[command.index(MODULE) :]
        tab_args = words[words.index(MODULE) :][: len(job_args)]  # shell redirections follow
        if job_args != tab_args:
            problems.append(f"crontab passes {tab_args}, the CronJob {job_args}")
    return problems
