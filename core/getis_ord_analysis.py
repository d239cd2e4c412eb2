"""Hot spot analyses from a layer's columns to results: one call each, every decision made here.

An algorithm reads the incidents (coordinates in their layer's CRS, feature
ids, a weight column) or the features (shapes in a metric CRS and their
values), and the study area in its own CRS, then calls
:func:`hot_spots_on_grid` or :func:`hot_spots_on_features` with a small
settings object. Everything between reading and writing is decided here: the
metric CRS, which incidents are left out and why, the study area, the grid
and its cell size, the distance band, the neighbours, and what the user is
told. The emerging hot spot analysis shares the first steps
(:class:`Report`, :func:`place_incidents`, :func:`incidents_grid`, :func:`grid_band`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Sequence, cast

import numpy as np
from pyproj import CRS

from .crs import transform_xy
from .density import incident_weights, to_metric
from .errors import MewError
from .getis_ord import GiResult, gi_star_features, gi_star_grid
from .getis_ord_band import automatic_feature_band, automatic_grid_band
from .getis_ord_grid import Grid, count_points
from .getis_ord_study_area import GridSetup, analysis_grid
from .getis_ord_weights import SparseWeights, distance_weights, knn_weights, queen_weights
from .messages import message
from .progress import SILENT, Progress

#: The ways neighbours of features are found (``GRID = none``).
NEIGHBOUR_METHODS = ("distance", "knn", "contiguity")


@dataclass(frozen=True)
class Message:
    """A line for the user's log; a warning asks them to look at their data."""

    text: str
    warning: bool = False


@dataclass
class Report:
    """What an analysis tells the user and which incidents it left out, passed on to ``listener`` as it goes.

    The listener (e.g. a Processing log) hears every message when it is
    decided, so warnings about the data reach the user even when the analysis
    then fails on that data.
    """

    listener: Callable[[Message], None] | None = None
    messages: list[Message] = field(default_factory=list)
    left_out: dict[str, int] = field(default_factory=dict)  #: incidents left out, by reason

    def tell(self, text: str, warning: bool = False) -> None:
        """Add a message for the user."""
        message = Message(text, warning)
        self.messages.append(message)
        if self.listener is not None:
            self.listener(message)

    def leave_out(self, reason: str, count: int, text: str | None = None) -> None:
        """Count ``count`` incidents left out for ``reason``; ``text`` warns the user."""
        self.left_out[reason] = self.left_out.get(reason, 0) + count
        if text is not None:
            self.tell(text, warning=True)


@dataclass(frozen=True, eq=False)
class Incidents:
    """Incident points as a layer gave them: coordinates in the layer's CRS and what came with each point.

    ``ids`` name incidents in messages (feature ids); ``unlocated`` counts the
    features the reader found without a point; ``weights`` is the raw column
    of ``weight_field`` (NULLs and text allowed), ``None`` to count incidents.
    """

    xy: np.ndarray
    crs: CRS
    ids: np.ndarray
    unlocated: int = 0
    weights: Sequence[Any] | None = None
    weight_field: str = ""


@dataclass(frozen=True, eq=False)
class StudyArea:
    """Study-area polygons (shapely) in their layer's CRS."""

    shapes: Sequence[Any]
    crs: CRS


@dataclass(frozen=True)
class GridSettings:
    """What the user chose for a grid analysis; 0 asks for the cell size or the band to be chosen from the data."""

    grid: str = "fishnet"
    cell_size: float = 0.0
    distance_band: float = 0.0
    fdr: bool = True


@dataclass(frozen=True)
class FeatureSettings:
    """What the user chose for an analysis of the features themselves (``GRID = none``)."""

    neighbours: str = "distance"
    k: int = 8
    distance_band: float = 0.0
    fdr: bool = True


@dataclass
class PlacedIncidents:
    """Incidents in the metric CRS of the analysis: those that could be placed, and the rest counted."""

    xy: np.ndarray
    crs: CRS
    kept: np.ndarray  #: mask over the input rows of the incidents in ``xy``


@dataclass
class GridCells:
    """The analysed cells of a grid (those inside the study area), in row-major order, and the CRS of the grid."""

    crs: CRS
    grid: Grid
    rows: np.ndarray
    cols: np.ndarray

    @property
    def cell_ids(self) -> np.ndarray:
        """Stable ids of the cells: their position in the whole grid, row by row."""
        return self.rows * self.grid.cols + self.cols


