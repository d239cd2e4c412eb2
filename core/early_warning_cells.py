"""What the early-warning grid measures in each cell: hot spot, raster means, people and patrol recency.

* The grid is the emerging hot spot cells, or a fishnet over a study area
  (:func:`fishnet_cells`: the cells whose centre lies inside it).
* The hot spot of a fishnet cell is the highest-scoring category among the
  emerging hot spot cells it overlaps (:func:`hotspot_of_cells`).
* A raster's mean in a cell is the mean of the valid pixels whose centre lies
  in the cell, read block by block (:func:`raster_means`); nodata and
  non-finite pixels are ignored, and how many pixels were valid is kept.
* People are summed as the coverage engine counts them: each pixel by the
  exact share of its area inside the cell (:func:`.coverage_zones.people_within`).
* Days since the last patrol within ``distance`` of a cell
  (:func:`cell_patrol_days`): a track crossing the cell is at distance 0; other
  tracks are found by the coverage engine's geodesic recency search
  (:func:`.geodesic_search.smallest_value_within`) from points along the
  cell's outline, spaced at most a tenth of ``distance`` apart (400 per outline
  at the most). A track within ``distance`` of the outline less half that
  spacing is always found; one beyond ``distance`` never is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np
from pyproj import CRS, Transformer
from shapely.geometry import Polygon
from shapely.ops import transform as shapely_transform

from .coverage_model import CoverageModel
from .coverage_types import CoverageSettings, Features
from .coverage_zones import people_within
from .crs import transform_xy
from .early_warning import HOTSPOT_FACTOR, CellMeasures
from .errors import MewError
from .geodesic import Geodesy, line_parts
from .geodesic_search import smallest_value_within
from .getis_ord_grid import Grid, cells_inside
from .progress import SILENT, Progress

#: Points along a cell's outline for the patrol search: a tenth of the patrol distance apart, at most this many.
MAX_OUTLINE_POINTS = 400
#: Cells of a fishnet at the most: beyond, the grid would take too long to measure and to read.
MAX_CELLS = 250_000


@dataclass
class RasterSource:
    """A raster file and its CRS (None: the grid's)."""

    path: str
    crs: CRS | None = None


@dataclass
class PatrolSource:
    """Dated patrol tracks, the situation date (None: the latest patrol's) and the reach either side of a track."""

    tracks: Features
    dates: Sequence[dt.date | None]
    as_of: dt.date | None
    distance: float


@dataclass
class GridInputs:
    """The grid's cells (polygons in ``crs``) and what is measured in them; ``None``: not given."""

    cells: list[Any]
    crs: CRS
    hotspot_code: np.ndarray | None = None
    vci: RasterSource | None = None
    dvci: RasterSource | None = None
    population: RasterSource | None = None
    patrols: PatrolSource | None = None


@dataclass
class GridMeasures:
    """The measures scored (:class:`.early_warning.CellMeasures`), the valid pixel counts and the patrols used."""

    measures: CellMeasures
    vci_pixels: np.ndarray | None
    dvci_pixels: np.ndarray | None
    recency: PatrolRecency | None


@dataclass
class PatrolRecency:
    """Days since the last patrol near each cell (NaN: none up to ``as_of``), the day, and the patrols counted."""

    days: np.ndarray
    as_of: dt.date | None
    period: tuple[dt.date | None, dt.date | None]
    warnings: list[str]


def fishnet_cells(area: Sequence[Any], cell: float) -> list[Polygon]:
    """Square cells of side ``cell`` from the area's south-west corner whose centre lies inside the ``area``
    polygons, west to east, then south to north."""
    shapes = [g for g in area if g is not None and not g.is_empty]
    if not shapes:
        raise MewError("The study area has no polygon: choose a polygon layer for STUDY_AREA.")
    if not cell > 0:
        raise MewError("CELL_SIZE must be a positive number of map units for a fishnet.")
    bounds = np.array([g.bounds for g in shapes])
    extent = (bounds[:, 0].min(), bounds[:, 1].min(), bounds[:, 2].max(), bounds[:, 3].max())
    if (extent[2] - extent[0]) * (extent[3] - extent[1]) / cell**2 > MAX_CELLS:
        raise MewError(
            "CELL_SIZE {cell:g} makes more than {max_cells:,} cells over the study area: give a larger cell size.",
            cell=cell,
            max_cells=MAX_CELLS,
        )
    # Anchored on the study area's south-west corner, so a cell size that divides the area gives whole cells.
    width = max(int(np.ceil((extent[2] - extent[0]) / cell - 1e-9)), 1)
    height = max(int(np.ceil((extent[3] - extent[1]) / cell - 1e-9)), 1)
    grid = Grid("fishnet", float(extent[0]), float(extent[1]), cell, height, width)
    rows, cols = np.nonzero(cells_inside(grid, shapes))
    return [Polygon(ring) for ring in grid.cell_polygon_coords(rows, cols)]


def hotspot_of_cells(
    cells: Sequence[Any], hotspot_cells: Sequence[Any], codes: Sequence[Any], trend_z: Sequence[Any]
) -> tuple[np.ndarray, np.ndarray]:
    """The category code and trend z of each cell: those of the overlapped hot spot cell with the highest
    factor (the first of equals); NaN where no hot spot cell overlaps."""
    code_out = np.full(len(cells), np.nan)
    trend_out = np.full(len(cells), np.nan)
    kept = [i for i, g in enumerate(hotspot_cells) if g is not None and not g.is_empty and codes[i] is not None]
    if not kept:
        return code_out, trend_out
    boxes = np.array([hotspot_cells[i].bounds for i in kept])
    factor = np.array([HOTSPOT_FACTOR.get(int(codes[i]), 0.0) for i in kept])
    for index, cell in enumerate(cells):
        if cell is None or cell.is_empty:
            continue
        x0, y0, x1, y1 = cell.bounds
        near = np.nonzero((boxes[:, 0] < x1) & (boxes[:, 2] > x0) & (boxes[:, 1] < y1) & (boxes[:, 3] > y0))[0]
        tiny = 1e-9 * cell.area
        overlapping = [
            k for k in near[np.argsort(-factor[near], kind="stable")] if _overlap(cell, hotspot_cells[kept[k]]) > tiny
        ]
        if overlapping:
            best = kept[overlapping[0]]
            code_out[index] = float(codes[best])
            trend_out[index] = np.nan if trend_z[best] is None else float(trend_z[best])
    return code_out, trend_out


def _overlap(a: Any, b: Any) -> float:
    return float(a.intersection(b).area)


def raster_means(
    path: str, cells: Sequence[Any], crs: CRS, raster_crs: CRS | None, progress: Progress = SILENT, band: int = 1
) -> tuple[np.ndarray, np.ndarray]:
    """Mean of the valid pixels whose centre lies in each cell (NaN without one) and their count."""
    import rasterio
    from rasterio import features
    from rasterio.windows import bounds as window_bounds

    from .raster_blocks import Grid as PixelGrid
    from .raster_blocks import windows_for

    in_raster = _in_crs(cells, crs, raster_crs)
    n = len(in_raster)
    sums, counts = np.zeros(n), np.zeros(n, dtype=np.int64)
    usable = [i for i, g in enumerate(in_raster) if g is not None and not g.is_empty]
    boxes = np.array([in_raster[i].bounds for i in usable]).reshape(-1, 4)
    grid = PixelGrid.of(path, "raster")
    windows = windows_for(grid, [path])
    with rasterio.open(path) as dataset:
        for number, window in enumerate(windows):
            progress.step(number / len(windows))
            x0, y0, x1, y1 = window_bounds(window, grid.transform)
            xmin, xmax, ymin, ymax = min(x0, x1), max(x0, x1), min(y0, y1), max(y0, y1)
            near = np.nonzero(
                (boxes[:, 0] < xmax) & (boxes[:, 2] > xmin) & (boxes[:, 1] < ymax) & (boxes[:, 3] > ymin)
            )[0]
            if near.size == 0:
                continue
            shape = (int(window.height), int(window.width))
            owner = features.rasterize(
                ((in_raster[usable[k]], usable[k] + 1) for k in near),
                out_shape=shape,
                transform=grid.window_transform(window),
                fill=0,
                dtype="int32",
            )
            values = dataset.read(band, window=window, masked=True)
            valid = ~np.ma.getmaskarray(values) & np.isfinite(values.filled(np.nan).astype(float)) & (owner > 0)
            cell = owner[valid] - 1
            sums += np.bincount(cell, weights=values.data[valid].astype(float), minlength=n)
            counts += np.bincount(cell, minlength=n)
    progress.step(1.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)
    return means, counts


def _in_crs(cells: Sequence[Any], crs: CRS, target: CRS | None) -> list[Any]:
    """The cells in ``target`` (unchanged when it is ``crs`` or None)."""
    if target is None or CRS.from_user_input(target) == CRS.from_user_input(crs):
        return list(cells)
    to_target = Transformer.from_crs(crs, target, always_xy=True)
    return [
        None if g is None else shapely_transform(lambda x, y, zz=None: transform_xy(to_target, x, y), g) for g in cells
    ]


def cell_patrol_days(
    crs: CRS,
    cells: Sequence[Any],
    patrols: Features,
    patrol_dates: Sequence[dt.date | None],
    as_of: dt.date | None,
    distance: float,
    progress: Progress = SILENT,
) -> PatrolRecency:
    """Days from the last patrol passing within ``distance`` metres of each cell to ``as_of`` (see the module)."""
    warnings: list[str] = []
    settings = CoverageSettings(patrol_distance=distance, patrol_dates=list(patrol_dates), as_of=as_of)
    model = CoverageModel(crs, None, patrols, settings, warnings)
    ages = model.patrol_ages()
    best = np.full(len(cells), np.inf)
    boxes = np.array([g.bounds if g is not None and not g.is_empty else (np.nan,) * 4 for g in cells]).reshape(-1, 4)
    for number, (line, age) in enumerate(zip(model.patrol_lines, ages)):
        if number % 200 == 0:
            progress.step(0.4 * number / max(len(ages), 1))
        if not np.isfinite(age):
            continue
        x0, y0, x1, y1 = line.bounds
        near = np.nonzero((boxes[:, 0] <= x1) & (boxes[:, 2] >= x0) & (boxes[:, 1] <= y1) & (boxes[:, 3] >= y0))[0]
        for index in near[age < best[near]]:
            if line.intersects(cells[index]):
                best[index] = age
    if distance > 0:
        lon, lat, owner = outline_points(model.geodesy, cells, distance)
        near_age = smallest_value_within(model.geodesy, lon, lat, model.segments("all"), distance, ages)
        np.minimum.at(best, owner, near_age)
    progress.step(1.0)
    days = np.where(np.isfinite(best), best, np.nan)
    return PatrolRecency(days, model.as_of, model.patrol_period, warnings)


def outline_points(
    geodesy: Geodesy, cells: Sequence[Any], distance: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Lon/lat of points along each cell's outline (see the module for their spacing) and their cell."""
    lon_parts, lat_parts, owners = [], [], []
    for index, cell in enumerate(cells):
        if cell is None or cell.is_empty:
            continue
        rings = [np.asarray(part.coords, float)[:, :2] for part in line_parts(cell)]
        ring_lonlat = [geodesy.to_lonlat(ring[:, 0], ring[:, 1]) for ring in rings]
        lengths = [geodesy.distance(lo[:-1], la[:-1], lo[1:], la[1:]) for lo, la in ring_lonlat]
        perimeter = float(sum(length.sum() for length in lengths))
        spacing = max(distance / 10.0, perimeter / MAX_OUTLINE_POINTS, 1e-6)
        for ring, length in zip(rings, lengths):
            pieces = np.maximum(np.ceil(length / spacing).astype(np.int64), 1)
            edge = np.repeat(np.arange(length.size), pieces)
            fraction = (np.arange(edge.size) - np.repeat(np.cumsum(pieces) - pieces, pieces)) / pieces[edge]
            x = ring[edge, 0] + fraction * (ring[edge + 1, 0] - ring[edge, 0])
            y = ring[edge, 1] + fraction * (ring[edge + 1, 1] - ring[edge, 1])
            lon, lat = geodesy.to_lonlat(x, y)
            lon_parts.append(lon)
            lat_parts.append(lat)
            owners.append(np.full(lon.size, index, dtype=np.int64))
    if not owners:
        return np.zeros(0), np.zeros(0), np.zeros(0, dtype=np.int64)
    return np.concatenate(lon_parts), np.concatenate(lat_parts), np.concatenate(owners)


def measure_cells(inputs: GridInputs, progress: Progress = SILENT) -> GridMeasures:
    """Every given measure of every cell of ``inputs``."""
    cells = inputs.cells
    if not cells:
        raise MewError(
            "The grid has no cell: the emerging hot spots layer is empty, or no fishnet cell has its centre in "
            "the study area. Choose another layer, or a smaller CELL_SIZE."
        )
    measures = CellMeasures(len(cells), hotspot_code=inputs.hotspot_code)
    vci_pixels = dvci_pixels = None
    if inputs.vci is not None:
        measures.vci_mean, vci_pixels = raster_means(
            inputs.vci.path, cells, inputs.crs, inputs.vci.crs, progress.sub(0.0, 0.25)
        )
    if inputs.dvci is not None:
        measures.dvci_mean, dvci_pixels = raster_means(
            inputs.dvci.path, cells, inputs.crs, inputs.dvci.crs, progress.sub(0.25, 0.5)
        )
    if inputs.population is not None:
        people, _ = people_within(
            cells, inputs.crs, inputs.population.path, inputs.population.crs, progress.sub(0.5, 0.7)
        )
        measures.people = np.asarray(people, dtype=float)
    recency = None
    if inputs.patrols is not None:
        patrols = inputs.patrols
        recency = cell_patrol_days(
            inputs.crs, cells, patrols.tracks, patrols.dates, patrols.as_of, patrols.distance, progress.sub(0.7, 1.0)
        )
        measures.days_since_patrol = recency.days
    progress.step(1.0)
    return GridMeasures(measures, vci_pixels, dvci_pixels, recency)
