"""The embedding cache: hits skip the model, and the file stays bounded."""

import numpy as np
import pytest

from phase4_llm.rag_service.embedding import EmbeddingCache, HashingEmbedder


def test_cache_evicts_the_oldest_insertions_past_its_bound(tmp_path):
    cache = EmbeddingCache(tmp_path / "emb.sqlite", max_entries=3)
    vec = np.arange(4, dtype=np.float32)
    cache.put_many([(f"k{i}", vec + i) for i in range(3)])
    cache.put_many([("k3", vec + 3), ("k4", vec + 4)])
    assert len(cache) == 3
    assert cache.get("k0") is None and cache.get("k1") is None
    np.testing.assert_array_equal(cache.get("k4"), vec + 4)


def test_second_encode_is_served_from_the_cache_with_equal_vectors(tmp_path):
    emb = HashingEmbedder(tmp_path / "emb.sqlite")
    texts = ["oil prices rose", "the election was won", "oil prices rose"]
    first = emb.encode(texts)
    again = HashingEmbedder(tmp_path / "emb.sqlite")
    second = again.encode(texts)
    np.testing.assert_array_equal(first, second)
    assert (again.cache.hits, again.cache.misses) == (3, 0)
    assert len(emb.cache) == 2  # duplicates share one entry


def test_cache_bound_must_be_positive(tmp_path):
    with pytest.raises(ValueError, match="max_entries"):
        EmbeddingCache(tmp_path / "emb.sqlite", max_entries=0)
