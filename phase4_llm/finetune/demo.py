"""Demo: the whole study, encoder and generative cases, its table and MLflow run.

Quick mode: the encoder case on 400 training articles for 30 steps, the generative case on
64-token articles for 30 steps of 4, scored on 60 test articles (12 per topic).
"""

from __future__ import annotations

from pathlib import Path

from phase4_llm.finetune.study import format_table, log_to_mlflow, run_study
from phase4_llm.finetune.study_generative import FULL, QUICK, run_generative_study

RESULTS = Path(__file__).parent / "docs"


def main(quick: bool = False) -> None:
    """Train and score every method; print the table, write docs/results*.md, log to MLflow."""
    config = QUICK if quick else FULL
    rows = run_study(quick=quick) + run_generative_study(config)
    table = format_table(rows)
    print(table)
    RESULTS.mkdir(exist_ok=True)
    name = "results_quick.md" if quick else "results.md"
    (RESULTS / name).write_text(
        f"# Fine-tuning study results ({'quick' if quick else 'full'} run)\n\n"
        "Written by `roadmap run phase4_llm.finetune"
        f"{' --quick' if quick else ''}`; scored on the held-out test split of the "
        "deduplicated BBC News articles (the generative rows on the number of test articles "
        f"shown). Generative settings: {config}.\n\n{table}\n"
    )
    run_id = log_to_mlflow(rows, quick, params=config.to_params())
    print(f"\nMLflow run id: {run_id}")
