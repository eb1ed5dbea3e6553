"""The gradient-descent regressor: torch.optim's update rules, converging to Ridge."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.datasets import make_regression

from phase1_foundations.classical_ml.gradient_descent import GDRegressor
from phase1_foundations.classical_ml.linear import LinearRegression, Ridge

X, y = make_regression(150, 4, noise=1.0, random_state=0)
X = (X - X.mean(0)) / X.std(0)


@pytest.mark.parametrize(
    "optimizer,lr", [("sgd", 0.5), ("momentum", 0.1), ("nesterov", 0.1), ("adam", 0.5)]
)
def test_every_optimizer_converges_to_least_squares(optimizer, lr):
    est = GDRegressor(optimizer=optimizer, learning_rate=lr, max_iter=5000, tol=1e-9).fit(X, y)
    ref = LinearRegression().fit(X, y)
    np.testing.assert_allclose(est.coef_, ref.coef_, rtol=1e-6, atol=1e-6)
    assert est.loss_curve_[-1] < est.loss_curve_[0]


def test_l2_term_converges_to_ridge_with_alpha_scaled_by_n():
    # 0.5 mean(r^2) + 0.5 a ||w||^2 has Ridge's minimiser with alpha = a * n
    est = GDRegressor(
        optimizer="nesterov", learning_rate=0.1, alpha=0.2, max_iter=5000, tol=1e-10
    ).fit(X, y)
    ref = Ridge(alpha=0.2 * len(X)).fit(X, y)
    np.testing.assert_allclose(est.coef_, ref.coef_, rtol=1e-7)


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "nesterov", "adam"])
def test_first_steps_equal_torch_optim(optimizer):
    torch = pytest.importorskip("torch")
    lr = 0.05
    ours = GDRegressor(optimizer=optimizer, learning_rate=lr, max_iter=6, tol=0.0).fit(X, y)
    w = torch.zeros(X.shape[1] + 1, dtype=torch.float64, requires_grad=True)
    Xt, yt = torch.tensor(X), torch.tensor(y)
    opt = {
        "sgd": lambda: torch.optim.SGD([w], lr=lr),
        "momentum": lambda: torch.optim.SGD([w], lr=lr, momentum=0.9),
        "nesterov": lambda: torch.optim.SGD([w], lr=lr, momentum=0.9, nesterov=True),
        "adam": lambda: torch.optim.Adam([w], lr=lr),
    }[optimizer]()
    for _ in range(6):
        opt.zero_grad()
        loss = 0.5 * ((Xt @ w[:-1] + w[-1] - yt) ** 2).mean()
        loss.backward()
        opt.step()
    ref = w.detach().numpy()
    np.testing.assert_allclose(np.r_[ours.coef_, ours.intercept_], ref, rtol=1e-10, atol=1e-12)