@dataclass
class GridHotSpots(GridCells):
    """Gi* of the analysed cells, and what the analysis decided."""

    counts: np.ndarray  #: incidents (or weight sums) of each cell
    gi: GiResult  #: aligned with ``rows`` and ``cols``
    band: float
    left_out: dict[str, int]
    messages: list[Message]


@dataclass
class FeatureHotSpots:
    """Gi* of each feature, in input order, and the neighbours it was computed with."""

    gi: GiResult
    neighbours: str  #: e.g. "distance band 1500"
    band: float | None  #: the distance band used, when neighbours are by distance
    messages: list[Message]


def place_incidents(incidents: Incidents, report: Report, selected: np.ndarray | None = None) -> PlacedIncidents:
    """Incidents (the ``selected`` rows, else all) in a metric CRS chosen from where they lie.

    Incidents whose coordinates cannot be transformed are left out, counted and
    reported; the choice of CRS ignores outliers (:func:`.crs.metric_crs_for_points`).
    """
    selected = np.ones(len(incidents.xy), dtype=bool) if selected is None else selected
    if incidents.unlocated:
        report.leave_out(
            "without a location",
            incidents.unlocated,
            message("{count} incidents without a location were left out.", count=incidents.unlocated),
        )
    xy = incidents.xy[selected]
    x, y, metric_crs = to_metric(xy[:, 0], xy[:, 1], incidents.crs)
    metric = np.column_stack([x, y]) if len(xy) else np.zeros((0, 2))
    finite = np.isfinite(metric).all(axis=1)
    if not finite.all():
        unplaced = int((~finite).sum())
        report.leave_out(
            "cannot be placed",
            unplaced,
            message(
                "{count} incidents have coordinates that cannot be placed (e.g. latitude beyond ±90) and "
                "were left out: check them with mew:importincidents.",
                count=unplaced,
            ),
        )
    kept = selected.copy()
    kept[np.flatnonzero(selected)[~finite]] = False
    return PlacedIncidents(xy=metric[finite], crs=cast(CRS, metric_crs), kept=kept)


def study_area_in(study_area: StudyArea | None, crs: CRS) -> list:
    """The study-area polygons in the analysis CRS (empty without a study area)."""
    if study_area is None:
        return []
    if study_area.crs == crs:
        return list(study_area.shapes)
    from pyproj import Transformer
    from shapely.ops import transform

    to_analysis = Transformer.from_crs(study_area.crs, crs, always_xy=True)
    return [transform(lambda x, y, z=None: transform_xy(to_analysis, x, y), shape) for shape in study_area.shapes]


def incidents_grid(
    kind: str,
    cell_size: float,
    placed: PlacedIncidents,
    study_area: StudyArea | None,
    report: Report,
    incidents_per_cell: float = 0.25,
) -> GridSetup:
    """The analysis grid over the study area (cell size chosen when 0), said and counted in ``report``."""
    setup = analysis_grid(kind, placed.xy, cell_size, study_area_in(study_area, placed.crs), incidents_per_cell)
    for text in setup.messages:
        report.tell(text)
    if setup.outside_study_area:
        report.leave_out("outside the study area", setup.outside_study_area)
    return setup


def grid_band(values: np.ndarray, setup: GridSetup, distance_band: float, report: Report) -> float:
    """``distance_band`` when given, else the band chosen from ``values`` (and said)."""
    if distance_band > 0:
        return distance_band
    choice = automatic_grid_band(values, setup.inside, setup.grid)
    report.tell(choice.describe())
    return choice.band


def spots_summary(bins: np.ndarray, fdr: bool) -> str:
    """How many hot and cold spots the bins hold, for the log."""
    hot, cold = int((bins > 0).sum()), int((bins < 0).sum())
    correction = message("with FDR correction") if fdr else message("without FDR correction")
    return message(
        "{hot} hot and {cold} cold spots (90 % confidence or more, {correction}) of {count}.",
        hot=hot,
        cold=cold,
        correction=correction,
        count=bins.size,
    )


