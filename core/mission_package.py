"""Mission packages: read a manifest, keep it inside its package, and validate every layer it lists.

A mission package is either

* a **folder** holding ``manifest.json`` and the data files it lists, or
* a **GeoPackage** (``*.gpkg``) holding the manifest as JSON text in the single
  row of the attribute table ``mew_manifest`` (column ``manifest``; see
  :data:`MANIFEST_TABLE`). Layers whose ``path`` is empty or ``"."`` are
  tables of that GeoPackage; other paths are files relative to the folder the
  GeoPackage sits in. :func:`package_to_geopackage` converts a folder package.

The manifest is data, never code: nothing read from it is evaluated; paths
must stay inside the package (``..`` escaping it, absolute paths elsewhere,
URLs and GDAL virtual file systems are refused); unknown keys are reported as
warnings and otherwise ignored.

Manifest schema (JSON object)::

    {
      "mission": "Name"  |  {"name": "Name", "id": "...", ...},
      "classification": "UN RESTRICTED",
      "crs": "EPSG:32630",                       # the mission's CRS (project CRS)
      "layers": [
        {"id": "incidents",                      # unique, used in messages
         "role": "incidents",                    # see ROLES
         "theme": "incidents",                   # operations|incidents|population|environment|boundaries
         "path": "incidents/acled.csv",          # relative to the package
         "layer": "synthetic_sectors",           # table inside a GeoPackage/GPX (optional)
         "type": "vector" | "raster" | "table",  # optional: guessed from the file name
         "crs": "EPSG:4326",                     # optional: defaults to the mission's
         "fields": {"date": "event_date", "lat": "latitude", "lon": "longitude", ...},
         "title": "Incidents (ACLED)",           # optional display name
         "scale": 0.0001, "offset": 0, "nodata": -3000, "dates": [...]}   # rasters, optional
      ]
    }

Validation (:func:`validate`) reads the files with GDAL/OGR (vectors),
rasterio (rasters) and :mod:`csv` (delimited text) and returns
:class:`Problem` objects: each names the layer and says what to do.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import glob
import io
import json
import math
import mmap
import os
import re
import shutil
import sqlite3
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Optional

from pyproj import CRS

from .errors import MewError
from .io import atomic_path
from .progress import SILENT, Progress

MANIFEST_NAME = "manifest.json"
#: Attribute table of a GeoPackage package holding the manifest (one row, JSON text in ``manifest``).
MANIFEST_TABLE = "mew_manifest"
MANIFEST_COLUMN = "manifest"

ERROR = "error"
WARNING = "warning"
#: Worth knowing, not a fault of the layer (e.g. bad rows the importer will report): status stays OK.
NOTE = "note"

THEMES = ("operations", "incidents", "population", "environment", "boundaries")
OTHER_THEME = "other"

#: Largest manifest read (bytes) and deepest nesting of its lists and objects: a manifest is a short
#: description, and bounding it keeps a hostile one from exhausting memory or the parser's stack.
MAX_MANIFEST_BYTES = 1_000_000
MAX_MANIFEST_DEPTH = 20

_TEXT, _NUMBER, _BOOL, _LIST, _OBJECT = "text", "a number", "true or false", "a list", "an object"
#: The keys a manifest may carry and the JSON types each may take; anything else is warned about and ignored.
TOP_LEVEL_TYPES: dict[str, tuple[str, ...]] = {
    "format": (_TEXT,),
    "format_version": (_TEXT, _NUMBER),
    "version": (_TEXT, _NUMBER),
    "mission": (_TEXT, _OBJECT),
    "mission_id": (_TEXT, _NUMBER),
    "name": (_TEXT,),
    "title": (_TEXT,),
    "synthetic": (_BOOL,),
    "classification": (_TEXT,),
    "crs": (_TEXT,),
    "ao": (_TEXT,),
    "area_of_operations": (_TEXT,),
    "extent": (_LIST, _OBJECT),
    "layers": (_LIST,),
    "description": (_TEXT,),
    "created": (_TEXT,),
    "generator": (_TEXT, _OBJECT),
    "seed": (_NUMBER,),
    "period": (_TEXT, _LIST, _OBJECT),
    "as_of": (_TEXT,),
    "sources": (_TEXT, _LIST, _OBJECT),
    "notes": (_TEXT, _LIST),
}
#: The keys a layer of the manifest may carry and the JSON types each may take.
LAYER_TYPES: dict[str, tuple[str, ...]] = {
    "id": (_TEXT,),
    "role": (_TEXT,),
    "theme": (_TEXT,),
    "path": (_TEXT,),
    "layer": (_TEXT,),
    "type": (_TEXT,),
    "crs": (_TEXT,),
    "fields": (_OBJECT,),
    "title": (_TEXT,),
    "name": (_TEXT,),
    "description": (_TEXT,),
    "source": (_TEXT, _LIST, _OBJECT),
    "sources": (_TEXT, _LIST, _OBJECT),
    "scale": (_NUMBER,),
    "offset": (_NUMBER,),
    "nodata": (_NUMBER,),
    "dates": (_LIST,),
    "band_dates": (_LIST,),
    "geometry": (_TEXT,),
    "format": (_TEXT,),
    "units": (_TEXT,),
    "resolution_m": (_NUMBER,),
    "date_format": (_TEXT,),
    "values": (_LIST, _OBJECT),
    "mask_values": (_LIST,),
    "mask": (_TEXT,),
    "bad_values": (_LIST,),
    "valid_range": (_LIST,),
    "load": (_BOOL,),
    "delimiter": (_TEXT,),
    "encoding": (_TEXT,),
}
TOP_LEVEL_KEYS = frozenset(TOP_LEVEL_TYPES)
LAYER_KEYS = frozenset(LAYER_TYPES)


@dataclass(frozen=True)
class RoleRule:
    """What a role needs: its default theme, geometry and the logical fields it must declare."""

    theme: str
    kind: str  # "vector" | "raster" | "table" (points from a delimited text file)
    geometry: str = ""  # "point" | "line" | "polygon" | "" (any)
    required: tuple[str, ...] = ()
    recommended: tuple[str, ...] = ()
    needs_nodata: bool = True


#: Roles the plugin knows; an unknown role is loaded unstyled under its theme.
ROLES: dict[str, RoleRule] = {
    "ao": RoleRule("boundaries", "vector", "polygon"),
    "sectors": RoleRule("boundaries", "vector", "polygon", recommended=("id",)),
    "bases": RoleRule("operations", "vector", "point", recommended=("radius",)),
    "patrol_tracks": RoleRule("operations", "vector", "line", required=("date",)),
    "patrol_gpx": RoleRule("operations", "vector", "line"),
    "villages": RoleRule("population", "vector", "point", recommended=("population",)),
    "incidents": RoleRule("incidents", "table", "point", required=("date", "lat", "lon"), recommended=("type",)),
    "population": RoleRule("population", "raster"),
    "ndvi": RoleRule("environment", "raster"),
    "ndvi_mask": RoleRule("environment", "raster", needs_nodata=False),
}
#: Other spellings of roles seen in manifests.
ROLE_ALIASES = {
    "ao_boundary": "ao",
    "area_of_operations": "ao",
    "boundary": "ao",
    "base": "bases",
    "patrols": "patrol_tracks",
    "patrol_track": "patrol_tracks",
    "tracks": "patrol_tracks",
    "patrol_tracks_gpx": "patrol_gpx",
    "patrol_tracks_gps": "patrol_gpx",
    "gpx": "patrol_gpx",
    "village": "villages",
    "settlements": "villages",
    "incident": "incidents",
    "population_raster": "population",
    "ndvi_stack": "ndvi",
    "cloud_mask": "ndvi_mask",
    "ndvi_cloudmask": "ndvi_mask",
    "cloudmask": "ndvi_mask",
    "mask": "ndvi_mask",
}
#: Other spellings of the logical field names in a layer's ``fields`` mapping.
FIELD_ALIASES = {
    "date": ("date", "date_field", "event_date", "patrol_date"),
    "lat": ("lat", "latitude", "lat_field", "y"),
    "lon": ("lon", "longitude", "lon_field", "lng", "x"),
    "type": ("type", "event_type", "type_field", "category"),
    "id": ("id", "sector_id", "base_id", "village_id", "event_id", "zone_id", "name"),
    "radius": ("radius", "patrol_radius", "patrol_radius_m", "radius_m", "radius_field"),
    "population": ("population", "population_field", "pop"),
}
_FIELD_HELP = {
    "date": "a date field",
    "lat": "a latitude field",
    "lon": "a longitude field",
    "type": "an event-type field",
    "id": "an identifier field",
    "radius": "a reach (radius in metres) field",
    "population": "a population field",
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a package or one of its layers."""

    severity: str  # ERROR, WARNING or NOTE
    layer_id: Optional[str]  # None: the package as a whole
    message: str
    action: str

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


