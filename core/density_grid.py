"""QGIS's heatmap grid, and the incident points (with their weights) placed on it."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Optional

import numpy as np

from .errors import MewError


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
            raise MewError("The pixel size must be greater than zero (got {pixel_size}).", pixel_size=pixel_size)
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


def checked_points(
    x: np.ndarray, y: np.ndarray, weights: Optional[np.ndarray]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Flat float arrays of coordinates and weights (1 when ``weights`` is None), points without finite
    coordinates left out; an error for arrays that do not match or weights that are not finite."""
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
            "{size:,} weights are NaN or infinite (positions {k}{value}): give finite weights; "
            "incident_weights() reads a field as QGIS does.",
            size=bad.size,
            k=", ".join(str(int(k)) for k in bad[:10]),
            value=", …" if bad.size > 10 else "",
        )
    keep = np.isfinite(x) & np.isfinite(y)
    if keep.all():
        return x, y, w
    return x[keep], y[keep], w[keep]
