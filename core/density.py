"""Kernel density of incident points, on QGIS's heatmap grid, by binning and FFT.

Definition (QGIS's ``qgis:heatmapkerneldensityestimation``, ``qgskde.cpp``):
the value of a pixel is the sum, over the points within ``radius`` of the
pixel's *centre*, of ``weight · K(distance)``. The grid is the points'
bounding box expanded by the radius, with ``rows = ceil(height / pixel) + 1``
and ``cols = ceil(width / pixel) + 1`` and its origin at the top-left corner.

Two methods compute that sum:

* :func:`density_exact` evaluates it directly, point by point over the
  kernel's window (vectorised in chunks). Its cost is ``points × window``.
* :func:`iter_density_fast` spreads each weight over a lattice ``S`` times
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
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from enum import IntEnum
from typing import Any, Callable, Iterator, Optional, Sequence

import numpy as np
import rasterio
import rasterio.windows

from .errors import MewError
from .io import atomic_path, refuse_non_geotiff
from .progress import SILENT, Progress


def _scipy_fft():
    """scipy's FFT (multi-threaded, float32: about 10x numpy's here), or None; imported on first use,
    because importing it costs ~50 ms at every QGIS start (the plugin loads this module)."""
    try:
        from scipy import fft
    except ImportError:  # pragma: no cover - scipy ships with the Debian platform
        return None
    return fft


def _workers(shape: tuple[int, int]) -> int:
    # threads pay off only on big transforms; on small ones their start-up costs more than they save
    return -1 if shape[0] * shape[1] >= 2_000_000 else 1


def _rfft2(a: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    fft = _scipy_fft()
    return fft.rfft2(a, s=shape, workers=_workers(shape)) if fft else np.fft.rfft2(a, s=shape)


def _irfft2(a: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    fft = _scipy_fft()
    return fft.irfft2(a, s=shape, workers=_workers(shape)) if fft else np.fft.irfft2(a, s=shape)


def _fast_len(n: int) -> int:
    fft = _scipy_fft()
    if fft:
        return int(fft.next_fast_len(n, real=True))
    size = 1
    while size < n:
        size *= 2
    return size if size <= 1.25 * n else int(math.ceil(n / 64.0) * 64)


class Kernel(IntEnum):
    """Kernel shapes, in the order of QGIS's heatmap ``KERNEL`` enum."""

    QUARTIC = 0
    TRIANGULAR = 1
    UNIFORM = 2
    TRIWEIGHT = 3
    EPANECHNIKOV = 4


class OutputValue(IntEnum):
    """``raw`` and ``scaled`` as QGIS's ``OUTPUT_VALUE``; ``density`` integrates to the weights."""

    RAW = 0
    SCALED = 1
    DENSITY = 2
    #: ``scaled`` as QGIS computed it before 3.40.4: the quartic with 116/(5πr²) (other kernels alike).
    SCALED_BEFORE_QGIS_3_40_4 = 3


#: The first QGIS (as ``Qgis.QGIS_VERSION_INT``) whose scaled quartic uses 16/(5πr²).
QGIS_QUARTIC_FIXED = 34004


def scaled_as_qgis(qgis_version: int) -> OutputValue:
    """The output value that reproduces the ``scaled`` heatmap of that QGIS (``Qgis.QGIS_VERSION_INT``)."""
    return OutputValue.SCALED if qgis_version >= QGIS_QUARTIC_FIXED else OutputValue.SCALED_BEFORE_QGIS_3_40_4


#: Units written into the output's metadata for each output value.
OUTPUT_UNITS = {
    OutputValue.RAW: "sum of weight × kernel (kernel peak = 1)",
    OutputValue.SCALED: "QGIS 'scaled' heatmap units (QGIS >= 3.40.4 kernel constants, per map unit²)",
    OutputValue.SCALED_BEFORE_QGIS_3_40_4: "QGIS 'scaled' heatmap units (QGIS < 3.40.4 kernel constants: the "
    "quartic with 116/(5πr²), per map unit²)",
    OutputValue.DENSITY: "weighted incidents per km² (integrates to the weighted count)",
}

