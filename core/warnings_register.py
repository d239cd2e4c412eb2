"""The early-warning register: the mission's Early Warning Tracking Form, kept as data in the mission package.

Where it lives (:func:`register_location`): in a GeoPackage package, inside the package itself; in a
folder package, inside the package's GeoPackage of vector layers (the first vector layer of the manifest
held in a ``.gpkg`` file), else in ``warnings.gpkg`` in the package folder. The manifest need not name it:
the same rule finds it again each time the package is opened.

Two tables, both registered in ``gpkg_contents`` so QGIS and GDAL open them as ordinary layers:

``warnings`` (features, one per warning; geometry column ``area``, MULTIPOLYGON in the mission CRS)
    ``id`` (text, ``EW-2026-001``: year of issue and number within the year), ``issued`` (DATETIME, UTC),
    ``threat_type``, ``source_layer`` (the layer the warning was issued from), ``source_algorithm``
    (``mew:hotspots`` …), ``source_provenance`` (the source layer's provenance record as JSON text, see
    :mod:`.provenance`), ``confidence`` (``low`` / ``medium`` / ``high``), ``recommended_action``,
    ``responsible_unit``, ``action_taken``, ``action_date`` (DATETIME, UTC), ``outcome`` and ``status``
    (``open`` → ``actioned`` → ``closed``; a warning may also be closed without action).

``warnings_history`` (attributes, one row per change of one field)
    ``warning_id``, ``changed`` (DATETIME, UTC), ``field``, ``old_value``, ``new_value`` (text; empty
    for none) and ``changed_by``. Issuing a warning writes one row per field it was issued with; every
    later update one row per field that changed, so the whole story of a warning reads back from here.

Creating the register adds these two tables and their rows in ``gpkg_contents`` and
``gpkg_geometry_columns`` (and the mission CRS in ``gpkg_spatial_ref_sys`` when the file lacks it):
no other table or row is touched. Every write is one SQLite transaction (:func:`.gpkg.write_transaction`):
a failure leaves the register as it was. Nothing read from the register is evaluated: values are text,
dates are parsed as ISO 8601, the provenance is parsed as JSON.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, fields, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Iterable, Mapping, Optional

from .errors import MewError
from .gpkg import geometry_blob, new_geopackage, read_only, srs_id_of, wkb_of_blob, write_transaction
from .messages import message
from .mission_package.package import MissionPackage

WARNINGS_TABLE = "warnings"
HISTORY_TABLE = "warnings_history"
#: The register's file in a folder package that has no GeoPackage of vector layers.
REGISTER_FILE = "warnings.gpkg"

OPEN, ACTIONED, CLOSED = "open", "actioned", "closed"
STATUSES = (OPEN, ACTIONED, CLOSED)
CONFIDENCES = ("low", "medium", "high")

#: The threat a warning issued from an analysis's output is about, by the analysis (the officer may change it).
THREAT_BY_ALGORITHM = {
    "mew:hotspots": "Incident hot spot",
    "mew:emerginghotspots": "Emerging incident hot spot",
    "mew:incidentdensity": "Incident concentration",
    "mew:coveragegaps": "Patrol coverage gap",
    "mew:patrolcoverage": "Patrol coverage gap",
    "mew:droughtchange": "New drought (pressure on water and pasture)",
    "mew:droughtindex": "Drought (pressure on water and pasture)",
}
OTHER_THREAT = "Other threat"

#: Text columns of ``warnings`` besides ``id`` and ``status``, in the tracking form's order.
TEXT_FIELDS = (
    "threat_type",
    "source_layer",
    "source_algorithm",
    "source_provenance",
    "confidence",
    "recommended_action",
    "responsible_unit",
    "action_taken",
    "outcome",
)
#: What an update may change (the rest is fixed when the warning is issued).
UPDATABLE = (
    "threat_type",
    "confidence",
    "recommended_action",
    "responsible_unit",
    "action_taken",
    "action_date",
    "outcome",
    "status",
)

_WARNINGS_DDL = (
    f'CREATE TABLE "{WARNINGS_TABLE}" (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, area MULTIPOLYGON, '
    "id TEXT NOT NULL UNIQUE, issued DATETIME NOT NULL, "
    + ", ".join(f"{name} TEXT" for name in TEXT_FIELDS)
    + ", action_date DATETIME, status TEXT NOT NULL CHECK (status IN ('open', 'actioned', 'closed')))"
)
_HISTORY_DDL = (
    f'CREATE TABLE "{HISTORY_TABLE}" (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, warning_id TEXT NOT NULL, '
    "changed DATETIME NOT NULL, field TEXT NOT NULL, old_value TEXT, new_value TEXT, changed_by TEXT)"
)


@dataclass(frozen=True)
class EarlyWarning:
    """One warning as the register holds it (``area_wkb``: the warned area, WKB in the register's CRS)."""

    id: str
    issued: datetime
    area_wkb: bytes
    threat_type: str
    source_layer: str = ""
    source_algorithm: str = ""
    source_provenance: str = ""
    confidence: str = ""
    recommended_action: str = ""
    responsible_unit: str = ""
    action_taken: str = ""
    action_date: Optional[datetime] = None
    outcome: str = ""
    status: str = OPEN

    @property
    def area(self) -> Any:
        """The warned area as a shapely geometry."""
        from shapely import wkb

        return wkb.loads(self.area_wkb)

    def provenance(self) -> dict[str, Any]:
        """The source layer's provenance record (parsed JSON, never evaluated); {} when there is none."""
        try:
            value = json.loads(self.source_provenance) if self.source_provenance else {}
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}

    def response_days(self) -> Optional[float]:
        """Days from issue to action (one decimal); None while no action is recorded."""
        if self.action_date is None:
            return None
        return round((self.action_date - self.issued).total_seconds() / 86400.0, 1)

    def is_overdue(self, days: float, now: datetime) -> bool:
        """Open, without action, and issued more than ``days`` days before ``now``."""
        return self.status == OPEN and self.action_date is None and now - self.issued > timedelta(days=days)


