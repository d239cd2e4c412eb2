"""Getis-Ord Gi* hot and cold spots, on aggregation grids and on arbitrary features.

Two engines share the statistics:

* **Grids** (fishnet or hexagon, :mod:`.getis_ord_grid`): neighbour sums are
  disc-kernel sums over the study-area-masked value grid. Cells outside the
  study area are *excluded* (they are neither features nor neighbours), not
  zeros.
* **Features** (``GRID=none``): binary weights in compressed sparse rows from
  a distance band, k nearest neighbours or queen contiguity
  (:mod:`.getis_ord_weights`).

Gi* includes each feature in its own neighbourhood (binary weights, self
weight 1), with the closed-form moments of Getis and Ord (1992/1995)::

    z_i = (Σ_j w_ij x_j − x̄ W_i) / (s √((n W_i − W_i²)/(n − 1)))

which is what esda ``G_Local(star=True, transform="B")``, spdep and ArcGIS
compute. p-values are two-sided normal; the Benjamini–Hochberg false
discovery rate correction (as ArcGIS applies it) changes only the bins.

scipy is used for the normal tail (``scipy.special.ndtr``, exact in the far
tails where a hand-rolled erf loses digits) and, for feature neighbours, its
KD-tree. Debian and QGIS's Windows installer ship it.

The whole analysis of a layer (CRS, grid, band, left-out incidents) is
:mod:`.getis_ord_analysis`; the choice of a distance band is
:mod:`.getis_ord_band`, the grid over a study area :mod:`.getis_ord_study_area`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from .errors import MewError
from .getis_ord_grid import Grid, band_kernel, kernel_count, kernel_sum
from .getis_ord_weights import SparseWeights
from .messages import message
from .progress import SILENT, Progress

#: Confidence levels of the bins, most significant first: |bin| 3, 2, 1.
CONFIDENCE_ALPHAS: tuple[float, float, float] = (0.01, 0.05, 0.10)


# --------------------------------------------------------------------------------------
# Statistics shared by every engine
# --------------------------------------------------------------------------------------
def two_sided_p(z: np.ndarray) -> np.ndarray:
    """Two-sided normal p-values of z-scores (NaN stays NaN)."""
    from scipy.special import ndtr  # here, not at the top: importing it costs ~40 ms at every QGIS start

    return 2.0 * ndtr(-np.abs(z))


def fdr_thresholds(p: np.ndarray, alphas: Sequence[float] = CONFIDENCE_ALPHAS) -> list[float]:
    """Benjamini–Hochberg p thresholds for each ``alpha`` (p ≤ threshold is significant).

    With m tests sorted ascending, the threshold is the largest p_(k) with
    p_(k) ≤ α k / m; ``-1`` when nothing passes.
    """
    finite = p[np.isfinite(p)]
    m = finite.size
    # Only p-values up to the largest alpha can pass; they are the smallest, so their ranks
    # among all m tests are their ranks among themselves (no need to sort all m).
    candidates = np.sort(finite[finite <= max(alphas, default=0.0)])
    ranks = np.arange(1, candidates.size + 1)
    out = []
    for alpha in alphas:
        passing = np.nonzero(candidates <= alpha * ranks / max(m, 1))[0]
        out.append(float(candidates[passing[-1]]) if passing.size else -1.0)
    return out


def gi_bins(z: np.ndarray, p: np.ndarray, fdr: bool) -> np.ndarray:
    """Bins −3..3 (99/95/90 % cold/hot, 0 not significant); FDR changes the bins only."""
    if fdr:
        limits = fdr_thresholds(p)
        levels = sum(((p <= limit) for limit in limits), start=np.zeros(z.shape, dtype=np.int8))
    else:
        levels = sum(((p < alpha) for alpha in CONFIDENCE_ALPHAS), start=np.zeros(z.shape, dtype=np.int8))
    # The levels nest (99 % ⊂ 95 % ⊂ 90 %), so the count of levels passed is |bin|; NaN p passes none.
    bins = levels.astype(np.int8)
    bins[z < 0] *= -1
    return bins


def gi_star_z(neighbour_sum: np.ndarray, weight_sum: np.ndarray, n: int, mean: float, sd: float) -> np.ndarray:
    """Closed-form Gi* z-scores from neighbour sums Σ w x and weight sums W (self included)."""
    variance = (n - weight_sum) * weight_sum
    variance *= 1.0 / (n - 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        z = neighbour_sum - mean * weight_sum
        z /= np.sqrt(variance) * sd
    # A feature whose neighbourhood is the whole study area carries no information.
    z[~(variance > 0)] = 0.0
    return z


def global_moments(values: np.ndarray, what: str = "values") -> tuple[int, float, float]:
    """n, mean and population standard deviation; a clear error when Gi* is undefined."""
    n = int(values.size)
    if n < 3:
        raise MewError(
            "Only {n} {what} to analyse: Gi* needs at least 3 (use a smaller cell size or more data).",
            n=n,
            what=message(what),
        )
    mean = float(values.mean())
    sd = float(math.sqrt(max(float((values**2).mean()) - mean * mean, 0.0)))
    if not sd > 1e-12 * max(abs(mean), 1.0):
        raise MewError(
            "All {what} are equal ({mean:g}): there is no variation for Gi* to find. Use a smaller cell "
            "size, a larger study area or another value field.",
            what=message(what),
            mean=mean,
        )
    return n, mean, sd


@dataclass
class GiResult:
    """Gi* outputs, aligned with the analysed features or grid cells."""

    z: np.ndarray
    p: np.ndarray
    bins: np.ndarray
    neighbours: np.ndarray  #: number of neighbours, self included
    fdr: bool
    messages: list[str] = field(default_factory=list)


def gi_star_from_sums(
    values: np.ndarray, neighbour_sum: np.ndarray, weight_sum: np.ndarray, fdr: bool = True, what: str = "values"
) -> GiResult:
    """z, p and bins from precomputed neighbour sums (all arrays aligned, analysed cells only)."""
    n, mean, sd = global_moments(values, what)
    z = gi_star_z(neighbour_sum, weight_sum, n, mean, sd)
    p = two_sided_p(z)
    return GiResult(z=z, p=p, bins=gi_bins(z, p, fdr), neighbours=weight_sum, fdr=fdr)


def gi_star_grid(
    values: np.ndarray,
    inside: np.ndarray,
    grid: Grid,
    band: float,
    fdr: bool = True,
    progress: Progress = SILENT,
) -> GiResult:
    """Gi* of every cell inside the study area; arrays (rows, cols), NaN outside.

    ``values`` are per-cell counts or sums, ``inside`` the study-area mask,
    ``band`` the distance band in the grid's linear units.
    """
    kernels = band_kernel(grid, band / grid.cell)
    everywhere = bool(inside.all())
    masked = np.asarray(values, dtype=np.float64) if everywhere else np.where(inside, values, 0.0)
    progress.step(0.1)
    neighbour_sum = kernel_sum(masked, kernels)
    progress.step(0.5)
    weight_sum = kernel_count(grid.shape, kernels) if everywhere else kernel_sum(inside.astype(np.float64), kernels)
    progress.step(0.8)
    if everywhere:
        result = gi_star_from_sums(masked.ravel(), neighbour_sum.ravel(), weight_sum.ravel(), fdr, "grid cells")
        result = GiResult(
            z=result.z.reshape(inside.shape),
            p=result.p.reshape(inside.shape),
            bins=result.bins.reshape(inside.shape),
            neighbours=result.neighbours.reshape(inside.shape),
            fdr=fdr,
        )
    else:
        result = gi_star_from_sums(masked[inside], neighbour_sum[inside], weight_sum[inside], fdr, "grid cells")
        result = _scatter(result, inside)
    singletons = int((result.neighbours[inside] <= 1).sum())
    if singletons:
        result.messages.append(
            message(
                "{count} cells have no neighbour within the distance band of {band:g}: increase DISTANCE_BAND.",
                count=singletons,
                band=band,
            )
        )
    progress.step(1.0)
    return result


def _scatter(result: GiResult, inside: np.ndarray) -> GiResult:
    def full(a: np.ndarray, fill, dtype) -> np.ndarray:
        out = np.full(inside.shape, fill, dtype=dtype)
        out[inside] = a
        return out

    return GiResult(
        z=full(result.z, np.nan, np.float64),
        p=full(result.p, np.nan, np.float64),
        bins=full(result.bins, 0, np.int8),
        neighbours=full(result.neighbours, 0, np.float64),
        fdr=result.fdr,
        messages=result.messages,
    )


def gi_star_features(values: np.ndarray, weights: SparseWeights, fdr: bool = True) -> GiResult:
    """Gi* of features with binary weights (self added)."""
    values = np.asarray(values, dtype=np.float64)
    if not np.all(np.isfinite(values)):
        raise MewError("Some features have no value (NULL or NaN): fill or filter them before the analysis.")
    neighbour_sum = weights.matvec(values) + values
    weight_sum = weights.cardinalities.astype(np.float64) + 1.0
    result = gi_star_from_sums(values, neighbour_sum, weight_sum, fdr, "features")
    lonely = int((weights.cardinalities == 0).sum())
    if lonely:
        result.messages.append(
            f"{lonely} features have no neighbours: widen DISTANCE_BAND, raise K or use another NEIGHBOURS method."
        )
    return result
