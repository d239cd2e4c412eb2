"""mew:forecastaccuracy — how well a forecast predicted the incidents that followed (hit rate, PAI, PEI, RRI)."""

from __future__ import annotations

from typing import Any

from qgis.core import QgsProcessingOutputNumber
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..core.errors import MewError
from ..core.evaluation_window import Window
from ..core.forecast_accuracy import evaluate_forecast
from ..qgis_compat import WkbType
from .base import MewAlgorithm
from .convert import pyproj_crs, python_date, python_number
from .feature_io import Carry, Geometry, ReadOptions, VectorOutput, carry_for, read_input, write_output
from .forecast_chart import write_hit_rate_chart
from .forecast_parameters import forecast_accuracy_parameters
from .parameters import parameter_as_date

MEASURE_FIELDS = (
    ("forecast", "text"),
    ("incidents", "int"),
    ("incidents_total", "int"),
    ("hit_rate", "real"),
    ("area_km2", "real"),
    ("study_area_km2", "real"),
    ("pai", "real"),
    ("best_possible", "real"),
    ("pei", "real"),
    ("prev_incidents", "int"),
    ("prev_total", "int"),
    ("rri", "real"),
    ("window_start", "date"),
    ("window_end", "date"),
)
CURVE_FIELDS = (
    ("forecast", "text"),
    ("step", "int"),
    ("cells", "int"),
    ("area_share", "real"),
    ("hit_rate", "real"),
    ("incidents", "int"),
)
CELL_FIELDS = (("incidents", "int"), ("prev_incidents", "int"), ("rank_group", "int"), ("area_km2", "real"))


