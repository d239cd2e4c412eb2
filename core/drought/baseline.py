"""The baseline of a target date: the same calendar composite period in other years of the stack."""

from __future__ import annotations

import datetime as dt
from typing import Sequence

from ..errors import MewError
from .dates import DatedBand, is_leap_year

MIN_BASELINE_YEARS = 3
#: A baseline date matches the target's calendar period when its day of year is this close.
PERIOD_DAYS = 15


def period_date(target: dt.date, year: int) -> dt.date:
    """The date of ``target``'s calendar composite period in ``year``: the same day of the year.

    Composites start on the same day of the year every year, leap or not
    (MODIS 16-day composites on days 1, 17, … 353), so the period is the day
    of the year; a day-366 target falls on 31 December of a common year.
    """
    day = min(target.timetuple().tm_yday, 366 if is_leap_year(year) else 365)
    return dt.date(year, 1, 1) + dt.timedelta(days=day - 1)


def baseline_for(
    bands: Sequence[DatedBand],
    target: DatedBand,
    first_year: int | None,
    last_year: int | None,
    period_days: int = PERIOD_DAYS,
) -> list[DatedBand]:
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
        start = (
            f"the stack's first year ({first_year}, the default BASELINE_START)"
            if defaults[0]
            else f"BASELINE_START ({first_year})"
        )
        end = (
            f"the year before the target ({last_year}, the default BASELINE_END)"
            if defaults[1]
            else f"BASELINE_END ({last_year})"
        )
        if all(defaults):
            raise MewError(
                "The stack starts in {first_year}, the target's year: there is no earlier year to compare it "
                "with. Add at least {min_baseline_years} earlier years of the same period to the stack, choose "
                "a later TARGET, or set BASELINE_START and BASELINE_END.",
                first_year=first_year,
                min_baseline_years=MIN_BASELINE_YEARS,
            )
        raise MewError(
            "The baseline is empty: {start} is after {end}. Set BASELINE_START and BASELINE_END so that the "
            "first year is not after the last.",
            start=start,
            end=end,
        )
    chosen: list[DatedBand] = []
    for year in range(first_year, last_year + 1):
        wanted = period_date(target.date, year)
        near = [b for b in bands if b.date.year == year and abs((b.date - wanted).days) <= period_days]
        if near:
            chosen.append(min(near, key=lambda b: (abs((b.date - wanted).days), b.date)))
    if len(chosen) < MIN_BASELINE_YEARS:
        years = ", ".join(str(b.date.year) for b in chosen) or "none"
        raise MewError(
            "Only {chosen_count} baseline year(s) ({years}) between {first_year} and {last_year} have a "
            "band within {period_days} days of the target's calendar period ({date:%d %B}); at least "
            "{min_baseline_years} are needed. Widen BASELINE_START/BASELINE_END or add those years to the "
            "stack.",
            chosen_count=len(chosen),
            years=years,
            first_year=first_year,
            last_year=last_year,
            period_days=period_days,
            date=target.date,
            min_baseline_years=MIN_BASELINE_YEARS,
        )
    return chosen


def refuse_single_band(bands: Sequence[DatedBand]) -> None:
    """An index compares a date with the same period of other years: one band is not enough."""
    if len(bands) == 1:
        raise MewError(
            "The stack has one band ({label}): a drought index compares the target with the same period of "
            "at least {min_baseline_years} other years. Give a stack with those years (one multiband "
            "raster, or one raster per date).",
            label=bands[0].label,
            min_baseline_years=MIN_BASELINE_YEARS,
        )
