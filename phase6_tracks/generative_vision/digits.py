"""scikit-learn's 8x8 handwritten digits scaled to [-1, 1], and the small CNN that judges samples.

The 1,797 images have 17 grey levels (0..16); x / 8 - 1 maps them onto [-1, 1], the range the
diffusion model's clipping assumes. The split is stratified and seeded: the diffusion model and
the judge train on the same 80 %, the judge is scored on the other 20 %.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

NAMES = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


@dataclass(frozen=True)
class Digits:
    """Train/test images (N, 1, 8, 8) in [-1, 1] with labels (N,)."""

    x_train: torch.Tensor
    y_train: torch.Tensor
    x_test: torch.Tensor
    y_test: torch.Tensor


def load_digits_split(seed: int = 0, test_share: float = 0.2) -> Digits:
    """The digits, scaled to [-1, 1], split stratified by class with a fixed seed."""
    from sklearn.datasets import load_digits

    images, labels = load_digits(return_X_y=True)
    x = torch.tensor(images, dtype=torch.float32).reshape(-1, 1, 8, 8) / 8.0 - 1.0
    y = torch.tensor(labels, dtype=torch.long)
    rng = np.random.default_rng(seed)
    test = np.zeros(len(y), dtype=bool)
    for c in range(10):
        idx = np.flatnonzero(labels == c)
        test[rng.choice(idx, round(len(idx) * test_share), replace=False)] = True
    train_t, test_t = torch.from_numpy(~test), torch.from_numpy(test)
    return Digits(x[train_t], y[train_t], x[test_t], y[test_t])


class DigitJudge(nn.Module):
    """A small CNN classifier for 8x8 digits in [-1, 1]: logits (N, 10)."""

    def __init__(self, width: int = 32) -> None:
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(1, width, 3, padding=1),
            nn.ReLU(),
            nn.Conv2d(width, 2 * width, 3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),  # (N, 2w, 4, 4)
            nn.Flatten(),
            nn.Dropout(0.2),
            nn.Linear(2 * width * 16, 128),
            nn.ReLU(),
            nn.Linear(128, 10),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x)


def train_judge(data: Digits, epochs: int = 20, seed: int = 0) -> DigitJudge:
    """Fit the judge on the training split (Adam, batch 64, one-pixel random shifts)."""
    gen = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    model = DigitJudge()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    n = len(data.y_train)
    for _ in range(epochs):
        model.train()
        for idx in torch.randperm(n, generator=gen).split(64):
            x = _shift(data.x_train[idx], gen)
            loss = nn.functional.cross_entropy(model(x), data.y_train[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
    return model.eval()


def _shift(x: torch.Tensor, gen: torch.Generator) -> torch.Tensor:
    """Shift the whole batch by up to one pixel each way, filling with background (-1)."""
    dy, dx = (int(v) for v in torch.randint(-1, 2, (2,), generator=gen))
    padded = nn.functional.pad(x, (1, 1, 1, 1), value=-1.0)  # (N, 1, 10, 10)
    return padded[:, :, 1 + dy : 9 + dy, 1 + dx : 9 + dx]


@torch.no_grad()
def judge(model: DigitJudge, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """(predicted class, its softmax probability) for each image."""
    probs = model(x).softmax(dim=1)
    conf, pred = probs.max(dim=1)
    return pred, conf


def confident_shares(
    pred: torch.Tensor, conf: torch.Tensor, wanted: torch.Tensor, threshold: float = 0.9
) -> dict[str, list[float]]:
    """Per wanted class: share judged with confidence >= threshold, and of those as that class."""
    confident, right = [], []
    for c in range(10):
        rows = wanted == c
        sure = conf[rows] >= threshold
        confident.append(float(sure.float().mean()))
        right.append(float((sure & (pred[rows] == c)).float().mean()))
    return {"confident": confident, "confident_and_right": right}
