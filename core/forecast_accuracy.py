"""Forecast accuracy: how well predicted areas caught the incidents that followed.

Definitions (N incidents in the study area in the window, n of them in the
forecast, a the forecast's area, A the study area's, all areas geodesic):

* **hit rate** ``n / N``;
* **PAI**, Predictive Accuracy Index (Chainey, Tompson & Uhlig 2008): ``(n / N) / (a / A)``;
* **PEI**, Predictive Efficiency Index (Hunt 2016): ``n / n*``, with ``n*`` the most
  incidents any set of cells of the same total area could have caught. The cells
  are a square grid laid on the study area with the forecast's cell size (the
  side of the median forecast polygon's area) and anchored at the forecast's
  south-west corner, so a hot-spot grid's own cells are its cells. The best
  cells are taken by count until their area reaches ``a``, the last one by the
  share of its area needed; the forecast itself is one such set, so ``n* >= n``;
* **RRI**, Recapture Rate Index (Levine 2008): ``(n_t / n_{t-1}) / (N_t / N_{t-1})``,
  the window ``t`` against the window of the same length just before it.

Rules that make every incident count once:

* An incident counts in the study area when the study area covers it (its edge included);
  incidents outside are counted and reported, never in ``N``.
* An incident on the edge between cells (or where cells overlap) counts once, for the
  first cell in rank order that covers it (among cells of equal rank, the first in
  the layer's order).
* Cells are ranked by the rank value, highest first; cells of equal rank form one
  tie group and enter the hit-rate curve together as one step (no order among them
  is invented). Without rank values every cell is in one group. Cells without a
  rank value come last, as one group.
* The baseline, when no baseline polygons are given, is "where it happened last
  time": the grid cells ranked by their incidents in the previous window, taken in
  tie groups until their area reaches the forecast's.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np
from pyproj import CRS
from shapely.geometry import box
from shapely.ops import unary_union
from shapely.prepared import prep

from .errors import MewError
from .evaluation_window import Window
from .geodesic import Geodesy, repaired
from .messages import message
from .points_in_area import covered_points
from .progress import SILENT, Progress

#: The most grid cells laid on the study area for the best-possible count n* and the default baseline.
MAX_GRID_CELLS = 4_000_000
#: Relative difference under which two areas in m² (summed in other orders) are the same.
AREA_TOLERANCE = 1e-9
#: Relative slack under which the forecast polygons are taken as not overlapping (areas in m² summed in floats).
OVERLAP_TOLERANCE = 1e-9


@dataclass
class RankedCells:
    """Forecast polygons in rank order: each cell's tie group (0 = the first) and geodesic area within the study
    area (m²), and the cumulative area (union) after each group."""

    geometries: list[Any]
    group: np.ndarray
    area_m2: np.ndarray
    cumulative_area_m2: np.ndarray

    @property
    def groups(self) -> int:
        return int(self.group.max()) + 1 if self.group.size else 0

    def order(self) -> np.ndarray:
        """Cells in rank order: by tie group, then in the layer's order."""
        return np.lexsort((np.arange(self.group.size), self.group))


@dataclass
class Measures:
    """The measures of one forecast (the forecast or its baseline) in one window."""

    label: str
    incidents: int  # n
    total: int  # N
    area_km2: float  # a
    study_area_km2: float  # A
    hit_rate: float | None
    pai: float | None
    best_possible: float  # n*
    pei: float | None
    previous_incidents: int  # n_{t-1}
    previous_total: int  # N_{t-1}
    rri: float | None


@dataclass
class ForecastAccuracy:
    """Measures of the forecast and its baseline, their hit-rate curves, and the forecast's cells."""

    measures: list[Measures]
    #: One row per step of each curve: forecast (or baseline), step (0: nothing taken), cells, area share, hit rate,
    #: incidents.
    curve: list[dict[str, Any]]
    #: Per forecast polygon: incidents in the window and before it (edge rule applied), tie group (1 = first), km².
    cell_incidents: np.ndarray
    cell_previous: np.ndarray
    cell_rank: np.ndarray
    cell_area_km2: np.ndarray
    outside_study_area: int
    undated: int
    warnings: list[str] = field(default_factory=list)


def rank_groups(rank: Sequence[float | None] | None, count: int) -> np.ndarray:
    """Tie group of each cell: 0 for the highest rank value, one more for each lower distinct value; cells
    without a value form the last group; all cells one group when ``rank`` is None."""
    if rank is None:
        return np.zeros(count, dtype=np.int64)
    values = np.array([np.nan if v is None else float(v) for v in rank], dtype=float)
    known = np.isfinite(values)
    distinct = np.unique(-values[known])  # ascending of the negated: highest value first
    group = np.full(count, distinct.size, dtype=np.int64)
    group[known] = np.searchsorted(distinct, -values[known])
    return group


