"""How an analysis output was made: the record every ``mew`` output carries, free of QGIS.

Each output of a ``mew:`` algorithm carries one :class:`ProvenanceRecord`: the
algorithm, the parameters as given, the inputs and the periods of data the run
actually used (incident dates, patrol dates, NDVI dates), the plugin version and
when it ran. It is stored as JSON under :data:`PROVENANCE_KEY` in the output's
own metadata (GDAL metadata of a GeoTIFF, ``gpkg_metadata`` of a GeoPackage
layer) and in the QGIS layer metadata of the layer Processing loads, so a
briefing map can say how each of its layers was made, also after a restart
and for temporary layers.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path, PurePath
from typing import Any, Callable, Iterable, Mapping

from .messages import message, number_text

#: The metadata item (GDAL) and keyword vocabulary (QGIS) the JSON record is stored under.
PROVENANCE_KEY = "MEW_PROVENANCE"
#: Marks a record as ours when it is read back from a file that may hold anything.
RECORD_FORMAT = "mission-early-warning-provenance/1"


@dataclass
class ProvenanceRecord:
    """One algorithm run as an output remembers it.

    ``periods`` maps what was used (``"incidents"``, ``"patrol dates"``,
    ``"NDVI target"`` …) to its first and last date (ISO text); ``results``
    holds the run's plain returned values (the cell size it chose, counts).
    """

    algorithm: str
    display_name: str
    parameters: dict[str, Any] = field(default_factory=dict)
    inputs: dict[str, Any] = field(default_factory=dict)
    periods: dict[str, list[str]] = field(default_factory=dict)
    results: dict[str, Any] = field(default_factory=dict)
    output: str = ""
    plugin_version: str = ""
    created: str = ""
    format: str = RECORD_FORMAT

    def to_json(self) -> str:
        """The record as compact JSON text (what the files and layers store)."""
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=False, separators=(",", ":"))

    def run_key(self) -> tuple[str, str, str]:
        """Outputs of one run share this key (their records differ only in ``output``)."""
        return self.algorithm, self.created, json.dumps(self.parameters, sort_keys=True)


def json_safe(value: Any) -> Any:
    """``value`` made of JSON's types only: dates as ISO text, paths as text, NaN as None, the rest as text."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, PurePath):
        return str(value)
    if isinstance(value, Mapping):
        return {str(key): json_safe(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [json_safe(item) for item in value]
    if hasattr(value, "item") and callable(value.item):  # numpy scalars
        try:
            return json_safe(value.item())
        except (TypeError, ValueError):
            pass
    return str(value)


def iso_day(value: date | datetime | str | None) -> str:
    """The day of ``value`` as ``YYYY-MM-DD`` (text is kept as given); "" for None."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def date_range(values: Iterable[date | datetime | str | None]) -> tuple[str, str]:
    """The first and last of ``values`` (ISO days; missing values left out); ``("", "")`` when there are none."""
    days = sorted(day for day in (iso_day(value) for value in values) if day)
    return (days[0], days[-1]) if days else ("", "")


def now_utc() -> str:
    """The current time, UTC, ISO 8601 to the second."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def plugin_version(metadata_txt: Path) -> str:
    """The ``version=`` of the plugin's ``metadata.txt``; "" when it cannot be read."""
    try:
        for line in metadata_txt.read_text(encoding="utf-8").splitlines():
            key, _, value = line.partition("=")
            if key.strip() == "version":
                return value.strip()
    except OSError:
        pass
    return ""


def record_from_json(text: str | None) -> ProvenanceRecord | None:
    """The record stored as ``text``; None when it is missing or is not one of ours (never an error)."""
    if not text:
        return None
    try:
        data = json.loads(text)
    except (TypeError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != RECORD_FORMAT or not data.get("algorithm"):
        return None
    known = {name: data[name] for name in ProvenanceRecord.__dataclass_fields__ if name in data}
    mappings = ("parameters", "inputs", "periods", "results")
    if not all(isinstance(known.get(name, {}), dict) for name in mappings):
        return None  # a damaged record is not read as one
    if not all(isinstance(span, list) for span in known.get("periods", {}).values()):
        return None
    fields: dict[str, Any] = {name: value if name in mappings else str(value) for name, value in known.items()}
    return ProvenanceRecord(**fields)


def record_from_items(items: Mapping[str, str]) -> ProvenanceRecord | None:
    """The record in key/value metadata (GDAL items, any case), or None."""
    for key, value in items.items():
        if str(key).upper() == PROVENANCE_KEY:
            return record_from_json(value)
    return None


# --- the footer's plain line -------------------------------------------------------------------


def distance_text(metres: Any) -> str:
    """A distance in metres as read on a map: ``2 km``, ``2.5 km``, ``750 m``; "" when it is no number."""
    try:
        value = float(metres)
    except (TypeError, ValueError):
        return ""
    if not math.isfinite(value) or value <= 0:
        return ""
    if value >= 1000:
        return f"{number_text(f'{value / 1000:g}')} km"
    return f"{number_text(f'{value:g}')} m"


def period_text(what: str, first: str, last: str) -> str:
    """``incidents 2023-11 to 2026-10``: months for a span across months, the day for one day."""
    if not first and not last:
        return ""
    what = message(what)
    if not first or not last or first == last:
        return f"{what} {first or last}"
    if first[:7] != last[:7] and len(first) >= 7 and len(last) >= 7:
        first, last = first[:7], last[:7]
    return message("{what} {first} to {last}", what=what, first=first, last=last)


def _value(record: ProvenanceRecord, key: str) -> Any:
    """A value as the run used it: a returned result wins over the parameter as given."""
    if record.results.get(key) not in (None, ""):
        return record.results[key]
    return record.parameters.get(key)


def _with(template: str, distance: str) -> str:
    """``template`` (``"{distance} cells"``) with ``distance`` put in; "" without a distance."""
    return message(template, distance=distance) if distance else ""


def _hot_spots(record: ProvenanceRecord) -> list[str]:
    on_features = str(record.parameters.get("GRID", "")).lower() in ("none", "2")
    parts = ["Gi*"]
    if on_features:
        neighbours = message(str(record.parameters.get("NEIGHBOURS") or "distance"))
        parts.append(message("features, {neighbours} neighbours", neighbours=neighbours))
    else:
        parts.append(_with("{distance} cells", distance_text(_value(record, "CELL_SIZE"))))
    parts.append(_with("{distance} band", distance_text(_value(record, "DISTANCE_BAND"))))
    if _value(record, "FDR") not in (False, "false", "False", 0, "0"):
        parts.append("FDR")
    return parts


def _emerging(record: ProvenanceRecord) -> list[str]:
    steps = _value(record, "TIME_STEPS")
    return [
        message("emerging hot spots (Gi* and Mann-Kendall)"),
        _with("{distance} cells", distance_text(_value(record, "CELL_SIZE"))),
        _with("{distance} band", distance_text(_value(record, "DISTANCE_BAND"))),
        message("{steps} time steps of {step}", steps=steps, step=record.parameters.get("TIME_STEP") or "?")
        if steps not in (None, "")
        else "",
    ]


def _density(record: ProvenanceRecord) -> list[str]:
    kernel = record.parameters.get("KERNEL")
    return [
        message("kernel density"),
        message("{kernel} kernel", kernel=kernel) if kernel not in (None, "") else "",
        _with("{distance} radius", distance_text(record.parameters.get("RADIUS"))),
        _with("{distance} pixels", distance_text(record.parameters.get("PIXEL_SIZE"))),
    ]


def _drought_index(record: ProvenanceRecord) -> list[str]:
    index = record.parameters.get("INDEX")
    return [message("drought index {index}", index=index) if index not in (None, "") else message("drought index")]


def _drought_change(record: ProvenanceRecord) -> list[str]:
    area = record.parameters.get("MIN_AREA")
    return [
        message("drought change"),
        message("areas of at least {area:g} ha", area=area) if isinstance(area, (int, float)) and area else "",
    ]


def _coverage(record: ProvenanceRecord) -> list[str]:
    days = record.parameters.get("WINDOW_DAYS")
    return [
        message("patrol coverage"),
        _with("{distance} around bases", distance_text(record.parameters.get("BASE_RADIUS"))),
        message("patrols of the last {days} days", days=days) if days not in (None, "") else "",
    ]


def _gaps(record: ProvenanceRecord) -> list[str]:
    days = record.parameters.get("RECENT_DAYS")
    return [
        message("coverage gaps ranked"),
        _with("{distance} incident radius", distance_text(record.parameters.get("INCIDENT_RADIUS"))),
        message("incidents of the last {days} days", days=days) if days not in (None, "") else "",
    ]


def _imported(record: ProvenanceRecord) -> list[str]:
    accepted, rejected = record.results.get("ACCEPTED_COUNT"), record.results.get("REJECTED_COUNT")
    counts = (
        message("{accepted} accepted, {rejected} rejected", accepted=accepted, rejected=rejected)
        if accepted is not None and rejected is not None
        else ""
    )
    return [message("incidents imported ({format})", format=record.results.get("FORMAT") or "CSV"), counts]


#: What the footer says about each algorithm's settings, by algorithm id.
_SUMMARIES: dict[str, Callable[[ProvenanceRecord], list[str]]] = {
    "mew:hotspots": _hot_spots,
    "mew:emerginghotspots": _emerging,
    "mew:incidentdensity": _density,
    "mew:droughtindex": _drought_index,
    "mew:droughtchange": _drought_change,
    "mew:patrolcoverage": _coverage,
    "mew:coveragegaps": _gaps,
    "mew:importincidents": _imported,
}


def settings_text(record: ProvenanceRecord) -> str:
    """The run's settings in a few plain words: ``Gi*, 2 km cells, 8 km band, FDR``."""
    summary = _SUMMARIES.get(record.algorithm)
    parts = summary(record) if summary is not None else [record.display_name or record.algorithm]
    return ", ".join(part for part in parts if part)


def periods_text(record: ProvenanceRecord) -> str:
    """The data periods the run used: ``incidents 2023-11 to 2026-10, NDVI target 2026-09-01``."""
    texts = (period_text(what, *[*span, "", ""][:2]) for what, span in record.periods.items())
    return ", ".join(text for text in texts if text)


def footer_line(layer_names: Iterable[str], record: ProvenanceRecord) -> str:
    """One plain line per analysis: ``Hot spots: Gi*, 2 km cells, 8 km band, FDR; incidents 2023-11 to 2026-10``."""
    line = message("{layers}: {settings}", layers=", ".join(layer_names), settings=settings_text(record))
    periods = periods_text(record)
    return message("{line}; {periods}", line=line, periods=periods) if periods else line


def data_dates_text(record: ProvenanceRecord) -> str:
    """The dates a layer's data stand for (its periods), else the day the run made it; "" when unknown."""
    periods = periods_text(record)
    if periods:
        return periods
    return message("made {day}", day=record.created[:10]) if record.created else ""
