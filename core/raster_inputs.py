"""Checks and measures of an input raster against the grid of an analysis: does it overlap the grid, and by how
much must its counts (people per pixel) be scaled once resampled to the grid's pixels."""

from __future__ import annotations

import rasterio

from .errors import MewError
from .messages import message
from .raster_blocks import Grid, refuse_without_crs


def check_overlap(grid: Grid, path: str, what: str) -> None:
    """Raise :class:`MewError` when ``path`` has no CRS or does not overlap ``grid`` at all."""
    with rasterio.open(path) as dataset:
        refuse_without_crs(dataset, path, what)
        if dataset.crs is not None and grid.crs is not None and dataset.crs != grid.crs:
            from rasterio.warp import transform_bounds

            bounds = dataset.bounds
            left, bottom, right, top = transform_bounds(
                dataset.crs, grid.crs, bounds.left, bounds.bottom, bounds.right, bounds.top, densify_pts=21
            )
        else:
            left, bottom, right, top = dataset.bounds
    g_left, g_bottom, g_right, g_top = grid.bounds
    if left >= g_right or right <= g_left or bottom >= g_top or top <= g_bottom:
        raise MewError(
            "The {what} '{path}' does not overlap the area of the analysis ({g_left:.0f}, {g_bottom:.0f}, "
            "{g_right:.0f}, {g_top:.0f} in {crs}): choose a raster that covers the same place.",
            what=message(what),
            path=path,
            g_left=g_left,
            g_bottom=g_bottom,
            g_right=g_right,
            g_top=g_top,
            crs=grid.crs,
        )


def count_factor(path: str, grid: Grid) -> float:
    """Multiplier that turns an ``average``-resampled count raster (people per pixel) into counts per grid pixel.

    Averaging then scaling by the pixel-area ratio keeps totals (GDAL's
    ``sum`` warper does the same job about 17× slower). Areas are compared in
    the grid's CRS.
    """
    with rasterio.open(path) as dataset:
        if grid.matches(dataset):
            return 1.0
        bounds, crs, pixels = dataset.bounds, dataset.crs, dataset.width * dataset.height
    if crs is not None and grid.crs is not None and crs != grid.crs:
        from rasterio.warp import transform_geom

        ring = [
            (bounds.left, bounds.bottom),
            (bounds.right, bounds.bottom),
            (bounds.right, bounds.top),
            (bounds.left, bounds.top),
            (bounds.left, bounds.bottom),
        ]
        dense = [
            ring[i]
            if t == 0
            else (
                ring[i][0] + (ring[i + 1][0] - ring[i][0]) * t / 50,
                ring[i][1] + (ring[i + 1][1] - ring[i][1]) * t / 50,
            )
            for i in range(4)
            for t in range(50)
        ]
        geometry = transform_geom(crs, grid.crs, {"type": "Polygon", "coordinates": [[*dense, dense[0]]]})
        from shapely.geometry import shape

        area = shape(geometry).area
    else:
        area = (bounds.right - bounds.left) * (bounds.top - bounds.bottom)
    return grid.pixel_area / (area / pixels)