def _polygons(geometries: Sequence[Any], what: str) -> list[Any]:
    shapes = []
    for geometry in geometries:
        if geometry is not None and not geometry.is_empty and geometry.geom_type not in ("Polygon", "MultiPolygon"):
            raise MewError(
                "The {what} layer has a {geometry_type} feature: {what} must be polygons.",
                what=message(what),
                geometry_type=geometry.geom_type,
            )
        shapes.append(None if geometry is None or geometry.is_empty else repaired(geometry))
    return shapes


def ranked_cells(
    geodesy: Geodesy, geometries: Sequence[Any], group: np.ndarray, study_area: Any, what: str
) -> RankedCells:
    """The cells' areas within the study area and the area of their union after each tie group."""
    shapes = _polygons(geometries, what)
    clipped = [None if g is None else g.intersection(study_area) for g in shapes]
    area = np.array([geodesy.polygon_area(g) if g is not None else 0.0 for g in clipped])
    groups = int(group.max()) + 1 if group.size else 0
    per_group = np.bincount(group, weights=area, minlength=groups)
    cumulative: np.ndarray = np.cumsum(per_group).astype(float)
    present = [g for g in clipped if g is not None and not g.is_empty]
    if len(present) > 1:
        union_area = geodesy.polygon_area(unary_union(present))
        if union_area < area.sum() * (1.0 - OVERLAP_TOLERANCE) - 1.0:  # overlapping cells: their union's area
            cumulative = np.zeros(groups)
            taken = None
            for number in range(groups):
                members = [clipped[i] for i in np.nonzero(group == number)[0] if clipped[i] is not None]
                if members:
                    taken = unary_union([*([taken] if taken is not None else []), *members])
                cumulative[number] = geodesy.polygon_area(taken) if taken is not None else 0.0
    return RankedCells(shapes, group, area, cumulative)


def assign_incidents(cells: RankedCells, xy: np.ndarray, progress: Progress = SILENT) -> np.ndarray:
    """The cell each point counts in (-1: none): the first cell in rank order that covers it."""
    owner = np.full(xy.shape[0], -1, dtype=np.int64)
    order = cells.order()
    for number, cell in enumerate(order):
        if number % 200 == 0:
            progress.step(number / max(order.size, 1))
        shape = cells.geometries[cell]
        if shape is None:
            continue
        owner[covered_points(shape, xy, np.nonzero(owner < 0)[0])] = cell
    return owner


def _ratio(numerator: float, denominator: float) -> float | None:
    return float(numerator) / float(denominator) if denominator else None


@dataclass
class _Evaluation:
    """Incidents and study area shared by the forecast and its baseline."""

    geodesy: Geodesy
    study_area: Any
    study_area_m2: float
    xy_now: np.ndarray
    xy_before: np.ndarray
    grid: Grid


def _measure(
    label: str, cells: RankedCells, data: _Evaluation, progress: Progress
) -> tuple[Measures, list[dict[str, Any]], np.ndarray, np.ndarray]:
    """The measures and curve of one forecast, and each cell's incidents in the window and before."""
    owner_now = assign_incidents(cells, data.xy_now, progress.sub(0.0, 0.5))
    owner_before = assign_incidents(cells, data.xy_before, progress.sub(0.5, 1.0))
    count = len(cells.geometries)
    per_cell = np.bincount(owner_now[owner_now >= 0], minlength=count)
    per_cell_before = np.bincount(owner_before[owner_before >= 0], minlength=count)
    n, total = int(per_cell.sum()), int(data.xy_now.shape[0])
    n_before, total_before = int(per_cell_before.sum()), int(data.xy_before.shape[0])
    area = float(cells.cumulative_area_m2[-1]) if cells.groups else 0.0
    hit_rate = _ratio(n, total)
    area_share = area / data.study_area_m2
    best = max(float(n), data.grid.best_possible(area))
    recapture = _ratio(n, n_before)
    growth = _ratio(total, total_before)
    measures = Measures(
        label,
        n,
        total,
        area / 1e6,
        data.study_area_m2 / 1e6,
        hit_rate,
        None if hit_rate is None or area_share <= 0 else hit_rate / area_share,
        best,
        _ratio(n, best),
        n_before,
        total_before,
        None if recapture is None or not growth else recapture / growth,
    )
    per_group = np.bincount(cells.group, weights=per_cell, minlength=cells.groups)
    cells_per_group = np.bincount(cells.group, minlength=cells.groups)
    curve = [{"forecast": label, "step": 0, "cells": 0, "area_share": 0.0, "hit_rate": 0.0, "incidents": 0}]
    for step in range(cells.groups):
        caught = int(per_group[: step + 1].sum())
        curve.append(
            {
                "forecast": label,
                "step": step + 1,
                "cells": int(cells_per_group[: step + 1].sum()),
                "area_share": float(cells.cumulative_area_m2[step]) / data.study_area_m2,
                "hit_rate": _ratio(caught, total),
                "incidents": caught,
            }
        )
    return measures, curve, per_cell, per_cell_before


