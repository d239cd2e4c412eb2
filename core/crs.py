"""Choosing a metric CRS so that distances are analysed in metres, never degrees."""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike
from pyproj import CRS, Transformer

from .errors import MewError


def for_pyproj(*arrays: ArrayLike) -> list:
    """Coordinate arrays as pyproj should get them: float arrays, a one-element array as a list.

    pyproj >= 3.7 first tries a scalar fast path that calls ``float()`` on its
    inputs; for a one-element NumPy array that is deprecated (NumPy 1.25, an
    error to come) and returns scalars. A list takes pyproj's array path.
    """
    converted = [np.asarray(a, dtype=float) for a in arrays]
    return [a.ravel().tolist() if a.size == 1 else a for a in converted]


def transform_xy(transformer: Transformer, x: ArrayLike, y: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """``transformer.transform(x, y)`` on coordinate arrays, arrays of the same shape back, whatever their size."""
    shape = np.shape(x)
    tx, ty = transformer.transform(*for_pyproj(x, y))
    return np.asarray(tx, dtype=float).reshape(shape), np.asarray(ty, dtype=float).reshape(shape)


def impossible_coordinates(crs: CRS, x: ArrayLike, y: ArrayLike) -> np.ndarray:
    """True where a point cannot be a place: NaN or infinite, or, in a CRS of longitudes and latitudes in
    degrees, a longitude beyond ±180° or a latitude beyond ±90° (x is the longitude, as QGIS gives it).

    Such points must never shape an extent or choose a projection: a longitude of 500° transforms to
    finite but meaningless metres.
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    bad = ~(np.isfinite(x) & np.isfinite(y))
    if crs.is_geographic and all(axis.unit_name.startswith("degree") for axis in crs.axis_info[:2]):
        with np.errstate(invalid="ignore"):
            bad |= (np.abs(x) > 180.0) | (np.abs(y) > 90.0)
    return bad


def is_metric(crs: CRS) -> bool:
    """True for a projected CRS whose axes are in metres."""
    if not crs.is_projected:
        return False
    return all(axis.unit_name in ("metre", "meter") for axis in crs.axis_info[:2])


def is_mercator(crs: CRS) -> bool:
    """True for (Web) Mercator: metre axes whose scale grows with latitude by 1/cos(latitude).

    Transverse Mercator (UTM) is true to scale near its meridian and is not
    counted here.
    """
    operation = crs.coordinate_operation if crs.is_projected else None
    method = (operation.method_name if operation is not None else "").lower()
    return "mercator" in method and "transverse" not in method


def is_true_to_scale(crs: CRS) -> bool:
    """True when distances measured in ``crs`` are metres on the ground (to map-projection accuracy)."""
    return is_metric(crs) and not is_mercator(crs)


def utm_crs(lon: float, lat: float) -> CRS:
    """The WGS 84 / UTM zone CRS that contains ``lon``, ``lat``."""
    if not (-180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0):
        raise MewError("Coordinate ({lon}, {lat}) is not a longitude/latitude.", lon=lon, lat=lat)
    zone = min(int((lon + 180.0) // 6.0) + 1, 60)
    return CRS.from_epsg((32600 if lat >= 0 else 32700) + zone)


def local_metric_crs(lon_min: float, lat_min: float, lon_max: float, lat_max: float) -> CRS:
    """A metric CRS suited to a lon/lat extent.

    A UTM zone when the extent is narrow enough for its scale error to stay
    below about 0.1 %; otherwise a Lambert azimuthal equal-area projection
    centred on the extent (areas exact, distances good near the centre).
    Analyses that need exact distances over very wide areas should compute
    them geodesically instead.
    """
    lon_c = (lon_min + lon_max) / 2.0
    lat_c = (lat_min + lat_max) / 2.0
    zone_centre = (min(int((lon_c + 180.0) // 6.0) + 1, 60) - 1) * 6.0 - 177.0
    half_width_km = (
        max(abs(lon_min - zone_centre), abs(lon_max - zone_centre))
        * 111.32
        * math.cos(math.radians(max(abs(lat_min), abs(lat_max)) if lat_max * lat_min > 0 else 0.0))
    )
    if half_width_km <= 300.0 and lat_max - lat_min <= 20.0 and abs(lat_c) < 80.0:
        return utm_crs(lon_c, lat_c)
    return CRS.from_proj4(f"+proj=laea +lat_0={lat_c:.6f} +lon_0={lon_c:.6f} +datum=WGS84 +units=m +no_defs")


def metric_crs_for(crs: CRS, bounds_lonlat: tuple[float, float, float, float]) -> CRS:
    """``crs`` itself when it is true to scale, else :func:`local_metric_crs` of the bounds."""
    if is_true_to_scale(crs):
        return crs
    return local_metric_crs(*bounds_lonlat)


def metric_crs_for_points(crs: CRS, x: np.ndarray, y: np.ndarray) -> CRS:
    """The CRS to measure distances between points given in ``crs``, in metres on the ground.

    ``crs`` itself when it is true to scale; otherwise a local metric CRS
    chosen from where the points are. Coordinates outside the valid lon/lat
    range are ignored, and with 100 points or more so are the outer 1 % on each
    side, so one mistyped or swapped coordinate cannot move the analysis to
    another projection.
    """
    if is_true_to_scale(crs):
        return crs
    geographic = crs.geodetic_crs or CRS.from_epsg(4326)
    lon, lat = transform_xy(Transformer.from_crs(crs, geographic, always_xy=True), x, y)
    valid = np.isfinite(lon) & np.isfinite(lat) & (np.abs(lon) <= 180.0) & (np.abs(lat) <= 90.0)
    if not valid.any():
        raise MewError(
            "No point has a usable location in {name}: check that the layer's CRS is set correctly.", name=crs.name
        )
    lon, lat = lon[valid], lat[valid]
    low, high = (1.0, 99.0) if lon.size >= 100 else (0.0, 100.0)
    lon_min, lon_max = np.percentile(lon, [low, high])
    lat_min, lat_max = np.percentile(lat, [low, high])
    return local_metric_crs(float(lon_min), float(lat_min), float(lon_max), float(lat_max))
