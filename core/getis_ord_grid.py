"""The aggregation grids of Gi*: fishnet and hexagon geometry, disc kernels and their fast sums.

The neighbour sums of a distance band on a grid are a correlation of the
(study-area-masked) value grid with a disc kernel. Each kernel row is a
contiguous run of cells, so the correlation is a handful of row-wise
cumulative-sum differences: exact for counts, O(cells × band rows), no
per-cell Python loop.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterable

import numpy as np

from .errors import MewError

#: Relative: a neighbour exactly on the distance band counts, despite rounding.
BAND_TOLERANCE = 1e-9


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
        raise MewError("Unknown grid '{kind}': use fishnet or hexagon.", kind=kind)
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
    band = min(band_cells, diagonal) * (1.0 + BAND_TOLERANCE)
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
