"""Generate the demo mission: synthetic exercise data with planted truth.

Everything here is **synthetic exercise data** (mission "Exercise SAHEL
SENTINEL", classification "EXERCISE — SYNTHETIC DATA"): the setting is
central Mali, UTM zone 30N (EPSG:32630), a 200 km × 200 km area of operations
(x 300000–500000, y 1500000–1700000). Actor names are invented; no real
event is described.

The same seed gives the same content (attributes, geometries, raster values).

Package layout (``generate_mission(output_dir)`` writes it and returns the folder)::

    manifest.json                         the package description (data, never code)
    truth.json                            what was planted, for tests
    vectors.gpkg                          EPSG:32630 layers:
        synthetic_ao_boundary             the AO polygon
        synthetic_sectors                 sector_id S1..S9 (3×3; S1 south-west, west→east, south→north), name
        synthetic_bases                   base_id B01..B08, name, base_type, patrol_radius_m
        synthetic_villages                village_id, name, population, sector_id (400 drawn, 1 planted)
        synthetic_patrol_tracks           patrol_id, base_id, patrol_date (date), start_time (datetime)
    incidents/synthetic_acled_incidents.csv   ACLED column set, EPSG:4326, with deliberate bad rows
    patrols/synthetic_patrol_tracks.gpx   the same tracks as GPS tracks (trkpt times)
    rasters/synthetic_population_100m.tif people per 100 m pixel, float32, nodata -99999
    rasters/synthetic_ndvi_stack.tif      int16 NDVI ×10000 (scale 0.0001), nodata -3000, 250 m,
                                          one band per year 2015–2026 (MODIS DOY 257 composite),
                                          band description = ISO date
    rasters/synthetic_ndvi_cloudmask.tif  uint8, same grid and bands: 1 = cloud (bad), 0 = clear

``truth.json`` keys:

- ``seed``, ``crs``, ``ao_bounds`` [xmin, ymin, xmax, ymax]
- ``period``: ``first_month`` "2023-11", ``last_month`` "2026-10", ``months`` 36, ``month_starts``,
  ``as_of`` "2026-10-31"
- ``incidents``: ``csv``, ``rows`` (data records), ``valid`` (records a correct importer keeps),
  ``bad_rows`` [{``line`` (file line, header = 1), ``event_id_cnty``, ``reason`` (missing_date |
  unparseable_date | swapped_lat_lon | out_of_range | duplicate_id)}], ``background_events``
- ``hotspots``: [{``name`` persistent | emerging | diminishing, ``center`` [x, y], ``center_lonlat``,
  ``sigma_m``, ``radius_m`` (cells whose centre lies within it belong to the hotspot),
  ``monthly_counts`` [36], ``expected_categories``}]
- ``villages``: ``known_distance`` [{``village_id``, ``base_id``, ``distance_m`` (geodesic on WGS 84),
  ``azimuth_deg``}] (no patrol passes within ``patrols.clearance_m`` of them, and base B01 runs no
  patrols), ``at_risk`` [{``village_id``, ``near`` emerging_hotspot | drought_patch,
  ``nearest_base_m``}]
- ``patrols``: ``as_of``, ``patrol_distance_m`` 2000, ``clearance_m``, ``tracks``, ``recency``
  [{``village_id``, ``last_patrol_date``, ``days_since_patrol``}] for villages a track passes within
  ``patrol_distance_m`` (only villages clear of the ±50 m ambiguity band), ``never_patrolled`` [ids]
- ``forecast``: a forecast issued at the start of month ``forecast_months`` + 1 from months 1..30 of the planted
  history, judged on months 31..36 (``start``, ``end``): ``areas`` [{``name`` (the planted hot spot), ``wkt``
  (EPSG:32630: the square of side 2 ``radius_m`` on its centre), ``incidents_before`` (planted, months 1..30; the
  forecast's rank), ``continues`` (planted incidents in the window), ``visits`` [{``patrol_id``, ``date``,
  ``distance_m``}] (tracks dated in the window within ``patrol_distance_m`` of the square), ``first_visit``,
  ``days_to_first_visit``, ``nearest_track_m``}] for the hot spots with a history, ``unforeseen`` (hot spots that
  start in the window); ``patrol_distance_m`` (15 km, a company operating base's patrol radius; no track in the
  window lies within 100 m of it from an area); ``incidents`` {``in_window`` (N, every valid record dated in the
  window: all lie in the AO), ``in_areas`` (n, those the squares cover), ``hit_rate``, ``edge_margin_m`` (the
  least distance of a window incident, as written to 4 decimals of a degree, to a square's edge)}. Derived from
  what is planted above: no random draw is added.
- ``ndvi``: ``dates``, ``scale``, ``nodata``, ``baseline_years`` [2015, 2024], ``before_date`` (2025),
  ``after_date`` (2026), ``drought_patch`` {``wkt``, ``sector_id``, ``vci_range``},
  ``recovery_patch`` {``wkt``, ``sector_id``}, ``clouds`` [{``date``, ``band``, ``wkt``}],
  ``nodata_stripe`` {``date``, ``band``, ``rows``}, ``lake`` {``wkt``} (nodata in every band),
  ``background_vci_range``
- ``early_warning``: ``planted_cell`` {``village_id``, ``point`` [x, y], ``population``, ``hotspot``
  "emerging", ``never_patrolled``}: the one place where the drought patch, the emerging hot spot's cells
  and an unpatrolled village meet. The drought patch and the emerging hot spot's ``radius_m`` do not overlap,
  but the emerging hot spot analysis marks the 5 km cells over the patch's south-east end hot; no village
  lay there (villages keep 15 km from the hot spot's centre), so the village ``WARNING_VILLAGE`` is planted
  in the patch, 11 km north-west of the hot spot's centre. It is added after every random draw (its name
  and population are fixed, not drawn): all other planted data and draws stay as they were. It is the
  401st village and also an ``at_risk`` village (``near`` drought_patch).
"""

from __future__ import annotations

import argparse
import calendar
import csv
import json
import math
import os
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import numpy as np
import rasterio
from osgeo import gdal, ogr, osr
from pyproj import Geod, Transformer
from rasterio.transform import from_origin
from shapely import affinity
from shapely.geometry import LineString, Point, Polygon, box

