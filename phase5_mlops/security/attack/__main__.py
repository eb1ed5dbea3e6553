"""`python -m phase5_mlops.security.attack [--profile short|full] [--services a,b]`.

Starts every service as a real process on 127.0.0.1, attacks it, writes reports/attack.md and
reports/attack.json, and exits 1 on any failure (5xx, unbounded metric growth, bypass, lost
write, ...), 0 when every service held.
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from phase5_mlops.security.attack.load import wrk_available
from phase5_mlops.security.attack.report import write_reports
from phase5_mlops.security.attack.runner import PROFILES, attack_service, profile_dict
from phase5_mlops.security.attack.targets import build_targets

REPO = Path(__file__).resolve().parents[3]
SERVICES = ("hello_service", "tabular_api", "rag_service", "serving", "security", "deploy_router")


def main(argv: list[str] | None = None) -> int:
    """Run the suite; the exit status is 0 only when no service failed a probe."""
    args = parse_args(argv)
    # Progress lines of the suite only; libraries (httpx logs every request) stay at WARNING.
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(message)s", stream=sys.stderr)
    logging.getLogger("roadmap.attack").setLevel(logging.INFO)
    report = run(args.profile, args.services, Path(args.out))
    print(f"attack: {'PASS' if report['passed'] else 'FAIL'}; reports in {args.out}")
    for name, section in report["services"].items():
        for failure in section["failures"]:
            print(f"  {name}: ({failure['kind']}) {failure['probe']}: {failure['detail']}")
    return 0 if report["passed"] else 1


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m phase5_mlops.security.attack")
    parser.add_argument("--profile", choices=sorted(PROFILES), default="short")
    parser.add_argument(
        "--services",
        type=lambda text: [s.strip() for s in text.split(",") if s.strip()],
        default=list(SERVICES),
        help=f"comma-separated subset of {','.join(SERVICES)}",
    )
    parser.add_argument("--out", default=str(REPO / "reports"), help="folder of the reports")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.services) - set(SERVICES))
    if unknown:
        parser.error(f"unknown services {unknown}; known: {', '.join(SERVICES)}")
    return args


def run(profile_name: str, services: list[str], out_dir: Path) -> dict[str, Any]:
    """Attack each service in turn; write and return the report."""
    profile = PROFILES[profile_name]
    started = time.perf_counter()
    report: dict[str, Any] = {
        "profile": profile_dict(profile),
        "started_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "git": git_revision(),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs",
        "load_client": "httpx-asyncio" + ("" if wrk_available() else " (wrk not installed)"),
        "services": {},
    }
    with tempfile.TemporaryDirectory(prefix="roadmap-attack-") as tmp:
        targets = build_targets(Path(tmp))
        for name in services:
            report["services"][name] = attack_service(targets[name], Path(tmp), profile)
    report["seconds"] = round(time.perf_counter() - started, 1)
    report["passed"] = all(not s["failures"] for s in report["services"].values())
    write_reports(report, out_dir)
    return report


def git_revision() -> str:
    """The short commit the suite ran on ("unknown" outside a checkout)."""
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            cwd=REPO,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return out.stdout.strip() or "unknown"


if __name__ == "__main__":
    sys.exit(main())
