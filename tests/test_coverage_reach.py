"""Coverage at the edges: how far a zone is drawn true.

Zones are measured against pyproj's geodesics (Karney): every vertex of a zone
lies at the reach from its base or track, up to 5,000 km, in a
longitude/latitude layer and in a UTM layer alike.
"""

from __future__ import annotations

import numpy as np
import pytest
from pyproj import CRS, Geod, Transformer
from shapely.geometry import LineString, Point

from mission_early_warning.core.coverage import CoverageSettings, Features, analyse_coverage
from mission_early_warning.core.geodesic import Geodesy, Segments, nearest_segments

GEOD = Geod(ellps="WGS84")
WGS84 = CRS.from_epsg(4326)
UTM33 = CRS.from_epsg(32633)
LON, LAT = 15.0, 8.0  # on UTM zone 33's central meridian
REACHES = [10e3, 300e3, 1000e3, 2000e3, 5000e3]


def features(geometries, name="layer", ids=None):
    return Features(list(ids or range(len(geometries))), list(geometries), name)


def in_crs(crs, lon, lat):
    x, y = Transformer.from_crs(WGS84, crs, always_xy=True).transform(np.asarray(lon), np.asarray(lat))
    return np.asarray(x), np.asarray(y)


def vertices_lonlat(crs, geometry):
    parts = getattr(geometry, "geoms", [geometry])
    xy = np.concatenate([np.asarray(p.exterior.coords)[:, :2] for p in parts])
    lon, lat = Transformer.from_crs(crs, WGS84, always_xy=True).transform(xy[:, 0], xy[:, 1])
    return np.asarray(lon), np.asarray(lat)


def track(crs):
    """A 45 km patrol track with a bend, around (15° E, 8° N)."""
    lon = np.array([LON - 0.2, LON, LON + 0.1])
    lat = np.array([LAT - 0.1, LAT + 0.05, LAT + 0.2])
    return LineString(np.column_stack(in_crs(crs, lon, lat)))


@pytest.mark.parametrize("crs", [WGS84, UTM33], ids=["EPSG:4326", "EPSG:32633"])
@pytest.mark.parametrize("reach", REACHES, ids=[f"{r / 1000:.0f}km" for r in REACHES])
def test_base_circles_are_true_up_to_the_widest_reach(crs, reach):
    x, y = in_crs(crs, [LON], [LAT])
    result = analyse_coverage(crs, features([Point(x[0], y[0])]), None, None, None,
                              CoverageSettings(base_radius=reach))
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
    result = analyse_coverage(crs, None, features([line]), None, None,
                              CoverageSettings(patrol_distance=reach, patrol_segments=64))
    lon, lat = vertices_lonlat(crs, result.zones[0].geometry)
    geodesy = Geodesy(crs)
    distance, _ = nearest_segments(geodesy, lon, lat, Segments.from_lines(geodesy, [line]))
    assert np.max(np.abs(distance / reach - 1.0)) < 5e-4
