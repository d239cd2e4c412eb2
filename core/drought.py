"""Drought indices from NDVI time stacks, drought classes and change between periods.

Everything here works window by window through :mod:`.raster_blocks`, so
memory does not grow with raster size.

Indices (per pixel, over the baseline observations: one per baseline year,
that year's band of the target's calendar composite period, see
:func:`baseline_for`; invalid observations left out):

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

import datetime as dt
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import numpy as np
import rasterio
from pyproj import CRS
from rasterio import features
from rasterio.enums import Resampling
from rasterio.windows import Window
from shapely.geometry import MultiPolygon, Polygon, shape
from shapely.ops import unary_union

from .crs import is_metric
from .errors import MewError
from .io import refuse_non_geotiff, refuse_output_over_inputs
from .progress import SILENT, Progress
from .raster_blocks import (
    AlignedReader,
    BandRef,
    Grid,
    OutputSpec,
    check_overlap,
    compression_of,
    count_factor,
    default_workers,
    gdal_env,
    map_windows,
    tags_json,
    windows_for,
    write_blocks,
)

INDICES = ("vci", "ndvi_anomaly", "standardized_anomaly")
MIN_BASELINE_YEARS = 3
MIN_BASELINE_OBSERVATIONS = 3
#: A baseline date matches the target's calendar period when its day of year is this close.
PERIOD_DAYS = 15
FLOAT_NODATA = -9999.0
#: A baseline standard deviation below this (NDVI units) is zero: the values are all equal, only rounding differs.
SD_EPSILON = 1e-6
CLASS_NODATA = 0

# --- dates -------------------------------------------------------------------------------

_ISO = re.compile(r"(?<!\d)((?:19|20)\d\d)[-_.]?(0[1-9]|1[0-2])[-_.]?(0[1-9]|[12]\d|3[01])(?!\d)")
_DOY = re.compile(r"(?:(?<=A)|(?<![0-9A-Za-z]))((?:19|20)\d\d)[-_.]?(00[1-9]|0[1-9]\d|[12]\d\d|3[0-5]\d|36[0-6])(?!\d)")
_DATE_TAGS = ("DATE", "ACQUISITION_DATE", "ACQUISITIONDATE", "TIME", "DATETIME", "START_DATE", "NETCDF_DIM_TIME")


def parse_date(text: str | None) -> dt.date | None:
    """A date in ``text``: ISO ``2015-09-14``, ``20150914``, or MODIS ``A2015257`` / ``2015-257``."""
    if not text:
        return None
    match = _ISO.search(text)
    if match:
        try:
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            pass
    match = _DOY.search(text)
    if match:
        year, day = int(match[1]), int(match[2])
        if day <= (366 if _leap(year) else 365):
            return dt.date(year, 1, 1) + dt.timedelta(days=day - 1)
    return None


def band_date(description: str | None, tags: dict[str, str], file_stem: str | None = None) -> dt.date | None:
    """The date of a raster band: its description, else its metadata (``DATE``, ``ACQUISITION_DATE`` …),
    else ``file_stem`` (give it for single-band files, whose name often carries the date)."""
    found = parse_date(description)
    if found is None:
        upper = {key.upper(): value for key, value in tags.items()}
        found = next((d for d in (parse_date(upper.get(key)) for key in _DATE_TAGS) if d), None)
    if found is None and file_stem:
        found = parse_date(file_stem)
    return found


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


@dataclass(frozen=True)
class DatedBand:
    ref: BandRef
    date: dt.date
    scale: float = 1.0
    offset: float = 0.0

    @property
    def label(self) -> str:
        return f"{self.date.isoformat()} ({self.ref.label})"


def stack_bands(paths: Sequence[str], dates: Sequence[str] | None = None,
                scale: float | None = None, offset: float | None = None) -> list[DatedBand]:
    """The bands of a stack (files in order, bands in order) with their dates.

    Dates come from ``dates`` when given (one per band), else from each band's
    description, its metadata (``DATE``, ``ACQUISITION_DATE`` …), or, for a
    single-band file, the file name. Scale and offset come from the arguments,
    else from the band (GDAL scale/offset), else 1 and 0.
    """
    if not paths:
        raise MewError("The NDVI stack is empty: give one multiband raster or a list of rasters.")
    if scale is not None and (scale == 0 or not math.isfinite(scale)):
        raise MewError(
            f"SCALE is {scale:g}: every NDVI value would become {'the OFFSET' if scale == 0 else 'undefined'}. "
            "Give the factor that turns the stored values into NDVI (0.0001 for MODIS), or leave SCALE empty to "
            "use the file's own scale."
        )
    if offset is not None and not math.isfinite(offset):
        raise MewError(f"OFFSET is {offset:g}: give a finite number (0 for MODIS), or leave it empty.")
    refs: list[tuple[BandRef, dt.date | None, float, float]] = []
    for path in paths:
        if not Path(path).exists():
            raise MewError(f"The stack raster '{path}' does not exist.")
        with rasterio.open(path) as dataset:
            for band in range(1, dataset.count + 1):
                found = band_date(dataset.descriptions[band - 1], dataset.tags(band),
                                  Path(path).stem if dataset.count == 1 else None)
                band_scale = dataset.scales[band - 1] if dataset.scales else 1.0
                band_offset = dataset.offsets[band - 1] if dataset.offsets else 0.0
                refs.append((BandRef(str(path), band), found, band_scale or 1.0, band_offset or 0.0))
    if dates:
        if len(dates) != len(refs):
            raise MewError(
                f"DATES lists {len(dates)} dates but the stack has {len(refs)} bands: give one date per band, "
                "in order."
            )
        parsed = []
        for text in dates:
            value = parse_date(str(text).strip())
            if value is None:
                raise MewError(f"DATES entry '{text}' is not a date: write it as YYYY-MM-DD.")
            parsed.append(value)
        refs = [(ref, value, s, o) for (ref, _, s, o), value in zip(refs, parsed)]
    bands = []
    for ref, found, band_scale, band_offset in refs:
        if found is None:
            raise MewError(
                f"The {ref.label} has no date in its description, its metadata or its file name: "
                "set DATES (one YYYY-MM-DD per band, in order) or name the files like ndvi_2015-09-14.tif."
            )
        bands.append(DatedBand(ref, found, scale if scale is not None else band_scale,
                               offset if offset is not None else band_offset))
    seen: dict[dt.date, DatedBand] = {}
    for band in bands:
        if band.date in seen:
            raise MewError(f"Two bands carry the date {band.date}: {seen[band.date].ref.label} and {band.ref.label}.")
        seen[band.date] = band
    return bands


def find_date(bands: Sequence[DatedBand], text: str | None, what: str = "TARGET") -> DatedBand:
    """The band whose date starts with ``text`` (``2026``, ``2026-09``, ``2026-09-14``); latest when empty."""
    ordered = sorted(bands, key=lambda b: b.date)
    if not text:
        return ordered[-1]
    wanted = str(text).strip()
    exact = parse_date(wanted)
    if exact is not None:
        candidates = [b for b in ordered if b.date == exact]
    else:
        candidates = [b for b in ordered if b.date.isoformat().startswith(wanted)]
    if len(candidates) == 1:
        return candidates[0]
    listing = ", ".join(b.date.isoformat() for b in ordered)
    if not candidates:
        raise MewError(f"No band of the stack has the {what} date '{wanted}'. The stack's dates are: {listing}.")
    raise MewError(f"The {what} '{wanted}' matches {len(candidates)} dates; give the full date. Dates: {listing}.")


def period_date(target: dt.date, year: int) -> dt.date:
    """The date of ``target``'s calendar composite period in ``year``: the same day of the year.

    Composites start on the same day of the year every year, leap or not
    (MODIS 16-day composites on days 1, 17, … 353), so the period is the day
    of the year; a day-366 target falls on 31 December of a common year.
    """
    day = min(target.timetuple().tm_yday, 366 if _leap(year) else 365)
    return dt.date(year, 1, 1) + dt.timedelta(days=day - 1)


def baseline_for(bands: Sequence[DatedBand], target: DatedBand, first_year: int | None, last_year: int | None,
                 period_days: int = PERIOD_DAYS) -> list[DatedBand]:
    """One band per baseline year: that year's band of the target's calendar composite period.

    A year's band is the one dated in that year nearest to :func:`period_date`,
    within ``period_days``; a year without one contributes nothing. The period
    never wraps round the year's end (1 January and 19 December are different
    composites). When the target's year is a baseline year, its band is the
    target itself, as in Kogan's VCI (which then lies in 0..100 by
    construction). The years default to all years of the stack before the
    target's. Raises when fewer than :data:`MIN_BASELINE_YEARS` years have a
    band in the period.
    """
    refuse_single_band(bands)
    defaults = first_year is None, last_year is None
    if first_year is None:
        first_year = min(b.date.year for b in bands)
    if last_year is None:
        last_year = target.date.year - 1
    if first_year > last_year:
        start = f"the stack's first year ({first_year}, the default BASELINE_START)" if defaults[0] \
            else f"BASELINE_START ({first_year})"
        end = f"the year before the target ({last_year}, the default BASELINE_END)" if defaults[1] \
            else f"BASELINE_END ({last_year})"
        if all(defaults):
            raise MewError(
                f"The stack starts in {first_year}, the target's year: there is no earlier year to compare it "
                f"with. Add at least {MIN_BASELINE_YEARS} earlier years of the same period to the stack, choose a "
                "later TARGET, or set BASELINE_START and BASELINE_END."
            )
        raise MewError(f"The baseline is empty: {start} is after {end}. Set BASELINE_START and BASELINE_END so "
                       "that the first year is not after the last.")
    chosen: list[DatedBand] = []
    for year in range(first_year, last_year + 1):
        wanted = period_date(target.date, year)
        near = [b for b in bands if b.date.year == year and abs((b.date - wanted).days) <= period_days]
        if near:
            chosen.append(min(near, key=lambda b: (abs((b.date - wanted).days), b.date)))
    if len(chosen) < MIN_BASELINE_YEARS:
        years = ", ".join(str(b.date.year) for b in chosen) or "none"
        raise MewError(
            f"Only {len(chosen)} baseline year(s) ({years}) between {first_year} and {last_year} have a band "
            f"within {period_days} days of the target's calendar period ({target.date:%d %B}); at least "
            f"{MIN_BASELINE_YEARS} are needed. Widen BASELINE_START/BASELINE_END or add those years to the stack."
        )
    return chosen


def refuse_single_band(bands: Sequence[DatedBand]) -> None:
    """An index compares a date with the same period of other years: one band is not enough."""
    if len(bands) == 1:
        raise MewError(
            f"The stack has one band ({bands[0].label}): a drought index compares the target with the same "
            f"period of at least {MIN_BASELINE_YEARS} other years. Give a stack with those years (one multiband "
            "raster, or one raster per date)."
        )


# --- masks --------------------------------------------------------------------------------

@dataclass(frozen=True)
class MaskSpec:
    """A cloud/QA raster: one band for all dates, or one band per date; ``bad`` values mean invalid."""

    path: str
    bad_values: tuple[float, ...] = (1.0,)
    band: int | None = None


def parse_values(text: str | None) -> tuple[float, ...]:
    """``"1"``, ``"1,2,3"`` or ``"1-3, 9"`` as a tuple of numbers."""
    if text is None or not str(text).strip():
        return ()
    values: list[float] = []
    for part in re.split(r"[,;\s]+", str(text).strip()):
        if not part:
            continue
        range_match = re.fullmatch(r"(-?\d+)\s*(?:-|\.\.)\s*(-?\d+)", part)
        try:
            if range_match:
                low, high = int(range_match[1]), int(range_match[2])
                values.extend(float(v) for v in range(min(low, high), max(low, high) + 1))
            else:
                values.append(float(part))
        except ValueError as error:
            raise MewError(f"Mask value '{part}' is not a number: list the bad values like 1,2,3 or 1-3.") from error
    return tuple(values)


def mask_bands(mask: MaskSpec, bands: Sequence[DatedBand]) -> dict[BandRef, BandRef]:
    """Which mask band applies to each stack band."""
    with rasterio.open(mask.path) as dataset:
        count = dataset.count
        descriptions = dataset.descriptions
    if mask.band is not None:
        if not 1 <= mask.band <= count:
            raise MewError(f"The mask '{mask.path}' has {count} band(s); band {mask.band} does not exist.")
        return {b.ref: BandRef(mask.path, mask.band) for b in bands}
    if count == 1:
        return {b.ref: BandRef(mask.path, 1) for b in bands}
    mask_dates = {parse_date(d): i + 1 for i, d in enumerate(descriptions) if parse_date(d)}
    if mask_dates and all(b.date in mask_dates for b in bands):
        return {b.ref: BandRef(mask.path, mask_dates[b.date]) for b in bands}
    if count == len(bands):
        return {b.ref: BandRef(mask.path, i + 1) for i, b in enumerate(bands)}
    missing = [b.date.isoformat() for b in bands if b.date not in mask_dates]
    raise MewError(
        f"The mask '{mask.path}' has {count} bands and none is dated {', '.join(missing[:5])}: give a one-band "
        "mask, a mask with one band per stack band in order, band descriptions with the dates, or MASK_BAND."
    )


# --- classes ------------------------------------------------------------------------------

@dataclass(frozen=True)
class DroughtClass:
    code: int
    name: str
    upper: float | None  # exclusive upper bound of the index; None = unbounded


#: How CLASSES is written, for messages.
CLASSES_FORM = ("Write 'upper bound:name' pairs, worst first, separated by ';', and end with the name of the class "
                "without drought, e.g. '10:extreme; 20:severe; 30:moderate; 40:mild; none'.")
#: Class codes are written as bytes, 0 being nodata.
MAX_CLASSES = 255


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class ClassTable:
    """Drought classes by index thresholds, worst first; the last class is "no drought"."""

    classes: tuple[DroughtClass, ...]

    @classmethod
    def parse(cls, text: str) -> ClassTable:
        """``"10:extreme; 20:severe; 30:moderate; 40:mild; none"`` (upper bounds, exclusive, ascending).

        Each class but the last is ``upper bound:name`` (a finite number, then a
        name that is neither a number nor holds a colon); the last may be a name
        alone. Anything else is refused with the expected form.
        """
        parts = [p.strip() for p in re.split(r"[;\n]+", text or "") if p.strip()]

        def refuse(problem: str) -> MewError:
            return MewError(f"CLASSES '{text}' is not a class table: {problem}. {CLASSES_FORM}")

        if not parts or (len(parts) == 1 and ":" not in parts[0]):
            raise refuse("it needs at least two classes")
        classes = []
        previous = -math.inf
        for code, part in enumerate(parts, 1):
            if ":" in part:
                bound_text, name = (s.strip() for s in part.split(":", 1))
                try:
                    bound: float | None = float(bound_text)
                except ValueError:
                    raise refuse(f"'{bound_text}' in '{part}' is not a number") from None
                if not math.isfinite(bound):
                    raise refuse(f"the bound '{bound_text}' in '{part}' is not a finite number")
                if ":" in name:
                    raise refuse(f"'{part}' has more than one ':'")
                if bound <= previous:
                    raise refuse(f"the bounds must increase and '{part}' does not")
                previous = bound
            else:
                bound, name = None, part
                if code != len(parts):
                    raise refuse(f"only the last class may have no upper bound, and '{part}' has none")
            if _is_number(name):
                raise refuse(f"'{name}' in '{part}' is a number where a class name belongs")
            classes.append(DroughtClass(code, name or f"class {code}", bound))
        if classes[-1].upper is not None:
            classes.append(DroughtClass(len(classes) + 1, "none", None))
        if len(classes) > MAX_CLASSES:
            raise refuse(f"it has {len(classes)} classes and at most {MAX_CLASSES} fit the class raster")
        return cls(tuple(classes))

    @property
    def text(self) -> str:
        return "; ".join(f"{c.upper:g}:{c.name}" if c.upper is not None else c.name for c in self.classes)

    @property
    def drought_below(self) -> float:
        """Index values below this are drought: every class but the last."""
        return float(self.classes[-2].upper)  # type: ignore[arg-type]

    def classify(self, values: np.ndarray) -> np.ndarray:
        """Class codes (1 = worst) as uint8; :data:`CLASS_NODATA` where ``values`` is NaN."""
        bounds = np.array([c.upper for c in self.classes[:-1]], dtype=np.float32)
        codes = (np.searchsorted(bounds, values, side="right") + 1).astype(np.uint8)
        codes[np.isnan(values)] = CLASS_NODATA
        return codes

    def as_metadata(self) -> list[dict[str, Any]]:
        rows = []
        lower = None
        for c in self.classes:
            rows.append({"code": c.code, "name": c.name, "min": lower, "max_exclusive": c.upper})
            lower = c.upper
        return rows

    def colormap(self) -> dict[int, tuple[int, int, int, int]]:
        palette = _ramp(len(self.classes))
        cmap = {CLASS_NODATA: (0, 0, 0, 0)}
        cmap.update({c.code: palette[i] for i, c in enumerate(self.classes)})
        return cmap


def _ramp(count: int) -> list[tuple[int, int, int, int]]:
    """Dark red (worst) through orange and yellow to green (no drought)."""
    stops = [(115, 0, 0), (230, 0, 0), (255, 170, 0), (255, 255, 115), (56, 168, 0)]
    if count <= 1:
        return [(*stops[-1], 255)]
    result = []
    for i in range(count):
        position = i / (count - 1) * (len(stops) - 1)
        low = min(int(position), len(stops) - 2)
        t = position - low
        rgb = tuple(round(stops[low][k] * (1 - t) + stops[low + 1][k] * t) for k in range(3))
        result.append((*rgb, 255))
    return result


DEFAULT_CLASSES = {
    "vci": "10:extreme; 20:severe; 30:moderate; 40:mild; none",
    "ndvi_anomaly": "-0.2:extreme; -0.15:severe; -0.1:moderate; -0.05:mild; none",
    "standardized_anomaly": "-2:extreme; -1.5:severe; -1:moderate; -0.5:mild; none",
}


def default_classes(index: str) -> ClassTable:
    return ClassTable.parse(DEFAULT_CLASSES[_check_index(index)])


def _check_index(index: str) -> str:
    if index not in INDICES:
        raise MewError(f"INDEX '{index}' is not known: use one of {', '.join(INDICES)}.")
    return index


# --- the index ----------------------------------------------------------------------------

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
    _check_index(index)
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
        "MEW_MASK": tags_json({"path": mask.path, "bad_values": list(mask.bad_values), "band": mask.band}
                              if mask else None),
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
        "index": OutputSpec(output, "float32", FLOAT_NODATA, f"{index} {target_band.date.isoformat()}",
                            metadata, compress=compress),
        "classes": OutputSpec(output_classes, "uint8", CLASS_NODATA, f"drought class {target_band.date.isoformat()}",
                              metadata, classes.colormap(), compress="DEFLATE") if output_classes else None,
    }
    with gdal_env():
        try:
            windows = windows_for(grid, [b.ref.path for b in used])
            write_blocks(grid, outputs, windows, work, progress, workers, tally, refuse_empty, reader)
        finally:
            reader.close()
    return IndexResult(output, output_classes, index, target_band.date.isoformat(),
                       [b.date.isoformat() for b in baseline], classes, counts["valid"], counts["drought"], grid,
                       metadata)


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
            f"The target {target.label} has no valid pixel over the area (all nodata, masked or outside the "
            "valid range): check SCALE/OFFSET, VALID_MIN/VALID_MAX, the mask values, or choose another TARGET."
        )
    if counts["valid"] == 0:
        names = ", ".join(b.label for b in baseline[:3])
        return MewError(
            f"No pixel has {MIN_BASELINE_OBSERVATIONS} valid baseline observations with a defined index: the "
            f"stack is all nodata over the area in the baseline bands ({names}, …). Check nodata, the valid range "
            "and the mask."
        )
    return None


# --- change between two periods -------------------------------------------------------------

#: Codes of the transitions raster (0 is its nodata).
TRANSITIONS = {0: "no data", 1: "new drought", 2: "persistent drought", 3: "recovered", 4: "no drought"}
TRANSITION_COLORS = {
    0: (0, 0, 0, 0),
    1: (215, 25, 28, 255),
    2: (120, 0, 0, 255),
    3: (43, 131, 186, 255),
    4: (220, 220, 220, 255),
}


@dataclass(frozen=True)
class Zone:
    """A zone for the summary, its geometry (shapely) in the grid's CRS."""

    key: str
    name: str
    geometry: Any


