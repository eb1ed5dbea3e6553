"""Demo: the whole study, encoder and generative cases, its table and MLflow run.

Quick mode: the encoder case on 400 training articles for 30 steps, the generative case on
64-token articles for 30 steps of 4, scored on 60 test articles (12 per topic).
"""

from __future__ import annotations

from pathlib import Path

from phase0_env.common.outputs import study_output
from phase4_llm.finetune.study import format_table, log_to_mlflow, run_study
from phase4_llm.finetune.study_generative import FULL, QUICK, run_generative_study

HERE = Path(__file__).resolve().parent


def main(quick: bool = False) -> None:
    """Train and score every method; print the table, write results*.md, log to MLflow.

    The table goes to artifacts/phase4_llm/finetune/ (docs/ with `roadmap run ... --write-docs`).
    """
    config = QUICK if quick else FULL
    rows = run_study(quick=quick) + run_generative_study(config)
    table = format_table(rows)
    print(table)
    out = study_output(HERE, "results_quick.md" if quick else "results.md")
    out.write_text(
        f"# Fine-tuning study results ({'quick' if quick else 'full'} run)\n\n"
        "Written by `roadmap run phase4_llm.finetune"
        f"{' --quick' if quick else ''}`; scored on the held-out test split of the "
        "deduplicated BBC News articles (the generative rows on the number of test articles "
        f"shown). Generative settings: {config}.\n\n{table}\n"
    )
    print(f"results: {out}")
    run_id = log_to_mlflow(rows, quick, params=config.to_params())
    print(f"\nMLflow run id: {run_id}")
