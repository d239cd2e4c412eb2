"""mew:patrolvalidation — were the predicted areas patrolled, how soon after the forecast, and confirmed?"""

from __future__ import annotations

from typing import Any

from qgis.core import QgsProcessingOutputNumber
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..core.errors import MewError
from ..core.evaluation_window import Window
from ..core.patrol_validation import PatrolReports, confirmation, validate_patrols
from ..qgis_compat import WkbType
from .base import MewAlgorithm
from .convert import pyproj_crs, python_date, qvariant_to_python
from .feature_io import Carry, Geometry, ReadOptions, VectorOutput, carry_for, read_input, write_output
from .forecast_parameters import patrol_validation_parameters
from .parameters import parameter_as_date

#: The summary's statuses (codes of the output tables) as the log says them.
SUMMARY_WORDS = {
    "visited and confirmed": QT_TRANSLATE_NOOP("MewAlgorithm", "visited and confirmed"),
    "visited, not confirmed": QT_TRANSLATE_NOOP("MewAlgorithm", "visited, not confirmed"),
    "not visited": QT_TRANSLATE_NOOP("MewAlgorithm", "not visited"),
    "visited (all)": QT_TRANSLATE_NOOP("MewAlgorithm", "visited (all)"),
    "total": QT_TRANSLATE_NOOP("MewAlgorithm", "total"),
}
AREA_FIELDS = (
    ("status", "text"),
    ("first_visit", "date"),
    ("days_to_first_visit", "int"),
    ("patrol_days", "int"),
    ("confirming_reports", "int"),
    ("people", "real"),
)
SUMMARY_FIELDS = (
    ("status", "text"),
    ("areas", "int"),
    ("areas_share", "real"),
    ("mean_days_to_first_visit", "real"),
    ("people", "real"),
)


class PatrolValidationAlgorithm(MewAlgorithm):
    """Classifies predicted areas by the patrols of a window: visited and confirmed, visited, or not visited."""

    name_id = "patrolvalidation"
    display = QT_TRANSLATE_NOOP("MewAlgorithm", "Patrol validation of a forecast")
    group_name = QT_TRANSLATE_NOOP("MewAlgorithm", "Patrol coverage")
    group_key = "coverage"
    TAGS = ("patrols", "forecast", "validation", "visited", "confirmed", "hotspots", "response", "days")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_parameters(*patrol_validation_parameters(self.tr))
        self.addOutput(QgsProcessingOutputNumber("VISITED_SHARE", self.tr("Share of predicted areas visited")))
        self.addOutput(QgsProcessingOutputNumber("PEOPLE_NOT_REACHED", self.tr("People in areas never visited")))

    def run_engine(self, parameters, context, feedback, progress) -> dict[str, Any]:
        start = parameter_as_date(self, parameters, "START", context)
        end = parameter_as_date(self, parameters, "END", context)
        if start is None or end is None:
            raise MewError("Give START and END: the window the patrols are judged on.")
        window = Window(start, end)
        source = self.parameterAsSource(parameters, "AREAS", context)
        if source is None:
            raise MewError("The AREAS layer could not be opened.")
        qgs_crs = source.sourceCrs()
        crs = pyproj_crs(qgs_crs, "AREAS layer")
        patrol_date, report_date, confirmed = (
            self.parameterAsString(parameters, key, context) or None
            for key in ("PATROL_DATE_FIELD", "REPORT_DATE_FIELD", "CONFIRMED_FIELD")
        )
        reading = progress.sub(0.0, 0.2)

        def read(key, share, geometry=Geometry.SHAPES, fields=(), carry=Carry.NONE):
            options = ReadOptions(geometry, fields, qgs_crs, carry, reading.sub(*share), True)
            return read_input(self, parameters, key, context, feedback, options, source if key == "AREAS" else None)

        areas = read("AREAS", (0.0, 0.3), carry=carry_for(parameters, "OUTPUT_AREAS", source))
        patrols = read("PATROLS", (0.3, 0.8), fields=(patrol_date,))
        reports_table = read("REPORTS", (0.8, 1.0), Geometry.POINTS, (report_date, confirmed))
        reports = None
        if reports_table is not None:
            if not report_date or not confirmed:
                raise MewError("Patrol reports need REPORT_DATE_FIELD and CONFIRMED_FIELD: choose both fields.")
            answers = [confirmation(qvariant_to_python(v)) for v in reports_table.columns[confirmed]]
            unreadable = sum(1 for a in answers if a is None)
            if unreadable:
                feedback.reportError(
                    self.tr("{} report(s) say neither yes nor no in '{}': they do not confirm.").format(
                        unreadable, confirmed
                    ),
                    fatalError=False,
                )
            reports = PatrolReports(
                reports_table.xy, [python_date(v) for v in reports_table.columns[report_date]], answers
            )
        raster = self.parameterAsRasterLayer(parameters, "POPULATION", context)
        result = validate_patrols(
            crs,
            areas.features(),
            patrols.features(),
            [python_date(v) for v in patrols.columns[patrol_date]],
            window,
            self.parameterAsDouble(parameters, "PATROL_DISTANCE", context),
            reports,
            raster.source() if raster is not None else None,
            pyproj_crs(raster.crs(), "population raster") if raster is not None else None,
            progress.sub(0.2, 0.9),
        )
        for warning in result.warnings:
            feedback.reportError(warning, fatalError=False)
        self.record_period("patrol window", window.start, window.end)
        outputs: dict[str, Any] = {}
        dest = write_output(
            self,
            parameters,
            context,
            VectorOutput(
                "OUTPUT_AREAS",
                "Predicted areas with patrol visits",
                AREA_FIELDS,
                [
                    result.status,
                    result.first_visit,
                    result.days_to_first_visit,
                    result.patrol_days,
                    result.confirming_reports,
                    result.people,
                ],
                WkbType.MultiPolygon,
                qgs_crs,
                carried=areas,
            ),
        )
        if dest is not None:
            outputs["OUTPUT_AREAS"] = dest
            self.apply_style(dest, "patrol_validation", context)
        summary = write_output(
            self,
            parameters,
            context,
            VectorOutput(
                "OUTPUT_SUMMARY",
                "Patrol validation summary",
                SUMMARY_FIELDS,
                [[row[name] for row in result.summary] for name, _ in SUMMARY_FIELDS],
            ),
        )
        if summary is not None:
            outputs["OUTPUT_SUMMARY"] = summary
        visited = next(row for row in result.summary if row["status"] == "visited (all)")
        outputs["VISITED_SHARE"] = visited["areas_share"]
        outputs["PEOPLE_NOT_REACHED"] = result.people_never_reached
        for row in result.summary:
            status = self.tr(SUMMARY_WORDS.get(row["status"], row["status"]))
            feedback.pushInfo(self.tr("{}: {} area(s)").format(status, row["areas"]))
        progress.step(1.0)
        return outputs