@dataclass
class ChangeResult:
    grid: Grid
    classes: ClassTable
    drought_below: float
    polygons: list[dict[str, Any]]
    summary: list[dict[str, Any]]
    valid_pixels: int


def classes_of(path: str, fallback: str = "vci") -> ClassTable:
    """The class table written into an index raster by :func:`drought_index`, else the default."""
    with rasterio.open(path) as dataset:
        tags = dataset.tags()
    text = tags.get("MEW_CLASSES")
    if text:
        try:
            rows = json.loads(text)
            return ClassTable(tuple(DroughtClass(int(r["code"]), str(r["name"]), r["max_exclusive"]) for r in rows))
        except (ValueError, KeyError, TypeError):
            pass
    return default_classes(tags.get("MEW_INDEX", fallback))


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
            raise MewError(f"The {what} raster '{path}' does not exist.")
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
    tally = _ZoneTally(len(zone_list), n_classes)
    pieces = _PolygonPieces(grid, min_area_ha) if min_area_ha is not None else None
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
            result["zones"] = _zone_counts(grid, window, zone_list, zone_bounds, classes, threshold,
                                           new, delta, transitions, people)
        return result

    def collect(_window: Window, result: Mapping[str, Any]) -> None:
        valid_total[0] += result["valid"]
        if "pieces" in result:
            pieces.add(result["pieces"])
        if "zones" in result:
            tally.add(result["zones"])

    def refuse_empty() -> None:
        if valid_total[0] == 0:
            raise MewError(
                f"'{before}' and '{after}' have no valid pixel in common over the area: check that they cover "
                "the same place and that their nodata is set right."
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
        "delta": OutputSpec(output_delta, "float32", FLOAT_NODATA, "change of the index (after - before)", meta,
                            compress=compress) if output_delta else None,
        "transitions": OutputSpec(output_transitions, "uint8", 0, "drought transitions", meta, TRANSITION_COLORS,
                                  compress="DEFLATE") if output_transitions else None,
    }
    windows = windows_for(grid, [before, after])
    with gdal_env():
        try:
            if any(outputs.values()):
                write_blocks(grid, outputs, windows, work, progress.sub(0, 0.9), workers, collect,
                             finish, reader)
            else:
                for window, result in map_windows(windows, work, progress.sub(0, 0.9), workers,
                                                  reader.release_thread):
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


