"""Validating a delimited text layer (CSV of incidents, e.g. an ACLED export) of a mission package."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

from ..messages import message
from ..progress import SILENT, Progress
from .declared_crs import parse_crs
from .layer_checks import field_problems
from .package import LayerEntry
from .problems import ERROR, NOTE, WARNING, Problem

#: Rows read between two progress reports (and cancel checks): often enough to answer at once, rarely enough
#: to cost nothing.
ROWS_PER_STEP = 2000


def check_table(entry: LayerEntry, path: Path, progress: Progress = SILENT) -> list[Problem]:
    """The problems of a delimited text layer with latitude/longitude columns (e.g. an ACLED export) at ``path``.

    Every row is read: ``progress`` follows the share of the file read, and cancelling stops the reading
    (:class:`OperationCancelled`).
    """
    encoding = entry.options.get("encoding") or "utf-8-sig"
    delimiter = entry.options.get("delimiter") or None
    try:
        # The binary stream under the text says how far the reading is (the text stream cannot while csv reads it).
        with open(path, "rb") as binary, io.TextIOWrapper(binary, encoding=encoding, newline="") as handle:
            size = max(os.fstat(binary.fileno()).st_size, 1)
            sample = handle.read(65536)
            handle.seek(0)
            if delimiter is None:
                try:
                    delimiter = csv.Sniffer().sniff(sample.split("\n", 1)[0], delimiters=",;\t|").delimiter
                except csv.Error:
                    delimiter = ","
            reader = csv.reader(handle, delimiter=delimiter)
            header = next(reader, None)
            rows = 0
            unplaced = 0
            lat_index = lon_index = None
            if header:
                lat_name, lon_name = entry.field_name("lat"), entry.field_name("lon")
                lat_index = header.index(lat_name) if lat_name in header else None
                lon_index = header.index(lon_name) if lon_name in header else None
            for row in reader:
                if reader.line_num % ROWS_PER_STEP == 0:
                    progress.step(binary.tell() / size)
                if not any(cell.strip() for cell in row):
                    continue
                if header and row and row[0].startswith("#"):  # HXL tag row of HDX exports
                    continue
                rows += 1
                if lat_index is not None and lon_index is not None and not _coordinate_ok(row, lat_index, lon_index):
                    unplaced += 1
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        return [
            Problem(
                ERROR,
                entry.id,
                message(
                    "Unreadable file: '{path}' of layer '{id}' cannot be read as {encoding} text ({error}).",
                    path=entry.path,
                    id=entry.id,
                    encoding=encoding,
                    error=error,
                ),
                message('Save it as UTF-8 CSV, or give its "encoding" in the manifest.'),
            )
        ]
    if not header:
        return [
            Problem(
                ERROR,
                entry.id,
                message("Empty layer: '{path}' is empty (no header).", path=entry.path),
                message("Re-export it."),
            )
        ]
    problems: list[Problem] = []
    declared = parse_crs(entry.crs) if entry.crs else None
    if declared is None:
        problems.append(
            Problem(
                ERROR,
                entry.id,
                message("Layer '{id}' has no CRS defined for its coordinates (undefined CRS).", id=entry.id),
                message('Add "crs": "EPSG:4326" (longitude/latitude) to the layer in the manifest.'),
            )
        )
    problems += field_problems(entry, header)
    if rows == 0:
        problems.append(
            Problem(
                WARNING,
                entry.id,
                message("Empty layer: '{id}' has a header but no rows.", id=entry.id),
                message("Re-export the data."),
            )
        )
    elif unplaced:
        problems.append(
            Problem(
                NOTE,
                entry.id,
                message(
                    "{unplaced} of {rows} rows of '{id}' have no usable latitude/longitude and will not be drawn.",
                    unplaced=unplaced,
                    rows=rows,
                    id=entry.id,
                ),
                message("Run 'Import incidents' (mew:importincidents): its REJECTED output lists each row and why."),
            )
        )
    return problems


def _coordinate_ok(row: list[str], lat_index: int, lon_index: int) -> bool:
    """True when the row's latitude and longitude are numbers within their ranges."""
    try:
        lat, lon = float(row[lat_index]), float(row[lon_index])
    except (IndexError, ValueError):
        return False
    return -90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0
