"""The demo's pictures: a grid of generated digits and labelled zero-shot examples (matplotlib)."""

from __future__ import annotations

from pathlib import Path

import numpy as np


def sample_grid(
    samples: np.ndarray, rows: int, path: Path, title: str, real: np.ndarray | None = None
) -> None:
    """Save (rows*cols, 1, 8, 8) images in [-1, 1] as a grid, one class per row.

    With `real` (rows, 1, 8, 8), a first column shows one real digit of each row's class.
    """
    import matplotlib.pyplot as plt

    cols = len(samples) // rows
    extra = 0 if real is None else 1
    fig, axes = plt.subplots(rows, cols + extra, figsize=((cols + extra) * 0.6, rows * 0.6))
    for r in range(rows):
        if real is not None:
            axes[r, 0].imshow(real[r, 0], cmap="gray", vmin=-1, vmax=1)
        for c in range(cols):
            axes[r, c + extra].imshow(samples[r * cols + c, 0], cmap="gray", vmin=-1, vmax=1)
    for ax in axes.flat:
        ax.set_xticks([])
        ax.set_yticks([])
    if real is not None:
        axes[0, 0].set_title("real", fontsize=7)
    fig.suptitle(title, fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def zero_shot_examples(
    images: np.ndarray, truth: list[str], predicted: list[str], path: Path, title: str
) -> None:
    """Save (N, 3, 16, 16) images in [0, 1] with their true and zero-shot predicted prompts."""
    import matplotlib.pyplot as plt

    cols = 6
    rows = int(np.ceil(len(images) / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(cols * 1.9, rows * 2.1))
    for ax in axes.flat:
        ax.axis("off")
    for i, ax in enumerate(axes.flat[: len(images)]):
        ax.imshow(images[i].transpose(1, 2, 0))
        ok = truth[i] == predicted[i]
        ax.set_title(f"{truth[i]}\n-> {predicted[i]}", fontsize=6, color="green" if ok else "red")
    fig.suptitle(title, fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
