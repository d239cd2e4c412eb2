"""Dates and time steps for space-time analyses: "1 month", "2 weeks", "1 quarter" …"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from .errors import MewError
from .messages import message

_UNITS = {
    "day": ("D", 1),
    "week": ("D", 7),
    "month": ("M", 1),
    "quarter": ("M", 3),
    "year": ("M", 12),
}
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}


_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()

#: The most time steps a space-time analysis builds (50 years of months). Every step adds a slice of
#: the space-time cube and a comparison in each cell's Mann-Kendall test: one mistyped year (9999 for
#: 2024) would otherwise ask for a cube of tens of thousands of steps.
MAX_TIME_STEPS = 600
#: Incidents named when the period is too long.
_NAMED = 5


@dataclass(frozen=True)
class TimeStep:
    """A time step of ``count`` days or months (weeks are 7 days, quarters 3 months, years 12)."""

    count: int
    base: str  # "D" (days) or "M" (months)
    text: str

    def index(self, dates: np.ndarray, labels: Sequence[Any] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Step index of each date (0 = the step holding the earliest date) and each step's start date.

        Months, quarters and years follow the calendar (quarters start in
        January, April, July, October; years on 1 January); days and weeks are
        counted from the earliest date. More than :data:`MAX_TIME_STEPS` steps
        is a :class:`MewError` naming the incidents that stretch the period
        (``labels``: how to name each date's incident, e.g. feature ids).
        """
        days = np.asarray(dates, dtype="datetime64[D]")
        if days.size == 0:
            raise MewError("No dated incidents to analyse.")
        if self.base == "D":
            first = days.min()
            index = ((days - first).astype(np.int64)) // self.count
        else:
            months = days.astype("datetime64[M]").astype(np.int64)  # months since 1970-01
            first = int(months.min())
            first -= first % self.count if self.count in (3, 12) else 0
            index = (months - first) // self.count
        steps = int(index.max()) + 1
        if steps > MAX_TIME_STEPS:
            raise self._too_long(days, index, steps, labels)
        if self.base == "D":
            return index, (first + np.arange(steps) * self.count).astype("datetime64[D]")
        starts = np.datetime64("1970-01", "M") + first + np.arange(steps) * self.count
        return index, starts.astype("datetime64[D]")

    def _too_long(self, days: np.ndarray, index: np.ndarray, steps: int, labels: Sequence[Any] | None) -> MewError:
        """Which incidents stretch the period beyond :data:`MAX_TIME_STEPS` steps, and what to do."""
        period = message(
            "{steps:,} time steps of {step} ({first} to {last}); the limit is {limit}",
            steps=steps,
            step=self.text,
            first=days.min(),
            last=days.max(),
            limit=MAX_TIME_STEPS,
        )
        # the MAX_TIME_STEPS consecutive steps holding the most incidents: the others stretch the period
        ordered = np.sort(index)
        held = np.searchsorted(ordered, ordered + MAX_TIME_STEPS, side="left") - np.arange(ordered.size)
        low = int(ordered[int(np.argmax(held))])
        outside = np.nonzero((index < low) | (index >= low + MAX_TIME_STEPS))[0]
        if outside.size > max(_NAMED, days.size // 100):  # the dates are spread out, not a few wrong ones
            shortest = -(-self.count * steps // MAX_TIME_STEPS)
            unit = message("days") if self.base == "D" else message("months")
            return MewError(
                "The incidents span {period}. Use a longer TIME_STEP (at least {shortest} {unit}) or set "
                "START/END to a shorter period.",
                period=period,
                shortest=shortest,
                unit=unit,
            )
        distance = np.maximum(low - index[outside], index[outside] - (low + MAX_TIME_STEPS - 1))
        named = outside[np.argsort(-distance, kind="stable")][:_NAMED]

        def label(k: int) -> str:
            return str(labels[k]) if labels is not None else f"#{k + 1}"

        if outside.size == 1:
            k = int(outside[0])
            return MewError(
                "Incident {incident} dated {day} stretches the period to {period}: remove or correct it, "
                "or set START/END.",
                incident=label(k),
                day=days[k],
                period=period,
            )
        more = ", …" if outside.size > _NAMED else ""
        named_text = ", ".join(
            message("incident {incident} dated {day}", incident=label(int(k)), day=days[int(k)]) for k in named
        )
        return MewError(
            "{count} incidents lie outside the {limit} time steps that hold the other {others:,}: {named}{more}. "
            "They stretch the period to {period}: remove or correct them, or set START/END.",
            count=outside.size,
            limit=MAX_TIME_STEPS,
            others=days.size - outside.size,
            named=named_text,
            more=more,
            period=period,
        )


def parse_time_step(text: str) -> TimeStep:
    """Parse "1 month", "2 weeks", "1 quarter", "14 days", "1 year" (number optional)."""
    match = re.fullmatch(r"\s*(\d+)?\s*([A-Za-z]+?)s?\s*", text or "")
    if not match or match.group(2).lower() not in _UNITS:
        raise MewError(
            "TIME_STEP '{text}' is not understood: write a number and a unit, e.g. '1 month', '2 weeks', '1 "
            "quarter', '10 days' or '1 year'.",
            text=text,
        )
    number = int(match.group(1) or 1)
    if number < 1:
        raise MewError("TIME_STEP '{text}' must be at least 1.", text=text)
    base, factor = _UNITS[match.group(2).lower()]
    return TimeStep(number * factor, base, text.strip())


def parse_date(value: Any) -> np.datetime64 | None:
    """A day from a date, datetime, ISO text, "31 December 2025", "December 31, 2025" or "31/12/2025".

    ``None`` when the value is empty or not a date.
    """
    if value is None:
        return None
    if isinstance(value, np.datetime64):
        return None if np.isnat(value) else value.astype("datetime64[D]")
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if isinstance(value, dt.datetime):
        return np.datetime64(value.date(), "D")
    if isinstance(value, dt.date):
        return np.datetime64(value, "D")
    text = str(value).strip()
    if not text or text.upper() in ("NULL", "NAN", "NONE"):
        return None
    iso = re.match(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    try:
        if iso:
            return np.datetime64(dt.date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3))), "D")
        words = re.fullmatch(r"(\d{1,2})[ -]([A-Za-z]+)[ ,-]*(\d{4})", text)
        if words and words.group(2).lower() in _MONTHS:
            return np.datetime64(dt.date(int(words.group(3)), _MONTHS[words.group(2).lower()], int(words.group(1))))
        words = re.fullmatch(r"([A-Za-z]+)\s+(\d{1,2}),?\s+(\d{4})", text)
        if words and words.group(1).lower() in _MONTHS:
            return np.datetime64(dt.date(int(words.group(3)), _MONTHS[words.group(1).lower()], int(words.group(2))))
        slash = re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})", text)
        if slash:  # day first, as in most of the world outside the USA
            return np.datetime64(dt.date(int(slash.group(3)), int(slash.group(2)), int(slash.group(1))))
    except ValueError:
        return None
    return None


