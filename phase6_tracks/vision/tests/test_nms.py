"""Hard, per-class and soft NMS vs the pair-by-pair definitions: ties, duplicates, empty input."""

from __future__ import annotations

import numpy as np
import pytest

from phase0_env.common.parity import assert_parity
from phase6_tracks.vision import definitions as D
from phase6_tracks.vision import nms as N
from phase6_tracks.vision.synthetic import random_boxes

DEF = "published definition"


def _case(seed: int, n: int = 120) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return random_boxes(rng, n, degenerate=True), np.round(rng.random(n) * 8) / 8


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("thr", [0.0, 0.4, 0.9])
def test_hard_nms_equals_definition(seed: int, thr: float) -> None:
    boxes, scores = _case(seed)
    assert_parity(
        N.nms(boxes, scores, thr),
        D.nms(boxes, scores, thr),
        exact=True,
        reference=DEF,
        name=f"NMS seed {seed} thr {thr}",
    )


def test_identical_boxes_keep_the_first_of_tied_scores() -> None:
    boxes = np.tile([[0.0, 0.0, 10.0, 10.0]], (4, 1))
    kept = N.nms(boxes, np.array([0.5, 0.9, 0.9, 0.1]), 0.5)
    assert kept.tolist() == [1]  # equal best scores: the lower index wins
    # Zero-area boxes overlap nothing, so NMS keeps all of them.
    points = np.tile([[3.0, 3.0, 3.0, 3.0]], (3, 1))
    assert N.nms(points, np.ones(3), 0.5).tolist() == [0, 1, 2]


def test_empty_input() -> None:
    empty = np.zeros((0, 4))
    assert N.nms(empty, np.zeros(0), 0.5).shape == (0,)
    assert N.batched_nms(empty, np.zeros(0), np.zeros(0, int), 0.5).shape == (0,)
    keep, kept = N.soft_nms(empty, np.zeros(0))
    assert keep.shape == kept.shape == (0,)


def test_batched_nms_never_suppresses_across_classes() -> None:
    boxes, scores = _case(3)
    classes = np.random.default_rng(3).integers(0, 4, size=len(boxes))
    expected = np.concatenate(
        [
            np.flatnonzero(classes == c)[D.nms(boxes[classes == c], scores[classes == c], 0.5)]
            for c in range(4)
        ]
    )
    assert_parity(
        np.sort(N.batched_nms(boxes, scores, classes, 0.5)),
        np.sort(expected),
        exact=True,
        reference=DEF,
        name="per-class NMS",
    )


@pytest.mark.parametrize("method", ["linear", "gaussian"])
@pytest.mark.parametrize("seed", [0, 1])
def test_soft_nms_equals_definition(method: str, seed: int) -> None:
    boxes, scores = _case(seed)
    keep, kept = N.soft_nms(boxes, scores, method, 0.3, 0.5, 0.01)
    ref_keep, ref_kept = D.soft_nms(boxes, scores, method, 0.3, 0.5, 0.01)
    assert_parity(keep, ref_keep, exact=True, reference=DEF, name=f"soft-NMS {method} order")
    assert_parity(kept, ref_kept, rtol=1e-12, reference=DEF, name=f"soft-NMS {method} scores")
    assert np.all(np.diff(kept) <= 0)  # each pick is the largest score left, and scores only fall


def test_soft_nms_rejects_unknown_method() -> None:
    with pytest.raises(ValueError, match="linear"):
        N.soft_nms(np.zeros((1, 4)), np.ones(1), method="hard")
