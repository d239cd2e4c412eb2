"""mew:emerginghotspots — space-time hot spots, Mann-Kendall trends and ArcGIS's 17 categories."""

from __future__ import annotations

from typing import Any

from qgis.core import (
    QgsFeature,
    QgsFeatureSink,
    QgsProcessingOutputNumber,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP, QDate

from ..core.emerging_analysis import EmergingHotSpots, EmergingSettings, emerging_hot_spots_on_grid
from ..core.errors import MewError
from ..core.getis_ord_analysis import Incidents
from ..core.progress import Progress
from ..core.timesteps import parse_time_step
from ..qgis_compat import GeometryType, WkbType, make_fields
from .base import MewAlgorithm
from .convert import pyproj_crs, qgis_crs
from .feature_io import Geometry, ReadOptions, read_input
from .gi_shared import (
    add_grid_outputs,
    cell_fields,
    emerging_hot_spot_parameters,
    log_of,
    study_area_shapes,
    write_cells,
)
from .parameters import parameter_as_choice, parameter_as_date

#: The columns of a cell of the output, after its id, row and column.
CELL_FIELDS = [
    ("count", "real"),
    ("CATEGORY", "text"),
    ("CAT_CODE", "int"),
    ("TREND_Z", "real"),
    ("TREND_P", "real"),
    ("TAU", "real"),
    ("MK_S", "real"),
    ("N_HOT", "int"),
    ("N_COLD", "int"),
    ("FINAL_Z", "real"),
]


class EmergingHotSpotsAlgorithm(MewAlgorithm):
    """Emerging hot spot analysis (space-time Gi* + Mann-Kendall), as ArcGIS Pro's tool."""

    name_id = "emerginghotspots"
    display = QT_TRANSLATE_NOOP("MewAlgorithm", "Emerging hot spots (space-time Gi*, Mann-Kendall)")
    group_name = QT_TRANSLATE_NOOP("MewAlgorithm", "Incidents and hot spots")
    group_key = "incidents"
    TAGS = ("incidents", "hotspots", "emerging", "space-time", "trend", "mann-kendall", "getis", "ord")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_parameters(*emerging_hot_spot_parameters(self.tr))
        add_grid_outputs(self, self.tr)
        self.addOutput(QgsProcessingOutputNumber("TIME_STEPS", self.tr("Number of time steps")))

    def run_engine(self, parameters, context, feedback, progress) -> dict[str, Any]:
        source = self.parameterAsSource(parameters, "INPUT", context)
        if source is None:
            raise MewError("The INPUT layer could not be opened.")
        if QgsWkbTypes.geometryType(source.wkbType()) != GeometryType.Point:
            raise MewError("The INPUT layer '{source}' must hold incident points.", source=source.sourceName())
        date_field = self.parameterAsString(parameters, "DATE_FIELD", context)
        settings = EmergingSettings(
            parse_time_step(self.parameterAsString(parameters, "TIME_STEP", context)),
            parameter_as_choice(self, parameters, "GRID", context),
            self.parameterAsDouble(parameters, "CELL_SIZE", context),
            self.parameterAsDouble(parameters, "DISTANCE_BAND", context),
            self.parameterAsInt(parameters, "TIME_WINDOW", context),
            parameter_as_date(self, parameters, "START", context),
            parameter_as_date(self, parameters, "END", context),
            self.parameterAsBoolean(parameters, "FDR", context),
        )
        read = read_input(
            self,
            parameters,
            "INPUT",
            context,
            feedback,
            ReadOptions(
                Geometry.POINT_PARTS,
                (date_field,),
                progress=progress.sub(0.0, 0.25),
                leave_out_impossible=True,
                what="incidents",
            ),
            source,
        )
        columns = read.columns
        # The reader has counted and reported the features without a point.
        incidents = Incidents(read.xy, pyproj_crs(source.sourceCrs(), "input layer"), read.ids, 0)
        area = study_area_shapes(self, parameters, context, feedback)
        result = emerging_hot_spots_on_grid(
            incidents, columns[date_field], date_field, settings, area, progress.sub(0.25, 0.6), log_of(feedback)
        )
        self.record_period("incidents", *result.incident_days)
        cells = result.cells
        rows, cols = result.rows, result.cols
        dest = write_cells(
            self, parameters, context, cell_fields(CELL_FIELDS), qgis_crs(result.crs), result.grid, rows, cols,
            [result.cell_ids, rows, cols, cells.total, result.category_names, cells.category.astype(int),
             cells.trend.z, cells.trend.p, cells.trend.tau, cells.trend.s, cells.n_hot, cells.n_cold, result.final_z],
            progress.sub(0.6, 0.9),
        )  # fmt: skip
        self.apply_style(dest, "emerging_hotspots", context)
        outputs = {
            "OUTPUT": dest,
            "CELL_SIZE": result.grid.cell,
            "DISTANCE_BAND": result.band,
            "TIME_STEPS": len(result.step_starts),
        }
        if parameters.get("OUTPUT_CUBE") is not None:
            outputs["OUTPUT_CUBE"] = self.write_cube(parameters, context, result, progress.sub(0.9, 1.0))
        return outputs

    def write_cube(self, parameters, context, result: EmergingHotSpots, progress: Progress) -> str | None:
        """One row per bin of the analysed cells: cell, time step, count, z, p and Gi_Bin."""
        fields = make_fields(
            [
                ("cell_id", "int"),
                ("step", "int"),
                ("step_start", "date"),
                ("count", "real"),
                ("GiZScore", "real"),
                ("GiPValue", "real"),
                ("Gi_Bin", "int"),
            ]
        )
        sink, dest = self.parameterAsSink(parameters, "OUTPUT_CUBE", context, fields, WkbType.NoGeometry)
        if sink is None:
            return None
        bin_counts, bin_z, bin_p, bin_bins = result.bins()
        counts, z, p, bins = bin_counts.tolist(), bin_z.tolist(), bin_p.tolist(), bin_bins.astype(int).tolist()
        id_list = result.cell_ids.tolist()
        starts = result.step_starts
        for t, start in enumerate(starts):
            day = QDate.fromString(str(start), "yyyy-MM-dd")
            batch = []
            for k, cell_id in enumerate(id_list):
                feature = QgsFeature(fields)
                feature.setAttributes([cell_id, t, day, counts[t][k], z[t][k], p[t][k], bins[t][k]])
                batch.append(feature)
            sink.addFeatures(batch, QgsFeatureSink.Flag.FastInsert)
            progress.step((t + 1) / len(starts))
        del sink
        return dest
