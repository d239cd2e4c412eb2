"""Coverage gaps: villages out of reach, ranked by risk, with the reasons shown.

The score is a weighted mean of five components, each scaled to 0–1, times 100:

``incidents``  incidents within ``incident_radius_m`` of the village in the last
               ``recent_days`` before ``as_of``, relative to the highest count among
               the ranked villages (or, without incidents, the value of a hot-spot
               raster — density or Gi* z — relative to its highest value there);
``trend``      how far that recent count exceeds the village's earlier rate
               (incidents before the window scaled to the window's length),
               relative to the highest excess: emerging violence weighs more
               than old, steady violence;
``drought``    from a drought raster at the village: VCI (0–100, lower is drier) as
               ``(40 − VCI) / 40`` clipped to 0–1 (Kogan: < 40 is drought), or a
               class code divided by the highest class (higher is worse);
``population`` ``log(1 + people) / log(1 + most people among the ranked villages)``;
``distance``   distance to the nearest coverage over ``distance_scale_m``, clipped.

Components whose input is missing are left out and the weights of the others
renormalised. Every component's value and its points are returned, so an officer
can read why a village is on top.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np
from pyproj import CRS, Transformer

from .coverage_model import point_coordinates
from .coverage_types import Features
from .crs import transform_xy
from .drought.classes import vci_drought_share
from .errors import MewError
from .geodesic import Geodesy, repaired
from .geodesic_search import Segments, nearest_segments, points_within
from .messages import message
from .progress import SILENT, Progress

COMPONENTS = ("incidents", "trend", "drought", "population", "distance")
#: Early warning is about change, and drought multiplies the risk of communal violence: the rise in incidents
#: and drought weigh more than the steady level of incidents.
DEFAULT_WEIGHTS = {"incidents": 0.20, "trend": 0.25, "drought": 0.30, "population": 0.10, "distance": 0.15}
DROUGHT_KINDS = ("vci", "classes")


@dataclass
class RasterInput:
    path: str
    crs: CRS
    band: int = 1


@dataclass
class GapSettings:
    incident_radius_m: float = 10000.0
    recent_days: int = 180
    as_of: dt.date | None = None
    weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    distance_scale_m: float = 30000.0
    include_covered: bool = False
    drought_kind: str = "vci"


@dataclass
class GapResult:
    rows: np.ndarray  # input village row of each ranked village, best first
    table: dict[str, np.ndarray]  # columns aligned with ``rows``
    as_of: dt.date | None
    warnings: list[str]


def sample_raster(raster: RasterInput, crs: CRS, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Pixel values under points given in ``crs`` (NaN outside the raster or on nodata)."""
    import rasterio
    from rasterio.windows import Window

    if CRS.from_user_input(raster.crs) != CRS.from_user_input(crs):
        x, y = transform_xy(Transformer.from_crs(crs, raster.crs, always_xy=True), x, y)
    values = np.full(np.size(x), np.nan)
    with rasterio.open(raster.path) as dataset:
        inverse = ~dataset.transform
        cols, rows = inverse * (np.asarray(x, float), np.asarray(y, float))
        cols, rows = np.floor(cols).astype(np.int64), np.floor(rows).astype(np.int64)
        inside = (rows >= 0) & (rows < dataset.height) & (cols >= 0) & (cols < dataset.width)
        if inside.any():
            r0, r1 = rows[inside].min(), rows[inside].max() + 1
            c0, c1 = cols[inside].min(), cols[inside].max() + 1
            if (r1 - r0) * (c1 - c0) <= 16_000_000:
                block = dataset.read(raster.band, window=Window(c0, r0, c1 - c0, r1 - r0)).astype(float)
                values[inside] = block[rows[inside] - r0, cols[inside] - c0]
            else:
                picked = [
                    v[0] for v in dataset.sample(zip(np.asarray(x)[inside], np.asarray(y)[inside]), indexes=raster.band)
                ]
                values[inside] = np.asarray(picked, float)
        nodata = dataset.nodatavals[raster.band - 1]
        if nodata is not None:
            values[values == nodata] = np.nan
    values[~np.isfinite(values)] = np.nan
    return values


