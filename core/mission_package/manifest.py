"""Reading a manifest: from a folder's ``manifest.json`` or a GeoPackage's ``mew_manifest`` table, bounded in
size and depth, and checking that each value has the JSON type the schema (:mod:`.schema`) gives it.

The manifest is data, never code: nothing read from it is evaluated.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import math
import os
import sqlite3
import stat
from pathlib import Path
from typing import Any, Callable, Optional

from ..errors import MewError
from ..messages import message
from .containment import file_kind
from .problems import ERROR, Problem
from .schema import (
    JSON_BOOL,
    JSON_LIST,
    JSON_NUMBER,
    JSON_OBJECT,
    JSON_TEXT,
    MANIFEST_COLUMN,
    MANIFEST_NAME,
    MANIFEST_TABLE,
)

#: Largest manifest read (bytes) and deepest nesting of its lists and objects: a manifest is a short
#: description, and bounding it keeps a hostile one from exhausting memory or the parser's stack.
MAX_MANIFEST_BYTES = 1_000_000
MAX_MANIFEST_DEPTH = 20


def read_manifest(location: str | os.PathLike[str]) -> tuple[dict[str, Any], Path, Path]:
    """Read the manifest of a folder or GeoPackage package.

    Returns ``(manifest, location, root)``. Raises :class:`MewError` when there
    is no manifest, it is not a JSON object, or it is larger or deeper than a
    manifest can be (:data:`MAX_MANIFEST_BYTES`, :data:`MAX_MANIFEST_DEPTH`).
    Only a folder or a regular file is read: a FIFO, device or socket would
    block or never end.
    """
    location = Path(location).expanduser()
    kind = file_kind(location)
    if kind == "folder":
        manifest_file = location / MANIFEST_NAME
        manifest_kind = file_kind(manifest_file)
        if manifest_kind == "missing":
            raise MewError(
                "'{location}' holds no {manifest_name}: choose the mission package folder (the one with "
                "{manifest_name}) or a GeoPackage with a '{manifest_table}' table.",
                location=location,
                manifest_name=MANIFEST_NAME,
                manifest_table=MANIFEST_TABLE,
            )
        if manifest_kind != "file":
            raise MewError(
                "'{manifest_file}' is {manifest_kind}, not a file: a manifest is a JSON text file. Replace it "
                "with the package's own manifest.json.",
                manifest_file=manifest_file,
                manifest_kind=message(manifest_kind),
            )
        try:
            text = _read_regular_file(manifest_file, MAX_MANIFEST_BYTES).decode("utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise MewError(
                "Cannot read '{manifest_file}': {error}. Check the file is UTF-8 text.",
                manifest_file=manifest_file,
                error=error,
            ) from error
        origin, root = str(manifest_file), location
    elif kind == "file" and location.suffix.lower() == ".gpkg":
        text = _manifest_from_geopackage(location)
        origin, root = f"{location} (table {MANIFEST_TABLE})", location.parent
    elif kind == "file" and location.name == MANIFEST_NAME:
        return read_manifest(location.parent)
    elif kind not in ("file", "missing"):
        raise MewError(
            "'{location}' is {kind}: a mission package is a folder holding {manifest_name} or a GeoPackage "
            "(.gpkg) file. Choose the package itself.",
            location=location,
            kind=message(kind),
            manifest_name=MANIFEST_NAME,
        )
    else:
        raise MewError(
            "'{location}' is not a mission package: choose a folder holding {manifest_name} or a GeoPackage "
            "(.gpkg) holding the manifest.",
            location=location,
            manifest_name=MANIFEST_NAME,
        )
    return _parse_manifest(text, origin), location, root


def _read_regular_file(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; raises :class:`MewError` for anything else.

    Opened without blocking and checked once open, so a FIFO swapped in after a check cannot hang the read.
    """
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(descriptor, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise MewError("'{path}' is not a regular file: replace it with the package's own file.", path=path)
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise MewError(
            "'{path}' is larger than {limit:,} bytes, more than any manifest needs: it is not read. Check "
            "that it is the package's manifest (a short JSON description of its layers).",
            path=path,
            limit=limit,
        )
    return data


def _parse_manifest(text: str, origin: str) -> dict[str, Any]:
    """The manifest's JSON object; numbers must be finite and nesting at most :data:`MAX_MANIFEST_DEPTH` deep."""
    too_deep = MewError(
        "The manifest {origin} nests lists or objects more than {max_manifest_depth} levels deep: it is "
        "not a mission package manifest. Check that the right file was chosen.",
        origin=origin,
        max_manifest_depth=MAX_MANIFEST_DEPTH,
    )
    try:
        manifest = json.loads(text, parse_constant=_refuse_constant, parse_float=_finite_float)
    except json.JSONDecodeError as error:
        raise MewError(
            "The manifest {origin} is not valid JSON (line {lineno}, column {colno}: {msg}). Fix the file "
            "in a text editor.",
            origin=origin,
            lineno=error.lineno,
            colno=error.colno,
            msg=error.msg,
        ) from error
    except RecursionError as error:
        raise too_deep from error
    except ValueError as error:  # from the number hooks, or an integer of thousands of digits
        raise MewError(
            "The manifest {origin} holds a number JSON cannot carry ({error}). Write plain finite numbers.",
            origin=origin,
            error=error,
        ) from error
    if not isinstance(manifest, dict):
        raise MewError("The manifest {origin} must be a JSON object with 'mission', 'crs' and 'layers'.", origin=origin)
    if _json_depth(manifest) > MAX_MANIFEST_DEPTH:
        raise too_deep
    return manifest


def _refuse_constant(name: str) -> float:
    """Refuse ``NaN`` and ``Infinity``, which JSON does not have."""
    raise ValueError(f"{name} is not a number")


def _finite_float(text: str) -> float:
    """A JSON number as a float; a number too large for one is refused."""
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is too large")
    return value


def _json_depth(value: Any) -> int:
    """How deeply lists and objects nest in ``value`` (a scalar: 0), counted without recursion."""
    deepest, pending = 0, [(value, 1)]
    while pending:
        item, depth = pending.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        deepest = max(deepest, depth)
        if deepest > MAX_MANIFEST_DEPTH:
            break
        pending.extend((child, depth + 1) for child in children)
    return deepest


def _manifest_from_geopackage(gpkg: Path) -> str:
    """The manifest text in the ``mew_manifest`` table of ``gpkg``, read with SQLite read-only."""
    uri = f"{gpkg.resolve().as_uri()}?mode=ro"
    size = f'length(CAST("{MANIFEST_COLUMN}" AS BLOB))'
    try:
        with contextlib.closing(sqlite3.connect(uri, uri=True)) as connection:
            count = connection.execute(f'SELECT count(*) FROM "{MANIFEST_TABLE}"').fetchone()[0]
            row = connection.execute(
                f'SELECT typeof("{MANIFEST_COLUMN}"), {size}, CASE WHEN {size} <= ? THEN "{MANIFEST_COLUMN}" END '
                f'FROM "{MANIFEST_TABLE}" LIMIT 1',
                (MAX_MANIFEST_BYTES,),
            ).fetchone()
    except sqlite3.Error as error:
        raise MewError(
            "The GeoPackage '{gpkg}' has no readable '{manifest_table}' table ({error}): it is not a "
            "mission package. Add the manifest with package_to_geopackage() or open the package folder "
            "instead.",
            gpkg=gpkg,
            manifest_table=MANIFEST_TABLE,
            error=error,
        ) from error
    if count != 1 or row[0] != "text":
        raise MewError(
            "The '{manifest_table}' table of '{gpkg}' must hold exactly one row with the manifest as JSON "
            "text in column '{manifest_column}' (found {count} rows).",
            manifest_table=MANIFEST_TABLE,
            gpkg=gpkg,
            manifest_column=MANIFEST_COLUMN,
            count=count,
        )
    if row[2] is None:
        raise MewError(
            "The manifest in the '{manifest_table}' table of '{gpkg}' is larger than {max_manifest_bytes:,} "
            "bytes, more than any manifest needs: it is not read. Check that the GeoPackage is a mission "
            "package.",
            manifest_table=MANIFEST_TABLE,
            gpkg=gpkg,
            max_manifest_bytes=MAX_MANIFEST_BYTES,
        )
    return row[2]


def manifest_text(value: Any) -> str:
    """A manifest value as text without surrounding blanks; "" for anything that is not text."""
    return value.strip() if isinstance(value, str) else ""


def _json_type(value: Any) -> str:
    """What a JSON value is, in the words of :data:`TOP_LEVEL_TYPES` and :data:`LAYER_TYPES`."""
    if isinstance(value, bool):
        return JSON_BOOL
    if isinstance(value, (int, float)):
        return JSON_NUMBER
    if isinstance(value, str):
        return JSON_TEXT
    if isinstance(value, list):
        return JSON_LIST
    if isinstance(value, dict):
        return JSON_OBJECT
    return "null"


def typed_values(
    raw: dict[str, Any],
    types: dict[str, tuple[str, ...]],
    layer_id: Optional[str],
    problems: list[Problem],
    prefix: str = "",
) -> dict[str, Any]:
    """``raw`` without its known keys whose value has the wrong JSON type (each an error) or is null."""
    kept: dict[str, Any] = {}
    for key, value in raw.items():
        allowed = types.get(key)
        found = _json_type(value)
        if allowed is None or found in allowed:
            kept[key] = value
        elif value is not None:
            where = (
                message("Layer '{layer_id}': its", layer_id=layer_id)
                if layer_id is not None
                else message("The manifest's")
            )
            problems.append(
                Problem(
                    ERROR,
                    layer_id,
                    message(
                        '{where} "{prefix}{key}" must be {allowed}, not {found}; it is ignored.',
                        where=where,
                        prefix=prefix,
                        key=key,
                        allowed=message(" or ").join(message(kind) for kind in allowed),
                        found=message(found),
                    ),
                    message(
                        'Correct "{prefix}{key}" in the manifest (docs/mission.md shows each key\'s form).',
                        prefix=prefix,
                        key=key,
                    ),
                )
            )
    return kept


def checked_layer_values(raw: dict[str, Any], layer_id: str, problems: list[Problem]) -> dict[str, Any]:
    """``raw`` without the values of the right JSON type that still cannot be used (each an error)."""
    checks: dict[str, Callable[[Any], Optional[tuple[str, str]]]] = {
        "fields": _fields_problem,
        "dates": _dates_problem,
        "band_dates": _dates_problem,
        "bad_values": _numbers_problem,
        "mask_values": _numbers_problem,
        "valid_range": _range_problem,
        "delimiter": _delimiter_problem,
        "encoding": _encoding_problem,
    }
    kept = dict(raw)
    for key, check in checks.items():
        if key not in raw:
            continue
        problem = check(raw[key])
        if problem is not None:
            del kept[key]
            problems.append(
                Problem(
                    ERROR,
                    layer_id,
                    message(
                        "Layer '{layer_id}': its \"{key}\" {problem}; it is ignored.",
                        layer_id=layer_id,
                        key=key,
                        problem=problem[0],
                    ),
                    problem[1],
                )
            )
    return kept


def _fields_problem(value: dict[str, Any]) -> Optional[tuple[str, str]]:
    """Why a ``fields`` mapping cannot be used (``(problem, what to do)``), or None."""
    if all(isinstance(column, str) for column in value.values()):
        return None
    return message("must map names to column names"), message('Write e.g. "fields": {{"date": "event_date"}}.')


def _dates_problem(value: list[Any]) -> Optional[tuple[str, str]]:
    """Why a list of band dates cannot be used, or None."""
    if all(isinstance(item, str) for item in value):
        return None
    return message("must list one date as text per band"), message('Write e.g. "dates": ["2024-09-01", "2025-09-01"].')


def _numbers_problem(value: list[Any]) -> Optional[tuple[str, str]]:
    """Why a list of values cannot be used as numbers, or None."""
    if all(_json_type(item) == JSON_NUMBER for item in value):
        return None
    return message("must list numbers"), message("Write e.g. [1, 2] (numbers, without quotes).")


def _range_problem(value: list[Any]) -> Optional[tuple[str, str]]:
    """Why a valid range cannot be used, or None."""
    if len(value) == 2 and all(_json_type(item) == JSON_NUMBER for item in value):
        return None
    return message("must be two numbers, the lowest and highest valid value"), message("Write e.g. [-2000, 10000].")


def _delimiter_problem(value: str) -> Optional[tuple[str, str]]:
    """Why a text cannot be a CSV delimiter, or None."""
    if len(value) == 1 and value not in '\r\n"':
        try:
            csv.reader([], delimiter=value)
            return None
        except (TypeError, csv.Error):
            pass
    return (
        message("{value!r} is not a delimiter: it must be one character other than a quote or line break", value=value),
        message('Write e.g. "delimiter": ";" (or "\\t" for tabs), or leave it out to detect it.'),
    )


def _encoding_problem(value: str) -> Optional[tuple[str, str]]:
    """Why a name is no text encoding Python can read, or None."""
    try:
        with io.TextIOWrapper(io.BytesIO(), encoding=value):  # refuses unknown names and codecs that are not text
            return None
    except (LookupError, ValueError):
        return (
            message("{value!r} is not a text encoding", value=value),
            message('Write the file\'s encoding as Python and QGIS name it, e.g. "utf-8", "latin-1" or "cp1252".'),
        )
