"""Two-tower retrieval beats popularity on held-out clicks; MMR trades relevance for diversity."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from phase6_tracks.ann_search.interactions import simulate_clicks
from phase6_tracks.ann_search.mmr import intra_list_diversity, mmr_rerank
from phase6_tracks.ann_search.recsys_eval import mmr_tradeoff, popularity_scores, ranking_report
from phase6_tracks.ann_search.two_tower import TwoTowerConfig, embeddings, train_two_tower


@pytest.fixture(scope="module")
def trained() -> tuple:
    torch.set_num_threads(1)
    item_topic = np.random.default_rng(0).integers(0, 5, 300)  # a small stand-in catalogue
    clicks = simulate_clicks(item_topic, n_users=300, per_user=20, seed=0)
    model, losses = train_two_tower(
        clicks.train, clicks.n_users, item_topic, TwoTowerConfig(dim=16, epochs=6, batch_size=256)
    )
    return clicks, model, losses


def test_two_tower_beats_popularity_on_every_metric(trained) -> None:
    clicks, model, losses = trained
    assert losses[-1] < losses[0]
    users, items = embeddings(model)
    ours = ranking_report(clicks, users @ items.T)
    base = ranking_report(clicks, popularity_scores(clicks))
    for metric in ours:
        assert ours[metric] > base[metric], (metric, ours, base)


def test_simulation_is_reproducible_and_holds_out_unseen_clicks() -> None:
    topics = np.arange(50) % 5
    a, b = simulate_clicks(topics, 20, per_user=10), simulate_clicks(topics, 20, per_user=10)
    np.testing.assert_array_equal(a.train, b.train)
    both = (a.matrix(a.train) > 0) & (a.matrix(a.test) > 0)
    assert not both.any() and len(a.test) == 20 * 2


def test_mmr_with_lambda_one_is_the_relevance_order() -> None:
    rng = np.random.default_rng(0)
    rel = rng.random(30)
    vecs = rng.normal(size=(30, 4))
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    np.testing.assert_array_equal(mmr_rerank(rel, vecs, 10, 1.0), np.argsort(-rel)[:10])


def test_mmr_picks_the_argmax_of_its_objective_at_every_step() -> None:
    rng = np.random.default_rng(1)
    rel = rng.random(20)
    vecs = rng.normal(size=(20, 3))
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    picked = mmr_rerank(rel, vecs, 8, 0.6)
    for step in range(1, 8):  # recompute each step's objective by brute force
        rest = [i for i in range(20) if i not in picked[:step]]
        obj = [0.6 * rel[i] - 0.4 * max(vecs[i] @ vecs[j] for j in picked[:step]) for i in rest]
        assert picked[step] == rest[int(np.argmax(obj))]


def test_lower_lambda_gives_more_diverse_and_less_relevant_lists(trained) -> None:
    clicks, model, _ = trained
    users, items = embeddings(model)
    rows = mmr_tradeoff(clicks, users, items, lams=(1.0, 0.5), candidates=50)
    assert rows[1]["diversity"] > rows[0]["diversity"]
    assert rows[1]["ndcg@10"] < rows[0]["ndcg@10"]
    assert intra_list_diversity(items[:1]) == 0.0