class Grid:
    """Square cells of the forecast's size on the study area: the cells n* and the default baseline are taken from."""

    def __init__(self, geodesy: Geodesy, study_area: Any, forecast: Sequence[Any], xy_now: np.ndarray) -> None:
        planar = [g.area for g in forecast if g is not None and not g.is_empty]
        if not planar:
            raise MewError("The forecast layer has no polygon: give the predicted areas (e.g. hot spot cells).")
        self.side = math.sqrt(float(np.median(planar)))
        x0 = min(g.bounds[0] for g in forecast if g is not None and not g.is_empty)
        y0 = min(g.bounds[1] for g in forecast if g is not None and not g.is_empty)
        sx0, sy0, sx1, sy1 = study_area.bounds
        # The grid's origin is the forecast's south-west corner, moved by whole cells to cover the study area.
        self.x0 = x0 + math.floor((sx0 - x0) / self.side) * self.side
        self.y0 = y0 + math.floor((sy0 - y0) / self.side) * self.side
        columns = math.ceil((sx1 - self.x0) / self.side) + 1
        rows = math.ceil((sy1 - self.y0) / self.side) + 1
        if columns * rows > MAX_GRID_CELLS:
            raise MewError(
                "The forecast's cells ({side:,.6g} map units across) are too small for the study area: "
                "{cells:,} cells would be laid on it. Give a study area around the forecast, or larger "
                "forecast cells.",
                side=self.side,
                cells=columns * rows,
            )
        self.columns = columns
        self.geodesy = geodesy
        self.study_area = study_area
        self.prepared_study_area = prep(study_area)
        self._areas: dict[int, float] = {}
        self.now = self.counts(xy_now)

    def counts(self, xy: np.ndarray) -> dict[int, int]:
        """Points per cell key (a point on a cell edge counts in the cell east or north of it)."""
        keys = self.keys(xy)
        unique, counts = np.unique(keys, return_counts=True)
        return dict(zip(unique.tolist(), counts.tolist()))

    def keys(self, xy: np.ndarray) -> np.ndarray:
        column = np.floor((xy[:, 0] - self.x0) / self.side).astype(np.int64)
        row = np.floor((xy[:, 1] - self.y0) / self.side).astype(np.int64)
        return row * self.columns + column

    def cell(self, key: int) -> Any:
        """The cell's square cut to the study area."""
        row, column = divmod(key, self.columns)
        square = box(
            self.x0 + column * self.side,
            self.y0 + row * self.side,
            self.x0 + (column + 1) * self.side,
            self.y0 + (row + 1) * self.side,
        )
        return square if self.prepared_study_area.contains(square) else square.intersection(self.study_area)

    def area(self, key: int) -> float:
        if key not in self._areas:
            self._areas[key] = self.geodesy.polygon_area(self.cell(key))
        return self._areas[key]

    def best_possible(self, area: float) -> float:
        """n*: the most window incidents cells of this total area can hold (the last cell by area share)."""
        caught, taken = 0.0, 0.0
        for key, count in sorted(self.now.items(), key=lambda item: (-item[1], item[0])):
            if taken >= area * (1.0 - AREA_TOLERANCE):  # the same area summed in another order
                return caught
            cell_area = self.area(key)
            if taken + cell_area >= area:
                return caught + count * (min((area - taken) / cell_area, 1.0) if cell_area > 0 else 1.0)
            caught += count
            taken += cell_area
        return caught

    def baseline(self, xy_before: np.ndarray, area: float) -> tuple[list[Any], list[float]]:
        """Where it happened last time: cells ranked by their previous-window incidents, taken by whole tie
        groups until they reach ``area``; their shapes and counts (the rank values)."""
        shapes: list[Any] = []
        ranks: list[float] = []
        taken = 0.0
        ranked = sorted(self.counts(xy_before).items(), key=lambda item: (-item[1], item[0]))
        for number, (key, count) in enumerate(ranked):
            if taken >= area and (number == 0 or count != ranked[number - 1][1]):
                break
            shapes.append(self.cell(key))
            ranks.append(float(count))
            taken += self.area(key)
        return shapes, ranks


