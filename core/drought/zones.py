"""Zones of the change summary: per-window counts and sums, and their totals as rows, worst first."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

import numpy as np
from rasterio import features
from rasterio.windows import Window

from ..raster_blocks import Grid
from .classes import CLASS_NODATA, ClassTable


@dataclass(frozen=True)
class Zone:
    """A zone for the summary, its geometry (shapely) in the grid's CRS."""

    key: str
    name: str
    geometry: Any


def zone_counts(
    grid: Grid,
    window: Window,
    zones: Sequence[Zone],
    bounds: Sequence[Any],
    classes: ClassTable,
    threshold: float,
    index: np.ndarray,
    delta: np.ndarray,
    transitions: np.ndarray,
    people: np.ndarray | None,
) -> dict[int, np.ndarray]:
    """Per zone in this window: a vector of counts and sums (see :class:`ZoneTally`)."""
    transform = grid.window_transform(window)
    left, top = transform * (0, 0)
    right, bottom = transform * (int(window.width), int(window.height))
    x0, x1, y0, y1 = min(left, right), max(left, right), min(top, bottom), max(top, bottom)
    codes = classes.classify(index)
    valid = codes != CLASS_NODATA
    drought = valid & (index < threshold)
    delta_valid = ~np.isnan(delta)
    found: dict[int, np.ndarray] = {}
    for number, (zone, box) in enumerate(zip(zones, bounds)):
        if box is None or box[0] > x1 or box[2] < x0 or box[1] > y1 or box[3] < y0:
            continue
        inside = features.geometry_mask([zone.geometry], out_shape=index.shape, transform=transform, invert=True)
        if not inside.any():
            continue
        counts = np.bincount(codes[inside], minlength=len(classes.classes) + 1).astype(np.float64)
        row = [
            float(np.count_nonzero(valid & inside)),
            float(np.nansum(np.where(valid & inside, index, 0.0), dtype=np.float64)),
            float(np.count_nonzero(drought & inside)),
            float(np.count_nonzero(delta_valid & inside)),
            float(np.sum(np.where(delta_valid & inside, delta, 0.0), dtype=np.float64)),
            float(np.count_nonzero((transitions == 1) & inside)),
            float(np.count_nonzero((transitions == 3) & inside)),
        ]
        if people is not None:
            counted = inside & ~np.isnan(people)
            row.append(float(np.sum(np.where(counted, people, 0.0), dtype=np.float64)))
            row.append(float(np.sum(np.where(counted & drought, people, 0.0), dtype=np.float64)))
        else:
            row.extend([0.0, 0.0])
        found[number] = np.concatenate([np.array(row), counts[1:]])
    return found


class ZoneTally:
    """Totals per zone of the window counts of :func:`zone_counts`, turned into summary rows."""

    FIELDS = (
        "valid",
        "index_sum",
        "drought",
        "delta_valid",
        "delta_sum",
        "new_drought",
        "recovered",
        "population",
        "population_drought",
    )

    def __init__(self, zones: int, n_classes: int) -> None:
        self.totals = np.zeros((zones, len(self.FIELDS) + n_classes), dtype=np.float64)

    def add(self, counts: Mapping[int, np.ndarray]) -> None:
        for number, values in counts.items():
            self.totals[number] += values

    def rows(self, zones: Sequence[Zone], classes: ClassTable, grid: Grid) -> list[dict[str, Any]]:
        rows = []
        n = len(self.FIELDS)
        for zone, totals in zip(zones, self.totals):
            got = dict(zip(self.FIELDS, totals[:n]))
            valid = got["valid"]
            row: dict[str, Any] = {
                "zone": zone.key,
                "name": zone.name,
                "valid_km2": valid * grid.pixel_area / 1e6,
                "drought_share": _ratio(got["drought"], valid),
                "mean_index": _ratio(got["index_sum"], valid),
                "mean_delta": _ratio(got["delta_sum"], got["delta_valid"]),
                "new_drought_share": _ratio(got["new_drought"], got["delta_valid"]),
                "recovered_share": _ratio(got["recovered"], got["delta_valid"]),
                "population": got["population"],
                "population_drought": got["population_drought"],
            }
            for c, count in zip(classes.classes, totals[n:]):
                row[f"share_{_field_name(c.name)}"] = _ratio(count, valid)
            row["geometry"] = zone.geometry
            rows.append(row)
        # Worst first: the largest share of valid area in drought, then the lowest mean index; empty zones last.
        rows.sort(key=lambda r: (r["drought_share"] is None, -(r["drought_share"] or 0.0), r["mean_index"] or 0.0))
        for rank, row in enumerate(rows, 1):
            row["rank"] = rank
        return rows


def _ratio(part: float, whole: float) -> float | None:
    return part / whole if whole else None


def _field_name(name: str) -> str:
    return re.sub(r"[^0-9a-zA-Z]+", "_", name.strip().lower()).strip("_") or "class"