NO_POINTS = "There are no incident points to map (after filtering): check the input layer and the date range."

#: The most pixels of a density raster: 20,000 × 20,000, a 1.6 GB float32 GeoTIFF (memory stays bounded:
#: it is computed in bands). An incident thousands of kilometres from the others asks for far more.
MAX_DENSITY_PIXELS = 400_000_000

#: Smooth kernels whose second derivative is bounded; binning error is bounded for these.
SMOOTH_KERNELS = (Kernel.QUARTIC, Kernel.TRIWEIGHT)


def kernel_function(
    kernel: Kernel, radius: float, output: OutputValue = OutputValue.RAW, decay: float = 0.0
) -> Callable[[np.ndarray], np.ndarray]:
    """``K(distance)`` (zero beyond ``radius``) with QGIS's formulas and constants.

    ``density`` values are per km² when distances are in metres.
    """
    kernel, output = Kernel(kernel), OutputValue(output)
    if not radius > 0:
        raise MewError(f"The radius must be greater than zero (got {radius}).")
    r2 = radius * radius

    if kernel is Kernel.QUARTIC:
        def shape(u):
            return (1.0 - u * u) ** 2
        numerator = 116.0 if output is OutputValue.SCALED_BEFORE_QGIS_3_40_4 else 16.0
        scaled, density = numerator / (5.0 * math.pi * r2) * 15.0 / 16.0, 3.0 / (math.pi * r2)
    elif kernel is Kernel.TRIWEIGHT:
        def shape(u):
            return (1.0 - u * u) ** 3
        scaled, density = 128.0 / (35.0 * math.pi * r2) * 35.0 / 32.0, 4.0 / (math.pi * r2)
    elif kernel is Kernel.EPANECHNIKOV:
        def shape(u):
            return 1.0 - u * u
        scaled, density = 8.0 / (3.0 * math.pi * r2) * 3.0 / 4.0, 2.0 / (math.pi * r2)
    elif kernel is Kernel.UNIFORM:
        def shape(u):
            return np.ones_like(u)
        scaled = 2.0 / (math.pi * radius) * (0.5 / radius)
        density = 1.0 / (math.pi * r2)
    else:
        def shape(u):
            return 1.0 - (1.0 - decay) * u
        # QGIS leaves a negative decay ("coolmap") unscaled.
        scaled = 3.0 / ((1.0 + 2.0 * decay) * math.pi * r2) if decay >= 0 else 1.0
        if 1.0 + 2.0 * decay <= 0 and output is OutputValue.DENSITY:
            raise MewError(
                f"A triangular kernel with decay {decay} has no positive integral: "
                "use a decay above -0.5 for density output, or raw values."
            )
        density = 3.0 / ((1.0 + 2.0 * decay) * math.pi * r2) if 1.0 + 2.0 * decay > 0 else 1.0
    factor = 1.0 if output is OutputValue.RAW else density * 1e6 if output is OutputValue.DENSITY else scaled

    def evaluate(distance: np.ndarray) -> np.ndarray:
        distance = np.asarray(distance, dtype=float)
        u = distance / radius
        return np.where(distance <= radius, factor * shape(u), 0.0)

    return evaluate