def evaluate_forecast(
    crs: CRS,
    forecast: Sequence[Any],
    rank: Sequence[float | None] | None,
    incident_xy: np.ndarray,
    incident_dates: Sequence[dt.date | None],
    window: Window,
    study_area: Sequence[Any],
    baseline: Sequence[Any] | None = None,
    progress: Progress = SILENT,
) -> ForecastAccuracy:
    """Measures of a forecast (polygons in ``crs``, optional rank values) against the incidents of ``window``.

    ``incident_xy`` (n, 2) holds the incidents' coordinates in ``crs`` (NaN rows: no geometry); ``baseline``
    polygons, when given, are compared as one tie group; otherwise the baseline is "where it happened last time".
    """
    warnings: list[str] = []
    geodesy = Geodesy(crs)
    if not len(forecast):
        raise MewError("The forecast layer is empty: give the predicted areas (e.g. hot spot cells).")
    study_shapes = [g for g in _polygons(study_area, "study area") if g is not None]
    if not study_shapes:
        raise MewError("The study area layer has no polygon: give the area the forecast was made for.")
    study = unary_union(study_shapes)
    study_area_m2 = geodesy.polygon_area(study)
    if study_area_m2 <= 0:
        raise MewError("The study area has no area: give the polygon of the area the forecast was made for.")
    xy = np.asarray(incident_xy, float).reshape(-1, 2)
    days = np.array([np.nan if d is None else d.toordinal() for d in incident_dates], dtype=float)
    located = np.isfinite(xy).all(axis=1)
    undated = int((located & ~np.isfinite(days)).sum())
    if undated:
        warnings.append(message("{count} incident(s) without a date were not counted.", count=undated))
    if (~located).any():
        warnings.append(
            message("{count} incident(s) without a location were not counted.", count=int((~located).sum()))
        )
    progress.step(0.05)
    in_study = np.zeros(xy.shape[0], dtype=bool)
    dated = np.nonzero(located & (window.contains(days) | window.previous.contains(days)))[0]
    in_study[covered_points(study, xy, dated)] = True
    now, before = window.contains(days), window.previous.contains(days)
    outside = int((now & located & ~in_study).sum())
    if outside:
        warnings.append(
            message(
                "{count} incident(s) of the window lie outside the study area and are not counted in N.", count=outside
            )
        )
    progress.step(0.15)
    xy_now, xy_before = xy[now & in_study], xy[before & in_study]
    grid = Grid(geodesy, study, _polygons(forecast, "forecast"), xy_now)
    data = _Evaluation(geodesy, study, study_area_m2, xy_now, xy_before, grid)
    cells = ranked_cells(geodesy, forecast, rank_groups(rank, len(forecast)), study, "forecast")
    if cells.groups and cells.cumulative_area_m2[-1] <= 0:
        raise MewError("The forecast polygons lie outside the study area: give a study area that contains them.")
    if rank is not None and any(v is None for v in rank):
        warnings.append(message("Forecast polygons without a rank value were ranked last, as one group."))
    measures, curve, per_cell, per_cell_before = _measure("forecast", cells, data, progress.sub(0.2, 0.6))
    if baseline is not None:
        base_shapes, base_rank = list(baseline), None
    else:
        base_shapes, base_rank = grid.baseline(xy_before, float(cells.cumulative_area_m2[-1]))
    if base_shapes:
        base_cells = ranked_cells(geodesy, base_shapes, rank_groups(base_rank, len(base_shapes)), study, "baseline")
        base_measures, base_curve, _, _ = _measure("baseline", base_cells, data, progress.sub(0.6, 0.95))
        measures_list, curve = [measures, base_measures], curve + base_curve
    else:
        warnings.append(
            message("No incident in the previous window: there is no 'where it happened last time' baseline.")
        )
        measures_list = [measures]
    progress.step(1.0)
    return ForecastAccuracy(
        measures_list,
        curve,
        per_cell,
        per_cell_before,
        cells.group + 1,
        cells.area_m2 / 1e6,
        outside,
        undated,
        warnings,
    )
