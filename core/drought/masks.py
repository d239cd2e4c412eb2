"""Cloud/QA masks: which values are bad, and which mask band applies to each stack band."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

import rasterio

from ..errors import MewError
from ..raster_blocks import BandRef
from .dates import DatedBand, parse_date


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
            raise MewError(
                "Mask value '{part}' is not a number: list the bad values like 1,2,3 or 1-3.", part=part
            ) from error
    return tuple(values)


def mask_bands(mask: MaskSpec, bands: Sequence[DatedBand]) -> dict[BandRef, BandRef]:
    """Which mask band applies to each stack band."""
    with rasterio.open(mask.path) as dataset:
        count = dataset.count
        descriptions = dataset.descriptions
    if mask.band is not None:
        if not 1 <= mask.band <= count:
            raise MewError(
                "The mask '{path}' has {count} band(s); band {band} does not exist.",
                path=mask.path,
                count=count,
                band=mask.band,
            )
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
        "The mask '{path}' has {count} bands and none is dated {missing}: give a one-band mask, a mask "
        "with one band per stack band in order, band descriptions with the dates, or MASK_BAND.",
        path=mask.path,
        count=count,
        missing=", ".join(missing[:5]),
    )