@dataclass
class LayerEntry:
    """One layer of the manifest, with its path checked and resolved."""

    id: str
    role: str  # canonical role (see ROLES), or the manifest's own if unknown
    theme: str
    kind: str  # "vector" | "raster" | "table"
    path: str  # as written in the manifest
    source: Optional[Path]  # resolved file inside the package; None when refused
    layer: Optional[str] = None
    crs: Optional[str] = None  # declared CRS (the layer's, or the mission's)
    fields: dict[str, str] = field(default_factory=dict)
    title: str = ""
    options: dict[str, Any] = field(default_factory=dict)  # scale, offset, dates, ...
    root: Optional[Path] = None  # the folder every file of the package lies in (see vetted_source)

    def field_name(self, logical: str) -> Optional[str]:
        """The layer's column for a logical field (``date``, ``lat``, ...), per the manifest."""
        for key in FIELD_ALIASES.get(logical, (logical,)):
            value = self.fields.get(key)
            if isinstance(value, str) and value:
                return value
        return None

    @property
    def display_name(self) -> str:
        return self.title or self.id


@dataclass
class MissionPackage:
    """An opened package: its manifest, layers and the problems found while reading the manifest."""

    location: Path  # the folder, or the .gpkg file
    root: Path  # folder every relative path starts from
    manifest: dict[str, Any]
    name: str
    classification: str
    crs: Optional[str]
    layers: list[LayerEntry]
    manifest_problems: list[Problem]

    @property
    def is_geopackage(self) -> bool:
        return self.location.is_file()

    def by_role(self, role: str) -> list[LayerEntry]:
        """Layers of a role (canonical or alias), in manifest order."""
        role = ROLE_ALIASES.get(role, role)
        return [entry for entry in self.layers if entry.role == role]

    def first(self, role: str) -> Optional[LayerEntry]:
        found = self.by_role(role)
        return found[0] if found else None

    def entry(self, layer_id: str) -> Optional[LayerEntry]:
        return next((entry for entry in self.layers if entry.id == layer_id), None)

    @property
    def key(self) -> str:
        """A stable identity: the same package opened twice has the same key."""
        return str(self.location.resolve())

    def files(self) -> list[Path]:
        """The files the package is made of, which nothing may overwrite.

        Its manifest (or its GeoPackage), each layer's file inside the package
        and the files beside it sharing its name (shapefile parts, GDAL sidecars).
        """
        found = [self.location if self.is_geopackage else self.location / MANIFEST_NAME]
        for entry in self.layers:
            if entry.source is None:
                continue
            found.append(entry.source)
            if entry.source.parent.is_dir():
                found += sorted(entry.source.parent.glob(glob.escape(entry.source.stem) + ".*"))
        return list(dict.fromkeys(found))


# --- reading ---------------------------------------------------------------------------


def read_manifest(location: str | os.PathLike[str]) -> tuple[dict[str, Any], Path, Path]:
    """Read the manifest of a folder or GeoPackage package.

    Returns ``(manifest, location, root)``. Raises :class:`MewError` when there
    is no manifest, it is not a JSON object, or it is larger or deeper than a
    manifest can be (:data:`MAX_MANIFEST_BYTES`, :data:`MAX_MANIFEST_DEPTH`).
    Only a folder or a regular file is read: a FIFO, device or socket would
    block or never end.
    """
    location = Path(location).expanduser()
    kind = _file_kind(location)
    if kind == "folder":
        manifest_file = location / MANIFEST_NAME
        manifest_kind = _file_kind(manifest_file)
        if manifest_kind == "missing":
            raise MewError(
                f"'{location}' holds no {MANIFEST_NAME}: choose the mission package folder (the one with "
                f"{MANIFEST_NAME}) or a GeoPackage with a '{MANIFEST_TABLE}' table."
            )
        if manifest_kind != "file":
            raise MewError(
                f"'{manifest_file}' is {manifest_kind}, not a file: a manifest is a JSON text file. Replace it "
                "with the package's own manifest.json."
            )
        try:
            text = _read_regular_file(manifest_file, MAX_MANIFEST_BYTES).decode("utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise MewError(f"Cannot read '{manifest_file}': {error}. Check the file is UTF-8 text.") from error
        origin, root = str(manifest_file), location
    elif kind == "file" and location.suffix.lower() == ".gpkg":
        text = _manifest_from_geopackage(location)
        origin, root = f"{location} (table {MANIFEST_TABLE})", location.parent
    elif kind == "file" and location.name == MANIFEST_NAME:
        return read_manifest(location.parent)
    elif kind not in ("file", "missing"):
        raise MewError(
            f"'{location}' is {kind}: a mission package is a folder holding {MANIFEST_NAME} or a GeoPackage "
            "(.gpkg) file. Choose the package itself."
        )
    else:
        raise MewError(
            f"'{location}' is not a mission package: choose a folder holding {MANIFEST_NAME} "
            "or a GeoPackage (.gpkg) holding the manifest."
        )
    return _parse_manifest(text, origin), location, root


def _file_kind(path: Path) -> str:
    """``"folder"``, ``"file"`` (a regular one), ``"missing"``, or what special file ``path`` is."""
    try:
        mode = os.stat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return "missing"
    except OSError as error:
        raise MewError(f"Cannot read '{path}': {error.strerror}. Check its permissions.") from error
    if stat.S_ISDIR(mode):
        return "folder"
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"


def _read_regular_file(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; raises :class:`MewError` for anything else.

    Opened without blocking and checked once open, so a FIFO swapped in after a check cannot hang the read.
    """
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(descriptor, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise MewError(f"'{path}' is not a regular file: replace it with the package's own file.")
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise MewError(
            f"'{path}' is larger than {limit:,} bytes, more than any manifest needs: it is not read. Check that "
            "it is the package's manifest (a short JSON description of its layers)."
        )
    return data


def _parse_manifest(text: str, origin: str) -> dict[str, Any]:
    """The manifest's JSON object; numbers must be finite and nesting at most :data:`MAX_MANIFEST_DEPTH` deep."""
    too_deep = MewError(
        f"The manifest {origin} nests lists or objects more than {MAX_MANIFEST_DEPTH} levels deep: it is not a "
        "mission package manifest. Check that the right file was chosen."
    )
    try:
        manifest = json.loads(text, parse_constant=_refuse_constant, parse_float=_finite_float)
    except json.JSONDecodeError as error:
        raise MewError(
            f"The manifest {origin} is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg}). "
            "Fix the file in a text editor."
        ) from error
    except RecursionError as error:
        raise too_deep from error
    except ValueError as error:  # from the number hooks, or an integer of thousands of digits
        raise MewError(
            f"The manifest {origin} holds a number JSON cannot carry ({error}). Write plain finite numbers."
        ) from error
    if not isinstance(manifest, dict):
        raise MewError(f"The manifest {origin} must be a JSON object with 'mission', 'crs' and 'layers'.")
    if _json_depth(manifest) > MAX_MANIFEST_DEPTH:
        raise too_deep
    return manifest


def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number")


def _finite_float(text: str) -> float:
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
            f"The GeoPackage '{gpkg}' has no readable '{MANIFEST_TABLE}' table ({error}): it is not a mission "
            f"package. Add the manifest with package_to_geopackage() or open the package folder instead."
        ) from error
    if count != 1 or row[0] != "text":
        raise MewError(
            f"The '{MANIFEST_TABLE}' table of '{gpkg}' must hold exactly one row with the manifest as JSON text "
            f"in column '{MANIFEST_COLUMN}' (found {count} rows)."
        )
    if row[2] is None:
        raise MewError(
            f"The manifest in the '{MANIFEST_TABLE}' table of '{gpkg}' is larger than {MAX_MANIFEST_BYTES:,} bytes, "
            "more than any manifest needs: it is not read. Check that the GeoPackage is a mission package."
        )
    return row[2]


def open_package(location: str | os.PathLike[str]) -> MissionPackage:
    """Read a package's manifest and check its structure (no data file is opened yet)."""
    manifest, location, root = read_manifest(location)
    problems: list[Problem] = []

    for key in sorted(set(manifest) - TOP_LEVEL_KEYS):
        problems.append(
            Problem(WARNING, None, f"Unknown manifest key '{key}' is ignored.", "Remove it or check its spelling.")
        )
    manifest = _typed(manifest, TOP_LEVEL_TYPES, None, problems)
    if isinstance(manifest.get("mission"), dict):
        mission = _typed(manifest["mission"], {"name": (_TEXT,), "title": (_TEXT,), "id": (_TEXT, _NUMBER)}, None,
                         problems, prefix="mission.")
        manifest["mission"] = mission
    name, classification = _mission_name(manifest, location), _text(manifest.get("classification"))
    if not classification:
        problems.append(
            Problem(
                WARNING,
                None,
                "The manifest gives no classification.",
                "Add \"classification\" (e.g. \"UN RESTRICTED\") so maps and reports carry it.",
            )
        )
    crs = _text(manifest.get("crs")) or None
    if crs is None:
        problems.append(
            Problem(ERROR, None, "The manifest gives no mission CRS.", "Add \"crs\", e.g. \"EPSG:32630\".")
        )
    elif _parse_crs(crs) is None:
        problems.append(
            Problem(ERROR, None, f"The mission CRS '{crs}' is not a CRS.", "Write it as \"EPSG:<code>\" or WKT.")
        )
        crs = None

    raw_layers = manifest.get("layers")
    layers: list[LayerEntry] = []
    if not isinstance(raw_layers, list) or not raw_layers:
        problems.append(
            Problem(ERROR, None, "The manifest lists no layers.", "Add a \"layers\" list describing each file.")
        )
        raw_layers = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_layers, start=1):
        entry = _layer_entry(raw, index, root, location, crs, problems)
        if entry is None:
            continue
        if entry.id in seen:
            problems.append(
                Problem(ERROR, entry.id, f"Layer id '{entry.id}' is used twice.", "Give every layer its own id.")
            )
            continue
        seen.add(entry.id)
        layers.append(entry)
    return MissionPackage(location, root, manifest, name, classification, crs, layers, problems)