DEFAULT_SEED = 20261121
EPSG = 32630
X0, Y0, SIZE = 300_000.0, 1_500_000.0, 200_000.0
MISSION = "Exercise SAHEL SENTINEL"
CLASSIFICATION = "EXERCISE — SYNTHETIC DATA"
FIRST_MONTH = (2023, 11)
MONTHS = 36
AS_OF = date(2026, 10, 31)
NDVI_YEARS = list(range(2015, 2027))
BASELINE = (2015, 2024)
NDVI_PIXEL = 250.0
POP_PIXEL = 100.0
NDVI_NODATA = -3000
POP_NODATA = -99999.0
PATROL_DISTANCE = 2000.0
PATROL_CLEARANCE = 30_000.0
#: The forecast is made from months 1..FORECAST_MONTHS and judged on the months after; patrols within this reach.
FORECAST_MONTHS = 30
FORECAST_PATROL_DISTANCE = 15_000.0
GPKG = "vectors.gpkg"
CSV_PATH = "incidents/synthetic_acled_incidents.csv"
GPX_PATH = "patrols/synthetic_patrol_tracks.gpx"
POP_PATH = "rasters/synthetic_population_100m.tif"
NDVI_PATH = "rasters/synthetic_ndvi_stack.tif"
MASK_PATH = "rasters/synthetic_ndvi_cloudmask.tif"

#: The village of the planted early-warning cell: (name, people, (x, y) km from the AO's south-west corner), in
#: the drought patch and in a cell the emerging hot spot analysis marks hot (5 km cells), 55 km from any track.
WARNING_VILLAGE = ("Sinkoré-Nord", 14000, (165.0, 175.0))

GEOD = Geod(ellps="WGS84")
TO_LONLAT = Transformer.from_crs(EPSG, 4326, always_xy=True)
FROM_LONLAT = Transformer.from_crs(4326, EPSG, always_xy=True)

# (id, name, type, patrol radius m, local x km, local y km)
BASES = [
    ("B01", "Super Camp Alpha", "Super camp", 20000, 35, 35),
    ("B02", "COB Bravo", "Company operating base", 15000, 100, 30),
    ("B03", "COB Charlie", "Company operating base", 15000, 165, 35),
    ("B04", "COB Delta", "Company operating base", 15000, 40, 100),
    ("B05", "Super Camp Echo", "Super camp", 20000, 100, 95),
    ("B06", "TOB Foxtrot", "Temporary operating base", 10000, 165, 90),
    ("B07", "TOB Golf", "Temporary operating base", 10000, 35, 165),
    ("B08", "COB Hotel", "Company operating base", 15000, 95, 160),
]
# Villages placed at known geodesic distances (m) and azimuths (deg) from B01, which runs no patrols.
KNOWN_DISTANCES = [
    (2500, 10),
    (4000, 55),
    (7000, 100),
    (9000, 145),
    (12500, 190),
    (17500, 235),
    (22500, 280),
    (28000, 325),
]
CERCLES = ["Djenné", "Mopti", "Bandiagara", "Tenenkou", "Mopti", "Bankass", "Youwarou", "Douentza", "Koro"]
SYLLABLES = [
    "Ba",
    "Di",
    "Ko",
    "Sa",
    "Dou",
    "Fa",
    "Ni",
    "Ta",
    "Mo",
    "Kon",
    "Se",
    "Bou",
    "Dia",
    "Ga",
    "Sé",
    "Ye",
    "Tou",
    "Ka",
    "Sin",
    "Dem",
]
ENDINGS = ["ra", "bo", "ni", "gou", "ré", "na", "li", "ko", "dé", "kan", "ga", "mbé"]
ACLED_COLUMNS = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
]
# (event_type, sub_event_type, disorder_type, actor1, inter1, actor2, inter2, civilian targeting, fatality mean)
EVENT_KINDS = [
    (
        "Violence against civilians",
        "Attack",
        "Political violence",
        "Armed Group A (synthetic)",
        2,
        "Civilians (synthetic)",
        7,
        "Civilian targeting",
        2.0,
    ),
    (
        "Battles",
        "Armed clash",
        "Political violence",
        "State Forces (synthetic)",
        1,
        "Armed Group A (synthetic)",
        2,
        "",
        3.0,
    ),
    (
        "Explosions/Remote violence",
        "Remote explosive/landmine/IED",
        "Political violence",
        "Armed Group A (synthetic)",
        2,
        "State Forces (synthetic)",
        1,
        "",
        1.5,
    ),
    (
        "Violence against civilians",
        "Abduction/forced disappearance",
        "Political violence",
        "Communal Militia B (synthetic)",
        4,
        "Civilians (synthetic)",
        7,
        "Civilian targeting",
        0.2,
    ),
    (
        "Battles",
        "Armed clash",
        "Political violence",
        "Communal Militia B (synthetic)",
        4,
        "Communal Militia C (synthetic)",
        4,
        "",
        2.5,
    ),
    (
        "Strategic developments",
        "Looting/property destruction",
        "Strategic developments",
        "Communal Militia C (synthetic)",
        4,
        "Civilians (synthetic)",
        7,
        "",
        0.0,
    ),
]


def local(x_km: float, y_km: float) -> tuple[float, float]:
    """Map coordinates of a point given in km from the AO's south-west corner."""
    return X0 + x_km * 1000.0, Y0 + y_km * 1000.0


