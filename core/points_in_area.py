"""Which points of a coordinate array an area covers: the one point-in-polygon test of the early-warning engines."""

from __future__ import annotations

from typing import Any

import numpy as np
from shapely.geometry import Point
from shapely.prepared import prep


def covered_points(area: Any, xy: np.ndarray, candidates: np.ndarray | None = None) -> np.ndarray:
    """Indices (into ``xy``, an (n, 2) array) of the points ``area`` covers, its edge included.

    Only ``candidates`` (indices, default: every point) are tested. The area's bounding box sorts out most
    points with one array comparison, so GEOS is asked only about the few near the area.
    """
    indices = np.arange(xy.shape[0]) if candidates is None else np.asarray(candidates, dtype=np.int64)
    x0, y0, x1, y1 = area.bounds
    x, y = xy[indices, 0], xy[indices, 1]
    near = indices[(x >= x0) & (x <= x1) & (y >= y0) & (y <= y1)]
    if not near.size:
        return near
    prepared = prep(area)
    return near[np.array([prepared.covers(Point(xy[i, 0], xy[i, 1])) for i in near], dtype=bool)]
