"""Train the digits MLP with every feature of the loop, track it in MLflow, compare with torch."""

from __future__ import annotations

import tempfile
from pathlib import Path

from phase0_env.common.seeding import seed_everything

from .config import TrainConfig
from .example_task import DigitsMLP, digits_splits
from .init_schemes import init_model
from .loop import Trainer
from .parity import schedule_checks
from .tracking import MlflowTracker, plot_history


def main(quick: bool = False) -> None:
    """Train, print the per-epoch table, test accuracy, the MLflow run id and the parity lines."""
    seed = 0
    seed_everything(seed)
    train, val, test = digits_splits(seed)
    cfg = TrainConfig(
        epochs=6 if quick else 20,
        lr=3e-3,
        label_smoothing=0.1,
        patience=4,
        seed=seed,
        progress=False,
    )
    model = init_model(DigitsMLP(hidden=128, dropout=0.1), "kaiming_uniform", seed)
    with (
        tempfile.TemporaryDirectory() as tmp,
        MlflowTracker(
            "phase3_deep.training", seed=seed, params=cfg.to_params(), run_name="digits-mlp"
        ) as tracker,
    ):
        trainer = Trainer(model, cfg, tracker=tracker, checkpoint_path=Path(tmp) / "last.pt")
        result = trainer.fit(train, val)
        test_metrics = trainer.evaluate(test)
        tracker.log_metrics(
            {"test_accuracy": test_metrics["val_accuracy"]}, step=len(result.history)
        )
        assert result.checkpoint is not None  # a checkpoint_path was given
        tracker.log_artifact(result.checkpoint, "checkpoint")
        tracker.log_artifact(plot_history(result.history, Path(tmp) / "loss.png"), "plots")
    print(f"{'epoch':>5} {'train_loss':>10} {'val_loss':>9} {'val_acc':>8} {'lr':>9}")
    for row in result.history:
        print(
            f"{int(row['epoch']):>5} {row['train_loss']:>10.4f} {row['val_loss']:>9.4f} "
            f"{row['val_accuracy']:>8.3f} {row['lr']:>9.2e}"
        )
    stop = " (early stop)" if result.stopped_early else ""
    print(f"\n{result.steps} steps{stop}; test accuracy {test_metrics['val_accuracy']:.3f}")
    print(f"MLflow run id: {tracker.run_id}  (store: {tracker.tracking_uri})")
    print("\nLR schedules vs torch, every step:")
    for r in schedule_checks():
        print(f"  {r.name:<32} max |diff| {r.max_error:.2e}  {'ok' if r.passed else 'FAIL'}")