def _mission_name(manifest: dict[str, Any], location: Path) -> str:
    mission = manifest.get("mission")
    if isinstance(mission, dict):
        mission = mission.get("name") or mission.get("title") or mission.get("id")
    name = _text(mission) or _text(manifest.get("name"))
    return name or location.stem


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _json_type(value: Any) -> str:
    """What a JSON value is, in the words of :data:`TOP_LEVEL_TYPES` and :data:`LAYER_TYPES`."""
    if isinstance(value, bool):
        return _BOOL
    if isinstance(value, (int, float)):
        return _NUMBER
    if isinstance(value, str):
        return _TEXT
    if isinstance(value, list):
        return _LIST
    if isinstance(value, dict):
        return _OBJECT
    return "null"


def _typed(
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
            where = f"Layer '{layer_id}': its" if layer_id is not None else "The manifest's"
            problems.append(
                Problem(
                    ERROR,
                    layer_id,
                    f"{where} \"{prefix}{key}\" must be {' or '.join(allowed)}, not {found}; it is ignored.",
                    f"Correct \"{prefix}{key}\" in the manifest (docs/mission.md shows each key's form).",
                )
            )
    return kept


def _checked_layer_values(raw: dict[str, Any], layer_id: str, problems: list[Problem]) -> dict[str, Any]:
    """``raw`` without the values of the right JSON type that still cannot be used (each an error)."""
    checks = {
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
                Problem(ERROR, layer_id, f"Layer '{layer_id}': its \"{key}\" {problem[0]}; it is ignored.", problem[1])
            )
    return kept


def _fields_problem(value: dict[str, Any]) -> Optional[tuple[str, str]]:
    if all(isinstance(column, str) for column in value.values()):
        return None
    return "must map names to column names", "Write e.g. \"fields\": {\"date\": \"event_date\"}."


def _dates_problem(value: list[Any]) -> Optional[tuple[str, str]]:
    if all(isinstance(item, str) for item in value):
        return None
    return "must list one date as text per band", "Write e.g. \"dates\": [\"2024-09-01\", \"2025-09-01\"]."


def _numbers_problem(value: list[Any]) -> Optional[tuple[str, str]]:
    if all(_json_type(item) == _NUMBER for item in value):
        return None
    return "must list numbers", "Write e.g. [1, 2] (numbers, without quotes)."


def _range_problem(value: list[Any]) -> Optional[tuple[str, str]]:
    if len(value) == 2 and all(_json_type(item) == _NUMBER for item in value):
        return None
    return "must be two numbers, the lowest and highest valid value", "Write e.g. [-2000, 10000]."


def _delimiter_problem(value: str) -> Optional[tuple[str, str]]:
    if len(value) == 1 and value not in "\r\n\"":
        try:
            csv.reader([], delimiter=value)
            return None
        except (TypeError, csv.Error):
            pass
    return (
        f"{value!r} is not a delimiter: it must be one character other than a quote or line break",
        "Write e.g. \"delimiter\": \";\" (or \"\\t\" for tabs), or leave it out to detect it.",
    )


def _encoding_problem(value: str) -> Optional[tuple[str, str]]:
    try:
        with io.TextIOWrapper(io.BytesIO(), encoding=value):  # refuses unknown names and codecs that are not text
            return None
    except (LookupError, ValueError):
        return (
            f"{value!r} is not a text encoding",
            "Write the file's encoding as Python and QGIS name it, e.g. \"utf-8\", \"latin-1\" or \"cp1252\".",
        )


_BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def layer_name_problem(name: str) -> Optional[tuple[str, str]]:
    """Why ``name`` cannot be a table name inside a file (``(problem, what to do)``), or None.

    A layer name is a name and nothing else: QGIS reads ``|`` in a data source as the start of an option
    (``|subset=...`` filters the layer), and control characters or bidirectional overrides hide what is read.
    """
    if "|" in name or any(unicodedata.category(char) == "Cc" or char in _BIDI_CONTROLS for char in name):
        return (
            f"{name!r} holds '|' or a control character, which QGIS would read as data source options",
            "Write the name of the table as the file lists it (check with ogrinfo); rename the table if needed.",
        )
    return None


def _layer_entry(
    raw: Any, index: int, root: Path, location: Path, mission_crs: Optional[str], problems: list[Problem]
) -> Optional[LayerEntry]:
    if not isinstance(raw, dict):
        problems.append(
            Problem(ERROR, None, f"Layer #{index} of the manifest is not an object.", "Describe it as {\"id\": ...}.")
        )
        return None
    layer_id = _text(raw.get("id")) or f"layer{index}"
    given = raw
    raw = _typed(raw, LAYER_TYPES, layer_id, problems)
    raw = _checked_layer_values(raw, layer_id, problems)
    if not _text(raw.get("id")):
        problems.append(Problem(WARNING, layer_id, f"Layer #{index} has no id.", "Add a short unique \"id\"."))
    for key in sorted(set(raw) - LAYER_KEYS):
        problems.append(
            Problem(
                WARNING, layer_id, f"Unknown key '{key}' of layer '{layer_id}' is ignored.", "Remove it or fix it."
            )
        )
    declared_role = _text(raw.get("role"))
    role = ROLE_ALIASES.get(declared_role, declared_role)
    rule = ROLES.get(role)
    if rule is None:
        problems.append(
            Problem(
                WARNING,
                layer_id,
                f"Layer '{layer_id}' has {'no role' if not declared_role else f'the unknown role {declared_role!r}'}:"
                " it is loaded unstyled and offered to no analysis.",
                f"Set \"role\" to one of: {', '.join(ROLES)}.",
            )
        )
    theme = _text(raw.get("theme")) or (rule.theme if rule else OTHER_THEME)
    if theme not in THEMES and theme != OTHER_THEME:
        problems.append(
            Problem(
                WARNING,
                layer_id,
                f"Layer '{layer_id}' has the unknown theme '{theme}'; it goes into '{OTHER_THEME}'.",
                f"Use one of: {', '.join(THEMES)}.",
            )
        )
        theme = OTHER_THEME
    path_text = raw.get("path", "")
    source: Optional[Path] = None
    if "path" in given and "path" not in raw:  # not text: already reported
        path_text = str(given["path"])
    elif location.is_file() and path_text.strip() in ("", "."):
        source = location  # a table of the GeoPackage package itself
    else:
        try:
            source = resolve_inside(root, path_text)
        except MewError as error:
            problems.append(
                Problem(
                    ERROR,
                    layer_id,
                    f"Layer '{layer_id}': {error}",
                    "Put the file inside the package folder and write its path relative to it.",
                )
            )
    declared_kind = _text(raw.get("type")).lower()
    kind = _kind(declared_kind, source or Path(path_text), rule)
    fields = raw.get("fields") or {}
    crs = _text(raw.get("crs")) or mission_crs
    # A name that is not text is kept as text, so that the layer is refused (see vetted_source), never
    # replaced by the file's first table.
    sublayer = _text(raw["layer"] if "layer" in raw else str(given.get("layer") or "")) or None
    options = {key: raw[key] for key in raw if key not in ("id", "role", "theme", "path", "layer", "type", "crs")}
    return LayerEntry(
        id=layer_id,
        role=role,
        theme=theme,
        kind=kind,
        path=path_text,
        source=source,
        layer=sublayer,
        crs=crs,
        fields=dict(fields),
        title=_text(raw.get("title")) or _text(raw.get("name")),
        options=options,
        root=Path(os.path.realpath(root)),
    )


def _kind(declared: str, path: Path, rule: Optional[RoleRule]) -> str:
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt", ".tsv"):
        return "table"
    if suffix in (".tif", ".tiff", ".vrt", ".img", ".jp2", ".nc"):
        return "raster"
    if declared in ("raster", "vector", "table"):
        return declared
    if declared in ("csv", "delimitedtext", "points"):
        return "table"
    if rule is not None:
        return rule.kind
    return "vector"


_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")


def resolve_inside(root: str | os.PathLike[str], path_text: str) -> Path:
    """Resolve a manifest path against ``root``; raise :class:`MewError` if it leaves the package.

    ``..`` components that end up outside, absolute paths outside ``root``,
    symbolic links pointing outside, URLs, GDAL virtual file systems
    (``/vsicurl/``, ``/vsizip/``...) and connection strings (``GPKG:file:table``,
    ``PG:...``) are all refused, and so are ``|`` (QGIS
    reads what follows as data source options) and control characters.
    """
    text = path_text.strip()
    if not text:
        raise MewError("its path is empty.")
    if "|" in text or any(unicodedata.category(char) == "Cc" or char in _BIDI_CONTROLS for char in text):
        raise MewError(
            f"the path {path_text!r} holds '|' or a control character, which QGIS would read as data source "
            "options; rename the file."
        )
    if _NOT_A_LOCAL_PATH.match(text):
        raise MewError(
            f"the path '{path_text}' is a URL, a GDAL virtual path or a GDAL connection string; packages are plain "
            "local files."
        )
    if _DRIVE.match(text) or text.startswith("\\\\"):
        raise MewError(f"the path '{path_text}' is an absolute Windows path outside the package.")
    text = text.replace("\\", "/")
    root_real = Path(os.path.realpath(root))
    candidate = Path(text)
    if not candidate.is_absolute():
        candidate = root_real / candidate
    real = Path(os.path.realpath(candidate))
    if real != root_real and root_real not in real.parents:
        how = "is absolute and points" if Path(text).is_absolute() else "leads"
        raise MewError(f"the path '{path_text}' {how} outside the package folder '{root_real}'; it is refused.")
    return real


# --- what GDAL may read -------------------------------------------------------------------

#: The GDAL drivers a package file is read with, by layer kind (tables are read as text by Python and by
#: QGIS's delimited-text provider; GDAL must see them as CSV or as nothing). No driver that reads other
#: files or the network on a file's say-so (VRT, WMS, ...) is ever used.
ALLOWED_DRIVERS: dict[str, tuple[str, ...]] = {
    "raster": ("GTiff",),
    "vector": ("GPKG", "ESRI Shapefile", "GeoJSON", "GPX"),
    "table": ("CSV",),
}
_PACKAGE_DRIVERS = frozenset(name for names in ALLOWED_DRIVERS.values() for name in names)
_FORMATS = {
    "raster": "a GeoTIFF",
    "vector": "a GeoPackage, shapefile, GeoJSON or GPX file",
    "table": "a delimited text (CSV) file",
}
#: Files GDAL opens beside a dataset as part of it (overviews, masks, auxiliary metadata), by suffix.
_SIDECAR_SUFFIXES = (".ovr", ".msk", ".aux", ".rrd", ".aux.xml", ".xml")
#: A GeoJSON "crs" member name, however its letters are written ("crs", "CRS", "\u0063rs"...).
_GEOJSON_CRS_KEY = re.compile(rb"""["'](?:[cC]|\\u00[46]3)(?:[rR]|\\u00[57]2)(?:[sS]|\\u00[57]3)["']""")
#: GeoJSON CRS types GDAL resolves locally; "link" and "URL" ones it fetches from the network.
_LOCAL_CRS_TYPES = frozenset({"name", "epsg", "ogc"})


class RefusedFile(MewError):
    """A package file that is not handed to GDAL or QGIS: ``str()`` says why and what to do."""

    def __init__(self, message: str, action: str) -> None:
        super().__init__(f"{message} {action}")
        self.message = message
        self.action = action


def vetted_source(entry: LayerEntry) -> Path:
    """The layer's file, once it is known to be safe to hand to GDAL and QGIS; else :class:`RefusedFile`.

    Safe means: a regular file (no FIFO, device or socket) inside the package; recognised by GDAL
    as one of :data:`ALLOWED_DRIVERS` for the layer's kind and by no other driver first (an XML
    virtual dataset named ``.gpkg`` or ``.tif`` is refused); no file beside it that GDAL would read
    along with it (overview, mask, auxiliary file) of any other format, special, or leading out of
    the package; every file GDAL lists for the opened dataset inside the package; no external
    overview file named by a raster (``OVERVIEW_FILE``); no GeoJSON CRS GDAL would fetch from a URL;
    and its table name (``layer``) a plain name.
    Nothing here reaches the network: only local files are opened, with the allowed drivers.
    """
    refused = f"Refused file: '{entry.path}' of layer '{entry.id}'"
    if entry.source is None:
        raise RefusedFile(f"{refused} lies outside the package.", "Correct \"path\" in the manifest.")
    if entry.layer is not None:
        problem = layer_name_problem(entry.layer)
        if problem is not None:
            raise RefusedFile(f"{refused}: its \"layer\" {problem[0]}.", problem[1])
    root = Path(os.path.realpath(entry.root if entry.root is not None else entry.source.parent))
    path = Path(os.path.realpath(entry.source))
    if not _is_inside(path, root):
        raise RefusedFile(f"{refused} leads outside the package folder '{root}'.", "Keep the file inside the package.")
    kind = _file_kind(path)
    if kind == "missing":
        raise RefusedFile(f"{refused} is not in the package.", "Copy the file into the package.")
    if kind != "file":
        raise RefusedFile(f"{refused} is {kind}, not a regular file.", "Replace it with the data file itself.")
    wanted = _FORMATS.get(entry.kind, _FORMATS["vector"])
    allowed = ALLOWED_DRIVERS.get(entry.kind, ALLOWED_DRIVERS["vector"])
    if path.suffix.lower() == ".vrt":
        raise RefusedFile(
            f"{refused} is a GDAL virtual dataset (.vrt), which can read any file or URL.",
            f"Package the data itself as {wanted} (gdal_translate -of COG / ogr2ogr -f GPKG).",
        )
    found = _identify(path, entry.kind)
    if entry.kind == "table" and found in (None, "CSV"):
        pass
    elif found is None:
        raise RefusedFile(
            f"Unreadable file: '{entry.path}' of layer '{entry.id}' is not {wanted} GDAL recognises.",
            f"Re-export it as {wanted}.",
        )
    elif found not in allowed:
        raise RefusedFile(
            f"{refused} is a GDAL {found} dataset, not {wanted}: such files can make GDAL read other files or "
            "the network.",
            f"Package the data itself as {wanted}.",
        )
    if found == "GeoJSON" and _geojson_fetches_crs(path):
        raise RefusedFile(
            f"{refused} gives its CRS as a link or URL (a \"crs\" member GDAL would download).",
            "Remove the \"crs\" member (GeoJSON is longitude/latitude WGS 84) or name the CRS "
            "(\"type\": \"name\"), or package the layer as a GeoPackage.",
        )
    for beside in _files_beside(path):
        _vet_beside(beside, root, refused)
    if entry.kind != "table":
        listed, overview = _gdal_file_list(path, entry.kind)
        for name in listed:
            if _NOT_A_LOCAL_PATH.match(name) or not _is_inside(Path(os.path.realpath(name)), root):
                raise RefusedFile(
                    f"{refused} makes GDAL read '{name}', outside the package.", f"Package the data itself as {wanted}."
                )
        if overview:
            raise RefusedFile(
                f"{refused} names '{overview}' as its overview file (OVERVIEW_FILE), which GDAL would read, whatever "
                "its format or place, when the map is zoomed out.",
                "Re-export the raster without it (gdal_translate -of COG), with a .aux.xml beside it removed.",
            )
    return path


#: What GDAL reads as no local file: a virtual file system, a URL or a connection string ("PG:", "GPKG:x:t").
_NOT_A_LOCAL_PATH = re.compile(r"^(?:/vsi|[A-Za-z][A-Za-z0-9+.-]+:|[A-Za-z]:(?![\\/]))", re.IGNORECASE)


def _is_inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _identify(path: Path, kind: str) -> Optional[str]:
    """The short name of the GDAL driver that would open ``path`` as the kind's data, or None."""
    from osgeo import gdal

    flags = gdal.OF_RASTER if kind == "raster" else gdal.OF_VECTOR
    with _gdal_errors_as_none():
        try:
            driver = gdal.IdentifyDriverEx(str(path), flags)
        except RuntimeError:  # when GDAL exceptions are switched on
            driver = None
    return driver.ShortName if driver is not None else None


def _files_beside(path: Path) -> list[Path]:
    """The other files of the folder that share the file's name: the ones GDAL may read along with it."""
    return sorted(other for other in path.parent.glob(glob.escape(path.stem) + ".*") if other.name != path.name)


def _vet_beside(beside: Path, root: Path, refused: str) -> None:
    """A file beside a layer's must stay inside, be a regular file or folder, and be no other format's."""
    if not _is_inside(Path(os.path.realpath(beside)), root):
        raise RefusedFile(f"{refused}: the file '{beside.name}' beside it leads outside the package.",
                          "Remove that link from the package.")
    kind = _file_kind(beside)
    sidecar = beside.name.lower().endswith(_SIDECAR_SUFFIXES)
    if kind == "missing" or (kind == "folder" and not sidecar):
        return
    if kind != "file":
        raise RefusedFile(f"{refused}: '{beside.name}' beside it is {kind}, which GDAL may try to read with it.",
                          f"Remove '{beside.name}' from the package.")
    from osgeo import gdal

    with _gdal_errors_as_none():
        try:
            driver = gdal.IdentifyDriverEx(str(beside))
        except RuntimeError:
            driver = None
    if driver is not None and driver.ShortName not in _PACKAGE_DRIVERS:
        raise RefusedFile(
            f"{refused}: '{beside.name}' beside it is a {driver.ShortName} dataset, which GDAL reads along with the "
            "layer (as its overviews, mask or metadata) and which can make it read other files or the network.",
            f"Remove '{beside.name}' from the package.",
        )


def _gdal_file_list(path: Path, kind: str) -> tuple[list[str], Optional[str]]:
    """Every file GDAL reads for the dataset, opened with the allowed drivers only ([] if it does not open),
    and the external overview file it names in its metadata, if any (``OVERVIEW_FILE``)."""
    from osgeo import gdal

    flags = (gdal.OF_RASTER if kind == "raster" else gdal.OF_VECTOR) | gdal.OF_READONLY
    with _gdal_errors_as_none():
        try:
            dataset = gdal.OpenEx(str(path), flags, allowed_drivers=list(ALLOWED_DRIVERS[kind]))
        except RuntimeError:
            dataset = None
        # GDAL opens this file, with any driver, as soon as overviews are looked for (GetFileList does, and so does
        # a map zoomed out); the name may sit in the GeoTIFF's own metadata or in the .aux.xml beside it.
        overview = dataset.GetMetadataItem("OVERVIEW_FILE", "OVERVIEWS") if dataset is not None else None
        listed = list(dataset.GetFileList() or []) if dataset is not None and not overview else []
        dataset = None  # closed now, not when the collector gets to it
    return listed, overview


def _geojson_fetches_crs(path: Path) -> bool:
    """True when a GeoJSON file has a ``crs`` member GDAL could fetch from the network.

    GDAL downloads a CRS of type ``link`` or ``URL`` wherever a "crs" member
    appears (the collection, a feature's geometry); names (``"type": "name"``)
    are resolved locally. Every member named crs (matched as GDAL matches it:
    any case, escaped letters too) must hold a named CRS or null; one that
    cannot be read here (a comment, a value too long) counts as fetched.
    """
    if path.stat().st_size == 0:
        return False
    with open(path, "rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
        for match in _GEOJSON_CRS_KEY.finditer(data):
            after = data[match.end():match.end() + 65536].decode("utf-8", "replace").lstrip(" \t\r\n")
            if after.startswith("/"):  # a comment, which GDAL's JSON reader skips
                return True
            if not after.startswith(":"):
                continue  # the text "crs" as a value, not a member name
            try:
                value, _end = json.JSONDecoder(object_pairs_hook=_Members).raw_decode(after[1:].lstrip(" \t\r\n"))
            except ValueError:
                return True
            if value is not None and not _is_named_crs(value):
                return True
    return False


class _Members(list):
    """A JSON object as its list of (name, value) members, repeated names kept."""


def _is_named_crs(value: Any) -> bool:
    if not isinstance(value, _Members):
        return False
    types = [member for name, member in value if name.casefold() == "type"]
    return bool(types) and all(isinstance(kind, str) and kind.casefold() in _LOCAL_CRS_TYPES for kind in types)


# --- validation ------------------------------------------------------------------------


def validate(package: MissionPackage, progress: Progress = SILENT) -> list[Problem]:
    """Every problem of the package: the manifest's, then each layer's, then across layers."""
    problems = list(package.manifest_problems)
    for index, entry in enumerate(package.layers):
        progress.step(index / max(len(package.layers), 1))
        problems.extend(validate_layer(entry))
    problems.extend(_check_ndvi_grids(package))
    progress.step(1.0)
    return problems


def validate_layer(entry: LayerEntry) -> list[Problem]:
    """The problems of one layer's file (nothing if its path was already refused)."""
    if entry.source is None:
        return []
    if not entry.source.exists():
        return [
            Problem(
                ERROR,
                entry.id,
                f"File missing: '{entry.path}' of layer '{entry.id}' is not in the package.",
                "Copy the file into the package or correct \"path\" in the manifest.",
            )
        ]
    try:
        vetted_source(entry)
    except RefusedFile as error:
        return [Problem(ERROR, entry.id, error.message, error.action)]
    if entry.kind == "raster":
        return _check_raster(entry)
    if entry.kind == "table":
        return _check_table(entry)
    return _check_vector(entry)


def _crs_problem(entry: LayerEntry, actual: Optional[CRS]) -> list[Problem]:
    if actual is None:
        return [
            Problem(
                ERROR,
                entry.id,
                f"Layer '{entry.id}' has no CRS defined (undefined CRS).",
                f"Assign its CRS ({entry.crs or 'the right one'}) in the data file, e.g. with "
                "gdal_edit.py -a_srs / ogr2ogr -a_srs, or in QGIS with 'Assign projection'.",
            )
        ]
    declared = _parse_crs(entry.crs) if entry.crs else None
    if declared is None:
        return []
    if same_crs(declared, actual):
        return []
    return [
        Problem(
            ERROR,
            entry.id,
            f"CRS mismatch: layer '{entry.id}' is in {_crs_label(actual)} but the manifest says {entry.crs}.",
            "Reproject the file to the manifest's CRS, or correct \"crs\" in the manifest if the file is right.",
        )
    ]


def _parse_crs(text: Optional[str]) -> Optional[CRS]:
    if not text:
        return None
    try:
        return CRS.from_user_input(text)
    except Exception:  # pyproj raises CRSError and, for odd input, others
        return None


def same_crs(a: CRS, b: CRS) -> bool:
    """True when two CRSs are the same coordinate system (axis order and naming aside)."""
    if a.equals(b, ignore_axis_order=True):
        return True
    code_a, code_b = a.to_epsg(min_confidence=70), b.to_epsg(min_confidence=70)
    return code_a is not None and code_a == code_b


def _crs_label(crs: CRS) -> str:
    code = crs.to_epsg(min_confidence=70)
    return f"EPSG:{code}" if code else (crs.name or "an unnamed CRS")


def _field_problems(entry: LayerEntry, columns: Iterable[str]) -> list[Problem]:
    rule = ROLES.get(entry.role)
    if rule is None:
        return []
    available = list(columns)
    lowered = {c.lower(): c for c in available}
    problems: list[Problem] = []
    for logical, severity in [(f, ERROR) for f in rule.required] + [(f, WARNING) for f in rule.recommended]:
        column = entry.field_name(logical)
        what = _FIELD_HELP.get(logical, f"a '{logical}' field")
        if column is None:
            problems.append(
                Problem(
                    severity,
                    entry.id,
                    f"Layer '{entry.id}' ({entry.role}) declares no {what}.",
                    f"Add \"fields\": {{\"{logical}\": \"<column>\"}} to the layer in the manifest.",
                )
            )
        elif column not in available and column.lower() not in lowered:
            problems.append(
                Problem(
                    severity,
                    entry.id,
                    f"Missing field: layer '{entry.id}' ({entry.role}) has no field '{column}' ({what}).",
                    f"Add the column '{column}' to the data, or point \"fields\".\"{logical}\" in the manifest to "
                    f"an existing one ({', '.join(available[:12]) or 'the layer has no fields'}).",
                )
            )
    return problems


def _check_vector(entry: LayerEntry) -> list[Problem]:
    from osgeo import osr

    path = str(entry.source)
    dataset = _open_vector(path)
    if dataset is None:
        return [
            Problem(
                ERROR,
                entry.id,
                f"Unreadable file: '{entry.path}' of layer '{entry.id}' cannot be opened as vector data.",
                "Check the file is a complete GeoPackage, shapefile, GPX or GeoJSON (re-export it).",
            )
        ]
    names = [dataset.GetLayerByIndex(i).GetName() for i in range(dataset.GetLayerCount())]
    layer = _source_layer(dataset, entry)
    if layer is None and entry.layer:
        return [
            Problem(
                ERROR,
                entry.id,
                f"Layer '{entry.layer}' is not in '{entry.path}' (it holds: {', '.join(names) or 'nothing'}).",
                "Correct \"layer\" in the manifest.",
            )
        ]
    if layer is None:
        return [Problem(ERROR, entry.id, f"'{entry.path}' holds no layer.", "Re-export the data.")]
    problems: list[Problem] = []
    srs = layer.GetSpatialRef()
    actual = None
    if srs is not None:
        srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
        actual = _parse_crs(srs.ExportToWkt())
    problems += _crs_problem(entry, actual)
    count = layer.GetFeatureCount()
    if count == 0:
        problems.append(
            Problem(
                WARNING,
                entry.id,
                f"Empty layer: '{entry.id}' has no features.",
                "Check that the right layer was exported; analyses using it will have nothing to work on.",
            )
        )
    definition = layer.GetLayerDefn()
    columns = [definition.GetFieldDefn(i).GetName() for i in range(definition.GetFieldCount())]
    problems += _field_problems(entry, columns)
    rule = ROLES.get(entry.role)
    if rule is not None and rule.geometry and count:
        family = _geometry_family(layer.GetGeomType())
        if family and family != rule.geometry:
            problems.append(
                Problem(
                    WARNING,
                    entry.id,
                    f"Layer '{entry.id}' holds {family}s where the role '{entry.role}' expects {rule.geometry}s.",
                    "Check the role in the manifest or the exported geometry.",
                )
            )
    return problems


def _geometry_family(geometry_type: int) -> str:
    from osgeo import ogr

    flat = ogr.GT_Flatten(geometry_type)
    if flat in (ogr.wkbPoint, ogr.wkbMultiPoint):
        return "point"
    if flat in (ogr.wkbLineString, ogr.wkbMultiLineString):
        return "line"
    if flat in (ogr.wkbPolygon, ogr.wkbMultiPolygon):
        return "polygon"
    return ""


class _gdal_errors_as_none:  # noqa: N801 - used as a context manager
    """Silence GDAL's stderr chatter while probing a file; failures show up as ``None``."""

    def __enter__(self):
        from osgeo import gdal

        gdal.PushErrorHandler("CPLQuietErrorHandler")
        return self

    def __exit__(self, *exc):
        from osgeo import gdal

        gdal.PopErrorHandler()
        return False


def _close_dataset(dataset: Any) -> None:
    """Close an OGR dataset now, whatever else still refers to it (``Close`` from GDAL 3.8, else ``Destroy``)."""
    close = getattr(dataset, "Close", None) or dataset.Destroy
    close()


def _open_vector(path: str) -> Any:
    """The vector dataset at ``path`` read-only with the allowed drivers, or ``None`` when they cannot open it.

    GDAL's Python exceptions may be on or off: QGIS >= 3.24 switches them on for
    the whole process when Processing loads, and a plugin must not switch them
    back, so both outcomes of a failed open are taken here.
    """
    from osgeo import gdal

    with _gdal_errors_as_none():
        try:
            return gdal.OpenEx(path, gdal.OF_VECTOR | gdal.OF_READONLY, allowed_drivers=list(ALLOWED_DRIVERS["vector"]))
        except RuntimeError:
            return None


def _open_raster(path: Any) -> Any:
    """The package raster at ``path`` opened by rasterio with the allowed driver only."""
    import rasterio

    (driver,) = ALLOWED_DRIVERS["raster"]  # rasterio takes one driver name
    return rasterio.open(path, driver=driver)


def _check_table(entry: LayerEntry) -> list[Problem]:
    """Delimited text with latitude/longitude columns (e.g. an ACLED export)."""
    encoding = entry.options.get("encoding") or "utf-8-sig"
    delimiter = entry.options.get("delimiter") or None
    try:
        with open(entry.source, newline="", encoding=encoding) as handle:
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
                f"Unreadable file: '{entry.path}' of layer '{entry.id}' cannot be read as {encoding} text ({error}).",
                "Save it as UTF-8 CSV, or give its \"encoding\" in the manifest.",
            )
        ]
    if not header:
        return [Problem(ERROR, entry.id, f"Empty layer: '{entry.path}' is empty (no header).", "Re-export it.")]
    problems: list[Problem] = []
    declared = _parse_crs(entry.crs) if entry.crs else None
    if declared is None:
        problems.append(
            Problem(
                ERROR,
                entry.id,
                f"Layer '{entry.id}' has no CRS defined for its coordinates (undefined CRS).",
                "Add \"crs\": \"EPSG:4326\" (longitude/latitude) to the layer in the manifest.",
            )
        )
    problems += _field_problems(entry, header)
    if rows == 0:
        problems.append(
            Problem(WARNING, entry.id, f"Empty layer: '{entry.id}' has a header but no rows.", "Re-export the data.")
        )
    elif unplaced:
        problems.append(
            Problem(
                NOTE,
                entry.id,
                f"{unplaced} of {rows} rows of '{entry.id}' have no usable latitude/longitude and will not be drawn.",
                "Run 'Import incidents' (mew:importincidents): its REJECTED output lists each row and why.",
            )
        )
    return problems


