"""Reading incident exports (ACLED, ACLED from HDX, UCDP GED, GeoJSON, any CSV) into checked records.

Every data line is accounted for: it belongs to an :class:`Incident`, to a
:class:`Rejection`, or is blank (empty, or nothing but separators and spaces).
*Data lines* are the physical lines after the header (in the HDX variant, after
the HXL tag row too), numbered as a text editor numbers them (the header is
line 1; without line breaks inside cells this is a spreadsheet's row number).
A record is one line, or several when a quoted cell holds line breaks: it is
named by its first line and accounts for all of its lines
(``Incident.lines``, ``Rejection.lines``), so that accepted + rejected + blank
lines = data lines. Each rejection names its line and the reason:

``unclosed_quote``
    a quote opened on this line is still open after :data:`.incidents_text.MAX_RECORD_LINES`
    lines or at the end of the file, or the lines it would join look like rows
    of their own (one of them, read alone, has the header's number of cells,
    or the joined record has more cells than the header). Only this line is
    refused: the following lines are read again as rows.
``cell_too_large``
    a cell is longer than :data:`.incidents_text.MAX_CELL_CHARS` characters.
``unreadable_row``
    Python's ``csv`` module cannot read the line (e.g. a NUL character in UTF-16 text).
``missing_date`` / ``unparseable_date``
    the date cell is empty, or not a date in a form listed in :func:`parse_date`.
``implausible_date``
    the date is before :data:`EARLIEST_DATE` (1900-01-01) or after the latest
    plausible date (by default today plus :data:`LATEST_DAYS_AHEAD` days).
``missing_coordinate``
    latitude or longitude is empty or not a number.
``out_of_range``
    latitude outside ±90° or longitude outside ±180°, and exchanging them does not help.
``swapped_lat_lon``
    latitude and longitude look exchanged. The rule: take the *dominant extent*
    of the file's in-range points (2nd–98th percentile of each axis, widened by
    half its span and by at least 2°; only when at least 10 points are in
    range). A point outside that extent whose exchanged coordinates fall inside
    it is refused as swapped; so is an out-of-range point whose exchange is in
    range (and inside the extent when there is one). A point outside the
    extent that exchanging does not bring inside is kept: it may be a genuine
    outlier.
``duplicate_id``
    the event id already appeared on an earlier row; the first one is kept.
``malformed_row``
    the row has more cells than the header.

Text files are read as UTF-8 (with or without BOM), UTF-16 with a BOM, or
else Windows-1252 (reported as a warning). Separators ``,`` ``;`` tab and ``|``
are recognised from the header. Nothing read from a file is ever evaluated.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Iterable, Iterator, Optional

import numpy as np

from .errors import MewError
from .incidents_columns import FORMATS, column_map
from .incidents_text import (
    ANY_WIDTH,
    MAX_CELL_CHARS,
    decode,
    is_blank,
    physical_lines,
    read_records,
    sniff_delimiter,
)
from .messages import message
from .progress import SILENT, Progress
from .timesteps import parse_date as parse_day

#: Dates before this one are refused as implausible (no incident export goes back that far).
EARLIEST_DATE = date(1900, 1, 1)
#: Without a latest plausible date, dates more than this many days after today are refused.
LATEST_DAYS_AHEAD = 365

REASONS = {
    "missing_date": "the date is empty",
    "unparseable_date": "the date is not understood",
    "missing_coordinate": "latitude or longitude is empty or not a number",
    "out_of_range": "a coordinate is out of range (latitude ±90°, longitude ±180°)",
    "swapped_lat_lon": "latitude and longitude look exchanged",
    "duplicate_id": "the event id already appeared on an earlier row",
    "malformed_row": "the row has more cells than the header",
    "implausible_date": "the date is before 1900 or after the latest plausible date",
    "unclosed_quote": "a quote opened on this line is never closed",
    "cell_too_large": f"a cell is longer than {MAX_CELL_CHARS:,} characters",
    "unreadable_row": "the line cannot be read as CSV",
}

#: UCDP GED ``type_of_violence`` codes.
UCDP_VIOLENCE = {"1": "State-based conflict", "2": "Non-state conflict", "3": "One-sided violence"}


@dataclass(frozen=True)
class Incident:
    """One accepted record."""

    row: int
    source_id: str
    event_date: date
    latitude: float
    longitude: float
    fatalities: Optional[int]
    event_type: str
    sub_event_type: str
    precision: Optional[int]
    location: str
    actor1: str
    actor2: str
    country: str
    admin1: str
    source: str
    lines: int = 1  #: physical lines of the record (more than 1 when a quoted cell holds line breaks)


@dataclass(frozen=True)
class Rejection:
    """One refused record: its first line (header = line 1), id if any, reason code, explanation, lines spanned."""

    row: int
    source_id: str
    reason: str
    detail: str
    lines: int = 1

    @property
    def explanation(self) -> str:
        """Why the record was refused, in words (the reason code's), in the language spoken."""
        return message(REASONS[self.reason]) if self.reason in REASONS else self.reason

    @property
    def message(self) -> str:
        return message(
            "row {row}: {explanation} ({detail})", row=self.row, explanation=self.explanation, detail=self.detail
        )


@dataclass
class ImportResult:
    """Accepted incidents, refused rows, and how the file was read."""

    path: str
    format: str
    encoding: str
    delimiter: str
    incidents: list[Incident] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    extent: Optional[tuple[float, float, float, float]] = None  # dominant lon/lat extent used for swaps
    data_lines: int = 0  #: physical lines after the header (and HXL row); for GeoJSON, features
    blank_lines: list[int] = field(default_factory=list)  #: line numbers of blank lines (no record)
    first_data_line: int = 2  #: the line (or feature) number of the first data line

    @property
    def records(self) -> int:
        return len(self.incidents) + len(self.rejected)

    def record_lines(self) -> Iterator[tuple[int, int]]:
        """(first line, lines spanned) of every accepted and every refused record."""
        for incident in self.incidents:
            yield incident.row, incident.lines
        for rejection in self.rejected:
            yield rejection.row, rejection.lines

    @property
    def lines_accounted(self) -> int:
        """Lines of accepted and rejected records plus blank lines: always :attr:`data_lines`."""
        return sum(lines for _, lines in self.record_lines()) + len(self.blank_lines)

    def summary(self) -> str:
        counts: dict[str, int] = {}
        for rejection in self.rejected:
            counts[rejection.reason] = counts.get(rejection.reason, 0) + 1
        reasons = ", ".join(f"{n} {reason}" for reason, n in sorted(counts.items()))
        unit = message("data lines") if self.delimiter else message("features")
        spanning = sum(1 for _, lines in self.record_lines() if lines > 1)
        return (
            message(
                "{file} ({format}, {encoding}, separator {separator!r}): {lines} {unit}, {accepted} accepted, "
                "{rejected} rejected",
                file=os.path.basename(self.path),
                format=self.format,
                encoding=self.encoding,
                separator=self.delimiter,
                lines=self.data_lines,
                unit=unit,
                accepted=len(self.incidents),
                rejected=len(self.rejected),
            )
            + (f" ({reasons})" if reasons else "")
            + (message(", {blank} blank", blank=len(self.blank_lines)) if self.blank_lines else "")
            + (
                message("; {spanning} records span several lines (line breaks inside quoted cells)", spanning=spanning)
                if spanning
                else ""
            )
        )


# --- parsing of cells ---------------------------------------------------------------------------
def parse_date(text: str) -> Optional[date]:
    """A date from ACLED's, UCDP's and common spreadsheet forms; ``None`` when not understood.

    Understood (by the project's one date parser, :func:`core.timesteps.parse_date`):
    ISO ``2020-12-31`` (a time part is ignored), ``31 December 2020``,
    ``31-Dec-2020``, ``December 31, 2020`` and day-first ``31/12/2020`` or
    ``31.12.2020`` (ACLED and most of the world write the day first). Month
    names are English whatever the system locale.
    """
    day = parse_day(text)
    return None if day is None else day.astype(object)


def parse_number(text: Any) -> Optional[float]:
    """A finite float from a cell (a lone decimal comma is accepted); ``None`` otherwise."""
    if text is None:
        return None
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        value = float(text)
        return value if math.isfinite(value) else None
    text = str(text).strip()
    if not text:
        return None
    if "," in text and "." not in text and text.count(",") == 1:
        text = text.replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def parse_count(text: Any) -> Optional[int]:
    """A non-negative whole count (fatalities, precision) or ``None``."""
    value = parse_number(text)
    if value is None or value < 0 or value != int(value) or value > 2**31 - 1:
        return None
    return int(value)


# --- the importer -------------------------------------------------------------------------------
@dataclass
class _Candidate:
    """The cells of one record, by incident field, with the line it starts on and the lines it spans."""

    row: int
    values: dict[str, str]
    lines: int = 1


@dataclass(frozen=True)
class _Checked:
    """A candidate whose date and coordinates were read."""

    candidate: _Candidate
    day: date
    lat: float
    lon: float


def _from_csv(
    path: str, text: str, fmt: str, fields: dict[str, str]
) -> tuple[str, str, list[_Candidate], list[Rejection], int, int, list[int]]:
    """Format, separator, candidates, refused records, the first data line, the number of data lines, blank lines."""
    lines = physical_lines(text)
    start = next((k for k, line in enumerate(lines) if line.strip()), None)
    if start is None:
        raise MewError("'{path}' is empty: it has no header row.", path=path)
    delimiter = sniff_delimiter(lines[start], path)
    header_record = next(read_records(lines, delimiter, start, width=ANY_WIDTH))
    if header_record.reason:
        raise MewError(
            "'{path}': the header on line {line} cannot be read ({detail}). Check its quotes and re-export the file.",
            path=path,
            line=header_record.line,
            detail=header_record.detail,
        )
    header = header_record.cells
    if is_blank(header):
        raise MewError("'{path}' has an empty header row (line {line}).", path=path, line=header_record.line)
    width = len(header)
    records = read_records(lines, delimiter, start + header_record.lines, width)
    first_data_line = start + header_record.lines + 1
    hxl: Optional[list[str]] = None
    pending = next(records, None)
    if (
        pending is not None
        and not pending.reason
        and sum(c.strip().startswith("#") for c in pending.cells) >= max(2, len(pending.cells) // 2)
    ):
        hxl, pending = pending.cells, None  # ACLED on HDX: row 2 holds HXL hashtags
        first_data_line += 1
    fmt, mapping = column_map(header, hxl, fmt, fields, path)
    candidates: list[_Candidate] = []
    rejected: list[Rejection] = []
    blank: list[int] = []
    for record in _chain([pending] if pending is not None else [], records):
        cells = record.cells
        if record.reason:
            rejected.append(Rejection(record.line, "", record.reason, record.detail, record.lines))
        elif is_blank(cells):
            blank.extend(range(record.line, record.line + record.lines))
        elif len(cells) > width and any(c.strip() for c in cells[width:]):
            rejected.append(
                Rejection(
                    record.line,
                    _cell(cells, mapping.get("source_id")),
                    "malformed_row",
                    f"{len(cells)} cells for {width} columns",
                    record.lines,
                )
            )
        else:
            values = {target: _cell(cells, i) for target, i in mapping.items()}
            candidates.append(_Candidate(record.line, values, lines=record.lines))
    return fmt, delimiter, candidates, rejected, first_data_line, len(lines) - first_data_line + 1, blank


def _chain(first: list, rest: Iterable) -> Iterator:
    yield from first
    yield from rest


def _cell(cells: list[str], index: Optional[int]) -> str:
    if index is None or index >= len(cells):
        return ""
    return cells[index].strip()


def _from_geojson(path: str, text: str, fmt: str, fields: dict[str, str]) -> tuple[str, list[_Candidate]]:
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as error:
        raise MewError("'{path}' is not valid GeoJSON: {error}.", path=path, error=error) from None
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        raise MewError("'{path}' is not a GeoJSON FeatureCollection (no 'features' list).", path=path)
    names: dict[str, None] = {}
    for feature in features:
        if isinstance(feature, dict) and isinstance(feature.get("properties"), dict):
            names.update(dict.fromkeys(feature["properties"]))
    header = ["__x__", "__y__", *names]
    synthetic = dict(fields)
    synthetic.setdefault("lon", "__x__")
    synthetic.setdefault("lat", "__y__")
    if not synthetic.get("lon"):
        synthetic["lon"] = "__x__"
    if not synthetic.get("lat"):
        synthetic["lat"] = "__y__"
    fmt, mapping = column_map(header, None, fmt, synthetic, path)
    candidates = []
    for number, feature in enumerate(features, start=1):
        props = feature.get("properties") if isinstance(feature, dict) else None
        props = props if isinstance(props, dict) else {}
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        x = y = ""
        if isinstance(geometry, dict) and geometry.get("type") == "Point":
            coords = geometry.get("coordinates")
            if isinstance(coords, list) and len(coords) >= 2:
                x, y = coords[0], coords[1]
        cells = [x, y, *(props.get(n) for n in names)]
        values = {t: ("" if cells[i] is None else str(cells[i]).strip()) for t, i in mapping.items()}
        candidates.append(_Candidate(number, values))
    return fmt, candidates


def dominant_extent(lon: np.ndarray, lat: np.ndarray) -> Optional[tuple[float, float, float, float]]:
    """(lon_min, lat_min, lon_max, lat_max) where most points lie, widened; ``None`` for < 10 points."""
    if lon.size < 10:
        return None
    bounds = []
    for values in (lon, lat):
        low, high = np.percentile(values, [2.0, 98.0])
        pad = max(2.0, 0.5 * (high - low))
        bounds.append((low - pad, high + pad))
    return (bounds[0][0], bounds[1][0], bounds[0][1], bounds[1][1])


def _inside(extent: Optional[tuple[float, float, float, float]], lon: float, lat: float) -> bool:
    if extent is None:
        return -180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0
    return extent[0] <= lon <= extent[2] and extent[1] <= lat <= extent[3]


def _in_range(lon: float, lat: float) -> bool:
    return -180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0


def import_incidents(
    path: str | os.PathLike[str],
    fmt: str = "auto",
    lat_field: str = "",
    lon_field: str = "",
    date_field: str = "",
    id_field: str = "",
    progress: Progress = SILENT,
    latest_date: Optional[date] = None,
) -> ImportResult:
    """Read an incident export; return accepted incidents and rejected rows (see the module docstring).

    Dates before :data:`EARLIEST_DATE` or after ``latest_date`` (default: today
    plus :data:`LATEST_DAYS_AHEAD` days) are refused as ``implausible_date``.

    Raises :class:`MewError` for a file that cannot be read as a whole (not
    found, binary, no header, required columns missing, a header that cannot
    be read). Problems of single records never raise: they are rejections, and
    every data line is accounted for (:attr:`ImportResult.lines_accounted`).
    """
    path = os.fspath(path)
    fmt = (fmt or "auto").lower()
    if fmt not in FORMATS:
        raise MewError("Unknown incident format '{fmt}': choose one of {formats}.", fmt=fmt, formats=", ".join(FORMATS))
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as error:
        raise MewError(
            "Cannot read the incident file '{path}': {value}.", path=path, value=error.strerror or error
        ) from None
    text, encoding, warnings = decode(data, path)
    progress.step(0.1)
    fields = {"lat": lat_field, "lon": lon_field, "date": date_field, "source_id": id_field}
    rejected: list[Rejection] = []
    blank: list[int] = []
    if path.lower().endswith((".geojson", ".json")) or text.lstrip().startswith("{"):
        fmt, candidates = _from_geojson(path, text, fmt, fields)
        delimiter, data_lines, first_data_line = "", len(candidates), 1
    else:
        fmt, delimiter, candidates, rejected, first_data_line, data_lines, blank = _from_csv(path, text, fmt, fields)
    progress.step(0.5)
    latest = latest_date if latest_date is not None else date.today() + timedelta(days=LATEST_DAYS_AHEAD)

    # cells -> values
    checked: list[_Checked] = []
    for count, candidate in enumerate(candidates):
        if count % 20000 == 0:
            progress.step(0.5 + 0.2 * count / max(len(candidates), 1))
        values = candidate.values
        raw_date = values.get("date", "")
        if not raw_date:
            rejected.append(
                Rejection(
                    candidate.row, values.get("source_id", ""), "missing_date", "empty date cell", candidate.lines
                )
            )
            continue
        day = parse_date(raw_date)
        if day is None:
            rejected.append(
                Rejection(
                    candidate.row,
                    values.get("source_id", ""),
                    "unparseable_date",
                    f"date {raw_date[:40]!r}",
                    candidate.lines,
                )
            )
            continue
        if not EARLIEST_DATE <= day <= latest:
            limit = f"before {EARLIEST_DATE}" if day < EARLIEST_DATE else f"after {latest}, the latest"
            rejected.append(
                Rejection(
                    candidate.row,
                    values.get("source_id", ""),
                    "implausible_date",
                    f"date {day} is {limit} plausible date: correct it, or change LATEST_DATE if it is right",
                    candidate.lines,
                )
            )
            continue
        lat, lon = parse_number(values.get("lat")), parse_number(values.get("lon"))
        if lat is None or lon is None:
            shown = f"latitude {values.get('lat', '')[:30]!r}, longitude {values.get('lon', '')[:30]!r}"
            rejected.append(
                Rejection(candidate.row, values.get("source_id", ""), "missing_coordinate", shown, candidate.lines)
            )
            continue
        checked.append(_Checked(candidate, day, lat, lon))
    progress.step(0.7)

    in_range = [c for c in checked if _in_range(c.lon, c.lat)]
    extent = dominant_extent(np.array([c.lon for c in in_range]), np.array([c.lat for c in in_range]))
    seen: set[str] = set()
    incidents: list[Incident] = []
    for found in checked:
        candidate, lat, lon = found.candidate, found.lat, found.lon
        values = candidate.values
        source_id = values.get("source_id", "")
        shown = f"latitude {lat:g}, longitude {lon:g}"
        if not _in_range(lon, lat) or not _inside(extent, lon, lat):
            if _in_range(lat, lon) and _inside(extent, lat, lon):
                rejected.append(Rejection(candidate.row, source_id, "swapped_lat_lon", shown, candidate.lines))
                continue
            if not _in_range(lon, lat):
                rejected.append(Rejection(candidate.row, source_id, "out_of_range", shown, candidate.lines))
                continue
        if source_id:
            if source_id in seen:
                rejected.append(
                    Rejection(candidate.row, source_id, "duplicate_id", f"id {source_id[:40]!r}", candidate.lines)
                )
                continue
            seen.add(source_id)
        event_type = values.get("event_type", "")
        if fmt == "ucdp":
            event_type = UCDP_VIOLENCE.get(event_type, event_type)
        incidents.append(
            Incident(
                row=candidate.row,
                source_id=source_id,
                event_date=found.day,
                latitude=lat,
                longitude=lon,
                fatalities=parse_count(values.get("fatalities")),
                event_type=event_type,
                sub_event_type=values.get("sub_event_type", ""),
                precision=parse_count(values.get("precision")),
                location=values.get("location", ""),
                actor1=values.get("actor1", ""),
                actor2=values.get("actor2", ""),
                country=values.get("country", ""),
                admin1=values.get("admin1", ""),
                source=values.get("source", ""),
                lines=candidate.lines,
            )
        )
    # a duplicate is refused when its id repeats an *accepted* record: a corrected re-entry
    # of a refused row is kept.
    rejected.sort(key=lambda r: r.row)
    result = ImportResult(
        path, fmt, encoding, delimiter, incidents, rejected, warnings, extent, data_lines, blank, first_data_line
    )
    if result.lines_accounted != data_lines:  # a guard: every line is an incident, a rejection or blank
        raise MewError(
            "'{path}': {data_lines} data lines but {lines_accounted} accounted for (first unaccounted: line "
            "{result}). Nothing was imported; send the file to the plugin's maintainers.",
            path=path,
            data_lines=data_lines,
            lines_accounted=result.lines_accounted,
            result=_first_unaccounted(result),
        )
    progress.step(1.0)
    return result


def _first_unaccounted(result: ImportResult) -> int:
    seen = set(result.blank_lines)
    for row, lines in result.record_lines():
        seen.update(range(row, row + lines))
    first = result.first_data_line
    return next((n for n in range(first, first + result.data_lines) if n not in seen), first + result.data_lines)
