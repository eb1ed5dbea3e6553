"""Demo: four nights of retraining in a throwaway store, one gate failing on two of them.

Night 0 bootstraps the champion; night 1 brings drifted birds (drift gate); night 2 brings
half-mislabelled rows (quality gate); night 3 is clean and is promoted.
"""

from __future__ import annotations

import tempfile
from pathlib import Path


def main(quick: bool = False) -> None:
    """Run the nights with the plain runner and print each run's gates and outcome."""
    from phase5_mlops.retraining_pipeline.pipeline import (
        Faults,
        RetrainConfig,
        StorePaths,
        run_nightly,
    )

    nights: list[tuple[int, Faults, str]] = [
        (0, {}, "clean first night"),
        (1, {"drift": 1.0}, "heavier birds, more Biscoe"),
        (2, {"label_noise": 0.5}, "half the labels wrong"),
        (3, {}, "clean night"),
    ]
    if quick:
        nights = [nights[0], nights[1], nights[3]]
    with tempfile.TemporaryDirectory(prefix="retraining-demo-") as tmp:
        root = Path(tmp)
        base: StorePaths = {
            "tracking_uri": f"sqlite:///{root / 'mlflow.db'}",
            "artifact_root": str(root / "artifacts"),
            "runs_dir": str(root / "runs"),
        }
        for day, fault, what in nights:
            report = run_nightly(RetrainConfig(day=day, **base, **fault))
            print(f"\nnight {day} ({what}): {report.outcome.upper()}")
            for gate in report.gates:
                print(
                    f"  {'pass' if gate['passed'] else 'FAIL'}  {gate['name']:<9} {gate['message']}"
                )
            print(f"  champion: v{report.champion_before} -> v{report.champion_after}")
        print("\nEach run wrote report.json and report.md (in this temporary store); the last:\n")
        print(report.markdown())