def _coordinate_ok(row: list[str], lat_index: int, lon_index: int) -> bool:
    try:
        lat, lon = float(row[lat_index]), float(row[lon_index])
    except (IndexError, ValueError):
        return False
    return -90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0


def _check_raster(entry: LayerEntry) -> list[Problem]:
    from rasterio.errors import RasterioIOError

    try:
        with _open_raster(entry.source) as dataset:
            crs = CRS.from_wkt(dataset.crs.to_wkt()) if dataset.crs else None
            nodata = dataset.nodata
            count = dataset.count
            descriptions = list(dataset.descriptions)
            tags = [dataset.tags(band) for band in range(1, count + 1)]
            file_scale = dataset.scales[0] if dataset.scales else 1.0
    except (RasterioIOError, OSError) as error:
        return [
            Problem(
                ERROR,
                entry.id,
                f"Unreadable file: '{entry.path}' of layer '{entry.id}' cannot be opened as a raster ({error}).",
                "Check the file is a complete GeoTIFF (re-export or copy it again).",
            )
        ]
    problems = _crs_problem(entry, crs)
    rule = ROLES.get(entry.role)
    if nodata is None and entry.options.get("nodata") is None and (rule is None or rule.needs_nodata):
        problems.append(
            Problem(
                WARNING,
                entry.id,
                f"Raster '{entry.id}' has no nodata value: empty pixels would count as real values.",
                "Set it in the file (gdal_edit.py -a_nodata <value>) or give \"nodata\" in the manifest.",
            )
        )
    declared_scale = entry.options.get("scale")
    if isinstance(declared_scale, (int, float)) and file_scale not in (1.0, None):
        if abs(file_scale - declared_scale) > 1e-9 * max(abs(file_scale), 1e-12):
            problems.append(
                Problem(
                    WARNING,
                    entry.id,
                    f"Raster '{entry.id}' says its values scale by {file_scale:g}, the manifest says "
                    f"{declared_scale:g}; QGIS and the analyses use the file's.",
                    "Correct \"scale\" in the manifest or the scale stored in the file (gdal_edit.py -scale).",
                )
            )
    if entry.role == "ndvi" or entry.role == "ndvi_mask":
        dates, undated = band_dates(entry, descriptions, tags)
        if undated:
            problems.append(
                Problem(
                    ERROR,
                    entry.id,
                    f"Undated bands: band(s) {', '.join(map(str, undated))} of '{entry.id}' carry no date.",
                    "Write ISO dates as band descriptions, or list them in \"dates\" for the layer in the manifest.",
                )
            )
        elif len(set(dates)) != len(dates):
            problems.append(
                Problem(
                    ERROR,
                    entry.id,
                    f"Band dates of '{entry.id}' repeat a date.",
                    "Give each band its own date (band descriptions or \"dates\").",
                )
            )
    return problems


