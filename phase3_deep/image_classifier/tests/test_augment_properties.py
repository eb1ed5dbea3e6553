"""Augmentations: seeded, right shapes, values in range, the documented extremes."""

import math

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from phase3_deep.image_classifier.augment import (
    ColorJitter,
    Compose,
    Normalize,
    RandomHorizontalFlip,
    RandomResizedCrop,
    adjust_brightness,
    adjust_contrast,
    adjust_saturation,
)


def _img(seed=0, h=20, w=24):
    return torch.rand(3, h, w, generator=torch.Generator().manual_seed(seed))


def _gen(seed):
    return torch.Generator().manual_seed(seed)


def test_the_same_seed_gives_the_same_augmented_image():
    pipe = Compose(
        [RandomResizedCrop((16, 16)), RandomHorizontalFlip(), ColorJitter(0.4, 0.4, 0.4)]
    )
    a, b, c = pipe(_img(), _gen(3)), pipe(_img(), _gen(3)), pipe(_img(), _gen(4))
    assert torch.equal(a, b)
    assert not torch.equal(a, c)


@settings(max_examples=40)
@given(h=st.integers(4, 64), w=st.integers(4, 64), seed=st.integers(0, 10_000))
def test_random_resized_crop_box_is_inside_the_image_and_output_has_the_size(h, w, seed):
    crop = RandomResizedCrop((10, 14), scale=(0.2, 1.0))
    top, left, ch, cw = crop.box(h, w, _gen(seed))
    assert top >= 0 and left >= 0 and top + ch <= h and left + cw <= w and ch > 0 and cw > 0
    out = crop(torch.rand(3, h, w), _gen(seed))
    assert out.shape == (3, 10, 14)
    assert float(out.min()) >= 0.0 and float(out.max()) <= 1.0  # bilinear never overshoots


def test_random_resized_crop_area_and_ratio_stay_in_their_ranges():
    crop = RandomResizedCrop((8, 8), scale=(0.3, 0.6), ratio=(0.8, 1.25))
    for seed in range(50):
        _, _, h, w = crop.box(100, 100, _gen(seed))
        assert 0.3 * 1e4 * 0.9 <= h * w <= 0.6 * 1e4 * 1.1  # rounding to whole pixels
        assert 0.8 * 0.95 <= w / h <= 1.25 * 1.05


def test_flip_probability_extremes_and_rate():
    img = _img()
    assert torch.equal(RandomHorizontalFlip(0.0)(img, _gen(0)), img)
    assert torch.equal(RandomHorizontalFlip(1.0)(img, _gen(0)), img.flip(-1))
    flips = sum(not torch.equal(RandomHorizontalFlip(0.5)(img, _gen(s)), img) for s in range(400))
    assert 160 < flips < 240  # binomial(400, 0.5): mean 200, sd 10


@settings(max_examples=30)
@given(seed=st.integers(0, 10_000), amount=st.floats(0.0, 0.9))
def test_colour_jitter_keeps_values_in_unit_range_and_shape(seed, amount):
    out = ColorJitter(amount, amount, amount)(_img(seed) * 1.0, _gen(seed))
    assert out.shape == (3, 20, 24)
    assert float(out.min()) >= 0.0 and float(out.max()) <= 1.0


def test_colour_adjustments_at_their_documented_extremes():
    img = _img()
    assert torch.equal(adjust_brightness(img, 0.0), torch.zeros_like(img))
    assert torch.allclose(adjust_brightness(img, 1.0), img)
    flat = adjust_contrast(img, 0.0)
    assert torch.allclose(flat, flat.flatten()[0].expand_as(flat))
    grey = adjust_saturation(img, 0.0)
    assert torch.allclose(grey[0], grey[1]) and torch.allclose(grey[1], grey[2])
    assert torch.allclose(adjust_saturation(img, 1.0), img)
    assert torch.allclose(adjust_contrast(img, 1.0), img)


def test_jitter_with_zero_amounts_is_the_identity():
    img = _img()
    assert torch.equal(ColorJitter()(img, _gen(0)), img)


def test_normalize_transform_gives_zero_mean_unit_std_for_matching_statistics():
    img = _img(h=64, w=64)
    mean = tuple(float(m) for m in img.mean(dim=(1, 2)))
    std = tuple(float(s) for s in img.std(dim=(1, 2)))
    out = Normalize(mean, std)(img, _gen(0))
    assert out.mean(dim=(1, 2)).abs().max() < 1e-5
    assert torch.allclose(out.std(dim=(1, 2)), torch.ones(3), atol=1e-5)


@pytest.mark.parametrize("ratio", [(0.25, 0.3), (3.0, 4.0)])
def test_crop_falls_back_to_a_centre_crop_when_the_ratio_cannot_fit(ratio):
    crop = RandomResizedCrop((5, 5), scale=(0.99, 1.0), ratio=ratio)
    top, left, h, w = crop.box(10, 10, _gen(0))
    assert (top, left) == ((10 - h) // 2, (10 - w) // 2)
    assert math.isclose(w / h, ratio[0] if ratio[0] > 1 else ratio[1], rel_tol=0.35)
