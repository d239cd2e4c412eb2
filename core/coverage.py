"""Patrol coverage: who is within reach of a base or a recent patrol, and since when.

All distances are geodesic (see :mod:`.geodesic`), whatever the CRS of the
input; population from a raster is summed by the exact share of each pixel
inside a zone (see :mod:`.fractional`).

Definitions
-----------
* A village is **covered** when it lies within its base's reach (per-base
  radius) of a base, or within ``patrol_distance`` of a patrol track that
  counts (dated within ``window_days`` up to ``as_of``, when dates are used).
* **Rings** are graded reach distances measured the same way from bases and
  counting patrols; a village's ``ring`` is the smallest ring distance it lies
  within. Ring zones are cumulative ("within 10 km" contains "within 5 km").
* ``days_since_patrol`` counts days from the last patrol (any date up to
  ``as_of``) passing within ``patrol_distance`` of the village to ``as_of``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import numpy as np
from pyproj import CRS, Transformer
from shapely import wkb as shapely_wkb
from shapely.ops import transform as shapely_transform
from shapely.ops import unary_union

from .crs import transform_xy
from .errors import MewError
from .fractional import weighted_sums
from .geodesic import MAX_REACH_M, PARALLEL_MIN_LINES, Geodesy, ZoneError, buffer_lines, zone_problem
from .geodesic_search import Segments, nearest_points, nearest_segments, points_within, smallest_value_within
from .parallel import Background, can_share, check_stopped
from .progress import SILENT, Progress

#: Vertices of a geodesic circle around a base: a 128-gon keeps the area within 0.04 % of the circle's.
CIRCLE_VERTICES = 128


@dataclass
class Features:
    """Features handed to the engine: ids (for messages) and shapely geometries in the analysis CRS.

    Point layers may come as coordinates instead: ``xy`` (n, 2) with NaN rows for
    features without a geometry, and ``geometries`` left empty. That path skips
    one Python object per point, which matters for 100,000 villages.
    """

    ids: list[Any]
    geometries: list[Any]
    name: str = "layer"
    xy: np.ndarray | None = None

    def __post_init__(self) -> None:
        if self.xy is None and len(self.ids) != len(self.geometries):
            raise ValueError("ids and geometries differ in length")
        if self.xy is not None and len(self.ids) != len(self.xy):
            raise ValueError("ids and coordinates differ in length")

    def __len__(self) -> int:
        return len(self.ids)


@dataclass
class CoverageSettings:
    base_radius: Sequence[float] | float | None = None  # per base (sequence) or one value
    patrol_distance: float = 0.0
    patrol_dates: Sequence[dt.date | None] | None = None
    as_of: dt.date | None = None
    window_days: int = 0  # 0: every patrol up to as_of counts
    rings: Sequence[float] = ()
    population: Sequence[float | None] | None = None  # per village
    population_raster: str | None = None
    population_raster_crs: CRS | None = None
    patrol_segments: int = 8  # segments per quarter circle of track buffers


@dataclass
class Zone:
    kind: str  # "covered" or "ring"
    label: str
    distance_m: float | None
    geometry: Any
    area_km2: float


@dataclass
class CoverageResult:
    zones: list[Zone]
    villages: dict[str, np.ndarray]
    village_rows: np.ndarray  # index into the input villages of each row of ``villages``
    incidents: dict[str, np.ndarray]
    summary: list[dict[str, Any]]
    as_of: dt.date | None
    base_rows: np.ndarray  # input row of each base the ``nearest_base`` indices refer to
    warnings: list[str] = field(default_factory=list)

    def per_input_village(self, count: int, base_names: Sequence[str] | None) -> list[np.ndarray]:
        """The measures of each of ``count`` input villages: covered (1/0), ring, distance to a base and to a
        patrol, days since a patrol (floats), and the nearest base's name (``base_names`` follow
        ``base_rows``); NaN, or None for the name, for a village not measured (e.g. without a geometry)."""
        measured = np.full(count, -1, dtype=np.int64)
        measured[self.village_rows] = np.arange(self.village_rows.size)
        missing = measured < 0
        columns = []
        for key in ("covered", "ring", "dist_base_m", "dist_patrol_m", "days_since_patrol"):
            column = self.villages[key][measured].astype(float)
            column[missing] = np.nan
            columns.append(column)
        names = np.array([*(base_names or []), None], dtype=object)  # index -1: no base
        nearest = names[self.villages["nearest_base"]][measured]
        nearest[missing] = None
        return [*columns, nearest]

    def describe(self, row: dict[str, Any]) -> str:
        """One line of the summary for the log: ``within 5000 m: 12 villages (40.0 %) 3,400 people (field)``."""
        parts = [f"{row['label']}:"]
        if row["villages"] is not None:
            parts.append(f"{row['villages']} villages ({100 * (row['villages_share'] or 0):.1f} %)")
        if row["people_field"] is not None:
            parts.append(f"{row['people_field']:,.0f} people (field)")
        if row["people_raster"] is not None:
            parts.append(f"{row['people_raster']:,.0f} people (raster)")
        if row["incidents"] is not None:
            parts.append(f"{row['incidents']} incidents ({100 * (row['incidents_share'] or 0):.1f} %)")
        return " ".join(parts)


def parse_rings(text: str | None) -> list[float]:
    """Ring distances from a comma list like ``"5000, 10000,20000"`` (metres, ascending, > 0)."""
    if text is None or not str(text).strip():
        return []
    rings = []
    for item in str(text).replace(";", ",").split(","):
        item = item.strip()
        if not item:
            continue
        try:
            value = float(item)
        except ValueError:
            raise MewError(
                f"RINGS: '{item}' is not a distance in metres. Give a comma list like 5000,10000,20000."
            ) from None
        if not np.isfinite(value) or value <= 0:
            raise MewError(f"RINGS: {item} must be a positive distance in metres.")
        rings.append(value)
    return sorted(set(rings))


def _point_coordinates(geodesy: Geodesy, features: Features, warnings: list[str], role: str) -> tuple[np.ndarray, ...]:
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
                    f"The layer '{features.name}' has {len(others)} {geometry.geom_type} feature(s) (ids "
                    f"{_first_ids(others)}): {role} must be points. Choose a point layer, or make points of these "
                    "first (e.g. Vector > Geometry Tools > Centroids) if their centres are what you mean."
                )
            point = geometry if geometry.geom_type == "Point" else geometry.centroid
            if not point.is_empty:
                xy[row] = point.coords[0][:2]
    usable = np.isfinite(xy).all(axis=1)
    rows = np.nonzero(usable)[0]
    if rows.size < xy.shape[0]:
        skipped = [features.ids[i] for i in np.nonzero(~usable)[0][:20]]
        count = int(xy.shape[0] - rows.size)
        warnings.append(
            f"{features.name}: {count} feature(s) without a usable geometry were skipped, ids "
            + ", ".join(map(str, skipped))
            + (" …" if count > 20 else "")
        )
    lon, lat = geodesy.to_lonlat(xy[rows, 0], xy[rows, 1])
    return lon, lat, rows.astype(np.int64)


def _usable_lines(features: Features, warnings: list[str]) -> tuple[list[Any], np.ndarray]:
    lines, rows, skipped = [], [], []
    for row, (fid, geometry) in enumerate(zip(features.ids, features.geometries)):
        if geometry is None or geometry.is_empty or geometry.geom_type not in ("LineString", "MultiLineString"):
            skipped.append(fid)
            continue
        lines.append(geometry)
        rows.append(row)
    if skipped:
        warnings.append(
            f"{features.name}: {len(skipped)} feature(s) without a usable line were skipped, ids "
            + ", ".join(map(str, skipped[:20]))
            + (" …" if len(skipped) > 20 else "")
        )
    return lines, np.asarray(rows, dtype=np.int64)


def _first_ids(ids: Sequence[Any], count: int = 20) -> str:
    """The first ``count`` ids for a message, with … when there are more."""
    return ", ".join(map(str, ids[:count])) + (" …" if len(ids) > count else "")


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
            self.base_lon, self.base_lat, self.base_rows = _point_coordinates(self.geodesy, bases, warnings, "bases")
            if self.base_rows.size == 0:
                raise MewError(f"The bases layer '{bases.name}' has no point with a geometry.")
            self.base_ids = [bases.ids[r] for r in self.base_rows]
            self.base_radius = self._base_radius(bases)
        self.patrol_lines: list[Any] = []
        self.patrols_name = ""
        self.patrol_ids: list[Any] = []
        self.patrol_day = empty
        self.as_of = settings.as_of
        if patrols is not None:
            lines, rows = _usable_lines(patrols, warnings)
            if not lines:
                raise MewError(f"The patrols layer '{patrols.name}' has no line with a geometry.")
            days = np.full(len(lines), np.nan)
            if settings.patrol_dates is not None:
                days = _day_numbers([settings.patrol_dates[r] for r in rows])
                undated = [patrols.ids[r] for r, d in zip(rows, days) if np.isnan(d)]
                if undated:
                    warnings.append(
                        f"{patrols.name}: {len(undated)} patrol(s) without a date do not count, ids "
                        + ", ".join(map(str, undated[:20]))
                    )
                if self.as_of is None and np.isfinite(days).any():
                    self.as_of = dt.date.fromordinal(int(np.nanmax(days)))
                later = [patrols.ids[r] for r, d in zip(rows, days) if self.as_of and d > self.as_of.toordinal()]
                if later:
                    warnings.append(
                        f"{patrols.name}: {len(later)} patrol(s) dated after AS_OF ({self.as_of}) do not "
                        "count for coverage or days since patrol, ids "
                        + _first_ids(later)
                        + "; set AS_OF to a later date to count them."
                    )
            self.patrol_lines = lines
            self.patrols_name = patrols.name
            self.patrol_ids = [patrols.ids[r] for r in rows]
            self.patrol_day = days
        if not self.base_ids and not self.patrol_lines:
            raise MewError("Give bases, patrol tracks, or both: there is nothing to measure coverage from.")
        self.counting = self._counting_patrols()
        self.counting_index = np.nonzero(self.counting)[0]
        self._segments: dict[str, Segments] = {}
        self._check_reach(bases.name if bases is not None else "")

    def _check_reach(self, bases_name: str) -> None:
        """Refuse reaches beyond :data:`MAX_REACH_M` and base zones the analysis CRS cannot draw, before any work.

        Track buffers the CRS cannot draw are refused as they are built (:func:`.geodesic.buffer_lines`), where
        the tracks' coordinates are at hand.
        """
        settings = self.settings
        limit = f"coverage zones are built for reaches up to {MAX_REACH_M:,.0f} m ({MAX_REACH_M / 1000:,.0f} km)"
        rings = [float(r) for r in settings.rings]
        if rings and max(rings) > MAX_REACH_M:
            raise MewError(f"RINGS: {max(rings):,.0f} m is too far: {limit}. Give ring distances in metres up to that.")
        if self.base_ids:
            too_far = np.nonzero(self.base_radius > MAX_REACH_M)[0]
            if too_far.size:
                if np.isscalar(settings.base_radius):
                    raise MewError(
                        f"BASE_RADIUS {self.base_radius[0]:,.0f} m is too far: {limit}. Give the reach "
                        "of a base in metres up to that."
                    )
                raise MewError(
                    f"Bases {_first_ids([self.base_ids[i] for i in too_far])} of '{bases_name}' have a "
                    f"reach above {MAX_REACH_M:,.0f} m in BASE_RADIUS_FIELD: {limit}. Correct the field "
                    "(metres)."
                )
        if self.patrol_lines and settings.patrol_distance > MAX_REACH_M:
            raise MewError(
                f"PATROL_DISTANCE {settings.patrol_distance:,.0f} m is too far: {limit}. Give the reach "
                "either side of a track in metres up to that."
            )
        widest_ring = max(rings, default=0.0)
        if self.base_ids:
            reach = np.maximum(self.base_radius, widest_ring)
            problem = zone_problem(self.geodesy, self.base_lon, self.base_lat, reach)
            if problem is not None:
                base, why = problem
                raise MewError(
                    f"The zone of {reach[base] / 1000:,.0f} km around base {self.base_ids[base]} of "
                    f"'{bases_name}' {why}."
                )

    def segments(self, which: str) -> Segments:
        """Segments of all patrols ("all") or of those that count ("counting"), built on first use."""
        if which == "counting" and self.counting.all():
            which = "all"
        if which not in self._segments:
            lines = self.patrol_lines if which == "all" else [self.patrol_lines[i] for i in self.counting_index]
            self._segments[which] = Segments.from_lines(self.geodesy, lines)
        return self._segments[which]

    def _base_radius(self, bases: Features) -> np.ndarray:
        radius = self.settings.base_radius
        if radius is None:
            raise MewError("Give a base reach: BASE_RADIUS (metres) or BASE_RADIUS_FIELD.")
        if isinstance(radius, Sequence) or isinstance(radius, np.ndarray):
            values = np.array([np.nan if radius[r] is None else float(radius[r]) for r in self.base_rows])
        else:
            values = np.full(self.base_rows.size, float(radius))
        bad = [self.base_ids[i] for i in np.nonzero(~np.isfinite(values) | (values < 0))[0]]
        if bad:
            raise MewError(
                f"Bases {', '.join(map(str, bad[:20]))} have no valid reach in metres: "
                "fill the radius field or set BASE_RADIUS."
            )
        return values

    def _counting_patrols(self) -> np.ndarray:
        n = len(self.patrol_lines)
        if self.settings.patrol_dates is None or n == 0:
            return np.ones(n, dtype=bool)
        age = self.as_of.toordinal() - self.patrol_day if self.as_of else np.full(n, np.nan)
        counts = np.isfinite(age) & (age >= 0)
        if self.settings.window_days and self.settings.window_days > 0:
            counts &= age <= self.settings.window_days
        return counts

    # -- measuring ------------------------------------------------------------------------------
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
        largest reach or ring are not measured and come back as ``inf``.
        """
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
            days = np.full(n, np.nan)
            if self.as_of is not None and self.patrol_lines and np.isfinite(self.patrol_day).any():
                # When every patrol counts, only points within reach of the nearest one can have a patrol nearby.
                candidates = (
                    np.nonzero(dist_patrol <= self.settings.patrol_distance * 1.001 + 1.0)[0]
                    if self.counting.all()
                    else np.arange(n)
                )
                age = self.as_of.toordinal() - self.patrol_day
                age[~(age >= 0)] = np.nan  # patrols after as_of do not count
                best = np.full(n, np.inf)
                best[candidates] = smallest_value_within(
                    self.geodesy,
                    lon[candidates],
                    lat[candidates],
                    self.segments("all"),
                    self.settings.patrol_distance,
                    age,
                )
                days = np.where(np.isfinite(best), best, np.nan)
            out["days_since_patrol"] = days
        progress.step(1.0)
        return out

    # -- zones -------------------------------------------------------------------------------------
    def zone(self, base_radius: np.ndarray, patrol_distance: float | None, progress: Progress = SILENT):
        """Dissolved polygon (analysis CRS) of land within the given reach of bases and counting patrols."""
        parts = [
            self.geodesy.geodesic_circle(lo, la, r, CIRCLE_VERTICES)
            for lo, la, r in zip(self.base_lon, self.base_lat, base_radius)
            if r > 0
        ]
        counting_lines = [line for line, keep in zip(self.patrol_lines, self.counting) if keep]
        if counting_lines and patrol_distance and patrol_distance > 0:
            try:
                parts.append(
                    buffer_lines(
                        self.geodesy, counting_lines, patrol_distance, self.settings.patrol_segments, progress=progress
                    )
                )
            except ZoneError as error:
                patrol = self.patrol_ids[self.counting_index[error.line]]
                raise MewError(
                    f"The zone of {patrol_distance / 1000:,.0f} km around patrol {patrol} of "
                    f"'{self.patrols_name}' {error.why}."
                ) from None
        parts = [p for p in parts if p is not None and not p.is_empty]
        if not parts:
            return None
        return unary_union(parts) if len(parts) > 1 else parts[0]


