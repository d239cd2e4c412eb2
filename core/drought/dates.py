"""Dates of the bands of an NDVI stack: read from band descriptions, metadata or file names, or given."""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import rasterio

from ..errors import MewError
from ..raster_blocks import BandRef

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
        if day <= (366 if is_leap_year(year) else 365):
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


def is_leap_year(year: int) -> bool:
    """Whether ``year`` has a 29 February (Gregorian rules)."""
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


@dataclass(frozen=True)
class DatedBand:
    """One band of the stack, its date, and the scale and offset that turn its values into NDVI."""

    ref: BandRef
    date: dt.date
    scale: float = 1.0
    offset: float = 0.0

    @property
    def label(self) -> str:
        return f"{self.date.isoformat()} ({self.ref.label})"


def stack_bands(
    paths: Sequence[str], dates: Sequence[str] | None = None, scale: float | None = None, offset: float | None = None
) -> list[DatedBand]:
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
            "SCALE is {scale:g}: every NDVI value would become {value}. Give the factor that turns the "
            "stored values into NDVI (0.0001 for MODIS), or leave SCALE empty to use the file's own scale.",
            scale=scale,
            value="the OFFSET" if scale == 0 else "undefined",
        )
    if offset is not None and not math.isfinite(offset):
        raise MewError("OFFSET is {offset:g}: give a finite number (0 for MODIS), or leave it empty.", offset=offset)
    refs: list[tuple[BandRef, dt.date | None, float, float]] = []
    for path in paths:
        if not Path(path).exists():
            raise MewError("The stack raster '{path}' does not exist.", path=path)
        with rasterio.open(path) as dataset:
            for number in range(1, dataset.count + 1):
                found = band_date(
                    dataset.descriptions[number - 1],
                    dataset.tags(number),
                    Path(path).stem if dataset.count == 1 else None,
                )
                band_scale = dataset.scales[number - 1] if dataset.scales else 1.0
                band_offset = dataset.offsets[number - 1] if dataset.offsets else 0.0
                refs.append((BandRef(str(path), number), found, band_scale or 1.0, band_offset or 0.0))
    if dates:
        if len(dates) != len(refs):
            raise MewError(
                "DATES lists {dates_count} dates but the stack has {refs_count} bands: give one date per band, "
                "in order.",
                dates_count=len(dates),
                refs_count=len(refs),
            )
        parsed = []
        for text in dates:
            value = parse_date(str(text).strip())
            if value is None:
                raise MewError("DATES entry '{text}' is not a date: write it as YYYY-MM-DD.", text=text)
            parsed.append(value)
        refs = [(ref, value, s, o) for (ref, _, s, o), value in zip(refs, parsed)]
    bands = []
    for ref, found, band_scale, band_offset in refs:
        if found is None:
            raise MewError(
                "The {label} has no date in its description, its metadata or its file name: set DATES (one "
                "YYYY-MM-DD per band, in order) or name the files like ndvi_2015-09-14.tif.",
                label=ref.label,
            )
        bands.append(
            DatedBand(
                ref, found, scale if scale is not None else band_scale, offset if offset is not None else band_offset
            )
        )
    seen: dict[dt.date, DatedBand] = {}
    for band in bands:
        if band.date in seen:
            raise MewError(
                "Two bands carry the date {date}: {label} and {label2}.",
                date=band.date,
                label=seen[band.date].ref.label,
                label2=band.ref.label,
            )
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
        raise MewError(
            "No band of the stack has the {what} date '{wanted}'. The stack's dates are: {listing}.",
            what=what,
            wanted=wanted,
            listing=listing,
        )
    raise MewError(
        "The {what} '{wanted}' matches {candidates_count} dates; give the full date. Dates: {listing}.",
        what=what,
        wanted=wanted,
        candidates_count=len(candidates),
        listing=listing,
    )
