"""Box IoU and mask IoU vs pycocotools; GIoU, box deltas and anchors vs their definitions;
properties on generated and degenerate boxes."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from phase0_env.common.parity import assert_parity, reference_version
from phase6_tracks.common.scenes import make_scenes
from phase6_tracks.vision import boxes as B
from phase6_tracks.vision import definitions as D
from phase6_tracks.vision import references as R
from phase6_tracks.vision.synthetic import random_boxes

COCO = reference_version("pycocotools")
DEF = "published definition"


def _boxes(n: int, seed: int) -> np.ndarray:
    return random_boxes(np.random.default_rng(seed), n, degenerate=True)


def test_iou_equals_pycocotools_on_degenerate_and_duplicate_boxes() -> None:
    a, b = _boxes(80, 0), _boxes(70, 1)
    a[5] = b[7]  # an identical pair across the two sets
    iou = B.box_iou(a, b)
    assert_parity(
        iou,
        R.coco_box_iou(a, b),
        reference=COCO,
        rtol=1e-12,
        atol=1e-15,
        name="box IoU vs pycocotools",
    )
    assert iou[5, 7] == 1.0 or B.box_area(a[5:6])[0] == 0
    zero = B.box_area(a) == 0
    assert zero.any() and not iou[zero].any()  # zero-area boxes overlap nothing


def test_mask_iou_equals_pycocotools_on_scene_masks() -> None:
    masks = np.concatenate([s.masks for s in make_scenes(5, seed=11)])
    other = np.roll(masks, (1, 3), axis=(1, 2))
    empty = np.zeros((1, *masks.shape[1:]), dtype=bool)
    a, b = np.concatenate([masks, empty]), np.concatenate([other, empty])
    assert_parity(
        B.mask_iou(a, b),
        R.coco_mask_iou(a, b),
        reference=COCO,
        rtol=1e-12,
        name="mask IoU vs pycocotools",
    )


def test_giou_equals_definition_incl_zero_area_hulls() -> None:
    a, b = _boxes(40, 2), _boxes(30, 3)
    b[0] = a[0] = [5.0, 5.0, 5.0, 5.0]  # the same point: the enclosing box has no area
    assert_parity(
        B.generalized_box_iou(a, b),
        D.giou(a, b),
        reference=DEF,
        rtol=1e-12,
        atol=1e-15,
        name="GIoU vs definition",
    )


def test_encode_decode_and_anchors_equal_definitions() -> None:
    grid, stride, sizes, ratios = (3, 5), 16.0, (24.0, 48.0), (0.5, 1.0, 2.0)
    anchors = B.anchors(grid, stride, sizes, ratios)
    assert anchors.shape == (3 * 5 * 6, 4)
    assert_parity(
        anchors, D.anchors(grid, stride, sizes, ratios), reference=DEF, name="anchors vs definition"
    )
    truth = random_boxes(np.random.default_rng(4), len(anchors))
    deltas = B.encode(truth, anchors)
    assert_parity(
        deltas,
        D.encode(truth, anchors, B.DELTA_WEIGHTS),
        reference=DEF,
        rtol=1e-12,
        atol=1e-12,
        name="encode vs definition",
    )
    big = deltas.copy()
    big[:4, 2:] = 40.0  # 40 / 5 = 8 > log(1000/16): the clamp must act on these
    assert_parity(
        B.decode(big, anchors),
        D.decode(big, anchors, B.DELTA_WEIGHTS, B.SIZE_DELTA_CLIP),
        reference=DEF,
        rtol=1e-12,
        name="decode vs definition (clamped)",
    )


coords = st.floats(0, 100, allow_nan=False, width=64)


@st.composite
def box_sets(draw: st.DrawFn) -> np.ndarray:
    n = draw(st.integers(1, 8))
    xy = draw(arrays(np.float64, (n, 2), elements=coords))
    wh = draw(arrays(np.float64, (n, 2), elements=st.floats(0, 50, width=64)))
    return np.concatenate([xy, xy + wh], axis=1)


@settings(max_examples=60, deadline=None)
@given(box_sets(), box_sets())
def test_iou_and_giou_properties(a: np.ndarray, b: np.ndarray) -> None:
    iou, giou = B.box_iou(a, b), B.generalized_box_iou(a, b)
    assert np.all((iou >= 0) & (iou <= 1 + 1e-12))
    assert np.all((giou >= -1 - 1e-12) & (giou <= iou + 1e-12))
    np.testing.assert_allclose(B.box_iou(b, a), iou.T, rtol=1e-12)
    positive = B.box_area(a) > 0
    np.testing.assert_allclose(np.diag(B.box_iou(a, a))[positive], 1.0, rtol=1e-12)


@settings(max_examples=60, deadline=None)
@given(box_sets())
def test_decode_inverts_encode_for_boxes_with_area(a: np.ndarray) -> None:
    a = a[(a[:, 2] - a[:, 0] > 1e-3) & (a[:, 3] - a[:, 1] > 1e-3)]
    anchors = np.tile([[10.0, 10.0, 42.0, 26.0]], (len(a), 1))
    back = B.decode(B.encode(a, anchors), anchors)
    np.testing.assert_allclose(back, a, rtol=1e-9, atol=1e-9)