class _PolygonPieces:
    """Polygons of new drought found window by window, merged across window edges."""

    def __init__(self, grid: Grid, min_area_ha: float) -> None:
        self.grid = grid
        self.min_area = float(min_area_ha)
        self.finished: list[tuple[Any, float, int]] = []
        self.on_edge: list[tuple[Any, float, int]] = []


        crs = CRS.from_user_input(grid.crs.to_wkt()) if grid.crs else None
        self.metric = crs is not None and is_metric(crs)
        self.geod = None
        if crs is not None and not self.metric:
            self.geod = crs.get_geod()
        # Patches below this many pixels cannot reach the minimum area (planar CRS); 0 when areas are geodesic.
        self.min_pixels = int(self.min_area * 10_000.0 / grid.pixel_area) if self.metric else 0

    def area_ha(self, polygon: Any) -> float:
        if self.geod is not None:
            area, _ = self.geod.geometry_area_perimeter(polygon)
            return abs(area) / 10_000.0
        return polygon.area / 10_000.0

    def polygons(self, window: Window, mask: np.ndarray, delta: np.ndarray) -> list[tuple[Any, float, int, bool]]:
        """(polygon, sum of Δ, pixel count, touches an inner window edge) per 4-connected patch."""
        if not mask.any():
            return []
        transform = self.grid.window_transform(window)
        labels, count = _label(mask)  # 4-connected, as the polygons
        sizes = np.bincount(labels.ravel(), minlength=count + 1)
        sums = np.bincount(labels.ravel(), weights=np.nan_to_num(delta, nan=0.0).ravel(), minlength=count + 1)
        row, col, height, width = int(window.row_off), int(window.col_off), mask.shape[0], mask.shape[1]
        edges = []
        if row > 0:
            edges.append(labels[0, :])
        if row + height < self.grid.height:
            edges.append(labels[-1, :])
        if col > 0:
            edges.append(labels[:, 0])
        if col + width < self.grid.width:
            edges.append(labels[:, -1])
        touching = np.zeros(count + 1, dtype=bool)
        if edges:
            touching[np.concatenate(edges)] = True
        touching[0] = False
        # A patch wholly inside the window and too small is dropped before it becomes a polygon: noise costs
        # a bincount, not a polygon, and memory stays small.
        keep = touching | (sizes >= self.min_pixels)
        keep[0] = False
        if not keep.any():
            return []
        kept = np.where(keep[labels], labels, 0).astype(np.int32)
        result = []
        for geometry, value in features.shapes(kept, mask=kept > 0, connectivity=4, transform=transform):
            number = int(value)
            polygon = shape(geometry)
            edge = bool(touching[number])
            if not edge and self.area_ha(polygon) < self.min_area:
                continue
            result.append((polygon, float(sums[number]), int(sizes[number]), edge))
        return result

    def add(self, found: Iterable[tuple[Any, float, int, bool]]) -> None:
        for polygon, total, count, edge in found:
            (self.on_edge if edge else self.finished).append((polygon, total, count))

    def merged(self) -> list[dict[str, Any]]:
        results = list(self.finished)
        if self.on_edge:
            union = unary_union([p for p, _, _ in self.on_edge])
            parts = list(union.geoms) if isinstance(union, MultiPolygon) else [union]
            sums = [0.0] * len(parts)
            counts = [0] * len(parts)
            boxes = [p.bounds for p in parts]
            for polygon, total, count in self.on_edge:
                point = polygon.representative_point()
                for j, part in enumerate(parts):
                    x0, y0, x1, y1 = boxes[j]
                    if x0 <= point.x <= x1 and y0 <= point.y <= y1 and part.contains(point):
                        sums[j] += total
                        counts[j] += count
                        break
            results.extend((p, s, c) for p, s, c in zip(parts, sums, counts) if isinstance(p, Polygon))
        rows = []
        for polygon, total, count in results:
            area = self.area_ha(polygon)
            if area >= self.min_area and count > 0:
                rows.append({"geometry": polygon, "area_ha": area, "mean_delta": total / count, "pixels": count})
        rows.sort(key=lambda r: -r["area_ha"])
        return rows


