"""Run every probe against one service, bounded by a profile; collect verdicts and figures."""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Callable
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path
from typing import Any

import httpx

from phase5_mlops.security.attack import catalogue, crash, fuzz, probes
from phase5_mlops.security.attack.load import run_load
from phase5_mlops.security.attack.targets import SEED_DOCS, Deployment, Target, deploy
from phase5_mlops.security.attack.verdicts import Verdict, failures

log = logging.getLogger("roadmap.attack")


@dataclass(frozen=True)
class Profile:
    """How much of each attack to run."""

    name: str
    st_examples: int  # schemathesis examples per operation
    st_timeout_s: float
    load_requests: int  # per load run (divided by a target's load_cost)
    cardinality_per_round: int
    bypass_requests: int
    redos_chars: int
    redos_limit_s: float  # /healthz must answer within this during the ReDoS probe
    crash_kills: int
    # The coverage phase sends every boundary value of every field (hundreds of requests for
    # serving, each generating tokens); the short profile leaves it to the full one.
    st_phases: str = "examples,coverage,fuzzing,stateful"


PROFILES = {
    "short": Profile("short", 3, 300, 96, 60, 50, 100_000, 5.0, 1, "examples,fuzzing,stateful"),
    "full": Profile("full", 25, 600, 2000, 500, 150, 100_000, 5.0, 3),
}
LOAD_CLIENTS = (16, 64)
# Fault injected -> the prefix of the verdicts that decide whether the service survived it.
FAULTS = {
    "the bad-input catalogue (process alive after)": "alive after bad-input catalogue",
    "a 100k-char hostile word (ReDoS)": "ReDoS",
    "temperature 1e-300 in a running batch": "batch poisoning",
    "kill -9 during ingest, restart": "kill -9 during ingest",
    "kill -9 of an upstream under load": "kill -9 of an upstream",
}


def attack_service(target: Target, workdir: Path, profile: Profile) -> dict[str, Any]:
    """Every probe of the suite against `target`; the service's section of the report."""
    started = time.perf_counter()
    section: dict[str, Any] = {
        "service": target.name,
        "readme": target.readme,
        "schemathesis": {},
        "catalogue": {},
        "violations": [],
        "load": [],
        "verdicts": [],
    }
    verdicts: list[Verdict] = []

    def guarded(name: str, fn: Callable[[], list[Verdict]]) -> None:
        log.info("%s: %s", target.name, name)
        try:
            verdicts.extend(fn())
        except Exception as err:  # a probe that breaks is a suite error, not a silent pass
            detail = f"{type(err).__name__}: {err}"[:500]
            log.warning("%s: %s failed\n%s", target.name, name, traceback.format_exc())
            verdicts.append(Verdict(name, False, "suite_error", detail))

    try:
        with deploy(target, workdir) as running:
            _attack_running(target, running, workdir, profile, section, guarded)
    except Exception as err:  # the service did not start (or a process died on stop)
        verdicts.append(Verdict("start service", False, "suite_error", f"{err}"[:2000]))
    if target.name == "rag_service":
        guarded(
            "kill -9 during ingest",
            lambda: crash.kill_during_ingest(target, workdir, profile.crash_kills),
        )
    section["verdicts"] = [v.to_dict() for v in verdicts]
    section["faults"] = faults_survived(verdicts)
    section["failures"] = [v.to_dict() for v in failures(verdicts)]
    section["5xx"] = _count_5xx(section, verdicts)
    section["bypasses"] = sum(1 for v in failures(verdicts) if v.kind == "bypass")
    section["seconds"] = round(time.perf_counter() - started, 1)
    return section


