"""The minimal IVF index (`minimal.py`) against exact search, faiss's IndexIVFFlat and the full
version's k-means and exact search."""

import faiss
import numpy as np
import pytest

from phase0_env.common.parity import assert_parity, reference_version
from phase6_tracks.ann_search import minimal
from phase6_tracks.ann_search.brute import exact_knn
from phase6_tracks.ann_search.kmeans import kmeans as full_kmeans

FAISS = reference_version("faiss-cpu")
FULL = "the full phase6_tracks.ann_search"
D, NLIST, K = 16, 12, 5


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    centers = rng.normal(scale=4.0, size=(NLIST, D))
    X = (centers[rng.integers(0, NLIST, 1500)] + rng.normal(size=(1500, D))).astype(np.float32)
    Q = (centers[rng.integers(0, NLIST, 40)] + rng.normal(size=(40, D))).astype(np.float32)
    return X, Q


def _search_all(X, C, Q, nprobe):
    lists = minimal.build_lists(X.astype(np.float64), C)
    X64, Q64 = X.astype(np.float64), Q.astype(np.float64)
    found = [minimal.ivf_search(X64, C, lists, q, K, nprobe) for q in Q64]
    return np.stack([d for d, _ in found]), np.stack([i for _, i in found])


def test_distances_equal_numpy_float64():
    rng = np.random.default_rng(1)
    Q, X = rng.normal(size=(7, D)), rng.normal(size=(30, D))
    truth = ((Q[:, None, :] - X[None, :, :]) ** 2).sum(-1)
    assert_parity(
        minimal.squared_distances(Q, X),
        truth,
        reference=f"numpy {np.__version__} direct (q - x)^2",
        rtol=1e-10,
        atol=1e-12,
        name="squared distances",
    )


def test_kmeans_equals_the_full_lloyd_from_the_same_start(data):
    X, _ = data  # 1500 points <= 256 per centroid: the full version does not subsample
    # Seed 1 starts where no cell ever empties: the full version re-seeds an empty cell by
    # splitting the largest (faiss's rule), the minimal one leaves it (seeds 0 and 3 do empty).
    ours = minimal.kmeans(X, NLIST, niter=10, seed=1)
    full = full_kmeans(X, NLIST, niter=10, seed=1)
    assert np.bincount(minimal.squared_distances(X, ours).argmin(1), minlength=NLIST).min() > 0
    # The full version assigns in float32 (as faiss); means of the same rows agree to ~1e-6.
    assert_parity(ours, full, reference=f"{FULL} kmeans", rtol=1e-4, atol=1e-4, name="centroids")


def test_searching_every_cell_is_exact_search(data):
    X, Q = data
    C = minimal.kmeans(X.astype(np.float64), NLIST, niter=5)
    dist, ids = _search_all(X, C, Q, nprobe=NLIST)
    truth_d, truth_i = exact_knn(X, Q, K)
    assert_parity(ids, truth_i, reference=f"{FULL} exact_knn", exact=True, name="exact ids")
    assert_parity(
        dist, truth_d, reference=f"{FULL} exact_knn", rtol=1e-9, atol=1e-9, name="exact dists"
    )


@pytest.mark.parametrize("nprobe", [1, 3])
def test_few_cells_give_faiss_ivfflat_results_for_the_same_centroids(data, nprobe):
    X, Q = data
    C = minimal.kmeans(X.astype(np.float64), NLIST, niter=5)
    faiss.omp_set_num_threads(1)
    quantizer = faiss.IndexFlatL2(D)
    quantizer.add(C.astype(np.float32))
    ref = faiss.IndexIVFFlat(quantizer, D, NLIST)
    ref.is_trained = True  # the centroids are ours: faiss only files and scans
    ref.add(X)
    ref.nprobe = nprobe
    ref_d, ref_i = ref.search(Q, K)
    dist, ids = _search_all(X, C, Q, nprobe)
    assert_parity(ids, ref_i, reference=f"{FAISS} IndexIVFFlat", exact=True, name="ivf ids")
    # faiss computes in float32: rounding of |q|^2 - 2 q.x + |x|^2 at |x|^2 ~ 300
    assert_parity(
        dist, ref_d, reference=f"{FAISS} IndexIVFFlat", rtol=1e-4, atol=1e-3, name="ivf dists"
    )
