"""Kernel density of incident points, on QGIS's heatmap grid, by binning and FFT.

Definition (QGIS's ``qgis:heatmapkerneldensityestimation``, ``qgskde.cpp``):
the value of a pixel is the sum, over the points within ``radius`` of the
pixel's *centre*, of ``weight · K(distance)``. The grid is the points'
bounding box expanded by the radius, with ``rows = ceil(height / pixel) + 1``
and ``cols = ceil(width / pixel) + 1`` and its origin at the top-left corner.

Two methods compute that sum:

* :func:`density_exact` evaluates it directly, point by point over the
  kernel's window (vectorised in chunks). Its cost is ``points × window``.
* :func:`.density_fft.iter_density_fast` spreads each weight over a lattice ``S`` times
  finer than the pixels with linear ("cloud-in-cell") weights, splits that
  lattice into ``S²`` phase grids, convolves each with the kernel sampled at
  its phase's offsets and sums the spectra: one inverse FFT per band of rows.
  Cost grows with pixels (FFT) plus points (binning), not their product. The
  error of linear binning is at most ``g²/8 · max(|Kxx| + |Kyy|)`` per point
  for a lattice step ``g = pixel / S``; ``S`` is chosen so that for the smooth
  kernels (quartic, triweight) this stays below 0.045 % of a single kernel's
  peak, inside the 0.05 % promised against the exact sum.

Output values: ``raw`` (kernel peak 1), ``scaled`` (QGIS's constants) and
``density`` (normalised so each incident integrates to its weight over the
plane; reported per km²). QGIS's scaled quartic constant was 116/(5πr²), a
typo for 16/(5πr²), until QGIS 3.40.4 (QGIS issue 60616): its scaled quartic
then integrated to 7.25, not 1. ``scaled`` follows the corrected constant;
``scaled_before_qgis_3_40_4`` the earlier one (:func:`scaled_as_qgis` picks
for a QGIS version).

The kernel (radius, shape, output value, decay) is one
:class:`.density_kernels.KernelSettings`; the grid and the points on it live in
:mod:`.density_grid`. This module is the engine's public interface: it
re-exports what a caller needs from those modules.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from enum import IntEnum
from typing import Any, Iterator, Optional, Sequence

import numpy as np
import rasterio
import rasterio.windows

from .density_fft import density_fast, iter_density_fast
from .density_grid import Grid, checked_points
from .density_kernels import (
    OUTPUT_UNITS,
    QGIS_QUARTIC_FIXED,
    SMOOTH_KERNELS,
    Kernel,
    KernelSettings,
    OutputValue,
    kernel_function,
    scaled_as_qgis,
    subdivisions,
)
from .errors import MewError
from .io import atomic_path, refuse_non_geotiff
from .messages import message
from .progress import SILENT, Progress

__all__ = [
    "DIRECT_SUM_BUDGET",
    "EXACT_MAX_PIXELS",
    "MAX_DENSITY_PIXELS",
    "NO_POINTS",
    "OUTPUT_UNITS",
    "QGIS_QUARTIC_FIXED",
    "SMOOTH_KERNELS",
    "DensityResult",
    "Grid",
    "Kernel",
    "KernelSettings",
    "Method",
    "OutputValue",
    "check_grid_size",
    "choose_method",
    "date_mask",
    "density_exact",
    "density_fast",
    "incident_weights",
    "iter_density",
    "iter_density_fast",
    "kernel_function",
    "scaled_as_qgis",
    "subdivisions",
    "to_metric",
    "write_density",
]


NO_POINTS = "There are no incident points to map (after filtering): check the input layer and the date range."

#: The most pixels of a density raster: 20,000 × 20,000, a 1.6 GB float32 GeoTIFF (memory stays bounded:
#: it is computed in bands). An incident thousands of kilometres from the others asks for far more.
MAX_DENSITY_PIXELS = 400_000_000


def incident_weights(
    values: Sequence[Any], field_name: str, ids: Optional[Sequence[Any]] = None
) -> tuple[np.ndarray, list[str]]:
    """Weights from a field's values, and warnings for the officer.

    As QGIS's heatmap reads a weight field, a NULL (``None``) counts as 0. A
    value that is not a finite number (NaN, infinite, text) also counts as 0,
    but is a data error: the warning names those features (``ids``, else
    positions). A field that is NULL everywhere, or 0 everywhere, gets a
    warning naming it: the result would be zero everywhere.
    """
    weights = np.zeros(len(values), dtype=float)
    nulls = 0
    wrong: list[int] = []
    for k, value in enumerate(values):
        if value is None:
            nulls += 1
            continue
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = math.nan
        if math.isfinite(number):
            weights[k] = number
        else:
            wrong.append(k)
    warnings = []
    total = len(values)
    if total and nulls == total:
        warnings.append(
            message(
                "Every value of the weight field '{field_name}' is NULL: every incident counts as 0 and the "
                "result is zero everywhere. Choose another WEIGHT_FIELD, or leave it empty to count incidents.",
                field_name=field_name,
            )
        )
    elif nulls:
        warnings.append(
            message(
                "{nulls:,} of {total:,} incidents have a NULL '{field_name}': counted as 0, as QGIS's heatmap does.",
                nulls=nulls,
                total=total,
                field_name=field_name,
            )
        )
    if wrong:
        named = [ids[k] if ids is not None else f"#{k + 1}" for k in wrong[:10]]
        warnings.append(
            message(
                "{wrong_count:,} incidents have a '{field_name}' that is not a finite number (NaN, infinite or "
                "text) and count as 0: feature ids {ids}{value}. Correct or filter them.",
                wrong_count=len(wrong),
                field_name=field_name,
                ids=", ".join(map(str, named)),
                value=", …" if len(wrong) > 10 else "",
            )
        )
    if total and nulls < total and not weights.any():
        warnings.append(
            message(
                "Every incident's '{field_name}' is 0 or counts as 0: the result is zero everywhere. Choose "
                "another WEIGHT_FIELD, or leave it empty to count incidents.",
                field_name=field_name,
            )
        )
    return weights, warnings


def density_exact(
    x: np.ndarray,
    y: np.ndarray,
    grid: Grid,
    settings: KernelSettings,
    weights: Optional[np.ndarray] = None,
    progress: Progress = SILENT,
) -> np.ndarray:
    """The kernel sum at every pixel centre, evaluated directly (float64)."""
    x, y, w = checked_points(x, y, weights)
    evaluate = kernel_function(settings)
    h = grid.pixel_size
    reach = settings.reach(h)
    radius = settings.radius
    offsets = np.arange(-reach, reach + 1)
    d_row, d_col = (a.ravel() for a in np.meshgrid(offsets, offsets, indexing="ij"))
    out = np.zeros(grid.cells, dtype=float)
    row, col = grid.pixel_coordinates(x, y)
    centre_row, centre_col = np.floor(row + 0.5).astype(np.int64), np.floor(col + 0.5).astype(np.int64)
    chunk = max(1, 4_000_000 // d_row.size)
    for start in range(0, x.size, chunk):
        progress.step(start / max(x.size, 1))
        stop = start + chunk
        rows = centre_row[start:stop, None] + d_row[None, :]
        cols = centre_col[start:stop, None] + d_col[None, :]
        distance = h * np.hypot(rows - row[start:stop, None], cols - col[start:stop, None])
        values = w[start:stop, None] * evaluate(distance)
        inside = (rows >= 0) & (rows < grid.rows) & (cols >= 0) & (cols < grid.cols) & (distance <= radius)
        out += np.bincount((rows * grid.cols + cols)[inside], weights=values[inside], minlength=grid.cells)
    progress.step(1.0)
    return out.reshape(grid.rows, grid.cols)


class Method(IntEnum):
    """``fast`` (binning + FFT) or ``exact`` (direct kernel sum)."""

    FAST = 0
    EXACT = 1


#: Below this many kernel evaluations (points × window) the direct sum is cheap,
#: and ``fast`` uses it for kernels whose binning error is not bounded.
DIRECT_SUM_BUDGET = 50_000_000
#: The most pixels of the exact method, which holds the whole grid in float64 twice (about 800 MB here).
EXACT_MAX_PIXELS = 50_000_000


@dataclass(frozen=True)
class DensityResult:
    """What :func:`write_density` wrote."""

    path: str
    grid: Grid
    crs_wkt: str
    points: int
    method: str
    refinement: int
    maximum: float
    total_weight: float


def choose_method(method: Method, settings: KernelSettings, points: int, pixel_size: float, pixels: int = 0) -> Method:
    """The method actually used: ``fast`` becomes ``exact`` for a non-smooth kernel when that is cheap
    (few kernel evaluations, and a grid of ``pixels`` the exact method can hold)."""
    method = Method(method)
    if method is Method.FAST and not settings.smooth and pixels <= EXACT_MAX_PIXELS:
        window = (2 * settings.reach(pixel_size) + 1) ** 2
        if points * window <= DIRECT_SUM_BUDGET:
            return Method.EXACT
    return method


def iter_density(
    x: np.ndarray,
    y: np.ndarray,
    grid: Grid,
    settings: KernelSettings,
    weights: Optional[np.ndarray] = None,
    method: Method = Method.FAST,
    progress: Progress = SILENT,
) -> Iterator[tuple[int, np.ndarray]]:
    """Bands of the kernel sum with ``method`` (see :func:`choose_method`)."""
    if choose_method(method, settings, np.size(x), grid.pixel_size, grid.cells) is Method.EXACT:
        if grid.cells > EXACT_MAX_PIXELS:
            raise MewError(
                "The exact method keeps the whole grid ({cols:,} × {rows:,} = {cells:,} pixels) in memory; its "
                "limit is {exact_max_pixels:,}. Use the fast method, or a PIXEL_SIZE of at least {at_least:,} m.",
                cols=grid.cols,
                rows=grid.rows,
                cells=grid.cells,
                exact_max_pixels=EXACT_MAX_PIXELS,
                at_least=math.ceil(grid.pixel_size * math.sqrt(grid.cells / EXACT_MAX_PIXELS)),
            )
        yield 0, density_exact(x, y, grid, settings, weights, progress)
        return
    yield from iter_density_fast(x, y, grid, settings, weights, progress)


def check_grid_size(grid: Grid, x: np.ndarray, y: np.ndarray, radius: float) -> None:
    """A clear error, before anything is written, for a grid of more than :data:`MAX_DENSITY_PIXELS` pixels."""
    if grid.cells <= MAX_DENSITY_PIXELS:
        return
    width, height = float(x.max() - x.min()), float(y.max() - y.min())
    fitting = grid.pixel_size * math.sqrt(grid.cells / MAX_DENSITY_PIXELS)
    raise MewError(
        "The density grid would be {cols:,} × {rows:,} pixels ({cells:,}); the limit is "
        "{max_density_pixels:,}. It covers the incidents' extent, {width:,.1f} km × {height:,.1f} km (x "
        "{x:,.0f} to {x2:,.0f}, y {y:,.0f} to {y2:,.0f} in metres), plus the radius ({radius:g} m) on "
        "each side. Use a PIXEL_SIZE of at least {at_least:,} m, or leave out the incidents far from the "
        "others (check their coordinates).",
        cols=grid.cols,
        rows=grid.rows,
        cells=grid.cells,
        max_density_pixels=MAX_DENSITY_PIXELS,
        width=width / 1000,
        height=height / 1000,
        x=float(x.min()),
        x2=float(x.max()),
        y=float(y.min()),
        y2=float(y.max()),
        radius=radius,
        at_least=math.ceil(fitting),
    )


def write_density(
    path: str,
    x: np.ndarray,
    y: np.ndarray,
    crs_wkt: str,
    settings: KernelSettings,
    pixel_size: float,
    weights: Optional[np.ndarray] = None,
    method: Method = Method.FAST,
    progress: Progress = SILENT,
    description: str = "",
) -> DensityResult:
    """Kernel density of points (metric CRS) written to a float32 GeoTIFF, band by band, atomically.

    The grid is QGIS's heatmap grid for the points' bounds. Pixels no kernel
    reaches hold 0 (QGIS leaves them as nodata −9999).
    """
    refuse_non_geotiff([path])
    x, y, w = checked_points(x, y, weights)
    if x.size == 0:
        raise MewError(NO_POINTS)
    radius, output = settings.radius, settings.output
    grid = Grid.like_qgis_heatmap(float(x.min()), float(y.min()), float(x.max()), float(y.max()), radius, pixel_size)
    check_grid_size(grid, x, y, radius)
    used = choose_method(method, settings, x.size, pixel_size, grid.cells)
    refinement = 1 if used is Method.EXACT else subdivisions(settings, pixel_size)
    maximum = 0.0
    block = 256
    profile = {
        "driver": "GTiff",
        "width": grid.cols,
        "height": grid.rows,
        "count": 1,
        "dtype": "float32",
        "crs": rasterio.crs.CRS.from_user_input(crs_wkt),
        "transform": rasterio.Affine.from_gdal(*grid.transform),
        "tiled": grid.cols >= block and grid.rows >= block,
        "BIGTIFF": "IF_SAFER",
    }
    if profile["tiled"]:
        profile.update(blockxsize=block, blockysize=block)
    with atomic_path(path) as temporary:
        with rasterio.Env(GDAL_CACHEMAX=64), rasterio.open(temporary, "w", **profile) as dataset:
            bands = iter_density(x, y, grid, settings, w, used, progress.sub(0, 0.95))
            for first, values in bands:
                maximum = max(maximum, float(values.max(initial=0.0)))
                window = rasterio.windows.Window(0, first, grid.cols, values.shape[0])
                dataset.write(values.astype(np.float32, copy=False), 1, window=window)
            dataset.update_tags(
                MEW_ALGORITHM="incidentdensity",
                MEW_KERNEL=settings.kernel.name.lower(),
                MEW_RADIUS_M=f"{radius:g}",
                MEW_PIXEL_SIZE_M=f"{pixel_size:g}",
                MEW_OUTPUT_VALUE="scaled" if output is OutputValue.SCALED_BEFORE_QGIS_3_40_4 else output.name.lower(),
                MEW_UNITS=OUTPUT_UNITS[output],
                MEW_METHOD=used.name.lower(),
                MEW_REFINEMENT=str(refinement),
                MEW_POINTS=str(x.size),
                MEW_TOTAL_WEIGHT=f"{float(w.sum()):.10g}",
            )
            dataset.set_band_description(1, description or f"{output.name.lower()} kernel density")
        progress.step(1.0)
    return DensityResult(path, grid, crs_wkt, int(x.size), used.name.lower(), refinement, maximum, float(w.sum()))


def to_metric(x: np.ndarray, y: np.ndarray, crs: object) -> tuple[np.ndarray, np.ndarray, object]:
    """Points in ``crs`` (anything pyproj accepts) as metres: unchanged if metric, else in a local metric CRS."""
    from pyproj import CRS, Transformer

    from .crs import metric_crs_for_points, transform_xy

    source = CRS.from_user_input(crs)
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if not (np.isfinite(x) & np.isfinite(y)).any():
        raise MewError(NO_POINTS)
    target = metric_crs_for_points(source, x, y)
    if target == source:
        return x, y, source
    forward = Transformer.from_crs(source, target, always_xy=True)
    mx, my = transform_xy(forward, x, y)
    return mx, my, target


def date_mask(
    values: list, start: Optional[date] = None, end: Optional[date] = None, field_name: str = "date"
) -> np.ndarray:
    """True for values dated within ``[start, end]`` (inclusive); undated values are never inside.

    Values may be dates, datetimes or text in a form
    :func:`~mission_early_warning.core.timesteps.parse_date` understands.
    """
    from .timesteps import parse_dates

    if not len(values):
        return np.zeros(0, dtype=bool)
    days, dated = parse_dates(list(values), field_name)
    keep = dated.copy()
    if start is not None:
        keep &= days >= np.datetime64(start, "D")
    if end is not None:
        keep &= days <= np.datetime64(end, "D")
    return keep
