"""Pictures of the two training runs: curves, example detections, predicted masks."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from phase6_tracks.common.scenes import CLASSES, Scene

from .coco_map import Detections

CLASS_COLORS = ("#e41a1c", "#377eb8", "#4daf4a", "#ff7f00")
COLOR_NAMES = ("red", "blue", "green", "orange")


def detection_figure(
    losses: list[float],
    curve: list[tuple[int, float]],
    scenes: list[Scene],
    dets: list[Detections],
    path: Path,
    min_score: float = 0.3,
) -> None:
    """Loss and held-out mAP@0.5 by step, then scenes with predicted (solid) and true boxes."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    n = len(scenes)
    fig = plt.figure(figsize=(2.2 * n, 5.2))
    grid = fig.add_gridspec(2, n, height_ratios=(1, 1.1))
    ax = fig.add_subplot(grid[0, : n // 2])
    ax.plot(np.arange(1, len(losses) + 1), losses, lw=0.8)
    ax.set(yscale="log", xlabel="step", ylabel="train loss", title="detector training loss")
    ax = fig.add_subplot(grid[0, n // 2 :])
    ax.plot(*zip(*curve, strict=True), marker="o")
    ax.set(xlabel="step", ylabel="mAP@0.5", ylim=(0, 1.02), title="held-out mAP@0.5 (ours)")
    for i, (scene, det) in enumerate(zip(scenes, dets, strict=True)):
        ax = fig.add_subplot(grid[1, i])
        ax.imshow(scene.image.transpose(1, 2, 0))
        for x0, y0, x1, y1 in scene.boxes:
            ax.add_patch(
                plt.Rectangle(
                    (x0 - 0.5, y0 - 0.5), x1 - x0, y1 - y0, fill=False, ec="white", ls=":", lw=1
                )
            )
        for (x0, y0, x1, y1), s, c in zip(det.boxes, det.scores, det.labels, strict=True):
            if s < min_score:
                continue
            ax.add_patch(
                plt.Rectangle(
                    (x0 - 0.5, y0 - 0.5), x1 - x0, y1 - y0, fill=False, ec=CLASS_COLORS[c], lw=1.5
                )
            )
            ax.text(x0, y0 - 1, f"{CLASSES[c]} {s:.2f}", color=CLASS_COLORS[c], fontsize=6)
        ax.axis("off")
    fig.suptitle("predicted boxes (solid, class colour) and true boxes (dotted)", fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def segmentation_figure(
    losses: list[float],
    curve: list[tuple[int, float]],
    scenes: list[Scene],
    pred: np.ndarray,
    path: Path,
) -> None:
    """Loss and held-out mean IoU by step, then image / true mask / predicted mask rows."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.colors import ListedColormap

    cmap = ListedColormap(["#202020", *CLASS_COLORS])
    n = len(scenes)
    fig, axes = plt.subplots(4, n, figsize=(2 * n, 8.4))
    top = fig.add_subplot(4, 2, 1)
    top.plot(np.arange(1, len(losses) + 1), losses, lw=0.8)
    top.set(yscale="log", xlabel="step", ylabel="cross-entropy + Dice", title="U-Net training loss")
    top2 = fig.add_subplot(4, 2, 2)
    top2.plot(*zip(*curve, strict=True), marker="o")
    top2.set(xlabel="step", ylabel="mean IoU", ylim=(0, 1.02), title="held-out mean IoU (ours)")
    for ax in axes[0]:
        ax.remove()
    for i, scene in enumerate(scenes):
        axes[1, i].imshow(scene.image.transpose(1, 2, 0))
        axes[2, i].imshow(scene.semantic, cmap=cmap, vmin=0, vmax=len(CLASSES))
        axes[3, i].imshow(pred[i], cmap=cmap, vmin=0, vmax=len(CLASSES))
        for row in (1, 2, 3):
            axes[row, i].axis("off")
    axes[1, 0].set_title("image", fontsize=8, loc="left")
    axes[2, 0].set_title("true mask", fontsize=8, loc="left")
    axes[3, 0].set_title("U-Net mask", fontsize=8, loc="left")
    names = ", ".join(f"{c}={COLOR_NAMES[k]}" for k, c in enumerate(CLASSES))
    fig.suptitle(f"classes: background=dark, {names}", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
