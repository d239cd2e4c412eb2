"""Emerging hot spots from a layer's columns to per-cell categories: one call, every decision made here.

An algorithm reads the incidents (coordinates in their layer's CRS, feature
ids, the raw date column) and the study area, then calls
:func:`emerging_hot_spots_on_grid` with an :class:`EmergingSettings`. Which
incidents are dated and within the period, the metric CRS, the grid and its
cell size, the time steps, the distance band and what the user is told are
decided here; the statistics are :mod:`.emerging`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np

from .emerging import CATEGORY_NAMES, INCIDENTS_PER_CELL, CubeSettings, EmergingResult, cube_counts, emerging_hot_spots
from .errors import MewError
from .getis_ord_analysis import (
    GridCells,
    Incidents,
    Message,
    Report,
    StudyArea,
    grid_band,
    incidents_grid,
    place_incidents,
)
from .messages import message
from .progress import SILENT, Progress
from .timesteps import TimeStep, parse_dates


@dataclass(frozen=True)
class EmergingSettings:
    """What the user chose for an emerging hot spot analysis; 0 asks for the cell size or band to be chosen.

    ``start`` and ``end`` bound the period (inclusive; ``None``: the earliest or
    latest incident); ``time_window`` counts the preceding time steps whose
    bins are neighbours.
    """

    time_step: TimeStep
    grid: str = "fishnet"
    cell_size: float = 0.0
    distance_band: float = 0.0
    time_window: int = 1
    start: dt.date | None = None
    end: dt.date | None = None
    fdr: bool = True

    def __post_init__(self) -> None:
        if self.start is not None and self.end is not None and self.start > self.end:
            raise MewError(
                "The period starts ({start}) after it ends ({end}): swap START and END.", start=self.start, end=self.end
            )


@dataclass
class EmergingHotSpots(GridCells):
    """Categories and trends of the analysed cells, and what the analysis decided.

    The per-bin arrays (:meth:`bins`) are (time steps, analysed cells), taken
    from the whole cube only when asked for: a cube may hold millions of bins.
    """

    inside: np.ndarray  #: mask of the analysed cells of ``grid``
    band: float
    step_starts: np.ndarray  #: first day of each time step
    counts: np.ndarray  #: incidents of each bin of the whole cube (steps, rows, cols)
    cells: EmergingResult  #: category, trend, hot and cold counts and totals of each analysed cell
    left_out: dict[str, int]
    messages: list[Message]
    incident_days: tuple[str, str] = ("", "")  #: first and last day of the incidents analysed (ISO)

    @property
    def category_names(self) -> np.ndarray:
        """ArcGIS's PATTERN name of each cell's category."""
        codes = sorted(CATEGORY_NAMES)
        names = np.array([CATEGORY_NAMES[code] for code in codes], dtype=object)
        return names[np.searchsorted(codes, self.cells.category)]

    @property
    def final_z(self) -> np.ndarray:
        """Each cell's Gi* z-score at the last time step."""
        return self.cells.cube.z[-1][self.inside]

    def bins(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Count, z, p and Gi_Bin of every bin of the analysed cells, each (time steps, cells)."""
        cube = self.cells.cube
        inside = self.inside
        return self.counts[:, inside], cube.z[:, inside], cube.p[:, inside], cube.bins[:, inside]


def incident_days(dates: Sequence[Any] | np.ndarray, date_field: str) -> tuple[np.ndarray, np.ndarray]:
    """The day of each incident and a mask of those with a readable date (a date column read in bulk, or values)."""
    if isinstance(dates, np.ndarray) and dates.dtype.kind == "M":
        days = dates.astype("datetime64[D]")
        return days, ~np.isnat(days)
    return parse_dates(list(dates), date_field)


def emerging_hot_spots_on_grid(
    incidents: Incidents,
    dates: Sequence[Any] | np.ndarray,
    date_field: str,
    settings: EmergingSettings,
    study_area: StudyArea | None = None,
    progress: Progress = SILENT,
    listener: Callable[[Message], None] | None = None,
) -> EmergingHotSpots:
    """Space-time Gi*, Mann-Kendall trends and ArcGIS's categories of incidents dated by ``dates``.

    ``listener`` hears each message as it is decided (see :class:`.getis_ord_analysis.Report`).
    """
    report = Report(listener)
    days, dated = incident_days(dates, date_field)
    if not dated.all():
        undated = int((~dated).sum())
        report.leave_out(
            "no readable date",
            undated,
            message("{count} incidents have no readable '{field}' and were left out.", count=undated, field=date_field),
        )
    start, end = settings.start, settings.end
    if start is not None or end is not None:
        within = dated.copy()
        if start is not None:
            within &= days >= np.datetime64(start, "D")
        if end is not None:
            within &= days <= np.datetime64(end, "D")
        report.leave_out("outside the period", int(dated.sum() - within.sum()))
        report.tell(
            message(
                "{within} of {dated} dated incidents lie within the period {start} – {end}.",
                within=int(within.sum()),
                dated=int(dated.sum()),
                start=start if start is not None else "…",
                end=end if end is not None else "…",
            )
        )
        dated = within
    placed = place_incidents(incidents, report, dated)
    xy, days = placed.xy, days[placed.kept]
    step = settings.time_step
    step_index, starts = step.index(days, [f"fid {fid}" for fid in incidents.ids[placed.kept].tolist()])
    n_steps = len(starts)
    report.tell(
        message(
            "{count} incidents in {steps} time steps of {step} from {first}.",
            count=len(days),
            steps=n_steps,
            step=step.text,
            first=starts[0],
        )
    )
    setup = incidents_grid(settings.grid, settings.cell_size, placed, study_area, report, INCIDENTS_PER_CELL)
    grid, inside = setup.grid, setup.inside
    rows, cols = grid.locate(xy[:, 0], xy[:, 1])
    cube = cube_counts(grid, rows, cols, step_index, n_steps)
    progress.step(0.1)
    band = grid_band(cube.sum(axis=0), setup, settings.distance_band, report)
    cube_settings = CubeSettings(grid, inside, band, settings.time_window, settings.fdr)
    result = emerging_hot_spots(cube, cube_settings, progress.sub(0.1, 1.0))
    for text in result.cube.messages:
        report.tell(text, warning=True)
    codes, counts = np.unique(result.category, return_counts=True)
    summary = ", ".join(f"{CATEGORY_NAMES[int(c)]}: {n}" for c, n in zip(codes, counts))
    report.tell(
        message(
            "Cell size {cell:g}, distance band {band:g}, time window {window}. {summary}.",
            cell=grid.cell,
            band=band,
            window=settings.time_window,
            summary=summary,
        )
    )
    rows, cols = np.nonzero(inside)
    return EmergingHotSpots(
        crs=placed.crs,
        grid=grid,
        rows=rows,
        cols=cols,
        inside=inside,
        band=band,
        step_starts=starts,
        counts=cube,
        cells=result,
        left_out=report.left_out,
        messages=report.messages,
        incident_days=(str(days.min()), str(days.max())) if days.size else ("", ""),
    )