@dataclass(frozen=True)
class Grid:
    """A north-up raster grid: top-left corner, square pixel size, shape."""

    x_min: float
    y_max: float
    pixel_size: float
    rows: int
    cols: int

    @classmethod
    def like_qgis_heatmap(
        cls, x_min: float, y_min: float, x_max: float, y_max: float, radius: float, pixel_size: float
    ) -> Grid:
        """The grid QGIS's heatmap makes for points with these bounds (``qgskde.cpp``)."""
        if not pixel_size > 0:
            raise MewError(f"The pixel size must be greater than zero (got {pixel_size}).")
        left, bottom, right, top = x_min - radius, y_min - radius, x_max + radius, y_max + radius
        rows = int(max(math.ceil((top - bottom) / pixel_size) + 1, 1.0))
        cols = int(max(math.ceil((right - left) / pixel_size) + 1, 1.0))
        return cls(left, top, float(pixel_size), rows, cols)

    @property
    def transform(self) -> tuple[float, float, float, float, float, float]:
        """GDAL geotransform."""
        return (self.x_min, self.pixel_size, 0.0, self.y_max, 0.0, -self.pixel_size)

    @property
    def cells(self) -> int:
        return self.rows * self.cols

    def pixel_coordinates(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Continuous (row, col) coordinates where pixel centres fall on integers."""
        # in place: a fresh process pays for every new page, and a million points make 8 MB per array
        col = np.subtract(np.asarray(x, dtype=float), self.x_min)
        col /= self.pixel_size
        col -= 0.5
        row = np.subtract(self.y_max, np.asarray(y, dtype=float))
        row /= self.pixel_size
        row -= 0.5
        return row, col


def incident_weights(values: Sequence[Any], field_name: str, ids: Optional[Sequence[Any]] = None
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
            f"Every value of the weight field '{field_name}' is NULL: every incident counts as 0 and the result is "
            "zero everywhere. Choose another WEIGHT_FIELD, or leave it empty to count incidents."
        )
    elif nulls:
        warnings.append(f"{nulls:,} of {total:,} incidents have a NULL '{field_name}': counted as 0, as QGIS's heatmap "
                        "does.")
    if wrong:
        named = [ids[k] if ids is not None else f"#{k + 1}" for k in wrong[:10]]
        warnings.append(
            f"{len(wrong):,} incidents have a '{field_name}' that is not a finite number (NaN, infinite or text) and "
            f"count as 0: feature ids {', '.join(map(str, named))}{', …' if len(wrong) > 10 else ''}. Correct or "
            "filter them."
        )
    if total and nulls < total and not weights.any():
        warnings.append(f"Every incident's '{field_name}' is 0 or counts as 0: the result is zero everywhere. Choose "
                        "another WEIGHT_FIELD, or leave it empty to count incidents.")
    return weights, warnings


def _check_points(x: np.ndarray, y: np.ndarray, weights: Optional[np.ndarray]) -> tuple:
    x = np.asarray(x, dtype=float).ravel()
    y = np.asarray(y, dtype=float).ravel()
    if x.shape != y.shape:
        raise MewError("x and y coordinate arrays differ in length.")
    w = np.ones_like(x) if weights is None else np.asarray(weights, dtype=float).ravel()
    if w.shape != x.shape:
        raise MewError("The weights do not match the points one to one.")
    if weights is not None and not np.isfinite(w).all():
        bad = np.nonzero(~np.isfinite(w))[0]
        raise MewError(
            f"{bad.size:,} weights are NaN or infinite (positions {', '.join(str(k) for k in bad[:10].tolist())}"
            f"{', …' if bad.size > 10 else ''}): give finite weights; incident_weights() reads a field as QGIS does."
        )
    keep = np.isfinite(x) & np.isfinite(y)
    if keep.all():
        return x, y, w
    return x[keep], y[keep], w[keep]


def density_exact(
    x: np.ndarray,
    y: np.ndarray,
    grid: Grid,
    radius: float,
    kernel: Kernel = Kernel.QUARTIC,
    output: OutputValue = OutputValue.RAW,
    decay: float = 0.0,
    weights: Optional[np.ndarray] = None,
    progress: Progress = SILENT,
) -> np.ndarray:
    """The kernel sum at every pixel centre, evaluated directly (float64)."""
    x, y, w = _check_points(x, y, weights)
    evaluate = kernel_function(kernel, radius, output, decay)
    h = grid.pixel_size
    reach = math.ceil(radius / h) + 1
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


#: max over the disc of |K_xx| + |K_yy| for the raw kernel, in units of 1/r² (measured numerically).
_CURVATURE = {Kernel.QUARTIC: 8.0, Kernel.TRIWEIGHT: 12.0}


def subdivisions(kernel: Kernel, radius: float, pixel_size: float, tolerance: float = 4.5e-4) -> int:
    """Lattice refinement ``S`` keeping linear-binning error below ``tolerance`` of a kernel's peak.

    Binning a point onto the four lattice nodes around it evaluates, at each
    pixel centre, the bilinear interpolation of the kernel between those
    nodes; its error is at most ``g²/8 · max(|K_xx| + |K_yy|)`` for a lattice
    step ``g = pixel/S``: ``(g/r)²`` for the quartic, ``1.5 (g/r)²`` for the
    triweight. A 5 km quartic on 100 m pixels needs no refinement (4·10⁻⁴).
    Kernels with a kink or a step (triangular, uniform, Epanechnikov) get the
    finest lattice offered; their fast error is not bounded this way (use exact).
    """
    kernel = Kernel(kernel)
    if kernel not in _CURVATURE:
        return 4
    step = radius * math.sqrt(8.0 * tolerance / _CURVATURE[kernel])
    return int(min(max(math.ceil(pixel_size / step - 1e-9), 1), 8))


def iter_density_fast(
    x: np.ndarray,
    y: np.ndarray,
    grid: Grid,
    radius: float,
    kernel: Kernel = Kernel.QUARTIC,
    output: OutputValue = OutputValue.RAW,
    decay: float = 0.0,
    weights: Optional[np.ndarray] = None,
    progress: Progress = SILENT,
    max_band_cells: int = 10_000_000,
    refinement: Optional[int] = None,
    dtype: type = np.float32,
) -> Iterator[tuple[int, np.ndarray]]:
    """Yield ``(first_row, values)`` bands of the kernel sum, top to bottom.

    Memory is bounded by ``max_band_cells`` (about 30 bytes per cell of a band
    padded by the kernel) whatever the size of the grid.
    """
    x, y, w = _check_points(x, y, weights)
    evaluate = kernel_function(kernel, radius, output, decay)
    s = refinement or subdivisions(kernel, radius, grid.pixel_size)
    h = grid.pixel_size
    reach = math.ceil(radius / h) + 1  # kernel half-width in pixels, with the phase shift
    length = 2 * reach + 1

    # kernel sampled for every phase: K_ab[m, n] = K(h·|(m - a/S, n - b/S)|), m, n in [-reach, reach]
    m = np.arange(-reach, reach + 1, dtype=float)
    phase = np.arange(s, dtype=float) / s
    dm = m[None, :, None, None] - phase[:, None, None, None]  # (a, m, 1, 1)
    dn = m[None, None, None, :] - phase[None, None, :, None]  # (1, 1, b, n)
    kernels = evaluate(h * np.sqrt(dm**2 + dn**2))  # (a, m, b, n)
    kernels = np.ascontiguousarray(kernels.transpose(0, 2, 1, 3), dtype=dtype)  # (a, b, m, n)

    # cloud-in-cell weights on the fine lattice: each point feeds its 2 × 2 surrounding nodes,
    # a node being (coarse pixel, phase); rows and columns handled apart, then combined.
    row, col = grid.pixel_coordinates(x, y)
    if s > 1:
        row *= s
        col *= s
    node_r, node_c = np.floor(row), np.floor(col)
    frac_r, frac_c = np.subtract(row, node_r, out=row), np.subtract(col, node_c, out=col)
    node_r, node_c = node_r.astype(np.int64), node_c.astype(np.int64)
    width_in = grid.cols + 2 * reach + 2
    band_rows = max(1, min(grid.rows, max_band_cells // (s * s * width_in) - 2 * reach - 2))
    if band_rows < grid.rows:  # bands take their points from a row-sorted list
        order = np.argsort(node_r, kind="stable")
        node_r, node_c, frac_r, frac_c, w = node_r[order], node_c[order], frac_r[order], frac_c[order], w[order]
        del order
    origin_col = -(reach + 1)
    spectra_of_kernels: dict[tuple[int, int], list[np.ndarray]] = {}
    for first in range(0, grid.rows, band_rows):
        progress.step(first / grid.rows)
        last = min(first + band_rows, grid.rows)
        origin_row = first - reach - 1  # coarse row of the band input's first node row
        height_in = (last - first) + 2 * reach + 2
        # each phase plane is laid out at the FFT's size: its zero margin is the transform's padding
        shape = (_fast_len(height_in + length - 1), _fast_len(width_in + length - 1))
        stride, plane = shape[1], shape[0] * shape[1]
        if band_rows < grid.rows:
            lo = int(np.searchsorted(node_r, origin_row * s - 1, side="left"))
            hi = int(np.searchsorted(node_r, (origin_row + height_in) * s, side="left"))
        else:
            lo, hi = 0, node_r.size
        grids = _bin_corners(node_r[lo:hi], node_c[lo:hi], frac_r[lo:hi], frac_c[lo:hi], w[lo:hi], s,
                             (origin_row, origin_col), (height_in, width_in), stride, plane)
        grids = grids.astype(dtype).reshape(s, s, shape[0], shape[1])
        if shape not in spectra_of_kernels:
            spectra_of_kernels[shape] = [_rfft2(kernels[a, b], shape) for a in range(s) for b in range(s)]
        spectrum = None
        for index, kernel_spectrum in enumerate(spectra_of_kernels[shape]):
            phase_grid = grids[index // s, index % s]
            if not phase_grid.any():
                continue
            term = _rfft2(phase_grid, shape)
            term *= kernel_spectrum
            spectrum = term if spectrum is None else np.add(spectrum, term, out=spectrum)
        del grids
        if spectrum is None:
            yield first, np.zeros((last - first, grid.cols))
            continue
        full = _irfft2(spectrum, shape)
        # out[i, j] = conv[i - origin_row + reach, j - origin_col + reach]
        r_start = first - origin_row + reach
        c_start = -origin_col + reach
        values = full[r_start : r_start + (last - first), c_start : c_start + grid.cols]
        tiny = 1e-9 * max(float(values.max(initial=0.0)), -float(values.min(initial=0.0)))
        values[(values < tiny) & (values > -tiny)] = 0.0  # FFT round-off where no kernel reaches
        del full
        yield first, values
    progress.step(1.0)


def _next_node_step(phase: np.ndarray | int, s: int, phase_stride: int, coarse_stride: int) -> np.ndarray | int:
    """Flat-index step from a lattice node to the next one along an axis (next phase, or next pixel's phase 0)."""
    if s == 1:
        return coarse_stride
    return np.where(phase == s - 1, coarse_stride - (s - 1) * phase_stride, phase_stride)


def _bin_corners(
    node_r: np.ndarray,
    node_c: np.ndarray,
    frac_r: np.ndarray,
    frac_c: np.ndarray,
    w: np.ndarray,
    s: int,
    origin: tuple[int, int],
    extent: tuple[int, int],
    stride: int,
    plane: int,
) -> np.ndarray:
    """Cloud-in-cell weights of points on the ``s × s`` phase planes of a band, by one ``bincount``.

    A node's flat index is phase plane + row × ``stride`` + column, counted from
    ``origin`` (coarse row, column); nodes outside ``extent`` (rows, columns) are dropped.
    Arrays are filled in place: this runs once per band on millions of points.
    """
    n = node_r.size
    if n == 0:
        return np.zeros(s * s * plane)
    row_coarse, row_phase = _split(node_r, s)
    col_coarse, col_phase = _split(node_c, s)
    base = row_coarse * stride
    base += col_coarse
    base -= origin[0] * stride + origin[1]
    if s > 1:
        base += (row_phase * s + col_phase) * plane
    east = _next_node_step(col_phase, s, plane, 1)
    south = _next_node_step(row_phase, s, s * plane, stride)
    indices = np.empty(4 * n, dtype=np.int64)
    indices[:n] = base
    np.add(base, east, out=indices[n : 2 * n])
    np.add(base, south, out=indices[2 * n : 3 * n])
    np.add(indices[2 * n : 3 * n], east, out=indices[3 * n :])
    del base
    values = np.empty(4 * n)
    north_west, north_east, south_west, south_east = (values[k * n : (k + 1) * n] for k in range(4))
    np.multiply(w, frac_r, out=south_west)  # the share of each weight on the southern row of nodes
    np.subtract(w, south_west, out=north_west)
    np.multiply(north_west, frac_c, out=north_east)
    north_west -= north_east
    np.multiply(south_west, frac_c, out=south_east)
    south_west -= south_east
    local_row = row_coarse.min() - origin[0], row_coarse.max() + 1 - origin[0]
    local_col = col_coarse.min() - origin[1], col_coarse.max() + 1 - origin[1]
    if local_row[0] < 0 or local_row[1] >= extent[0] or local_col[0] < 0 or local_col[1] >= extent[1]:
        # some points feed nodes beyond this band (or the grid): keep exactly the corners inside
        first_row = row_coarse - origin[0]
        first_col = col_coarse - origin[1]
        last_row = first_row + (row_phase == s - 1) if s > 1 else first_row + 1
        last_col = first_col + (col_phase == s - 1) if s > 1 else first_col + 1
        rows_ok = [(first_row >= 0) & (first_row < extent[0]), (last_row >= 0) & (last_row < extent[0])]
        cols_ok = [(first_col >= 0) & (first_col < extent[1]), (last_col >= 0) & (last_col < extent[1])]
        keep = np.concatenate([rows_ok[0] & cols_ok[0], rows_ok[0] & cols_ok[1],
                               rows_ok[1] & cols_ok[0], rows_ok[1] & cols_ok[1]])
        indices, values = indices[keep], values[keep]
    return np.bincount(indices, values, minlength=s * s * plane)


def _split(nodes: np.ndarray, s: int) -> tuple[np.ndarray, np.ndarray | int]:
    """(coarse pixel, phase) of fine-lattice nodes."""
    if s == 1:
        return nodes, 0
    return np.divmod(nodes, s)


def density_fast(
    x: np.ndarray,
    y: np.ndarray,
    grid: Grid,
    radius: float,
    kernel: Kernel = Kernel.QUARTIC,
    output: OutputValue = OutputValue.RAW,
    decay: float = 0.0,
    weights: Optional[np.ndarray] = None,
    progress: Progress = SILENT,
    refinement: Optional[int] = None,
) -> np.ndarray:
    """The whole fast grid in memory (for tests and small grids)."""
    out = np.zeros((grid.rows, grid.cols))
    for first, values in iter_density_fast(
        x, y, grid, radius, kernel, output, decay, weights, progress, refinement=refinement
    ):
        out[first : first + values.shape[0]] = values
    return out


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


def choose_method(
    method: Method, kernel: Kernel, points: int, radius: float, pixel_size: float, pixels: int = 0
) -> Method:
    """The method actually used: ``fast`` becomes ``exact`` for a non-smooth kernel when that is cheap
    (few kernel evaluations, and a grid of ``pixels`` the exact method can hold)."""
    method = Method(method)
    if method is Method.FAST and Kernel(kernel) not in SMOOTH_KERNELS and pixels <= EXACT_MAX_PIXELS:
        window = (2 * (math.ceil(radius / pixel_size) + 1) + 1) ** 2
        if points * window <= DIRECT_SUM_BUDGET:
            return Method.EXACT
    return method


def iter_density(
    x: np.ndarray,
    y: np.ndarray,
    grid: Grid,
    radius: float,
    kernel: Kernel = Kernel.QUARTIC,
    output: OutputValue = OutputValue.RAW,
    decay: float = 0.0,
    weights: Optional[np.ndarray] = None,
    method: Method = Method.FAST,
    progress: Progress = SILENT,
) -> Iterator[tuple[int, np.ndarray]]:
    """Bands of the kernel sum with ``method`` (see :func:`choose_method`)."""
    if choose_method(method, kernel, np.size(x), radius, grid.pixel_size, grid.cells) is Method.EXACT:
        if grid.cells > EXACT_MAX_PIXELS:
            raise MewError(
                f"The exact method keeps the whole grid ({grid.cols:,} × {grid.rows:,} = {grid.cells:,} pixels) in "
                f"memory; its limit is {EXACT_MAX_PIXELS:,}. Use the fast method, or a PIXEL_SIZE of at least "
                f"{math.ceil(grid.pixel_size * math.sqrt(grid.cells / EXACT_MAX_PIXELS)):,} m."
            )
        yield 0, density_exact(x, y, grid, radius, kernel, output, decay, weights, progress)
        return
    yield from iter_density_fast(x, y, grid, radius, kernel, output, decay, weights, progress)


def check_grid_size(grid: Grid, x: np.ndarray, y: np.ndarray, radius: float) -> None:
    """A clear error, before anything is written, for a grid of more than :data:`MAX_DENSITY_PIXELS` pixels."""
    if grid.cells <= MAX_DENSITY_PIXELS:
        return
    width, height = float(x.max() - x.min()), float(y.max() - y.min())
    fitting = grid.pixel_size * math.sqrt(grid.cells / MAX_DENSITY_PIXELS)
    raise MewError(
        f"The density grid would be {grid.cols:,} × {grid.rows:,} pixels ({grid.cells:,}); the limit is "
        f"{MAX_DENSITY_PIXELS:,}. It covers the incidents' extent, {width / 1000:,.1f} km × {height / 1000:,.1f} km "
        f"(x {float(x.min()):,.0f} to {float(x.max()):,.0f}, y {float(y.min()):,.0f} to {float(y.max()):,.0f} in "
        f"metres), plus the radius ({radius:g} m) on each side. Use a PIXEL_SIZE of at least {math.ceil(fitting):,} m, "
        "or leave out the incidents far from the others (check their coordinates)."
    )


def write_density(
    path: str,
    x: np.ndarray,
    y: np.ndarray,
    crs_wkt: str,
    radius: float,
    pixel_size: float,
    kernel: Kernel = Kernel.QUARTIC,
    output: OutputValue = OutputValue.RAW,
    decay: float = 0.0,
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
    x, y, w = _check_points(x, y, weights)
    if x.size == 0:
        raise MewError(NO_POINTS)
    grid = Grid.like_qgis_heatmap(float(x.min()), float(y.min()), float(x.max()), float(y.max()), radius, pixel_size)
    check_grid_size(grid, x, y, radius)
    used = choose_method(method, kernel, x.size, radius, pixel_size, grid.cells)
    refinement = 1 if used is Method.EXACT else subdivisions(kernel, radius, pixel_size)
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
            bands = iter_density(x, y, grid, radius, kernel, output, decay, w, used, progress.sub(0, 0.95))
            for first, values in bands:
                maximum = max(maximum, float(values.max(initial=0.0)))
                window = rasterio.windows.Window(0, first, grid.cols, values.shape[0])
                dataset.write(values.astype(np.float32, copy=False), 1, window=window)
            dataset.update_tags(
                MEW_ALGORITHM="incidentdensity",
                MEW_KERNEL=Kernel(kernel).name.lower(),
                MEW_RADIUS_M=f"{radius:g}",
                MEW_PIXEL_SIZE_M=f"{pixel_size:g}",
                MEW_OUTPUT_VALUE="scaled" if output is OutputValue.SCALED_BEFORE_QGIS_3_40_4
                else OutputValue(output).name.lower(),
                MEW_UNITS=OUTPUT_UNITS[OutputValue(output)],
                MEW_METHOD=used.name.lower(),
                MEW_REFINEMENT=str(refinement),
                MEW_POINTS=str(x.size),
                MEW_TOTAL_WEIGHT=f"{float(w.sum()):.10g}",
            )
            dataset.set_band_description(1, description or f"{OutputValue(output).name.lower()} kernel density")
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
