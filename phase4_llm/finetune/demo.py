"""Demo: the whole study, encoder and generative cases, its table and MLflow run.

Full mode is the study of the README (`roadmap run phase4_llm.finetune`, tens of minutes).
Quick mode is a smoke run of every method in about a minute: 200 training articles and 40 test
articles (8 per topic), 48 tokens each, 10 encoder steps and 6 LoRA steps of 2 on SmolLM2
scored on 10 articles; its numbers show the pipeline runs, not which method wins.
"""

from __future__ import annotations

from pathlib import Path

from phase0_env.common.outputs import study_output
from phase4_llm.finetune.study import Row, format_table, log_to_mlflow, run_study
from phase4_llm.finetune.study_generative import (
    FULL,
    GenerativeConfig,
    run_generative_study,
)

HERE = Path(__file__).resolve().parent
TINY = GenerativeConfig(max_tokens=48, steps=6, batch_size=2, test_per_topic=2)


def main(quick: bool = False) -> None:
    """Train and score every method; print the table, write results*.md, log to MLflow.

    The table goes to artifacts/phase4_llm/finetune/ (docs/ with `roadmap run ... --write-docs`).
    """
    config = TINY if quick else FULL
    rows = (tiny_study() if quick else run_study()) + run_generative_study(config)
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


def tiny_study(seed: int = 0) -> list[Row]:
    """The encoder methods on a small seeded subset (200 train, 8 test articles per topic)."""
    import numpy as np

    from phase4_llm.finetune.data import Split, load_bbc, split
    from phase4_llm.finetune.study import tfidf_baseline, tuned, zero_shot
    from phase4_llm.finetune.study_generative import stratified_subset

    train_set, _, test = split(load_bbc(), seed=seed)
    keep = np.sort(np.random.default_rng(seed).choice(len(train_set.texts), 200, replace=False))
    train_set = Split([train_set.texts[i] for i in keep], train_set.labels[keep])
    test = stratified_subset(test, 8, seed)
    steps, tokens = 10, 48
    return [
        tfidf_baseline(train_set, test),
        zero_shot(test, tokens),
        tuned("head", train_set, test, steps, tokens),
        tuned("lora", train_set, test, steps, tokens),
    ]
