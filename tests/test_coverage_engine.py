"""Patrol coverage engine (QGIS-free core): geodesic distances, buffers, fractional pixels, windows, errors."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest
import rasterio
from pyproj import CRS, Geod, Transformer
from rasterio.transform import from_origin
from shapely.geometry import LineString, Point, box

from mission_early_warning.core.coverage import analyse_coverage
from mission_early_warning.core.coverage_types import CoverageSettings, Features, parse_rings
from mission_early_warning.core.errors import MewError
from mission_early_warning.core.fractional import coverage_blocks, weighted_sums
from mission_early_warning.core.geodesic import Geodesy, buffer_lines

GEOD = Geod(ellps="WGS84")
WGS84 = CRS.from_epsg(4326)


def _features(geometries, name="layer"):
    return Features(list(range(len(geometries))), list(geometries), name)


@pytest.fixture(scope="module")
def latitude_span_layer():
    """Bases, tracks and villages in EPSG:4326 from the equator to 60° N."""
    rng = np.random.default_rng(7)
    bases, tracks, villages = [], [], []
    for lat in range(0, 61, 10):
        lon = 10.0 + lat / 3.0
        bases.append(Point(lon, lat))
        points = [(lon + 0.1, lat + 0.05)]
        for _ in range(15):
            step_lon, step_lat, _ = GEOD.fwd(*points[-1], rng.uniform(0, 360), 1500.0)
            points.append((step_lon, step_lat))
        tracks.append(LineString(points))
        for _ in range(30):
            v_lon, v_lat, _ = GEOD.fwd(lon, lat, rng.uniform(0, 360), rng.uniform(0, 40000))
            villages.append(Point(v_lon, v_lat))
    return bases, tracks, villages


def _brute_force_track_distance(lon, lat, tracks):
    """Geodesic distance to tracks densified along geodesics, measured in a projection centred on the point."""
    dense = []
    for track in tracks:
        coords = list(track.coords)
        sequence = []
        for (a, b), (c, d) in zip(coords[:-1], coords[1:]):
            sequence.append((a, b))
            sequence.extend(GEOD.npts(a, b, c, d, 30))
        sequence.append(coords[-1])
        dense.append(np.array(sequence))
    result = []
    for x, y in zip(lon, lat):
        centred = Transformer.from_crs(WGS84, f"+proj=aeqd +lat_0={y} +lon_0={x} +datum=WGS84", always_xy=True)
        best = math.inf
        for line in dense:
            px, py = centred.transform(line[:, 0], line[:, 1])
            best = min(best, LineString(np.column_stack((px, py))).distance(Point(0, 0)))
        result.append(best)
    return np.array(result)


def test_distances_and_flags_agree_with_pyproj_geod_from_0_to_60_degrees(latitude_span_layer):
    bases, tracks, villages = latitude_span_layer
    settings = CoverageSettings(base_radius=20000.0, patrol_distance=5000.0, rings=[5000, 10000, 20000])
    result = analyse_coverage(WGS84, _features(bases), _features(tracks), _features(villages), None, settings)
    table = result.villages
    lon = np.array([p.x for p in villages])
    lat = np.array([p.y for p in villages])
    base_lon = np.array([p.x for p in bases])
    base_lat = np.array([p.y for p in bases])
    _, _, pairwise = GEOD.inv(
        np.repeat(lon, len(bases)), np.repeat(lat, len(bases)), np.tile(base_lon, len(lon)), np.tile(base_lat, len(lon))
    )
    expected_base = pairwise.reshape(len(lon), len(bases)).min(axis=1)
    expected_patrol = _brute_force_track_distance(lon, lat, tracks)
    assert np.all(np.abs(table["dist_base_m"] - expected_base) <= 1e-3 * expected_base + 1e-6)
    assert np.all(np.abs(table["dist_patrol_m"] - expected_patrol) <= 1e-3 * expected_patrol + 0.01)
    expected_covered = (expected_base <= 20000.0) | (expected_patrol <= 5000.0)
    near_threshold = (np.abs(expected_base - 20000.0) <= 20.0) | (np.abs(expected_patrol - 5000.0) <= 5.0)
    assert np.array_equal(table["covered"][~near_threshold], expected_covered[~near_threshold])
    assert expected_covered.any() and (~expected_covered).any()  # the test sees both outcomes
    nearest = np.minimum(expected_base, expected_patrol)
    expected_ring = np.where(
        nearest <= 5000, 5000, np.where(nearest <= 10000, 10000, np.where(nearest <= 20000, 20000, np.nan))
    )
    assert np.array_equal(table["ring"], expected_ring, equal_nan=True)


def test_each_village_is_measured_the_same_whatever_the_order_of_the_villages(latitude_span_layer):
    # Points are searched in a spatial order (faster) and their measures handed back in the order given.
    bases, tracks, villages = latitude_span_layer
    dates = [dt.date(2026, 3, 1) + dt.timedelta(days=7 * i) for i in range(len(tracks))]
    settings = CoverageSettings(
        base_radius=20000.0, patrol_distance=5000.0, rings=[5000, 10000], patrol_dates=dates, as_of=dt.date(2026, 6, 1)
    )
    shuffle = np.random.default_rng(3).permutation(len(villages))

    def measures(points):
        return analyse_coverage(WGS84, _features(bases), _features(tracks), _features(points), None, settings).villages

    given, shuffled = measures(villages), measures([villages[i] for i in shuffle])
    assert np.isfinite(given["days_since_patrol"]).any() and np.isfinite(given["dist_patrol_m"]).all()
    for key, values in given.items():
        assert np.array_equal(shuffled[key], values[shuffle], equal_nan=values.dtype.kind == "f"), key


@pytest.mark.parametrize("latitude", [0.0, 30.0, 60.0, 75.0])
def test_20_km_buffer_geodesic_area_is_pi_r_squared_at_any_latitude(latitude):
    geodesy = Geodesy(WGS84)
    settings = CoverageSettings(base_radius=20000.0)
    result = analyse_coverage(WGS84, _features([Point(20.0, latitude)]), None, None, None, settings)
    area = result.zones[0].area_km2 * 1e6
    assert abs(area / (math.pi * 20000.0**2) - 1) < 0.005
    # A track buffer too: a 30 km geodesic track buffered 20 km is a stadium, 2·d·L + π·d².
    end_lon, end_lat, _ = GEOD.fwd(20.0, latitude, 60.0, 30000.0)
    track = LineString([(20.0, latitude), *GEOD.npts(20.0, latitude, end_lon, end_lat, 30), (end_lon, end_lat)])
    stadium = buffer_lines(geodesy, [track], 20000.0, resolution=32)
    expected = 2 * 20000.0 * 30000.0 + math.pi * 20000.0**2
    assert abs(geodesy.polygon_area(stadium) / expected - 1) < 0.005


def test_fractional_pixel_coverage_matches_exact_hand_computation(tmp_path):
    # 4 × 4 grid of 100 m pixels; the square covers [50, 250] × [-350, -150] relative to the origin.
    transform = from_origin(1000.0, 2000.0, 100.0, 100.0)
    square = box(1050.0, 1650.0, 1250.0, 1850.0)
    fractions = np.zeros((4, 4))
    for first, block in coverage_blocks(square, transform, (4, 4)):
        fractions[first : first + block.shape[0]] = block
    # Rows from the top: y-overlap 0, 50, 100, 50 m; columns: x-overlap 50, 100, 50, 0 m.
    hand = np.outer([0.0, 0.5, 1.0, 0.5], [0.5, 1.0, 0.5, 0.0])
    assert np.allclose(fractions, hand, atol=1e-12)
    # People per pixel 1..16: the exact sum by hand is Σ fraction·value.
    values = np.arange(1, 17, dtype=np.float32).reshape(4, 4)
    path = tmp_path / "people.tif"
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=4,
        height=4,
        count=1,
        dtype="float32",
        crs="EPSG:32630",
        transform=transform,
        nodata=-99999,
    ) as dst:
        dst.write(values, 1)
    sums, total = weighted_sums(str(path), [square])
    assert sums[0] == pytest.approx(float((hand * values).sum()), rel=1e-9)
    assert total == pytest.approx(136.0)


def test_fractional_coverage_of_a_small_circle_is_within_1_percent_of_exact_areas():
    transform = from_origin(0.0, 1000.0, 100.0, 100.0)
    circle = Point(433.0, 571.0).buffer(140.0, 256)  # a small buffer: few pixels, many cut by its edge
    fractions = np.zeros((10, 10))
    for first, block in coverage_blocks(circle, transform, (10, 10)):
        fractions[first : first + block.shape[0]] = block
    exact = np.array(
        [
            [
                box(c * 100.0, 1000.0 - (r + 1) * 100.0, (c + 1) * 100.0, 1000.0 - r * 100.0).intersection(circle).area
                / 1e4
                for c in range(10)
            ]
            for r in range(10)
        ]
    )
    assert np.abs(fractions - exact).max() < 0.01
    assert fractions.sum() == pytest.approx(circle.area / 1e4, rel=1e-9)
    # Why fractions matter: counting pixel centres (native:zonalstatisticsfb) gives 5 pixels for 4.52 of area.
    small = Point(450.0, 550.0).buffer(120.0, 256)
    centres = sum(small.contains(Point(c * 100 + 50, 1000 - r * 100 - 50)) for r in range(10) for c in range(10))
    ours = sum(float(block.sum()) for _, block in coverage_blocks(small, transform, (10, 10)))
    assert centres == 5 and ours == pytest.approx(small.area / 1e4, rel=1e-9)


def test_patrol_window_recency_and_rings_by_hand():
    crs = CRS.from_epsg(32630)
    x0, y0 = 400000.0, 1600000.0
    village = Point(x0, y0)
    near_old = LineString([(x0 - 5000, y0 + 1000), (x0 + 5000, y0 + 1000)])  # 1 km away, 100 days old
    near_new = LineString([(x0 - 5000, y0 + 3000), (x0 + 5000, y0 + 3000)])  # 3 km away, 10 days old
    far = LineString([(x0 - 5000, y0 + 9000), (x0 + 5000, y0 + 9000)])  # 9 km away, 1 day old
    as_of = dt.date(2026, 10, 31)
    dates = [as_of - dt.timedelta(days=100), as_of - dt.timedelta(days=10), as_of - dt.timedelta(days=1)]
    settings = CoverageSettings(
        patrol_distance=2000.0, patrol_dates=dates, as_of=as_of, window_days=30, rings=[5000.0, 10000.0]
    )
    result = analyse_coverage(crs, None, _features([near_old, near_new, far]), _features([village]), None, settings)
    table = result.villages
    # Only patrols of the last 30 days count for coverage: the nearest counting one is 3 km away.
    assert table["dist_patrol_m"][0] == pytest.approx(3000.0, rel=1e-3)
    assert not table["covered"][0]
    assert table["ring"][0] == 5000.0
    # Recency looks at every patrol up to AS_OF that passed within 2 km: the old one, 100 days ago.
    assert table["days_since_patrol"][0] == 100
    settings.window_days = 0
    result = analyse_coverage(crs, None, _features([near_old, near_new, far]), _features([village]), None, settings)
    assert result.villages["covered"][0]


def test_summary_counts_villages_people_and_incidents(tmp_path):
    crs = CRS.from_epsg(32630)
    base = Point(400000.0, 1600000.0)
    villages = [Point(400000.0 + d, 1600000.0) for d in (1000.0, 6000.0, 30000.0)]
    incidents = [Point(400000.0, 1600000.0 + d) for d in (500.0, 4000.0, 7000.0, 50000.0)]
    settings = CoverageSettings(base_radius=5000.0, rings=[10000.0], population=[100, 200, 300])
    result = analyse_coverage(crs, _features([base]), None, _features(villages), _features(incidents), settings)
    rows = {row["zone"] + str(row["distance_m"]): row for row in result.summary}
    assert rows["coveredNone"]["villages"] == 1 and rows["coveredNone"]["people_field"] == 100
    assert rows["coveredNone"]["incidents"] == 2 and rows["coveredNone"]["incidents_share"] == 0.5
    assert rows["ring10000.0"]["villages"] == 2 and rows["ring10000.0"]["people_field"] == 300
    assert rows["ring10000.0"]["incidents"] == 3
    assert rows["outsideNone"]["villages"] == 1 and rows["outsideNone"]["people_field"] == 300
    assert rows["totalNone"]["villages"] == 3


def test_bad_inputs_give_clear_errors_and_reports():
    crs = CRS.from_epsg(32630)
    with pytest.raises(MewError, match="nothing to measure"):
        analyse_coverage(crs, None, None, _features([Point(0, 0)]), None, CoverageSettings())
    with pytest.raises(MewError, match="empty"):
        analyse_coverage(
            crs, _features([Point(400000, 1600000)]), None, _features([]), None, CoverageSettings(base_radius=1000.0)
        )
    with pytest.raises(MewError, match="no point"):
        analyse_coverage(crs, Features([5], [None], "bases"), None, None, None, CoverageSettings(base_radius=1.0))
    with pytest.raises(MewError, match="Bases 1"):
        analyse_coverage(
            crs,
            Features([1], [Point(400000, 1600000)], "bases"),
            None,
            None,
            None,
            CoverageSettings(base_radius=[None]),
        )
    with pytest.raises(MewError, match="RINGS"):
        parse_rings("5000, ten km")
    # A village without geometry is reported by id, the others are measured.
    result = analyse_coverage(
        crs,
        _features([Point(400000, 1600000)]),
        None,
        Features([11, 12], [Point(400500, 1600000), None], "villages"),
        None,
        CoverageSettings(base_radius=1000.0),
    )
    assert result.villages["covered"].tolist() == [True]
    assert any("12" in w and "villages" in w for w in result.warnings)


def test_nearest_segments_with_a_reach_limit_agrees_within_it(latitude_span_layer):
    from mission_early_warning.core.geodesic_search import Segments, nearest_segments

    _, tracks, villages = latitude_span_layer
    geodesy = Geodesy(WGS84)
    segments = Segments.from_lines(geodesy, tracks)
    lon = np.array([p.x for p in villages])
    lat = np.array([p.y for p in villages])
    full, owner = nearest_segments(geodesy, lon, lat, segments)
    limited, limited_owner = nearest_segments(geodesy, lon, lat, segments, max_distance=8000.0)
    inside = full <= 8000.0
    assert inside.any() and (~inside).any()
    assert np.allclose(limited[inside], full[inside]) and np.array_equal(limited_owner[inside], owner[inside])
    assert np.all(np.isinf(limited[~inside])) and np.all(limited_owner[~inside] == -1)


def test_gap_score_by_hand():
    from mission_early_warning.core.coverage_gaps import GapSettings, rank_gaps

    crs = CRS.from_epsg(32630)
    x0, y0 = 400000.0, 1600000.0
    coverage = [box(x0 - 5000, y0 - 5000, x0 + 5000, y0 + 5000)]
    villages = Features(
        [1, 2, 3, 4], [Point(x0, y0), Point(x0 + 20000, y0), Point(x0 + 35000, y0), Point(x0 - 15000, y0)], "villages"
    )
    as_of = dt.date(2026, 10, 31)
    # Village 2: 6 recent incidents (rising from none); village 4: 3 recent and 6 old ones (earlier rate 2/180 d).
    incidents = [Point(x0 + 20000 + 100 * i, y0) for i in range(6)] + [
        Point(x0 - 15000, y0 + 100 * i) for i in range(9)
    ]
    dates = (
        [as_of - dt.timedelta(days=10)] * 6
        + [as_of - dt.timedelta(days=20)] * 3
        + [as_of - dt.timedelta(days=400 + i) for i in range(6)]
    )
    settings = GapSettings(
        incident_radius_m=5000.0,
        recent_days=180,
        as_of=as_of,
        distance_scale_m=30000.0,
        weights={"incidents": 0.5, "trend": 0.0, "drought": 0.0, "population": 0.0, "distance": 0.5},
    )
    result = rank_gaps(
        crs,
        villages,
        coverage,
        settings,
        population=[100, 100, 100, 100],
        incidents=_features(incidents),
        incident_dates=dates,
    )
    table = result.table
    assert [villages.ids[r] for r in result.rows] == [2, 3, 4]  # village 1 is covered: no gap
    assert table["dist_cov_m"][0] == pytest.approx(15000.0, rel=1e-3)
    assert table["inc_recent"].tolist() == [6.0, 0.0, 3.0]
    # score = 100·(0.5·recent/6 + 0.5·min(distance/30 km, 1))
    assert table["score"][0] == pytest.approx(100 * (0.5 * 1.0 + 0.5 * 15000 / 30000), rel=1e-3)
    assert table["score"][1] == pytest.approx(100 * (0.5 * 0.0 + 0.5 * 1.0), rel=1e-3)
    assert table["score"][2] == pytest.approx(100 * (0.5 * 0.5 + 0.5 * 10000 / 30000), rel=1e-3)
    start = as_of.toordinal() - 180 - (as_of - dt.timedelta(days=405)).toordinal()
    assert table["inc_before_rate"][2] == pytest.approx(6 * 180 / start)
    assert "recent incidents" in table["reason"][0] and "km from coverage" in table["reason"][0]
