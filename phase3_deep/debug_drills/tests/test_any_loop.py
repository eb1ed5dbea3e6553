"""The toolkit attaches to a loop that is not `DigitsLoop`: a hand-written loop on another
real data set (scikit-learn's breast cancer, standardised) gives a clean report, and the same
loop with its labels shuffled is caught."""

from collections.abc import Iterator
from types import SimpleNamespace

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from phase3_deep.debug_drills.report import diagnose


class CancerLoop:
    n_classes = 2

    def __init__(self, shuffle_labels: bool = False) -> None:
        from sklearn.datasets import load_breast_cancer
        from sklearn.model_selection import train_test_split
        from sklearn.preprocessing import StandardScaler

        x, y = load_breast_cancer(return_X_y=True)
        x_tr, x_te, y_tr, y_te = train_test_split(x, y, test_size=0.3, stratify=y, random_state=0)
        scaler = StandardScaler().fit(x_tr)
        if shuffle_labels:
            y_tr = np.random.default_rng(0).permutation(y_tr)
        self._data = tuple(
            SimpleNamespace(
                x=torch.tensor(scaler.transform(a), dtype=torch.float32), y=torch.tensor(b)
            )
            for a, b in ((x_tr, y_tr), (x_te, y_te))
        )

    def data(self):
        return self._data

    def make(self, seed: int = 0):
        torch.manual_seed(seed)
        model = nn.Sequential(nn.Linear(30, 32), nn.ReLU(), nn.Linear(32, 2))
        return model, torch.optim.Adam(model.parameters(), lr=1e-2)

    def loss(self, model, x, y):
        return F.cross_entropy(model(x), y)

    def step(self, model, opt, x, y) -> float:
        opt.zero_grad()
        loss = self.loss(model, x, y)
        loss.backward()
        opt.step()
        return float(loss.detach())

    def predict(self, model, x):
        model.eval()
        with torch.no_grad():
            return model(x)

    def batches(self, n_steps: int, seed: int = 0) -> Iterator:
        train = self._data[0]
        gen = torch.Generator().manual_seed(seed)
        for _ in range(n_steps):
            idx = torch.randint(len(train.y), (32,), generator=gen)
            yield train.x[idx], train.y[idx]

    def padding(self, x):
        return None


def test_healthy_custom_loop_reports_nothing():
    assert diagnose(CancerLoop()).findings == []


def test_custom_loop_with_shuffled_labels_is_caught():
    assert "labels_not_learnable" in diagnose(CancerLoop(shuffle_labels=True)).classes
