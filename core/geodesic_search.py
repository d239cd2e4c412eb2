"""Nearest-line and within-reach searches on the ellipsoid: track segments as 3-D chords in a k-d tree.

Points and segments are compared in Earth-centred 3-D coordinates (ECEF), where
the chord distance orders places as the geodesic distance does to second order
in d/R (see :mod:`.geodesic`); the winners are measured exactly with ``pyproj.Geod``.

scipy's ``cKDTree`` is used because nearest-neighbour queries for 100,000
points against 250,000 track segments must run in C; shapely 1.8's STRtree
offers no vectorised nearest query.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
from scipy.spatial import cKDTree

from .geodesic import MAX_PIECE_M, Geodesy, line_parts
from .progress import SILENT, Progress


@dataclass
class Segments:
    """Line segments as 3-D chords, cut into short pieces and indexed by a k-d tree."""

    start: np.ndarray  # (n, 3)
    end: np.ndarray  # (n, 3)
    owner: np.ndarray  # (n,) index of the line each piece belongs to
    half_max: float
    tree: cKDTree | None

    @property
    def size(self) -> int:
        return int(self.owner.size)

    @classmethod
    def from_lines(cls, geodesy: Geodesy, lines: Sequence, max_piece: float = MAX_PIECE_M) -> Segments:
        """Segments of ``lines`` (shapely lines/multilines/polygon boundaries in the geodesy's CRS)."""
        parts, owners = [], []
        for index, line in enumerate(lines):
            for part in line_parts(line):
                coords = np.asarray(part.coords, float)[:, :2]
                parts.append(coords if coords.shape[0] > 1 else np.vstack((coords, coords)))
                owners.append(index)
        if not parts:
            return cls(np.zeros((0, 3)), np.zeros((0, 3)), np.zeros(0, np.int64), 0.0, None)
        sizes = np.array([c.shape[0] for c in parts])
        coords = np.concatenate(parts)
        xyz = geodesy.ecef(*geodesy.to_lonlat(coords[:, 0], coords[:, 1]))
        last = np.cumsum(sizes) - 1
        is_start = np.ones(coords.shape[0], bool)
        is_start[last] = False
        start = xyz[is_start]
        end = xyz[np.roll(is_start, 1)]
        owner = np.repeat(np.asarray(owners, dtype=np.int64), sizes - 1)
        length = np.linalg.norm(end - start, axis=1)
        pieces = np.maximum(np.ceil(length / max_piece).astype(np.int64), 1)
        if pieces.max() > 1:
            repeat = np.repeat(np.arange(start.shape[0]), pieces)
            first = np.cumsum(pieces) - pieces
            k = np.arange(repeat.size) - np.repeat(first, pieces)
            t0 = (k / pieces[repeat])[:, None]
            t1 = ((k + 1) / pieces[repeat])[:, None]
            delta = end[repeat] - start[repeat]
            start, end = start[repeat] + t0 * delta, start[repeat] + t1 * delta
            owner = owner[repeat]
            length = np.linalg.norm(end - start, axis=1)
        tree = _tree((start + end) / 2.0)
        return cls(start, end, owner, float(length.max()) / 2.0, tree)


def _tree(points: np.ndarray) -> cKDTree:
    """A k-d tree of points, split at sliding midpoints rather than medians.

    Built about twice as fast as a balanced tree, and searched as fast for
    points along tracks (the searches give the same answers either way).
    """
    return cKDTree(points, balanced_tree=False, compact_nodes=False)


def _point_segment(points: np.ndarray, start: np.ndarray, end: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distance from points to segments (broadcast over leading axes) and the nearest points."""
    delta = end - start
    length2 = np.einsum("...i,...i->...", delta, delta)
    t = np.einsum("...i,...i->...", points - start, delta) / np.where(length2 > 0, length2, 1.0)
    t = np.clip(t, 0.0, 1.0)
    nearest = start + t[..., None] * delta
    diff = points - nearest
    return np.sqrt(np.einsum("...i,...i->...", diff, diff)), nearest


def nearest_segments(
    geodesy: Geodesy,
    lon: np.ndarray,
    lat: np.ndarray,
    segments: Segments,
    progress: Progress = SILENT,
    chunk: int = 20000,
    max_distance: float | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Geodesic distance (m) from each point to the nearest segment, and that segment's owner.

    Points with no segments at all (or none within ``max_distance``, when given)
    get ``inf`` and owner -1.
    """
    n = lon.size
    distance = np.full(n, np.inf)
    owner = np.full(n, -1, dtype=np.int64)
    tree = segments.tree
    if tree is None or n == 0:
        return distance, owner
    xyz = geodesy.ecef(lon, lat)
    nearest_xyz = np.zeros((n, 3))
    if max_distance is not None:  # skip points with no piece nearby (one cheap k-d tree query)
        reach, _ = tree.query(xyz, k=1, distance_upper_bound=max_distance + segments.half_max + 1.0)
        near = np.nonzero(np.isfinite(reach))[0]
        if near.size < n:
            inner_distance, inner_owner = nearest_segments(geodesy, lon[near], lat[near], segments, progress, chunk)
            distance[near], owner[near] = inner_distance, inner_owner
            distance[distance > max_distance] = np.inf
            owner[~np.isfinite(distance)] = -1
            return distance, owner
    for first in range(0, n, chunk):
        progress.step(first / n)
        rows = np.arange(first, min(first + chunk, n))
        best = np.full(rows.size, np.inf)
        best_piece = np.zeros(rows.size, dtype=np.int64)
        best_xyz = np.zeros((rows.size, 3))
        todo = np.arange(rows.size)
        k = min(8, segments.size)
        while todo.size:
            d_mid, index = tree.query(xyz[rows[todo]], k=k)
            if k == 1:
                d_mid, index = d_mid[:, None], index[:, None]
            d, near = _point_segment(xyz[rows[todo]][:, None, :], segments.start[index], segments.end[index])
            pick = np.argmin(d, axis=1)
            take = np.arange(todo.size)
            better = d[take, pick] < best[todo]
            chosen = todo[better]
            best[chosen] = d[take, pick][better]
            best_piece[chosen] = index[take, pick][better]
            best_xyz[chosen] = near[take, pick][better]
            if k >= segments.size:
                break
            # A piece not yet examined lies at least (midpoint distance - half length) away.
            todo = todo[d_mid[:, -1] - segments.half_max <= best[todo]]
            k = min(k * 4, segments.size)
        owner[rows] = segments.owner[best_piece]
        nearest_xyz[rows] = best_xyz
    near_lon, near_lat = geodesy.lonlat_of_ecef(nearest_xyz)
    distance = geodesy.distance(lon, lat, near_lon, near_lat)
    return distance, owner


def spatial_order(geodesy: Geodesy, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """An order of the points that keeps neighbours together (Z-order of their Earth-centred coordinates).

    Searches of points taken in this order touch the same k-d tree nodes one
    after another and run about twice as fast as in a random order; each
    point's result is the same in any order.
    """
    if lon.size < 2:
        return np.arange(lon.size)
    xyz = geodesy.ecef(lon, lat)
    low, span = xyz.min(axis=0), np.ptp(xyz, axis=0)
    cells = ((xyz - low) / np.where(span > 0, span, 1.0) * 1023.0).astype(np.int64)
    code = np.zeros(lon.size, dtype=np.int64)
    for axis in range(3):
        code |= _spread_bits(cells[:, axis]) << axis
    return np.argsort(code, kind="stable")


def _spread_bits(value: np.ndarray) -> np.ndarray:
    """The 10 low bits of each value, two zero bits put after each (to interleave three axes)."""
    value = value & 0x3FF
    value = (value | (value << 16)) & 0x30000FF
    value = (value | (value << 8)) & 0x300F00F
    value = (value | (value << 4)) & 0x30C30C3
    return (value | (value << 2)) & 0x9249249


def nearest_points(
    geodesy: Geodesy, lon: np.ndarray, lat: np.ndarray, target_lon: np.ndarray, target_lat: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Geodesic distance (m) from each point to the nearest target, and the target's index."""
    n = lon.size
    if target_lon.size == 0 or n == 0:
        return np.full(n, np.inf), np.full(n, -1, dtype=np.int64)
    tree = cKDTree(geodesy.ecef(target_lon, target_lat))
    k = min(4, target_lon.size)
    _, index = tree.query(geodesy.ecef(lon, lat), k=k)
    if k == 1:
        index = index[:, None]
    d = geodesy.distance(lon[:, None], lat[:, None], target_lon[index], target_lat[index])
    pick = np.argmin(d, axis=1)
    take = np.arange(n)
    return d[take, pick], index[take, pick]


def points_within(
    geodesy: Geodesy,
    lon: np.ndarray,
    lat: np.ndarray,
    centre_lon: np.ndarray,
    centre_lat: np.ndarray,
    radius: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs (point, centre, geodesic distance) with distance ≤ that centre's radius."""
    if lon.size == 0 or centre_lon.size == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0)
    tree = cKDTree(geodesy.ecef(lon, lat))
    centres = geodesy.ecef(centre_lon, centre_lat)
    point_ids, centre_ids = [], []
    for centre, r in enumerate(radius):
        if not np.isfinite(r) or r < 0:
            continue
        hits = tree.query_ball_point(centres[centre], r + 1.0)  # a chord is never longer than the geodesic
        point_ids.append(np.asarray(hits, dtype=np.int64))
        centre_ids.append(np.full(len(hits), centre, dtype=np.int64))
    p = np.concatenate(point_ids) if point_ids else np.zeros(0, np.int64)
    c = np.concatenate(centre_ids) if centre_ids else np.zeros(0, np.int64)
    d = geodesy.distance(lon[p], lat[p], centre_lon[c], centre_lat[c])
    keep = d <= radius[c]
    return p[keep], c[keep], d[keep]


def smallest_value_within(
    geodesy: Geodesy,
    lon: np.ndarray,
    lat: np.ndarray,
    segments: Segments,
    distance: float,
    owner_value: np.ndarray,
    bands: int = 16,
    chunk: int = 5000,
) -> np.ndarray:
    """For each point, the smallest ``owner_value`` of the lines passing within ``distance`` metres (inf if none).

    E.g. the age of the latest patrol near each village. The lines are taken in
    bands of increasing value and a point found in one band is not searched in
    the later ones, so most points meet only the lines of the first bands
    (rather than every pair of point and nearby line). NaN values never count.
    """
    best = np.full(lon.size, np.inf)
    if segments.size == 0 or lon.size == 0:
        return best
    owner_value = np.asarray(owner_value, float)
    owners = np.nonzero(np.isfinite(owner_value))[0]
    owners = owners[np.argsort(owner_value[owners], kind="stable")]
    xyz = geodesy.ecef(lon, lat)
    remaining = np.arange(lon.size)
    for band in np.array_split(owners, min(bands, owners.size)):
        if remaining.size == 0:
            break
        in_band = np.zeros(owner_value.size, dtype=bool)
        in_band[band] = True
        pieces = np.nonzero(in_band[segments.owner])[0]
        if pieces.size == 0:
            continue
        tree = _tree((segments.start[pieces] + segments.end[pieces]) / 2.0)
        for first in range(0, remaining.size, chunk):
            rows = remaining[first : first + chunk]
            point, piece = _pairs_within(xyz[rows], tree, segments, pieces, distance)
            np.minimum.at(best, rows[point], owner_value[segments.owner[piece]])
        remaining = remaining[~np.isfinite(best[remaining])]
    return best


def _pairs_within(xyz: np.ndarray, tree: cKDTree, segments: Segments, pieces: np.ndarray, distance: float):
    """Pairs (row of ``xyz``, piece index) with the piece within ``distance``; ``tree`` indexes ``pieces``."""
    pairs = _tree(xyz).sparse_distance_matrix(tree, distance + segments.half_max, output_type="ndarray")
    point = pairs["i"].astype(np.int64)
    piece = pieces[pairs["j"]]
    # A piece whose midpoint lies within distance - half length is surely within distance:
    # only the pairs in the band between need the exact point-to-segment distance.
    band = np.nonzero(pairs["v"] > distance - segments.half_max)[0]
    d, _ = _point_segment(xyz[point[band]], segments.start[piece[band]], segments.end[piece[band]])
    keep = np.ones(point.size, dtype=bool)
    keep[band[d > distance]] = False
    return point[keep], piece[keep]
