"""mew:coveragegaps — villages out of reach, ranked by risk, with the reasons."""

from __future__ import annotations

from contextlib import closing

from qgis.core import (
    QgsFeature,
    QgsFeatureSink,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterLayer,
    QgsProcessingParameterString,
)

from ..core.coverage_gaps import DEFAULT_WEIGHTS, DROUGHT_KINDS, GapSettings, RasterInput, rank_gaps
from ..core.errors import MewError
from ..qgis_compat import ProcessingFieldParameterDataType, ProcessingNumberParameterType, ProcessingSourceType
from .base import MewAlgorithm
from .convert import checked_features, extended_fields, pyproj_crs, python_date, python_number, request_in
from .coverage_io import parse_as_of, read_features

#: Output columns in order (name, type); only those the run produced are written.
GAP_FIELDS = (
    ("rank", "int"),
    ("score", "real"),
    ("reason", "text"),
    ("dist_cov_m", "real"),
    ("inc_recent", "real"),
    ("inc_before_rate", "real"),
    ("inc_trend", "real"),
    ("hotspot_value", "real"),
    ("drought_value", "real"),
    ("population", "real"),
    ("pts_incidents", "real"),
    ("pts_trend", "real"),
    ("pts_drought", "real"),
    ("pts_population", "real"),
    ("pts_distance", "real"),
)


