"""Less GEOS work for the dissolved buffer of many lines: the part certainly inside it is found on a grid.

Where patrol tracks crowd (around a base, along a road), most of a track's
buffer lies inside its neighbours' buffers, and GEOS would build and then
dissolve it for nothing. :func:`interior_and_rest` covers the lines' extent
with a grid of square cells and keeps the cells certainly inside the dissolved
buffer GEOS would make; their union is the *interior*. A segment whose buffer
lies within the interior needs no buffer of its own: only the other segments,
in runs of consecutive ones, are buffered and dissolved with the interior.

Why the region stays the same (only its vertices may differ):

- The interior lies inside the dissolved buffer. GEOS draws round caps and
  joins as polygons with their vertices on the circle, in steps of at most
  1.5 times its angle quantum ``pi / (2 * quadrant segments)`` (it rounds the
  number of steps of a join to the nearest integer), so the buffer of a line
  contains every point within ``d * cos(3 * pi / (8 * quadrant segments))``
  of any of its vertices, the distance from the centre to such a step's
  chord. GEOS first simplifies the line by at most ``d / 100`` (its
  buffer-input simplifier), which :data:`SIMPLIFY_ALLOWANCE` takes off again.
  A cell is kept when its centre lies that close, less a cell's diagonal,
  to the centre of a cell holding a vertex: then its whole square lies that
  close to the vertex.
- A segment is left out only when its segment's bounding box grown by ``d``
  (and the allowance) lies on kept cells alone: its buffer lies inside that
  box, hence inside the interior.
- Each run of buffered segments keeps one left-out segment at either end, so
  the joins at its ends are drawn as in the whole line; the caps of the run
  lie within ``d`` of a left-out segment, inside the interior.

Found in plane coordinates (metres or the CRS's units, with ``distance`` in
the same units): :mod:`.geodesic` calls it in the CRS it buffers in.
"""

from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np
from shapely.geometry import LineString, shape
from shapely.ops import unary_union

#: Cells per buffer distance along a side: finer cells reach closer to the buffer's edge but cost more time.
CELLS_PER_DISTANCE = 8
#: Share of the buffer distance GEOS may move a line by when it simplifies it before buffering (GEOS's default).
SIMPLIFY_ALLOWANCE = 0.01
#: The most cells a grid may have (about 20 bytes each while it is searched).
MAX_CELLS = 2_000_000


def interior_and_rest(
    lines: Sequence[Any],
    distance: float,
    quadrant_segments: int,
    vertices: np.ndarray | None = None,
    sizes: np.ndarray | None = None,
) -> tuple[Any, list[Any]]:
    """The interior (a polygon, or None) and the lines or runs of segments still to buffer.

    The union of the interior and the ``distance`` buffers (``quadrant_segments``
    per quarter circle) of the lines returned is the union of the buffers of
    ``lines``. Lines with no segment left out come back as they are.
    ``vertices`` (x, y of every line's vertices, one line after another) and
    ``sizes`` (vertices per line) spare reading the lines' coordinates again.
    """
    lines = list(lines)
    if not lines or not distance > 0:
        return None, lines
    if vertices is None or sizes is None:
        coords = [np.asarray(line.coords, dtype=float)[:, :2] for line in lines]
        sizes = np.array([c.shape[0] for c in coords])
        vertices = np.concatenate(coords)
    if vertices.shape[0] < 3 or not np.isfinite(vertices).all():
        return None, lines
    inscribed = distance * math.cos(3.0 * math.pi / (8 * max(int(quadrant_segments), 1)))
    grow = distance * (1.0 + 2.0 * SIMPLIFY_ALLOWANCE)
    low, high = vertices.min(axis=0) - grow, vertices.max(axis=0) + grow
    # Finer cells reach closer to the buffer's edge; a wide extent gets coarser ones, within MAX_CELLS.
    cell = max(distance / CELLS_PER_DISTANCE, math.sqrt(float(np.prod(high - low)) / MAX_CELLS))
    # A cell's centre lies within half its diagonal of any point of it, and of any vertex in a cell.
    reach = inscribed - SIMPLIFY_ALLOWANCE * distance - cell * math.sqrt(2.0)
    if reach <= cell:  # cells too coarse for the distance (lines spread very wide): buffer every line
        return None, lines
    origin = low - cell
    columns, rows = (np.ceil((high + cell - origin) / cell)).astype(np.int64)
    inside = _cells_inside(vertices, origin, cell, rows, columns, reach)
    if not inside.any():
        return None, lines
    # Segment k joins vertices k and k + 1; it belongs to a line unless vertex k + 1 starts the next line.
    first_vertex = np.cumsum(sizes) - sizes
    in_line = np.ones(vertices.shape[0] - 1, dtype=bool)
    in_line[first_vertex[1:] - 1] = False
    skip = _segments_inside(vertices, inside, origin, cell, grow) & in_line
    skips_per_line = np.add.reduceat(np.append(skip, False), first_vertex)
    rest = [line for line, skips in zip(lines, skips_per_line) if not skips]
    rest.extend(_runs(vertices, in_line & ~skip & np.repeat(skips_per_line > 0, sizes)[:-1], in_line))
    return _polygon(inside, origin, cell), rest


