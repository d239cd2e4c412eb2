"""mew:coveragegaps — villages out of reach, ranked by risk, with the reasons."""

from __future__ import annotations

from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..core.coverage_gaps import DEFAULT_WEIGHTS, GapSettings, RasterInput, rank_gaps
from ..core.errors import MewError
from .base import MewAlgorithm
from .convert import pyproj_crs, python_date, python_number
from .coverage_parameters import coverage_gaps_parameters
from .feature_io import FeatureColumns, Geometry, ReadOptions, VectorOutput, carry_for, read_input, write_output
from .parameters import parameter_as_choice, parameter_as_date

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
    display = QT_TRANSLATE_NOOP("MewAlgorithm", "Coverage gaps ranked by risk")
    group_name = QT_TRANSLATE_NOOP("MewAlgorithm", "Patrol coverage")
    group_key = "coverage"
    TAGS = ("coverage", "gaps", "villages", "priority", "drought", "incidents", "patrols")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_parameters(*coverage_gaps_parameters(self.tr))

    def run_engine(self, parameters, context, feedback, progress):
        source = self.parameterAsSource(parameters, "VILLAGES", context)
        if source is None:
            raise MewError("Choose a villages layer (VILLAGES).")
        qgs_crs = source.sourceCrs()
        crs = pyproj_crs(qgs_crs, "villages layer")
        population_field = self.parameterAsString(parameters, "POPULATION_FIELD", context) or None
        date_field = self.parameterAsString(parameters, "INCIDENT_DATE_FIELD", context) or None

        def read(key, options: ReadOptions, opened=None) -> FeatureColumns | None:
            return read_input(self, parameters, key, context, feedback, options, opened)

        villages = read(
            "VILLAGES",
            ReadOptions(
                Geometry.POINTS,
                (population_field,),
                qgs_crs,
                carry_for(parameters, "OUTPUT", source),
                progress.sub(0, 0.1),
                refuse_empty=True,
            ),
            source,
        )
        coverage_source = self.parameterAsSource(parameters, "COVERAGE", context)
        kind_field = "kind" if coverage_source.fields().lookupField("kind") >= 0 else None
        coverage = read(
            "COVERAGE",
            ReadOptions(Geometry.SHAPES, (kind_field,), qgs_crs, progress=progress.sub(0.1, 0.15), refuse_empty=True),
            coverage_source,
        )
        polygons = coverage.shapes
        if kind_field and any(v == "covered" for v in coverage.columns[kind_field]):
            polygons = [g for g, v in zip(polygons, coverage.columns[kind_field]) if v == "covered"]
        incidents = read(
            "INCIDENTS",
            ReadOptions(Geometry.POINTS, (date_field,), qgs_crs, progress=progress.sub(0.15, 0.3), refuse_empty=True),
        )
        settings = GapSettings(
            incident_radius_m=self.parameterAsDouble(parameters, "INCIDENT_RADIUS", context),
            recent_days=self.parameterAsInt(parameters, "RECENT_DAYS", context),
            as_of=parameter_as_date(self, parameters, "AS_OF", context),
            weights={k: self.parameterAsDouble(parameters, f"W_{k.upper()}", context) for k in DEFAULT_WEIGHTS},
            distance_scale_m=self.parameterAsDouble(parameters, "DISTANCE_SCALE", context),
            include_covered=self.parameterAsBool(parameters, "INCLUDE_COVERED", context),
            drought_kind=parameter_as_choice(self, parameters, "DROUGHT_KIND", context),
        )
        result = rank_gaps(
            crs,
            villages.features(),
            polygons,
            settings,
            population=([python_number(v) for v in villages.columns[population_field]] if population_field else None),
            incidents=incidents.features() if incidents is not None else None,
            incident_dates=(
                [python_date(v) for v in incidents.columns[date_field]]
                if (incidents is not None and date_field)
                else None
            ),
            hotspots=self._raster(parameters, "HOTSPOTS", context),
            drought=self._raster(parameters, "DROUGHT", context),
            progress=progress.sub(0.3, 0.95),
        )
        for warning in result.warnings:
            feedback.reportError(warning, fatalError=False)
        if result.as_of is not None:
            feedback.pushInfo(self.tr("Recent incidents counted up to {}.").format(result.as_of.isoformat()))
        feedback.pushInfo(self.tr("{} villages ranked.").format(result.rows.size))

        ours = [(name, kind) for name, kind in GAP_FIELDS if name in result.table]
        dest = write_output(
            self,
            parameters,
            context,
            VectorOutput(
                "OUTPUT",
                "Coverage gaps ranked",
                ours,
                [result.table[name] for name, _ in ours],
                crs=qgs_crs,
                carried=villages,
                carried_rows=result.rows,
            ),
        )
        self.apply_style(dest, "coverage_gaps", context)
        progress.step(1.0)
        return {"OUTPUT": dest}

    def _raster(self, parameters, key, context):
        layer = self.parameterAsRasterLayer(parameters, key, context)
        if layer is None:
            return None
        return RasterInput(layer.source(), pyproj_crs(layer.crs(), f"{key.lower()} raster"))
