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
    a quote opened on this line is still open after :data:`MAX_RECORD_LINES`
    lines or at the end of the file, or the lines it would join look like rows
    of their own (one of them, read alone, has the header's number of cells,
    or the joined record has more cells than the header). Only this line is
    refused: the following lines are read again as rows.
``cell_too_large``
    a cell is longer than :data:`MAX_CELL_CHARS` characters.
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

import csv
import json
import math
import os
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Iterable, Iterator, Optional

import numpy as np

from .errors import MewError
from .progress import SILENT, Progress
from .timesteps import parse_date as parse_day

FORMATS = ("auto", "acled", "ucdp", "generic")

#: A quoted cell may hold line breaks, but a quote still open after this many physical lines is taken as
#: unclosed (ACLED notes that span lines span a few).
MAX_RECORD_LINES = 50
#: The longest cell read, in characters (the ``csv`` module's own limit; a spreadsheet cell holds 32,767).
MAX_CELL_CHARS = 131_072
#: Dates before this one are refused as implausible (no incident export goes back that far).
EARLIEST_DATE = date(1900, 1, 1)
#: Without a latest plausible date, dates more than this many days after today are refused.
LATEST_DAYS_AHEAD = 365
_ANY_WIDTH = 2**62  # a width no row has: the header is read before the number of columns is known

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

