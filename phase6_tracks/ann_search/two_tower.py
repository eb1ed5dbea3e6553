"""A two-tower retrieval model (torch): user and item towers, in-batch sampled softmax.

Each tower maps its ids (and, for items, the topic) to a unit vector; the score is their
cosine over a temperature. Training treats the other items of a batch as negatives; because
popular items turn up as negatives more often than the catalogue rate, the logits get the
log-Q correction (minus the log of each item's sampling probability), which stops the model
from simply learning to demote popular items.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from phase0_env.common.seeding import seed_everything


@dataclass(frozen=True)
class TwoTowerConfig:
    """Embedding width and the training schedule (Adam, in-batch softmax at a temperature)."""

    dim: int = 32
    epochs: int = 8
    batch_size: int = 512
    lr: float = 5e-3
    temperature: float = 0.1
    seed: int = 0


class TwoTower(nn.Module):
    """User tower: id embedding -> MLP; item tower: id + topic embeddings -> MLP."""

    def __init__(self, n_users: int, n_items: int, item_topic: np.ndarray, dim: int = 32) -> None:
        super().__init__()
        self.register_buffer("item_topic", torch.as_tensor(item_topic, dtype=torch.long))
        self.user_emb = nn.Embedding(n_users, dim)
        self.item_emb = nn.Embedding(n_items, dim)
        self.topic_emb = nn.Embedding(int(item_topic.max()) + 1, dim)
        self.user_mlp = nn.Sequential(nn.Linear(dim, dim), nn.ReLU(), nn.Linear(dim, dim))
        self.item_mlp = nn.Sequential(nn.Linear(2 * dim, dim), nn.ReLU(), nn.Linear(dim, dim))
        for emb in (self.user_emb, self.item_emb, self.topic_emb):
            nn.init.normal_(emb.weight, std=0.1)

    def users(self, u: torch.Tensor) -> torch.Tensor:
        """Unit-norm user vectors."""
        return nn.functional.normalize(self.user_mlp(self.user_emb(u)), dim=-1)

    def items(self, i: torch.Tensor) -> torch.Tensor:
        """Unit-norm item vectors."""
        x = torch.cat([self.item_emb(i), self.topic_emb(self.item_topic[i])], dim=-1)
        return nn.functional.normalize(self.item_mlp(x), dim=-1)


def train_two_tower(
    train: np.ndarray,
    n_users: int,
    item_topic: np.ndarray,
    config: TwoTowerConfig = TwoTowerConfig(),
) -> tuple[TwoTower, list[float]]:
    """Fit on (user, item) click pairs; returns the model and the mean loss of each epoch."""
    seed_everything(config.seed)
    n_items = len(item_topic)
    model = TwoTower(n_users, n_items, np.asarray(item_topic), config.dim)
    opt = torch.optim.Adam(model.parameters(), lr=config.lr)
    pairs = torch.as_tensor(train, dtype=torch.long)
    counts = torch.bincount(pairs[:, 1], minlength=n_items).float()
    log_q = torch.log((counts + 1) / (counts + 1).sum())
    gen = torch.Generator().manual_seed(config.seed)
    losses = []
    for _ in range(config.epochs):
        perm = torch.randperm(len(pairs), generator=gen)
        total, batches = 0.0, 0
        for s in range(0, len(pairs), config.batch_size):
            u, i = pairs[perm[s : s + config.batch_size]].T
            logits = model.users(u) @ model.items(i).T / config.temperature - log_q[i][None, :]
            # The same item twice in a batch is not a negative of itself.
            same = (i[None, :] == i[:, None]) & ~torch.eye(len(i), dtype=torch.bool)
            logits = logits.masked_fill(same, float("-inf"))
            loss = nn.functional.cross_entropy(logits, torch.arange(len(i)))
            opt.zero_grad()
            loss.backward()
            opt.step()
            total, batches = total + loss.item(), batches + 1
        losses.append(total / batches)
    return model, losses


@torch.no_grad()
def embeddings(model: TwoTower) -> tuple[np.ndarray, np.ndarray]:
    """(user vectors, item vectors) as float32 arrays; a score is their dot product."""
    model.eval()
    n_users, n_items = model.user_emb.num_embeddings, model.item_emb.num_embeddings
    return (
        model.users(torch.arange(n_users)).numpy().astype(np.float32),
        model.items(torch.arange(n_items)).numpy().astype(np.float32),
    )
