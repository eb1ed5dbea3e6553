"""The symmetric image-text contrastive loss of CLIP (Radford et al. 2021) and zero-shot scoring.

For a batch of N matching (image, text) pairs with L2-normalised features I, T (N, D):
logits = s * I T^T (N, N), the right text of image i is column i, and the loss is the mean of
the cross-entropy over rows (image -> text) and over columns (text -> image). `s` is the
learned temperature exp(log_scale), clamped at 100 as in CLIP's training code.
"""

from __future__ import annotations

import math

import torch

MAX_LOGIT_SCALE = 100.0


def clip_loss(
    image_features: torch.Tensor, text_features: torch.Tensor, logit_scale: torch.Tensor
) -> torch.Tensor:
    """Mean of the image->text and text->image cross-entropies; features already normalised."""
    logits = logit_scale * image_features @ text_features.T  # (N, N); row i = image i
    return 0.5 * (_diagonal_cross_entropy(logits) + _diagonal_cross_entropy(logits.T))


def _diagonal_cross_entropy(logits: torch.Tensor) -> torch.Tensor:
    """Mean over rows of -log softmax(row)[i]: the i-th row's target is column i."""
    # logsumexp subtracts the row max first, so large logit scales do not overflow
    return (torch.logsumexp(logits, dim=1) - logits.diagonal()).mean()


def logit_scale_from(log_scale: torch.Tensor) -> torch.Tensor:
    """exp(log_scale) clamped to at most 100 (CLIP clamps the learned temperature)."""
    return log_scale.exp().clamp(max=MAX_LOGIT_SCALE)


def initial_log_scale() -> float:
    """log(1 / 0.07): CLIP's initial temperature."""
    return math.log(1 / 0.07)


def zero_shot_predict(image_features: torch.Tensor, class_features: torch.Tensor) -> torch.Tensor:
    """Index of the most similar class prompt for each image (features normalised)."""
    return (image_features @ class_features.T).argmax(dim=1)
