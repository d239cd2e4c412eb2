"""Emerging hot spot analysis: space-time Gi*, Mann-Kendall trends and ArcGIS's 17 categories.

Follows ArcGIS Pro's *Emerging Hot Spot Analysis*:

1. A space-time cube of counts: grid cell × time step.
2. Space-time Gi* for every bin. A bin's neighbours are the bins of cells
   within the distance band, at the same time step and at the ``time_window``
   preceding steps (ArcGIS's neighbourhood time step looks back in time). The
   global mean and variance are those of the whole cube. False discovery rate
   correction over the whole cube when ``fdr``.
3. The Mann-Kendall trend of each cell's z-score series.
4. A category for each cell from its series of significant hot / cold bins
   (90 % confidence or better) and the trend; see :func:`classify`.

Everything is vectorised over cells; the only Python loops run over kernel
rows, time lags and categories.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .errors import MewError
from .getis_ord import gi_bins, gi_star_z, global_moments, two_sided_p
from .getis_ord_grid import Grid, band_kernel, kernel_sum
from .messages import message
from .progress import SILENT, Progress

#: ArcGIS's CATEGORY codes and PATTERN names (cold spots have the negative codes).
CATEGORY_NAMES: dict[int, str] = {
    0: "No Pattern Detected",
    1: "New Hot Spot",
    2: "Consecutive Hot Spot",
    3: "Intensifying Hot Spot",
    4: "Persistent Hot Spot",
    5: "Diminishing Hot Spot",
    6: "Sporadic Hot Spot",
    7: "Oscillating Hot Spot",
    8: "Historical Hot Spot",
    -1: "New Cold Spot",
    -2: "Consecutive Cold Spot",
    -3: "Intensifying Cold Spot",
    -4: "Persistent Cold Spot",
    -5: "Diminishing Cold Spot",
    -6: "Sporadic Cold Spot",
    -7: "Oscillating Cold Spot",
    -8: "Historical Cold Spot",
}
NEW, CONSECUTIVE, INTENSIFYING, PERSISTENT, DIMINISHING, SPORADIC, OSCILLATING, HISTORICAL = range(1, 9)
#: Significance of a Mann-Kendall trend for the intensifying / diminishing categories. 1 %, as sfdep's
#: replication of ArcGIS: with a time window, consecutive z-scores share incidents, the series is
#: autocorrelated and Mann-Kendall's p-values are too small, so 5 % turns noise into trends.
TREND_ALPHA = 0.01
#: Incidents per cell (over the whole period) of the automatic cell size of a space-time cube.
INCIDENTS_PER_CELL = 2.0
#: Share of the time steps a location must be significant for the "90 %" categories.
MOST_STEPS = 0.9
#: The most bins (time steps × grid cells) of a space-time cube. The analysis holds about ten arrays of
#: the cube's size at once: measured, 85 bytes a bin at its peak, so 20 million bins take about 1.7 GB
#: (and about 20 s).
MAX_CUBE_BINS = 20_000_000


# --------------------------------------------------------------------------------------
# Space-time Gi*
# --------------------------------------------------------------------------------------
@dataclass
class CubeResult:
    """Space-time Gi* of a cube, arrays (steps, rows, cols); NaN outside the study area."""

    z: np.ndarray
    p: np.ndarray
    bins: np.ndarray
    messages: list[str] = field(default_factory=list)


def check_cube_size(grid: Grid, n_steps: int) -> None:
    """A clear error, before anything is allocated, when a cube would exceed :data:`MAX_CUBE_BINS` bins."""
    bins = n_steps * grid.rows * grid.cols
    if bins <= MAX_CUBE_BINS:
        return
    larger_cell = grid.cell * math.sqrt(bins / MAX_CUBE_BINS)
    raise MewError(
        "The space-time cube would hold {n_steps:,} time steps × {rows:,} × {cols:,} cells = {bins:,} "
        "bins (about {bins2:,.1f} GB of memory); the limit is {max_cube_bins:,}. Use a CELL_SIZE of at "
        "least {at_least:,}, a longer TIME_STEP, a shorter period (START/END) or a smaller STUDY_AREA.",
        n_steps=n_steps,
        rows=grid.rows,
        cols=grid.cols,
        bins=bins,
        bins2=bins * 85 / 1e9,
        max_cube_bins=MAX_CUBE_BINS,
        at_least=math.ceil(larger_cell),
    )


def cube_counts(
    grid: Grid, rows: np.ndarray, cols: np.ndarray, steps: np.ndarray, n_steps: int, weights: np.ndarray | None = None
) -> np.ndarray:
    """Counts (steps, rows, cols) of incidents already located in cells and steps; others ignored.

    Refused (:func:`check_cube_size`) beyond :data:`MAX_CUBE_BINS` bins.
    """
    check_cube_size(grid, n_steps)
    ok = (rows >= 0) & (rows < grid.rows) & (cols >= 0) & (cols < grid.cols) & (steps >= 0) & (steps < n_steps)
    flat = (steps[ok] * grid.rows + rows[ok]) * grid.cols + cols[ok]
    w = None if weights is None else np.asarray(weights, dtype=float)[ok]
    counts = np.bincount(flat, weights=w, minlength=n_steps * grid.rows * grid.cols)
    return counts.reshape(n_steps, grid.rows, grid.cols).astype(np.float64)


def window_sum(values: np.ndarray, window: int) -> np.ndarray:
    """Sum over each step and the ``window`` preceding steps (axis 0)."""
    cumulative = np.cumsum(values, axis=0)
    out = cumulative.copy()
    if window + 1 < values.shape[0]:
        out[window + 1 :] -= cumulative[: -(window + 1)]
    return out


@dataclass(frozen=True, eq=False)
class CubeSettings:
    """How the bins of a space-time cube are neighbours, and how significance is judged.

    ``inside`` masks the cells of ``grid`` inside the study area; a bin's
    neighbours are the bins of cells within ``band`` (the grid's units) at its
    own time step and the ``time_window`` preceding ones; ``fdr`` applies the
    false discovery rate correction over the whole cube.
    """

    grid: Grid
    inside: np.ndarray
    band: float
    time_window: int = 1
    fdr: bool = True


def space_time_gi(cube: np.ndarray, settings: CubeSettings, progress: Progress = SILENT) -> CubeResult:
    """Gi* of every bin of ``cube`` (steps, rows, cols) with space-time binary weights."""
    if settings.time_window < 0:
        raise ValueError("time_window must be ≥ 0")
    grid, inside, time_window = settings.grid, settings.inside, settings.time_window
    n_steps = cube.shape[0]
    kernels = band_kernel(grid, settings.band / grid.cell)
    masked = np.where(inside[None, :, :], cube, 0.0)
    progress.step(0.05)
    spatial = kernel_sum(masked, kernels)
    progress.step(0.5)
    neighbour_sum = window_sum(spatial, time_window)
    spatial_w = kernel_sum(inside.astype(np.float64), kernels)
    steps_in_window = np.minimum(np.arange(n_steps), time_window) + 1.0
    progress.step(0.6)
    values = masked[:, inside]
    n, mean, sd = global_moments(values, "space-time bins")
    weight_sum = steps_in_window[:, None] * spatial_w[inside][None, :]
    z_inside = gi_star_z(neighbour_sum[:, inside], weight_sum, n, mean, sd)
    progress.step(0.75)
    p_inside = two_sided_p(z_inside)
    bins_inside = gi_bins(z_inside, p_inside, settings.fdr)
    progress.step(0.95)
    z = np.full(cube.shape, np.nan)
    p = np.full(cube.shape, np.nan)
    bins = np.zeros(cube.shape, dtype=np.int8)
    z[:, inside] = z_inside
    p[:, inside] = p_inside
    bins[:, inside] = bins_inside
    return CubeResult(z=z, p=p, bins=bins)


# --------------------------------------------------------------------------------------
# Mann-Kendall
# --------------------------------------------------------------------------------------
@dataclass
class MannKendall:
    """Mann-Kendall trend test of each row of a (series, steps) array."""

    s: np.ndarray
    var_s: np.ndarray
    z: np.ndarray
    p: np.ndarray
    tau: np.ndarray


def mann_kendall(series: np.ndarray) -> MannKendall:
    """Mann-Kendall S, var S (tie-corrected), z (continuity-corrected), two-sided p and tau.

    Same definitions as ``pymannkendall.original_test``, vectorised over rows.
    """
    x = np.asarray(series, dtype=np.float64)
    if x.ndim == 1:
        x = x[None, :]
    m, n = x.shape
    s = np.zeros(m)
    for lag in range(1, n):
        s += np.sign(x[:, lag:] - x[:, :-lag]).sum(axis=1)
    # Ties: group sizes t of equal values in each row; var S loses Σ t(t−1)(2t+5)/18.
    ordered = np.sort(x, axis=1)
    new_group = np.ones((m, n), dtype=bool)
    new_group[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
    group_id = np.cumsum(new_group, axis=1) - 1 + (np.arange(m) * n)[:, None]
    sizes = np.bincount(group_id.ravel(), minlength=m * n).reshape(m, n).astype(np.float64)
    tie_term = (sizes * (sizes - 1) * (2 * sizes + 5)).sum(axis=1)
    var_s = (n * (n - 1) * (2 * n + 5) - tie_term) / 18.0
    with np.errstate(invalid="ignore", divide="ignore"):
        root = np.sqrt(var_s)
        z = np.where(s > 0, (s - 1) / root, np.where(s < 0, (s + 1) / root, 0.0))
    z = np.where(var_s > 0, z, 0.0)
    p = two_sided_p(z)
    tau = s / (0.5 * n * (n - 1))
    return MannKendall(s=s, var_s=var_s, z=z, p=p, tau=tau)


# --------------------------------------------------------------------------------------
# Categories
# --------------------------------------------------------------------------------------
def _trailing_run(flags: np.ndarray) -> np.ndarray:
    """Length of the run of True at the end of each row."""
    n = flags.shape[1]
    reversed_false = ~flags[:, ::-1]
    any_false = reversed_false.any(axis=1)
    return np.where(any_false, np.argmax(reversed_false, axis=1), n)


def _classify_side(hot: np.ndarray, cold: np.ndarray, trend_z: np.ndarray, trend_p: np.ndarray) -> np.ndarray:
    """Hot-spot codes 0..8 of each row (call with hot and cold swapped and trend negated for cold)."""
    n = hot.shape[1]
    n_hot = hot.sum(axis=1)
    final = hot[:, -1]
    most = n_hot >= MOST_STEPS * n
    run = _trailing_run(hot)
    rising = (trend_p < TREND_ALPHA) & (trend_z > 0)
    falling = (trend_p < TREND_ALPHA) & (trend_z < 0)
    conditions = [
        final & most & rising,  # intensifying
        final & most & falling,  # diminishing
        final & most,  # persistent
        final & (n_hot == 1),  # new: never hot before
        final & (run >= 2) & (n_hot == run),  # consecutive: one run at the end, never hot before it
        final & cold.any(axis=1),  # oscillating: cold at some earlier step
        final,  # sporadic: on and off, never cold
        ~final & most,  # historical
    ]
    choices = [INTENSIFYING, DIMINISHING, PERSISTENT, NEW, CONSECUTIVE, OSCILLATING, SPORADIC, HISTORICAL]
    return np.select(conditions, choices, default=0)


def classify(bins: np.ndarray, trend_z: np.ndarray, trend_p: np.ndarray) -> np.ndarray:
    """ArcGIS emerging hot spot categories (codes ±1..8, 0 no pattern) of (cells, steps) bins.

    A bin is a significant hot (cold) spot when its Gi_Bin is positive
    (negative), i.e. 90 % confidence or better. With n steps and "most" meaning
    at least 90 % of them:

    - new: hot at the final step and never before;
    - consecutive: a single uninterrupted run of ≥ 2 hot steps ending at the
      final step, never hot before it, less than 90 % hot;
    - intensifying / diminishing: hot for most steps including the final one,
      with a significant (p < 0.01, ``TREND_ALPHA``) rising / falling Mann-Kendall trend of z;
    - persistent: hot for most steps including the final one, no significant trend;
    - oscillating: hot at the final step, less than 90 % hot, cold at some earlier step;
    - sporadic: hot at the final step, less than 90 % hot, on and off, never cold;
    - historical: not hot at the final step but hot for most steps;
    - the cold categories mirror these (an intensifying cold spot's z falls).

    The rules are checked in that order of precedence: new and consecutive
    before oscillating, so a location whose only earlier significance was cold
    is new (or consecutive).
    """
    hot = bins > 0
    cold = bins < 0
    hot_codes = _classify_side(hot, cold, trend_z, trend_p)
    cold_codes = _classify_side(cold, hot, -trend_z, trend_p)
    # The final step decides between a hot and a cold reading; "historical" only when it is neither.
    current_hot = (hot_codes != 0) & (hot_codes != HISTORICAL)
    current_cold = (cold_codes != 0) & (cold_codes != HISTORICAL)
    codes = np.where(current_hot, hot_codes, np.where(current_cold | (hot_codes == 0), -cold_codes, hot_codes))
    return codes.astype(np.int8)


@dataclass
class EmergingResult:
    """Per-cell results of an emerging hot spot analysis (cells inside the study area, row-major)."""

    category: np.ndarray
    trend: MannKendall
    n_hot: np.ndarray
    n_cold: np.ndarray
    total: np.ndarray
    cube: CubeResult


def emerging_hot_spots(cube: np.ndarray, settings: CubeSettings, progress: Progress = SILENT) -> EmergingResult:
    """Space-time Gi*, Mann-Kendall trends of z and categories of every cell inside the study area."""
    if cube.shape[0] < 2:
        raise MewError("Only one time step: emerging hot spots need several. Use a shorter TIME_STEP.")
    inside = settings.inside
    result = space_time_gi(cube, settings, progress.sub(0.0, 0.7))
    z_series = result.z[:, inside].T  # (cells, steps)
    bins = result.bins[:, inside].T
    trend = mann_kendall(z_series)
    progress.step(0.9)
    category = classify(bins, trend.z, trend.p)
    if cube.shape[0] < 10:
        result.messages.append(
            message(
                "Only {steps} time steps: ArcGIS recommends at least 10 for the trend categories.", steps=cube.shape[0]
            )
        )
    progress.step(1.0)
    return EmergingResult(
        category=category,
        trend=trend,
        n_hot=(bins > 0).sum(axis=1),
        n_cold=(bins < 0).sum(axis=1),
        total=cube[:, inside].sum(axis=0),
        cube=result,
    )
