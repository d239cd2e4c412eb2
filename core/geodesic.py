"""True ground distances and buffers on the ellipsoid, whatever the input CRS.

Every coordinate is brought to longitude/latitude on the CRS's own ellipsoid.
Nearest-neighbour searches (:mod:`.geodesic_search`) run in Earth-centred 3-D coordinates (ECEF), where
the straight-line (chord) distance orders points as the geodesic distance does
to second order in d/R, so a single k-d tree serves a layer spanning any range
of latitudes; the winning candidates are then measured exactly with
``pyproj.Geod`` (Karney's geodesics). Buffers are built as exact geodesic
circles (points) or in an azimuthal equidistant projection centred on each
group of lines (at most ~2° across, scale error < 0.01 %), never in degrees.
"""

from __future__ import annotations

import math
from typing import Any, Iterable, Sequence

import numpy as np
from pyproj import CRS, Geod, Proj, Transformer
from shapely import wkb as shapely_wkb
from shapely.geometry import LineString, MultiPolygon, Polygon
from shapely.ops import transform as shapely_transform
from shapely.ops import unary_union
from shapely.validation import make_valid

from . import parallel
from .buffer_interior import interior_and_rest
from .crs import for_pyproj, is_metric, transform_xy
from .errors import MewError
from .messages import message
from .progress import SILENT, Progress

#: Longest 3-D chord piece a track segment is cut into for the k-d tree (metres).
MAX_PIECE_M = 500.0
#: The widest reach (metres) of a coverage zone: a base's radius, a patrol's reach or a ring. Up to this reach the
#: zones are measured true (tests/test_coverage_reach.py): a base's circle has its vertices exactly on the geodesic
#: circle and its area within 0.05 % of it; track buffers, built in an azimuthal equidistant projection (or the
#: layer's own CRS where it is true to scale as far as the buffer reaches), keep their edge within 0.05 % of the
#: reach. A zone this wide already covers 15 % of the Earth; wider ones close in on the far side of the globe
#: (at about 20,000 km a circle is a speck round the antipode), which no reach of a base or a patrol needs.
MAX_REACH_M = 5_000_000.0
#: Lines are buffered in one azimuthal equidistant projection per cell of this size (degrees of latitude),
#: or in one for the whole layer when it spans at most two cells (radius ≤ ~310 km: scale error < 0.04 %).
CELL_DEGREES = 2.0