def analyse_coverage(
    crs: CRS,
    bases: Features | None,
    patrols: Features | None,
    villages: Features | None,
    incidents: Features | None,
    settings: CoverageSettings,
    progress: Progress = SILENT,
    points_measured: Callable[[CoverageResult], None] | None = None,
) -> CoverageResult:
    """Coverage zones, per-village reach and recency, incident counts and a summary.

    All geometries are in ``crs`` (any CRS with an ellipsoid); the zones come
    back in ``crs`` too. ``points_measured``, when given, receives the result
    as soon as the villages and incidents are measured (its zones and summary
    still empty): a caller can write them out while the zones are being built.
    """
    warnings: list[str] = []
    if villages is not None and not len(villages):
        raise MewError(f"The villages layer '{villages.name}' is empty.")
    if incidents is not None and not len(incidents):
        raise MewError(f"The incidents layer '{incidents.name}' is empty.")
    model = CoverageModel(crs, bases, patrols, settings, warnings)
    rings = list(settings.rings)
    progress.step(0.02)

    steps = [("covered", "covered", None)] + [("ring", f"within {d:g} m", d) for d in rings]

    def zone_geometry(distance: float | None, stage: Progress):
        if distance is None:
            return model.zone(model.base_radius, settings.patrol_distance, stage)
        return model.zone(np.full(model.base_radius.size, distance), distance, stage)

    def zones_as_wkb(_share: int) -> list[bytes | None]:
        geometries = []
        for _, _, distance in steps:
            check_stopped()  # after a cancel here, the background ends instead of building the other zones
            geometries.append(zone_geometry(distance, SILENT))
        return [None if g is None else g.wkb for g in geometries]

    # Buffering many tracks is GEOS work for the other cores: it runs in the background (a thread or a forked
    # process, which shares it out again) while this thread measures the villages and incidents.
    in_background = len(model.patrol_lines) >= PARALLEL_MIN_LINES and can_share()
    with Background(zones_as_wkb, [0], side_by_side=in_background) as zones_later:
        geometries: list[Any] = []
        if not in_background:
            for number, (_, _, distance) in enumerate(steps):
                geometries.append(
                    zone_geometry(
                        distance, progress.sub(0.02 + 0.5 * number / len(steps), 0.02 + 0.5 * (number + 1) / len(steps))
                    )
                )
        points_stage = progress.sub(0.52, 0.9) if not in_background else progress.sub(0.02, 0.6)
        village_table: dict[str, np.ndarray] = {}
        village_rows = np.zeros(0, np.int64)
        population = None
        if villages is not None:
            lon, lat, village_rows = _point_coordinates(model.geodesy, villages, warnings, "villages")
            village_table = model.measure(lon, lat, rings, points_stage.sub(0.0, 0.6), recency=True)
            village_table["lon"], village_table["lat"] = lon, lat
            if settings.population is not None:
                population = np.array(settings.population, dtype=float)[village_rows]  # None -> NaN
        incident_table: dict[str, np.ndarray] = {}
        if incidents is not None:
            lon, lat, _ = _point_coordinates(model.geodesy, incidents, warnings, "incidents")
            incident_table = model.measure(lon, lat, rings, points_stage.sub(0.6, 1.0), exact_beyond_reach=False)
        if points_measured is not None:
            points_measured(
                CoverageResult(
                    [], village_table, village_rows, incident_table, [], model.as_of, model.base_rows, warnings
                )
            )
        if in_background:
            zones_wkb: list[bytes | None] = zones_later.results(progress.check)[0]
            geometries = [None if data is None else shapely_wkb.loads(data) for data in zones_wkb]
            progress.step(0.9)
    zones = [
        Zone(
            kind, label, distance, geometry, model.geodesy.polygon_area(geometry) / 1e6 if geometry is not None else 0.0
        )
        for (kind, label, distance), geometry in zip(steps, geometries)
    ]

    raster_people = None
    if settings.population_raster:
        raster_crs = settings.population_raster_crs or crs
        to_raster = Transformer.from_crs(crs, raster_crs, always_xy=True)
        same = CRS.from_user_input(raster_crs) == CRS.from_user_input(crs)
        geometries = [
            None
            if z.geometry is None
            else (
                z.geometry
                if same
                else shapely_transform(lambda x, y, zz=None: transform_xy(to_raster, x, y), z.geometry)
            )
            for z in zones
        ]
        sums, grand = weighted_sums(settings.population_raster, geometries, progress=progress.sub(0.9, 0.99))
        raster_people = (sums, grand)

    summary = _summary(zones, village_table, population, incident_table, raster_people)
    progress.step(1.0)
    return CoverageResult(
        zones, village_table, village_rows, incident_table, summary, model.as_of, model.base_rows, warnings
    )