def band_dates(
    entry: LayerEntry, descriptions: list[Optional[str]], tags: list[dict[str, str]]
) -> tuple[list[dt.date], list[int]]:
    """The date of each band, and the undated bands: the manifest's ``dates`` first, else what
    ``mew:droughtindex`` reads (band description, date metadata, a single-band file's name)."""
    from .drought import band_date, parse_date

    declared = entry.options.get("dates") or entry.options.get("band_dates")
    stem = Path(str(entry.source)).stem if len(descriptions) == 1 else None
    if isinstance(declared, list) and len(declared) == len(descriptions):
        found = [parse_date(str(d)) for d in declared]
    else:
        found = [band_date(description, band_tags, stem) for description, band_tags in zip(descriptions, tags)]
    dates = [d for d in found if d is not None]
    undated = [band for band, d in enumerate(found, start=1) if d is None]
    return dates, undated


def raster_band_dates(entry: LayerEntry) -> tuple[list[dt.date], list[int]]:
    """:func:`band_dates` of a raster layer's file (checked with :func:`vetted_source` first)."""
    with _open_raster(vetted_source(entry)) as dataset:
        tags = [dataset.tags(band) for band in range(1, dataset.count + 1)]
        return band_dates(entry, list(dataset.descriptions), tags)


def _check_ndvi_grids(package: MissionPackage) -> list[Problem]:
    """NDVI stacks and their masks must share one grid (CRS, transform, size)."""
    from rasterio.errors import RasterioIOError

    grids = []
    for entry in package.by_role("ndvi") + package.by_role("ndvi_mask"):
        try:
            source = vetted_source(entry)
        except RefusedFile:  # reported by validate_layer
            continue
        try:
            with _open_raster(source) as dataset:
                grids.append((entry, (dataset.crs, tuple(dataset.transform)[:6], dataset.width, dataset.height)))
        except (RasterioIOError, OSError):
            continue
    if len(grids) < 2:
        return []
    reference_entry, reference = grids[0]
    problems = []
    for entry, grid in grids[1:]:
        if grid != reference:
            problems.append(
                Problem(
                    ERROR,
                    entry.id,
                    f"Inconsistent grids: '{entry.id}' ({grid[2]}×{grid[3]} px) is not on the grid of "
                    f"'{reference_entry.id}' ({reference[2]}×{reference[3]} px, same CRS, origin and pixel size "
                    "needed).",
                    f"Resample '{entry.id}' onto the grid of '{reference_entry.id}' (gdalwarp -te ... -tr ...).",
                )
            )
    return problems