#: Column names per format: (id, date, latitude, longitude, fatalities, event type,
#: sub event type, precision, location, actor 1, actor 2, country, admin1, source).
_ACLED_COLUMNS = {
    "source_id": "event_id_cnty", "date": "event_date", "lat": "latitude", "lon": "longitude",
    "fatalities": "fatalities", "event_type": "event_type", "sub_event_type": "sub_event_type",
    "precision": "geo_precision", "location": "location", "actor1": "actor1", "actor2": "actor2",
    "country": "country", "admin1": "admin1", "source": "source",
}
_UCDP_COLUMNS = {
    "source_id": "id", "date": "date_start", "lat": "latitude", "lon": "longitude", "fatalities": "best",
    "event_type": "type_of_violence", "sub_event_type": "dyad_name", "precision": "where_prec",
    "location": "where_coordinates", "actor1": "side_a", "actor2": "side_b", "country": "country",
    "admin1": "adm_1", "source": "source_article",
}
#: HXL hashtags (lower case, attributes sorted) of ACLED's HDX exports and the fields they fill.
_HXL = {
    "#event+code": "source_id", "#event+id": "source_id", "#date": "date", "#date+occurred": "date",
    "#geo+lat": "lat", "#geo+lon": "lon", "#affected+killed": "fatalities", "#event+type": "event_type",
    "#event+subtype": "sub_event_type", "#event+type+sub": "sub_event_type", "#geo+precision": "precision",
    "#loc+name": "location", "#group+name+first": "actor1", "#group+first+name": "actor1",
    "#group+name+second": "actor2", "#group+name+second+x": "actor2", "#country+name": "country",
    "#adm1+name": "admin1", "#meta+source": "source",
}
_GENERIC_GUESSES = {
    "lat": ("latitude", "lat", "y", "lat_dd", "latitude_dd"),
    "lon": ("longitude", "lon", "lng", "long", "x", "lon_dd", "longitude_dd"),
    "date": ("event_date", "date", "date_start", "incident_date", "datetime", "timestamp_date"),
    "source_id": ("event_id_cnty", "id", "event_id", "incident_id", "fid"),
    "fatalities": ("fatalities", "deaths", "killed", "best"),
    "event_type": ("event_type", "type", "category"),
}


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
    def message(self) -> str:
        return f"row {self.row}: {REASONS.get(self.reason, self.reason)} ({self.detail})"


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

    @property
    def lines_accounted(self) -> int:
        """Lines of accepted and rejected records plus blank lines: always :attr:`data_lines`."""
        return sum(i.lines for i in self.incidents) + sum(r.lines for r in self.rejected) + len(self.blank_lines)

    def summary(self) -> str:
        counts: dict[str, int] = {}
        for rejection in self.rejected:
            counts[rejection.reason] = counts.get(rejection.reason, 0) + 1
        reasons = ", ".join(f"{n} {reason}" for reason, n in sorted(counts.items()))
        unit = "data lines" if self.delimiter else "features"
        spanning = sum(1 for r in (*self.incidents, *self.rejected) if r.lines > 1)
        return (
            f"{os.path.basename(self.path)} ({self.format}, {self.encoding}, separator {self.delimiter!r}): "
            f"{self.data_lines} {unit}, {len(self.incidents)} accepted, {len(self.rejected)} rejected"
            + (f" ({reasons})" if reasons else "")
            + (f", {len(self.blank_lines)} blank" if self.blank_lines else "")
            + (f"; {spanning} records span several lines (line breaks inside quoted cells)" if spanning else "")
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


# --- reading text -------------------------------------------------------------------------------
def decode(data: bytes, path: str) -> tuple[str, str, list[str]]:
    """Text, encoding name and warnings for the bytes of a text file."""
    warnings: list[str] = []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16", warnings
        except UnicodeDecodeError as error:
            line = data[: error.start].decode("utf-16", errors="replace").count("\n") + 1
            raise MewError(
                f"'{path}' starts like UTF-16 but is not valid UTF-16 on line {line} ({error.reason}). "
                "Re-save it as UTF-8."
            ) from None
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data[:nul].count(b"\n") + 1
        raise MewError(
            f"'{path}' holds binary data (a NUL byte on line {line}), not text. If it is a spreadsheet, "
            "export it as CSV (UTF-8) first; otherwise remove the damaged line."
        )
    try:
        return data.decode("utf-8-sig"), "utf-8", warnings
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        try:
            text = data.decode("cp1252")
            encoding = "windows-1252"
        except UnicodeDecodeError:
            text = data.decode("latin-1")
            encoding = "latin-1"
        warnings.append(
            f"'{os.path.basename(path)}' is not UTF-8 (first non-UTF-8 byte on line {line}); it was read as "
            f"{encoding}. If accented names look wrong, re-save the file as UTF-8 and import it again."
        )
        return text, encoding, warnings


def sniff_delimiter(header_line: str, path: str) -> str:
    """The separator of a CSV header: the candidate (``,`` ``;`` tab ``|``) found most often outside quotes."""
    outside, quoted = [], False
    for char in header_line:
        if char == '"':
            quoted = not quoted
        elif not quoted:
            outside.append(char)
    counts = {d: outside.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    if counts[best] == 0:
        raise MewError(
            f"'{path}': no column separator (comma, semicolon, tab or |) found in the header line. "
            "Is this a CSV file with a header row?"
        )
    return best


@dataclass
class _Record:
    """One record of a CSV: its first physical line (1-based), how many lines it spans, and its cells.

    ``reason`` is set (with ``detail``) when the record cannot be read; ``cells`` is then empty.
    """

    line: int
    lines: int
    cells: list[str]
    reason: str = ""
    detail: str = ""


def physical_lines(text: str) -> list[str]:
    """The lines of a text as a text editor numbers them (``\\r\\n``, ``\\n`` or a lone ``\\r`` ends a line)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the line break that ends the last line
    return lines


def _scan(line: str, delimiter: str, inside: bool) -> tuple[bool, int]:
    """Whether a quoted cell is still open at the end of ``line``, and the separators outside quoted cells.

    Reads as Python's ``csv`` module does. ``inside``: the line starts within a quoted cell. Outside one, a
    quote opens a cell only at the start of the line or right after a separator (elsewhere it is an
    ordinary character); within one, a doubled quote stands for a quote and a single quote closes the cell.
    """
    position = separators = 0
    while True:
        quote = line.find('"', position)
        if not inside:
            separators += line.count(delimiter, position, len(line) if quote < 0 else quote)
        if quote < 0:
            return inside, separators
        if inside:
            if line.startswith('"', quote + 1):
                position = quote + 2
                continue
            inside = False
        elif quote == 0 or line[quote - 1] == delimiter:
            inside = True
        position = quote + 1


class _Feed:
    """The lines one record is read from, handed to a ``csv.reader`` that lives as long as the file's reading."""

    def __init__(self) -> None:
        self.pending: list[str] = []

    def __iter__(self) -> _Feed:
        return self

    def __next__(self) -> str:
        if not self.pending:
            raise StopIteration
        return self.pending.pop()

    def load(self, lines: list[str]) -> None:
        self.pending = [line + "\n" for line in reversed(lines)]


def _width(line: str, delimiter: str) -> int:
    """The number of cells of one line read alone."""
    return _scan(line, delimiter, False)[1] + 1


def _read_records(lines: list[str], delimiter: str, first: int, width: int) -> Iterator[_Record]:
    """Every record from ``lines[first]`` on; each physical line belongs to exactly one record.

    A record is one line, or several when a quoted cell holds line breaks (kept in the cell as ``\\n``).
    A quote is taken as *unclosed* when it is still open after :data:`MAX_RECORD_LINES` lines or at the
    end of the file, or when the lines it would join do not look like one record: one of the following
    lines would, read alone, be a whole row (``width`` cells, the header's count), or the joined record
    has more cells than the header. Its first line is then refused and the following lines are read again.
    """
    count = len(lines)
    index = first
    feed = _Feed()
    reader = csv.reader(feed, delimiter=delimiter)
    while index < count:
        line = lines[index]
        if '"' not in line:  # most lines: nothing to join
            cells = line.split(delimiter)
            longest = max(map(len, cells)) if len(line) > MAX_CELL_CHARS else 0
            if longest > MAX_CELL_CHARS:
                yield _Record(index + 1, 1, [], "cell_too_large",
                              f"a cell of {longest:,} characters; the limit is {MAX_CELL_CHARS:,}")
            else:
                yield _Record(index + 1, 1, cells)
            index += 1
            continue
        last = index
        inside = _scan(line, delimiter, False)[0]
        while inside and last + 1 < count and last + 1 - index < MAX_RECORD_LINES:
            last += 1
            inside = _scan(lines[last], delimiter, True)[0]
        if inside:
            where = "before the end of the file" if last + 1 == count else f"within {MAX_RECORD_LINES} lines"
            yield _Record(index + 1, 1, [], "unclosed_quote",
                          f"a quote opened on line {index + 1} is not closed {where}; the next lines were "
                          "read as rows")
            index += 1
            continue
        cells = []
        error = ""
        joined_rows = last > index and any(_width(lines[k], delimiter) == width for k in range(index + 1, last + 1))
        if not joined_rows:
            feed.load(lines[index : last + 1])
            try:
                cells = next(reader, [])
            except csv.Error as csv_error:  # e.g. a cell longer than the csv module's limit
                error = str(csv_error)
        if joined_rows or (last > index and len(cells) > width):
            yield _Record(index + 1, 1, [], "unclosed_quote",
                          f"a quote opened on line {index + 1} closes only on line {last + 1}, and the lines "
                          "between look like rows of their own: they were read as rows")
            index += 1
            continue
        longest = max(map(len, cells), default=0)
        if longest > MAX_CELL_CHARS or "field limit" in error:
            yield _Record(index + 1, last - index + 1, [], "cell_too_large",
                          f"a cell of more than {MAX_CELL_CHARS:,} characters")
        elif error:
            yield _Record(index + 1, last - index + 1, [], "unreadable_row", error)
        else:
            yield _Record(index + 1, last - index + 1, cells)
        index = last + 1


def _blank(cells: list[str]) -> bool:
    return not any(cell.strip() for cell in cells)


# --- the importer -------------------------------------------------------------------------------
@dataclass
class _Candidate:
    row: int
    values: dict[str, str]
    lines: int = 1
    date_value: Optional[date] = None
    lat: Optional[float] = None
    lon: Optional[float] = None


def _normalise(name: str) -> str:
    return name.strip().lstrip("\ufeff").strip().lower()


def _hxl_key(tag: str) -> str:
    parts = [p for p in tag.strip().lower().split("+") if p]
    if not parts or not parts[0].startswith("#"):
        return ""
    return "+".join([parts[0], *sorted(parts[1:])])


def _column_map(
    header: list[str], hxl: Optional[list[str]], fmt: str, fields: dict[str, str], path: str
) -> tuple[str, dict[str, int]]:
    """The format and, for each incident field, the index of the column that holds it."""
    names = [_normalise(h) for h in header]
    index = {name: i for i, name in reversed(list(enumerate(names)))}  # first column of a name wins
    if fmt == "auto":
        if hxl is not None or {"event_id_cnty", "event_date"} <= index.keys():
            fmt = "acled"
        elif {"date_start", "best", "latitude", "longitude"} <= index.keys():
            fmt = "ucdp"
        else:
            fmt = "generic"
    mapping: dict[str, int] = {}
    if fmt == "acled" and hxl is not None and not {"event_date", "latitude"} <= index.keys():
        hxl_map = {_hxl_key(k): v for k, v in _HXL.items()}
        for i, tag in enumerate(hxl):
            target = hxl_map.get(_hxl_key(tag))
            if target and target not in mapping:
                mapping[target] = i
    else:
        columns = {"acled": _ACLED_COLUMNS, "ucdp": _UCDP_COLUMNS}.get(fmt, {})
        for target, column in columns.items():
            if column in index:
                mapping[target] = index[column]
        if fmt == "generic":
            for target, guesses in _GENERIC_GUESSES.items():
                for guess in guesses:
                    if guess in index and target not in mapping:
                        mapping[target] = index[guess]
                        break
    for target, column in fields.items():  # explicit choices win
        if not column:
            continue
        key = _normalise(column)
        if key not in index:
            raise MewError(
                f"'{path}' has no column '{column}' (chosen as the {target} field). "
                f"Its columns are: {', '.join(h.strip() for h in header)}."
            )
        mapping[target] = index[key]
    missing = [t for t in ("date", "lat", "lon") if t not in mapping]
    if missing:
        wanted = {"date": "DATE_FIELD", "lat": "LAT_FIELD", "lon": "LON_FIELD"}
        raise MewError(
            f"'{path}' ({fmt} format): cannot find the {', '.join(missing)} column(s). "
            f"Choose them with {', '.join(wanted[m] for m in missing)}, or pick the right FORMAT. "
            f"Its columns are: {', '.join(h.strip() for h in header)}."
        )
    return fmt, mapping


def _from_csv(
    path: str, text: str, fmt: str, fields: dict[str, str]
) -> tuple[str, str, list[_Candidate], list[Rejection], int, int, list[int]]:
    """Format, separator, candidates, refused records, the first data line, the number of data lines, blank lines."""
    lines = physical_lines(text)
    start = next((k for k, line in enumerate(lines) if line.strip()), None)
    if start is None:
        raise MewError(f"'{path}' is empty: it has no header row.")
    delimiter = sniff_delimiter(lines[start], path)
    header_record = next(_read_records(lines, delimiter, start, width=_ANY_WIDTH))
    if header_record.reason:
        raise MewError(
            f"'{path}': the header on line {header_record.line} cannot be read ({header_record.detail}). "
            "Check its quotes and re-export the file."
        )
    header = header_record.cells
    if _blank(header):
        raise MewError(f"'{path}' has an empty header row (line {header_record.line}).")
    width = len(header)
    records = _read_records(lines, delimiter, start + header_record.lines, width)
    first_data_line = start + header_record.lines + 1
    hxl: Optional[list[str]] = None
    pending = next(records, None)
    if (
        pending is not None and not pending.reason
        and sum(c.strip().startswith("#") for c in pending.cells) >= max(2, len(pending.cells) // 2)
    ):
        hxl, pending = pending.cells, None  # ACLED on HDX: row 2 holds HXL hashtags
        first_data_line += 1
    fmt, mapping = _column_map(header, hxl, fmt, fields, path)
    candidates: list[_Candidate] = []
    rejected: list[Rejection] = []
    blank: list[int] = []
    for record in _chain([pending] if pending is not None else [], records):
        cells = record.cells
        if record.reason:
            rejected.append(Rejection(record.line, "", record.reason, record.detail, record.lines))
        elif _blank(cells):
            blank.extend(range(record.line, record.line + record.lines))
        elif len(cells) > width and any(c.strip() for c in cells[width:]):
            rejected.append(
                Rejection(record.line, _cell(cells, mapping.get("source_id")), "malformed_row",
                          f"{len(cells)} cells for {width} columns", record.lines)
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
        raise MewError(f"'{path}' is not valid GeoJSON: {error}.") from None
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        raise MewError(f"'{path}' is not a GeoJSON FeatureCollection (no 'features' list).")
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
    fmt, mapping = _column_map(header, None, fmt, synthetic, path)
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
        raise MewError(f"Unknown incident format '{fmt}': choose one of {', '.join(FORMATS)}.")
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as error:
        raise MewError(f"Cannot read the incident file '{path}': {error.strerror or error}.") from None
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
    checked: list[_Candidate] = []
    for count, candidate in enumerate(candidates):
        if count % 20000 == 0:
            progress.step(0.5 + 0.2 * count / max(len(candidates), 1))
        values = candidate.values
        raw_date = values.get("date", "")
        if not raw_date:
            rejected.append(Rejection(candidate.row, values.get("source_id", ""), "missing_date", "empty date cell"))
            continue
        candidate.date_value = parse_date(raw_date)
        if candidate.date_value is None:
            rejected.append(
                Rejection(candidate.row, values.get("source_id", ""), "unparseable_date", f"date {raw_date[:40]!r}",
                          candidate.lines)
            )
            continue
        if not EARLIEST_DATE <= candidate.date_value <= latest:
            limit = f"before {EARLIEST_DATE}" if candidate.date_value < EARLIEST_DATE else f"after {latest}, the latest"
            rejected.append(
                Rejection(candidate.row, values.get("source_id", ""), "implausible_date",
                          f"date {candidate.date_value} is {limit} plausible date: correct it, or change "
                          "LATEST_DATE if it is right", candidate.lines)
            )
            continue
        candidate.lat, candidate.lon = parse_number(values.get("lat")), parse_number(values.get("lon"))
        if candidate.lat is None or candidate.lon is None:
            shown = f"latitude {values.get('lat', '')[:30]!r}, longitude {values.get('lon', '')[:30]!r}"
            rejected.append(
                Rejection(candidate.row, values.get("source_id", ""), "missing_coordinate", shown, candidate.lines)
            )
            continue
        checked.append(candidate)
    progress.step(0.7)

    in_range = [c for c in checked if _in_range(c.lon, c.lat)]
    extent = dominant_extent(np.array([c.lon for c in in_range]), np.array([c.lat for c in in_range]))
    seen: set[str] = set()
    incidents: list[Incident] = []
    for candidate in checked:
        values, lat, lon = candidate.values, candidate.lat, candidate.lon
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
                row=candidate.row, source_id=source_id, event_date=candidate.date_value, latitude=lat, longitude=lon,
                fatalities=parse_count(values.get("fatalities")), event_type=event_type,
                sub_event_type=values.get("sub_event_type", ""), precision=parse_count(values.get("precision")),
                location=values.get("location", ""), actor1=values.get("actor1", ""),
                actor2=values.get("actor2", ""), country=values.get("country", ""),
                admin1=values.get("admin1", ""), source=values.get("source", ""), lines=candidate.lines,
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
            f"'{path}': {data_lines} data lines but {result.lines_accounted} accounted for (first unaccounted: "
            f"line {_first_unaccounted(result)}). Nothing was imported; send the file to the plugin's maintainers."
        )
    progress.step(1.0)
    return result


def _first_unaccounted(result: ImportResult) -> int:
    seen = set(result.blank_lines)
    for record in (*result.incidents, *result.rejected):
        seen.update(range(record.row, record.row + record.lines))
    first = result.first_data_line
    return next((n for n in range(first, first + result.data_lines) if n not in seen), first + result.data_lines)
