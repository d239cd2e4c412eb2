"""Change of a drought index between two periods: difference, transitions, new-drought polygons, zones."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Sequence

import numpy as np
from rasterio.enums import Resampling
from rasterio.windows import Window

from ..errors import MewError
from ..io import refuse_non_geotiff, refuse_output_over_inputs
from ..progress import SILENT, Progress
from ..raster_blocks import (
    AlignedReader,
    BandRef,
    Grid,
    OutputSpec,
    compression_of,
    default_workers,
    gdal_env,
    map_windows,
    tags_json,
    windows_for,
    write_blocks,
)
from ..raster_inputs import check_overlap, count_factor
from .baseline import refuse_single_band
from .classes import ClassTable, classes_of
from .dates import find_date, stack_bands
from .index import FLOAT_NODATA, drought_index
from .polygons import NewDroughtPolygons
from .zones import Zone, ZoneTally, zone_counts

#: Codes of the transitions raster (0 is its nodata).
TRANSITIONS = {0: "no data", 1: "new drought", 2: "persistent drought", 3: "recovered", 4: "no drought"}
TRANSITION_COLORS = {
    0: (0, 0, 0, 0),
    1: (215, 25, 28, 255),
    2: (120, 0, 0, 255),
    3: (43, 131, 186, 255),
    4: (220, 220, 220, 255),
}


@dataclass
class ChangeResult:
    """What :func:`drought_change` found: polygons of new drought and the per-zone summary."""

    grid: Grid
    classes: ClassTable
    drought_below: float
    polygons: list[dict[str, Any]]
    summary: list[dict[str, Any]]
    valid_pixels: int


def drought_change(
    before: str,
    after: str,
    *,
    output_delta: str | None = None,
    output_transitions: str | None = None,
    min_area_ha: float | None = None,
    zones: Sequence[Zone] | None = None,
    population: str | None = None,
    classes: ClassTable | None = None,
    drought_below: float | None = None,
    reference: str | None = None,
    resampling: Resampling = Resampling.bilinear,
    compress: str | None = "auto",
    progress: Progress = SILENT,
    workers: int | None = None,
) -> ChangeResult:
    """Compare two index rasters block by block.

    Writes ``after − before`` (``output_delta``) and the transitions
    (``output_transitions``), returns polygons of new drought of at least
    ``min_area_ha`` hectares (when given) and the per-zone summary (when
    ``zones`` are given), sorted worst first. Drought means an index below
    ``drought_below`` (default: every class of the table but the last).
    Population is resampled onto the grid by averaging and scaling by the
    pixel-area ratio, so people are counted once.
    """
    refuse_non_geotiff([output_delta, output_transitions])
    refuse_output_over_inputs([output_delta, output_transitions], [before, after, population, reference])
    for path, what in ((before, "BEFORE"), (after, "AFTER")):
        if not Path(path).exists():
            raise MewError("The {what} raster '{path}' does not exist.", what=what, path=path)
    grid = Grid.of(reference or before, "REFERENCE raster" if reference else "BEFORE raster")
    check_overlap(grid, after, "AFTER raster")
    check_overlap(grid, before, "BEFORE raster")
    if population:
        check_overlap(grid, population, "population raster")
    classes = classes or classes_of(after)
    threshold = classes.drought_below if drought_below is None else float(drought_below)
    reader = AlignedReader(grid, {population: Resampling.average} if population else None, default=resampling)
    people_factor = np.float32(count_factor(population, grid)) if population else np.float32(1)
    if compress == "auto":
        compress = compression_of(before)
    workers = workers or default_workers([before, after], compress)
    zone_list = list(zones or [])
    zone_bounds = [z.geometry.bounds if z.geometry is not None else None for z in zone_list]
    n_classes = len(classes.classes)
    tally = ZoneTally(len(zone_list), n_classes)
    pieces = NewDroughtPolygons(grid, min_area_ha) if min_area_ha is not None else None
    before_ref, after_ref = BandRef(before, 1), BandRef(after, 1)
    valid_total = [0]

    need_transitions = bool(output_transitions or pieces is not None or zone_list)

    def difference_only(window: Window) -> dict[str, Any]:
        # The plain ΔVCI (the benchmark's "pair difference"): masks as booleans, no NaN written into the inputs.
        old, old_invalid = reader.read_masked(before_ref, window)
        new, new_invalid = reader.read_masked(after_ref, window)
        delta = np.subtract(new, old, out=new)
        missing = np.isnan(delta)
        for invalid in (old_invalid, new_invalid):
            if invalid is not None:
                missing |= invalid
        delta[missing] = np.float32(FLOAT_NODATA)
        return {"delta": delta, "valid": missing.size - int(np.count_nonzero(missing))}

    def work(window: Window) -> dict[str, Any]:
        if not need_transitions:
            return difference_only(window)
        old = reader.read(before_ref, window)
        new = reader.read(after_ref, window)
        delta = new - old  # NaN where either is invalid
        missing = np.isnan(delta)
        result: dict[str, Any] = {"valid": missing.size - int(np.count_nonzero(missing))}
        if output_delta:
            written = delta.copy()
            written[missing] = np.float32(FLOAT_NODATA)
            result["delta"] = written
        transitions = _transitions(old, new, threshold)
        result["transitions"] = transitions
        if pieces is not None:
            result["pieces"] = pieces.polygons(window, transitions == 1, delta)
        if zone_list:
            people = reader.read(BandRef(population, 1), window) * people_factor if population else None
            result["zones"] = zone_counts(
                grid, window, zone_list, zone_bounds, classes, threshold, new, delta, transitions, people
            )
        return result

    def collect(_window: Window, result: Mapping[str, Any]) -> None:
        valid_total[0] += result["valid"]
        if pieces is not None and "pieces" in result:
            pieces.add(result["pieces"])
        if "zones" in result:
            tally.add(result["zones"])

    def refuse_empty() -> None:
        if valid_total[0] == 0:
            raise MewError(
                "'{before}' and '{after}' have no valid pixel in common over the area: check that they cover "
                "the same place and that their nodata is set right.",
                before=before,
                after=after,
            )

    finished: dict[str, list[dict[str, Any]]] = {}

    def finish() -> None:
        # Before the rasters are committed: a cancel up to the last report leaves none of them.
        refuse_empty()
        finished["polygons"] = pieces.merged() if pieces is not None else []
        finished["summary"] = tally.rows(zone_list, classes, grid) if zone_list else []
        progress.step(1.0)

    meta = {
        "MEW_BEFORE": str(before),
        "MEW_AFTER": str(after),
        "MEW_DROUGHT_BELOW": f"{threshold:g}",
        "MEW_TRANSITIONS": tags_json(TRANSITIONS),
        "MEW_RESAMPLING": resampling.name,
    }
    outputs = {
        "delta": OutputSpec(
            output_delta, "float32", FLOAT_NODATA, "change of the index (after - before)", meta, compress=compress
        )
        if output_delta
        else None,
        "transitions": OutputSpec(
            output_transitions, "uint8", 0, "drought transitions", meta, TRANSITION_COLORS, compress="DEFLATE"
        )
        if output_transitions
        else None,
    }
    windows = windows_for(grid, [before, after])
    with gdal_env():
        try:
            if any(outputs.values()):
                write_blocks(grid, outputs, windows, work, progress.sub(0, 0.9), workers, collect, finish, reader)
            else:
                for window, result in map_windows(windows, work, progress.sub(0, 0.9), workers, reader.release_thread):
                    collect(window, result)
                finish()
        finally:
            reader.close()
    return ChangeResult(grid, classes, threshold, finished["polygons"], finished["summary"], valid_total[0])


def _transitions(old: np.ndarray, new: np.ndarray, threshold: float) -> np.ndarray:
    valid = ~(np.isnan(old) | np.isnan(new))
    was = old < threshold
    now = new < threshold
    codes = np.full(old.shape, 4, dtype=np.uint8)
    codes[now & ~was] = 1
    codes[now & was] = 2
    codes[~now & was] = 3
    codes[~valid] = 0
    return codes


def drought_change_from_stack(
    stack: Sequence[str],
    before_date: str,
    after_date: str | None,
    *,
    workdir: str,
    index_options: Mapping[str, Any] | None = None,
    progress: Progress = SILENT,
    workers: int | None = None,
    **change: Any,
) -> ChangeResult:
    """The index of two dates of one stack (same baseline, written to ``workdir``), then :func:`drought_change`.

    ``index_options`` are :func:`drought_index`'s keyword arguments (``index``,
    ``dates``, ``baseline_start`` …); ``change`` are :func:`drought_change`'s.
    The baseline defaults to the years before the earlier date, so both
    periods are judged against the same climatology.
    """
    refuse_non_geotiff([change.get("output_delta"), change.get("output_transitions")])
    options = dict(index_options or {})
    dates = options.get("dates")
    bands = stack_bands(stack, dates, options.get("scale"), options.get("offset"))
    refuse_single_band(bands)
    first = find_date(bands, before_date, "BEFORE date")
    second = find_date(bands, after_date, "AFTER date")
    if first.date >= second.date:
        raise MewError(
            "The BEFORE date ({date}) must be earlier than the AFTER date ({date2}).",
            date=first.date,
            date2=second.date,
        )
    if options.get("baseline_end") is None:
        options["baseline_end"] = first.date.year - 1
    paths = []
    for number, (band, part) in enumerate(((first, (0.0, 0.3)), (second, (0.3, 0.6)))):
        path = str(Path(workdir) / f"index_{number}_{band.date.isoformat()}.tif")
        drought_index(
            stack, path, target=band.date.isoformat(), progress=progress.sub(*part), workers=workers, **options
        )
        paths.append(path)
    return drought_change(
        paths[0],
        paths[1],
        classes=options.get("classes"),
        reference=paths[0],
        progress=progress.sub(0.6, 1.0),
        workers=workers,
        **change,
    )