def _cells_inside(
    vertices: np.ndarray, origin: np.ndarray, cell: float, rows: int, columns: int, reach: float
) -> np.ndarray:
    """Mask (row = y) of the cells whose centre lies within ``reach`` of the centre of a cell holding a vertex.

    An exact Euclidean distance transform of the grid finds them at once.
    """
    from scipy import ndimage

    empty = np.ones((rows, columns), dtype=bool)
    column, row = np.floor((vertices - origin) / cell).astype(np.int64).T
    empty[row, column] = False
    return ndimage.distance_transform_edt(empty) * cell <= reach


def _segments_inside(vertices: np.ndarray, inside: np.ndarray, origin: np.ndarray, cell: float, grow: float):
    """For each pair of consecutive vertices: whether its bounding box grown by ``grow`` lies on kept cells only.

    A summed-area table of the mask answers each box in four look-ups.
    """
    rows, columns = inside.shape
    table = np.zeros((rows + 1, columns + 1), dtype=np.int64)
    table[1:, 1:] = inside.cumsum(axis=0).cumsum(axis=1)
    a, b = vertices[:-1], vertices[1:]
    low = (np.minimum(a, b) - grow - origin) / cell
    high = (np.maximum(a, b) + grow - origin) / cell
    c0 = np.clip(np.floor(low[:, 0]).astype(np.int64), 0, columns)
    r0 = np.clip(np.floor(low[:, 1]).astype(np.int64), 0, rows)
    c1 = np.clip(np.floor(high[:, 0]).astype(np.int64) + 1, 0, columns)
    r1 = np.clip(np.floor(high[:, 1]).astype(np.int64) + 1, 0, rows)
    kept = table[r1, c1] - table[r0, c1] - table[r1, c0] + table[r0, c0]
    return kept == (r1 - r0) * (c1 - c0)


def _runs(vertices: np.ndarray, wanted: np.ndarray, in_line: np.ndarray) -> list[LineString]:
    """Lines along the runs of ``wanted`` segments, each with the segment either side of it in its line.

    ``in_line`` tells the segments from the gaps between one line and the next,
    which no run crosses.
    """
    widened = wanted.copy()
    widened[1:] |= wanted[:-1]
    widened[:-1] |= wanted[1:]
    widened &= in_line
    edges = np.flatnonzero(np.diff(np.concatenate(([0], widened.astype(np.int8), [0]))))
    return [LineString(vertices[start : end + 1]) for start, end in zip(edges[::2], edges[1::2])]


def _polygon(inside: np.ndarray, origin: np.ndarray, cell: float) -> Any:
    """The union of the kept cells' squares, traced as polygons (4-connected)."""
    from rasterio import features
    from rasterio.transform import Affine

    rows = inside.shape[0]
    north_up = np.ascontiguousarray(inside[::-1]).astype(np.uint8)
    transform = Affine(cell, 0.0, float(origin[0]), 0.0, -cell, float(origin[1]) + rows * cell)
    parts = [shape(geometry) for geometry, _ in features.shapes(north_up, mask=north_up > 0, transform=transform)]
    return unary_union(parts) if len(parts) > 1 else parts[0]