@dataclass(frozen=True)
class Change:
    """One row of the history: a field of a warning changed from ``old`` to ``new`` at ``changed`` by ``by``."""

    warning_id: str
    changed: datetime
    field: str
    old: str
    new: str
    by: str


# --- where the register lives ---------------------------------------------------------------------


def register_location(package: MissionPackage) -> Path:
    """The GeoPackage the package's register is (or will be) kept in; see the module's description."""
    if package.is_geopackage:
        return package.location
    for entry in package.layers:
        if entry.kind == "vector" and entry.source is not None and entry.source.suffix.lower() == ".gpkg":
            return entry.source
    return package.location / REGISTER_FILE


def has_register(path: str | Path) -> bool:
    """Whether the GeoPackage at ``path`` exists and holds the register."""
    if not Path(path).is_file():
        return False
    with read_only(path) as connection:
        return _tables_present(connection)


# --- writing -------------------------------------------------------------------------------------


def create_register(path: str | Path, crs: str) -> None:
    """Add the register to the GeoPackage at ``path`` (made when missing), its areas in ``crs``
    (``EPSG:32630`` or WKT). A register already there is left as it is."""
    path = Path(path)
    if not path.exists():
        new_geopackage(path)
    with write_transaction(path) as connection:
        _ensure_tables(connection, path, crs)


def issue_warning(
    path: str | Path,
    crs: str,
    area: Any,
    threat_type: str,
    *,
    source_layer: str = "",
    source_algorithm: str = "",
    source_provenance: str = "",
    confidence: str = "medium",
    recommended_action: str = "",
    responsible_unit: str = "",
    issued: Optional[datetime] = None,
    by: str = "",
) -> EarlyWarning:
    """Issue a warning over ``area`` (a shapely polygon or multipolygon in ``crs``) and record it in the history.

    The register is created first when the GeoPackage lacks it. Returns the warning with its new id.
    """
    issued = _utc(issued or datetime.now(timezone.utc))
    if not threat_type.strip():
        raise MewError("Give the warning a threat type (what the warned area is at risk of).")
    _check_confidence(confidence)
    if source_provenance:
        _check_json(source_provenance)
    area_wkb, bounds = _multipolygon(area)
    path = Path(path)
    if not path.exists():
        new_geopackage(path)
    with write_transaction(path) as connection:
        srs_id = _ensure_tables(connection, path, crs)
        warning = EarlyWarning(
            id=_next_id(connection, issued.year),
            issued=issued,
            area_wkb=area_wkb,
            threat_type=threat_type.strip(),
            source_layer=source_layer,
            source_algorithm=source_algorithm,
            source_provenance=source_provenance,
            confidence=confidence,
            recommended_action=recommended_action,
            responsible_unit=responsible_unit,
        )
        stored = _stored_values(warning)
        names = ", ".join(stored)
        connection.execute(
            f'INSERT INTO "{WARNINGS_TABLE}" (area, {names}) VALUES (?{", ?" * len(stored)})',
            (geometry_blob(area_wkb, bounds, srs_id), *stored.values()),
        )
        given = {name: value for name, value in stored.items() if value not in (None, "")}
        _record(connection, warning.id, issued, [(name, None, value) for name, value in given.items()], by)
        _touch_contents(connection, (WARNINGS_TABLE, HISTORY_TABLE), issued, bounds)
    return warning