def coverage_distance(
    geodesy: Geodesy,
    coverage: Sequence[Any],
    x: np.ndarray,
    y: np.ndarray,
    lon: np.ndarray,
    lat: np.ndarray,
    progress: Progress = SILENT,
) -> np.ndarray:
    """Geodesic distance (m) from points to the nearest coverage polygon; 0 inside."""
    from shapely.geometry import Point
    from shapely.ops import unary_union
    from shapely.prepared import prep

    polygons = [g for g in coverage if g is not None and not g.is_empty]
    if not polygons:
        raise MewError("The coverage layer has no polygon: run Patrol coverage first or choose a polygon layer.")
    union = unary_union([repaired(g) for g in polygons])
    prepared = prep(union)
    inside = np.array([prepared.contains(Point(a, b)) for a, b in zip(x, y)], dtype=bool)
    segments = Segments.from_lines(geodesy, [union])
    distance = np.zeros(x.size)
    outside = ~inside
    if outside.any():
        distance[outside], _ = nearest_segments(geodesy, lon[outside], lat[outside], segments, progress)
    return distance


def rank_gaps(
    crs: CRS,
    villages: Features,
    coverage: Sequence[Any],
    settings: GapSettings,
    population: Sequence[float | None] | None = None,
    incidents: Features | None = None,
    incident_dates: Sequence[dt.date | None] | None = None,
    hotspots: RasterInput | None = None,
    drought: RasterInput | None = None,
    progress: Progress = SILENT,
) -> GapResult:
    """Rank the villages outside the coverage (or all, with ``include_covered``) by risk."""
    if not len(villages):
        raise MewError("The villages layer '{name}' is empty.", name=villages.name)
    if settings.drought_kind not in DROUGHT_KINDS:
        raise MewError("Drought raster kind must be one of {drought_kinds}.", drought_kinds=", ".join(DROUGHT_KINDS))
    warnings: list[str] = []
    geodesy = Geodesy(crs)
    lon, lat, rows = point_coordinates(geodesy, villages, warnings, "villages")
    if rows.size == 0:
        raise MewError("The villages layer '{name}' has no point with a geometry.", name=villages.name)
    x, y = geodesy.from_lonlat(lon, lat)
    distance = coverage_distance(geodesy, coverage, x, y, lon, lat, progress.sub(0.0, 0.4))
    keep = np.ones(rows.size, bool) if settings.include_covered else distance > 0
    lon, lat, x, y, rows, distance = lon[keep], lat[keep], x[keep], y[keep], rows[keep], distance[keep]
    n = rows.size
    table: dict[str, np.ndarray] = {"dist_cov_m": distance}
    components: dict[str, np.ndarray] = {}
    as_of = settings.as_of

    if incidents is not None and len(incidents):
        ilon, ilat, irows = point_coordinates(geodesy, incidents, warnings, "incidents")
        days = None
        if incident_dates is not None:
            days = np.array([np.nan if incident_dates[r] is None else incident_dates[r].toordinal() for r in irows])
            if as_of is None and np.isfinite(days).any():
                as_of = dt.date.fromordinal(int(np.nanmax(days)))
        radius = np.full(n, settings.incident_radius_m)
        hit_incident, hit_village, _ = points_within(geodesy, ilon, ilat, lon, lat, radius)
        progress.step(0.7)
        if days is not None and as_of is not None:
            age = as_of.toordinal() - days[hit_incident]
            recent_mask = (age >= 0) & (age <= settings.recent_days)
            before_mask = age > settings.recent_days
            recent = np.bincount(hit_village[recent_mask], minlength=n).astype(float)
            before = np.bincount(hit_village[before_mask], minlength=n).astype(float)
            dated = days[np.isfinite(days)]
            span_before = max(as_of.toordinal() - settings.recent_days - float(dated.min()), 1.0) if dated.size else 1
            before_rate = before * settings.recent_days / span_before
            trend = np.maximum(recent - before_rate, 0.0)
            table["inc_recent"], table["inc_before_rate"], table["inc_trend"] = recent, before_rate, trend
            components["incidents"] = _relative(recent)
            components["trend"] = _relative(trend)
            undated = int(np.isnan(days).sum())
            if undated:
                warnings.append(
                    message(
                        "{name}: {undated} incident(s) without a date were not counted.",
                        name=incidents.name,
                        undated=undated,
                    )
                )
        else:
            recent = np.bincount(hit_village, minlength=n).astype(float)
            table["inc_recent"] = recent
            components["incidents"] = _relative(recent)
    elif hotspots is not None:
        value = sample_raster(hotspots, crs, x, y)
        table["hotspot_value"] = value
        components["incidents"] = _relative(np.nan_to_num(np.maximum(value, 0.0)))

    if drought is not None:
        value = sample_raster(drought, crs, x, y)
        table["drought_value"] = value
        if settings.drought_kind == "vci":
            components["drought"] = vci_drought_share(np.nan_to_num(value, nan=100.0))
        else:
            components["drought"] = _relative(np.nan_to_num(np.maximum(value, 0.0)))

    if population is not None:
        people = np.array([np.nan if population[r] is None else float(population[r]) for r in rows])
        table["population"] = people
        logs = np.log1p(np.nan_to_num(np.maximum(people, 0.0)))
        components["population"] = logs / logs.max() if logs.size and logs.max() > 0 else np.zeros(n)

    components["distance"] = np.clip(distance / max(settings.distance_scale_m, 1.0), 0.0, 1.0)

    weights = {k: max(float(settings.weights.get(k, 0.0)), 0.0) for k in components}
    total = sum(weights.values())
    if total <= 0:
        raise MewError("All weights of the available risk components are zero: give at least one a weight.")
    score = np.zeros(n)
    for key, component in components.items():
        points = 100.0 * weights[key] / total * component
        table[f"pts_{key}"] = points
        score += points
    table["score"] = score
    order = np.lexsort((-distance, -score))
    table = {k: v[order] for k, v in table.items()}
    table["rank"] = np.arange(1, n + 1)
    table["reason"] = np.array([_reason(table, i) for i in range(n)], dtype=object)
    progress.step(1.0)
    return GapResult(rows[order], table, as_of, warnings)


def _relative(values: np.ndarray) -> np.ndarray:
    top = float(values.max()) if values.size else 0.0
    return values / top if top > 0 else np.zeros_like(values, dtype=float)


def _reason(table: dict[str, np.ndarray], i: int) -> str:
    """The largest contributions to a village's score, in words."""
    words = {
        "incidents": lambda: (
            message("{count:.0f} recent incidents nearby", count=table["inc_recent"][i])
            if "inc_recent" in table
            else message("hot-spot value {value:.3g}", value=table["hotspot_value"][i])
        ),
        "trend": lambda: message("incidents rising (+{rise:.0f} over the earlier rate)", rise=table["inc_trend"][i]),
        "drought": lambda: message("drought (value {value:.0f})", value=table["drought_value"][i]),
        "population": lambda: message("{people:,.0f} people", people=table["population"][i]),
        "distance": lambda: message("{km:.1f} km from coverage", km=table["dist_cov_m"][i] / 1000),
    }
    contributions = sorted(((table[f"pts_{k}"][i], k) for k in COMPONENTS if f"pts_{k}" in table), reverse=True)
    parts = [words[k]() for points, k in contributions[:3] if points >= 1.0]
    return "; ".join(parts) if parts else message("low on every component")
