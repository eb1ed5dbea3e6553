"""Data checks: rows shared by train and test, a single feature that gives the label away,
and inputs far from unit scale. They work on any (x, y) tensors, flattened to rows."""

from __future__ import annotations

from collections import Counter, defaultdict

import torch

DUPLICATE_SHARE = 0.01  # more than 1 % of test rows also in train is leakage
LEAK_ACCURACY = 0.95  # one feature alone predicting the held-out label this well
SCALE_LIMIT = 5.0  # |mean| or std of the features above this: inputs not normalised


def duplicate_share(train_x: torch.Tensor, test_x: torch.Tensor) -> float:
    """Fraction of test rows that appear byte-for-byte in the training rows."""
    seen = {r.tobytes() for r in train_x.reshape(len(train_x), -1).numpy()}
    rows = test_x.reshape(len(test_x), -1).numpy()
    return sum(r.tobytes() in seen for r in rows) / max(1, len(rows))


def leaking_feature(
    train_x: torch.Tensor, train_y: torch.Tensor, test_x: torch.Tensor, test_y: torch.Tensor
) -> tuple[int, float]:
    """(column, test accuracy) of the best one-feature lookup rule (value -> majority label)."""
    xtr = train_x.reshape(len(train_x), -1).numpy().round(4)
    xte = test_x.reshape(len(test_x), -1).numpy().round(4)
    best = (-1, 0.0)
    for j in range(xtr.shape[1]):
        votes: dict[float, Counter[int]] = defaultdict(Counter)
        for v, label in zip(xtr[:, j], train_y.tolist(), strict=True):
            votes[float(v)][label] += 1
        rule = {v: c.most_common(1)[0][0] for v, c in votes.items()}
        hits = sum(
            rule.get(float(v), -1) == label
            for v, label in zip(xte[:, j], test_y.tolist(), strict=True)
        )
        acc = hits / max(1, len(test_y))
        if acc > best[1]:
            best = (j, acc)
    return best


def feature_scale(x: torch.Tensor) -> tuple[float, float]:
    """(largest |feature mean|, largest feature std) over the columns of `x`."""
    flat = x.reshape(len(x), -1).double()
    return float(flat.mean(0).abs().max()), float(flat.std(0).max())
