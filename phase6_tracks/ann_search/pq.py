"""Product quantization: split a vector into m sub-vectors, code each as its nearest of 2^nbits
centroids (one byte for nbits = 8); decoding concatenates the chosen centroids.
"""

from __future__ import annotations

import numpy as np

from .kmeans import kmeans, nearest_centroid


class ProductQuantizer:
    """m sub-quantizers of 2^nbits centroids each over `dim`-dimensional vectors."""

    def __init__(self, dim: int, m: int, nbits: int = 8, seed: int = 0) -> None:
        if m < 1 or dim % m:
            raise ValueError(f"dim={dim} must be a multiple of m={m}")
        if not 1 <= nbits <= 8:
            raise ValueError("nbits must be in 1..8 (codes are stored as bytes)")
        self.dim, self.m, self.nbits, self.seed = dim, m, nbits, seed

    @property
    def dsub(self) -> int:
        """Width of one sub-vector."""
        return self.dim // self.m

    @property
    def ksub(self) -> int:
        """Centroids per sub-quantizer (2^nbits)."""
        return 1 << self.nbits

    def fit(self, X: np.ndarray) -> ProductQuantizer:
        """Train each sub-quantizer by k-means on its slice of X; returns self."""
        X = np.asarray(X, dtype=np.float32)
        self.centroids_ = np.stack(
            [
                kmeans(X[:, j * self.dsub : (j + 1) * self.dsub], self.ksub, seed=self.seed + j)
                for j in range(self.m)
            ]
        )
        return self

    def set_centroids(self, centroids: np.ndarray) -> ProductQuantizer:
        """Use given codebooks, shape (m, 2^nbits, dim / m); returns self."""
        centroids = np.asarray(centroids, dtype=np.float32)
        if centroids.shape != (self.m, self.ksub, self.dsub):
            raise ValueError(
                f"centroids must be {(self.m, self.ksub, self.dsub)}, got {centroids.shape}"
            )
        self.centroids_ = np.ascontiguousarray(centroids)
        return self

    def encode(self, X: np.ndarray) -> np.ndarray:
        """uint8 codes (n, m): the nearest centroid of every sub-vector."""
        X = np.asarray(X, dtype=np.float32)
        codes = np.empty((len(X), self.m), dtype=np.uint8)
        for j in range(self.m):
            codes[:, j], _ = nearest_centroid(
                X[:, j * self.dsub : (j + 1) * self.dsub], self.centroids_[j]
            )
        return codes

    def decode(self, codes: np.ndarray) -> np.ndarray:
        """Reconstructions (n, dim) float32 of uint8 codes (n, m)."""
        codes = np.asarray(codes, dtype=np.int64)
        return np.concatenate([self.centroids_[j][codes[:, j]] for j in range(self.m)], axis=1)
