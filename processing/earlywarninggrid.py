"""mew:earlywarninggrid — one grid where the threats meet: hot spots, drought, people and patrol gaps."""

from __future__ import annotations

import numpy as np
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..core.early_warning import reason_parts, reason_text, score_cells
from ..core.early_warning_cells import (
    GridInputs,
    PatrolSource,
    RasterSource,
    fishnet_cells,
    hotspot_of_cells,
    measure_cells,
)
from ..core.emerging import CATEGORY_NAMES
from ..core.errors import MewError
from ..qgis_compat import WkbType
from .base import MewAlgorithm
from .convert import pyproj_crs, python_date, python_number
from .early_warning_parameters import (
    GRID_FIELDS,
    early_warning_parameters,
    translated_words,
    warning_settings,
)
from .feature_io import Geometry, ReadOptions, VectorOutput, read_input, write_output
from .parameters import parameter_as_choice, parameter_as_date

#: The fields of an Emerging hot spots output this algorithm reads.
HOTSPOT_CODE, HOTSPOT_TREND, HOTSPOT_ID = "CAT_CODE", "TREND_Z", "cell_id"


class EarlyWarningGridAlgorithm(MewAlgorithm):
    """Scores each cell of a grid by its hot spot, drought, people and patrol gap, with the reason in words."""

    name_id = "earlywarninggrid"
    display = QT_TRANSLATE_NOOP("MewAlgorithm", "Early-warning grid")
    group_name = QT_TRANSLATE_NOOP("MewAlgorithm", "Incidents and hot spots")
    group_key = "incidents"
    TAGS = ("early warning", "risk", "score", "hotspots", "drought", "vci", "population", "patrols", "grid")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_parameters(*early_warning_parameters(self.tr))

    def run_engine(self, parameters, context, feedback, progress):
        grid_kind = parameter_as_choice(self, parameters, "GRID", context)
        hotspot_source = self.parameterAsSource(parameters, "HOTSPOTS", context)
        area_source = self.parameterAsSource(parameters, "STUDY_AREA", context)
        if grid_kind == "hotspots" and hotspot_source is None:
            raise MewError("Give the emerging hot spots (HOTSPOTS), or choose the fishnet grid and a STUDY_AREA.")
        if grid_kind == "fishnet" and hotspot_source is None and area_source is None:
            raise MewError("A fishnet needs a STUDY_AREA (or the emerging hot spots, whose cells it then covers).")
        grid_source = hotspot_source if hotspot_source is not None else area_source
        qgs_crs = grid_source.sourceCrs()
        crs = pyproj_crs(qgs_crs, "grid layer")
        reading = progress.sub(0.0, 0.15)

        hotspots = None
        if hotspot_source is not None:
            names = hotspot_source.fields().names()
            if HOTSPOT_CODE not in names:
                raise MewError(
                    "The layer {layer} has no {field} field: choose the output of Emerging hot spots.",
                    layer=self.input_name(parameters, "HOTSPOTS", context),
                    field=HOTSPOT_CODE,
                )
            wanted = (
                HOTSPOT_CODE,
                HOTSPOT_TREND if HOTSPOT_TREND in names else None,
                HOTSPOT_ID if HOTSPOT_ID in names else None,
            )
            options = ReadOptions(Geometry.SHAPES, wanted, qgs_crs, progress=reading.sub(0, 0.5), refuse_empty=True)
            hotspots = read_input(self, parameters, "HOTSPOTS", context, feedback, options, hotspot_source)

        if grid_kind == "fishnet":
            if crs.is_geographic:
                raise MewError(
                    "The fishnet's CELL_SIZE is in map units, and the grid's layer is in degrees: reproject the "
                    "study area (or the hot spots) to a projected CRS in metres, e.g. its UTM zone."
                )
            if area_source is not None:
                options = ReadOptions(Geometry.SHAPES, (), qgs_crs, progress=reading.sub(0.5, 1.0), refuse_empty=True)
                area = read_input(self, parameters, "STUDY_AREA", context, feedback, options, area_source).shapes
            else:
                area = hotspots.shapes
            cells = fishnet_cells(area or [], self.parameterAsDouble(parameters, "CELL_SIZE", context))
            cell_ids = list(range(1, len(cells) + 1))
        else:
            cells = list(hotspots.shapes)
            ids = hotspots.columns.get(HOTSPOT_ID)
            cell_ids = list(ids) if ids is not None else hotspots.ids.tolist()

        codes = trend = None
        if hotspots is not None:
            column = [python_number(v) for v in hotspots.columns[HOTSPOT_CODE]]
            trend_column = [python_number(v) for v in hotspots.columns.get(HOTSPOT_TREND, [None] * len(column))]
            if grid_kind == "fishnet":
                codes, trend = hotspot_of_cells(cells, hotspots.shapes, column, trend_column)
            else:
                codes = np.array([np.nan if v is None else v for v in column], dtype=float)
                trend = np.array([np.nan if v is None else v for v in trend_column], dtype=float)

        inputs = GridInputs(
            cells,
            crs,
            hotspot_code=codes,
            vci=self._raster(parameters, "DROUGHT_INDEX", context),
            dvci=self._raster(parameters, "DROUGHT_CHANGE", context),
            population=self._raster(parameters, "POPULATION", context),
            patrols=self._patrols(parameters, context, feedback, qgs_crs, progress.sub(0.15, 0.25)),
        )
        measured = measure_cells(inputs, progress.sub(0.25, 0.9))
        measures, recency = measured.measures, measured.recency
        as_of = None
        if recency is not None:
            for warning in recency.warnings:
                feedback.reportError(warning, fatalError=False)
            self.record_period("patrol dates", *recency.period)
            as_of = recency.as_of
        settings = warning_settings(self, parameters, context)
        scores = score_cells(measures, settings)
        templates, categories, count = translated_words()
        reasons = [
            reason_text(reason_parts(measures, scores, i, settings), templates, categories, count)
            for i in range(len(cells))
        ]
        order = scores.order
        n = len(cells)
        nothing = [None] * n
        hs_code = nothing if codes is None else [int(c) if np.isfinite(c) else None for c in codes]
        columns = {
            "cell_id": cell_ids,
            "rank": scores.table["rank"],
            "score": scores.table["score"],
            "reason": reasons,
            "hs_category": [None if c is None else CATEGORY_NAMES.get(c) for c in hs_code],
            "hs_code": hs_code,
            "hs_trend_z": trend if trend is not None else nothing,
            "vci_mean": measures.vci_mean if measures.vci_mean is not None else nothing,
            "vci_pixels": measured.vci_pixels if measured.vci_pixels is not None else nothing,
            "dvci_mean": measures.dvci_mean if measures.dvci_mean is not None else nothing,
            "dvci_pixels": measured.dvci_pixels if measured.dvci_pixels is not None else nothing,
            "people": measures.people if measures.people is not None else nothing,
            "days_patrol": measures.days_since_patrol if measures.days_since_patrol is not None else nothing,
            "as_of": [as_of] * n,
        }
        for name, _ in GRID_FIELDS:
            if name not in columns:
                columns[name] = scores.table.get(name, nothing)
        feedback.pushInfo(self.tr("{} cells scored on {}.").format(n, ", ".join(scores.factors)))
        for i in order[:5]:
            feedback.pushInfo(
                self.tr("Rank {}: cell {}, score {}: {}").format(
                    scores.table["rank"][i], cell_ids[i], f"{scores.table['score'][i]:.1f}", reasons[i]
                )
            )
        dest = write_output(
            self,
            parameters,
            context,
            VectorOutput(
                "OUTPUT",
                "Early-warning grid",
                GRID_FIELDS,
                [[columns[name][int(i)] for i in order] for name, _ in GRID_FIELDS],
                WkbType.MultiPolygon,
                qgs_crs,
                shapes=[cells[int(i)] for i in order],
            ),
        )
        self.apply_style(dest, "early_warning_grid", context)
        progress.step(1.0)
        return {"OUTPUT": dest}

    def _raster(self, parameters, key, context) -> RasterSource | None:
        layer = self.parameterAsRasterLayer(parameters, key, context)
        if layer is None:
            return None
        return RasterSource(layer.source(), pyproj_crs(layer.crs(), f"{key} raster"))

    def _patrols(self, parameters, context, feedback, qgs_crs, progress) -> PatrolSource | None:
        source = self.parameterAsSource(parameters, "PATROLS", context)
        if source is None:
            return None
        date_field = self.parameterAsString(parameters, "PATROL_DATE_FIELD", context)
        if not date_field:
            raise MewError(
                "The patrol tracks {layer} need their dates: choose the PATROL_DATE_FIELD, or leave PATROLS "
                "empty to score without patrols.",
                layer=self.input_name(parameters, "PATROLS", context),
            )
        options = ReadOptions(Geometry.SHAPES, (date_field,), qgs_crs, progress=progress, refuse_empty=True)
        tracks = read_input(self, parameters, "PATROLS", context, feedback, options, source)
        return PatrolSource(
            tracks.features(),
            [python_date(v) for v in tracks.columns[date_field]],
            parameter_as_date(self, parameters, "AS_OF", context),
            self.parameterAsDouble(parameters, "PATROL_DISTANCE", context),
        )
