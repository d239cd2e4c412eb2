"""Binary spatial weights of features for Gi*: distance band, k nearest neighbours, queen contiguity."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from .errors import MewError
from .getis_ord_grid import BAND_TOLERANCE
from .progress import SILENT, Progress


@dataclass
class SparseWeights:
    """Binary weights without self, as compressed sparse rows (row i: indices[indptr[i]:indptr[i+1]])."""

    indptr: np.ndarray
    indices: np.ndarray

    @property
    def n(self) -> int:
        return self.indptr.size - 1

    @property
    def cardinalities(self) -> np.ndarray:
        return np.diff(self.indptr)

    def rows(self) -> np.ndarray:
        return np.repeat(np.arange(self.n), self.cardinalities)

    def matvec(self, x: np.ndarray) -> np.ndarray:
        """Σ_j w_ij x_j for every row i."""
        return np.bincount(self.rows(), weights=x[self.indices], minlength=self.n)

    @classmethod
    def from_pairs(cls, n: int, i: np.ndarray, j: np.ndarray) -> SparseWeights:
        order = np.lexsort((j, i))
        i, j = np.asarray(i)[order], np.asarray(j)[order]
        keep = i != j
        i, j = i[keep], j[keep]
        if i.size:
            unique = np.ones(i.size, dtype=bool)
            unique[1:] = (i[1:] != i[:-1]) | (j[1:] != j[:-1])
            i, j = i[unique], j[unique]
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(i, minlength=n), out=indptr[1:])
        return cls(indptr=indptr, indices=j.astype(np.int64))


def distance_weights(xy: np.ndarray, band: float) -> SparseWeights:
    """Neighbours whose points (or centroids) lie within ``band`` of each other."""
    from scipy.spatial import cKDTree

    pairs = cKDTree(xy).query_pairs(band * (1.0 + BAND_TOLERANCE), output_type="ndarray")
    i = np.concatenate([pairs[:, 0], pairs[:, 1]])
    j = np.concatenate([pairs[:, 1], pairs[:, 0]])
    return SparseWeights.from_pairs(len(xy), i, j)


def knn_weights(xy: np.ndarray, k: int) -> SparseWeights:
    """Each feature's ``k`` nearest other features (asymmetric, like libpysal's KNN)."""
    from scipy.spatial import cKDTree

    n = len(xy)
    if not 1 <= k < n:
        raise MewError(
            "K = {k} nearest neighbours needs at least {k2} features; there are {n}. Lower K.", k=k, k2=k + 1, n=n
        )
    _, neighbours = cKDTree(xy).query(xy, k=k + 1)
    i = np.repeat(np.arange(n), k + 1)
    j = neighbours.ravel()
    # Drop each point itself (usually column 0, but coincident points may swap places).
    not_self = j != i
    i, j = i[not_self], j[not_self]
    counts = np.bincount(i, minlength=n)
    surplus = np.nonzero(counts > k)[0]
    if surplus.size:  # no coincident twin displaced self: keep the k nearest
        keep = np.ones(i.size, dtype=bool)
        starts = np.concatenate([[0], np.cumsum(counts)])
        keep[starts[surplus] + k] = False
        i, j = i[keep], j[keep]
    return SparseWeights.from_pairs(n, i, j)


def queen_weights(shapes: Sequence, progress: Progress = SILENT) -> SparseWeights:
    """Queen contiguity: polygons that share an edge or a corner (or overlap)."""
    from shapely.strtree import STRtree

    n = len(shapes)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # shapely 1.8 warns that STRtree changes in 2.0; both are handled
        tree = STRtree(list(shapes))
    pairs_i, pairs_j = [], []
    shapely2 = hasattr(tree, "geometries")
    if shapely2:
        i, j = tree.query(list(shapes), predicate="intersects")
        pairs_i, pairs_j = [np.asarray(i)], [np.asarray(j)]
    else:  # shapely 1.8: query returns geometries; map them back by identity
        index_of = {id(g): k for k, g in enumerate(shapes)}
        for k, g in enumerate(shapes):
            if k % 500 == 0:
                progress.step(k / max(n, 1))
            hits = [index_of[id(h)] for h in tree.query(g) if h.intersects(g)]
            pairs_i.append(np.full(len(hits), k))
            pairs_j.append(np.asarray(hits, dtype=np.int64))
    i = np.concatenate(pairs_i) if pairs_i else np.zeros(0, dtype=np.int64)
    j = np.concatenate(pairs_j) if pairs_j else np.zeros(0, dtype=np.int64)
    return SparseWeights.from_pairs(n, i.astype(np.int64), j.astype(np.int64))