def update_warning(
    path: str | Path, warning_id: str, changes: Mapping[str, Any], by: str = "", when: Optional[datetime] = None
) -> EarlyWarning:
    """Change fields of a warning (names in :data:`UPDATABLE`); each changed field gets its history row.

    Status rules: ``actioned`` needs an action taken and its date (both may come in the same update);
    an action date before the issue is refused; a closed warning changes no more.
    """
    unknown = sorted(set(changes) - set(UPDATABLE))
    if unknown:
        raise MewError(
            "A warning's {fields} cannot be changed: only {updatable} can.",
            fields=", ".join(unknown),
            updatable=", ".join(UPDATABLE),
        )
    when = _utc(when or datetime.now(timezone.utc))
    with write_transaction(path) as connection:
        if not _tables_present(connection):
            raise MewError("'{path}' holds no early-warning register: issue a warning first.", path=path)
        current = _warning_by_id(connection, warning_id)
        updated = replace(current, **{name: _typed(name, value) for name, value in changes.items()})
        _check_update(current, updated)
        before, after = _stored_values(current), _stored_values(updated)
        changed = [(name, before[name], after[name]) for name in after if before[name] != after[name]]
        if not changed:
            return current
        assignments = ", ".join(f"{name} = ?" for name, _old, _new in changed)
        connection.execute(
            f'UPDATE "{WARNINGS_TABLE}" SET {assignments} WHERE id = ?',
            (*(new for _name, _old, new in changed), warning_id),
        )
        _record(connection, warning_id, when, changed, by)
        _touch_contents(connection, (WARNINGS_TABLE, HISTORY_TABLE), when)
    return updated


# --- reading -------------------------------------------------------------------------------------


def read_warnings(path: str | Path) -> list[EarlyWarning]:
    """Every warning of the register, oldest first; [] when the GeoPackage holds no register (or is missing)."""
    if not Path(path).is_file():
        return []
    with read_only(path) as connection:
        if not _tables_present(connection):
            return []
        columns = ", ".join(_stored_columns())
        rows = connection.execute(f'SELECT area, {columns} FROM "{WARNINGS_TABLE}" ORDER BY issued, fid').fetchall()
    return [_warning_of_row(row, path) for row in rows]


def read_history(path: str | Path, warning_id: Optional[str] = None) -> list[Change]:
    """The history of every warning (or of one), in the order the changes were made."""
    if not Path(path).is_file():
        return []
    with read_only(path) as connection:
        if not _tables_present(connection):
            return []
        query = f'SELECT warning_id, changed, field, old_value, new_value, changed_by FROM "{HISTORY_TABLE}"'
        arguments: tuple[str, ...] = ()
        if warning_id is not None:
            query, arguments = query + " WHERE warning_id = ?", (warning_id,)
        rows = connection.execute(query + " ORDER BY fid", arguments).fetchall()
    return [Change(str(row[0]), _parse_time(row[1], "changed", path), *(_text(v) for v in row[2:])) for row in rows]


def register_crs(path: str | Path) -> tuple[str, str]:
    """The register's CRS as ``(authority:code, WKT)`` (either may be "")."""
    with read_only(path) as connection:
        row = connection.execute(
            "SELECT s.organization, s.organization_coordsys_id, s.definition FROM gpkg_geometry_columns g "
            "JOIN gpkg_spatial_ref_sys s ON s.srs_id = g.srs_id WHERE lower(g.table_name) = lower(?)",
            (WARNINGS_TABLE,),
        ).fetchone()
    if row is None:
        raise MewError("'{path}' holds no early-warning register: issue a warning first.", path=path)
    organization, code, definition = row
    authority = f"{organization.upper()}:{code}" if organization and str(organization).upper() != "NONE" else ""
    return authority, _text(definition)


def overdue_warnings(
    warnings: Iterable[EarlyWarning], days: float, now: Optional[datetime] = None
) -> list[EarlyWarning]:
    """The open warnings without action issued more than ``days`` days ago."""
    now = _utc(now or datetime.now(timezone.utc))
    return [warning for warning in warnings if warning.is_overdue(days, now)]


# --- inside ----------------------------------------------------------------------------------------