def _summary(zones, villages, population, incidents, raster_people) -> list[dict[str, Any]]:
    """One row per zone, then 'not covered', 'outside all rings' and 'total'."""
    n_villages = villages["covered"].size if villages else 0
    n_incidents = incidents["covered"].size if incidents else 0
    people = np.nan_to_num(population) if population is not None else None
    masks_v: list[np.ndarray | None] = []
    masks_i: list[np.ndarray | None] = []
    for zone in zones:
        if zone.kind == "covered":
            masks_v.append(villages["covered"] if villages else None)
            masks_i.append(incidents["covered"] if incidents else None)
        else:
            masks_v.append(villages["ring"] <= zone.distance_m if villages else None)
            masks_i.append(incidents["ring"] <= zone.distance_m if incidents else None)
    rows = []
    raster_sums = list(raster_people[0]) if raster_people else [None] * len(zones)
    grand = raster_people[1] if raster_people else None

    def row(zone, label, distance, mv, mi, raster_value):
        record: dict[str, Any] = {"zone": zone, "label": label, "distance_m": distance}
        record["villages"] = int(mv.sum()) if mv is not None else None
        record["villages_share"] = _share(record["villages"], n_villages)
        record["people_field"] = float(people[mv].sum()) if (mv is not None and people is not None) else None
        record["people_field_share"] = _share(
            record["people_field"], float(people.sum()) if people is not None else None
        )
        record["people_raster"] = raster_value
        record["people_raster_share"] = _share(raster_value, grand)
        record["incidents"] = int(mi.sum()) if mi is not None else None
        record["incidents_share"] = _share(record["incidents"], n_incidents)
        return record

    for zone, mv, mi, rs in zip(zones, masks_v, masks_i, raster_sums):
        rows.append(row(zone.kind, zone.label, zone.distance_m, mv, mi, rs))
    covered_v, covered_i, covered_r = masks_v[0], masks_i[0], raster_sums[0]
    rows.append(
        row(
            "not covered",
            "not covered",
            None,
            None if covered_v is None else ~covered_v,
            None if covered_i is None else ~covered_i,
            None if covered_r is None else grand - covered_r,
        )
    )
    if len(zones) > 1:
        last_v, last_i, last_r = masks_v[-1], masks_i[-1], raster_sums[-1]
        rows.append(
            row(
                "outside",
                "outside all rings",
                None,
                None if last_v is None else ~last_v,
                None if last_i is None else ~last_i,
                None if last_r is None else grand - last_r,
            )
        )
    rows.append(
        row(
            "total",
            "total",
            None,
            np.ones(n_villages, bool) if villages else None,
            np.ones(n_incidents, bool) if incidents else None,
            grand,
        )
    )
    return rows


def _share(value, total) -> float | None:
    if value is None or total is None or not total:
        return None
    return float(value) / float(total)