def month_start(index: int) -> date:
    """First day of month ``index`` of the incident period (1 = the first month)."""
    total = FIRST_MONTH[0] * 12 + FIRST_MONTH[1] - 1 + index - 1
    return date(total // 12, total % 12 + 1, 1)


def sector_of(x: float, y: float) -> str:
    col = min(int((x - X0) // (SIZE / 3)), 2)
    row = min(int((y - Y0) // (SIZE / 3)), 2)
    return f"S{row * 3 + col + 1}"


@dataclass
class Village:
    village_id: str
    name: str
    x: float
    y: float
    population: int


@dataclass
class Track:
    patrol_id: str
    base_id: str
    day: date
    start: datetime
    line: LineString


class _Builder:
    """Draws every random quantity in one fixed order from one generator."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.rng = np.random.default_rng(seed)
        self.truth: dict[str, Any] = {"seed": seed, "crs": f"EPSG:{EPSG}", "ao_bounds": [X0, Y0, X0 + SIZE, Y0 + SIZE]}
        self.names: set[str] = set()

    # --- places -------------------------------------------------------------------------------
    def village_name(self) -> str:
        while True:
            parts = self.rng.integers(0, len(SYLLABLES), 2)
            name = SYLLABLES[parts[0]] + SYLLABLES[parts[1]].lower() + ENDINGS[self.rng.integers(0, len(ENDINGS))]
            if name not in self.names:
                self.names.add(name)
                return name

    def drought_patch(self) -> Polygon:
        cx, cy = local(158, 176)
        return affinity.rotate(affinity.scale(Point(cx, cy).buffer(1000.0, 64), 16, 9), 20, origin=(cx, cy))

    def recovery_patch(self) -> Polygon:
        cx, cy = local(110, 40)
        return affinity.rotate(affinity.scale(Point(cx, cy).buffer(1000.0, 64), 12, 8), -15, origin=(cx, cy))

    def lake(self) -> Polygon:
        return Point(*local(70, 150)).buffer(4000.0, 64)

    def villages(self, hotspots: dict[str, tuple[float, float]]) -> tuple[list[Village], dict[str, Any]]:
        villages: list[Village] = []
        known, at_risk = [], []
        b01 = BASES[0]
        blon, blat = TO_LONLAT.transform(*local(b01[4], b01[5]))
        for distance, azimuth in KNOWN_DISTANCES:
            lon, lat, _ = GEOD.fwd(blon, blat, azimuth, distance)
            x, y = FROM_LONLAT.transform(lon, lat)
            vid = f"V{len(villages) + 1:04d}"
            villages.append(Village(vid, self.village_name(), x, y, int(self.rng.integers(500, 1500))))
            known.append(
                {"village_id": vid, "base_id": b01[0], "distance_m": float(distance), "azimuth_deg": float(azimuth)}
            )
        ex, ey = hotspots["emerging"]
        patch = self.drought_patch()
        pcx, pcy = patch.centroid.x, patch.centroid.y
        for near, (dx, dy) in [
            ("emerging_hotspot", (3000, 1000)),
            ("emerging_hotspot", (-2500, 3000)),
            ("emerging_hotspot", (1000, -4000)),
            ("drought_patch", (-5000, 0)),
            ("drought_patch", (6000, 2000)),
        ]:
            cx, cy = (ex, ey) if near == "emerging_hotspot" else (pcx, pcy)
            vid = f"V{len(villages) + 1:04d}"
            villages.append(Village(vid, self.village_name(), cx + dx, cy + dy, int(self.rng.integers(2500, 5000))))
            at_risk.append({"village_id": vid, "near": near})
        planted = [Point(v.x, v.y) for v in villages]
        keep_out = [Point(ex, ey).buffer(15000.0), patch.buffer(5000.0), self.lake().buffer(1000.0)]
        while len(villages) < 400:
            x, y = local(*self.rng.uniform(2, 198, 2))
            p = Point(x, y)
            if any(area.contains(p) for area in keep_out):
                continue
            if any(p.distance(q) < 3000.0 for q in planted):
                continue
            if any(math.hypot(v.x - x, v.y - y) < 1500.0 for v in villages):
                continue
            vid = f"V{len(villages) + 1:04d}"
            population = int(np.clip(self.rng.lognormal(6.8, 0.8), 80, 25000))
            villages.append(Village(vid, self.village_name(), x, y, population))
        base_points = [(local(b[4], b[5])) for b in BASES]
        for record in at_risk:
            v = next(v for v in villages if v.village_id == record["village_id"])
            vlon, vlat = TO_LONLAT.transform(v.x, v.y)
            record["nearest_base_m"] = min(
                GEOD.inv(vlon, vlat, *TO_LONLAT.transform(bx, by))[2] for bx, by in base_points
            )
        return villages, {"known_distance": known, "at_risk": at_risk}

    # --- patrols ------------------------------------------------------------------------------
    def tracks(self, villages: list[Village], planted_ids: set[str]) -> list[Track]:
        planted = [Point(v.x, v.y) for v in villages if v.village_id in planted_ids]
        ordinary = [v for v in villages if v.village_id not in planted_ids]
        tracks: list[Track] = []
        for base_id, _name, _type, radius, bx_km, by_km in BASES[1:]:
            bx, by = local(bx_km, by_km)
            reachable = [v for v in ordinary if math.hypot(v.x - bx, v.y - by) <= 1.3 * radius]
            made = 0
            while made < 40:
                target = reachable[self.rng.integers(0, len(reachable))]
                day = AS_OF - timedelta(days=int(self.rng.integers(0, 180)))
                line = self._loop(bx, by, target.x, target.y)
                if min(line.distance(p) for p in planted) < PATROL_CLEARANCE:
                    continue
                made += 1
                start = datetime(
                    day.year,
                    day.month,
                    day.day,
                    int(self.rng.integers(5, 10)),
                    int(self.rng.integers(0, 60)),
                    tzinfo=timezone.utc,
                )
                tracks.append(Track(f"{base_id}-P{made:03d}", base_id, day, start, line))
        tracks.sort(key=lambda t: (t.day, t.patrol_id))
        return tracks

    def _loop(self, bx: float, by: float, tx: float, ty: float) -> LineString:
        """Out to the target and back by another way, ~1 km vertices with GPS-like wander."""
        length = math.hypot(tx - bx, ty - by)
        nx, ny = (-(ty - by) / length, (tx - bx) / length) if length > 0 else (1.0, 0.0)
        side = float(self.rng.uniform(0.15, 0.35)) * length
        mx, my = (bx + tx) / 2, (by + ty) / 2
        waypoints = [(bx, by), (mx + nx * side, my + ny * side), (tx, ty), (mx - nx * side, my - ny * side), (bx, by)]
        coords: list[tuple[float, float]] = []
        for (ax, ay), (cx, cy) in zip(waypoints[:-1], waypoints[1:]):
            steps = max(int(math.hypot(cx - ax, cy - ay) // 1000.0), 1)
            for k in range(steps):
                f = k / steps
                wander = self.rng.normal(0.0, 150.0, 2) if k else np.zeros(2)
                coords.append((ax + (cx - ax) * f + wander[0], ay + (cy - ay) * f + wander[1]))
        coords.append((bx, by))
        return LineString(coords)

    # --- incidents ----------------------------------------------------------------------------
    def incidents(self, villages: list[Village]) -> tuple[list[dict[str, Any]], list[dict[str, Any]], int]:
        hot = self.hotspot_plan()
        events: list[tuple[date, float, float, int]] = []  # (day, x, y, kind index)
        for spot in hot:
            cx, cy = spot["center"]
            for m, count in enumerate(spot["monthly_counts"]):
                for _ in range(count):
                    x, y = self.rng.normal((cx, cy), spot["sigma_m"])
                    events.append((self._day_in(m), x, y, spot["kinds"][self.rng.integers(0, len(spot["kinds"]))]))
        background = 0
        for m in range(MONTHS):
            for _ in range(int(self.rng.poisson(40))):
                if self.rng.random() < 0.8:
                    x, y = local(*self.rng.uniform(0.5, 199.5, 2))
                else:
                    v = villages[self.rng.integers(0, len(villages))]
                    x, y = self.rng.normal((v.x, v.y), 1500.0)
                    x, y = float(np.clip(x, X0 + 100, X0 + SIZE - 100)), float(np.clip(y, Y0 + 100, Y0 + SIZE - 100))
                events.append((self._day_in(m), x, y, int(self.rng.integers(0, len(EVENT_KINDS)))))
                background += 1
        events.sort(key=lambda e: (e[0], e[1], e[2]))
        village_xy = np.array([(v.x, v.y) for v in villages])
        rows = []
        for i, (day, x, y, kind) in enumerate(events):
            rows.append(self._acled_row(f"MLI{40001 + i}", day, x, y, kind, villages, village_xy))
        for spot in hot:
            spot.pop("kinds")
        self.truth["hotspots"] = hot
        return rows, hot, background

    def hotspot_plan(self) -> list[dict[str, Any]]:
        persistent = [int(self.rng.poisson(14)) for _ in range(MONTHS)]
        emerging = [0] * (MONTHS - 6) + [3, 6, 10, 14, 18, 24]
        diminishing = [round(24 - 21 * m / (MONTHS - 1)) for m in range(MONTHS)]
        plan = [
            ("persistent", local(60, 130), persistent, ["persistent", "consecutive", "intensifying"], [0, 1, 3]),
            ("emerging", local(170, 165), emerging, ["new", "consecutive", "intensifying"], [0, 1, 4]),
            ("diminishing", local(130, 55), diminishing, ["diminishing", "historical"], [2, 1]),
        ]
        spots = []
        for name, (cx, cy), counts, categories, kinds in plan:
            lon, lat = TO_LONLAT.transform(cx, cy)
            spots.append(
                {
                    "name": name,
                    "center": [cx, cy],
                    "center_lonlat": [lon, lat],
                    "sigma_m": 3000.0,
                    "radius_m": 6000.0,
                    "monthly_counts": counts,
                    "expected_categories": categories,
                    "kinds": kinds,
                }
            )
        return spots

    def _day_in(self, m: int) -> date:
        first = month_start(m + 1)
        days = calendar.monthrange(first.year, first.month)[1]
        return first + timedelta(days=int(self.rng.integers(0, days)))

    def _acled_row(
        self, event_id: str, day: date, x: float, y: float, kind: int, villages: list[Village], village_xy: np.ndarray
    ) -> dict[str, Any]:
        event_type, sub_type, disorder, actor1, inter1, actor2, inter2, targeting, fatality_mean = EVENT_KINDS[kind]
        lon, lat = TO_LONLAT.transform(x, y)
        nearest = villages[int(np.argmin(np.hypot(village_xy[:, 0] - x, village_xy[:, 1] - y)))]
        sector = sector_of(x, y)
        fatalities = int(self.rng.poisson(fatality_mean))
        precision = int(self.rng.choice([1, 1, 1, 1, 1, 1, 1, 2, 2, 3]))
        return {
            "event_id_cnty": event_id,
            "event_date": f"{day.day:02d} {calendar.month_name[day.month]} {day.year}",
            "year": day.year,
            "time_precision": 1,
            "disorder_type": disorder,
            "event_type": event_type,
            "sub_event_type": sub_type,
            "actor1": actor1,
            "assoc_actor_1": "",
            "inter1": inter1,
            "actor2": actor2,
            "assoc_actor_2": "",
            "inter2": inter2,
            "interaction": int(f"{min(inter1, inter2)}{max(inter1, inter2)}"),
            "civilian_targeting": targeting,
            "iso": 466,
            "region": "Western Africa",
            "country": "Mali",
            "admin1": "Mopti",
            "admin2": CERCLES[int(sector[1:]) - 1],
            "admin3": f"{nearest.name} (synthetic)",
            "location": nearest.name,
            "latitude": f"{lat:.4f}",
            "longitude": f"{lon:.4f}",
            "geo_precision": precision,
            "source": "Synthetic exercise reporting",
            "source_scale": "Local partner",
            "notes": f"SYNTHETIC EXERCISE DATA. On {day.isoformat()}, {actor1} — {sub_type.lower()} near "
            f"{nearest.name}, {CERCLES[int(sector[1:]) - 1]} cercle. [{fatalities} fatalities]",
            "fatalities": fatalities,
            "tags": "",
            "timestamp": int(datetime(day.year, day.month, day.day, tzinfo=timezone.utc).timestamp()) + 1209600,
        }

    def plant_bad_rows(self, rows: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """Insert deliberately broken records at fixed positions; return rows and their truth."""
        bad: list[tuple[int, dict[str, Any], str]] = []
        spares = [dict(rows[i]) for i in self.rng.choice(len(rows), 7, replace=False)]
        for n, spare in enumerate(spares):
            spare["event_id_cnty"] = f"MLI{90001 + n}"
        spares[0]["event_date"] = ""
        spares[1]["event_date"] = ""
        spares[2]["event_date"] = "32 Octember 2025"
        for spare in spares[3:5]:  # latitude and longitude exchanged
            spare["latitude"], spare["longitude"] = spare["longitude"], spare["latitude"]
        spares[5]["latitude"] = "114.5210"
        spares[6]["longitude"] = "-400.1200"
        reasons = [
            "missing_date",
            "missing_date",
            "unparseable_date",
            "swapped_lat_lon",
            "swapped_lat_lon",
            "out_of_range",
            "out_of_range",
        ]
        duplicate_of = int(self.rng.integers(100, len(rows) - 100))
        bad.append((duplicate_of + 1, dict(rows[duplicate_of]), "duplicate_id"))
        positions = sorted(int(p) for p in self.rng.choice(np.arange(50, len(rows) - 50), len(spares), replace=False))
        bad.extend((pos, spare, reason) for pos, spare, reason in zip(positions, spares, reasons))
        out = list(rows)
        for pos, row, _reason in sorted(bad, key=lambda b: b[0], reverse=True):
            out.insert(pos, row)
        truth = []
        for line, row in enumerate(out, start=2):
            for _pos, bad_row, reason in bad:
                if row is bad_row:
                    truth.append({"line": line, "event_id_cnty": row["event_id_cnty"], "reason": reason})
        return out, truth

    # --- rasters ------------------------------------------------------------------------------
    def smooth_field(self, xs: np.ndarray, ys: np.ndarray, waves: int = 12) -> np.ndarray:
        """A smooth random field of unit standard deviation (wavelengths 20–90 km)."""
        field = np.zeros(np.broadcast(xs, ys).shape)
        for _ in range(waves):
            wavelength = self.rng.uniform(20_000, 90_000)
            angle = self.rng.uniform(0, math.pi)
            phase = self.rng.uniform(0, 2 * math.pi)
            k = 2 * math.pi / wavelength
            field += np.cos(k * (xs * math.cos(angle) + ys * math.sin(angle)) + phase)
        return field / math.sqrt(waves / 2)


def _rasterize(shape: Polygon, transform, out_shape: tuple[int, int]) -> np.ndarray:
    from rasterio.features import rasterize

    return rasterize([(shape, 1)], out_shape=out_shape, transform=transform, fill=0, dtype="uint8").astype(bool)


def _write_vectors(path: Path, villages: list[Village], tracks: list[Track]) -> None:
    gdal.SetConfigOption("OGR_CURRENT_DATE", "2026-11-01T00:00:00Z")  # same bytes for the same seed
    driver = ogr.GetDriverByName("GPKG")
    ds = driver.CreateDataSource(str(path))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(EPSG)

    def layer(name: str, geom_type: int, fields: list[tuple[str, int]], description: str):
        lyr = ds.CreateLayer(
            name,
            srs,
            geom_type,
            options=[f"IDENTIFIER={description}", f"DESCRIPTION={description}. SYNTHETIC EXERCISE DATA."],
        )
        for field_name, field_type in fields:
            lyr.CreateField(ogr.FieldDefn(field_name, field_type))
        return lyr

    def add(lyr, geometry, values: dict[str, Any]) -> None:
        feature = ogr.Feature(lyr.GetLayerDefn())
        for key, value in values.items():
            if isinstance(value, datetime):
                feature.SetField(key, value.year, value.month, value.day, value.hour, value.minute, value.second, 100)
            elif isinstance(value, date):
                feature.SetField(key, value.year, value.month, value.day, 0, 0, 0, 0)
            else:
                feature.SetField(key, value)
        feature.SetGeometry(ogr.CreateGeometryFromWkb(geometry.wkb))
        lyr.CreateFeature(feature)

    ao = layer("synthetic_ao_boundary", ogr.wkbPolygon, [("name", ogr.OFTString)], "AO boundary (synthetic)")
    add(ao, box(X0, Y0, X0 + SIZE, Y0 + SIZE), {"name": f"{MISSION} area of operations (synthetic)"})
    sectors = layer(
        "synthetic_sectors",
        ogr.wkbPolygon,
        [("sector_id", ogr.OFTString), ("name", ogr.OFTString)],
        "Sectors (synthetic)",
    )
    third = SIZE / 3
    for row in range(3):
        for col in range(3):
            sid = f"S{row * 3 + col + 1}"
            cell = box(X0 + col * third, Y0 + row * third, X0 + (col + 1) * third, Y0 + (row + 1) * third)
            add(sectors, cell, {"sector_id": sid, "name": f"Sector {sid[1:]} – {CERCLES[row * 3 + col]} (synthetic)"})
    bases = layer(
        "synthetic_bases",
        ogr.wkbPoint,
        [
            ("base_id", ogr.OFTString),
            ("name", ogr.OFTString),
            ("base_type", ogr.OFTString),
            ("patrol_radius_m", ogr.OFTInteger),
        ],
        "Bases (synthetic)",
    )
    for base_id, name, base_type, radius, x_km, y_km in BASES:
        add(
            bases,
            Point(*local(x_km, y_km)),
            {"base_id": base_id, "name": name, "base_type": base_type, "patrol_radius_m": radius},
        )
    vil = layer(
        "synthetic_villages",
        ogr.wkbPoint,
        [
            ("village_id", ogr.OFTString),
            ("name", ogr.OFTString),
            ("population", ogr.OFTInteger),
            ("sector_id", ogr.OFTString),
        ],
        "Villages (synthetic)",
    )
    for v in villages:
        add(
            vil,
            Point(v.x, v.y),
            {"village_id": v.village_id, "name": v.name, "population": v.population, "sector_id": sector_of(v.x, v.y)},
        )
    trk = layer(
        "synthetic_patrol_tracks",
        ogr.wkbLineString,
        [
            ("patrol_id", ogr.OFTString),
            ("base_id", ogr.OFTString),
            ("patrol_date", ogr.OFTDate),
            ("start_time", ogr.OFTDateTime),
        ],
        "Patrol tracks (synthetic)",
    )
    for t in tracks:
        add(trk, t.line, {"patrol_id": t.patrol_id, "base_id": t.base_id, "patrol_date": t.day, "start_time": t.start})
    ds = None
    gdal.SetConfigOption("OGR_CURRENT_DATE", None)


def _write_gpx(path: Path, tracks: list[Track]) -> None:
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<gpx version="1.1" creator="Mission Early Warning demo generator (SYNTHETIC EXERCISE DATA)" '
        'xmlns="http://www.topografix.com/GPX/1/1">',
        f"  <metadata><name>{escape(MISSION)} patrol tracks (synthetic)</name></metadata>",
    ]
    for t in tracks:
        lines.append(
            f"  <trk><name>{t.patrol_id}</name><desc>base {t.base_id}; {t.day.isoformat()}; "
            "SYNTHETIC EXERCISE DATA</desc><type>patrol</type><trkseg>"
        )
        xs, ys = np.asarray(t.line.coords).T
        lons, lats = TO_LONLAT.transform(xs, ys)
        elapsed = np.concatenate([[0.0], np.cumsum(np.hypot(np.diff(xs), np.diff(ys)))]) / (30_000 / 3600)
        for lon, lat, seconds in zip(lons, lats, elapsed):
            stamp = (t.start + timedelta(seconds=int(seconds))).strftime("%Y-%m-%dT%H:%M:%SZ")
            lines.append(f'    <trkpt lat="{lat:.6f}" lon="{lon:.6f}"><time>{stamp}</time></trkpt>')
        lines.append("  </trkseg></trk>")
    lines.append("</gpx>")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _write_raster(
    path: Path,
    bands: np.ndarray,
    transform,
    nodata,
    descriptions: list[str] | None = None,
    tags: dict[str, str] | None = None,
    scale: float | None = None,
) -> None:
    count, height, width = bands.shape
    profile = {
        "driver": "GTiff",
        "width": width,
        "height": height,
        "count": count,
        "dtype": bands.dtype.name,
        "crs": f"EPSG:{EPSG}",
        "transform": transform,
        "tiled": True,
        "blockxsize": 256,
        "blockysize": 256,
        "compress": "deflate",
        "predictor": 2,
        "interleave": "band",
    }
    if nodata is not None:
        profile["nodata"] = nodata
    with rasterio.Env(GDAL_TIFF_INTERNAL_MASK=True), rasterio.open(path, "w", **profile) as dst:
        dst.write(bands)
        dst.update_tags(DATA="SYNTHETIC EXERCISE DATA", MISSION=MISSION, **(tags or {}))
        for i, text in enumerate(descriptions or [], start=1):
            dst.set_band_description(i, text)
            dst.update_tags(i, DATE=text)
        if scale is not None:
            dst.scales = [scale] * count
            dst.offsets = [0.0] * count


def _patrol_recency(villages: list[Village], tracks: list[Track]) -> tuple[list[dict[str, Any]], list[str]]:
    recency, never = [], []
    for v in villages:
        p = Point(v.x, v.y)
        distances = [(t.line.distance(p), t.day) for t in tracks]
        if any(abs(d - PATROL_DISTANCE) < 50.0 for d, _ in distances):
            continue  # too close to the threshold to be a fair test
        days = [day for d, day in distances if d <= PATROL_DISTANCE]
        if days:
            last = max(days)
            recency.append(
                {
                    "village_id": v.village_id,
                    "last_patrol_date": last.isoformat(),
                    "days_since_patrol": (AS_OF - last).days,
                }
            )
        else:
            never.append(v.village_id)
    return recency, never


def _forecast_truth(hot: list[dict[str, Any]], valid_rows: list[dict[str, Any]], tracks: list[Track]) -> dict[str, Any]:
    """The planted forecast (see ``truth.json``'s ``forecast``): areas, their patrol visits and the incidents caught."""
    start, end = month_start(FORECAST_MONTHS + 1), AS_OF
    areas, unforeseen, squares = [], [], []
    for spot in hot:
        before, after = sum(spot["monthly_counts"][:FORECAST_MONTHS]), sum(spot["monthly_counts"][FORECAST_MONTHS:])
        if before == 0:
            unforeseen.append(spot["name"])
            continue
        (cx, cy), r = spot["center"], spot["radius_m"]
        square = box(cx - r, cy - r, cx + r, cy + r)
        squares.append(square)
        reach = [(t.line.distance(square), t) for t in tracks if start <= t.day <= end]
        if any(abs(d - FORECAST_PATROL_DISTANCE) < 100.0 for d, _ in reach):
            raise AssertionError(f"a track passes {FORECAST_PATROL_DISTANCE:.0f} m ± 100 m from {spot['name']}")
        visits = sorted((t.day, t.patrol_id, d) for d, t in reach if d <= FORECAST_PATROL_DISTANCE)
        areas.append(
            {
                "name": spot["name"],
                "wkt": square.wkt,
                "incidents_before": before,
                "continues": after,
                "visits": [{"patrol_id": pid, "date": day.isoformat(), "distance_m": d} for day, pid, d in visits],
                "first_visit": visits[0][0].isoformat() if visits else None,
                "days_to_first_visit": (visits[0][0] - start).days if visits else None,
                "nearest_track_m": min((d for d, _ in reach), default=None),
            }
        )
    in_window, in_areas, margin = 0, 0, math.inf
    for row in valid_rows:
        day = datetime.strptime(row["event_date"], "%d %B %Y").date()
        if not start <= day <= end:
            continue
        point = Point(FROM_LONLAT.transform(float(row["longitude"]), float(row["latitude"])))
        in_window += 1
        in_areas += any(square.covers(point) for square in squares)
        margin = min([margin, *(square.exterior.distance(point) for square in squares)])
    if margin < 1.0:
        raise AssertionError(f"a window incident lies {margin:.3f} m from a forecast square's edge")
    return {
        "forecast_months": FORECAST_MONTHS,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "patrol_distance_m": FORECAST_PATROL_DISTANCE,
        "areas": areas,
        "unforeseen": unforeseen,
        "incidents": {
            "in_window": in_window,
            "in_areas": in_areas,
            "hit_rate": in_areas / in_window,
            "edge_margin_m": margin,
        },
    }


def _plant_early_warning_village(villages: list[Village], village_truth: dict[str, Any]) -> dict[str, Any]:
    """Add :data:`WARNING_VILLAGE` (no random draw: every other village, track, incident and pixel stays as it
    was) and its truth: an at-risk village in the drought patch, and the planted early-warning cell."""
    name, people, (x_km, y_km) = WARNING_VILLAGE
    x, y = local(x_km, y_km)
    village_id = f"V{len(villages) + 1:04d}"
    villages.append(Village(village_id, name, x, y, people))
    lon, lat = TO_LONLAT.transform(x, y)
    nearest = min(GEOD.inv(lon, lat, *TO_LONLAT.transform(*local(b[4], b[5])))[2] for b in BASES)
    village_truth["at_risk"].append({"village_id": village_id, "near": "drought_patch", "nearest_base_m": nearest})
    return {"village_id": village_id, "point": [x, y], "population": people, "hotspot": "emerging"}


def generate_mission(output_dir: str | os.PathLike[str], seed: int = DEFAULT_SEED) -> Path:
    """Write the demo mission package into ``output_dir`` (created) and return it."""
    out = Path(output_dir)
    for sub in ("incidents", "patrols", "rasters"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    if (out / GPKG).exists():
        (out / GPKG).unlink()
    b = _Builder(seed)
    hot_centres = {"emerging": local(170, 165)}
    villages, village_truth = b.villages(hot_centres)
    planted_ids = {r["village_id"] for r in village_truth["known_distance"] + village_truth["at_risk"]}
    tracks = b.tracks(villages, planted_ids)
    rows, hot, background = b.incidents(villages)
    valid = len(rows)
    valid_rows = list(rows)
    rows, bad_truth = b.plant_bad_rows(rows)
    warning_cell = _plant_early_warning_village(villages, village_truth)

    with open(out / CSV_PATH, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=ACLED_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    _write_vectors(out / GPKG, villages, tracks)
    _write_gpx(out / GPX_PATH, tracks)

    # Population: villages spread over a few hundred metres, plus a thin rural background.
    n = int(SIZE / POP_PIXEL)
    pop = np.full((n, n), 0.04, dtype=np.float64)
    for v in villages:
        sigma = 250.0 + 4.0 * math.sqrt(v.population)
        col, row = (v.x - X0) / POP_PIXEL, (Y0 + SIZE - v.y) / POP_PIXEL
        half = int(4 * sigma / POP_PIXEL) + 1
        r0, r1 = max(int(row) - half, 0), min(int(row) + half + 1, n)
        c0, c1 = max(int(col) - half, 0), min(int(col) + half + 1, n)
        rr, cc = np.mgrid[r0:r1, c0:c1]
        kernel = np.exp(-(((rr + 0.5 - row) ** 2 + (cc + 0.5 - col) ** 2) * POP_PIXEL**2) / (2 * sigma**2))
        pop[r0:r1, c0:c1] += v.population * kernel / kernel.sum()
    pop_transform = from_origin(X0, Y0 + SIZE, POP_PIXEL, POP_PIXEL)
    _write_raster(
        out / POP_PATH, pop.astype(np.float32)[None], pop_transform, POP_NODATA, tags={"UNITS": "people per pixel"}
    )

    ndvi_truth = _write_ndvi(out, b, villages)
    recency, never = _patrol_recency(villages, tracks)
    warning_cell["never_patrolled"] = warning_cell["village_id"] in never
    b.truth.update(
        {
            "period": {
                "first_month": f"{FIRST_MONTH[0]}-{FIRST_MONTH[1]:02d}",
                "last_month": month_start(MONTHS).strftime("%Y-%m"),
                "months": MONTHS,
                "month_starts": [month_start(m + 1).isoformat() for m in range(MONTHS)],
                "as_of": AS_OF.isoformat(),
            },
            "incidents": {
                "csv": CSV_PATH,
                "rows": len(rows),
                "valid": valid,
                "bad_rows": bad_truth,
                "background_events": background,
            },
            "hotspots": hot,
            "villages": village_truth,
            "patrols": {
                "as_of": AS_OF.isoformat(),
                "patrol_distance_m": PATROL_DISTANCE,
                "clearance_m": PATROL_CLEARANCE,
                "tracks": len(tracks),
                "first_date": tracks[0].day.isoformat(),
                "non_patrolling_bases": ["B01"],
                "recency": recency,
                "never_patrolled": never,
            },
            "ndvi": ndvi_truth,
            "forecast": _forecast_truth(hot, valid_rows, tracks),
            "early_warning": {"planted_cell": warning_cell},
        }
    )
    (out / "truth.json").write_text(json.dumps(b.truth, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    (out / "manifest.json").write_text(
        json.dumps(_manifest(seed, ndvi_truth["dates"]), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return out


def _write_ndvi(out: Path, b: _Builder, villages: list[Village]) -> dict[str, Any]:
    n = int(SIZE / NDVI_PIXEL)
    transform = from_origin(X0, Y0 + SIZE, NDVI_PIXEL, NDVI_PIXEL)
    cols, rows = np.meshgrid(np.arange(n) + 0.5, np.arange(n) + 0.5)
    xs, ys = X0 + cols * NDVI_PIXEL, Y0 + SIZE - rows * NDVI_PIXEL
    lx, ly = (xs - X0) / 1000.0, (ys - Y0) / 1000.0
    # Sahelian gradient (greener south), a wet river corridor running north-east, and texture.
    ax, ay, bx, by = 20.0, 60.0, 140.0, 190.0
    t = np.clip(((lx - ax) * (bx - ax) + (ly - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2), 0, 1)
    river = np.hypot(lx - (ax + t * (bx - ax)), ly - (ay + t * (by - ay)))
    climatology = 0.42 - 0.20 * ly / 200.0 + 0.16 * np.exp(-(river**2) / (2 * 6.0**2)) + 0.03 * b.smooth_field(xs, ys)
    dates = [(date(year, 1, 1) + timedelta(days=256)).isoformat() for year in NDVI_YEARS]
    stack = np.empty((len(NDVI_YEARS), n, n))
    for i, year in enumerate(NDVI_YEARS):
        if year <= BASELINE[1]:
            stack[i] = (
                climatology
                + 0.05 * b.rng.normal() * (0.6 + 0.4 * b.smooth_field(xs, ys))
                + 0.04 * b.smooth_field(xs, ys)
                + b.rng.normal(0, 0.008, (n, n))
            )
    cloud_plan = [
        (2017, (150, 40), 7000.0),
        (2021, (90, 170), 6000.0),
        (2023, (40, 130), 6000.0),
        (2025, (100, 100), 5000.0),
        (2026, (60, 60), 8000.0),
        (2026, (120, 140), 5000.0),
    ]
    mask = np.zeros(stack.shape, dtype=np.uint8)
    clouds = []
    for year, (cx, cy), radius in cloud_plan:
        i = NDVI_YEARS.index(year)
        shape = Point(*local(cx, cy)).buffer(radius, 64)
        mask[i] |= _rasterize(shape, transform, (n, n)).astype(np.uint8)
        clouds.append({"date": dates[i], "band": i + 1, "wkt": shape.wkt, "pixels": int(mask[i].sum())})
    stripe_band, stripe_rows = NDVI_YEARS.index(2019), slice(400, 406)
    invalid = mask == 1
    invalid[stripe_band, stripe_rows, :] = True
    baseline = slice(0, BASELINE[1] - BASELINE[0] + 1)
    # The target years are drawn against the extremes a correct VCI will see: clouds and gaps excluded.
    clean = np.where(invalid[baseline], np.nan, stack[baseline])
    low, high = np.nanmin(clean, axis=0), np.nanmax(clean, axis=0)
    normal = lambda: 0.45 + 0.2 * (0.5 + 0.5 * np.tanh(b.smooth_field(xs, ys)))  # noqa: E731 - VCI 45–65 %
    severe = lambda: 0.04 + 0.10 * (0.5 + 0.5 * np.tanh(b.smooth_field(xs, ys)))  # noqa: E731 - VCI 4–14 %
    drought, recovery, lake = b.drought_patch(), b.recovery_patch(), b.lake()
    in_drought, in_recovery = _rasterize(drought, transform, (n, n)), _rasterize(recovery, transform, (n, n))
    before, after = NDVI_YEARS.index(2025), NDVI_YEARS.index(2026)
    stack[before] = low + np.where(in_recovery, severe(), normal()) * (high - low)
    stack[after] = low + np.where(in_drought, severe(), normal()) * (high - low)
    values = np.round(np.clip(stack, -0.2, 1.0) * 10000).astype(np.int16)
    values[mask == 1] = 600  # cloud tops look like bare soil: they would pass for drought if not masked
    values[stripe_band, stripe_rows, :] = NDVI_NODATA
    values[:, _rasterize(lake, transform, (n, n))] = NDVI_NODATA
    _write_raster(
        out / NDVI_PATH,
        values,
        transform,
        NDVI_NODATA,
        dates,
        scale=0.0001,
        tags={
            "PRODUCT": "MODIS-like NDVI, 250 m, day-of-year 257 composite (synthetic)",
            "SCALE_FACTOR": "0.0001",
            "VALID_RANGE": "-2000,10000",
        },
    )
    _write_raster(out / MASK_PATH, mask, transform, None, dates, tags={"MEANING": "1 = cloud (bad), 0 = clear"})
    return {
        "path": NDVI_PATH,
        "mask_path": MASK_PATH,
        "dates": dates,
        "scale": 0.0001,
        "nodata": NDVI_NODATA,
        "mask_bad_values": [1],
        "baseline_years": list(BASELINE),
        "before_date": dates[before],
        "after_date": dates[after],
        "drought_patch": {
            "wkt": drought.wkt,
            "sector_id": sector_of(drought.centroid.x, drought.centroid.y),
            "vci_range": [4, 14],
            "pixels": int(in_drought.sum()),
        },
        "recovery_patch": {
            "wkt": recovery.wkt,
            "sector_id": sector_of(recovery.centroid.x, recovery.centroid.y),
            "vci_range_before": [4, 14],
            "vci_range_after": [45, 65],
        },
        "background_vci_range": [45, 65],
        "clouds": clouds,
        "nodata_stripe": {"date": dates[stripe_band], "band": stripe_band + 1, "rows": [400, 405]},
        "lake": {"wkt": lake.wkt},
    }


def _manifest(seed: int, ndvi_dates: list[str]) -> dict[str, Any]:
    crs = f"EPSG:{EPSG}"

    def vector(layer_id: str, role: str, theme: str, title: str, geometry: str, fields: dict[str, str]):
        return {
            "id": layer_id,
            "role": role,
            "theme": theme,
            "title": f"{title} (SYNTHETIC)",
            "type": "vector",
            "path": GPKG,
            "layer": f"synthetic_{layer_id}",
            "geometry": geometry,
            "crs": crs,
            "fields": fields,
        }

    return {
        "format": "mission-early-warning-package",
        "format_version": 1,
        "mission": MISSION,
        "title": f"{MISSION} — synthetic exercise mission package",
        "synthetic": True,
        "classification": CLASSIFICATION,
        "crs": crs,
        "description": "SYNTHETIC EXERCISE DATA for training and testing only. Setting: central Mali (UTM 30N). "
        "No real event, person or unit is described.",
        "generator": {"name": "mission_early_warning.demo.generate", "seed": seed},
        "as_of": AS_OF.isoformat(),
        "area_of_operations": "ao_boundary",
        "layers": [
            vector("ao_boundary", "ao_boundary", "boundaries", "AO boundary", "polygon", {"name": "name"}),
            vector("sectors", "sectors", "boundaries", "Sectors", "polygon", {"id": "sector_id", "name": "name"}),
            vector(
                "bases",
                "bases",
                "operations",
                "Bases",
                "point",
                {"id": "base_id", "name": "name", "type": "base_type", "radius": "patrol_radius_m"},
            ),
            vector(
                "patrol_tracks",
                "patrol_tracks",
                "operations",
                "Patrol tracks",
                "line",
                {"id": "patrol_id", "base": "base_id", "date": "patrol_date", "time": "start_time"},
            ),
            vector(
                "villages",
                "villages",
                "population",
                "Villages",
                "point",
                {"id": "village_id", "name": "name", "population": "population"},
            ),
            {
                "id": "incidents",
                "role": "incidents",
                "theme": "incidents",
                "title": "Incidents, ACLED-style (SYNTHETIC)",
                "type": "table",
                "format": "acled_csv",
                "path": CSV_PATH,
                "crs": "EPSG:4326",
                "fields": {
                    "id": "event_id_cnty",
                    "date": "event_date",
                    "latitude": "latitude",
                    "longitude": "longitude",
                    "type": "event_type",
                    "fatalities": "fatalities",
                },
            },
            {
                "id": "patrol_tracks_gpx",
                "role": "patrol_tracks_gps",
                "theme": "operations",
                "title": "Patrol GPS tracks (SYNTHETIC)",
                "type": "vector",
                "path": GPX_PATH,
                "layer": "tracks",
                "geometry": "line",
                "crs": "EPSG:4326",
                "load": False,
            },
            {
                "id": "population",
                "role": "population",
                "theme": "population",
                "title": "Population, 100 m (SYNTHETIC)",
                "type": "raster",
                "path": POP_PATH,
                "crs": crs,
                "units": "people per pixel",
            },
            {
                "id": "ndvi",
                "role": "ndvi_stack",
                "theme": "environment",
                "title": "NDVI stack 2015–2026 (SYNTHETIC)",
                "type": "raster",
                "path": NDVI_PATH,
                "crs": crs,
                "scale": 0.0001,
                "offset": 0.0,
                "nodata": NDVI_NODATA,
                "valid_range": [-2000, 10000],
                "dates": ndvi_dates,
                "mask": "ndvi_cloudmask",
            },
            {
                "id": "ndvi_cloudmask",
                "role": "ndvi_mask",
                "theme": "environment",
                "title": "NDVI cloud mask (SYNTHETIC)",
                "type": "raster",
                "path": MASK_PATH,
                "crs": crs,
                "bad_values": [1],
                "dates": ndvi_dates,
                "load": False,
            },
        ],
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Write the synthetic demo mission package.")
    parser.add_argument("output", type=Path, help="folder to write the package into")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    path = generate_mission(args.output, args.seed)
    print(f"Demo mission (synthetic exercise data) written to {path}")


if __name__ == "__main__":
    main()
