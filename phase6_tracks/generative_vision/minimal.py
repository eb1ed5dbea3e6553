"""The ideas alone: a DDPM noise schedule, forward noising, one reverse step, and CLIP's loss.

Scope: the linear beta schedule, an epsilon-predicting model, the posterior variance
("fixed_small") and x_0 clipped to [-1, 1], as in Ho et al. 2020; the full version
(`schedules.py`, `samplers.py`) adds the cosine and scaled-linear schedules, v- and
x_0-prediction, strided timesteps and DDIM. The loss is CLIP's symmetric cross-entropy
(`contrastive.py` is the same formula with an overflow-safe log-sum-exp).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F


def linear_betas(n_steps: int, beta_start: float = 1e-4, beta_end: float = 0.02) -> torch.Tensor:
    """n_steps betas evenly spaced from beta_start to beta_end, float32.

    Example: linear_betas(3, 0.1, 0.3) -> tensor([0.1, 0.2, 0.3]).
    """
    return torch.linspace(beta_start, beta_end, n_steps, dtype=torch.float32)


def add_noise(
    betas: torch.Tensor, x0: torch.Tensor, noise: torch.Tensor, t: torch.Tensor
) -> torch.Tensor:
    """Sample x_t ~ q(x_t | x_0): sqrt(abar_t) * x0 + sqrt(1 - abar_t) * noise, per batch row.

    abar_t is the cumulative product of (1 - beta) up to and including step t.
    Hint: torch.cumprod, index with t, then reshape to (B, 1, 1, 1) to broadcast.
    """
    abar = torch.cumprod(1 - betas, dim=0)  # (T,)
    a = abar[t].reshape(-1, 1, 1, 1)  # (B,) -> (B, 1, 1, 1)
    return a**0.5 * x0 + (1 - a) ** 0.5 * noise  # (B, C, H, W)


def ddpm_step(
    betas: torch.Tensor,
    eps: torch.Tensor,
    t: int,
    x_t: torch.Tensor,
    generator: torch.Generator | None = None,
) -> torch.Tensor:
    """One reverse step x_t -> x_{t-1} given the predicted noise `eps` at step t.

    x0 = (x_t - sqrt(1 - abar_t) eps) / sqrt(abar_t), clipped to [-1, 1]; the posterior mean is
    sqrt(abar_prev) beta_t / (1 - abar_t) * x0 + sqrt(alpha_t) (1 - abar_prev) / (1 - abar_t) * x_t;
    for t > 0 add sqrt(var) * z with var = (1 - abar_prev) / (1 - abar_t) * beta_t and
    z = torch.randn(x_t.shape, generator=generator); abar_prev is 1 at t = 0.
    Hint: beta_t = 1 - abar_t / abar_prev and alpha_t = abar_t / abar_prev (not betas[t]).
    """
    abar = torch.cumprod(1 - betas, dim=0)  # (T,)
    abar_t = abar[t]
    abar_prev = abar[t - 1] if t > 0 else torch.tensor(1.0)
    alpha_t = abar_t / abar_prev
    beta_t = 1 - alpha_t
    x0 = ((x_t - (1 - abar_t) ** 0.5 * eps) / abar_t**0.5).clamp(-1, 1)
    mean = (abar_prev**0.5 * beta_t / (1 - abar_t)) * x0 + (
        alpha_t**0.5 * (1 - abar_prev) / (1 - abar_t)
    ) * x_t
    if t == 0:
        return mean
    var = (1 - abar_prev) / (1 - abar_t) * beta_t
    z = torch.randn(x_t.shape, generator=generator, dtype=x_t.dtype)
    return mean + var**0.5 * z


def clip_loss(
    image_features: torch.Tensor, text_features: torch.Tensor, logit_scale: torch.Tensor
) -> torch.Tensor:
    """CLIP's symmetric contrastive loss over N matching pairs (features L2-normalised).

    logits = logit_scale * image_features @ text_features.T is (N, N); pair i is the target
    of row i and of column i; return the mean of the row-wise and column-wise cross-entropy.
    Hint: F.cross_entropy(logits, torch.arange(N)) and the same on logits.T.
    """
    logits = logit_scale * image_features @ text_features.T  # (N, D) @ (D, N) -> (N, N)
    labels = torch.arange(len(logits))  # (N,)
    return (F.cross_entropy(logits, labels) + F.cross_entropy(logits.T, labels)) / 2
