"""Demo: train -> save artifact -> serve with uvicorn on 127.0.0.1 -> query -> print.

Trains the default model on palmerpenguins into a temporary folder, starts the API as a
real uvicorn process, sends one record, one batch and one bad record, prints the answers,
the model card's metrics and the drift summary, then stops the server.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path


def main(quick: bool = False) -> None:
    """Train, serve and query the tabular API end to end."""
    import httpx

    from phase0_env.common.testing import run_uvicorn
    from phase2_tabular.common.tables import load_table
    from phase2_tabular.tabular_api.artifact import load_artifact
    from phase2_tabular.tabular_api.monitoring import read_prediction_log
    from phase2_tabular.tabular_api.train import train

    with tempfile.TemporaryDirectory(prefix="tabular-demo-") as tmp:
        folder = train(Path(tmp) / "model", n_splits=3 if quick else 5)
        card = load_artifact(folder).card
        print(f"== trained {card['name']} (model {card['model_version']}, seed {card['seed']})")
        print(
            f"   data {card['training_data']['content_hash'][:23]}..., "
            f"{card['training_data']['n_rows']} rows, git {card['git_revision'][:12]}"
        )
        for metric, m in card["metrics"].items():
            print(
                f"   {metric:<18} {m['mean']:.4f}  95% CI [{m['ci_low']:.4f}, {m['ci_high']:.4f}]"
            )
        env = {
            "TABULAR_ARTIFACT_DIR": str(folder),
            "TABULAR_PREDICTION_LOG": str(Path(tmp) / "predictions.jsonl"),
            "TABULAR_LOG_LEVEL": "WARNING",
        }
        df, spec = load_table("penguins")
        record = {
            "bill_length_mm": 46.5,
            "bill_depth_mm": 17.9,
            "flipper_length_mm": 192.0,
            "body_mass_g": 3500.0,
            "island": "Dream",
            "sex": "female",
        }
        with run_uvicorn(
            "phase2_tabular.tabular_api.app:create_app", env=env, log_dir=tmp
        ) as server:
            print(f"\n== serving on {server.url}")
            answer = httpx.post(server.url + "/predict", json=record, timeout=10).json()
            print(f"POST /predict {json.dumps(record)}\n  -> {json.dumps(answer)}")
            rows = df.sample(150, random_state=0)[spec.features]
            batch = {"records": json.loads(rows.to_json(orient="records"))}
            resp = httpx.post(server.url + "/predict/batch", json=batch, timeout=10).json()
            labels = [p["label"] for p in resp["predictions"]]
            truth = df.loc[rows.index, spec.target].tolist()
            hits = sum(a == b for a, b in zip(labels, truth, strict=True))
            print(f"POST /predict/batch (150 real rows) -> {hits}/150 match the true species")
            bad = httpx.post(server.url + "/predict", json={**record, "island": "Atlantis"})
            print(f"bad input -> {bad.status_code}: {bad.json()['detail']}")
            drift = httpx.get(server.url + "/monitoring/drift").json()
            print(f"GET /monitoring/drift -> window {drift['window']}, drifted {drift['drifted']}")
        logged = read_prediction_log(Path(env["TABULAR_PREDICTION_LOG"]))
        print(f"\nprediction log: {len(logged)} JSON lines, e.g. {json.dumps(logged[0])[:120]}...")
