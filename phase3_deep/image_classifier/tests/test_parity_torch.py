"""Our resize, flip and normalise equal torch's ops; all parity checks pass."""

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from phase0_env.common.parity import assert_parity, reference_version
from phase3_deep.image_classifier.augment import (
    RandomResizedCrop,
    hflip,
    normalize,
    resize_bilinear,
)
from phase3_deep.image_classifier.parity import checks

TORCH = reference_version("torch")


@settings(max_examples=40)
@given(
    h=st.integers(1, 40),
    w=st.integers(1, 40),
    oh=st.integers(1, 48),
    ow=st.integers(1, 48),
    seed=st.integers(0, 1000),
)
def test_bilinear_resize_equals_torch_interpolate(h, w, oh, ow, seed):
    img = torch.rand(3, h, w, generator=torch.Generator().manual_seed(seed))
    ref = F.interpolate(img[None], size=(oh, ow), mode="bilinear", align_corners=False)[0]
    # float32; lerp vs torch's weighted sum differ in the last bits
    assert_parity(resize_bilinear(img, (oh, ow)), ref, reference=TORCH, rtol=1e-5, atol=1e-6)


def test_hflip_equals_torch_flip_exactly():
    img = torch.rand(3, 5, 8)
    assert_parity(hflip(img), torch.flip(img, dims=[-1]), reference=TORCH, exact=True)
    assert torch.equal(hflip(hflip(img)), img)


@pytest.mark.parametrize(
    "mean,std", [((0.5,) * 3, (0.25,) * 3), ((0.1, 0.2, 0.3), (1.0, 2.0, 0.5))]
)
def test_normalize_equals_eval_mode_batch_norm(mean, std):
    img = torch.rand(3, 9, 9)
    ref = F.batch_norm(img[None], torch.tensor(mean), torch.tensor(std) ** 2, eps=0.0)[0]
    assert_parity(normalize(img, mean, std), ref, reference=TORCH, rtol=1e-5, atol=1e-6)


def test_random_resized_crop_of_the_full_image_is_a_plain_resize():
    img = torch.rand(3, 30, 30)
    crop = RandomResizedCrop((12, 12), scale=(1.0, 1.0), ratio=(1.0, 1.0))
    ref = F.interpolate(img[None], size=(12, 12), mode="bilinear", align_corners=False)[0]
    assert_parity(
        crop(img, torch.Generator().manual_seed(0)), ref, reference=TORCH, rtol=1e-5, atol=1e-6
    )


def test_every_parity_check_passes():
    results = checks()
    assert len(results) >= 9
    assert all(r.passed for r in results), [r for r in results if not r.passed]
