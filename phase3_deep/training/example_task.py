"""The example task the demo, tests and bench train on: scikit-learn's handwritten digits.

1,797 real 8x8 images (packaged with scikit-learn, no download) and a small MLP with dropout.
Small enough that a full run takes seconds on a laptop CPU.
"""

from __future__ import annotations

import torch
from torch import nn

from .data import TensorData


def digits_splits(seed: int = 0) -> tuple[TensorData, TensorData, TensorData]:
    """Train / validation / test splits (60/20/20, stratified) of the digits, scaled to [0, 1]."""
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    x, y = load_digits(return_X_y=True)
    x = x.astype("float32") / 16.0
    x_tr, x_te, y_tr, y_te = train_test_split(x, y, test_size=0.2, stratify=y, random_state=seed)
    x_tr, x_va, y_tr, y_va = train_test_split(
        x_tr, y_tr, test_size=0.25, stratify=y_tr, random_state=seed
    )

    def pack(a, b) -> TensorData:
        return TensorData(torch.from_numpy(a), torch.from_numpy(b).long())

    return pack(x_tr, y_tr), pack(x_va, y_va), pack(x_te, y_te)


class DigitsMLP(nn.Module):
    """64 -> hidden -> hidden -> 10 with ReLU and dropout."""

    def __init__(self, hidden: int = 128, dropout: float = 0.1, n_in: int = 64) -> None:
        super().__init__()
        self.net = nn.Sequential(
            nn.Linear(n_in, hidden),
            nn.ReLU(),
            nn.Dropout(dropout),
            nn.Linear(hidden, hidden),
            nn.ReLU(),
            nn.Dropout(dropout),
            nn.Linear(hidden, 10),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x)