def crs_name(crs: CRS) -> str:
    """A CRS as the log names it: its name, or its PROJ string when it has none."""
    return crs.name if crs.name != "unknown" else crs.to_proj4()


def hot_spots_on_grid(
    incidents: Incidents,
    settings: GridSettings,
    study_area: StudyArea | None = None,
    progress: Progress = SILENT,
    listener: Callable[[Message], None] | None = None,
) -> GridHotSpots:
    """Gi* of incident counts (or weight sums) on a fishnet or hexagon grid over the study area.

    ``listener`` hears each message as it is decided (see :class:`Report`).
    """
    report = Report(listener)
    weights = None
    if incidents.weights is not None:
        weights, warnings = incident_weights(incidents.weights, incidents.weight_field, incidents.ids.tolist())
        for warning in warnings:
            report.tell(warning, warning=True)
    placed = place_incidents(incidents, report)
    xy = placed.xy
    if weights is not None:
        weights = weights[placed.kept]
    setup = incidents_grid(settings.grid, settings.cell_size, placed, study_area, report)
    progress.step(0.25)
    counts = count_points(setup.grid, xy[:, 0], xy[:, 1], weights)
    band = grid_band(counts, setup, settings.distance_band, report)
    result = gi_star_grid(counts, setup.inside, setup.grid, band, settings.fdr, progress.sub(0.5, 1.0))
    for text in result.messages:
        report.tell(text, warning=True)
    inside = setup.inside
    gi = GiResult(
        z=result.z[inside],
        p=result.p[inside],
        bins=result.bins[inside],
        neighbours=result.neighbours[inside],
        fdr=settings.fdr,
    )
    report.tell(spots_summary(gi.bins, settings.fdr))
    report.tell(
        message(
            "Grid: {grid}, cell size {cell:g}, distance band {band:g}, CRS {crs}.",
            grid=settings.grid,
            cell=setup.grid.cell,
            band=band,
            crs=crs_name(placed.crs),
        )
    )
    rows, cols = np.nonzero(inside)
    return GridHotSpots(
        crs=placed.crs,
        grid=setup.grid,
        rows=rows,
        cols=cols,
        counts=counts[inside],
        gi=gi,
        band=band,
        left_out=report.left_out,
        messages=report.messages,
    )


def hot_spots_on_features(
    shapes: Sequence[Any],
    values: np.ndarray,
    settings: FeatureSettings,
    progress: Progress = SILENT,
    listener: Callable[[Message], None] | None = None,
) -> FeatureHotSpots:
    """Gi* of features (points or polygons in a metric CRS) and their values, with binary weights."""
    if settings.neighbours not in NEIGHBOUR_METHODS:
        raise MewError(
            "Unknown NEIGHBOURS '{neighbours}': use {neighbour_methods}.",
            neighbours=settings.neighbours,
            neighbour_methods=", ".join(NEIGHBOUR_METHODS),
        )
    report = Report(listener)
    values = np.asarray(values, dtype=np.float64)
    xy = np.array([[g.centroid.x, g.centroid.y] for g in shapes]) if len(shapes) else np.zeros((0, 2))
    band = None
    weights: SparseWeights
    if settings.neighbours == "contiguity":
        if any(g.geom_type in ("Point", "MultiPoint") for g in shapes):
            raise MewError("Contiguity (queen) neighbours need polygons: use distance or knn for points.")
        weights = queen_weights(shapes, progress.sub(0.0, 0.5))
        described = message("queen contiguity")
    elif settings.neighbours == "knn":
        weights = knn_weights(xy, settings.k)
        described = message("{k} nearest neighbours", k=settings.k)
    else:
        band = settings.distance_band
        if band <= 0:
            choice = automatic_feature_band(xy, values)
            report.tell(choice.describe())
            band = choice.band
        weights = distance_weights(xy, band)
        described = message("distance band {band:g}", band=band)
    gi = gi_star_features(values, weights, settings.fdr)
    for text in gi.messages:
        report.tell(text, warning=True)
    report.tell(message("Neighbours: {neighbours}.", neighbours=described))
    report.tell(spots_summary(gi.bins, settings.fdr))
    progress.step(1.0)
    return FeatureHotSpots(gi=gi, neighbours=described, band=band, messages=report.messages)
