"""The scene generator: seeded, and its boxes, masks and semantic maps agree exactly."""

from __future__ import annotations

import numpy as np

from phase6_tracks.common.scenes import CLASSES, COLORS, make_scenes, stack


def test_same_seed_same_scenes_other_seed_other_scenes() -> None:
    a, b, c = make_scenes(5, seed=3), make_scenes(5, seed=3), make_scenes(5, seed=4)
    assert all(np.array_equal(x.image, y.image) for x, y in zip(a, b, strict=True))
    assert not np.array_equal(a[0].image, c[0].image)


def test_labels_are_exact_and_consistent() -> None:
    scenes = make_scenes(60, seed=0)
    images, semantic = stack(scenes)
    assert images.shape == (60, 3, 64, 64) and images.dtype == np.float32
    assert images.min() >= 0.0 and images.max() <= 1.0
    seen = set()
    for scene, sem in zip(scenes, semantic, strict=True):
        assert 1 <= len(scene.labels) <= 4
        assert scene.masks.sum(0).max() <= 1  # objects never overlap
        for box, label, mask, colour, digit in zip(
            scene.boxes, scene.labels, scene.masks, scene.colors, scene.digits, strict=True
        ):
            rows, cols = np.nonzero(mask)
            assert box.tolist() == [cols.min(), rows.min(), cols.max() + 1, rows.max() + 1]
            assert np.all(sem[mask] == label + 1)
            assert colour in COLORS
            assert (digit >= 0) == (CLASSES[label] == "digit")
            seen.add(int(label))
        assert np.array_equal(sem > 0, scene.masks.any(0))
    assert seen == set(range(len(CLASSES)))
