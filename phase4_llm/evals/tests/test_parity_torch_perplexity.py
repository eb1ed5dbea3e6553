"""Perplexity from our log-probs equals exp(torch cross-entropy)."""

import numpy as np
import pytest
import torch

from phase0_env.common.parity import assert_parity, reference_version
from phase4_llm.evals.perplexity import log_softmax, perplexity, perplexity_from_log_probs

REF = reference_version("torch")


def _torch_ppl(logits, targets, ignore_index=-100):
    v = logits.shape[-1]
    loss = torch.nn.functional.cross_entropy(
        torch.as_tensor(logits).reshape(-1, v),
        torch.as_tensor(targets).reshape(-1),
        ignore_index=ignore_index,
    )
    return torch.exp(loss).item()


@pytest.mark.parametrize("shape", [(1, 1, 5), (2, 17, 50), (8, 64, 1000)])
@pytest.mark.parametrize("scale", [0.1, 3.0, 50.0])
def test_perplexity_equals_torch_cross_entropy_float64(shape, scale):
    rng = np.random.default_rng(shape[1])
    logits = rng.normal(scale=scale, size=shape)
    targets = rng.integers(0, shape[-1], size=shape[:-1])
    assert_parity(
        perplexity(logits, targets), _torch_ppl(logits, targets), reference=REF, rtol=1e-9
    )


def test_padding_is_ignored_like_torch_ignore_index():
    rng = np.random.default_rng(1)
    logits = rng.normal(size=(3, 10, 30))
    targets = rng.integers(0, 30, size=(3, 10))
    targets[:, 7:] = -100
    assert_parity(
        perplexity(logits, targets), _torch_ppl(logits, targets), reference=REF, rtol=1e-9
    )
    targets[:, 7:] = 0
    targets_pad = np.where(np.arange(10) >= 7, 5, targets)
    assert_parity(
        perplexity(logits, targets_pad, ignore_index=5),
        _torch_ppl(logits, targets_pad, ignore_index=5),
        reference=REF,
        rtol=1e-9,
    )


def test_float32_logits_match_torch_float32_within_float32_tolerance():
    rng = np.random.default_rng(2)
    logits = rng.normal(scale=4, size=(4, 32, 500)).astype(np.float32)
    targets = rng.integers(0, 500, size=(4, 32))
    # ours computes in float64; torch in float32: the float32 rounding bounds the gap
    assert_parity(
        perplexity(logits, targets), _torch_ppl(logits, targets), reference=REF, rtol=1e-5
    )


def test_from_log_probs_equals_from_logits_and_uniform_gives_vocab_size():
    rng = np.random.default_rng(3)
    logits = rng.normal(size=(2, 5, 40))
    targets = rng.integers(0, 40, size=(2, 5))
    assert perplexity_from_log_probs(log_softmax(logits), targets) == pytest.approx(
        perplexity(logits, targets), rel=1e-12
    )
    assert perplexity(np.zeros((1, 4, 40)), np.zeros((1, 4), dtype=int)) == pytest.approx(40.0)


def test_huge_logits_do_not_overflow():
    logits = np.array([[[1e4, 0.0, -1e4]]])
    assert perplexity(logits, np.array([[0]])) == pytest.approx(1.0)