# --- summaries ---------------------------------------------------------------------------


def has_errors(problems: Iterable[Problem]) -> bool:
    return any(problem.is_error for problem in problems)


def layer_status(problems: Iterable[Problem], layer_id: str) -> str:
    """``"OK"``, ``"warning"`` or ``"error"`` for one layer."""
    severities = {problem.severity for problem in problems if problem.layer_id == layer_id}
    if ERROR in severities:
        return ERROR
    if WARNING in severities:
        return WARNING
    return "OK"


def report_text(package: MissionPackage, problems: list[Problem]) -> str:
    """A plain-text validation report."""
    errors = sum(p.is_error for p in problems)
    lines = [
        f"Mission package validation report — {package.name}",
        f"Classification: {package.classification or '(none given)'}",
        f"Package: {package.location}",
        f"Mission CRS: {package.crs or '(none)'}",
        f"Checked: {dt.datetime.now().astimezone().isoformat(timespec='seconds')}",
        f"Result: {errors} error(s), {sum(p.severity == WARNING for p in problems)} warning(s)",
        "",
        "Layers:",
    ]
    for entry in package.layers:
        lines.append(f"  [{layer_status(problems, entry.id)}] {entry.id} ({entry.role}, {entry.theme}) — {entry.path}")
    lines += ["", "Problems:" if problems else "No problems found."]
    for problem in problems:
        lines.append(f"  {problem.severity.upper()} [{problem.layer_id or 'package'}] {problem.message}")
        lines.append(f"      What to do: {problem.action}")
    return "\n".join(lines) + "\n"


