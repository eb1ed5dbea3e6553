"""The drills' training loop on scikit-learn's handwritten digits, with one bug switch.

`DigitsLoop(kind, bug)` is a complete small loop: data, model, loss, step, predict and batch
order. `bug=None` is the healthy loop; each name in `BUGS` injects exactly one bug. The
diagnostics never read `bug`: they only call the loop's methods (the `TrainingLoop` protocol).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

KINDS = ("mlp", "bn_mlp", "seq")
BUGS = (
    "lr_too_high",
    "log_of_zero",
    "missing_zero_grad",
    "loss_sum_reduction",
    "softmax_wrong_dim",
    "double_softmax",
    "labels_shifted",
    "labels_shuffled",
    "duplicates_across_splits",
    "label_in_features",
    "unnormalised_inputs",
    "dropout_at_eval",
    "batchnorm_at_eval",
    "padding_unmasked",
    "frozen_layer",
    "dead_init",
    "unseeded_shuffle",
    "fp16_overflow",
)


@dataclass(frozen=True)
class Split:
    """Inputs and integer labels of one split."""

    x: torch.Tensor
    y: torch.Tensor


class DigitsLoop:
    """A small classification loop on digits (70/30 split, SGD with momentum) with one bug."""

    n_classes = 10

    def __init__(self, kind: str = "mlp", bug: str | None = None, batch_size: int = 64) -> None:
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
        if bug is not None and bug not in BUGS:
            raise ValueError(f"unknown bug {bug!r}; known: {', '.join(BUGS)}")
        self.kind, self.bug, self.batch_size = kind, bug, batch_size
        self.lr = 50.0 if bug == "lr_too_high" else 0.1

    def data(self) -> tuple[Split, Split]:
        """(train, test) with this loop's data bug, if any."""
        return _splits(self.kind, self.bug)

    def make(self, seed: int = 0) -> tuple[nn.Module, torch.optim.Optimizer]:
        """A fresh model (initialised from `seed`) and its optimizer."""
        gen_state = torch.random.get_rng_state()
        torch.manual_seed(seed)
        n_in = self.data()[0].x.shape[-1]
        model = DigitsNet(self.kind, n_in, self.bug)
        torch.random.set_rng_state(gen_state)
        if self.bug == "dead_init":
            for m in model.modules():
                if isinstance(m, nn.Linear):
                    nn.init.normal_(
                        m.weight, std=1e-4, generator=torch.Generator().manual_seed(seed)
                    )
                    nn.init.zeros_(m.bias)
        if self.bug == "frozen_layer":
            model.body[0].weight.requires_grad_(False)
        return model, torch.optim.SGD(model.parameters(), lr=self.lr, momentum=0.9)

    def loss(self, model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        """The training loss of one batch (forward included)."""
        out = model(x)
        if self.bug == "softmax_wrong_dim":
            return F.nll_loss(out, y)
        if self.bug == "log_of_zero":
            # a hand-written KL to one-hot targets: t * log(t) is 0 * log 0 off the label
            t = F.one_hot(y, self.n_classes).float()
            return (t * (torch.log(t) - F.log_softmax(out, 1))).sum(1).mean()
        if self.bug == "fp16_overflow":
            # log-sum-exp by hand in half precision, without subtracting the max
            z = out.half()
            lse = torch.log(torch.exp(z).sum(1))
            return (lse - z.gather(1, y[:, None])[:, 0]).float().mean()
        return F.cross_entropy(
            out, y, reduction="sum" if self.bug == "loss_sum_reduction" else "mean"
        )

    def step(
        self, model: nn.Module, opt: torch.optim.Optimizer, x: torch.Tensor, y: torch.Tensor
    ) -> float:
        """One optimisation step; returns the batch loss."""
        if self.bug != "missing_zero_grad":
            opt.zero_grad()
        loss = self.loss(model, x, y)
        loss.backward()
        opt.step()
        return float(loss.detach())

    def predict(self, model: nn.Module, x: torch.Tensor) -> torch.Tensor:
        """Class scores for evaluation."""
        if self.bug not in ("dropout_at_eval", "batchnorm_at_eval"):
            model.eval()
        with torch.no_grad():
            out = model(x)
        model.train()
        return out

    def batches(self, n_steps: int, seed: int = 0) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
        """`n_steps` training batches in an order drawn from `seed`, epoch after epoch."""
        train = self.data()[0]
        n, done, epoch = len(train.y), 0, 0
        while done < n_steps:
            if self.bug == "unseeded_shuffle":
                order = torch.from_numpy(np.random.default_rng().permutation(n))
            else:
                order = torch.randperm(
                    n, generator=torch.Generator().manual_seed(seed * 1000 + epoch)
                )
            for start in range(0, n - self.batch_size + 1, self.batch_size):
                if done == n_steps:
                    return
                idx = order[start : start + self.batch_size]
                yield train.x[idx], train.y[idx]
                done += 1
            epoch += 1

    def padding(self, x: torch.Tensor) -> torch.Tensor | None:
        """Boolean mask of padded positions in `x` (same shape), or None if it has none."""
        if self.kind != "seq":
            return None
        pad_rows = x[..., -1:] == 0  # the last channel marks real rows with 1
        return pad_rows.expand_as(x).clone().index_fill_(-1, torch.tensor([x.shape[-1] - 1]), False)


class DigitsNet(nn.Module):
    """mlp: 64-64-10 with dropout; bn_mlp: batch norm; seq: image rows as tokens, mean-pooled."""

    def __init__(self, kind: str, n_in: int, bug: str | None) -> None:
        super().__init__()
        self.kind, self.bug = kind, bug
        if kind == "seq":
            self.body = nn.Sequential(nn.Linear(n_in - 1, 64), nn.ReLU())
            self.position = nn.Parameter(torch.randn(8, n_in - 1) * 0.5)  # which row a token is
            self.head = nn.Linear(64, 10)
        elif kind == "bn_mlp":
            self.body = nn.Sequential(nn.Linear(n_in, 64), nn.BatchNorm1d(64), nn.ReLU())
            self.head = nn.Linear(64, 10)
        else:
            self.body = nn.Sequential(nn.Linear(n_in, 64), nn.ReLU(), nn.Dropout(0.2))
            self.head = nn.Linear(64, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.kind == "seq":
            h = self.body(x[..., :-1] + self.position)  # (batch, rows, 64)
            mask = x[..., -1:]  # (batch, rows, 1): 1 for a real row, 0 for padding
            if self.bug == "padding_unmasked":
                h = h.mean(1)
            else:
                h = (h * mask).sum(1) / mask.sum(1).clamp_min(1)
        else:
            h = self.body(x)
        out = self.head(h)
        if self.bug == "softmax_wrong_dim":
            return F.log_softmax(out, dim=0)
        if self.bug == "double_softmax":
            return F.softmax(out, dim=1)
        return out


@lru_cache(maxsize=64)
def _splits(kind: str, bug: str | None) -> tuple[Split, Split]:
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    x, y = load_digits(return_X_y=True)
    x = x.astype(np.float32) / 16.0
    if bug == "unnormalised_inputs":
        x = x * 255.0  # pixels left on a byte scale
    if bug == "label_in_features":
        x = np.concatenate([x, (y[:, None] / 9.0).astype(np.float32)], axis=1)
    x_tr, x_te, y_tr, y_te = train_test_split(x, y, test_size=0.3, stratify=y, random_state=0)
    if bug == "duplicates_across_splits":
        x_te[:200], y_te[:200] = x_tr[:200], y_tr[:200]
    if bug == "labels_shifted":
        y_tr = np.roll(y_tr, 1)
    if bug == "labels_shuffled":
        y_tr = np.random.default_rng(1).permutation(y_tr)
    if kind == "seq":
        x_tr, x_te = _as_rows(x_tr, 0), _as_rows(x_te, 1)
    return (
        Split(torch.from_numpy(np.ascontiguousarray(x_tr)), torch.from_numpy(y_tr).long()),
        Split(torch.from_numpy(np.ascontiguousarray(x_te)), torch.from_numpy(y_te).long()),
    )


def _as_rows(x: np.ndarray, seed: int) -> np.ndarray:
    """Images as sequences of 8 rows of 8 pixels, each cut to 5-8 rows and zero-padded to 8;
    a ninth channel marks the real rows."""
    rows = x.reshape(len(x), 8, 8)
    lengths = np.random.default_rng(seed).integers(5, 9, size=len(x))
    real = np.arange(8)[None, :] < lengths[:, None]
    return np.concatenate([rows * real[..., None], real[..., None]], axis=2).astype(np.float32)