class CoverageGapsAlgorithm(MewAlgorithm):
    """Ranks villages outside the coverage by incidents, their trend, drought, people and distance."""

    name_id = "coveragegaps"
    display = "Coverage gaps ranked by risk"
    group_name = "Patrol coverage"
    group_key = "coverage"
    TAGS = ("coverage", "gaps", "villages", "priority", "drought", "incidents", "patrols")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterFeatureSource(
            "VILLAGES", self.tr("Villages (points)"), [ProcessingSourceType.VectorPoint]))
        self.addParameter(QgsProcessingParameterField(
            "POPULATION_FIELD", self.tr("Village population field"), None, "VILLAGES",
            ProcessingFieldParameterDataType.Numeric, optional=True))
        self.addParameter(QgsProcessingParameterFeatureSource(
            "COVERAGE", self.tr("Coverage polygons (e.g. Patrol coverage's output; kind='covered' is used)"),
            [ProcessingSourceType.VectorPolygon]))
        self.addParameter(QgsProcessingParameterFeatureSource(
            "INCIDENTS", self.tr("Incidents (points)"), [ProcessingSourceType.VectorPoint], optional=True))
        self.addParameter(QgsProcessingParameterField(
            "INCIDENT_DATE_FIELD", self.tr("Incident date field"), None, "INCIDENTS", optional=True))
        self.addParameter(QgsProcessingParameterString(
            "AS_OF", self.tr("As of date (YYYY-MM-DD; empty = latest incident date)"), "", optional=True))
        self.addParameter(QgsProcessingParameterNumber(
            "RECENT_DAYS", self.tr("Recent incidents: days before AS_OF"), ProcessingNumberParameterType.Integer,
            180, minValue=1))
        self.addParameter(QgsProcessingParameterNumber(
            "INCIDENT_RADIUS", self.tr("Incidents counted within (metres)"), ProcessingNumberParameterType.Double,
            10000.0, minValue=1.0))
        self.addParameter(QgsProcessingParameterRasterLayer(
            "HOTSPOTS", self.tr("Hot-spot raster (density or Gi* z; used when no incidents are given)"),
            optional=True))
        self.addParameter(QgsProcessingParameterRasterLayer(
            "DROUGHT", self.tr("Drought raster"), optional=True))
        self.addParameter(QgsProcessingParameterEnum(
            "DROUGHT_KIND", self.tr("Drought raster holds"),
            [self.tr("VCI 0–100 (lower is drier)"), self.tr("Drought class codes (higher is worse)")],
            defaultValue=0))
        self.addParameter(QgsProcessingParameterNumber(
            "DISTANCE_SCALE", self.tr("Distance from coverage that scores fully (metres)"),
            ProcessingNumberParameterType.Double, 30000.0, minValue=1.0))
        for key in DEFAULT_WEIGHTS:
            self.addParameter(QgsProcessingParameterNumber(
                f"W_{key.upper()}", self.tr(f"Weight of {key}"), ProcessingNumberParameterType.Double,
                DEFAULT_WEIGHTS[key], minValue=0.0))
        self.addParameter(QgsProcessingParameterBoolean(
            "INCLUDE_COVERED", self.tr("Rank covered villages too"), False))
        self.addParameter(QgsProcessingParameterFeatureSink(
            "OUTPUT", self.tr("Coverage gaps ranked"), ProcessingSourceType.VectorPoint))

    def run_engine(self, parameters, context, feedback, progress):
        source = self.parameterAsSource(parameters, "VILLAGES", context)
        if source is None:
            raise MewError("Choose a villages layer (VILLAGES).")
        qgs_crs = source.sourceCrs()
        crs = pyproj_crs(qgs_crs, "villages layer")
        population_field = self.parameterAsString(parameters, "POPULATION_FIELD", context) or None
        date_field = self.parameterAsString(parameters, "INCIDENT_DATE_FIELD", context) or None
        villages, village_values = read_features(self, parameters, "VILLAGES", context, feedback, qgs_crs,
                                                 progress.sub(0, 0.1), (population_field,), points=True,
                                                 source=source)
        coverage_source = self.parameterAsSource(parameters, "COVERAGE", context)
        kind_field = "kind" if coverage_source.fields().lookupField("kind") >= 0 else None
        coverage, coverage_values = read_features(self, parameters, "COVERAGE", context, feedback, qgs_crs,
                                                  progress.sub(0.1, 0.15), (kind_field,), source=coverage_source)
        polygons = coverage.geometries
        if kind_field and any(v == "covered" for v in coverage_values[kind_field]):
            polygons = [g for g, v in zip(polygons, coverage_values[kind_field]) if v == "covered"]
        incidents, incident_values = read_features(self, parameters, "INCIDENTS", context, feedback, qgs_crs,
                                                   progress.sub(0.15, 0.3), (date_field,), points=True)
        settings = GapSettings(
            incident_radius_m=self.parameterAsDouble(parameters, "INCIDENT_RADIUS", context),
            recent_days=self.parameterAsInt(parameters, "RECENT_DAYS", context),
            as_of=parse_as_of(self.parameterAsString(parameters, "AS_OF", context)),
            weights={k: self.parameterAsDouble(parameters, f"W_{k.upper()}", context) for k in DEFAULT_WEIGHTS},
            distance_scale_m=self.parameterAsDouble(parameters, "DISTANCE_SCALE", context),
            include_covered=self.parameterAsBool(parameters, "INCLUDE_COVERED", context),
            drought_kind=DROUGHT_KINDS[self.parameterAsEnum(parameters, "DROUGHT_KIND", context)],
        )
        result = rank_gaps(
            crs,
            villages,
            polygons,
            settings,
            population=([python_number(v) for v in village_values[population_field]] if population_field
                        else None),
            incidents=incidents,
            incident_dates=([python_date(v) for v in incident_values[date_field]] if (incidents and date_field)
                            else None),
            hotspots=self._raster(parameters, "HOTSPOTS", context),
            drought=self._raster(parameters, "DROUGHT", context),
            progress=progress.sub(0.3, 0.95),
        )
        for warning in result.warnings:
            feedback.reportError(warning, fatalError=False)
        if result.as_of is not None:
            feedback.pushInfo(f"Recent incidents counted up to {result.as_of.isoformat()}.")
        feedback.pushInfo(f"{result.rows.size} villages ranked.")

        ours = [(name, kind) for name, kind in GAP_FIELDS if name in result.table]
        fields, kept = extended_fields(source.fields(), ours)
        sink, dest = self.parameterAsSink(parameters, "OUTPUT", context, fields, source.wkbType(), qgs_crs)
        request = request_in(source, qgs_crs, context)
        wanted = [villages.ids[int(r)] for r in result.rows]
        with closing(checked_features(source, request.setFilterFids(wanted), context, feedback,
                                      source.sourceName())) as read:
            features = {f.id(): f for f in read}
        for i, fid in enumerate(wanted):
            feature = features[fid]
            attributes = feature.attributes()
            values = [attributes[k] for k in kept]
            for name, kind in ours:
                value = result.table[name][i]
                if kind == "real":
                    value = float(value) if value == value else None
                elif kind == "int":
                    value = int(value)
                values.append(value)
            out = QgsFeature(fields)
            out.setGeometry(feature.geometry())
            out.setAttributes(values)
            sink.addFeature(out, QgsFeatureSink.Flag.FastInsert)
        del sink  # closes the file before it is styled
        self.apply_style(dest, "coverage_gaps", context)
        progress.step(1.0)
        return {"OUTPUT": dest}

    def _raster(self, parameters, key, context):
        layer = self.parameterAsRasterLayer(parameters, key, context)
        if layer is None:
            return None
        return RasterInput(layer.source(), pyproj_crs(layer.crs(), f"{key.lower()} raster"))
