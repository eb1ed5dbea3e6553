"""Implicit feedback (clicks) on BBC News articles, simulated with a fixed seed.

No packaged dataset here has users and items, so the users are simulated over real items:
the 2,127 distinct BBC articles and their real topics. Each user has a topic preference
(Dirichlet, concentrated on one or two topics) and a latent taste vector; each article a
Zipf-like popularity and a latent vector. A user clicks `per_user` distinct articles drawn
without replacement (Gumbel top-k) from softmax(log popularity + 3 log preference[topic] +
taste . latent). A model must learn topic and taste beyond popularity to beat the baseline.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Clicks:
    """Train and test clicks as (user, item) pairs, plus the item topics."""

    n_users: int
    n_items: int
    item_topic: np.ndarray
    train: np.ndarray  # (n, 2) int64
    test: np.ndarray  # (n, 2) int64

    def matrix(self, pairs: np.ndarray) -> np.ndarray:
        """Binary (n_users, n_items) matrix of the given pairs."""
        out = np.zeros((self.n_users, self.n_items), dtype=np.float32)
        out[pairs[:, 0], pairs[:, 1]] = 1.0
        return out


def simulate_clicks(
    item_topic: np.ndarray,
    n_users: int = 2000,
    *,
    per_user: int = 30,
    test_share: float = 0.2,
    latent_dim: int = 8,
    seed: int = 0,
) -> Clicks:
    """Seeded clicks of `n_users` users; a random `test_share` of each user's clicks held out."""
    item_topic = np.asarray(item_topic, dtype=np.int64)
    n_items, n_topics = len(item_topic), int(item_topic.max()) + 1
    if per_user >= n_items:
        raise ValueError("per_user must be below the number of items")
    rng = np.random.default_rng(seed)
    popularity = 1.0 / (rng.permutation(n_items) + 1.0) ** 0.8
    prefs = rng.dirichlet(np.full(n_topics, 0.3), size=n_users)
    taste = rng.normal(size=(n_users, latent_dim)) / np.sqrt(latent_dim)
    latent = rng.normal(size=(n_items, latent_dim))
    logits = (
        np.log(popularity)[None, :] + 3.0 * np.log(prefs[:, item_topic] + 1e-3) + taste @ latent.T
    )
    gumbel = -np.log(-np.log(rng.random((n_users, n_items))))
    chosen = np.argpartition(-(logits + gumbel), per_user - 1, axis=1)[:, :per_user]
    n_test = max(1, round(per_user * test_share))
    users = np.repeat(np.arange(n_users), per_user).reshape(n_users, per_user)
    order = rng.permuted(chosen, axis=1)  # a random hold-out per user
    test = np.stack([users[:, :n_test].ravel(), order[:, :n_test].ravel()], 1)
    train = np.stack([users[:, n_test:].ravel(), order[:, n_test:].ravel()], 1)
    return Clicks(n_users, n_items, item_topic, train.astype(np.int64), test.astype(np.int64))
