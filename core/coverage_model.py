"""Bases and patrol tracks prepared once, and points (villages, incidents) measured against them.

See :mod:`.coverage` for what covered, rings and days since patrol mean.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Sequence

import numpy as np
from pyproj import CRS

from .coverage_types import CoverageSettings, Features, first_ids
from .errors import MewError
from .geodesic import MAX_REACH_M, Geodesy, zone_problem
from .geodesic_search import (
    Segments,
    nearest_points,
    nearest_segments,
    points_within,
    smallest_value_within,
    spatial_order,
)
from .messages import message
from .progress import SILENT, Progress


def point_coordinates(geodesy: Geodesy, features: Features, warnings: list[str], role: str) -> tuple[np.ndarray, ...]:
    """Lon/lat of each usable point (centroid of a multi-point) and the row indices kept.

    ``role`` (bases, villages, incidents) names the features in messages:
    lines or polygons among them are refused, not replaced by their centres.
    """
    if features.xy is not None:
        xy = np.asarray(features.xy, float).reshape(-1, 2)
    else:
        xy = np.full((len(features.geometries), 2), np.nan)
        for row, geometry in enumerate(features.geometries):
            if geometry is None or geometry.is_empty:
                continue
            if geometry.geom_type not in ("Point", "MultiPoint"):
                others = [
                    fid
                    for fid, g in zip(features.ids, features.geometries)
                    if g is not None and not g.is_empty and g.geom_type not in ("Point", "MultiPoint")
                ]
                raise MewError(
                    "The layer '{name}' has {others_count} {geom_type} feature(s) (ids {others}): {role} must be "
                    "points. Choose a point layer, or make points of these first (e.g. Vector > Geometry Tools > "
                    "Centroids) if their centres are what you mean.",
                    name=features.name,
                    others_count=len(others),
                    geom_type=geometry.geom_type,
                    others=first_ids(others),
                    role=role,
                )
            point = geometry if geometry.geom_type == "Point" else geometry.centroid
            if not point.is_empty:
                xy[row] = point.coords[0][:2]
    usable = np.isfinite(xy).all(axis=1)
    rows = np.nonzero(usable)[0]
    if rows.size < xy.shape[0]:
        skipped = [features.ids[i] for i in np.nonzero(~usable)[0]]
        warnings.append(
            message(
                "{name}: {skipped_count} feature(s) without a usable geometry were skipped, ids {skipped}",
                name=features.name,
                skipped_count=len(skipped),
                skipped=first_ids(skipped),
            )
        )
    lon, lat = geodesy.to_lonlat(xy[rows, 0], xy[rows, 1])
    return lon, lat, rows.astype(np.int64)


def usable_lines(features: Features, warnings: list[str]) -> tuple[list[Any], np.ndarray]:
    """The line geometries among ``features`` and their rows; the others are skipped with a warning."""
    lines, rows, skipped = [], [], []
    for row, (fid, geometry) in enumerate(zip(features.ids, features.geometries)):
        if geometry is None or geometry.is_empty or geometry.geom_type not in ("LineString", "MultiLineString"):
            skipped.append(fid)
            continue
        lines.append(geometry)
        rows.append(row)
    if skipped:
        warnings.append(
            message(
                "{name}: {skipped_count} feature(s) without a usable line were skipped, ids {skipped}",
                name=features.name,
                skipped_count=len(skipped),
                skipped=first_ids(skipped),
            )
        )
    return lines, np.asarray(rows, dtype=np.int64)


def _day_numbers(dates: Sequence[dt.date | None]) -> np.ndarray:
    return np.array([d.toordinal() if d is not None else np.nan for d in dates], dtype=float)


class CoverageModel:
    """Bases and patrols prepared once; measures any set of points against them."""

    def __init__(
        self,
        crs: CRS,
        bases: Features | None,
        patrols: Features | None,
        settings: CoverageSettings,
        warnings: list[str],
    ) -> None:
        self.geodesy = Geodesy(crs)
        self.settings = settings
        self.warnings = warnings
        empty = np.zeros(0)
        self.base_lon, self.base_lat, self.base_rows = empty, empty, np.zeros(0, np.int64)
        self.base_ids: list[Any] = []
        self.base_radius = empty
        if bases is not None:
            self.base_lon, self.base_lat, self.base_rows = point_coordinates(self.geodesy, bases, warnings, "bases")
            if self.base_rows.size == 0:
                raise MewError("The bases layer '{name}' has no point with a geometry.", name=bases.name)
            self.base_ids = [bases.ids[r] for r in self.base_rows]
            self.base_radius = self._base_radius()
        self.patrol_lines: list[Any] = []
        self.patrols_name = ""
        self.patrol_ids: list[Any] = []
        self.patrol_day = empty
        self.as_of = settings.as_of
        if patrols is not None:
            self._take_patrols(patrols)
        if not self.base_ids and not self.patrol_lines:
            raise MewError("Give bases, patrol tracks, or both: there is nothing to measure coverage from.")
        self.counting = self._counting_patrols()
        self.counting_index = np.nonzero(self.counting)[0]
        self._segments: dict[str, Segments] = {}
        self._check_reach(bases.name if bases is not None else "")

    def _take_patrols(self, patrols: Features) -> None:
        """Keep the usable tracks and their day numbers; ``as_of`` defaults to the latest patrol's date."""
        warnings = self.warnings
        lines, rows = usable_lines(patrols, warnings)
        if not lines:
            raise MewError("The patrols layer '{name}' has no line with a geometry.", name=patrols.name)
        days = np.full(len(lines), np.nan)
        if self.settings.patrol_dates is not None:
            days = _day_numbers([self.settings.patrol_dates[r] for r in rows])
            undated = [patrols.ids[r] for r, d in zip(rows, days) if np.isnan(d)]
            if undated:
                warnings.append(
                    message(
                        "{name}: {undated_count} patrol(s) without a date do not count, ids {ids}",
                        name=patrols.name,
                        undated_count=len(undated),
                        ids=", ".join(map(str, undated[:20])),
                    )
                )
            if self.as_of is None and np.isfinite(days).any():
                self.as_of = dt.date.fromordinal(int(np.nanmax(days)))
            later = [patrols.ids[r] for r, d in zip(rows, days) if self.as_of and d > self.as_of.toordinal()]
            if later:
                warnings.append(
                    message(
                        "{name}: {later_count} patrol(s) dated after AS_OF ({as_of}) do not count for coverage or days "
                        "since patrol, ids {later}; set AS_OF to a later date to count them.",
                        name=patrols.name,
                        later_count=len(later),
                        as_of=self.as_of,
                        later=first_ids(later),
                    )
                )
        self.patrol_lines = lines
        self.patrols_name = patrols.name
        self.patrol_ids = [patrols.ids[r] for r in rows]
        self.patrol_day = days

    def _check_reach(self, bases_name: str) -> None:
        """Refuse reaches beyond :data:`MAX_REACH_M` and base zones the analysis CRS cannot draw, before any work.

        Track buffers the CRS cannot draw are refused as they are built (:func:`.geodesic.buffer_lines`), where
        the tracks' coordinates are at hand.
        """
        settings = self.settings
        limit = f"coverage zones are built for reaches up to {MAX_REACH_M:,.0f} m ({MAX_REACH_M / 1000:,.0f} km)"
        rings = [float(r) for r in settings.rings]
        if rings and max(rings) > MAX_REACH_M:
            raise MewError(
                "RINGS: {rings:,.0f} m is too far: {limit}. Give ring distances in metres up to that.",
                rings=max(rings),
                limit=limit,
            )
        if self.base_ids:
            too_far = np.nonzero(self.base_radius > MAX_REACH_M)[0]
            if too_far.size:
                if np.isscalar(settings.base_radius):
                    raise MewError(
                        "BASE_RADIUS {base_radius:,.0f} m is too far: {limit}. "
                        "Give the reach of a base in metres up to that.",
                        base_radius=self.base_radius[0],
                        limit=limit,
                    )
                raise MewError(
                    "Bases {base_ids} of '{bases_name}' have a reach above {max_reach_m:,.0f} m in "
                    "BASE_RADIUS_FIELD: {limit}. Correct the field (metres).",
                    base_ids=first_ids([self.base_ids[i] for i in too_far]),
                    bases_name=bases_name,
                    max_reach_m=MAX_REACH_M,
                    limit=limit,
                )
        if self.patrol_lines and settings.patrol_distance > MAX_REACH_M:
            raise MewError(
                "PATROL_DISTANCE {patrol_distance:,.0f} m is too far: {limit}. Give the reach either side of a "
                "track in metres up to that.",
                patrol_distance=settings.patrol_distance,
                limit=limit,
            )
        widest_ring = max(rings, default=0.0)
        if self.base_ids:
            reach = np.maximum(self.base_radius, widest_ring)
            problem = zone_problem(self.geodesy, self.base_lon, self.base_lat, reach)
            if problem is not None:
                base, why = problem
                raise MewError(
                    "The zone of {reach:,.0f} km around base {base_ids} of '{bases_name}' {why}.",
                    reach=reach[base] / 1000,
                    base_ids=self.base_ids[base],
                    bases_name=bases_name,
                    why=why,
                )

    def segments(self, which: str) -> Segments:
        """Segments of all patrols ("all") or of those that count ("counting"), built on first use."""
        if which == "counting" and self.counting.all():
            which = "all"
        if which not in self._segments:
            lines = self.patrol_lines if which == "all" else [self.patrol_lines[i] for i in self.counting_index]
            self._segments[which] = Segments.from_lines(self.geodesy, lines)
        return self._segments[which]

    def _base_radius(self) -> np.ndarray:
        """The reach of each kept base in metres; bases without a valid one are refused."""
        radius = self.settings.base_radius
        if radius is None:
            raise MewError("Give a base reach: BASE_RADIUS (metres) or BASE_RADIUS_FIELD.")
        if isinstance(radius, Sequence) or isinstance(radius, np.ndarray):
            values = np.array([np.nan if radius[r] is None else float(radius[r]) for r in self.base_rows.tolist()])
        else:
            values = np.full(self.base_rows.size, float(radius))
        bad = [self.base_ids[i] for i in np.nonzero(~np.isfinite(values) | (values < 0))[0]]
        if bad:
            raise MewError(
                "Bases {bases} have no valid reach in metres: fill the radius field or set BASE_RADIUS.",
                bases=", ".join(map(str, bad[:20])),
            )
        return values

    @property
    def patrol_period(self) -> tuple[dt.date | None, dt.date | None]:
        """The first and last day of the patrols counted; ``(None, None)`` when patrols are not dated."""
        days = self.patrol_day[self.counting] if self.settings.patrol_dates is not None else self.patrol_day[:0]
        days = days[np.isfinite(days)]
        if not days.size:
            return None, None
        return dt.date.fromordinal(int(days.min())), dt.date.fromordinal(int(days.max()))

    def _counting_patrols(self) -> np.ndarray:
        """Which patrols count: all without dates, else those dated within the window up to ``as_of``."""
        n = len(self.patrol_lines)
        if self.settings.patrol_dates is None or n == 0:
            return np.ones(n, dtype=bool)
        age = self.as_of.toordinal() - self.patrol_day if self.as_of else np.full(n, np.nan)
        counts = np.isfinite(age) & (age >= 0)
        if self.settings.window_days and self.settings.window_days > 0:
            counts &= age <= self.settings.window_days
        return counts

    def measure(
        self,
        lon: np.ndarray,
        lat: np.ndarray,
        rings: Sequence[float],
        progress: Progress = SILENT,
        recency: bool = False,
        exact_beyond_reach: bool = True,
    ) -> dict[str, np.ndarray]:
        """Distances, coverage, ring and (optionally) patrol recency of points.

        With ``exact_beyond_reach`` false (incidents), patrol distances beyond the
        largest reach or ring are not measured and come back as ``inf``. The
        points are measured in :func:`.spatial_order` (the searches run faster)
        and their measures come back in the order given.
        """
        order = spatial_order(self.geodesy, lon, lat)
        measured = self._measure(lon[order], lat[order], rings, progress, recency, exact_beyond_reach)
        in_given_order = {}
        for key, values in measured.items():
            in_given_order[key] = np.empty_like(values)
            in_given_order[key][order] = values
        return in_given_order

    def _measure(
        self,
        lon: np.ndarray,
        lat: np.ndarray,
        rings: Sequence[float],
        progress: Progress,
        recency: bool,
        exact_beyond_reach: bool,
    ) -> dict[str, np.ndarray]:
        n = lon.size
        out: dict[str, np.ndarray] = {}
        dist_base, nearest_base = nearest_points(self.geodesy, lon, lat, self.base_lon, self.base_lat)
        covered = np.zeros(n, dtype=bool)
        if self.base_ids:
            hit, _, _ = points_within(self.geodesy, lon, lat, self.base_lon, self.base_lat, self.base_radius)
            covered[hit] = True
        progress.step(0.3)
        reach = None if exact_beyond_reach else max([self.settings.patrol_distance, *rings])
        dist_patrol, nearest_patrol = nearest_segments(
            self.geodesy, lon, lat, self.segments("counting"), progress.sub(0.3, 0.7), max_distance=reach
        )
        if self.patrol_lines:
            covered |= dist_patrol <= self.settings.patrol_distance
        nearest = np.minimum(dist_base, dist_patrol)
        ring = np.full(n, np.nan)
        for distance in sorted(rings, reverse=True):
            ring[nearest <= distance] = distance
        out["covered"] = covered
        out["ring"] = ring
        out["dist_base_m"] = dist_base
        out["dist_patrol_m"] = dist_patrol
        out["nearest_base"] = nearest_base
        out["nearest_patrol"] = np.full(n, -1, dtype=np.int64)
        if self.counting_index.size:
            found = nearest_patrol >= 0
            out["nearest_patrol"][found] = self.counting_index[nearest_patrol[found]]
        if recency:
            out["days_since_patrol"] = self._days_since_patrol(lon, lat, dist_patrol)
        progress.step(1.0)
        return out

    def patrol_ages(self) -> np.ndarray:
        """Days from each patrol to ``as_of``; NaN for an undated patrol, one after ``as_of``, or without ``as_of``."""
        if self.as_of is None:
            return np.full(self.patrol_day.size, np.nan)
        age = self.as_of.toordinal() - self.patrol_day
        age[~(age >= 0)] = np.nan  # patrols after as_of do not count
        return age

    def _days_since_patrol(self, lon: np.ndarray, lat: np.ndarray, dist_patrol: np.ndarray) -> np.ndarray:
        """Days from the last patrol up to ``as_of`` within ``patrol_distance`` of each point to ``as_of``; NaN
        where none passed. ``dist_patrol`` is the distance to the nearest counting patrol."""
        n = lon.size
        if self.as_of is None or not self.patrol_lines or not np.isfinite(self.patrol_day).any():
            return np.full(n, np.nan)
        # When every patrol counts, only points within reach of the nearest one can have a patrol nearby.
        candidates = (
            np.nonzero(dist_patrol <= self.settings.patrol_distance * 1.001 + 1.0)[0]
            if self.counting.all()
            else np.arange(n)
        )
        age = self.patrol_ages()
        best = np.full(n, np.inf)
        best[candidates] = smallest_value_within(
            self.geodesy,
            lon[candidates],
            lat[candidates],
            self.segments("all"),
            self.settings.patrol_distance,
            age,
        )
        return np.where(np.isfinite(best), best, np.nan)
