"""The quick demo's runs: both models, trained on the smaller scenes, do well on held-out ones."""

from __future__ import annotations

import numpy as np
import torch

from phase6_tracks.vision.train_detector import QUICK_DETECTOR, train_detector
from phase6_tracks.vision.train_segmenter import QUICK_SEGMENTER, train_segmenter


def test_the_quick_runs_learn_something_useful() -> None:
    torch.set_num_threads(1)
    det = train_detector(QUICK_DETECTOR)
    seg = train_segmenter(QUICK_SEGMENTER)
    assert det.val is not None and seg.val is not None
    assert np.mean(det.losses[-10:]) < np.mean(det.losses[:10]) / 3
    assert np.mean(seg.losses[-10:]) < np.mean(seg.losses[:10]) / 3
    # Measured with one thread: mAP@0.5 0.935 and mean IoU 0.726; the floors leave room for
    # another CPU's float32 sums changing the path of 300-400 Adam steps.
    assert det.val.map50 >= 0.7
    assert seg.val.mean_iou >= 0.5
    # The smaller problem keeps every class: each one is scored on the held-out scenes.
    assert len(det.val.per_class) == 4
    assert not np.isnan(seg.val.iou).any()
