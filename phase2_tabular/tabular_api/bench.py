"""Bench: serving latency/throughput (ours vs a bare FastAPI endpoint) and training time.

Serving: both apps run as real uvicorn processes on 127.0.0.1 with the same artifact;
each cell sends the same requests at 1, 8 and 32 concurrent clients, for single and batch
(32 records) prediction. `ours_s`/`ref_s` are the wall time of the whole cell; quality
holds p50/p95/p99 latency (ms), requests/s and errors of ours, and the reference's rps.
Training: our pipeline (preprocess + model) vs the plain estimator on pre-encoded arrays.
"""

from __future__ import annotations

import tempfile
from functools import partial
from pathlib import Path

from phase0_env.common.bench import BenchRow, compare, sizes

CONCURRENCY = (1, 8, 32)
BATCH = 32


def run(quick: bool = False) -> list[BenchRow]:
    """Serving rows (single and batch at three concurrencies) and training rows per family."""
    with tempfile.TemporaryDirectory(prefix="tabular-bench-") as tmp:
        rows = serving_rows(Path(tmp), requests=150 if quick else 1000)
    return rows + training_rows(quick)


def serving_rows(tmp: Path, *, requests: int) -> list[BenchRow]:
    """Load-test ours and the bare reference app on the same artifact."""
    from phase0_env.common.parity import reference_version
    from phase0_env.common.testing import run_uvicorn
    from phase2_tabular.common.tables import load_table
    from phase2_tabular.tabular_api.loadtest import load_test
    from phase2_tabular.tabular_api.train import train

    artifact = train(tmp / "model", n_splits=3)
    df, spec = load_table("penguins")
    full = df.dropna()[spec.features]
    single = full.iloc[0].to_dict()
    batch = {"records": full.iloc[:BATCH].to_dict(orient="records")}
    env = {
        "TABULAR_ARTIFACT_DIR": str(artifact),
        "TABULAR_PREDICTION_LOG": str(tmp / "predictions.jsonl"),
        "TABULAR_LOG_LEVEL": "WARNING",
    }
    reference = f"bare FastAPI {reference_version('fastapi').split()[-1]} + sklearn"
    results = {}
    for name, factory in (
        ("ours", "phase2_tabular.tabular_api.app:create_app"),
        ("ref", "phase2_tabular.tabular_api.reference_app:create_bare_app"),
    ):
        with run_uvicorn(factory, env=env, log_dir=str(tmp)) as server:
            for case, path, payload in (
                ("predict_single", "/predict", single),
                ("predict_batch32", "/predict/batch", batch),
            ):
                load_test(server.url + path, payload, requests=20, concurrency=4)  # warm-up
                for c in CONCURRENCY:
                    n = requests if case == "predict_single" else max(c, requests // 4)
                    results[name, case, c] = load_test(
                        server.url + path, payload, requests=n, concurrency=c
                    )
    rows = []
    for (name, case, c), ours in results.items():
        if name != "ours":
            continue
        ref = results["ref", case, c]
        rows.append(
            BenchRow(
                f"{case} (clients)",
                c,
                ours.seconds,
                reference,
                ref.seconds,
                {
                    "requests": ours.total,
                    "rps": round(ours.rps, 1),
                    "p50_ms": round(ours.p50_ms, 2),
                    "p95_ms": round(ours.p95_ms, 2),
                    "p99_ms": round(ours.p99_ms, 2),
                    "errors": ours.errors,
                    "ref_rps": round(ref.rps, 1),
                    "ref_p50_ms": round(ref.p50_ms, 2),
                },
            )
        )
    return rows


def training_rows(quick: bool) -> list[BenchRow]:
    """Fit time of our pipeline vs the plain estimator, per family, at three row counts."""
    import numpy as np
    from sklearn.base import clone

    from phase0_env.common.parity import reference_version
    from phase2_tabular.common.pipeline import make_pipeline, make_preprocessor
    from phase2_tabular.common.tables import load_table, split_xy
    from phase2_tabular.tabular_api.train import FAMILIES, make_model

    df, spec = load_table("penguins")
    X, y = split_xy(df, spec)
    from threadpoolctl import threadpool_limits

    rows = []
    limit = threadpool_limits(limits=1)  # same single thread for ours and the reference
    for n in sizes(quick, full=(344, 2_000, 10_000), small=(344, 1_000, 2_000)):
        idx = np.random.default_rng(0).integers(0, len(X), n)
        Xn, yn = X.iloc[idx].reset_index(drop=True), y.iloc[idx].reset_index(drop=True)
        encoded = make_preprocessor(spec).fit_transform(Xn)
        for family in FAMILIES:
            model = make_model(family, 0)
            pipe = make_pipeline(spec, clone(model))
            rows.append(
                compare(
                    f"train {family}",
                    n,
                    partial(lambda e, a, b: clone(e).fit(a, b), pipe, Xn, yn),
                    partial(lambda e, a, b: clone(e).fit(a, b), model, encoded, yn),
                    reference=f"plain estimator ({reference_version('scikit-learn')})",
                    repeats=1 if quick else 3,
                    warmup=0 if quick else 1,
                )
            )
    limit.restore_original_limits()
    return rows
