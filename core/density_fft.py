"""The fast kernel sum: weights binned on a lattice finer than the pixels, then convolved by FFT.

Each weight is spread over a lattice ``S`` times finer than the pixels with
linear ("cloud-in-cell") weights; the lattice is split into ``S²`` phase
grids, each convolved with the kernel sampled at its phase's offsets, and the
spectra are summed: one inverse FFT per band of rows. See :mod:`.density` for
the error bound and :func:`.density_kernels.subdivisions` for ``S``.
"""

from __future__ import annotations

import math
from typing import Iterator, Optional

import numpy as np

from .density_grid import Grid, checked_points
from .density_kernels import KernelSettings, kernel_function, subdivisions
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


def iter_density_fast(
    x: np.ndarray,
    y: np.ndarray,
    grid: Grid,
    settings: KernelSettings,
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
    x, y, w = checked_points(x, y, weights)
    evaluate = kernel_function(settings)
    s = refinement or subdivisions(settings, grid.pixel_size)
    h = grid.pixel_size
    reach = settings.reach(h)
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
        grids = _bin_corners(
            node_r[lo:hi],
            node_c[lo:hi],
            frac_r[lo:hi],
            frac_c[lo:hi],
            w[lo:hi],
            s,
            (origin_row, origin_col),
            (height_in, width_in),
            stride,
            plane,
        )
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
        keep = np.concatenate(
            [rows_ok[0] & cols_ok[0], rows_ok[0] & cols_ok[1], rows_ok[1] & cols_ok[0], rows_ok[1] & cols_ok[1]]
        )
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
    settings: KernelSettings,
    weights: Optional[np.ndarray] = None,
    progress: Progress = SILENT,
    refinement: Optional[int] = None,
) -> np.ndarray:
    """The whole fast grid in memory (for tests and small grids)."""
    out = np.zeros((grid.rows, grid.cols))
    for first, values in iter_density_fast(x, y, grid, settings, weights, progress, refinement=refinement):
        out[first : first + values.shape[0]] = values
    return out
