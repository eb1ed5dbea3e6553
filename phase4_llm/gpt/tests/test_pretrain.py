"""A small GPT pre-trained on BBC News beats the unigram baseline on held-out articles."""

import numpy as np
import torch

from phase4_llm.gpt.config import GPTConfig
from phase4_llm.gpt.pretrain import bbc_news_bytes, get_batch, pretrain, unigram_cross_entropy


def test_validation_loss_drops_below_the_unigram_baseline():
    torch.set_num_threads(1)
    train, val = bbc_news_bytes()
    baseline = unigram_cross_entropy(train, val)
    cfg = GPTConfig(vocab_size=256, block_size=64, n_layer=2, n_head=4, n_embd=64)
    _, history = pretrain(cfg, train, val, steps=90, batch_size=16, lr=3e-3, eval_every=30)
    assert history.val_loss[-1] < baseline, (history.val_loss, baseline)
    assert history.val_loss[-1] < history.val_loss[0]


def test_split_is_by_article_and_batches_are_shifted_by_one():
    train, val = bbc_news_bytes()
    assert len(val) > 0.05 * (len(train) + len(val))
    x, y = get_batch(train, 4, 16, np.random.default_rng(0))
    assert x.shape == y.shape == (4, 16) and torch.equal(x[:, 1:], y[:, :-1])


def test_unigram_baseline_is_the_entropy_for_matching_frequencies():
    data = np.array([0, 0, 1, 1] * 100, dtype=np.uint8)
    assert abs(unigram_cross_entropy(data, data, vocab_size=2) - np.log(2)) < 1e-9
