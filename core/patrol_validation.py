"""Patrol validation: were the predicted areas patrolled, how soon, and did the patrols confirm the forecast?

Definitions (window ``START`` .. ``END``, both days included):

* A predicted area is **visited** when a patrol dated in the window passes within
  ``patrol_distance`` metres of it: its track's geodesic buffer (built as the
  coverage engine builds it, :func:`.geodesic.buffer_lines`) meets the area. With a
  distance of 0 the track itself must touch the area.
* **Days to first visit** count from ``START`` (the forecast date) to the day of the
  first such patrol: a patrol on ``START`` itself is 0 days.
* A visited area is **confirmed** when a patrol report dated in the window and marked
  confirmed lies in the area (its edge included). Reports in areas no patrol
  reached are counted and reported, never taken as a visit.
* **People never reached** are the people of the population raster living in the
  union of the areas not visited, each pixel counted by the exact share of it
  inside (as the coverage engine counts people, :func:`.coverage_zones.raster_people`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np
from pyproj import CRS
from shapely.ops import unary_union
from shapely.prepared import prep

from .coverage_model import usable_lines
from .coverage_types import Features, Zone, first_ids
from .coverage_zones import raster_people
from .errors import MewError
from .evaluation_window import Window
from .geodesic import MAX_REACH_M, Geodesy, ZoneError, buffer_lines, repaired
from .messages import message
from .points_in_area import covered_points
from .progress import SILENT, Progress

VISITED_CONFIRMED = "visited and confirmed"
VISITED = "visited, not confirmed"
NOT_VISITED = "not visited"
STATUSES = (VISITED_CONFIRMED, VISITED, NOT_VISITED)


#: How a report's confirmed field says yes or no (case and surrounding spaces ignored), in English and French.
YES = frozenset({"yes", "y", "true", "t", "1", "confirmed", "oui", "o", "vrai", "confirmé", "confirme"})
NO = frozenset({"no", "n", "false", "f", "0", "not confirmed", "unconfirmed", "non", "faux", "non confirmé"})


def confirmation(value: Any) -> bool | None:
    """Whether a confirmed field's value says yes (True), no (False), or neither (None: empty or unreadable)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return None if value != value else bool(value)
    text = str(value).strip().lower()
    if text in YES:
        return True
    if text in NO:
        return False
    return None


@dataclass
class PatrolReports:
    """Patrol reports: coordinates in the analysis CRS (NaN: no geometry), dates, and whether each confirms."""

    xy: np.ndarray
    dates: Sequence[dt.date | None]
    confirmed: Sequence[bool | None]


@dataclass
class PatrolValidation:
    """Each predicted area's status, first visit and patrol days, and the summary."""

    status: list[str | None]  # None: an area without a polygon
    first_visit: list[dt.date | None]
    days_to_first_visit: list[int | None]
    patrol_days: np.ndarray  # days in the window with a patrol within reach
    confirming_reports: np.ndarray
    people: list[float | None]  # people of the raster in each area (None: no raster)
    summary: list[dict[str, Any]]
    people_never_reached: float | None
    warnings: list[str] = field(default_factory=list)


def _areas(geometries: Sequence[Any], name: str) -> list[Any]:
    shapes: list[Any] = []
    for geometry in geometries:
        if geometry is None or geometry.is_empty:
            shapes.append(None)
        elif geometry.geom_type not in ("Polygon", "MultiPolygon"):
            raise MewError(
                "The layer '{name}' has a {geometry_type} feature: predicted areas must be polygons.",
                name=name,
                geometry_type=geometry.geom_type,
            )
        else:
            shapes.append(repaired(geometry))
    if all(s is None for s in shapes):
        raise MewError("The layer '{name}' has no polygon: give the predicted areas.", name=name)
    return shapes


def _reach_of_day(geodesy: Geodesy, patrols: Features, lines: list[Any], rows: list[int], distance: float) -> Any:
    """The land within ``distance`` metres of one day's tracks (the tracks themselves for 0 m)."""
    if distance <= 0:
        return unary_union(lines)
    try:
        return buffer_lines(geodesy, lines, distance)
    except ZoneError as error:
        raise MewError(
            "The zone of {patrol_distance:,.0f} km around patrol {patrol} of '{patrols_name}' {why}.",
            patrol_distance=distance / 1000,
            patrol=patrols.ids[rows[error.line]],
            patrols_name=patrols.name,
            why=error.why,
        ) from None


