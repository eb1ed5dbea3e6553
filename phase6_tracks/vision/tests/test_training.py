"""Training: the committed runs replay, and short runs learn (detector and U-Net)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch

from phase6_tracks.vision.train_detector import DetectorTraining, train_detector
from phase6_tracks.vision.train_segmenter import SegmenterTraining, train_segmenter

RESULTS = Path(__file__).resolve().parents[1] / "docs" / "results.json"


@pytest.fixture(autouse=True)
def _one_thread() -> None:
    torch.set_num_threads(1)


def test_committed_runs_replay_their_first_steps() -> None:
    """The figures in docs/ come from these configs: the first losses come back the same."""
    results = json.loads(RESULTS.read_text())
    det_cfg = DetectorTraining(**results["detector"]["config"])
    seg_cfg = SegmenterTraining(**results["segmenter"]["config"])
    det = train_detector(det_cfg, stop_after=3)
    seg = train_segmenter(seg_cfg, stop_after=3)
    # float32 convolutions may sum in another order on another CPU, and Adam's first steps
    # move each weight by about +-lr whatever the gradient's size, so a near-zero gradient
    # whose sign flips moves the loss a little: rtol 1e-3 (on the machine that wrote them: equal).
    np.testing.assert_allclose(det.losses, results["detector"]["first_losses"][:3], rtol=1e-3)
    np.testing.assert_allclose(seg.losses, results["segmenter"]["first_losses"][:3], rtol=1e-3)
    assert results["detector"]["val"]["map50"] >= 0.9
    assert results["segmenter"]["val"]["mean_iou"] >= 0.85


@pytest.mark.slow
def test_a_short_detector_run_learns() -> None:
    run = train_detector(
        DetectorTraining(n_train=400, n_val=60, steps=120, batch=16, eval_every=120)
    )
    assert run.val is not None
    assert np.mean(run.losses[-10:]) < np.mean(run.losses[:10]) / 3
    assert run.val.map50 >= 0.5  # 120 small steps; the full run reaches >= 0.9


@pytest.mark.slow
def test_a_short_unet_run_learns() -> None:
    run = train_segmenter(SegmenterTraining(n_train=400, n_val=40, steps=150, eval_every=150))
    assert run.val is not None
    assert np.mean(run.losses[-10:]) < np.mean(run.losses[:10]) / 3
    assert run.val.mean_iou >= 0.5  # 150 steps; the full run (400) reaches >= 0.85
