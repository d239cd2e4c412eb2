"""Getis-Ord Gi* hot and cold spots, on aggregation grids and on arbitrary features.

Two engines share the statistics:

* **Grids** (fishnet or hexagon): the neighbour sums of a distance band are a
  correlation of the (study-area-masked) value grid with a disc kernel. Each
  kernel row is a contiguous run of cells, so the correlation is a handful of
  row-wise cumulative-sum differences: exact for counts, O(cells × band rows),
  no per-cell Python loop. Cells outside the study area are *excluded* (they
  are neither features nor neighbours), not zeros.
* **Features** (``GRID=none``): binary weights in compressed sparse rows from
  a distance band, k nearest neighbours or queen contiguity.

Gi* includes each feature in its own neighbourhood (binary weights, self
weight 1), with the closed-form moments of Getis and Ord (1992/1995)::

    z_i = (Σ_j w_ij x_j − x̄ W_i) / (s √((n W_i − W_i²)/(n − 1)))

which is what esda ``G_Local(star=True, transform="B")``, spdep and ArcGIS
compute. p-values are two-sided normal; the Benjamini–Hochberg false
discovery rate correction (as ArcGIS applies it) changes only the bins.

scipy is used for the normal tail (``scipy.special.ndtr``, exact in the far
tails where a hand-rolled erf loses digits) and, for feature neighbours, its
KD-tree. Debian and QGIS's Windows installer ship it.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from typing import Iterable, Sequence

import numpy as np

from .errors import MewError
from .progress import SILENT, Progress

#: Confidence levels of the bins, most significant first: |bin| 3, 2, 1.
CONFIDENCE_ALPHAS: tuple[float, float, float] = (0.01, 0.05, 0.10)
_BAND_TOLERANCE = 1e-9  # relative: a neighbour exactly on the band counts, despite rounding


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
        raise MewError(f"Only {n} {what} to analyse: Gi* needs at least 3 (use a smaller cell size or more data).")
    mean = float(values.mean())
    sd = float(math.sqrt(max(float((values**2).mean()) - mean * mean, 0.0)))
    if not sd > 1e-12 * max(abs(mean), 1.0):
        raise MewError(
            f"All {what} are equal ({mean:g}): there is no variation for Gi* to find. "
            "Use a smaller cell size, a larger study area or another value field."
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


# --------------------------------------------------------------------------------------
# Grids
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Grid:
    """A fishnet or pointy-top hexagon grid; row 0 is the southernmost.

    ``cell`` is the distance between the centres of neighbouring cells (the
    side of a square; a hexagon's width across flats). Hexagon rows are
    ``cell·√3/2`` apart and odd rows are shifted east by half a cell.
    """

    kind: str  # "fishnet" | "hexagon"
    x0: float  # west edge of the grid
    y0: float  # south edge of the grid
    cell: float
    rows: int
    cols: int

    @property
    def row_spacing(self) -> float:
        return self.cell if self.kind == "fishnet" else self.cell * math.sqrt(3.0) / 2.0

    @property
    def hex_side(self) -> float:
        return self.cell / math.sqrt(3.0)

    @property
    def shape(self) -> tuple[int, int]:
        return (self.rows, self.cols)

    def row_shift(self, rows: np.ndarray | int) -> np.ndarray:
        """East shift of each row's centres, in cells (0 or ½)."""
        if self.kind == "fishnet":
            return np.zeros_like(np.asarray(rows), dtype=float)
        return 0.5 * (np.asarray(rows) % 2)

    def centres(self) -> tuple[np.ndarray, np.ndarray]:
        """x and y of every cell centre, as (rows, cols) arrays."""
        r, c = np.mgrid[0 : self.rows, 0 : self.cols]
        x = self.x0 + (c + 0.5 + self.row_shift(r)) * self.cell
        if self.kind == "fishnet":
            y = self.y0 + (r + 0.5) * self.cell
        else:
            y = self.y0 + self.hex_side + r * self.row_spacing
        return x, y

    def locate(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Row and column of the cell holding each point (may fall outside the grid)."""
        if self.kind == "fishnet":
            r = np.floor((y - self.y0) / self.cell).astype(np.int64)
            c = np.floor((x - self.x0) / self.cell).astype(np.int64)
            return r, c
        # A hexagon is the Voronoi cell of its centre: take the nearer of the two candidate rows.
        s = self.hex_side
        r_low = np.floor((y - self.y0 - s) / self.row_spacing).astype(np.int64)
        best_r = r_low
        best_c = np.zeros_like(r_low)
        best_d = np.full(x.shape, np.inf)
        for r in (r_low, r_low + 1):
            c = np.floor((x - self.x0) / self.cell - self.row_shift(r)).astype(np.int64)
            cx = self.x0 + (c + 0.5 + self.row_shift(r)) * self.cell
            cy = self.y0 + s + r * self.row_spacing
            d = (x - cx) ** 2 + (y - cy) ** 2
            better = d < best_d
            best_r = np.where(better, r, best_r)
            best_c = np.where(better, c, best_c)
            best_d = np.where(better, d, best_d)
        return best_r, best_c

    def cell_polygon_coords(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Closed rings (n, k+1, 2) of the given cells: squares or hexagons."""
        x, y = self.centres()
        cx, cy = x[rows, cols], y[rows, cols]
        if self.kind == "fishnet":
            h = self.cell / 2.0
            dx = np.array([-h, h, h, -h, -h])
            dy = np.array([-h, -h, h, h, -h])
        else:
            angles = np.radians(np.array([30, 90, 150, 210, 270, 330, 30], dtype=float))
            dx = self.hex_side * np.cos(angles)
            dy = self.hex_side * np.sin(angles)
        return np.stack([cx[:, None] + dx[None, :], cy[:, None] + dy[None, :]], axis=-1)


def grid_for_extent(kind: str, bounds: tuple[float, float, float, float], cell: float) -> Grid:
    """The grid of ``kind`` and ``cell`` size covering ``bounds`` (xmin, ymin, xmax, ymax)."""
    if kind not in ("fishnet", "hexagon"):
        raise MewError(f"Unknown grid '{kind}': use fishnet or hexagon.")
    if not cell > 0:
        raise MewError("The cell size must be positive (or 0 to choose it from the data).")
    xmin, ymin, xmax, ymax = bounds
    width, height = max(xmax - xmin, cell), max(ymax - ymin, cell)
    if kind == "fishnet":
        cols = math.floor(width / cell) + 1  # +1: a point on the east or north edge still falls inside
        rows = math.floor(height / cell) + 1
        x0 = xmin - (cols * cell - width) / 2.0
        y0 = ymin - (rows * cell - height) / 2.0
        return Grid(kind, x0, y0, cell, rows, cols)
    spacing = cell * math.sqrt(3.0) / 2.0
    cols = math.ceil(width / cell) + 1
    rows = math.ceil(height / spacing) + 1
    return Grid(kind, xmin - cell / 2.0, ymin - cell / math.sqrt(3.0) / 2.0, cell, rows, cols)


def band_kernel(grid: Grid, band_cells: float) -> list[list[tuple[int, int, int]]]:
    """Disc-kernel rows ``(dr, dc_low, dc_high)`` for even and odd rows of ``grid``.

    A cell is a neighbour when its centre lies within ``band_cells`` cell
    spacings of the focal centre (the focal cell itself included). A band
    longer than the grid's diagonal reaches every cell: it is cut to that
    length (the result is the same), so an absurd band costs nothing.
    """
    diagonal = math.hypot(grid.rows * grid.row_spacing / grid.cell, grid.cols) + 1.0
    band = min(band_cells, diagonal) * (1.0 + _BAND_TOLERANCE)
    dy_unit = grid.row_spacing / grid.cell
    max_dr = math.floor(band / dy_unit)
    kernels = []
    for parity in (0, 1):
        rows = []
        for dr in range(-max_dr, max_dr + 1):
            reach_sq = band * band - (dr * dy_unit) ** 2
            if reach_sq < 0:
                continue
            reach = math.sqrt(reach_sq)
            shift = float(grid.row_shift(parity + dr) - grid.row_shift(parity))
            low = math.ceil(-reach - shift - 1e-12)
            high = math.floor(reach - shift + 1e-12)
            if low <= high:
                rows.append((dr, low, high))
        kernels.append(rows)
    return kernels


def kernel_sum(values: np.ndarray, kernels: list[list[tuple[int, int, int]]]) -> np.ndarray:
    """Sum of ``values`` (…, rows, cols) over each cell's kernel (zero beyond the edges).

    Leading axes (e.g. time steps) are carried along. Row runs are summed with
    cumulative sums, so the cost is one pass per kernel row.
    """
    *lead, rows, cols = values.shape
    max_dr = max(abs(dr) for kernel in kernels for dr, _, _ in kernel)
    max_dc = max(max(abs(lo), abs(hi)) for kernel in kernels for _, lo, hi in kernel)
    padded = np.zeros((*lead, rows + 2 * max_dr, cols + 2 * max_dc + 1), dtype=np.float64)
    padded[..., max_dr : max_dr + rows, max_dc + 1 : max_dc + 1 + cols] = values
    cumulative = np.cumsum(padded, axis=-1, out=padded)  # column j+1 holds the sum of columns ≤ j
    out = np.zeros(values.shape, dtype=np.float64)
    # A fishnet's rows all share one kernel: one pass over all rows; hexagon rows alternate.
    passes = [(0, 1, kernels[0])] if kernels[0] == kernels[1] else [(0, 2, kernels[0]), (1, 2, kernels[1])]
    for first, stride, kernel in passes:
        target = out[..., first::stride, :]
        n_rows = target.shape[-2]
        if n_rows == 0:
            continue
        for dr, lo, hi in kernel:
            r0 = max_dr + first + dr
            source = cumulative[..., r0 : r0 + stride * (n_rows - 1) + 1 : stride, :]
            target += source[..., max_dc + 1 + hi : max_dc + 1 + hi + cols]
            target -= source[..., max_dc + lo : max_dc + lo + cols]
    return out


def kernel_count(shape: tuple[int, int], kernels: list[list[tuple[int, int, int]]]) -> np.ndarray:
    """Number of grid cells in each cell's kernel (edges cut it) when every cell is analysed.

    Each kernel row contributes (row inside the grid) × (columns of its run inside the grid):
    an outer product per kernel row, cheaper than summing a grid of ones.
    """
    rows, cols = shape
    out = np.zeros(shape, dtype=np.float64)
    c = np.arange(cols)
    passes = [(0, 1, kernels[0])] if kernels[0] == kernels[1] else [(0, 2, kernels[0]), (1, 2, kernels[1])]
    for first, stride, kernel in passes:
        r = np.arange(first, rows, stride)
        target = out[first::stride, :]
        for dr, lo, hi in kernel:
            row_ok = ((r + dr >= 0) & (r + dr < rows)).astype(np.float64)
            in_run = (np.minimum(c + hi, cols - 1) - np.maximum(c + lo, 0) + 1).clip(min=0).astype(np.float64)
            target += np.outer(row_ok, in_run)
    return out


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
    weight_sum = kernel_count(inside.shape, kernels) if everywhere else kernel_sum(inside.astype(np.float64), kernels)
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
            f"{singletons} cells have no neighbour within the distance band of {band:g}: increase DISTANCE_BAND."
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


def count_points(grid: Grid, x: np.ndarray, y: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    """Counts (or weight sums) of points per cell; points outside the grid are ignored."""
    r, c = grid.locate(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
    ok = (r >= 0) & (r < grid.rows) & (c >= 0) & (c < grid.cols)
    flat = r[ok] * grid.cols + c[ok]
    w = None if weights is None else np.asarray(weights, dtype=float)[ok]
    return np.bincount(flat, weights=w, minlength=grid.rows * grid.cols).reshape(grid.shape).astype(np.float64)


def cells_inside(grid: Grid, shapes: Iterable) -> np.ndarray:
    """Mask of cells whose centre lies inside any of the shapely polygons ``shapes``."""
    from rasterio import features
    from rasterio.transform import Affine

    geoms = [g for g in shapes if g is not None and not g.is_empty]
    inside = np.zeros(grid.shape, dtype=bool)
    if not geoms:
        return inside
    dy = grid.row_spacing
    step = 1 if grid.kind == "fishnet" else 2
    for parity in range(step):
        n_rows = len(range(parity, grid.rows, step))
        if n_rows == 0:
            continue
        x_west = grid.x0 + float(grid.row_shift(parity)) * grid.cell
        y_first = grid.y0 + (grid.cell / 2.0 if grid.kind == "fishnet" else grid.hex_side) + parity * dy
        pixel_h = dy * step
        top = y_first + (n_rows - 1) * pixel_h + pixel_h / 2.0
        transform = Affine(grid.cell, 0.0, x_west, 0.0, -pixel_h, top)
        burned = features.rasterize(
            ((g, 1) for g in geoms), out_shape=(n_rows, grid.cols), transform=transform, fill=0, dtype="uint8"
        )
        inside[parity::step, :] = burned[::-1, :].astype(bool)
    return inside


def nice_number(value: float) -> float:
    """``value`` rounded to 1, 2, 2.5 or 5 × 10^k (a cell size a person would pick)."""
    if value <= 0:
        return value
    exponent = math.floor(math.log10(value))
    base = 10.0**exponent
    for step in (1.0, 2.0, 2.5, 5.0, 10.0):
        if value <= step * base * 1.25:
            return step * base
    return 10.0 * base


def automatic_cell_size(area: float, n_points: int, kind: str = "fishnet", incidents_per_cell: float = 0.25) -> float:
    """A cell size for ``n_points`` incidents in a study area of ``area`` (square units).

    ``incidents_per_cell`` on average, kept between 400 and 250 000 cells and
    rounded to a round number. The default, four cells per incident, is fine
    enough to outline hot spots a few cells across; the distance band, not the
    cell, then sets how many incidents a neighbourhood holds. A space-time cube
    spreads the incidents over its time steps and wants coarser cells.
    """
    if n_points <= 0 or area <= 0:
        raise MewError("No incidents inside the study area: check the layers' CRS and the study area.")
    cells = min(max(n_points / incidents_per_cell, 400.0), 250000.0)
    size = math.sqrt(area / cells)
    if kind == "hexagon":
        size *= math.sqrt(2.0 / math.sqrt(3.0))  # same cell area as a square of that side
    return nice_number(size)


# --------------------------------------------------------------------------------------
# Automatic distance band: incremental spatial autocorrelation
# --------------------------------------------------------------------------------------
def morans_i_z(values: np.ndarray, neighbour_sum: np.ndarray, weight_rows: np.ndarray, s2_terms=None) -> float:
    """Global Moran's I z-score (randomisation) for symmetric binary weights without self.

    ``neighbour_sum`` is Σ_j w_ij z_j of the deviations, ``weight_rows`` the
    row sums w_i.
    """
    n = values.size
    dev = values - values.mean()
    m2 = float((dev**2).sum())
    if n < 4 or m2 == 0:
        return float("nan")
    s0 = float(weight_rows.sum())
    if s0 == 0:
        return float("nan")
    s1 = 2.0 * s0
    s2 = float((4.0 * weight_rows**2).sum())
    i_stat = n / s0 * float((dev * neighbour_sum).sum()) / m2
    expected = -1.0 / (n - 1)
    kurt = n * float((dev**4).sum()) / m2**2
    variance = (
        n * ((n * n - 3 * n + 3) * s1 - n * s2 + 3 * s0 * s0) - kurt * ((n * n - n) * s1 - 2 * n * s2 + 6 * s0 * s0)
    ) / ((n - 1) * (n - 2) * (n - 3) * s0 * s0) - expected**2
    if variance <= 0:
        return float("nan")
    return (i_stat - expected) / math.sqrt(variance)


def first_peak(distances: Sequence[float], z_scores: Sequence[float], minimum_z: float = 3.0) -> float | None:
    """The first distance whose Moran's z is a local maximum and significant, else ``None``.

    Significant means z ≥ 3 (p ≈ 0.003): about 5 % after a Bonferroni correction
    for the ~20 bands tried, so pure noise rarely yields a spurious peak.
    """
    z = [(-math.inf if not math.isfinite(v) else v) for v in z_scores]
    for k in range(1, len(z) - 1):
        if z[k] >= minimum_z and z[k] > z[k - 1] and z[k] >= z[k + 1]:
            return float(distances[k])
    return None


@dataclass
class BandChoice:
    """An automatically chosen distance band and how it was chosen."""

    band: float
    method: str
    distances: list[float]
    z_scores: list[float]

    def describe(self) -> str:
        return f"Distance band {self.band:g} chosen by {self.method}."


def automatic_grid_band(values: np.ndarray, inside: np.ndarray, grid: Grid, max_cells: int = 25) -> BandChoice:
    """Distance band for a grid: the first peak of incremental spatial autocorrelation.

    Moran's I z is computed for bands of 1..``max_cells`` cell spacings
    (bounded by a quarter of the grid's shorter side). The first significant
    peak whose disc holds at least ``MIN_EXPECTED`` incidents on average is
    taken: smaller neighbourhoods hold so few incidents that the normal
    approximation of Gi* breaks down and noise turns into hot spots. Without
    such a peak, the k-nearest fallback: the distance holding
    ``FALLBACK_EXPECTED`` incidents on average (ArcGIS's optimized hot spot
    analysis falls back on up to 30 nearest neighbours likewise), at least √2
    cells.
    """
    limit = max(2, min(max_cells, int(min(grid.rows, grid.cols) // 4)))
    masked = np.where(inside, values, 0.0).astype(np.float64)
    dev_values = masked[inside]
    mean = dev_values.mean()
    cell_area = grid.cell * grid.row_spacing
    per_area = max(mean, 1e-12) / cell_area

    def holding(incidents: float) -> float:
        return math.sqrt(incidents / (math.pi * per_area))

    dev = np.where(inside, masked - mean, 0.0)
    distances, z_scores = [], []
    for k in range(1, limit + 1):
        kernels = band_kernel(grid, float(k))
        neighbour_sum = (kernel_sum(dev, kernels) - dev)[inside]
        weight_rows = (kernel_sum(inside.astype(np.float64), kernels) - 1.0)[inside]
        distances.append(k * grid.cell)
        z_scores.append(morans_i_z(dev_values, neighbour_sum, weight_rows))
    minimum = holding(MIN_EXPECTED)
    usable = [(-math.inf if d < minimum else z) for d, z in zip(distances, z_scores)]
    peak = first_peak(distances, usable)
    if peak is not None:
        return BandChoice(peak, "the first peak of incremental spatial autocorrelation", distances, z_scores)
    fallback = max(holding(FALLBACK_EXPECTED), math.sqrt(2.0) * grid.cell)
    fallback = math.ceil(fallback / grid.cell * 2.0) / 2.0 * grid.cell  # to half a cell
    return BandChoice(
        fallback,
        f"the k-nearest fallback: about {FALLBACK_EXPECTED} incidents per neighbourhood "
        "(no usable peak of incremental spatial autocorrelation)",
        distances,
        z_scores,
    )


# --------------------------------------------------------------------------------------
# Features: sparse binary weights
# --------------------------------------------------------------------------------------
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

    pairs = cKDTree(xy).query_pairs(band * (1.0 + _BAND_TOLERANCE), output_type="ndarray")
    i = np.concatenate([pairs[:, 0], pairs[:, 1]])
    j = np.concatenate([pairs[:, 1], pairs[:, 0]])
    return SparseWeights.from_pairs(len(xy), i, j)


def knn_weights(xy: np.ndarray, k: int) -> SparseWeights:
    """Each feature's ``k`` nearest other features (asymmetric, like libpysal's KNN)."""
    from scipy.spatial import cKDTree

    n = len(xy)
    if not 1 <= k < n:
        raise MewError(f"K = {k} nearest neighbours needs at least {k + 1} features; there are {n}. Lower K.")
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


def automatic_feature_band(xy: np.ndarray, values: np.ndarray, steps: int = 10) -> BandChoice:
    """Distance band for features: first peak of incremental spatial autocorrelation.

    Bands start at the largest nearest-neighbour distance (so that every
    feature has a neighbour) and grow by the mean nearest-neighbour distance;
    without a significant peak the start distance (the k = 1 fallback
    guaranteeing one neighbour each) is widened to the mean distance to the
    8th nearest neighbour when that is larger.
    """
    from scipy.spatial import cKDTree

    n = len(xy)
    if n < 4:
        raise MewError(f"Only {n} features: Gi* needs at least 4 to choose a distance band.")
    tree = cKDTree(xy)
    k = min(8, n - 1)
    dist, _ = tree.query(xy, k=k + 1)
    nearest = dist[:, 1]
    start = float(nearest.max())
    increment = float(max(nearest.mean(), start / steps, 1e-9))
    distances = [start + increment * s for s in range(steps)]
    values = np.asarray(values, dtype=float)
    dev = values - values.mean()
    z_scores = []
    for d in distances:
        w = distance_weights(xy, d)
        z_scores.append(morans_i_z(values, w.matvec(dev), w.cardinalities.astype(float)))
    peak = first_peak(distances, z_scores)
    if peak is not None:
        return BandChoice(peak, "the first peak of incremental spatial autocorrelation", distances, z_scores)
    fallback = max(start, float(dist[:, k].mean()))
    return BandChoice(
        fallback,
        f"the {k}-nearest-neighbour fallback (no significant peak of incremental spatial autocorrelation)",
        distances,
        z_scores,
    )


# --------------------------------------------------------------------------------------
# Setting up an analysis grid from incidents and a study area
# --------------------------------------------------------------------------------------
#: Incidents a neighbourhood must hold on average for a band to be chosen automatically.
MIN_EXPECTED = 10.0
#: Incidents per neighbourhood of the fallback band.
FALLBACK_EXPECTED = 30

#: Beyond this many cells a grid is refused (memory and time); the user picks a larger cell.
MAX_CELLS = 5_000_000


@dataclass
class GridSetup:
    """The grid of an analysis, its study-area mask and what was chosen automatically."""

    grid: Grid
    inside: np.ndarray
    study_area: list
    messages: list[str] = field(default_factory=list)


def _hull_candidates(xy: np.ndarray) -> np.ndarray:
    """Points that may be hull vertices: those not strictly inside the octagon of 8 extreme points.

    (Akl–Toussaint: discarding the interior first makes the hull of a million
    incidents a matter of milliseconds.)
    """
    if len(xy) < 1000:
        return xy
    x, y = xy[:, 0], xy[:, 1]
    keys = [x, y, x + y, x - y]
    extremes = []
    for key in keys:
        extremes += [int(np.argmin(key)), int(np.argmax(key))]
    # The octagon in angular order: min x, min x+y... simply sort the extreme points by angle.
    octagon = np.unique(xy[extremes], axis=0)
    if len(octagon) < 3:
        return xy
    centre = octagon.mean(axis=0)
    octagon = octagon[np.argsort(np.arctan2(octagon[:, 1] - centre[1], octagon[:, 0] - centre[0]))]
    inside = np.ones(len(xy), dtype=bool)
    for a, b in zip(octagon, np.roll(octagon, -1, axis=0)):
        # Counter-clockwise polygon: strictly left of every edge is strictly inside.
        inside &= (b[0] - a[0]) * (y - a[1]) - (b[1] - a[1]) * (x - a[0]) > 0
    return xy[~inside]


def convex_hull(xy: np.ndarray):
    """The convex hull of points as a shapely polygon; a clear error when there is none."""
    from scipy.spatial import ConvexHull, QhullError
    from shapely.geometry import Polygon

    unique = np.unique(_hull_candidates(xy), axis=0)
    if len(unique) < 3:
        raise MewError(f"Only {len(unique)} distinct incident locations: at least 3 are needed (or a STUDY_AREA).")
    try:
        hull = ConvexHull(unique)
    except QhullError as error:
        raise MewError("The incidents lie on a line: give a STUDY_AREA polygon.") from error
    return Polygon(unique[hull.vertices])


def analysis_grid(
    kind: str, xy: np.ndarray, cell_size: float, study_area: list | None = None, incidents_per_cell: float = 0.25
) -> GridSetup:
    """Grid covering the study area, cell size chosen if 0.

    Cells whose centre lies in the study area are analysed. Without a study
    area: the incidents' convex hull, plus any cell holding an incident.
    """
    messages = []
    shapes = [g for g in (study_area or []) if g is not None and not g.is_empty]
    if not shapes:
        shapes = [convex_hull(xy)]
        messages.append("Study area: the convex hull of the incidents.")
    area = float(sum(g.area for g in shapes))
    bounds = np.array([g.bounds for g in shapes])
    extent = (bounds[:, 0].min(), bounds[:, 1].min(), bounds[:, 2].max(), bounds[:, 3].max())
    in_extent = (
        (xy[:, 0] >= extent[0]) & (xy[:, 0] <= extent[2]) & (xy[:, 1] >= extent[1]) & (xy[:, 1] <= extent[3])
    )
    if study_area and not in_extent.any():
        raise MewError(_no_incident_inside(xy, extent))
    if not cell_size or cell_size <= 0:
        cell_size = automatic_cell_size(area, int(in_extent.sum()), kind, incidents_per_cell)
        messages.append(f"Cell size {cell_size:g} chosen from the data ({incidents_per_cell:g} incidents per cell).")
    width, height = extent[2] - extent[0], extent[3] - extent[1]
    cells = (width / cell_size + 2) * (height / cell_size + 2)
    if cells > MAX_CELLS:
        fitting = math.ceil(math.sqrt(width * height / MAX_CELLS) * 1.01)
        raise MewError(
            f"The study area spans {width:,.0f} × {height:,.0f} (map units of the analysis CRS, metres): with a cell "
            f"size of {cell_size:g} that is about {cells:,.0f} cells; the limit is {MAX_CELLS:,}. Use a CELL_SIZE of "
            f"at least {fitting:,} (or 0 to choose it automatically), or a smaller STUDY_AREA."
        )
    grid = grid_for_extent(kind, extent, cell_size)
    inside = cells_inside(grid, shapes)
    r, c = grid.locate(xy[:, 0], xy[:, 1])
    ok = (r >= 0) & (r < grid.rows) & (c >= 0) & (c < grid.cols)
    if not study_area:
        # Cells holding incidents belong to the study area even when their centre falls just outside the hull.
        inside[r[ok], c[ok]] = True
    else:
        counted = int(inside[r[ok], c[ok]].sum())
        if counted == 0:
            raise MewError(_no_incident_inside(xy, extent))
        if counted < len(xy):
            messages.append(f"{len(xy) - counted:,} of {len(xy):,} incidents lie outside the study area and are not "
                            "counted.")
    if inside.sum() < 3:
        raise MewError(
            f"Only {int(inside.sum())} cells of {cell_size:g} fall inside the study area: use a smaller CELL_SIZE."
        )
    return GridSetup(grid, inside, shapes, messages)


def _no_incident_inside(xy: np.ndarray, extent: tuple[float, float, float, float]) -> str:
    """Why a study area holding no incident cannot be analysed, with where each lies."""
    low, high = xy.min(axis=0), xy.max(axis=0)
    gap_x = max(extent[0] - high[0], low[0] - extent[2], 0.0)
    gap_y = max(extent[1] - high[1], low[1] - extent[3], 0.0)
    apart = f"{math.hypot(gap_x, gap_y) / 1000:,.0f} km apart" if gap_x or gap_y else "their extents overlap"
    return (
        f"None of the {len(xy):,} incidents lies inside the STUDY_AREA ({apart}: the study area spans x "
        f"{extent[0]:,.0f} to {extent[2]:,.0f}, y {extent[1]:,.0f} to {extent[3]:,.0f}; the incidents x "
        f"{low[0]:,.0f} to {high[0]:,.0f}, y {low[1]:,.0f} to {high[1]:,.0f}, in metres of the analysis CRS). "
        "Check that STUDY_AREA is the layer you meant and that both layers have the right CRS."
    )