def _tables_present(connection: sqlite3.Connection) -> bool:
    """Whether both tables are there and are the register's; MewError for a table of the same name that is not."""
    names = {
        str(row[0]).lower(): str(row[0])
        for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    }
    present = [name for name in (WARNINGS_TABLE, HISTORY_TABLE) if name in names]
    if not present:
        return False
    expected = {WARNINGS_TABLE: {"area", *_stored_columns()}, HISTORY_TABLE: {"warning_id", "changed", "field"}}
    for name in present:
        columns = {str(row[1]).lower() for row in connection.execute(f'PRAGMA table_info("{names[name]}")')}
        if not expected[name] <= columns or len(present) < 2:
            raise MewError(
                "The GeoPackage already has a table '{table}' that is not an early-warning register: "
                "rename that table (or keep the register in another GeoPackage).",
                table=names[name],
            )
    return True


def _ensure_tables(connection: sqlite3.Connection, path: Path, crs: str) -> int:
    """The register's tables (made when missing, inside the caller's transaction); returns the areas' srs_id."""
    if _tables_present(connection):
        row = connection.execute(
            "SELECT srs_id FROM gpkg_geometry_columns WHERE lower(table_name) = lower(?)", (WARNINGS_TABLE,)
        ).fetchone()
        if row is None:
            raise MewError(
                "The warnings table of '{path}' is not registered as a layer: restore it from a copy.", path=path
            )
        return int(row[0])
    srs_id = srs_id_of(connection, crs)
    now = _time_text(datetime.now(timezone.utc))
    connection.execute(_WARNINGS_DDL)
    connection.execute(_HISTORY_DDL)
    connection.executemany(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change, srs_id) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [
            (WARNINGS_TABLE, "features", WARNINGS_TABLE, "Early warnings (tracking form)", now, srs_id),
            (HISTORY_TABLE, "attributes", HISTORY_TABLE, "Every change of every early warning", now, None),
        ],
    )
    connection.execute(
        "INSERT INTO gpkg_geometry_columns (table_name, column_name, geometry_type_name, srs_id, z, m) "
        "VALUES (?, 'area', 'MULTIPOLYGON', ?, 0, 0)",
        (WARNINGS_TABLE, srs_id),
    )
    return srs_id


def _next_id(connection: sqlite3.Connection, year: int) -> str:
    """``EW-<year>-<number>``: one more than the highest number issued that year."""
    prefix = f"EW-{year}-"
    numbers = [
        int(text[len(prefix) :])
        for (text,) in connection.execute(f'SELECT id FROM "{WARNINGS_TABLE}" WHERE id LIKE ?', (prefix + "%",))
        if str(text)[len(prefix) :].isdigit()
    ]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"


def _stored_columns() -> list[str]:
    return [item.name for item in fields(EarlyWarning) if item.name != "area_wkb"]


def _stored_values(warning: EarlyWarning) -> dict[str, Optional[str]]:
    """The warning's columns as the register stores them: text, times as ISO 8601 UTC, no value as NULL."""
    values: dict[str, Optional[str]] = {}
    for name in _stored_columns():
        value = getattr(warning, name)
        values[name] = _time_text(value) if isinstance(value, datetime) else (value if value != "" else None)
    return values


def _warning_of_row(row: tuple, path: str | Path) -> EarlyWarning:
    blob, *values = row
    try:
        area_wkb = wkb_of_blob(bytes(blob)) if blob is not None else b""
    except ValueError as error:
        raise MewError(
            "The area of warning {id} in '{path}' is damaged ({error}).", id=values[0], path=path, error=error
        ) from error
    named = dict(zip(_stored_columns(), values))
    texts = {name: _text(value) for name, value in named.items() if name not in ("issued", "action_date")}
    action = named["action_date"]
    return EarlyWarning(
        area_wkb=area_wkb,
        issued=_parse_time(named["issued"], f"issued of {texts['id']}", path),
        action_date=_parse_time(action, f"action_date of {texts['id']}", path) if action else None,
        **texts,
    )


def _warning_by_id(connection: sqlite3.Connection, warning_id: str) -> EarlyWarning:
    columns = ", ".join(_stored_columns())
    row = connection.execute(f'SELECT area, {columns} FROM "{WARNINGS_TABLE}" WHERE id = ?', (warning_id,)).fetchone()
    if row is None:
        raise MewError("The register holds no warning '{id}': check the warning's id.", id=warning_id)
    return _warning_of_row(row, "the register")


def _typed(name: str, value: Any) -> Any:
    """An update's value as the warning holds it: times in UTC, text stripped, no value as ""."""
    if name == "action_date":
        if value in (None, ""):
            return None
        if isinstance(value, str):
            return _parse_time(value, "action_date", "the update")
        if not isinstance(value, datetime):
            raise MewError("The action date must be a date and time, not {value!r}.", value=value)
        return _utc(value)
    return "" if value is None else str(value).strip()


