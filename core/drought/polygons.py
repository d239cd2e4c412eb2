"""Polygons of new drought, traced window by window and merged across window edges."""

from __future__ import annotations

from typing import Any, Iterable

import numpy as np
from pyproj import CRS
from rasterio import features
from rasterio.windows import Window
from shapely.geometry import MultiPolygon, Polygon, shape
from shapely.ops import unary_union

from ..crs import is_metric
from ..errors import MewError
from ..raster_blocks import Grid


class NewDroughtPolygons:
    """Polygons of new drought found window by window, merged across window edges."""

    def __init__(self, grid: Grid, min_area_ha: float) -> None:
        self.grid = grid
        self.min_area = float(min_area_ha)
        self.finished: list[tuple[Any, float, int]] = []
        self.on_edge: list[tuple[Any, float, int]] = []
        crs = CRS.from_user_input(grid.crs.to_wkt()) if grid.crs else None
        self.metric = crs is not None and is_metric(crs)
        self.geod = None
        if crs is not None and not self.metric:
            self.geod = crs.get_geod()
        # Patches below this many pixels cannot reach the minimum area (planar CRS); 0 when areas are geodesic.
        self.min_pixels = int(self.min_area * 10_000.0 / grid.pixel_area) if self.metric else 0

    def area_ha(self, polygon: Any) -> float:
        """Area in hectares: planar in a metric CRS, else on the CRS's ellipsoid."""
        if self.geod is not None:
            area, _ = self.geod.geometry_area_perimeter(polygon)
            return abs(area) / 10_000.0
        return polygon.area / 10_000.0

    def polygons(self, window: Window, mask: np.ndarray, delta: np.ndarray) -> list[tuple[Any, float, int, bool]]:
        """(polygon, sum of Δ, pixel count, touches an inner window edge) per 4-connected patch."""
        if not mask.any():
            return []
        transform = self.grid.window_transform(window)
        labels, count = _label(mask)  # 4-connected, as the polygons
        sizes = np.bincount(labels.ravel(), minlength=count + 1)
        sums = np.bincount(labels.ravel(), weights=np.nan_to_num(delta, nan=0.0).ravel(), minlength=count + 1)
        row, col, height, width = int(window.row_off), int(window.col_off), mask.shape[0], mask.shape[1]
        edges = []
        if row > 0:
            edges.append(labels[0, :])
        if row + height < self.grid.height:
            edges.append(labels[-1, :])
        if col > 0:
            edges.append(labels[:, 0])
        if col + width < self.grid.width:
            edges.append(labels[:, -1])
        touching = np.zeros(count + 1, dtype=bool)
        if edges:
            touching[np.concatenate(edges)] = True
        touching[0] = False
        # A patch wholly inside the window and too small is dropped before it becomes a polygon: noise costs
        # a bincount, not a polygon, and memory stays small.
        keep = touching | (sizes >= self.min_pixels)
        keep[0] = False
        if not keep.any():
            return []
        kept = np.where(keep[labels], labels, 0).astype(np.int32)
        result = []
        for geometry, value in features.shapes(kept, mask=kept > 0, connectivity=4, transform=transform):
            number = int(value)
            polygon = shape(geometry)
            edge = bool(touching[number])
            if not edge and self.area_ha(polygon) < self.min_area:
                continue
            result.append((polygon, float(sums[number]), int(sizes[number]), edge))
        return result

    def add(self, found: Iterable[tuple[Any, float, int, bool]]) -> None:
        """Keep the patches of one window; those on an inner window edge wait to be merged."""
        for polygon, total, count, edge in found:
            (self.on_edge if edge else self.finished).append((polygon, total, count))

    def merged(self) -> list[dict[str, Any]]:
        """Rows (geometry, area, mean Δ, pixels) of the patches of at least the minimum area, largest first."""
        results = list(self.finished)
        if self.on_edge:
            union = unary_union([p for p, _, _ in self.on_edge])
            parts = list(union.geoms) if isinstance(union, MultiPolygon) else [union]
            sums = [0.0] * len(parts)
            counts = [0] * len(parts)
            boxes = [p.bounds for p in parts]
            for polygon, total, count in self.on_edge:
                point = polygon.representative_point()
                for j, part in enumerate(parts):
                    x0, y0, x1, y1 = boxes[j]
                    if x0 <= point.x <= x1 and y0 <= point.y <= y1 and part.contains(point):
                        sums[j] += total
                        counts[j] += count
                        break
            results.extend((p, s, c) for p, s, c in zip(parts, sums, counts) if isinstance(p, Polygon))
        rows = []
        for polygon, total, count in results:
            area = self.area_ha(polygon)
            if area >= self.min_area and count > 0:
                rows.append({"geometry": polygon, "area_ha": area, "mean_delta": total / count, "pixels": count})
        rows.sort(key=lambda r: -r["area_ha"])
        return rows


def _label(mask: np.ndarray) -> tuple[np.ndarray, int]:
    """4-connected components. scipy (Debian's python3-scipy, shipped with QGIS on Windows) does the labelling;
    it is imported here so the index algorithm works without it."""
    try:
        from scipy import ndimage
    except ImportError as error:
        from .dependencies import install_hint

        raise MewError("Polygons of new drought need scipy: {value}", value=install_hint("scipy")) from error
    return ndimage.label(mask)
