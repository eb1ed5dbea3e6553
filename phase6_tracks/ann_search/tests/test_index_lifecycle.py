"""Insert, delete (tombstones) and save/load round trips of both indexes."""

from __future__ import annotations

import numpy as np
import pytest

from phase6_tracks.ann_search.datasets import uniform
from phase6_tracks.ann_search.hnsw import HNSW
from phase6_tracks.ann_search.ivfpq import IVFPQ

DIM = 8


def _indexes(X: np.ndarray) -> list:
    return [HNSW(DIM, M=8, ef_construction=64).fit(X), IVFPQ(DIM, nlist=4, m=4, nbits=4).fit(X)]


@pytest.fixture(scope="module")
def X() -> np.ndarray:  # noqa: N802 - the data matrix, as in sklearn
    return uniform(400, DIM, seed=3)


@pytest.mark.parametrize("kind", [0, 1], ids=["hnsw", "ivfpq"])
def test_deleted_ids_are_never_returned(X, kind: int) -> None:
    index = _indexes(X)[kind]
    gone = np.arange(0, 400, 3)
    index.delete(gone)
    assert len(index) == 400 - len(gone)
    search = {"ef": 400} if kind == 0 else {"nprobe": 4}
    _, ids = index.search(X[gone], k=50, **search)
    assert not np.isin(ids, gone).any()
    assert (ids >= 0).all()  # the live nodes are still reachable through the tombstones
    with pytest.raises(KeyError):
        index.delete([0])


@pytest.mark.parametrize("kind", [0, 1], ids=["hnsw", "ivfpq"])
def test_inserted_vectors_are_found_and_deleted_ids_can_return(X, kind: int) -> None:
    index = _indexes(X)[kind]
    new = uniform(20, DIM, seed=9)
    index.add(new, ids=np.arange(1000, 1020))
    search = {"ef": 64} if kind == 0 else {"nprobe": 4}
    _, ids = index.search(new, k=1, **search)
    assert (ids[:, 0] == np.arange(1000, 1020)).mean() >= 0.9  # PQ may confuse near twins
    with pytest.raises(ValueError, match="already"):
        index.add(new[:1], ids=[1000])
    index.delete([5])
    index.add(X[5:6], ids=[5])
    assert 5 in index.search(X[5:6], k=3, **search)[1]


@pytest.mark.parametrize("kind", [0, 1], ids=["hnsw", "ivfpq"])
def test_save_load_round_trip_gives_identical_results(X, kind: int, tmp_path) -> None:
    index = _indexes(X)[kind]
    index.delete([1, 2, 3])
    path = tmp_path / "index.npz"
    index.save(path)
    loaded = type(index).load(path)
    Q = uniform(30, DIM, seed=5)
    for a, b in zip(index.search(Q, k=10), loaded.search(Q, k=10), strict=True):
        np.testing.assert_array_equal(a, b)
    # Inserting after load continues exactly as the original would (same RNG state).
    more = uniform(10, DIM, seed=6)
    index.add(more)
    loaded.add(more)
    for a, b in zip(index.search(Q, k=10), loaded.search(Q, k=10), strict=True):
        np.testing.assert_array_equal(a, b)
    assert len(loaded) == len(index)
