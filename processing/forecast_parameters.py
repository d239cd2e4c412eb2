"""The parameters of mew:forecastaccuracy and mew:patrolvalidation, as their dialogs show them."""

from __future__ import annotations

from qgis.core import QgsProcessingParameterDefinition

from ..qgis_compat import ProcessingSourceType
from .parameters import date, feature_sink, feature_source, field, file_destination, number, raster_layer


def evaluation_window(tr) -> list[QgsProcessingParameterDefinition]:
    """START and END of the window a forecast is judged on."""
    return [
        date(
            "START",
            tr("Evaluation window start (the forecast date)"),
            help=tr("The first day the forecast was meant for, included."),
        ),
        date(
            "END",
            tr("Evaluation window end"),
            help=tr("The last day the forecast was meant for, included."),
        ),
    ]


def forecast_accuracy_parameters(tr) -> list[QgsProcessingParameterDefinition]:
    """mew:forecastaccuracy's parameters, in the dialog's order."""
    polygons = ProcessingSourceType.VectorPolygon
    return [
        feature_source(
            "FORECAST",
            tr("Forecast areas (polygons)"),
            polygons,
            help=tr(
                "The areas predicted to see incidents: e.g. the hot spot cells of Hot spots or Emerging hot spots "
                "(select them first and tick 'Selected features only'), or any predicted areas."
            ),
        ),
        field(
            "RANK_FIELD",
            tr("Rank field (higher = more at risk)"),
            "FORECAST",
            numeric=True,
            optional=True,
            help=tr(
                "Orders the forecast areas for the hit-rate curve, e.g. the Gi z-score or a risk score. Areas "
                "with the same value enter the curve together. Empty: all areas as one group."
            ),
        ),
        feature_source(
            "INCIDENTS",
            tr("Incidents (points)"),
            ProcessingSourceType.VectorPoint,
            help=tr("The incidents that happened, with their dates."),
        ),
        field(
            "DATE_FIELD",
            tr("Incident date field"),
            "INCIDENTS",
            help=tr("The field holding each incident's date: a date, a date and time, or text such as 2026-10-31."),
        ),
        *evaluation_window(tr),
        feature_source(
            "STUDY_AREA",
            tr("Study area (polygons)"),
            polygons,
            help=tr(
                "The area the forecast was made for (e.g. the area of operations). Incidents outside it are "
                "not counted."
            ),
        ),
        feature_source(
            "BASELINE",
            tr("Baseline forecast to compare with (polygons)"),
            polygons,
            optional=True,
            advanced=True,
            help=tr(
                "Another forecast to compare with. Empty: 'where it happened last time', the cells with the "
                "most incidents in the window of the same length just before START, over the same area."
            ),
        ),
        feature_sink(
            "OUTPUT_MEASURES",
            tr("Forecast accuracy (hit rate, PAI, PEI, RRI)"),
            ProcessingSourceType.Vector,
            help=tr("One row for the forecast and one for the baseline."),
        ),
        feature_sink(
            "OUTPUT_CURVE",
            tr("Hit rate against share of area"),
            ProcessingSourceType.Vector,
            optional=True,
            help=tr("One row per step of the curve: the cells taken so far, their share of the area, the hit rate."),
        ),
        feature_sink(
            "OUTPUT_CELLS",
            tr("Forecast areas with their incidents"),
            polygons,
            optional=True,
            help=tr("The forecast areas with the incidents of the window, of the window before, and their rank."),
        ),
        file_destination(
            "OUTPUT_CHART",
            tr("Hit-rate chart (PNG)"),
            "PNG files (*.png)",
            optional=True,
            help=tr("The curves of the forecast and the baseline as an image for a briefing."),
        ),
    ]


def patrol_validation_parameters(tr) -> list[QgsProcessingParameterDefinition]:
    """mew:patrolvalidation's parameters, in the dialog's order."""
    polygons = ProcessingSourceType.VectorPolygon
    return [
        feature_source(
            "AREAS",
            tr("Predicted areas (polygons)"),
            polygons,
            help=tr("The areas the forecast said to patrol, e.g. hot spot cells."),
        ),
        feature_source(
            "PATROLS",
            tr("Patrol tracks (lines; GPX accepted)"),
            ProcessingSourceType.VectorLine,
            help=tr("The routes patrols drove or walked, with their dates."),
        ),
        field("PATROL_DATE_FIELD", tr("Patrol date field"), "PATROLS", help=tr("The day of each patrol.")),
        *evaluation_window(tr),
        number(
            "PATROL_DISTANCE",
            tr("Patrol reach either side of the track (metres)"),
            default=2000.0,
            minimum=0.0,
            decimals=0,
            help=tr("An area counts as visited when a patrol passed within this distance of it, on the ground."),
        ),
        feature_source(
            "REPORTS",
            tr("Patrol reports (points)"),
            ProcessingSourceType.VectorPoint,
            optional=True,
            help=tr("What patrols reported where, with a date and whether it confirmed the threat."),
        ),
        field(
            "REPORT_DATE_FIELD",
            tr("Report date field"),
            "REPORTS",
            optional=True,
            help=tr("The day of each report."),
        ),
        field(
            "CONFIRMED_FIELD",
            tr("Confirmed field (yes/no)"),
            "REPORTS",
            optional=True,
            help=tr("Whether the report confirmed the threat: yes/no, true/false, oui/non or 1/0."),
        ),
        raster_layer(
            "POPULATION",
            tr("Population raster (people per pixel)"),
            optional=True,
            help=tr("Counts the people living in predicted areas no patrol reached."),
        ),
        feature_sink(
            "OUTPUT_AREAS",
            tr("Predicted areas with patrol visits"),
            polygons,
            help=tr("Each area: visited and confirmed, visited, not confirmed, or not visited; days to first visit."),
        ),
        feature_sink(
            "OUTPUT_SUMMARY",
            tr("Patrol validation summary"),
            ProcessingSourceType.Vector,
            optional=True,
            help=tr("How many predicted areas were visited, confirmed or never reached, and the people there."),
        ),
    ]
