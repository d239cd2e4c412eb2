"""mew:patrolcoverage — who is within reach of a base or a recent patrol, and since when."""

from __future__ import annotations

from typing import Any

from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..core.coverage import analyse_coverage
from ..core.coverage_types import CoverageSettings, parse_rings
from ..core.errors import MewError
from ..qgis_compat import WkbType
from .base import MewAlgorithm
from .convert import pyproj_crs, python_date, python_number
from .coverage_parameters import patrol_coverage_parameters
from .feature_io import (
    Carry,
    FeatureColumns,
    Geometry,
    ReadOptions,
    VectorOutput,
    carry_for,
    read_input,
    write_output,
)
from .parameters import parameter_as_date

#: Fields this algorithm adds to each village (replacing same-named input fields).
VILLAGE_FIELDS = (
    ("covered", "bool"),
    ("ring", "real"),
    ("dist_base_m", "real"),
    ("dist_patrol_m", "real"),
    ("days_since_patrol", "int"),
    ("nearest_base", "text"),
)
ZONE_FIELDS = (
    ("kind", "text"),
    ("label", "text"),
    ("distance_m", "real"),
    ("area_km2", "real"),
    ("as_of", "date"),
    ("window_days", "int"),
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
    display = QT_TRANSLATE_NOOP("MewAlgorithm", "Patrol coverage")
    group_name = QT_TRANSLATE_NOOP("MewAlgorithm", "Patrol coverage")
    group_key = "coverage"
    TAGS = ("patrols", "coverage", "buffer", "bases", "villages", "distance", "population")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_parameters(*patrol_coverage_parameters(self.tr))

    def run_engine(self, parameters, context, feedback, progress):
        # Each source is opened once: opening a layer from its path costs a noticeable fraction of a second.
        sources = {
            k: self.parameterAsSource(parameters, k, context) for k in ("VILLAGES", "BASES", "PATROLS", "INCIDENTS")
        }
        given = [k for k, source in sources.items() if source is not None]
        if not any(k in given for k in ("BASES", "PATROLS")):
            raise MewError("Give BASES, PATROLS, or both: there is nothing to measure coverage from.")
        qgs_crs = sources[given[0]].sourceCrs()
        crs = pyproj_crs(qgs_crs, f"{given[0].lower()} layer")
        radius_field, id_field, date_field, population_field = (
            self.parameterAsString(parameters, key, context) or None
            for key in ("BASE_RADIUS_FIELD", "BASE_ID_FIELD", "PATROL_DATE_FIELD", "POPULATION_FIELD")
        )
        reading = progress.sub(0.0, 0.15)

        def read(key, share, fields=(), geometry=Geometry.POINTS, carry=Carry.NONE) -> FeatureColumns | None:
            options = ReadOptions(geometry, fields, qgs_crs, carry, reading.sub(*share), refuse_empty=True)
            return read_input(self, parameters, key, context, feedback, options, sources[key])

        bases = read("BASES", (0, 0.1), (radius_field, id_field))
        patrols = read("PATROLS", (0.1, 0.4), (date_field,), Geometry.SHAPES)
        villages = read(
            "VILLAGES",
            (0.4, 0.7),
            (population_field,),
            carry=carry_for(parameters, "OUTPUT_VILLAGES", sources["VILLAGES"]),
        )
        incidents = read("INCIDENTS", (0.7, 1.0))

        base_radius: Any = self.parameterAsDouble(parameters, "BASE_RADIUS", context)
        if bases is not None and radius_field:
            base_radius = [python_number(v) for v in bases.columns[radius_field]]
        raster = self.parameterAsRasterLayer(parameters, "POPULATION", context)
        settings = CoverageSettings(
            base_radius=base_radius,
            patrol_distance=self.parameterAsDouble(parameters, "PATROL_DISTANCE", context),
            patrol_dates=(
                [python_date(v) for v in patrols.columns[date_field]] if (patrols is not None and date_field) else None
            ),
            as_of=parameter_as_date(self, parameters, "AS_OF", context),
            window_days=self.parameterAsInt(parameters, "WINDOW_DAYS", context),
            rings=parse_rings(self.parameterAsString(parameters, "RINGS", context)),
            population=(
                [python_number(v) for v in villages.columns[population_field]]
                if (villages is not None and population_field)
                else None
            ),
            population_raster=raster.source() if raster is not None else None,
            population_raster_crs=pyproj_crs(raster.crs(), "population raster") if raster is not None else None,
            patrol_segments=self.parameterAsInt(parameters, "PATROL_SEGMENTS", context),
        )
        outputs: dict[str, Any] = {}

        def write_villages(measured) -> None:  # while the zones are still being built
            if villages is None or parameters.get("OUTPUT_VILLAGES") is None:
                return
            base_names = None
            if bases is not None:
                names = bases.columns[id_field] if id_field else bases.ids.tolist()
                base_names = [str(names[int(row)]) for row in measured.base_rows]
            dest = write_output(
                self,
                parameters,
                context,
                VectorOutput(
                    "OUTPUT_VILLAGES",
                    "Villages with coverage",
                    VILLAGE_FIELDS,
                    measured.per_input_village(len(villages), base_names),
                    crs=qgs_crs,
                    carried=villages,
                ),
            )
            if dest is not None:
                outputs["OUTPUT_VILLAGES"] = dest

        result = analyse_coverage(
            crs,
            *(None if t is None else t.features() for t in (bases, patrols, villages, incidents)),
            settings,
            progress.sub(0.15, 0.95),
            points_measured=write_villages,
        )
        for warning in result.warnings:
            feedback.reportError(warning, fatalError=False)
        self.record_period("patrol dates", *result.patrol_period)
        if result.as_of is not None:
            feedback.pushInfo(self.tr("Patrol dates counted up to {}.").format(result.as_of.isoformat()))

        zones = sorted(result.zones, key=lambda z: -z.area_km2)  # largest first: the nearer rings draw on top
        zone_columns = [
            [z.kind for z in zones],
            [z.label for z in zones],
            [z.distance_m for z in zones],
            [z.area_km2 for z in zones],
            [result.as_of] * len(zones),
            [settings.window_days or None] * len(zones),
        ]
        outputs["OUTPUT_COVERAGE"] = write_output(
            self,
            parameters,
            context,
            VectorOutput(
                "OUTPUT_COVERAGE",
                "Coverage (dissolved, per ring)",
                ZONE_FIELDS,
                zone_columns,
                WkbType.MultiPolygon,
                qgs_crs,
                shapes=[z.geometry for z in zones],
            ),
        )
        self.apply_style(outputs["OUTPUT_COVERAGE"], "coverage_zones", context)
        if "OUTPUT_VILLAGES" in outputs:
            self.apply_style(outputs["OUTPUT_VILLAGES"], "coverage_villages", context)
        summary = write_output(
            self,
            parameters,
            context,
            VectorOutput(
                "OUTPUT_SUMMARY",
                "Coverage summary",
                SUMMARY_FIELDS,
                [[row[name] for row in result.summary] for name, _ in SUMMARY_FIELDS],
            ),
        )
        if summary is not None:
            outputs["OUTPUT_SUMMARY"] = summary
        for row in result.summary:
            feedback.pushInfo(result.describe(row))
        progress.step(1.0)
        return outputs