class ForecastAccuracyAlgorithm(MewAlgorithm):
    """Judges predicted areas against the incidents of a window, beside a 'where it happened last time' baseline."""

    name_id = "forecastaccuracy"
    display = QT_TRANSLATE_NOOP("MewAlgorithm", "Forecast accuracy (hit rate, PAI, PEI, RRI)")
    group_name = QT_TRANSLATE_NOOP("MewAlgorithm", "Incidents and hot spots")
    group_key = "incidents"
    TAGS = ("forecast", "accuracy", "hit rate", "pai", "pei", "rri", "hotspots", "validation", "evaluation")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_parameters(*forecast_accuracy_parameters(self.tr))
        self.addOutput(QgsProcessingOutputNumber("HIT_RATE", self.tr("Hit rate of the forecast (n/N)")))
        self.addOutput(QgsProcessingOutputNumber("PAI", self.tr("Predictive Accuracy Index of the forecast")))
        self.addOutput(QgsProcessingOutputNumber("PEI", self.tr("Predictive Efficiency Index of the forecast")))
        self.addOutput(QgsProcessingOutputNumber("RRI", self.tr("Recapture Rate Index of the forecast")))
        self.addOutput(QgsProcessingOutputNumber("OUTSIDE", self.tr("Incidents outside the study area")))

    def run_engine(self, parameters, context, feedback, progress) -> dict[str, Any]:
        start = parameter_as_date(self, parameters, "START", context)
        end = parameter_as_date(self, parameters, "END", context)
        if start is None or end is None:
            raise MewError("Give START and END: the window the forecast is judged on.")
        window = Window(start, end)
        source = self.parameterAsSource(parameters, "FORECAST", context)
        if source is None:
            raise MewError("The FORECAST layer could not be opened.")
        qgs_crs = source.sourceCrs()
        crs = pyproj_crs(qgs_crs, "FORECAST layer")
        rank_field = self.parameterAsString(parameters, "RANK_FIELD", context) or None
        date_field = self.parameterAsString(parameters, "DATE_FIELD", context)
        reading = progress.sub(0.0, 0.2)

        def read(key, share, geometry=Geometry.SHAPES, fields=(), carry=Carry.NONE, what="features"):
            options = ReadOptions(geometry, fields, qgs_crs, carry, reading.sub(*share), True, what=what)
            return read_input(self, parameters, key, context, feedback, options, source if key == "FORECAST" else None)

        forecast = read(
            "FORECAST", (0.0, 0.3), fields=(rank_field,), carry=carry_for(parameters, "OUTPUT_CELLS", source)
        )
        incidents = read("INCIDENTS", (0.3, 0.7), Geometry.POINTS, (date_field,), what="incidents")
        study = read("STUDY_AREA", (0.7, 0.9))
        baseline = read("BASELINE", (0.9, 1.0))
        dates = [python_date(v) for v in incidents.columns[date_field]]
        result = evaluate_forecast(
            crs,
            forecast.shapes or [],
            [python_number(v) for v in forecast.columns[rank_field]] if rank_field else None,
            incidents.xy,
            dates,
            window,
            study.shapes or [],
            None if baseline is None else (baseline.shapes or []),
            progress.sub(0.2, 0.85),
        )
        for warning in result.warnings:
            feedback.reportError(warning, fatalError=False)
        self.record_period("incidents", window.previous.start, window.end)
        outputs: dict[str, Any] = {"OUTSIDE": result.outside_study_area}
        measures = result.measures
        rows = [
            [m.label for m in measures],
            [m.incidents for m in measures],
            [m.total for m in measures],
            [m.hit_rate for m in measures],
            [m.area_km2 for m in measures],
            [m.study_area_km2 for m in measures],
            [m.pai for m in measures],
            [m.best_possible for m in measures],
            [m.pei for m in measures],
            [m.previous_incidents for m in measures],
            [m.previous_total for m in measures],
            [m.rri for m in measures],
            [window.start] * len(measures),
            [window.end] * len(measures),
        ]
        outputs["OUTPUT_MEASURES"] = write_output(
            self, parameters, context, VectorOutput("OUTPUT_MEASURES", "Forecast accuracy", MEASURE_FIELDS, rows)
        )
        curve = write_output(
            self,
            parameters,
            context,
            VectorOutput(
                "OUTPUT_CURVE",
                "Hit rate against share of area",
                CURVE_FIELDS,
                [[row[name] for row in result.curve] for name, _ in CURVE_FIELDS],
            ),
        )
        if curve is not None:
            outputs["OUTPUT_CURVE"] = curve
        progress.step(0.9)
        cells = write_output(
            self,
            parameters,
            context,
            VectorOutput(
                "OUTPUT_CELLS",
                "Forecast areas with their incidents",
                CELL_FIELDS,
                [result.cell_incidents, result.cell_previous, result.cell_rank, result.cell_area_km2],
                WkbType.MultiPolygon,
                qgs_crs,
                carried=forecast,
            ),
        )
        if cells is not None:
            outputs["OUTPUT_CELLS"] = cells
            self.apply_style(cells, "forecast_cells", context)
        words = {
            "title": self.tr("Share of incidents caught against share of area, {} to {}").format(start, end),
            "x": self.tr("Share of the study area covered by the forecast"),
            "y": self.tr("Share of incidents caught (hit rate)"),
            "forecast": self.tr("Forecast"),
            "baseline": self.tr("Where it happened last time") if baseline is None else self.tr("Baseline"),
        }
        if parameters.get("OUTPUT_CHART"):
            chart = self.parameterAsFileOutput(parameters, "OUTPUT_CHART", context)
            write_hit_rate_chart(chart, result.curve, words)
            outputs["OUTPUT_CHART"] = chart
        forecast_measures = measures[0]
        outputs["HIT_RATE"] = forecast_measures.hit_rate
        outputs["PAI"] = forecast_measures.pai
        outputs["PEI"] = forecast_measures.pei
        outputs["RRI"] = forecast_measures.rri
        for m in measures:
            feedback.pushInfo(
                self.tr("{}: {} of {} incidents in {} of {} km²; hit rate {}, PAI {}, PEI {}, RRI {}").format(
                    words.get(m.label, m.label),
                    m.incidents,
                    m.total,
                    f"{m.area_km2:,.1f}",
                    f"{m.study_area_km2:,.1f}",
                    *(self._shown(value) for value in (m.hit_rate, m.pai, m.pei, m.rri)),
                )
            )
        progress.step(1.0)
        return outputs

    def _shown(self, value: float | None) -> str:
        """A measure in the log: three decimals as the language writes them, or that there is none."""
        return self.tr("n/a") if value is None else f"{value:.3f}"
