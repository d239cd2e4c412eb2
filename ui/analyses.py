"""The analyses the dock offers, and how each one's parameters are prefilled from the mission.

:data:`ANALYSES` is a table: algorithm id → (parameter, source) pairs. A
source names a manifest role and what to take from it:

* ``layer:<role>`` – the mission's layer of that role (the loaded map layer,
  else its data source);
* ``layers:<role>`` – the same as a one-element list (multiple-layer inputs);
* ``file:<role>`` – the path of the role's file;
* ``field:<role>.<logical>`` – the column the manifest declares (``date``, ``lat``...);
* ``option:<role>.<key>`` – a numeric layer option of the manifest (``scale``, ``offset``...);
* ``values:<role>.<key>`` – a list of numbers of the manifest as "1,2,3" (e.g. a mask's ``bad_values``);
* ``valid:<role>.min|max`` – the manifest's ``valid_range`` converted with the layer's scale and offset;
* ``mission:<key>`` – the mission name, classification, ``as_of`` date, sources;
* ``extent:ao`` – the AO's extent; ``layers:visible`` – the mission's visible layers, bottom first;
* ``warnings:register`` – the GeoPackage the mission's early-warning register is kept in.

Every parameter the table names must be one the algorithm defines (the
mission dock tests check each against the registered algorithm); when the
algorithm is not registered, nothing is set.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Optional

from qgis.core import QgsApplication, QgsProject
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP, QDate, QDateTime, QTime

from ..core.mission_package.package import MissionPackage
from ..core.mission_package.vetting import RefusedFile, vetted_source
from ..core.warnings_register import register_location
from ..qgis_compat import ProcessingParameterFlag
from .mission_loader import ao_extent, mission_group, mission_layers


@dataclass(frozen=True)
class Analysis:
    alg_id: str
    label: str
    presets: tuple[tuple[str, str], ...]


#: How an NDVI stack is read: scale/offset and valid range (in NDVI units) from the manifest, its cloud mask.
_NDVI_PRESETS = (
    ("STACK", "layers:ndvi"),
    ("SCALE", "option:ndvi.scale"),
    ("OFFSET", "option:ndvi.offset"),
    ("VALID_MIN", "valid:ndvi.min"),
    ("VALID_MAX", "valid:ndvi.max"),
    ("MASK", "layer:ndvi_mask"),
    ("MASK_VALUES", "values:ndvi_mask.bad_values"),
)

ANALYSES: tuple[Analysis, ...] = (
    Analysis(
        "mew:importincidents",
        QT_TRANSLATE_NOOP("MissionDock", "Import incidents"),
        (
            ("INPUT", "file:incidents"),
            ("LAT_FIELD", "field:incidents.lat"),
            ("LON_FIELD", "field:incidents.lon"),
            ("DATE_FIELD", "field:incidents.date"),
            ("ID_FIELD", "field:incidents.id"),
        ),
    ),
    Analysis(
        "mew:incidentdensity", QT_TRANSLATE_NOOP("MissionDock", "Incident density"), (("INPUT", "layer:incidents"),)
    ),
    Analysis(
        "mew:hotspots",
        QT_TRANSLATE_NOOP("MissionDock", "Hot spots (Gi*)"),
        (("INPUT", "layer:incidents"), ("STUDY_AREA", "layer:ao")),
    ),
    Analysis(
        "mew:emerginghotspots",
        QT_TRANSLATE_NOOP("MissionDock", "Emerging hot spots"),
        (("INPUT", "layer:incidents"), ("DATE_FIELD", "field:incidents.date"), ("STUDY_AREA", "layer:ao")),
    ),
    Analysis(
        "mew:droughtindex",
        QT_TRANSLATE_NOOP("MissionDock", "Drought index (VCI)"),
        (*_NDVI_PRESETS,),
    ),
    Analysis(
        "mew:droughtchange",
        QT_TRANSLATE_NOOP("MissionDock", "Drought change"),
        (
            *_NDVI_PRESETS,
            ("ZONES", "layer:sectors"),
            ("ZONE_FIELD", "field:sectors.id"),
            ("POPULATION", "layer:population"),
        ),
    ),
    Analysis(
        "mew:patrolcoverage",
        QT_TRANSLATE_NOOP("MissionDock", "Patrol coverage"),
        (
            ("BASES", "layer:bases"),
            ("BASE_RADIUS_FIELD", "field:bases.radius"),
            ("BASE_ID_FIELD", "field:bases.id"),
            ("PATROLS", "layer:patrol_tracks"),
            ("PATROL_DATE_FIELD", "field:patrol_tracks.date"),
            ("AS_OF", "mission:as_of"),
            ("VILLAGES", "layer:villages"),
            ("POPULATION_FIELD", "field:villages.population"),
            ("POPULATION", "layer:population"),
            ("INCIDENTS", "layer:incidents"),
        ),
    ),
    Analysis(
        "mew:coveragegaps",
        QT_TRANSLATE_NOOP("MissionDock", "Coverage gaps"),
        (
            ("VILLAGES", "layer:villages"),
            ("POPULATION_FIELD", "field:villages.population"),
            ("COVERAGE", "layer:coverage"),
            ("INCIDENTS", "layer:incidents"),
            ("INCIDENT_DATE_FIELD", "field:incidents.date"),
            ("AS_OF", "mission:as_of"),
        ),
    ),
    Analysis(
        "mew:briefingmap",
        QT_TRANSLATE_NOOP("MissionDock", "Briefing map"),
        (
            ("LAYERS", "layers:visible"),
            ("EXTENT", "extent:ao"),
            ("TITLE", "mission:name"),
            ("CLASSIFICATION", "mission:classification"),
            ("SOURCES", "mission:sources"),
        ),
    ),
    Analysis(
        "mew:warningsreport",
        QT_TRANSLATE_NOOP("MissionDock", "Early-warning annex"),
        (
            ("REGISTER", "warnings:register"),
            ("INCIDENTS", "layer:incidents"),
            ("DATE_FIELD", "field:incidents.date"),
            ("CLASSIFICATION", "mission:classification"),
        ),
    ),
)


#: Outputs that stand in for a mission role in later runs of the session: once incidents are imported
#: (typed dates, bad rows removed), the incident analyses take the imported layer instead of the raw CSV;
#: the coverage Patrol coverage drew is what Coverage gaps measures against (no manifest layer has that role).
REPLACES_ROLE: dict[tuple[str, str], str] = {
    ("mew:importincidents", "OUTPUT"): "incidents",
    ("mew:patrolcoverage", "OUTPUT_COVERAGE"): "coverage",
}
#: The fields of such a stand-in, which are not the manifest's (mew:importincidents writes its own names).
REPLACED_FIELDS: dict[str, dict[str, str]] = {"incidents": {"date": "event_date", "type": "event_type"}}
#: The analysis that turns the package's raw incident table into the layer the incident analyses need.
IMPORT_INCIDENTS = "mew:importincidents"


def needs_import(spec: Analysis, package: MissionPackage, replaced: dict[str, str]) -> bool:
    """True when ``spec`` cannot run without the mission's incidents and those are still the raw table.

    A raw CSV keeps the rows an import leaves out (coordinates beyond ±180°, swapped latitude and longitude,
    dates that are not dates): an analysis run on it measures them too. Optional incident inputs (the
    incidents a coverage map marks) do not count.
    """
    entry = package.first("incidents")
    if spec.alg_id == IMPORT_INCIDENTS or "incidents" in replaced or entry is None or entry.kind != "table":
        return False
    algorithm = QgsApplication.processingRegistry().algorithmById(spec.alg_id)
    if algorithm is None:
        return False
    for name, source in spec.presets:
        kind, _, role = source.partition(":")
        definition = algorithm.parameterDefinition(name)
        if kind in ("layer", "layers") and role == "incidents" and definition is not None:
            if not definition.flags() & ProcessingParameterFlag.Optional:
                return True
    return False


def analysis(alg_id: str) -> Optional[Analysis]:
    return next((a for a in ANALYSES if a.alg_id == alg_id), None)


def is_available(alg_id: str) -> bool:
    return QgsApplication.processingRegistry().algorithmById(alg_id) is not None


def preset_parameters(
    spec: Analysis,
    package: MissionPackage,
    project: Optional[QgsProject] = None,
    replaced: Optional[dict[str, str]] = None,
) -> dict[str, Any]:
    """The parameter values to prefill, restricted to parameters the registered algorithm defines.

    ``replaced`` maps a role to a layer (id or source) that stands in for the
    mission's layer of that role, e.g. the incidents imported earlier.
    """
    project = project or QgsProject.instance()
    algorithm = QgsApplication.processingRegistry().algorithmById(spec.alg_id)
    values: dict[str, Any] = {}
    for name, source in spec.presets:
        definition = algorithm.parameterDefinition(name) if algorithm is not None else None
        if algorithm is not None and definition is None:
            continue
        value = resolve(source, package, project, replaced)
        if value is None:
            continue
        if definition is not None and definition.type() == "datetime" and isinstance(value, str):
            value = _as_qdatetime(value)
        values[name] = value
    return values


def _as_qdatetime(text: str) -> Any:
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return text
    return QDateTime(QDate(day.year, day.month, day.day), QTime(0, 0))


def resolve(
    source: str, package: MissionPackage, project: QgsProject, replaced: Optional[dict[str, str]] = None
) -> Any:
    """The value a preset source names, or ``None`` when the mission lacks it."""
    kind, _, rest = source.partition(":")
    loaded = mission_layers(package, project)
    if kind == "mission":
        return _mission_value(rest, package)
    if kind == "extent":
        extent = ao_extent(package, project)
        if extent is None:
            return None
        return (
            f"{extent.xMinimum()},{extent.xMaximum()},{extent.yMinimum()},{extent.yMaximum()} "
            f"[{project.crs().authid()}]"
        )
    if kind == "layers" and rest == "visible":
        return _visible_layers(package, project) or None
    if kind == "warnings":
        return str(register_location(package))
    role, _, key = rest.partition(".")
    if replaced and role in replaced:
        if kind in ("layer", "layers"):
            return [replaced[role]] if kind == "layers" else replaced[role]
        if kind == "field" and key in REPLACED_FIELDS.get(role, {}):
            return REPLACED_FIELDS[role][key]
    entry = package.first(role)
    if entry is None:
        return None
    if kind == "field":
        return entry.field_name(key)
    if kind == "option":
        value = entry.options.get(key)
        return value if isinstance(value, (int, float)) else None
    if kind == "values":
        values = entry.options.get(key)
        if isinstance(values, list) and values and all(isinstance(v, (int, float)) for v in values):
            return ",".join(f"{v:g}" for v in values)
        return None
    if kind == "valid":
        return _valid_limit(entry.options, key)
    if kind == "file":
        try:
            return str(vetted_source(entry))
        except RefusedFile:  # the problems list says why; nothing refused is handed to an algorithm
            return None
    if kind in ("layer", "layers"):
        layer = loaded.get(entry.id)
        if layer is not None:
            value: Any = layer.id()
        elif entry.source is not None:
            from .mission_loader import layer_uri

            try:
                value = layer_uri(entry)[0]
            except RefusedFile:
                return None
        else:
            return None
        return [value] if kind == "layers" else value
    raise ValueError(f"Unknown preset source '{source}'")


def _valid_limit(options: dict[str, Any], which: str) -> Optional[float]:
    """The manifest's ``valid_range`` (stored values) as NDVI, with the layer's scale and offset."""
    valid_range = options.get("valid_range")
    if not (isinstance(valid_range, list) and len(valid_range) == 2):
        return None
    stored = valid_range[0 if which == "min" else 1]
    if not isinstance(stored, (int, float)):
        return None
    scale = options.get("scale") if isinstance(options.get("scale"), (int, float)) else 1.0
    offset = options.get("offset") if isinstance(options.get("offset"), (int, float)) else 0.0
    return round(stored * scale + offset, 12)


def _mission_value(key: str, package: MissionPackage) -> Optional[str]:
    if key == "name":
        return package.name
    if key == "classification":
        return package.classification or None
    if key == "sources":
        titles = ", ".join(entry.display_name for entry in package.layers)
        return f"Mission package '{package.name}': {titles}" if titles else None
    value = package.manifest.get(key)
    return value if isinstance(value, str) else None


def _visible_layers(package: MissionPackage, project: QgsProject) -> list[str]:
    """Ids of the mission's visible layers in drawing order: the bottom of the layer tree first."""
    group = mission_group(package, project)
    if group is None:
        return []
    top_first = [node.layerId() for node in group.findLayers() if node.isVisible() and node.layer() is not None]
    return top_first[::-1]
