"""Reading incident text files: encodings, the column separator, and records over physical lines.

See :mod:`.incidents` for how every line is accounted for.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from typing import Iterator

from .errors import MewError
from .messages import message

#: A quoted cell may hold line breaks, but a quote still open after this many physical lines is taken as
#: unclosed (ACLED notes that span lines span a few).
MAX_RECORD_LINES = 50
#: The longest cell read, in characters (the ``csv`` module's own limit; a spreadsheet cell holds 32,767).
MAX_CELL_CHARS = 131_072
#: A width no row has: the header is read before the number of columns is known.
ANY_WIDTH = 2**62


def decode(data: bytes, path: str) -> tuple[str, str, list[str]]:
    """Text, encoding name and warnings for the bytes of a text file."""
    warnings: list[str] = []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16", warnings
        except UnicodeDecodeError as error:
            line = data[: error.start].decode("utf-16", errors="replace").count("\n") + 1
            raise MewError(
                "'{path}' starts like UTF-16 but is not valid UTF-16 on line {line} ({reason}). Re-save it as UTF-8.",
                path=path,
                line=line,
                reason=error.reason,
            ) from None
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data[:nul].count(b"\n") + 1
        raise MewError(
            "'{path}' holds binary data (a NUL byte on line {line}), not text. If it is a spreadsheet, "
            "export it as CSV (UTF-8) first; otherwise remove the damaged line.",
            path=path,
            line=line,
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
            message(
                "'{path}' is not UTF-8 (first non-UTF-8 byte on line {line}); it was read as {encoding}. If "
                "accented names look wrong, re-save the file as UTF-8 and import it again.",
                path=os.path.basename(path),
                line=line,
                encoding=encoding,
            )
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
            "'{path}': no column separator (comma, semicolon, tab or |) found in the header line. Is this a "
            "CSV file with a header row?",
            path=path,
        )
    return best


@dataclass
class CsvRecord:
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


def read_records(lines: list[str], delimiter: str, first: int, width: int) -> Iterator[CsvRecord]:
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
                yield CsvRecord(
                    index + 1,
                    1,
                    [],
                    "cell_too_large",
                    f"a cell of {longest:,} characters; the limit is {MAX_CELL_CHARS:,}",
                )
            else:
                yield CsvRecord(index + 1, 1, cells)
            index += 1
            continue
        last = index
        inside = _scan(line, delimiter, False)[0]
        while inside and last + 1 < count and last + 1 - index < MAX_RECORD_LINES:
            last += 1
            inside = _scan(lines[last], delimiter, True)[0]
        if inside:
            where = "before the end of the file" if last + 1 == count else f"within {MAX_RECORD_LINES} lines"
            yield CsvRecord(
                index + 1,
                1,
                [],
                "unclosed_quote",
                f"a quote opened on line {index + 1} is not closed {where}; the next lines were read as rows",
            )
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
            yield CsvRecord(
                index + 1,
                1,
                [],
                "unclosed_quote",
                f"a quote opened on line {index + 1} closes only on line {last + 1}, and the lines "
                "between look like rows of their own: they were read as rows",
            )
            index += 1
            continue
        longest = max(map(len, cells), default=0)
        if longest > MAX_CELL_CHARS or "field limit" in error:
            yield CsvRecord(
                index + 1, last - index + 1, [], "cell_too_large", f"a cell of more than {MAX_CELL_CHARS:,} characters"
            )
        elif error:
            yield CsvRecord(index + 1, last - index + 1, [], "unreadable_row", error)
        else:
            yield CsvRecord(index + 1, last - index + 1, cells)
        index = last + 1


def is_blank(cells: list[str]) -> bool:
    """Whether a record holds nothing but empty cells and spaces."""
    return not any(cell.strip() for cell in cells)