def report_html(package: MissionPackage, problems: list[Problem]) -> str:
    """The validation report as a standalone HTML page."""
    from html import escape

    errors = sum(p.is_error for p in problems)
    rows = "".join(
        f"<tr><td>{escape(entry.id)}</td><td>{escape(entry.role)}</td><td>{escape(entry.theme)}</td>"
        f"<td>{escape(entry.path)}</td><td class='{layer_status(problems, entry.id)}'>"
        f"{escape(layer_status(problems, entry.id))}</td></tr>"
        for entry in package.layers
    )
    problem_rows = "".join(
        f"<tr><td class='{p.severity}'>{escape(p.severity)}</td><td>{escape(p.layer_id or 'package')}</td>"
        f"<td>{escape(p.message)}</td><td>{escape(p.action)}</td></tr>"
        for p in problems
    )
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        f"<title>Validation report — {escape(package.name)}</title>"
        "<style>body{font-family:sans-serif}table{border-collapse:collapse}td,th{border:1px solid #999;"
        "padding:2px 6px}.error{color:#b00020;font-weight:bold}.warning{color:#a15c00}.OK{color:#1b7a1b}"
        ".banner{background:#444;color:#fff;text-align:center;padding:2px}</style></head><body>"
        f"<div class='banner'>{escape(package.classification)}</div>"
        f"<h1>{escape(package.name)}</h1>"
        f"<p>Package: {escape(str(package.location))}<br>Mission CRS: {escape(package.crs or '(none)')}<br>"
        f"Checked: {escape(dt.datetime.now().astimezone().isoformat(timespec='seconds'))}<br>"
        f"<b>{errors} error(s), {sum(p.severity == WARNING for p in problems)} warning(s)</b></p>"
        "<h2>Layers</h2><table><tr><th>Id</th><th>Role</th><th>Theme</th><th>Path</th><th>Status</th></tr>"
        f"{rows}</table><h2>Problems</h2>"
        + (
            "<table><tr><th>Severity</th><th>Layer</th><th>Problem</th><th>What to do</th></tr>"
            f"{problem_rows}</table>"
            if problems
            else "<p>No problems found.</p>"
        )
        + f"<div class='banner'>{escape(package.classification)}</div></body></html>"
    )