def parse_dates(values: Sequence[Any], field_name: str = "date") -> tuple[np.ndarray, np.ndarray]:
    """Days of ``values`` and a mask of the values that are dates."""
    if len(values) and all(type(v) is dt.date for v in values):  # a date field read in bulk
        ordinals = np.fromiter((v.toordinal() for v in values), dtype=np.int64, count=len(values))
        days = (ordinals - _EPOCH_ORDINAL).astype("datetime64[D]")
        return days, np.ones(len(days), dtype=bool)
    parsed: dict[Any, Any] = {}  # incidents share few distinct dates: parse each once
    not_a_time = np.datetime64("NaT", "D")

    def day(value: Any) -> Any:
        # never `parse_date(value) or NaT`: 1970-01-01 is datetime64(0), which is false
        try:
            return parsed[value]
        except KeyError:
            found = parse_date(value)
            parsed[value] = not_a_time if found is None else found
            return parsed[value]
        except TypeError:  # unhashable
            found = parse_date(value)
            return not_a_time if found is None else found

    days = np.array([day(v) for v in values], dtype="datetime64[D]")
    ok = ~np.isnat(days)
    if values and not ok.any():
        example = next((v for v in values if v not in (None, "")), None)
        raise MewError(
            "No value of the field '{field_name}' is a date (e.g. '{example}'): choose the date field, or "
            "use dates like 2025-12-31 or 31 December 2025.",
            field_name=field_name,
            example=example,
        )
    return days, ok
