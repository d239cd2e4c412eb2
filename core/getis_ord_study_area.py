"""The analysis grid of incidents: study area (given, or the incidents' convex hull), cell size, mask."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .errors import MewError
from .getis_ord_grid import Grid, cells_inside, grid_for_extent
from .messages import message

#: Beyond this many cells a grid is refused (memory and time); the user picks a larger cell.
MAX_CELLS = 5_000_000


def nice_number(value: float) -> float:
    """``value`` rounded to 1, 2, 2.5 or 5 × 10^k (a cell size a person would pick)."""
    if value <= 0:
        return value
    exponent = math.floor(math.log10(value))
    base = 10.0**exponent
    for step in (1.0, 2.0, 2.5, 5.0, 10.0):
        if value <= step * base * 1.25:
            return step * base
    return 10.0 * base


def automatic_cell_size(area: float, n_points: int, kind: str = "fishnet", incidents_per_cell: float = 0.25) -> float:
    """A cell size for ``n_points`` incidents in a study area of ``area`` (square units).

    ``incidents_per_cell`` on average, kept between 400 and 250 000 cells and
    rounded to a round number. The default, four cells per incident, is fine
    enough to outline hot spots a few cells across; the distance band, not the
    cell, then sets how many incidents a neighbourhood holds. A space-time cube
    spreads the incidents over its time steps and wants coarser cells.
    """
    if n_points <= 0 or area <= 0:
        raise MewError("No incidents inside the study area: check the layers' CRS and the study area.")
    cells = min(max(n_points / incidents_per_cell, 400.0), 250000.0)
    size = math.sqrt(area / cells)
    if kind == "hexagon":
        size *= math.sqrt(2.0 / math.sqrt(3.0))  # same cell area as a square of that side
    return nice_number(size)


@dataclass
class GridSetup:
    """The grid of an analysis, its study-area mask and what was chosen automatically."""

    grid: Grid
    inside: np.ndarray
    study_area: list
    messages: list[str] = field(default_factory=list)
    outside_study_area: int = 0  #: incidents outside the given study area, not counted


def _hull_candidates(xy: np.ndarray) -> np.ndarray:
    """Points that may be hull vertices: those not strictly inside the octagon of 8 extreme points.

    (Akl–Toussaint: discarding the interior first makes the hull of a million
    incidents a matter of milliseconds.)
    """
    if len(xy) < 1000:
        return xy
    x, y = xy[:, 0], xy[:, 1]
    keys = [x, y, x + y, x - y]
    extremes = []
    for key in keys:
        extremes += [int(np.argmin(key)), int(np.argmax(key))]
    # The octagon in angular order: min x, min x+y... simply sort the extreme points by angle.
    octagon = np.unique(xy[extremes], axis=0)
    if len(octagon) < 3:
        return xy
    centre = octagon.mean(axis=0)
    octagon = octagon[np.argsort(np.arctan2(octagon[:, 1] - centre[1], octagon[:, 0] - centre[0]))]
    inside = np.ones(len(xy), dtype=bool)
    for a, b in zip(octagon, np.roll(octagon, -1, axis=0)):
        # Counter-clockwise polygon: strictly left of every edge is strictly inside.
        inside &= (b[0] - a[0]) * (y - a[1]) - (b[1] - a[1]) * (x - a[0]) > 0
    return xy[~inside]


def convex_hull(xy: np.ndarray):
    """The convex hull of points as a shapely polygon; a clear error when there is none."""
    from scipy.spatial import ConvexHull, QhullError
    from shapely.geometry import Polygon

    unique = np.unique(_hull_candidates(xy), axis=0)
    if len(unique) < 3:
        raise MewError(
            "Only {unique_count} distinct incident locations: at least 3 are needed (or a STUDY_AREA).",
            unique_count=len(unique),
        )
    try:
        hull = ConvexHull(unique)
    except QhullError as error:
        raise MewError("The incidents lie on a line: give a STUDY_AREA polygon.") from error
    return Polygon(unique[hull.vertices])


def analysis_grid(
    kind: str, xy: np.ndarray, cell_size: float, study_area: list | None = None, incidents_per_cell: float = 0.25
) -> GridSetup:
    """Grid covering the study area, cell size chosen if 0.

    Cells whose centre lies in the study area are analysed. Without a study
    area: the incidents' convex hull, plus any cell holding an incident.
    """
    messages = []
    outside = 0
    shapes = [g for g in (study_area or []) if g is not None and not g.is_empty]
    if not shapes:
        shapes = [convex_hull(xy)]
        messages.append(message("Study area: the convex hull of the incidents."))
    area = float(sum(g.area for g in shapes))
    bounds = np.array([g.bounds for g in shapes])
    extent = (bounds[:, 0].min(), bounds[:, 1].min(), bounds[:, 2].max(), bounds[:, 3].max())
    in_extent = (xy[:, 0] >= extent[0]) & (xy[:, 0] <= extent[2]) & (xy[:, 1] >= extent[1]) & (xy[:, 1] <= extent[3])
    if study_area and not in_extent.any():
        raise _no_incident_inside(xy, extent)
    if not cell_size or cell_size <= 0:
        cell_size = automatic_cell_size(area, int(in_extent.sum()), kind, incidents_per_cell)
        messages.append(
            message(
                "Cell size {cell_size:g} chosen from the data ({incidents_per_cell:g} incidents per cell).",
                cell_size=cell_size,
                incidents_per_cell=incidents_per_cell,
            )
        )
    width, height = extent[2] - extent[0], extent[3] - extent[1]
    cells = (width / cell_size + 2) * (height / cell_size + 2)
    if cells > MAX_CELLS:
        fitting = math.ceil(math.sqrt(width * height / MAX_CELLS) * 1.01)
        raise MewError(
            "The study area spans {width:,.0f} × {height:,.0f} (map units of the analysis CRS, metres): "
            "with a cell size of {cell_size:g} that is about {cells:,.0f} cells; the limit is "
            "{max_cells:,}. Use a CELL_SIZE of at least {fitting:,} (or 0 to choose it automatically), or a "
            "smaller STUDY_AREA.",
            width=width,
            height=height,
            cell_size=cell_size,
            cells=cells,
            max_cells=MAX_CELLS,
            fitting=fitting,
        )
    grid = grid_for_extent(kind, extent, cell_size)
    inside = cells_inside(grid, shapes)
    r, c = grid.locate(xy[:, 0], xy[:, 1])
    ok = (r >= 0) & (r < grid.rows) & (c >= 0) & (c < grid.cols)
    if not study_area:
        # Cells holding incidents belong to the study area even when their centre falls just outside the hull.
        inside[r[ok], c[ok]] = True
    else:
        counted = int(inside[r[ok], c[ok]].sum())
        if counted == 0:
            raise _no_incident_inside(xy, extent)
        outside = len(xy) - counted
        if outside:
            messages.append(
                message(
                    "{outside:,} of {xy_count:,} incidents lie outside the study area and are not counted.",
                    outside=outside,
                    xy_count=len(xy),
                )
            )
    if inside.sum() < 3:
        raise MewError(
            "Only {inside} cells of {cell_size:g} fall inside the study area: use a smaller CELL_SIZE.",
            inside=int(inside.sum()),
            cell_size=cell_size,
        )
    return GridSetup(grid, inside, shapes, messages, outside)


def _no_incident_inside(xy: np.ndarray, extent: tuple[float, float, float, float]) -> MewError:
    """Why a study area holding no incident cannot be analysed, with where each lies."""
    low, high = xy.min(axis=0), xy.max(axis=0)
    gap_x = max(extent[0] - high[0], low[0] - extent[2], 0.0)
    gap_y = max(extent[1] - high[1], low[1] - extent[3], 0.0)
    apart = (
        message("{km:,.0f} km apart", km=math.hypot(gap_x, gap_y) / 1000)
        if gap_x or gap_y
        else message("their extents overlap")
    )
    return MewError(
        "None of the {count:,} incidents lies inside the STUDY_AREA ({apart}: the study area spans x "
        "{x0:,.0f} to {x1:,.0f}, y {y0:,.0f} to {y1:,.0f}; the incidents x {low_x:,.0f} to {high_x:,.0f}, "
        "y {low_y:,.0f} to {high_y:,.0f}, in metres of the analysis CRS). "
        "Check that STUDY_AREA is the layer you meant and that both layers have the right CRS.",
        count=len(xy),
        apart=apart,
        x0=extent[0],
        x1=extent[2],
        y0=extent[1],
        y1=extent[3],
        low_x=low[0],
        high_x=high[0],
        low_y=low[1],
        high_y=high[1],
    )
