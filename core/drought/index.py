"""Drought indices from NDVI time stacks, written block by block.

Everything here works window by window through :mod:`..raster_blocks`, so
memory does not grow with raster size.

Indices (per pixel, over the baseline observations: one per baseline year,
that year's band of the target's calendar composite period, see
:func:`.baseline.baseline_for`; invalid observations left out):

* ``vci`` — Kogan's Vegetation Condition Index,
  ``100 · (NDVI − min) / (max − min)``. When the target's year is a baseline
  year, the target is one of the observations and VCI lies in 0..100; a target
  outside the baseline's range (a year outside it) is clipped to the end of
  the scale. ``min = max`` gives nodata.
* ``ndvi_anomaly`` — ``NDVI − mean``.
* ``standardized_anomaly`` — ``(NDVI − mean) / sd`` with the sample standard
  deviation (``ddof = 1``). ``sd = 0`` (below :data:`SD_EPSILON`) gives nodata.

The anomalies use the same observations as VCI, the target's own included
when its year is a baseline year: the baseline is the climatology of the
chosen years, the same for every date assessed against it. The default
baseline (the years before the target) leaves the target's year out.

A pixel needs at least :data:`MIN_BASELINE_OBSERVATIONS` valid baseline
observations, else it is nodata. Nodata, NaN, values outside the valid range
and masked (cloud/QA) pixels are never counted as drought.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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
    tags_json,
    windows_for,
    write_blocks,
)
from ..raster_inputs import check_overlap
from .baseline import baseline_for
from .classes import CLASS_NODATA, ClassTable, check_index, default_classes
from .dates import DatedBand, find_date, stack_bands
from .masks import MaskSpec, mask_bands

MIN_BASELINE_OBSERVATIONS = 3
FLOAT_NODATA = -9999.0
#: A baseline standard deviation below this (NDVI units) is zero: the values are all equal, only rounding differs.
SD_EPSILON = 1e-6


class BaselineStats:
    """Per-pixel statistics of the baseline observations of one window, built one band at a time.

    Each band is folded in right after it is read, while it is still in the
    CPU cache, and memory holds a few 2-D arrays rather than the whole stack.
    NaN marks an invalid observation and is left out.
    """

    def __init__(self, index: str, shape: tuple[int, int]) -> None:
        self.index = index
        self.bands = 0
        self.missing: np.ndarray | None = None  # per-pixel count of invalid observations, once there is one
        if index == "vci":
            self.low = np.full(shape, np.nan, dtype=np.float32)
            self.high = np.full(shape, np.nan, dtype=np.float32)
        else:
            # Sums in float64: the variance from sums of squares would lose digits in float32.
            self.total = np.zeros(shape, dtype=np.float64)
            self.squares = np.zeros(shape, dtype=np.float64) if index == "standardized_anomaly" else None

    def add(self, values: np.ndarray) -> None:
        self.bands += 1
        invalid = np.isnan(values)
        if invalid.any():
            if self.missing is None:
                self.missing = np.zeros(values.shape, dtype=np.int16)
            self.missing += invalid
        if self.index == "vci":
            np.fmin(self.low, values, out=self.low)
            np.fmax(self.high, values, out=self.high)
            return
        clean = np.where(invalid, np.float32(0), values) if self.missing is not None else values
        self.total += clean
        if self.squares is not None:
            self.squares += np.square(clean, dtype=np.float64)

    def result(self, target: np.ndarray, min_observations: int = MIN_BASELINE_OBSERVATIONS) -> np.ndarray:
        """The index of ``target``; NaN where it is undefined."""
        count = self.bands - self.missing if self.missing is not None else np.int16(self.bands)
        enough = (count >= min_observations) & ~np.isnan(target)
        with np.errstate(invalid="ignore", divide="ignore"):
            if self.index == "vci":
                span = self.high - self.low
                result = (target - self.low) / span
                result *= np.float32(100.0)
                np.clip(result, 0.0, 100.0, out=result)
                enough &= span > 0
            else:
                n = np.maximum(count, 1).astype(np.float64)
                mean = self.total / n
                result = target - mean
                if self.squares is not None:
                    variance = np.maximum(self.squares - self.total * mean, 0.0) / np.maximum(n - 1, 1)
                    sd = np.sqrt(variance)
                    result /= sd
                    enough &= sd > SD_EPSILON
        result = result.astype(np.float32, copy=False)
        result[~enough] = np.nan
        return result


@dataclass
class IndexResult:
    """What :func:`drought_index` wrote, and its counts of valid and drought pixels."""

    output: str
    output_classes: str | None
    index: str
    target: str
    baseline: list[str]
    classes: ClassTable
    valid_pixels: int
    drought_pixels: int
    grid: Grid
    metadata: dict[str, str] = field(default_factory=dict)


def drought_index(
    stack: Sequence[str],
    output: str,
    *,
    output_classes: str | None = None,
    dates: Sequence[str] | None = None,
    target: str | None = None,
    baseline_start: int | None = None,
    baseline_end: int | None = None,
    index: str = "vci",
    scale: float | None = None,
    offset: float | None = None,
    valid_min: float | None = None,
    valid_max: float | None = None,
    mask: MaskSpec | None = None,
    classes: ClassTable | None = None,
    reference: str | None = None,
    resampling: Resampling = Resampling.bilinear,
    compress: str | None = "auto",
    progress: Progress = SILENT,
    workers: int | None = None,
) -> IndexResult:
    """Write the drought index of ``target`` (and optionally its classes) block by block.

    The output grid is ``reference``'s, else the first stack file's; other
    files are resampled onto it with ``resampling`` (masks with nearest).
    """
    check_index(index)
    refuse_non_geotiff([output, output_classes])
    refuse_output_over_inputs([output, output_classes], [*stack, mask.path if mask else None, reference])
    classes = classes or default_classes(index)
    bands = stack_bands(stack, dates, scale, offset)
    target_band = find_date(bands, target)
    baseline = baseline_for(bands, target_band, baseline_start, baseline_end)
    grid = Grid.of(reference or target_band.ref.path, "REFERENCE raster" if reference else "stack raster")
    used = [target_band, *baseline]
    for path in {b.ref.path for b in used}:
        check_overlap(grid, path, "stack raster")
    mask_of: dict[BandRef, BandRef] = {}
    bad = np.array([], dtype=np.float64)
    if mask is not None:
        check_overlap(grid, mask.path, "mask")
        mask_of = mask_bands(mask, used)
        bad = np.asarray(mask.bad_values, dtype=np.float64)
    reader = AlignedReader(grid, {mask.path: Resampling.nearest} if mask else None, default=resampling)
    valid_range = (valid_min, valid_max)
    if compress == "auto":
        compress = compression_of(target_band.ref.path)
    workers = workers or default_workers([b.ref.path for b in used], compress)
    metadata = {
        "MEW_INDEX": index,
        "MEW_TARGET": target_band.date.isoformat(),
        "MEW_BASELINE": tags_json([b.date.isoformat() for b in baseline]),
        "MEW_CLASSES": tags_json(classes.as_metadata()),
        "MEW_METHOD": _METHOD[index],
        "MEW_NODATA_RULE": "nodata, NaN, out of valid range and masked pixels are excluded; a pixel needs "
        f">= {MIN_BASELINE_OBSERVATIONS} valid baseline observations",
        "MEW_RESAMPLING": resampling.name,
        "MEW_SCALE_OFFSET": f"{target_band.scale:g},{target_band.offset:g}",
        "MEW_VALID_RANGE": tags_json([valid_min, valid_max]),
        "MEW_MASK": tags_json(
            {"path": mask.path, "bad_values": list(mask.bad_values), "band": mask.band} if mask else None
        ),
    }
    counts = {"valid": 0, "drought": 0, "target": 0}
    drought_below = classes.drought_below

    def read(band: DatedBand, window: Window, out: np.ndarray | None = None) -> np.ndarray:
        values = reader.read(band.ref, window, band.scale, band.offset, valid_range, out)
        if mask is not None:
            raw, covered = reader.read_raw(mask_of[band.ref], window)
            values[covered & np.isin(raw, bad)] = np.nan
        return values

    def work(window: Window) -> dict[str, Any]:
        target_values = read(target_band, window)
        shape = (int(window.height), int(window.width))
        stats = BaselineStats(index, shape)
        buffer = np.empty(shape, dtype=np.float32)
        for band in baseline:
            stats.add(target_values if band is target_band else read(band, window, buffer))
        values = stats.result(target_values)
        result: dict[str, Any] = {"index": np.where(np.isnan(values), np.float32(FLOAT_NODATA), values)}
        if output_classes:
            result["classes"] = classes.classify(values)
        result["valid"] = int(np.count_nonzero(~np.isnan(values)))
        result["target"] = int(np.count_nonzero(~np.isnan(target_values)))
        result["drought"] = int(np.count_nonzero(values < drought_below))
        return result

    def tally(_window: Window, result: Mapping[str, Any]) -> None:
        for key in counts:
            counts[key] += result[key]

    def refuse_empty() -> None:
        error = _empty_error(counts, target_band, baseline)
        if error is not None:
            raise error

    outputs = {
        "index": OutputSpec(
            output, "float32", FLOAT_NODATA, f"{index} {target_band.date.isoformat()}", metadata, compress=compress
        ),
        "classes": OutputSpec(
            output_classes,
            "uint8",
            CLASS_NODATA,
            f"drought class {target_band.date.isoformat()}",
            metadata,
            classes.colormap(),
            compress="DEFLATE",
        )
        if output_classes
        else None,
    }
    with gdal_env():
        try:
            windows = windows_for(grid, [b.ref.path for b in used])
            write_blocks(grid, outputs, windows, work, progress, workers, tally, refuse_empty, reader)
        finally:
            reader.close()
    return IndexResult(
        output,
        output_classes,
        index,
        target_band.date.isoformat(),
        [b.date.isoformat() for b in baseline],
        classes,
        counts["valid"],
        counts["drought"],
        grid,
        metadata,
    )


_METHOD = {
    "vci": "VCI = 100*(NDVI-min)/(max-min) over the same composite period of the baseline years, the target's own "
    "observation included when its year is one of them (Kogan 1995); clipped to 0..100; min=max -> nodata",
    "ndvi_anomaly": "NDVI - mean(NDVI of the same composite period over the baseline years, the target's own "
    "observation included when its year is one of them)",
    "standardized_anomaly": "(NDVI - mean) / sd over the same composite period of the baseline years, the target's "
    "own observation included when its year is one of them (sample sd, ddof=1); sd < 1e-6 -> nodata",
}


def _empty_error(counts: Mapping[str, int], target: DatedBand, baseline: Sequence[DatedBand]) -> MewError | None:
    if counts["target"] == 0:
        return MewError(
            "The target {label} has no valid pixel over the area (all nodata, masked or outside the valid "
            "range): check SCALE/OFFSET, VALID_MIN/VALID_MAX, the mask values, or choose another TARGET.",
            label=target.label,
        )
    if counts["valid"] == 0:
        names = ", ".join(b.label for b in baseline[:3])
        return MewError(
            "No pixel has {min_baseline_observations} valid baseline observations with a defined index: the "
            "stack is all nodata over the area in the baseline bands ({names}, …). Check nodata, the valid "
            "range and the mask.",
            min_baseline_observations=MIN_BASELINE_OBSERVATIONS,
            names=names,
        )
    return None