def _label(mask: np.ndarray) -> tuple[np.ndarray, int]:
    """4-connected components. scipy (Debian's python3-scipy, shipped with QGIS on Windows) does the labelling;
    it is imported here so the index algorithm works without it."""
    try:
        from scipy import ndimage
    except ImportError as error:
        from .dependencies import install_hint

        raise MewError(f"Polygons of new drought need scipy: {install_hint('scipy')}") from error
    return ndimage.label(mask)


def _zone_counts(grid: Grid, window: Window, zones: Sequence[Zone], bounds: Sequence[Any], classes: ClassTable,
                 threshold: float, index: np.ndarray, delta: np.ndarray, transitions: np.ndarray,
                 people: np.ndarray | None) -> dict[int, np.ndarray]:
    """Per zone in this window: a vector of counts and sums (see :class:`_ZoneTally`)."""
    transform = grid.window_transform(window)
    left, top = transform * (0, 0)
    right, bottom = transform * (int(window.width), int(window.height))
    x0, x1, y0, y1 = min(left, right), max(left, right), min(top, bottom), max(top, bottom)
    codes = classes.classify(index)
    valid = codes != CLASS_NODATA
    drought = valid & (index < threshold)
    delta_valid = ~np.isnan(delta)
    found: dict[int, np.ndarray] = {}
    for number, (zone, box) in enumerate(zip(zones, bounds)):
        if box is None or box[0] > x1 or box[2] < x0 or box[1] > y1 or box[3] < y0:
            continue
        inside = features.geometry_mask([zone.geometry], out_shape=index.shape, transform=transform, invert=True)
        if not inside.any():
            continue
        counts = np.bincount(codes[inside], minlength=len(classes.classes) + 1).astype(np.float64)
        row = [
            float(np.count_nonzero(valid & inside)),
            float(np.nansum(np.where(valid & inside, index, 0.0), dtype=np.float64)),
            float(np.count_nonzero(drought & inside)),
            float(np.count_nonzero(delta_valid & inside)),
            float(np.sum(np.where(delta_valid & inside, delta, 0.0), dtype=np.float64)),
            float(np.count_nonzero((transitions == 1) & inside)),
            float(np.count_nonzero((transitions == 3) & inside)),
        ]
        if people is not None:
            counted = inside & ~np.isnan(people)
            row.append(float(np.sum(np.where(counted, people, 0.0), dtype=np.float64)))
            row.append(float(np.sum(np.where(counted & drought, people, 0.0), dtype=np.float64)))
        else:
            row.extend([0.0, 0.0])
        found[number] = np.concatenate([np.array(row), counts[1:]])
    return found