# --- conversion ----------------------------------------------------------------------------


def package_to_geopackage(folder: str | os.PathLike[str], gpkg_path: str | os.PathLike[str]) -> Path:
    """Convert a folder package into a GeoPackage package.

    Vector layers (GeoPackage tables, GPX tracks, shapefiles...) are copied
    into ``gpkg_path`` and their manifest entries point to it (``path`` ""),
    the manifest goes into the ``mew_manifest`` table, and the other files
    (CSV tables, rasters) are copied beside the GeoPackage under the same
    relative paths. ``gpkg_path`` must be a new file outside ``folder``, and
    none of those copies may exist yet.

    The GeoPackage is written to a temporary file and moved into place only
    when every layer was copied: after an error (an unreadable layer, a full
    disk) neither it nor any copied file is left behind, so the conversion
    can simply be run again.
    """
    from osgeo import ogr

    package = open_package(folder)
    if package.is_geopackage:
        raise MewError(f"'{folder}' is already a GeoPackage package.")
    target = Path(gpkg_path)
    if target.exists():
        raise MewError(f"'{target}' exists already: choose a new file name.")
    root = Path(os.path.realpath(package.root))
    if Path(os.path.realpath(target.parent)) == root:
        raise MewError("Write the GeoPackage package into another folder than the source package.")
    manifest = json.loads(json.dumps(package.manifest))
    raw_by_id = {(_text(raw.get("id")) or f"layer{i}"): raw for i, raw in enumerate(manifest.get("layers", []), 1)}
    present = [
        (entry, raw_by_id[entry.id])
        for entry in package.layers
        if entry.source is not None and entry.id in raw_by_id and entry.source.exists()
    ]
    for entry, _raw in present:
        try:
            vetted_source(entry)
        except RefusedFile as error:
            raise MewError(
                f"{error.message} The GeoPackage package was not written: {error.action} Then convert again."
            ) from error
    copies = {
        entry.id: target.parent / entry.source.relative_to(root) for entry, _raw in present if entry.kind != "vector"
    }
    taken = [str(path) for path in copies.values() if path.exists()]
    if taken:
        raise MewError(
            f"Converting would overwrite {', '.join(taken)}: write the GeoPackage package into an empty folder."
        )
    created = [d for d in reversed([target.parent, *target.parent.parents]) if not d.exists()]
    try:
        with atomic_path(target) as temporary:
            output = ogr.GetDriverByName("GPKG").CreateDataSource(str(temporary))
            if output is None:
                raise MewError(f"Cannot create '{target}': check that its folder is writable and has space.")
            try:
                for entry, raw in present:
                    if entry.kind == "vector":
                        raw["path"], raw["layer"] = "", _copy_vector_layer(entry, output)
                        continue
                    destination = copies[entry.id]
                    created += [d for d in reversed(destination.parents) if not d.exists()]
                    destination.parent.mkdir(parents=True, exist_ok=True)
                    with atomic_path(destination) as partial:
                        shutil.copy2(entry.source, partial)
                    created.append(destination)
                    raw["path"] = destination.relative_to(target.parent).as_posix()
                table = output.CreateLayer(MANIFEST_TABLE, geom_type=ogr.wkbNone)
                table.CreateField(ogr.FieldDefn(MANIFEST_COLUMN, ogr.OFTString))
                feature = ogr.Feature(table.GetLayerDefn())
                feature.SetField(MANIFEST_COLUMN, json.dumps(manifest, ensure_ascii=False, indent=1))
                if table.CreateFeature(feature) != ogr.OGRERR_NONE:
                    raise MewError(f"Cannot write the manifest into '{target}': check the disk space.")
                feature = None
            finally:
                # Closed now, before it is moved into place or removed: an error's traceback may still hold
                # it, and closing later would write to a removed file (and on Windows keep it from removal).
                _close_dataset(output)
    except BaseException:
        for path in reversed(created):  # files, then the folders made for them, deepest first
            with contextlib.suppress(OSError):
                path.rmdir() if path.is_dir() else path.unlink()
        raise
    return target


def _source_layer(dataset: Any, entry: LayerEntry) -> Any:
    """The OGR layer a vector entry names: its ``layer``, else the first one (a GPX file's tracks)."""
    names = [dataset.GetLayerByIndex(i).GetName() for i in range(dataset.GetLayerCount())]
    if entry.layer:
        return dataset.GetLayerByName(entry.layer)
    if len(names) == 1 or (names and entry.source is not None and entry.source.suffix.lower() != ".gpx"):
        return dataset.GetLayerByIndex(0)
    return dataset.GetLayerByName("tracks") or (dataset.GetLayerByIndex(0) if names else None)


def _copy_vector_layer(entry: LayerEntry, output: Any) -> str:
    """Copy a vector entry's layer into the open GeoPackage ``output``; returns the table name."""
    from osgeo import gdal

    not_written = "The GeoPackage package was not written"
    source = _open_vector(str(entry.source))
    if source is None:
        raise MewError(
            f"Layer '{entry.id}': '{entry.path}' cannot be opened as vector data. {not_written}: re-export the "
            f"file (a complete GeoPackage, shapefile, GPX or GeoJSON) or remove the layer from the manifest, "
            "then convert again."
        )
    layer = _source_layer(source, entry)
    if layer is None:
        raise MewError(
            f"Layer '{entry.id}': '{entry.path}' holds no layer '{entry.layer or ''}'. {not_written}: correct "
            "\"layer\" in the manifest (check the package first), then convert again."
        )
    name = entry.layer or entry.id
    if output.GetLayerByName(name) is not None:
        name = entry.id
    gdal.ErrorReset()
    with _gdal_errors_as_none():
        try:
            # The table's own identifier: GDAL would copy the source's, and a second layer copied from one
            # source then breaks gpkg_contents' unique identifier (GDAL 3.10 then never returns).
            copied = output.CopyLayer(layer, name, [f"IDENTIFIER={name}"])
        except RuntimeError:  # when GDAL exceptions are switched on
            copied = None
    if copied is None:
        reason = gdal.GetLastErrorMsg() or "GDAL gave no reason"
        raise MewError(
            f"Layer '{entry.id}': copying '{entry.path}' into the GeoPackage failed ({reason}). {not_written}: "
            "check the file (re-export it) and the free disk space, then convert again."
        )
    return name


# --- command line ----------------------------------------------------------------------------


def main(argv: Optional[list[str]] = None) -> int:
    """``check PACKAGE [--report FILE]`` prints the validation report (exit 1 on errors);
    ``to-gpkg FOLDER OUTPUT.gpkg`` converts a folder package into a GeoPackage package."""
    import argparse
    import sys

    parser = argparse.ArgumentParser(prog="mission_package", description="Check or convert mission packages.")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="validate a package and print the report")
    check.add_argument("package", type=Path)
    check.add_argument("--report", type=Path, help="also write the report (.html or .txt)")
    convert = commands.add_parser("to-gpkg", help="convert a folder package into a GeoPackage package")
    convert.add_argument("folder", type=Path)
    convert.add_argument("output", type=Path)
    args = parser.parse_args(argv)
    try:
        if args.command == "to-gpkg":
            print(package_to_geopackage(args.folder, args.output))
            return 0
        package = open_package(args.package)
        problems = validate(package)
        text = report_text(package, problems)
        print(text, end="")
        if args.report is not None:
            from .io import atomic_write_text, refuse_output_over_inputs

            refuse_output_over_inputs([args.report], package.files())
            html = args.report.suffix.lower() != ".txt"
            atomic_write_text(args.report, report_html(package, problems) if html else text)
        return 1 if has_errors(problems) else 0
    except MewError as error:
        print(f"Error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
