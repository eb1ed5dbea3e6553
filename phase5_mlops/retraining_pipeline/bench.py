"""Bench: what the gates and the training step cost as the nightly batch grows, next to the
bare library call each wraps (pandera validation; a scikit-learn pipeline fit)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from phase0_env.common.bench import BenchRow, compare, sizes
from phase0_env.common.parity import reference_version


def run(quick: bool = False) -> list[BenchRow]:
    """Contract+drift gates vs pandera alone; phase 2 train (CV, snapshot, card) vs a fit."""
    from phase2_tabular.common.contract import contract_schema
    from phase2_tabular.common.pipeline import make_pipeline
    from phase2_tabular.tabular_api.train import make_model, train
    from phase5_mlops.retraining_pipeline.batches import daily_batch, pool_and_holdout
    from phase5_mlops.retraining_pipeline.gates import Thresholds, contract_gate, drift_gate

    pool, _, spec = pool_and_holdout()
    limits = Thresholds()
    schema = contract_schema(spec)
    rows = []
    with tempfile.TemporaryDirectory(prefix="retraining-bench-") as tmp:
        for n in sizes(quick, full=(240, 2_400, 24_000), small=(240, 960, 2_400)):
            batch = daily_batch(1, n_rows=n)

            def gates(batch=batch):  # type: ignore[no-untyped-def]
                return (
                    contract_gate(batch, spec).passed
                    and drift_gate(pool, batch, spec, limits).passed
                )

            def pandera_only(batch=batch):  # type: ignore[no-untyped-def]
                return schema.validate(batch, lazy=True)

            rows.append(
                compare(
                    "contract+drift gates vs pandera validate",
                    n,
                    gates,
                    pandera_only,
                    reference=reference_version("pandera"),
                    repeats=3,
                    quality={"gates_pass": bool(gates())},
                )
            )

            def phase2_train(batch=batch, out=Path(tmp) / f"m{n}"):  # type: ignore[no-untyped-def]
                return train(out, data=batch, n_splits=3)

            def bare_fit(batch=batch):  # type: ignore[no-untyped-def]
                pipe = make_pipeline(spec, make_model("logistic_regression", 0))
                return pipe.fit(batch[spec.features], batch[spec.target])

            rows.append(
                compare(
                    "phase2 train (3-fold CV + card) vs bare pipeline fit",
                    n,
                    phase2_train,
                    bare_fit,
                    reference=reference_version("scikit-learn"),
                    repeats=3,
                )
            )
    return rows