class Geodesy:
    """Coordinate conversions and geodesic measures for one CRS."""

    def __init__(self, crs: CRS) -> None:
        self.crs = CRS.from_user_input(crs)
        geodetic = self.crs.geodetic_crs
        geod = self.crs.get_geod()
        if geodetic is None or geod is None:
            raise MewError("The CRS '{name}' has no ellipsoid: distances cannot be measured in it.", name=self.crs.name)
        self.geodetic = geodetic
        self.geod: Geod = geod
        self.a = float(self.geod.a)
        self.f = float(self.geod.f)
        self.e2 = self.f * (2.0 - self.f)
        self._to_lonlat = Transformer.from_crs(self.crs, geodetic, always_xy=True)
        self._from_lonlat = Transformer.from_crs(geodetic, self.crs, always_xy=True)
        self._ellipsoid = f"+a={self.a!r} +rf={(1.0 / self.f if self.f else 0.0)!r}" if self.f else f"+R={self.a!r}"

    def to_lonlat(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return transform_xy(self._to_lonlat, x, y)

    def from_lonlat(self, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return transform_xy(self._from_lonlat, lon, lat)

    def ecef(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        """Earth-centred coordinates (n, 3) of points on the ellipsoid surface."""
        lam = np.radians(lon)
        phi = np.radians(lat)
        sin_phi = np.sin(phi)
        n = self.a / np.sqrt(1.0 - self.e2 * sin_phi * sin_phi)
        return np.column_stack(
            (n * np.cos(phi) * np.cos(lam), n * np.cos(phi) * np.sin(lam), n * (1.0 - self.e2) * sin_phi)
        )

    def lonlat_of_ecef(self, xyz: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Longitude/latitude of ECEF points near the surface (Bowring, mm-accurate)."""
        x, y, z = xyz[:, 0], xyz[:, 1], xyz[:, 2]
        b = self.a * (1.0 - self.f)
        ep2 = (self.a * self.a - b * b) / (b * b)
        p = np.hypot(x, y)
        theta = np.arctan2(z * self.a, p * b)
        lat = np.arctan2(z + ep2 * b * np.sin(theta) ** 3, p - self.e2 * self.a * np.cos(theta) ** 3)
        return np.degrees(np.arctan2(y, x)), np.degrees(lat)

    def distance(self, lon1, lat1, lon2, lat2) -> np.ndarray:
        """Geodesic distances in metres, element-wise."""
        lon1, lat1, lon2, lat2 = np.broadcast_arrays(*(np.asarray(v, float) for v in (lon1, lat1, lon2, lat2)))
        if lon1.size == 0:
            return np.zeros(lon1.shape)
        _, _, dist = self.geod.inv(*for_pyproj(lon1, lat1, lon2, lat2))
        return np.asarray(dist, float).reshape(lon1.shape)

    def aeqd(self, lon0: float, lat0: float) -> CRS:
        """Azimuthal equidistant CRS centred on ``lon0, lat0`` on this ellipsoid."""
        return CRS.from_proj4(f"+proj=aeqd +lat_0={lat0!r} +lon_0={lon0!r} {self._ellipsoid} +units=m +no_defs")

    def geodesic_circle(self, lon: float, lat: float, radius: float, vertices: int = 128) -> Polygon:
        """The geodesic circle of ``radius`` metres around a point, as a polygon in this CRS."""
        azimuths = np.linspace(0.0, 360.0, vertices, endpoint=False)
        lons, lats, _ = self.geod.fwd(
            np.full(vertices, lon), np.full(vertices, lat), azimuths, np.full(vertices, radius)
        )
        x, y = self.from_lonlat(np.asarray(lons), np.asarray(lats))
        return repaired(Polygon(np.column_stack((x, y))[::-1]))

    def polygon_area(self, geometry) -> float:
        """Geodesic area (m²) of a polygon given in this CRS."""
        if geometry is None or geometry.is_empty:
            return 0.0
        lonlat = shapely_transform(lambda x, y, z=None: self.to_lonlat(x, y), geometry)
        area, _ = self.geod.geometry_area_perimeter(lonlat)
        return abs(float(area))


class ZoneError(MewError):
    """A track buffer the CRS cannot draw: ``line`` is the index of the line among those buffered."""

    def __init__(self, line: int, why: str) -> None:
        super().__init__("The zone around line {line} {why}.", line=line, why=why)
        self.line = line
        self.why = why


def zone_problem(
    geodesy: Geodesy, lon: np.ndarray, lat: np.ndarray, reach: np.ndarray | float
) -> tuple[int, str] | None:
    """The first point whose zone of ``reach`` metres cannot be drawn in the geodesy's CRS, and why; else None.

    A polygon cannot go round a pole or across the antimeridian (±180°) in a
    longitude/latitude CRS, nor in a projected CRS that cannot map the pole
    (Mercator) or is cut at the antimeridian (a world projection centred on
    Greenwich): a zone reaching one would come out as another shape. Nor can
    it reach where a projection's coordinates are infinite. The antimeridian
    is found on a sphere, with a 1 % margin for the ellipsoid.
    """
    lon, lat, reach = (np.asarray(v, float).ravel() for v in np.broadcast_arrays(lon, lat, reach))
    active = np.nonzero(reach > 0)[0]
    if active.size == 0:
        return None
    lon, lat, reach = lon[active], lat[active], reach[active]
    geographic = geodesy.crs.is_geographic
    name = geodesy.crs.name
    # Distance to the meridian at 180°: on a sphere, sin(d / R) = sin(Δλ) · cos(φ) while Δλ < 90°.
    delta = np.radians(180.0 - np.abs((lon + 180.0) % 360.0 - 180.0))
    radius = geodesy.a * (1.0 - geodesy.f / 3.0)
    across = np.where(
        delta < np.pi / 2, radius * np.arcsin(np.clip(np.sin(delta) * np.cos(np.radians(lat)), 0.0, 1.0)), np.inf
    )
    # A degree of meridian is at least 110.5 km long: the poles are measured only where they may be in reach.
    near = np.nonzero(reach >= (90.0 - np.abs(lat)) * 110_500.0)[0]
    north, south = np.full(lon.size, np.inf), np.full(lon.size, np.inf)
    north[near] = geodesy.distance(lon[near], lat[near], lon[near], np.full(near.size, 90.0))
    south[near] = geodesy.distance(lon[near], lat[near], lon[near], np.full(near.size, -90.0))
    pole = np.minimum(north, south)
    remedy = message(
        "Use a smaller reach, or give the layers a projected CRS centred on the mission (e.g. its UTM zone)"
    )

    def unreachable(place: str, distance: float, reason: str) -> str:
        return message(
            "reaches {place}, {km:,.0f} km away: {reason}. {remedy}",
            place=place,
            km=distance / 1000,
            reason=reason,
            remedy=remedy,
        )

    for found in np.nonzero((reach >= pole) | (reach >= 0.99 * across))[0]:
        if reach[found] >= pole[found]:
            which = 90.0 if north[found] <= south[found] else -90.0
            if geographic or not _maps_the_pole(geodesy, which):
                reason = (
                    message("a zone cannot go round a pole in {crs}, a longitude/latitude CRS", crs=name)
                    if geographic
                    else message("{crs} cannot map the pole", crs=name)
                )
                pole_name = message("the North Pole") if which > 0 else message("the South Pole")
                return int(active[found]), unreachable(pole_name, pole[found], reason)
        if reach[found] >= 0.99 * across[found] and (geographic or _cut_at_antimeridian(geodesy, lat[found])):
            reason = (
                message("a zone cannot cross it in {crs}, a longitude/latitude CRS", crs=name)
                if geographic
                else message("{crs} is cut there", crs=name)
            )
            return int(active[found]), unreachable(message("the antimeridian (180°)"), across[found], reason)
    if geographic:
        return None
    azimuths = np.arange(0.0, 360.0, 22.5)
    edge_lon, edge_lat, _ = geodesy.geod.fwd(
        np.repeat(lon, azimuths.size),
        np.repeat(lat, azimuths.size),
        np.tile(azimuths, lon.size),
        np.repeat(reach, azimuths.size),
    )
    x, y = geodesy.from_lonlat(np.asarray(edge_lon), np.asarray(edge_lat))
    drawable = (np.isfinite(x) & np.isfinite(y)).reshape(lon.size, azimuths.size).all(axis=1)
    if drawable.all():
        return None
    found = int(np.argmin(drawable))
    return int(active[found]), message(
        "reaches beyond what {crs} can map (its coordinates there are infinite). {remedy}", crs=name, remedy=remedy
    )


def _maps_the_pole(geodesy: Geodesy, latitude: float) -> bool:
    """True when the projected CRS maps the pole at ``latitude`` (±90) to one finite point."""
    x, y = geodesy.from_lonlat(np.array([-120.0, 0.0, 120.0]), np.full(3, latitude))
    if not (np.isfinite(x).all() and np.isfinite(y).all()):
        return False
    return float(np.ptp(x)) + float(np.ptp(y)) < 1.0


def _cut_at_antimeridian(geodesy: Geodesy, latitude: float) -> bool:
    """True when two points 22 m apart either side of 180° land far apart (or nowhere) in the projected CRS."""
    x, y = geodesy.from_lonlat(np.array([179.9999, -179.9999]), np.full(2, np.clip(latitude, -89.0, 89.0)))
    if not (np.isfinite(x).all() and np.isfinite(y).all()):
        return True
    return float(np.hypot(x[1] - x[0], y[1] - y[0])) > 1000.0


def repaired(shape: Any) -> Any:
    """An invalid polygon as GEOS's make_valid repairs it; any other shape as it is.

    The repair keeps every area the rings enclose (a self-intersecting
    "bow-tie" becomes its two triangles, where the ring as it is counts one
    triangle's area against the other's, 0 when they are equal, and can have
    its centroid outside both) and drops only parts collapsed to lines or
    points, which cover no area: areas, cells, centroids and zones measured on
    the repaired polygon are those the polygon was drawn to mean. Lines are
    left as they are: a one-point track still counts as a patrol at that point.
    """
    if shape.geom_type not in ("Polygon", "MultiPolygon") or shape.is_valid:
        return shape
    fixed = make_valid(shape)
    if fixed.geom_type == "GeometryCollection":
        polygons = [
            p
            for part in fixed.geoms
            if part.geom_type in ("Polygon", "MultiPolygon")
            for p in getattr(part, "geoms", [part])
        ]
        fixed = MultiPolygon(polygons)
    return fixed


def line_parts(geometry) -> Iterable[LineString]:
    if geometry is None or geometry.is_empty:
        return []
    kind = geometry.geom_type
    if kind == "LineString" or kind == "LinearRing":
        return [geometry]
    if kind == "Polygon":
        return [geometry.exterior, *geometry.interiors]
    if hasattr(geometry, "geoms"):
        return [p for g in geometry.geoms for p in line_parts(g)]
    raise MewError("Expected lines, got a {kind}.", kind=kind)


def buffer_lines(
    geodesy: Geodesy,
    lines: Sequence,
    distance: float,
    resolution: int = 8,
    chunk: int = 10000,
    progress: Progress = SILENT,
):
    """Dissolved buffer (in the geodesy's CRS) of ``distance`` metres around lines.

    Each line is buffered by itself (never one giant multi-part geometry) in a
    CRS true to scale where it lies (see :func:`_buffer_crs`), the buffers are
    dissolved per region in chunks (GEOS's cascaded union), and the regions are
    dissolved at the end.
    """
    shapes, owners = [], []
    for number, line in enumerate(lines):
        for part in line_parts(line):
            if not part.is_empty:
                shapes.append(part)
                owners.append(number)
    if not shapes:
        return None
    parts = [np.asarray(part.coords, float)[:, :2] for part in shapes]
    sizes = np.array([p.shape[0] for p in parts])
    offsets = np.concatenate(([0], np.cumsum(sizes)))
    coords = np.concatenate(parts)
    # The extreme vertices are the nearest to a pole, the antimeridian or the edge of the CRS's map.
    extremes = np.unique([*np.argmin(coords, axis=0), *np.argmax(coords, axis=0)])
    problem = zone_problem(geodesy, *geodesy.to_lonlat(coords[extremes, 0], coords[extremes, 1]), distance)
    if problem is not None:
        vertex, why = problem
        raise ZoneError(owners[int(np.searchsorted(offsets, extremes[vertex], side="right")) - 1], why)
    if is_metric(geodesy.crs):
        # Decide from the extent's corners and each part's first vertex whether the layer's own CRS will do,
        # without converting every vertex.
        (x0, y0), (x1, y1) = coords.min(axis=0), coords.max(axis=0)
        sample_x = np.concatenate(([x0, x1, x0, x1, (x0 + x1) / 2], coords[offsets[:-1], 0]))
        sample_y = np.concatenate(([y0, y0, y1, y1, (y0 + y1) / 2], coords[offsets[:-1], 1]))
        sample_lon, sample_lat = geodesy.to_lonlat(sample_x, sample_y)
        if _compact(sample_lon, sample_lat):
            local, scale = _buffer_crs(geodesy, sample_lon, sample_lat, 0.0, 0.0, distance)
            if local is None:
                return _dissolve_buffers(shapes, distance * scale, resolution, chunk, progress, coords, sizes)
    lon, lat = geodesy.to_lonlat(coords[:, 0], coords[:, 1])
    first_lon, first_lat = lon[offsets[:-1]], lat[offsets[:-1]]
    regions: dict[tuple[int, int], np.ndarray] = {}
    if _compact(lon, lat):
        centre = ((float(lon.min()) + float(lon.max())) / 2.0, (float(lat.min()) + float(lat.max())) / 2.0)
        regions[(0, 0)] = np.arange(len(parts))
        centres = {(0, 0): centre}
    else:
        keys = [_cell_key(float(a), float(b)) for a, b in zip(first_lon, first_lat)]
        for key in set(keys):
            regions[key] = np.array([i for i, k in enumerate(keys) if k == key])
        centres = {key: _cell_centre(key) for key in regions}
    merged = []
    done = 0
    for key, members in regions.items():
        lon0, lat0 = centres[key]
        take = np.concatenate([np.arange(offsets[m], offsets[m + 1]) for m in members])
        local, scale = _buffer_crs(geodesy, lon[take], lat[take], lon0, lat0, distance)
        if local is None:  # the layer's own CRS is metric and true to scale here: buffer in it
            local_parts = [shapes[m] for m in members]
            local_xy = coords[take]
            backward = None
        else:
            forward = Transformer.from_crs(geodesy.geodetic, local, always_xy=True)
            backward = Transformer.from_crs(local, geodesy.crs, always_xy=True)
            x, y = transform_xy(forward, lon[take], lat[take])
            local_xy = np.column_stack((x, y))
            local_offsets = np.concatenate(([0], np.cumsum(sizes[members])))
            local_parts = [_line(local_xy[local_offsets[i] : local_offsets[i + 1]]) for i in range(len(members))]
        region_union = _dissolve_buffers(
            local_parts,
            distance * scale,
            resolution,
            chunk,
            progress.sub(done / len(parts), (done + len(members)) / len(parts)),
            local_xy,
            sizes[members],
        )
        done += len(members)
        if backward is not None:
            region_union = shapely_transform(lambda x, y, z=None, t=backward: transform_xy(t, x, y), region_union)
        merged.append(region_union)
    progress.step(0.9)
    result = unary_union(merged) if len(merged) > 1 else merged[0]
    progress.step(1.0)
    return result


#: Below this many lines, sharing the work out costs more than it saves.
PARALLEL_MIN_LINES = 400


def _dissolve_buffers(
    lines: Sequence,
    distance: float,
    resolution: int,
    chunk: int,
    progress: Progress,
    vertices: np.ndarray | None = None,
    sizes: np.ndarray | None = None,
):
    """Buffer each line by itself and dissolve the buffers (GEOS cascaded union, in chunks).

    Segments whose buffers lie inside the region certainly covered are left
    out, and that region is dissolved with the rest instead (see
    :mod:`.buffer_interior`). Large sets are split into one share per worker,
    each buffered and dissolved side by side with the others (GEOS dominates
    the time; see :mod:`.parallel` for threads or forked processes), and the
    shares are dissolved here. ``vertices`` and ``sizes``: the lines' coordinates, when at hand (see
    :func:`.buffer_interior.interior_and_rest`).
    """
    progress.check()
    interior, lines = interior_and_rest(lines, distance, resolution, vertices, sizes)
    if not lines:
        return interior
    shares = parallel.worker_count() if len(lines) >= PARALLEL_MIN_LINES and parallel.can_share() else 1
    size = -(-len(lines) // shares)

    def dissolve_share(first: int) -> bytes:
        share = lines[first : first + size]
        pieces = []
        for start in range(0, len(share), chunk):
            if not parallel.in_worker():  # only the caller may report to QGIS or stop on cancel
                progress.check()
                progress.step(0.8 * start / len(share))
            # A worker whose run was stopped (an error or a cancel in the caller) ends at its next line.
            chunk_lines = parallel.stoppable(share[start : start + chunk])
            pieces.append(unary_union([line.buffer(distance, resolution) for line in chunk_lines]))
        parallel.check_stopped()
        return (unary_union(pieces) if len(pieces) > 1 else pieces[0]).wkb

    dissolved = [
        shapely_wkb.loads(data)
        for data in parallel.map_parallel(dissolve_share, range(0, len(lines), size), progress.check)
    ]
    if interior is not None:
        dissolved.append(interior)
    progress.step(0.8)
    progress.check()
    return unary_union(dissolved) if len(dissolved) > 1 else dissolved[0]


def _buffer_crs(geodesy: Geodesy, lon: np.ndarray, lat: np.ndarray, lon0: float, lat0: float, distance: float = 0.0):
    """The CRS to buffer in and the factor from ground metres to its units.

    ``(None, k)`` when the layer's own CRS is metric and its scale factor stays
    within 0.05 % of ``k`` over these coordinates and as far as ``distance``
    metres beyond them, where the buffer reaches (e.g. UTM inside its zone, for
    a reach of up to about 200 km), so buffering there needs no reprojection;
    otherwise an azimuthal equidistant CRS centred on ``lon0, lat0`` with
    factor 1.
    """
    if is_metric(geodesy.crs):
        try:
            proj = Proj(geodesy.crs)
            sample = np.linspace(0, lon.size - 1, min(lon.size, 200)).astype(np.int64)
            corners_lon = np.array([lon.min(), lon.max(), lon.min(), lon.max()])
            corners_lat = np.array([lat.min(), lat.min(), lat.max(), lat.max()])
            sample_lon = np.concatenate((lon[sample], corners_lon))
            sample_lat = np.concatenate((lat[sample], corners_lat))
            if distance > 0:  # the buffer's outer edge, around the extent's corners
                azimuths = np.repeat(np.arange(0.0, 360.0, 45.0), 4)
                edge_lon, edge_lat, _ = geodesy.geod.fwd(
                    np.tile(corners_lon, 8), np.tile(corners_lat, 8), azimuths, np.full(azimuths.size, float(distance))
                )
                sample_lon = np.concatenate((sample_lon, edge_lon))
                sample_lat = np.concatenate((sample_lat, edge_lat))
            factors = proj.get_factors(sample_lon, sample_lat)
            k = np.concatenate((np.asarray(factors.meridional_scale), np.asarray(factors.parallel_scale)))
            if np.all(np.isfinite(k)):
                mean = float(k.mean())
                if float(np.abs(k / mean - 1.0).max()) <= 5e-4:
                    return None, mean
        except Exception:  # any PROJ failure: fall back to the always-valid projection
            pass
    return geodesy.aeqd(lon0, lat0), 1.0


def _compact(lon: np.ndarray, lat: np.ndarray) -> bool:
    """True when one azimuthal equidistant projection serves the whole extent (< 0.1 % scale error)."""
    if lon.size == 0:
        return True
    lat_span = float(lat.max() - lat.min())
    lon_span = float(lon.max() - lon.min())
    widest = math.cos(math.radians(min(abs(float(lat.min())), abs(float(lat.max())))))
    return lat_span <= 2 * CELL_DEGREES and lon_span * widest <= 2 * CELL_DEGREES and abs(float(lat.max())) < 85


def _line(xy: np.ndarray) -> LineString:
    return LineString(xy if xy.shape[0] > 1 else np.vstack((xy, xy)))


def _cell_width(row: int) -> float:
    """Longitude width (degrees) of the cells in latitude band ``row``: about square on the ground."""
    band_lat = min(abs(row * CELL_DEGREES), abs((row + 1) * CELL_DEGREES))
    return CELL_DEGREES / max(math.cos(math.radians(min(band_lat + CELL_DEGREES, 89.0))), 0.05)


def _cell_key(lon: float, lat: float) -> tuple[int, int]:
    row = math.floor(lat / CELL_DEGREES)
    return row, math.floor((lon + 180.0) / _cell_width(row))


def _cell_centre(key: tuple[int, int]) -> tuple[float, float]:
    row, col = key
    return -180.0 + (col + 0.5) * _cell_width(row), (row + 0.5) * CELL_DEGREES