def _attack_running(
    target: Target,
    running: Deployment,
    workdir: Path,
    profile: Profile,
    section: dict[str, Any],
    guarded: Callable[[str, Callable[[], list[Verdict]]], None],
) -> None:
    url = running.main.url
    if target.name == "rag_service":
        httpx.post(
            url + "/documents",
            json={"documents": SEED_DOCS},
            headers=target.key_headers,
            timeout=60,
        ).raise_for_status()

    def schemathesis() -> list[Verdict]:
        summary = fuzz.run_schemathesis(
            url,
            target.key_headers,
            workdir / "schemathesis" / target.name,
            max_examples=profile.st_examples,
            timeout_s=profile.st_timeout_s,
            phases=profile.st_phases,
        )
        section["schemathesis"] = summary
        section["violations"] += [f"schemathesis {v}" for v in summary.get("violations", [])]
        return fuzz.verdicts(summary)

    def bad_inputs() -> list[Verdict]:
        cases = catalogue.bad_inputs(target)
        statuses = catalogue.run_cases(url, cases)
        found, violations = catalogue.judge(cases, statuses)
        section["catalogue"] = {"cases": len(cases), "5xx": sum(500 <= s < 600 for s in statuses)}
        section["violations"] += violations
        return [*found, _alive("bad-input catalogue", running, url)]

    guarded("schemathesis", schemathesis)
    guarded("bad-input catalogue", bad_inputs)
    guarded(
        "metrics cardinality",
        lambda: probes.cardinality_probe(url, profile.cardinality_per_round),
    )
    guarded(
        "rate-limit bypass",
        lambda: probes.bypass_probes(running.limited.url, target, profile.bypass_requests),
    )
    for clients in LOAD_CLIENTS:
        guarded(f"load {clients} clients", partial(_load, target, url, profile, clients, section))
    if target.name == "serving":
        guarded("batch poisoning", lambda: probes.poisoning_probe(url, target))
    if target.name in ("rag_service", "security"):
        guarded(
            "ReDoS",
            lambda: probes.redos_probe(url, target, profile.redos_chars, profile.redos_limit_s),
        )
    if target.name == "deploy_router":
        guarded(
            "kill -9 of an upstream",
            lambda: crash.kill_upstream_under_load(
                url, running.extra["green"], target, profile.load_requests
            ),
        )
    guarded("still serving", lambda: [_alive("every probe", running, url)])


def _load(
    target: Target, url: str, profile: Profile, clients: int, section: dict[str, Any]
) -> list[Verdict]:
    n = max(clients, profile.load_requests // target.load_cost)
    figures = run_load(url, target.load, target.key_headers, requests=n, clients=clients)
    section["load"].append(figures.to_dict())
    bad = figures.server_errors + figures.transport_errors
    return [
        Verdict(
            f"load {clients} clients",
            bad == 0,
            "5xx" if bad else "",
            f"{bad} of {n} requests failed: {figures.statuses}; e.g. {figures.samples[:1]}"
            if bad
            else "",
            figures.to_dict(),
        )
    ]


def _alive(after: str, running: Deployment, url: str) -> Verdict:
    """The main process is still running and `/healthz` answers 200."""
    code = running.main.process.poll()
    try:
        ok = code is None and httpx.get(url + "/healthz", timeout=30).status_code == 200
    except httpx.HTTPError:
        ok = False
    return Verdict(
        f"alive after {after}",
        ok,
        "" if ok else "crash",
        "" if ok else f"process exit code {code}; /healthz did not answer 200",
    )


def faults_survived(verdicts: list[Verdict]) -> list[dict[str, Any]]:
    """Each injected fault that ran, and whether every verdict about it passed."""
    out = []
    for fault, prefix in FAULTS.items():
        related = [v for v in verdicts if v.probe.startswith(prefix)]
        if related:
            out.append({"fault": fault, "survived": all(v.passed for v in related)})
    return out


def _count_5xx(section: dict[str, Any], verdicts: list[Verdict]) -> int:
    """5xx answers seen anywhere: fuzzing, the catalogue, the probes and the load runs."""
    total = int(section["schemathesis"].get("5xx", 0)) + int(section["catalogue"].get("5xx", 0))
    for v in verdicts:
        if v.probe.startswith(("schemathesis", "catalogue")):
            continue
        total += int(v.figures.get("5xx", 0))
    return total


def profile_dict(profile: Profile) -> dict[str, Any]:
    return asdict(profile)