def _check_update(current: EarlyWarning, updated: EarlyWarning) -> None:
    if current.status == CLOSED and updated != current:
        raise MewError("Warning {id} is closed: it changes no more. Issue a new warning instead.", id=current.id)
    if updated.status not in STATUSES:
        raise MewError(
            "'{status}' is no status of a warning: use one of {statuses}.",
            status=updated.status,
            statuses=", ".join(STATUSES),
        )
    _check_confidence(updated.confidence)
    if updated.status == ACTIONED and not (updated.action_taken and updated.action_date):
        raise MewError("Warning {id}: record the action taken and its date before marking it actioned.", id=current.id)
    if updated.status == OPEN and current.status != OPEN:
        raise MewError("Warning {id} is {status}: it cannot be opened again.", id=current.id, status=current.status)
    if updated.action_date is not None and updated.action_date < updated.issued:
        raise MewError(
            "Warning {id}: the action date {action_date} is before the warning was issued ({issued}). Check the date.",
            id=current.id,
            action_date=_time_text(updated.action_date),
            issued=_time_text(updated.issued),
        )


def _check_confidence(confidence: str) -> None:
    if confidence and confidence not in CONFIDENCES:
        raise MewError(
            "'{confidence}' is no confidence level: use one of {confidences}.",
            confidence=confidence,
            confidences=", ".join(CONFIDENCES),
        )


def _check_json(text: str) -> None:
    try:
        json.loads(text)
    except ValueError as error:
        raise MewError("The source's provenance is not JSON text ({error}).", error=error) from error


def _multipolygon(area: Any) -> tuple[bytes, tuple[float, float, float, float]]:
    """The area as multipolygon WKB and its bounds; MewError for anything that encloses no area."""
    from shapely.geometry import MultiPolygon

    kind = getattr(area, "geom_type", "")
    if kind == "Polygon":
        area = MultiPolygon([area])
    elif kind != "MultiPolygon":
        raise MewError(
            "A warned area must be polygons, not {kind}: select area features.", kind=kind or type(area).__name__
        )
    if area.is_empty or not area.is_valid or area.area <= 0:
        raise MewError("The warned area is empty or invalid: select features whose polygons enclose an area.")
    return area.wkb, tuple(float(value) for value in area.bounds)  # type: ignore[return-value]


def _record(
    connection: sqlite3.Connection,
    warning_id: str,
    when: datetime,
    changes: list[tuple[str, Optional[str], Optional[str]]],
    by: str,
) -> None:
    connection.executemany(
        f'INSERT INTO "{HISTORY_TABLE}" (warning_id, changed, field, old_value, new_value, changed_by) '
        "VALUES (?, ?, ?, ?, ?, ?)",
        [(warning_id, _time_text(when), name, old, new, by or None) for name, old, new in changes],
    )


def _touch_contents(
    connection: sqlite3.Connection,
    tables: tuple[str, ...],
    when: datetime,
    bounds: Optional[tuple[float, float, float, float]] = None,
) -> None:
    """The register's own rows of ``gpkg_contents``: last change, and the features' extent grown by ``bounds``."""
    for table in tables:
        connection.execute(
            "UPDATE gpkg_contents SET last_change = ? WHERE lower(table_name) = lower(?)", (_time_text(when), table)
        )
    if bounds is not None:
        connection.execute(
            "UPDATE gpkg_contents SET min_x = min(coalesce(min_x, ?1), ?1), min_y = min(coalesce(min_y, ?2), ?2), "
            "max_x = max(coalesce(max_x, ?3), ?3), max_y = max(coalesce(max_y, ?4), ?4) "
            "WHERE lower(table_name) = lower(?5)",
            (*bounds, WARNINGS_TABLE),
        )


def _utc(moment: datetime) -> datetime:
    """``moment`` in UTC to the second (a time without zone is taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).replace(microsecond=0)


def _time_text(moment: datetime) -> str:
    """A time as the GeoPackage DATETIME form: ``2026-12-03T09:15:00.000Z``."""
    return _utc(moment).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _parse_time(value: Any, what: str, path: str | Path) -> datetime:
    text = _text(value)
    try:
        parsed = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)
    except ValueError as error:
        raise MewError(
            "The {what} in '{path}' is not a date and time ('{text}'): correct it to ISO 8601.",
            what=what,
            path=message(str(path)),
            text=text,
        ) from error
    return _utc(parsed)


def _text(value: Any) -> str:
    return "" if value is None else str(value)