def validate_patrols(
    crs: CRS,
    areas: Features,
    patrols: Features,
    patrol_dates: Sequence[dt.date | None],
    window: Window,
    patrol_distance: float,
    reports: PatrolReports | None = None,
    population_raster: str | None = None,
    population_raster_crs: CRS | None = None,
    progress: Progress = SILENT,
) -> PatrolValidation:
    """Classify each predicted area (polygons in ``crs``) by the patrols (lines, dated) of ``window``."""
    if not np.isfinite(patrol_distance) or patrol_distance < 0:
        raise MewError("PATROL_DISTANCE must be a distance in metres, 0 or more.")
    if patrol_distance > MAX_REACH_M:
        raise MewError(
            "PATROL_DISTANCE {patrol_distance:,.0f} m is too far: patrol reaches are measured up to "
            "{max_reach:,.0f} m. Give the reach either side of a track in metres.",
            patrol_distance=patrol_distance,
            max_reach=MAX_REACH_M,
        )
    warnings: list[str] = []
    geodesy = Geodesy(crs)
    shapes = _areas(areas.geometries, areas.name)
    lines, line_rows = usable_lines(patrols, warnings)
    if not lines:
        raise MewError("The patrols layer '{name}' has no line with a geometry.", name=patrols.name)
    rows: list[int] = [int(row) for row in line_rows]
    days = np.array([np.nan if (day := patrol_dates[r]) is None else day.toordinal() for r in rows], dtype=np.float64)
    undated = [patrols.ids[r] for r, d in zip(rows, days) if np.isnan(d)]
    if undated:
        warnings.append(
            message(
                "{layer}: {count} patrol(s) without a date do not count, ids {ids}",
                layer=patrols.name,
                count=len(undated),
                ids=first_ids(undated),
            )
        )
    in_window = np.nonzero(window.contains(days))[0]
    if not in_window.size:
        warnings.append(
            message(
                "{layer}: no patrol is dated between {start} and {end}.",
                layer=patrols.name,
                start=window.start,
                end=window.end,
            )
        )
    first_day = np.full(len(shapes), np.nan)
    patrol_days = np.zeros(len(shapes), dtype=np.int64)
    day_numbers = np.unique(days[in_window])
    for number, day in enumerate(day_numbers):
        progress.step(0.7 * number / max(day_numbers.size, 1))
        members = in_window[days[in_window] == day]
        reach = _reach_of_day(
            geodesy,
            patrols,
            [lines[i] for i in members],
            [int(line_rows[i]) for i in members],
            float(patrol_distance),
        )
        if reach is None or reach.is_empty:
            continue
        x0, y0, x1, y1 = reach.bounds
        prepared_reach = prep(reach)
        for index, shape in enumerate(shapes):
            if shape is None:
                continue
            a0, b0, a1, b1 = shape.bounds
            if a0 > x1 or a1 < x0 or b0 > y1 or b1 < y0 or not prepared_reach.intersects(shape):
                continue
            patrol_days[index] += 1
            if np.isnan(first_day[index]):
                first_day[index] = day
    visited = np.isfinite(first_day)
    confirming = _confirming_reports(shapes, reports, window, visited, warnings)
    progress.step(0.75)
    status: list[str | None] = [
        None if shape is None else (VISITED_CONFIRMED if confirming[i] else VISITED) if visited[i] else NOT_VISITED
        for i, shape in enumerate(shapes)
    ]
    first_visit = [None if np.isnan(d) else dt.date.fromordinal(int(d)) for d in first_day]
    days_to = [None if d is None else (d - window.start).days for d in first_visit]

    people: list[float | None] = [None] * len(shapes)
    never_reached = None
    if population_raster:
        unvisited = [s for s, st in zip(shapes, status) if st == NOT_VISITED]
        zones = [Zone("area", str(fid), None, s, 0.0) for fid, s in zip(areas.ids, shapes)]
        zones.append(Zone("not visited", NOT_VISITED, None, unary_union(unvisited) if unvisited else None, 0.0))
        sums, _ = raster_people(zones, crs, population_raster, population_raster_crs, progress.sub(0.75, 0.98))
        people = [None if s is None else float(v) for s, v in zip(shapes, sums[:-1])]
        never_reached = float(sums[-1]) if unvisited else 0.0
    summary = _summary(status, days_to, people, never_reached)
    progress.step(1.0)
    return PatrolValidation(
        status, first_visit, days_to, patrol_days, confirming, people, summary, never_reached, warnings
    )


def _confirming_reports(
    shapes: list[Any],
    reports: PatrolReports | None,
    window: Window,
    visited: np.ndarray,
    warnings: list[str],
) -> np.ndarray:
    """Confirming reports of the window in each area; reports in areas never visited are only reported."""
    confirming = np.zeros(len(shapes), dtype=np.int64)
    if reports is None:
        return confirming
    xy = np.asarray(reports.xy, float).reshape(-1, 2)
    days = np.array([np.nan if d is None else d.toordinal() for d in reports.dates], dtype=float)
    use = np.nonzero(
        np.isfinite(xy).all(axis=1) & window.contains(days) & np.array([bool(c) for c in reports.confirmed])
    )[0]
    unvisited_hits = 0
    for index, shape in enumerate(shapes):
        if shape is None or not use.size:
            continue
        hits = int(covered_points(shape, xy, use).size)
        if visited[index]:
            confirming[index] = hits
        else:
            unvisited_hits += hits
    if unvisited_hits:
        warnings.append(
            message(
                "{count} confirming report(s) lie in areas no patrol of the window reached: they do not "
                "count as visits. Check the reports' dates and the patrol tracks.",
                count=unvisited_hits,
            )
        )
    return confirming


def _summary(
    status: list[str | None], days_to: list[int | None], people: list[float | None], never_reached: float | None
) -> list[dict[str, Any]]:
    """One row per status and one for all areas: areas, their share, mean days to first visit, people."""
    counted = [s for s in status if s is not None]
    total = len(counted)
    rows: list[dict[str, Any]] = []
    for label in (*STATUSES, "total"):
        members = [i for i, s in enumerate(status) if s is not None and (label == "total" or s == label)]
        waits = [float(w) for w in (days_to[i] for i in members) if w is not None]
        known_people = [float(p) for p in (people[i] for i in members) if p is not None]
        rows.append(
            {
                "status": label,
                "areas": len(members),
                "areas_share": len(members) / total if total else None,
                "mean_days_to_first_visit": float(np.mean(waits)) if waits else None,
                "people": never_reached
                if label == NOT_VISITED and never_reached is not None
                else (float(sum(known_people)) if known_people else None),
            }
        )
    visited = int(rows[0]["areas"]) + int(rows[1]["areas"])
    rows.append(
        {
            "status": "visited (all)",
            "areas": visited,
            "areas_share": visited / total if total else None,
            "mean_days_to_first_visit": rows[3]["mean_days_to_first_visit"],
            "people": None,
        }
    )
    return rows
