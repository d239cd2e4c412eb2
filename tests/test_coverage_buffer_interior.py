"""Track buffers dissolved with less GEOS work: the region certainly covered stands in for the buffers inside it.

Every zone built with the grid interior (:mod:`core.buffer_interior`) is compared with the
same zone built the plain way (every track buffered, all buffers dissolved): the two regions
must be the same, their symmetric difference under a millionth of the zone's area.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from osgeo import ogr
from pyproj import CRS, Transformer
from shapely import wkb
from shapely.geometry import LineString
from shapely.ops import unary_union

from mission_early_warning.core import geodesic
from mission_early_warning.core.buffer_interior import interior_and_rest
from mission_early_warning.core.coverage import analyse_coverage
from mission_early_warning.core.coverage_types import CoverageSettings, Features
from mission_early_warning.core.geodesic import Geodesy, buffer_lines

UTM30 = CRS.from_epsg(32630)
WGS84 = CRS.from_epsg(4326)
#: Largest share of a zone's area by which the zone may differ from the plain one.
SAME_REGION = 1e-6


def _walks(seed: int, tracks: int = 120, vertices: int = 40, step: float = 300.0, spread: float = 6000.0):
    """Random-walk tracks (UTM 30N metres) leaving from a few bases, as patrols do."""
    rng = np.random.default_rng(seed)
    bases = np.column_stack((400_000.0 + rng.uniform(0, spread, 4), 1_600_000.0 + rng.uniform(0, spread, 4)))
    lines = []
    for number in range(tracks):
        heading = np.cumsum(rng.normal(0, 0.4, vertices - 1)) + rng.uniform(0, 2 * np.pi)
        steps = np.column_stack((np.cos(heading), np.sin(heading))) * step
        start = bases[number % len(bases)]
        lines.append(LineString(np.vstack((start, start + np.cumsum(steps, axis=0)))))
    return lines


def _plain(monkeypatch, build):
    """What ``build()`` gives when every track is buffered and dissolved, without the grid interior."""
    with monkeypatch.context() as patch:
        patch.setattr(geodesic, "interior_and_rest", lambda lines, *args: (None, list(lines)))
        return build()


def _assert_same_region(ours, plain) -> None:
    assert ours is not None and plain is not None
    assert ours.is_valid
    difference = ours.symmetric_difference(plain).area
    assert difference <= SAME_REGION * plain.area, (difference, plain.area)


def _to_wgs84(lines):
    to_lonlat = Transformer.from_crs(UTM30, WGS84, always_xy=True)
    return [LineString(np.column_stack(to_lonlat.transform(*np.asarray(line.coords).T))) for line in lines]


@pytest.mark.parametrize("seed", [1, 3])
@pytest.mark.parametrize("segments", [1, 2, 8])
def test_the_interior_lies_inside_the_polygonal_buffers_and_stands_in_for_most_tracks(seed, segments):
    lines = _walks(seed)
    distance = 2000.0
    plain = unary_union([line.buffer(distance, segments) for line in lines])
    interior, rest = interior_and_rest(lines, distance, segments)
    assert interior is not None
    # Inside, even where GEOS's joins cut deep into the circle: with one quadrant segment a join of 130° is
    # drawn as a single chord, 0.42 d from the vertex.
    assert interior.difference(plain).area <= 1e-9 * plain.area
    assert interior.area > 0.3 * plain.area
    segments_left = sum(len(line.coords) - 1 for line in rest)
    assert segments_left < (0.5 if segments > 1 else 0.9) * sum(len(line.coords) - 1 for line in lines)
    # Left-out segments come back nowhere; the runs kept are pieces of the tracks.
    ours = unary_union([interior, *(line.buffer(distance, segments) for line in rest)])
    _assert_same_region(ours, plain)


@pytest.mark.parametrize("segments", [1, 2, 3])
def test_the_interior_stays_inside_where_geos_draws_a_join_with_one_wide_step(segments):
    # GEOS rounds a join's number of steps: a turn of 1.45 angle quanta is drawn as one chord, which passes
    # cos(0.725 quantum) d from the vertex (0.42 d with one quadrant segment), not cos(quantum / 2) d.
    distance = 1000.0
    turn = 1.45 * math.pi / (2 * segments)
    corner = np.array([500_000.0, 1_600_000.0])
    track = LineString(
        [corner - (distance, 0.0), corner, corner + distance * np.array([math.cos(turn), math.sin(turn)])]
    )
    interior, _ = interior_and_rest([track], distance, segments)
    assert interior is not None
    assert interior.difference(track.buffer(distance, segments)).area <= 1e-9 * interior.area


@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize("distance", [400.0, 2000.0, 5000.0])
@pytest.mark.parametrize("segments", [2, 8])
def test_track_buffers_in_a_projected_crs_cover_the_plain_region(monkeypatch, seed, distance, segments):
    geodesy = Geodesy(UTM30)
    lines = _walks(seed)
    ours = buffer_lines(geodesy, lines, distance, segments)
    plain = _plain(monkeypatch, lambda: buffer_lines(geodesy, lines, distance, segments))
    _assert_same_region(ours, plain)


def test_tracks_spread_far_wider_than_their_distance_get_coarser_cells_or_none(monkeypatch):
    # Two crowds of tracks 600 km apart: a grid of an eighth of the distance would pass MAX_CELLS.
    near = _walks(9, tracks=60)
    far = [LineString(np.asarray(line.coords) + 600_000.0) for line in _walks(10, tracks=60)]
    lines = near + far
    geodesy = Geodesy(UTM30)
    interior, rest = interior_and_rest(lines, 2000.0, 8)  # coarser cells, still much left out
    assert interior is not None and len(rest) < len(lines)
    assert interior.difference(unary_union([line.buffer(2000.0, 8) for line in lines])).area == pytest.approx(0.0)
    ours = buffer_lines(geodesy, lines, 2000.0, 8)
    _assert_same_region(ours, _plain(monkeypatch, lambda: buffer_lines(geodesy, lines, 2000.0, 8)))
    # At 300 m the cells would be wider than the reach of a vertex: every track is buffered.
    assert interior_and_rest(lines, 300.0, 8) == (None, lines)


@pytest.mark.parametrize("distance", [700.0, 2500.0])
def test_track_buffers_in_a_geographic_crs_cover_the_plain_region(monkeypatch, distance):
    geodesy = Geodesy(WGS84)
    lines = _to_wgs84(_walks(5))
    ours = buffer_lines(geodesy, lines, distance, 8)
    plain = _plain(monkeypatch, lambda: buffer_lines(geodesy, lines, distance, 8))
    _assert_same_region(ours, plain)


@pytest.mark.parametrize(
    "lines",
    [
        pytest.param([LineString([(400_000, 1_600_000), (400_150, 1_600_080)])], id="one short track"),
        pytest.param(
            [
                LineString([(400_000 + x, 1_600_000 + y) for x, y in ((0, 0), (6000, 6000))]),
                LineString([(400_000 + x, 1_600_000 + y) for x, y in ((0, 6000), (6000, 0))]),
                LineString([(400_000 + x, 1_600_000 + y) for x, y in ((3000, -1000), (3000, 7000))]),
            ],
            id="crossing tracks",
        ),
        pytest.param(
            [LineString([(400_000, 1_600_000), (400_000, 1_600_000)]), *_walks(4, tracks=30)],
            id="a one-vertex track among others",
        ),
        pytest.param(
            [LineString([(400_000, 1_600_000)] * 3 + [(400_300, 1_600_000)] * 4 + [(400_300, 1_600_500)])]
            + [LineString(np.repeat(np.asarray(line.coords), 3, axis=0)) for line in _walks(6, tracks=40)],
            id="repeated vertices",
        ),
    ],
)
@pytest.mark.parametrize("distance", [300.0, 2000.0])
def test_unusual_tracks_cover_the_plain_region(monkeypatch, lines, distance):
    geodesy = Geodesy(UTM30)
    ours = buffer_lines(geodesy, lines, distance, 8)
    plain = _plain(monkeypatch, lambda: buffer_lines(geodesy, lines, distance, 8))
    _assert_same_region(ours, plain)


@pytest.mark.parametrize("crs", [UTM30, WGS84], ids=["UTM 30N", "WGS 84"])
def test_coverage_zones_and_rings_cover_the_plain_regions(monkeypatch, crs):
    lines = _walks(8)
    if crs == WGS84:
        lines = _to_wgs84(lines)
    patrols = Features(list(range(len(lines))), lines, "patrols")
    settings = CoverageSettings(patrol_distance=1500.0, rings=(800.0, 3000.0), base_radius=None)

    def zones():
        return analyse_coverage(crs, None, patrols, None, None, settings).zones

    ours, plain = zones(), _plain(monkeypatch, zones)
    assert [zone.label for zone in ours] == ["covered", "within 800 m", "within 3000 m"]
    for zone, plain_zone in zip(ours, plain):
        _assert_same_region(zone.geometry, plain_zone.geometry)
        assert math.isclose(zone.area_km2, plain_zone.area_km2, rel_tol=SAME_REGION)


def test_the_demo_patrol_zones_are_the_plain_ones(monkeypatch, demo_mission):
    source = ogr.Open(str(demo_mission.file("patrol_tracks")))
    layer = source.GetLayerByName(demo_mission.layer_entry("patrol_tracks")["layer"])
    lines = [wkb.loads(bytes(feature.GetGeometryRef().ExportToWkb())) for feature in layer]
    assert len(lines) > 50
    _, rest = interior_and_rest(lines, 2000.0, 8)  # the demo's tracks crowd enough to leave much out
    assert sum(len(line.coords) - 1 for line in rest) < 0.6 * sum(len(line.coords) - 1 for line in lines)
    geodesy = Geodesy(UTM30)
    for distance in (1000.0, 2000.0, 5000.0):
        ours = buffer_lines(geodesy, lines, distance, 8)
        plain = _plain(monkeypatch, lambda d=distance: buffer_lines(geodesy, lines, d, 8))
        _assert_same_region(ours, plain)
