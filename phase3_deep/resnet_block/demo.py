"""Demo: load a tiny random transformers ResNet into ours and compare, then train a small
ResNet built from our layers on scikit-learn's 8x8 digits."""

from __future__ import annotations


def main(quick: bool = False) -> None:
    """Print the parity summary against transformers, then the digits training run."""
    import torch

    from phase0_env.common.parity import reference_version

    from .reference_pairs import model_pair, run_both
    from .train_digits import train_digits

    print(f"our ResNet vs {reference_version('transformers')} ResNetModel (same weights, float64)")
    for layer_type in ("basic", "bottleneck"):
        ours, theirs, names = model_pair(layer_type)
        x = torch.randn(
            2, 3, 32, 32, dtype=torch.float64, generator=torch.Generator().manual_seed(0)
        )
        for train in (True, False):
            diffs = {
                what: float((a - b).abs().max())
                for what, a, b in run_both(ours, theirs, names, x, train)
            }
            mode = "train" if train else "eval "
            print(
                f"  {layer_type:<10} {mode}  "
                + "  ".join(f"{k}: {v:.2e}" for k, v in diffs.items())
            )
    epochs = 3 if quick else 8
    print(
        "\ntraining a small ResNet (our layers, our cross-entropy) on sklearn digits, "
        f"{epochs} epochs"
    )
    run = train_digits(epochs=epochs)
    for i, loss in enumerate(run.epoch_losses, 1):
        print(f"  epoch {i}: mean training loss {loss:.4f}")
    print(f"  held-out accuracy: {run.test_accuracy:.3f} on {run.n_test} images")


if __name__ == "__main__":
    main()
