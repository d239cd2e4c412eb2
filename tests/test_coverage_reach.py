"""Coverage at the edges: how far a zone is drawn true, what is refused beyond, and inputs that are not what they say.

Zones are measured against pyproj's geodesics (Karney): every vertex of a zone
lies at the reach from its base or track, up to :data:`MAX_REACH_M`, in a
longitude/latitude layer and in a UTM layer alike. Beyond that reach, or where
the layer's CRS cannot draw the zone (round a pole or across the antimeridian
in longitude/latitude, past a projection's edge), the run is refused with the
reason; so are lines given as bases. Patrols dated after AS_OF are reported.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from pyproj import CRS, Geod, Transformer
from shapely.geometry import LineString, Point

from mission_early_warning.core.coverage import analyse_coverage
from mission_early_warning.core.coverage_types import CoverageSettings, Features
from mission_early_warning.core.crs import transform_xy
from mission_early_warning.core.errors import MewError
from mission_early_warning.core.geodesic import MAX_REACH_M, Geodesy
from mission_early_warning.core.geodesic_search import Segments, nearest_segments

GEOD = Geod(ellps="WGS84")
WGS84 = CRS.from_epsg(4326)
UTM33 = CRS.from_epsg(32633)
LON, LAT = 15.0, 8.0  # on UTM zone 33's central meridian
REACHES = [10e3, 300e3, 1000e3, 2000e3, MAX_REACH_M]


def features(geometries, name="layer", ids=None):
    return Features(list(ids or range(len(geometries))), list(geometries), name)


def in_crs(crs, lon, lat):
    return transform_xy(Transformer.from_crs(WGS84, crs, always_xy=True), np.asarray(lon), np.asarray(lat))


def vertices_lonlat(crs, geometry):
    parts = getattr(geometry, "geoms", [geometry])
    xy = np.concatenate([np.asarray(p.exterior.coords)[:, :2] for p in parts])
    return transform_xy(Transformer.from_crs(crs, WGS84, always_xy=True), xy[:, 0], xy[:, 1])


def track(crs):
    """A 45 km patrol track with a bend, around (15° E, 8° N)."""
    lon = np.array([LON - 0.2, LON, LON + 0.1])
    lat = np.array([LAT - 0.1, LAT + 0.05, LAT + 0.2])
    return LineString(np.column_stack(in_crs(crs, lon, lat)))


@pytest.mark.parametrize("crs", [WGS84, UTM33], ids=["EPSG:4326", "EPSG:32633"])
@pytest.mark.parametrize("reach", REACHES, ids=[f"{r / 1000:.0f}km" for r in REACHES])
def test_base_circles_are_true_up_to_the_widest_reach(crs, reach):
    x, y = in_crs(crs, [LON], [LAT])
    result = analyse_coverage(crs, features([Point(x[0], y[0])]), None, None, None, CoverageSettings(base_radius=reach))
    zone = result.zones[0]
    lon, lat = vertices_lonlat(crs, zone.geometry)
    _, _, distance = GEOD.inv(np.full(lon.size, LON), np.full(lat.size, LAT), lon, lat)
    assert np.max(np.abs(distance / reach - 1.0)) < 1e-6
    # Against the geodesic circle with 4,096 vertices: the 128-gon is 0.04 % smaller.
    azimuths = np.linspace(0.0, 360.0, 4096, endpoint=False)
    ring_lon, ring_lat, _ = GEOD.fwd(np.full(4096, LON), np.full(4096, LAT), azimuths, np.full(4096, reach))
    circle, _ = GEOD.polygon_area_perimeter(ring_lon, ring_lat)
    assert zone.area_km2 * 1e6 == pytest.approx(abs(circle), rel=5e-4)


@pytest.mark.parametrize("crs", [WGS84, UTM33], ids=["EPSG:4326", "EPSG:32633"])
@pytest.mark.parametrize("reach", REACHES, ids=[f"{r / 1000:.0f}km" for r in REACHES])
def test_track_buffers_are_true_up_to_the_widest_reach(crs, reach):
    """In UTM the tracks sit where the zone is true to scale, but a wide buffer reaches far beyond it.

    64 segments per quarter circle keep the polygon's own chords (where buffers meet) within 0.03 % of the arc,
    so what is left is the error of the CRS the buffer was built in.
    """
    line = track(crs)
    result = analyse_coverage(
        crs, None, features([line]), None, None, CoverageSettings(patrol_distance=reach, patrol_segments=64)
    )
    lon, lat = vertices_lonlat(crs, result.zones[0].geometry)
    geodesy = Geodesy(crs)
    distance, _ = nearest_segments(geodesy, lon, lat, Segments.from_lines(geodesy, [line]))
    assert np.max(np.abs(distance / reach - 1.0)) < 5e-4


def test_reaches_beyond_the_widest_are_refused_naming_the_parameter_and_the_limit():
    x, y = in_crs(WGS84, [LON], [LAT])
    base = features([Point(x[0], y[0])], "bases", ids=["Camp A"])
    with pytest.raises(
        MewError,
        match=r"BASE_RADIUS 20,000,000 m is too far: coverage zones are built for reaches "
        r"up to 5,000,000 m \(5,000 km\)",
    ):
        analyse_coverage(WGS84, base, None, None, None, CoverageSettings(base_radius=20_000_000.0))
    with pytest.raises(
        MewError,
        match=r"Bases Camp A of 'bases' have a reach above 5,000,000 m in "
        r"BASE_RADIUS_FIELD",
    ):
        analyse_coverage(WGS84, base, None, None, None, CoverageSettings(base_radius=[6_000_000.0]))
    with pytest.raises(MewError, match=r"PATROL_DISTANCE 5,000,001 m is too far"):
        analyse_coverage(
            WGS84, None, features([track(WGS84)]), None, None, CoverageSettings(patrol_distance=5_000_001.0)
        )
    with pytest.raises(MewError, match=r"RINGS: 8,000,000 m is too far"):
        analyse_coverage(WGS84, base, None, None, None, CoverageSettings(base_radius=1000.0, rings=[8_000_000.0]))


def test_zones_a_longitude_latitude_layer_cannot_draw_are_refused_and_a_projected_layer_draws_them():
    # Round the North Pole: 2,230 km from 70° N.
    north = features([Point(20.0, 70.0)], "bases", ids=["Nord"])
    with pytest.raises(
        MewError,
        match=r"zone of 3,000 km around base Nord of 'bases' reaches the North Pole, "
        r"2,2\d\d km away: a zone cannot go round a pole in WGS 84, a "
        r"longitude/latitude CRS\. Use a smaller reach",
    ):
        analyse_coverage(WGS84, north, None, None, None, CoverageSettings(base_radius=3_000_000.0))
    # Across the antimeridian: 222 km east of 178° E on the equator; a ring counts as a reach too.
    east = features([Point(178.0, 0.0)], "bases", ids=["Fiji"])
    with pytest.raises(
        MewError,
        match=r"zone of 300 km around base Fiji of 'bases' reaches the antimeridian "
        r"\(180°\), 22\d km away: a zone cannot cross it",
    ):
        analyse_coverage(WGS84, east, None, None, None, CoverageSettings(base_radius=100e3, rings=[300e3]))
    analyse_coverage(WGS84, east, None, None, None, CoverageSettings(base_radius=200e3))  # 222 km: not reached
    tracks = features([LineString([(170.0, -5.0), (179.5, -5.0)])], "tracks", ids=[17])
    with pytest.raises(MewError, match=r"zone of 100 km around patrol 17 of 'tracks' reaches the antimeridian"):
        analyse_coverage(WGS84, None, tracks, None, None, CoverageSettings(patrol_distance=100e3))
    # In UTM zone 60 the same base and reach are an ordinary circle.
    utm60 = CRS.from_epsg(32760)
    x, y = in_crs(utm60, [178.0], [0.0])
    result = analyse_coverage(
        utm60, features([Point(x[0], y[0])]), None, None, None, CoverageSettings(base_radius=300e3)
    )
    assert result.zones[0].area_km2 == pytest.approx(np.pi * 300.0**2, rel=2e-3)
    # Web Mercator cannot map the pole that a 2,000 km zone around 75° N takes in; UTM can.
    mercator = CRS.from_epsg(3857)
    x, y = in_crs(mercator, [20.0], [75.0])
    with pytest.raises(
        MewError,
        match=r"reaches the North Pole, 1,67\d km away: WGS 84 / Pseudo-Mercator cannot "
        r"map the pole",
    ):
        analyse_coverage(
            mercator, features([Point(x[0], y[0])]), None, None, None, CoverageSettings(base_radius=2_000_000.0)
        )
    utm34 = CRS.from_epsg(32634)
    x, y = in_crs(utm34, [20.0], [75.0])
    result = analyse_coverage(
        utm34, features([Point(x[0], y[0])]), None, None, None, CoverageSettings(base_radius=2_000_000.0)
    )
    cap = 2 * np.pi * 6371007.2**2 * (1 - np.cos(2_000_000.0 / 6371007.2)) / 1e6
    assert result.zones[0].area_km2 == pytest.approx(cap, rel=3e-3)
    # A gnomonic projection ends 90° from its centre: a zone past that edge has no coordinates there.
    gnomonic = CRS.from_proj4("+proj=gnom +lat_0=8 +lon_0=15 +datum=WGS84 +units=m +no_defs")
    x, y = in_crs(gnomonic, [95.0], [8.0])
    with pytest.raises(MewError, match=r"reaches beyond what .* can map \(its coordinates there are infinite\)"):
        analyse_coverage(
            gnomonic, features([Point(x[0], y[0])]), None, None, None, CoverageSettings(base_radius=2_000_000.0)
        )


def test_lines_given_as_points_are_refused_naming_the_layer_and_the_geometry():
    lines = features(
        [LineString([(15.0, 8.0), (15.1, 8.1)]), LineString([(15.2, 8.0), (15.3, 8.1)])], "roads", ids=[4, 9]
    )
    with pytest.raises(
        MewError,
        match=r"layer 'roads' has 2 LineString feature\(s\) \(ids 4, 9\): bases must be "
        r"points",
    ):
        analyse_coverage(WGS84, lines, None, None, None, CoverageSettings(base_radius=1000.0))
    base = features([Point(15.0, 8.0)])
    with pytest.raises(MewError, match=r"'roads' has 2 LineString.*villages must be points"):
        analyse_coverage(WGS84, base, None, lines, None, CoverageSettings(base_radius=1000.0))
    with pytest.raises(MewError, match=r"'roads' has 2 LineString.*incidents must be points"):
        analyse_coverage(WGS84, base, None, None, lines, CoverageSettings(base_radius=1000.0))


def test_patrols_dated_after_as_of_are_reported_with_their_ids():
    as_of = dt.date(2026, 10, 31)
    lines = [LineString([(15.0, 8.0 + i / 100), (15.1, 8.0 + i / 100)]) for i in range(4)]
    dates = [as_of - dt.timedelta(days=3), as_of + dt.timedelta(days=1), None, as_of + dt.timedelta(days=30)]
    result = analyse_coverage(
        WGS84,
        None,
        features(lines, "tracks", ids=[10, 11, 12, 13]),
        None,
        None,
        CoverageSettings(patrol_distance=1000.0, patrol_dates=dates, as_of=as_of),
    )
    later = [w for w in result.warnings if "after AS_OF" in w]
    assert later == [
        "tracks: 2 patrol(s) dated after AS_OF (2026-10-31) do not count for coverage or days since "
        "patrol, ids 11, 13; set AS_OF to a later date to count them."
    ]
    assert any("1 patrol(s) without a date" in w and "12" in w for w in result.warnings)
    # Without AS_OF the latest patrol date is the day of the analysis: none lies after it.
    result = analyse_coverage(
        WGS84, None, features(lines, "tracks"), None, None, CoverageSettings(patrol_distance=1000.0, patrol_dates=dates)
    )
    assert not [w for w in result.warnings if "after AS_OF" in w]


# --- through Processing ----------------------------------------------------------------------------


def memory_layer(kind, crs, wkts, fields="id:integer", values=None):
    from qgis.core import QgsFeature, QgsGeometry, QgsVectorLayer

    layer = QgsVectorLayer(f"{kind}?crs={crs}&field={fields.replace(',', '&field=')}", f"my {kind.lower()}s", "memory")
    batch = []
    for number, wkt in enumerate(wkts):
        feature = QgsFeature(layer.fields())
        feature.setGeometry(QgsGeometry.fromWkt(wkt))
        feature.setAttributes(values[number] if values else [number + 1])
        batch.append(feature)
    layer.dataProvider().addFeatures(batch)
    return layer


def test_the_algorithm_refuses_a_line_layer_as_bases_and_a_point_layer_as_patrols(mew, tmp_path):
    from qgis.core import QgsProcessingException

    lines = memory_layer("LineString", "EPSG:4326", ["LineString (15 8, 15.1 8.1)"])
    points = memory_layer("Point", "EPSG:4326", ["Point (15 8)"])
    output = str(tmp_path / "coverage.gpkg")
    with pytest.raises(
        QgsProcessingException,
        match=r"layer 'my linestrings' \(BASES\) given as '[^']*' "
        r"holds lines: choose a layer of points",
    ):
        mew.run("mew:patrolcoverage", {"BASES": lines, "OUTPUT_COVERAGE": output})
    with pytest.raises(
        QgsProcessingException,
        match=r"\(PATROLS\) given as '[^']*' holds points: choose a "
        r"layer of lines",
    ):
        mew.run("mew:patrolcoverage", {"PATROLS": points, "OUTPUT_COVERAGE": output})
    with pytest.raises(
        QgsProcessingException,
        match=r"\(VILLAGES\) given as '[^']*' holds lines: choose a "
        r"layer of points",
    ):
        mew.run("mew:patrolcoverage", {"BASES": points, "VILLAGES": lines, "OUTPUT_COVERAGE": output})
    polygons = memory_layer("Polygon", "EPSG:4326", ["Polygon ((15 8, 15.1 8, 15.1 8.1, 15 8))"])
    with pytest.raises(
        QgsProcessingException,
        match=r"\(VILLAGES\) given as '[^']*' holds lines: choose a "
        r"layer of points",
    ):
        mew.run("mew:coveragegaps", {"VILLAGES": lines, "COVERAGE": polygons, "OUTPUT": str(tmp_path / "gaps.gpkg")})
    with pytest.raises(
        QgsProcessingException,
        match=r"\(COVERAGE\) given as '.*' holds points: choose a "
        r"layer of polygons",
    ):
        mew.run("mew:coveragegaps", {"VILLAGES": points, "COVERAGE": points, "OUTPUT": str(tmp_path / "gaps.gpkg")})
    assert list(tmp_path.iterdir()) == []


def test_the_algorithm_refuses_a_20000_km_buffer(mew, tmp_path):
    from qgis.core import QgsProcessingException

    bases = memory_layer("Point", "EPSG:4326", ["Point (15 8)"])
    with pytest.raises(QgsProcessingException, match=r"BASE_RADIUS 20,000,000 m is too far.*5,000 km"):
        mew.run(
            "mew:patrolcoverage",
            {"BASES": bases, "BASE_RADIUS": 20_000_000, "OUTPUT_COVERAGE": str(tmp_path / "coverage.gpkg")},
        )
    assert list(tmp_path.iterdir()) == []


def test_the_algorithm_logs_patrols_after_as_of(mew, tmp_path):
    from qgis.core import QgsProcessingFeedback, QgsVectorLayer
    from qgis.PyQt.QtCore import QDate

    output = str(tmp_path / "coverage.gpkg")
    tracks = memory_layer(
        "LineString",
        "EPSG:4326",
        [f"LineString (15 {8 + i / 100}, 15.1 {8 + i / 100})" for i in range(3)],
        "patrol_id:integer,date:date",
        [[21, QDate(2026, 10, 1)], [22, QDate(2026, 11, 15)], [23, QDate(2026, 12, 1)]],
    )
    messages = []

    class Feedback(QgsProcessingFeedback):
        def reportError(self, error, fatalError=False):
            messages.append(error)

    result = mew.run(
        "mew:patrolcoverage",
        {
            "PATROLS": tracks,
            "PATROL_DATE_FIELD": "date",
            "AS_OF": "2026-10-31",
            "PATROL_DISTANCE": 1000,
            "OUTPUT_COVERAGE": output,
        },
        feedback=Feedback(),
    )
    assert [m for m in messages if "after AS_OF" in m] == [
        "my linestrings: 2 patrol(s) dated after AS_OF (2026-10-31) do not count for coverage or days since patrol, "
        "ids 2, 3; set AS_OF to a later date to count them."
    ]
    zone = next(QgsVectorLayer(result["OUTPUT_COVERAGE"], "c", "ogr").getFeatures())
    assert zone["area_km2"] == pytest.approx(2 * 11.0 + np.pi, rel=0.02)  # one 11 km track counts