class _ZoneTally:
    FIELDS = ("valid", "index_sum", "drought", "delta_valid", "delta_sum", "new_drought", "recovered",
              "population", "population_drought")

    def __init__(self, zones: int, n_classes: int) -> None:
        self.totals = np.zeros((zones, len(self.FIELDS) + n_classes), dtype=np.float64)

    def add(self, counts: Mapping[int, np.ndarray]) -> None:
        for number, values in counts.items():
            self.totals[number] += values

    def rows(self, zones: Sequence[Zone], classes: ClassTable, grid: Grid) -> list[dict[str, Any]]:
        rows = []
        n = len(self.FIELDS)
        for zone, totals in zip(zones, self.totals):
            got = dict(zip(self.FIELDS, totals[:n]))
            valid = got["valid"]
            row: dict[str, Any] = {
                "zone": zone.key,
                "name": zone.name,
                "valid_km2": valid * grid.pixel_area / 1e6,
                "drought_share": _ratio(got["drought"], valid),
                "mean_index": _ratio(got["index_sum"], valid),
                "mean_delta": _ratio(got["delta_sum"], got["delta_valid"]),
                "new_drought_share": _ratio(got["new_drought"], got["delta_valid"]),
                "recovered_share": _ratio(got["recovered"], got["delta_valid"]),
                "population": got["population"],
                "population_drought": got["population_drought"],
            }
            for c, count in zip(classes.classes, totals[n:]):
                row[f"share_{_field_name(c.name)}"] = _ratio(count, valid)
            row["geometry"] = zone.geometry
            rows.append(row)
        # Worst first: the largest share of valid area in drought, then the lowest mean index; empty zones last.
        rows.sort(key=lambda r: (r["drought_share"] is None, -(r["drought_share"] or 0.0), r["mean_index"] or 0.0))
        for rank, row in enumerate(rows, 1):
            row["rank"] = rank
        return rows


def _ratio(part: float, whole: float) -> float | None:
    return part / whole if whole else None


def _field_name(name: str) -> str:
    return re.sub(r"[^0-9a-zA-Z]+", "_", name.strip().lower()).strip("_") or "class"


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
        raise MewError(f"The BEFORE date ({first.date}) must be earlier than the AFTER date ({second.date}).")
    if options.get("baseline_end") is None:
        options["baseline_end"] = first.date.year - 1
    paths = []
    for number, (band, part) in enumerate(((first, (0.0, 0.3)), (second, (0.3, 0.6)))):
        path = str(Path(workdir) / f"index_{number}_{band.date.isoformat()}.tif")
        drought_index(stack, path, target=band.date.isoformat(), progress=progress.sub(*part), workers=workers,
                      **options)
        paths.append(path)
    return drought_change(paths[0], paths[1], classes=options.get("classes"), reference=paths[0],
                          progress=progress.sub(0.6, 1.0), workers=workers, **change)
