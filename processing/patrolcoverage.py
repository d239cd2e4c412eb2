"""mew:patrolcoverage — who is within reach of a base or a recent patrol, and since when."""

from __future__ import annotations

from contextlib import closing
from typing import Any

import numpy as np
from qgis.core import (
    QgsFeature,
    QgsFeatureSink,
    QgsGeometry,
    QgsPointXY,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterLayer,
    QgsProcessingParameterString,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QDate

from ..core import gpkg
from ..core.coverage import CoverageSettings, analyse_coverage, parse_rings
from ..core.errors import MewError
from ..qgis_compat import (
    CrsWktVariant,
    ProcessingFieldParameterDataType,
    ProcessingNumberParameterType,
    ProcessingSourceType,
    WkbType,
    field_kind,
    make_fields,
)
from .base import MewAlgorithm, direct_geopackage_path, register_output
from .convert import (
    checked_features,
    extended_fields,
    pyproj_crs,
    python_date,
    python_number,
    request_in,
)
from .coverage_io import parse_as_of, read_features

#: Fields this algorithm adds to each village (replacing same-named input fields).
VILLAGE_FIELDS = (
    ("covered", "bool"),
    ("ring", "real"),
    ("dist_base_m", "real"),
    ("dist_patrol_m", "real"),
    ("days_since_patrol", "int"),
    ("nearest_base", "text"),
)
SUMMARY_FIELDS = (
    ("zone", "text"),
    ("label", "text"),
    ("distance_m", "real"),
    ("villages", "int"),
    ("villages_share", "real"),
    ("people_field", "real"),
    ("people_field_share", "real"),
    ("people_raster", "real"),
    ("people_raster_share", "real"),
    ("incidents", "int"),
    ("incidents_share", "real"),
)


class PatrolCoverageAlgorithm(MewAlgorithm):
    """Buffers bases and patrol tracks in metres and measures villages, people and incidents against them."""

    name_id = "patrolcoverage"
    display = "Patrol coverage"
    group_name = "Patrol coverage"
    group_key = "coverage"
    TAGS = ("patrols", "coverage", "buffer", "bases", "villages", "distance", "population")

    def initAlgorithm(self, config=None):  # noqa: N802
        optional = {"optional": True}
        self.addParameter(QgsProcessingParameterFeatureSource(
            "BASES", self.tr("Bases (points)"), [ProcessingSourceType.VectorPoint], **optional))
        self.addParameter(QgsProcessingParameterField(
            "BASE_RADIUS_FIELD", self.tr("Per-base reach field (metres)"), None, "BASES",
            ProcessingFieldParameterDataType.Numeric, **optional))
        self.addParameter(QgsProcessingParameterNumber(
            "BASE_RADIUS", self.tr("Base reach (metres, when no field)"), ProcessingNumberParameterType.Double,
            10000.0, minValue=0.0))
        self.addParameter(QgsProcessingParameterField(
            "BASE_ID_FIELD", self.tr("Base name/id field"), None, "BASES", **optional))
        self.addParameter(QgsProcessingParameterFeatureSource(
            "PATROLS", self.tr("Patrol tracks (lines; GPX accepted)"), [ProcessingSourceType.VectorLine], **optional))
        self.addParameter(QgsProcessingParameterNumber(
            "PATROL_DISTANCE", self.tr("Patrol reach either side of the track (metres)"),
            ProcessingNumberParameterType.Double, 2000.0, minValue=0.0))
        self.addParameter(QgsProcessingParameterField(
            "PATROL_DATE_FIELD", self.tr("Patrol date field"), None, "PATROLS", **optional))
        self.addParameter(QgsProcessingParameterString(
            "AS_OF", self.tr("As of date (YYYY-MM-DD; empty = latest patrol date)"), "", **optional))
        self.addParameter(QgsProcessingParameterNumber(
            "WINDOW_DAYS", self.tr("Patrols count for (days before AS_OF; 0 = all)"),
            ProcessingNumberParameterType.Integer, 0, minValue=0))
        self.addParameter(QgsProcessingParameterString(
            "RINGS", self.tr("Graded reach rings (metres, comma list, e.g. 5000,10000,20000)"), "", **optional))
        self.addParameter(QgsProcessingParameterFeatureSource(
            "VILLAGES", self.tr("Villages (points)"), [ProcessingSourceType.VectorPoint], **optional))
        self.addParameter(QgsProcessingParameterField(
            "POPULATION_FIELD", self.tr("Village population field"), None, "VILLAGES",
            ProcessingFieldParameterDataType.Numeric, **optional))
        self.addParameter(QgsProcessingParameterRasterLayer(
            "POPULATION", self.tr("Population raster (people per pixel)"), **optional))
        self.addParameter(QgsProcessingParameterFeatureSource(
            "INCIDENTS", self.tr("Incidents (points)"), [ProcessingSourceType.VectorPoint], **optional))
        segments = QgsProcessingParameterNumber(
            "PATROL_SEGMENTS", self.tr("Segments per quarter circle of track buffers"),
            ProcessingNumberParameterType.Integer, 8, minValue=1, maxValue=64)
        segments.setFlags(segments.flags() | segments.FlagAdvanced)
        self.addParameter(segments)
        self.addParameter(QgsProcessingParameterFeatureSink(
            "OUTPUT_COVERAGE", self.tr("Coverage (dissolved, per ring)"), ProcessingSourceType.VectorPolygon))
        self.addParameter(QgsProcessingParameterFeatureSink(
            "OUTPUT_VILLAGES", self.tr("Villages with coverage"), ProcessingSourceType.VectorPoint, optional=True))
        self.addParameter(QgsProcessingParameterFeatureSink(
            "OUTPUT_SUMMARY", self.tr("Coverage summary"), ProcessingSourceType.Vector, optional=True))

    def run_engine(self, parameters, context, feedback, progress):
        # Each source is opened once: opening a layer from its path costs a noticeable fraction of a second.
        sources = {k: self.parameterAsSource(parameters, k, context) for k in ("VILLAGES", "BASES", "PATROLS",
                                                                               "INCIDENTS")}
        given = [k for k, source in sources.items() if source is not None]
        if not any(k in given for k in ("BASES", "PATROLS")):
            raise MewError("Give BASES, PATROLS, or both: there is nothing to measure coverage from.")
        qgs_crs = sources[given[0]].sourceCrs()
        crs = pyproj_crs(qgs_crs, f"{given[0].lower()} layer")

        radius_field = self.parameterAsString(parameters, "BASE_RADIUS_FIELD", context) or None
        id_field = self.parameterAsString(parameters, "BASE_ID_FIELD", context) or None
        date_field = self.parameterAsString(parameters, "PATROL_DATE_FIELD", context) or None
        population_field = self.parameterAsString(parameters, "POPULATION_FIELD", context) or None
        reading = progress.sub(0.0, 0.15)
        bases, base_values = read_features(self, parameters, "BASES", context, feedback, qgs_crs,
                                           reading.sub(0, 0.1), (radius_field, id_field), points=True,
                                           source=sources["BASES"])
        patrols, patrol_values = read_features(self, parameters, "PATROLS", context, feedback, qgs_crs,
                                               reading.sub(0.1, 0.4), (date_field,), source=sources["PATROLS"])
        villages_source = sources["VILLAGES"]
        write_villages_output = parameters.get("OUTPUT_VILLAGES") is not None
        bulk_villages = (write_villages_output and villages_source is not None
                         and direct_geopackage_path(parameters, "OUTPUT_VILLAGES") is not None
                         and _bulk_field_kinds(villages_source.fields()) is not None)
        villages, village_values = read_features(self, parameters, "VILLAGES", context, feedback, qgs_crs,
                                                 reading.sub(0.4, 0.7), (population_field,), points=True,
                                                 keep=("columns" if bulk_villages else "rows")
                                                 if write_villages_output else None, source=villages_source)
        incidents, _ = read_features(self, parameters, "INCIDENTS", context, feedback, qgs_crs,
                                     reading.sub(0.7, 1.0), points=True, source=sources["INCIDENTS"])

        base_radius: Any = self.parameterAsDouble(parameters, "BASE_RADIUS", context)
        if bases is not None and radius_field:
            base_radius = [python_number(v) for v in base_values[radius_field]]
        raster = self.parameterAsRasterLayer(parameters, "POPULATION", context)
        settings = CoverageSettings(
            base_radius=base_radius,
            patrol_distance=self.parameterAsDouble(parameters, "PATROL_DISTANCE", context),
            patrol_dates=[python_date(v) for v in patrol_values[date_field]] if (patrols and date_field) else None,
            as_of=parse_as_of(self.parameterAsString(parameters, "AS_OF", context)),
            window_days=self.parameterAsInt(parameters, "WINDOW_DAYS", context),
            rings=parse_rings(self.parameterAsString(parameters, "RINGS", context)),
            population=([python_number(v) for v in village_values[population_field]]
                        if (villages and population_field) else None),
            population_raster=raster.source() if raster is not None else None,
            population_raster_crs=pyproj_crs(raster.crs(), "population raster") if raster is not None else None,
            patrol_segments=self.parameterAsInt(parameters, "PATROL_SEGMENTS", context),
        )
        outputs: dict[str, Any] = {}

        def write_villages(measured) -> None:  # while the zones are still being built
            if villages is None or not write_villages_output:
                return
            base_names = None
            if bases is not None:
                names = base_values[id_field] if id_field else bases.ids
                base_names = [str(names[int(row)]) for row in measured.base_rows]
            dest = self._write_villages(parameters, context, villages_source, qgs_crs, villages, village_values,
                                        measured, base_names)
            if dest is not None:
                outputs["OUTPUT_VILLAGES"] = dest

        result = analyse_coverage(crs, bases, patrols, villages, incidents, settings, progress.sub(0.15, 0.95),
                                  points_measured=write_villages)
        for warning in result.warnings:
            feedback.reportError(warning, fatalError=False)
        if result.as_of is not None:
            feedback.pushInfo(f"Patrol dates counted up to {result.as_of.isoformat()}.")

        outputs["OUTPUT_COVERAGE"] = self._write_zones(parameters, context, qgs_crs, result, settings)
        self.apply_style(outputs["OUTPUT_COVERAGE"], "coverage_zones", context)
        if "OUTPUT_VILLAGES" in outputs:
            self.apply_style(outputs["OUTPUT_VILLAGES"], "coverage_villages", context)
        if parameters.get("OUTPUT_SUMMARY") is not None:
            dest = self._write_summary(parameters, context, result)
            if dest is not None:
                outputs["OUTPUT_SUMMARY"] = dest
        for row in result.summary:
            feedback.pushInfo(_describe(row))
        progress.step(1.0)
        return outputs

    def _write_zones(self, parameters, context, qgs_crs, result, settings):
        fields = make_fields([("kind", "text"), ("label", "text"), ("distance_m", "real"), ("area_km2", "real"),
                              ("as_of", "date"), ("window_days", "int")])
        sink, dest = self.parameterAsSink(parameters, "OUTPUT_COVERAGE", context, fields,
                                          WkbType.MultiPolygon, qgs_crs)
        # Largest zone first so the smaller (nearer) rings draw on top.
        for zone in sorted(result.zones, key=lambda z: -z.area_km2):
            feature = QgsFeature(fields)
            if zone.geometry is not None:
                geometry = QgsGeometry()
                geometry.fromWkb(zone.geometry.wkb)
                feature.setGeometry(QgsGeometry.collectGeometry([geometry]) if not geometry.isMultipart()
                                    else geometry)
            feature.setAttributes([zone.kind, zone.label, zone.distance_m, zone.area_km2,
                                   QDate(result.as_of) if result.as_of else None, settings.window_days or None])
            sink.addFeature(feature, QgsFeatureSink.Flag.FastInsert)
        return dest

    def _write_villages(self, parameters, context, source, qgs_crs, villages, values, result, base_names):
        table = values.get("__table__")
        if table is not None:
            return self._write_villages_in_bulk(parameters, context, source, qgs_crs, villages, table, result,
                                                base_names)
        fields, kept = extended_fields(source.fields(), VILLAGE_FIELDS)
        sink, dest = self.parameterAsSink(parameters, "OUTPUT_VILLAGES", context, fields, source.wkbType(), qgs_crs)
        if sink is None:
            return None
        table = result.villages
        measured = _measured_row(len(villages), result.village_rows)
        covered = table["covered"].tolist()
        columns = [[_num(v) for v in table[key].tolist()] for key in ("ring", "dist_base_m", "dist_patrol_m")]
        days = [None if v != v else int(v) for v in table["days_since_patrol"].tolist()]
        nearest = table["nearest_base"].tolist()
        multipart = QgsWkbTypes.isMultiType(source.wkbType())
        geometries = None
        if multipart:  # rare: keep the original multi-point geometries
            request = request_in(source, qgs_crs, context)
            request.setNoAttributes()
            with closing(checked_features(source, request, context, None, source.sourceName())) as read:
                geometries = {f.id(): f.geometry() for f in read}
        batch = []
        for row, (fid, attributes) in enumerate(zip(villages.ids, values["__rows__"])):
            out = QgsFeature(fields)
            x, y = villages.xy[row]
            if geometries is not None:
                out.setGeometry(geometries[fid])
            elif x == x:
                out.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(x, y)))
            i = measured[row]
            record = [attributes[k] for k in kept]
            if i < 0:
                record += [None] * len(VILLAGE_FIELDS)
            else:
                record += [covered[i], columns[0][i], columns[1][i], columns[2][i], days[i],
                           None if (base_names is None or nearest[i] < 0) else base_names[nearest[i]]]
            out.setAttributes(record)
            batch.append(out)
            if len(batch) >= 5000:
                sink.addFeatures(batch, QgsFeatureSink.Flag.FastInsert)
                batch = []
        sink.addFeatures(batch, QgsFeatureSink.Flag.FastInsert)
        return dest

    def _write_villages_in_bulk(self, parameters, context, source, qgs_crs, villages, table, result, base_names):
        """The villages to a GeoPackage file in one go (:mod:`core.gpkg`): input columns, then the measures."""
        path = direct_geopackage_path(parameters, "OUTPUT_VILLAGES")
        input_fields = _bulk_field_kinds(source.fields())
        measured = _measured_row(len(villages), result.village_rows)
        missing = measured < 0
        added = {name for name, _ in VILLAGE_FIELDS}
        # GDAL shows a GeoPackage's id column as a field; it stays the id column here.
        fid_name = "fid" if any(name.lower() == "fid" for name, _ in input_fields) else None
        fields = [(name, kind) for name, kind in input_fields if name not in added and name != fid_name]
        columns = [table.columns[name] for name, _ in fields]
        table_out = result.villages

        def per_village(values: np.ndarray, kind=None) -> list:
            column = values[measured]
            unknown = missing.copy()
            if column.dtype.kind == "f":
                unknown |= ~np.isfinite(column)
                if kind is int:
                    column = np.where(unknown, 0, column).astype(np.int64)
            column = column.astype(object)
            column[unknown] = None
            return column.tolist()

        names = np.array([*(base_names or []), None], dtype=object)  # index -1: no base
        fields += VILLAGE_FIELDS
        columns += [
            per_village(table_out["covered"]),
            per_village(table_out["ring"]),
            per_village(table_out["dist_base_m"]),
            per_village(table_out["dist_patrol_m"]),
            per_village(table_out["days_since_patrol"], int),
            per_village(names[table_out["nearest_base"]]),
        ]
        gpkg.write_points(path, qgs_crs.toWkt(CrsWktVariant.Preferred), fields, villages.xy,
                          columns, fids=table.fids if fid_name else None)
        register_output(parameters, context, path, self.tr("Villages with coverage"), "OUTPUT_VILLAGES")
        return path

    def _write_summary(self, parameters, context, result):
        fields = make_fields(SUMMARY_FIELDS)
        sink, dest = self.parameterAsSink(parameters, "OUTPUT_SUMMARY", context, fields, WkbType.NoGeometry)
        if sink is None:
            return None
        for row in result.summary:
            feature = QgsFeature(fields)
            feature.setAttributes([_num(row[name]) if kind == "real" else row[name]
                                   for name, kind in SUMMARY_FIELDS])
            sink.addFeature(feature, QgsFeatureSink.Flag.FastInsert)
        return dest


def _bulk_field_kinds(fields) -> list[tuple[str, str]] | None:
    """(name, kind) of each field for :mod:`core.gpkg`, or None when one has a type it does not write."""
    kinds = [(field.name(), field_kind(field)) for field in fields]
    return None if any(kind not in gpkg.FIELD_TYPES for _, kind in kinds) else kinds


def _measured_row(count: int, village_rows: np.ndarray) -> np.ndarray:
    """For each input village, its row in the engine's village table (-1: not measured, e.g. no geometry)."""
    measured = np.full(count, -1, dtype=np.int64)
    measured[village_rows] = np.arange(village_rows.size)
    return measured


def _finite(value) -> bool:
    return value is not None and value == value and value not in (float("inf"), float("-inf"))


def _num(value):
    return float(value) if _finite(value) else None


def _describe(row: dict[str, Any]) -> str:
    parts = [f"{row['label']}:"]
    if row["villages"] is not None:
        parts.append(f"{row['villages']} villages ({100 * (row['villages_share'] or 0):.1f} %)")
    if row["people_field"] is not None:
        parts.append(f"{row['people_field']:,.0f} people (field)")
    if row["people_raster"] is not None:
        parts.append(f"{row['people_raster']:,.0f} people (raster)")
    if row["incidents"] is not None:
        parts.append(f"{row['incidents']} incidents ({100 * (row['incidents_share'] or 0):.1f} %)")
    return " ".join(parts)
