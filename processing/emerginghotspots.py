"""mew:emerginghotspots — space-time hot spots, Mann-Kendall trends and ArcGIS's 17 categories."""

from __future__ import annotations

from typing import Any

import numpy as np
from qgis.core import (
    QgsFeature,
    QgsFeatureSink,
    QgsProcessingOutputNumber,
    QgsProcessingParameterDateTime,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QDate

from ..core import emerging as em
from ..core import getis_ord as go
from ..core.errors import MewError
from ..core.timesteps import parse_dates, parse_time_step
from ..qgis_compat import (
    GeometryType,
    ProcessingDateTimeParameterDataType,
    ProcessingNumberParameterType,
    ProcessingSourceType,
    WkbType,
    make_fields,
)
from .base import MewAlgorithm
from .convert import pyproj_crs, qgis_crs, to_crs
from .feature_io import Geometry, ReadOptions, read_input
from .gi_shared import (
    add_grid_outputs,
    cell_fields,
    drop_unplaced,
    grid_band,
    points_crs,
    shared_gi_parameters,
    study_area_shapes,
    write_cells,
)


class EmergingHotSpotsAlgorithm(MewAlgorithm):
    """Emerging hot spot analysis (space-time Gi* + Mann-Kendall), as ArcGIS Pro's tool."""

    name_id = "emerginghotspots"
    display = "Emerging hot spots (space-time Gi*, Mann-Kendall)"
    group_name = "Incidents and hot spots"
    group_key = "incidents"
    TAGS = ("incidents", "hotspots", "emerging", "space-time", "trend", "mann-kendall", "getis", "ord")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(
            QgsProcessingParameterFeatureSource("INPUT", self.tr("Incidents"), [ProcessingSourceType.VectorPoint])
        )
        self.addParameter(
            QgsProcessingParameterField(
                "DATE_FIELD", self.tr("Date field (date, date-time or text dates)"), parentLayerParameterName="INPUT"
            )
        )
        self.addParameter(
            QgsProcessingParameterString(
                "TIME_STEP", self.tr("Time step (e.g. 1 month, 2 weeks, 1 quarter)"), defaultValue="1 month"
            )
        )
        for key, label in (("START", "Period start (inclusive; blank = the earliest incident)"),
                           ("END", "Period end (inclusive; blank = the latest incident)")):
            self.addParameter(
                QgsProcessingParameterDateTime(key, self.tr(label), ProcessingDateTimeParameterDataType.Date,
                                               optional=True)
            )
        shared = shared_gi_parameters(self.tr)
        grid = QgsProcessingParameterEnum("GRID", self.tr("Grid"), ["fishnet", "hexagon"], defaultValue="fishnet")
        grid.setUsesStaticStrings(True)
        self.addParameter(grid)
        self.addParameter(shared["CELL_SIZE"])
        self.addParameter(shared["DISTANCE_BAND"])
        self.addParameter(
            QgsProcessingParameterNumber(
                "TIME_WINDOW",
                self.tr("Time window (preceding time steps that are neighbours)"),
                ProcessingNumberParameterType.Integer,
                defaultValue=1,
                minValue=0,
            )
        )
        self.addParameter(shared["STUDY_AREA"])
        self.addParameter(shared["FDR"])
        self.addParameter(QgsProcessingParameterFeatureSink("OUTPUT", self.tr("Emerging hot spots")))
        self.addParameter(
            QgsProcessingParameterFeatureSink(
                "OUTPUT_CUBE",
                self.tr("Space-time cube (cell, step, count, z, p, bin)"),
                ProcessingSourceType.Vector,
                optional=True,
                createByDefault=False,
            )
        )
        add_grid_outputs(self, self.tr)
        self.addOutput(QgsProcessingOutputNumber("TIME_STEPS", self.tr("Number of time steps")))

    def run_engine(self, parameters, context, feedback, progress) -> dict[str, Any]:
        source = self.parameterAsSource(parameters, "INPUT", context)
        if source is None:
            raise MewError("The INPUT layer could not be opened.")
        if QgsWkbTypes.geometryType(source.wkbType()) != GeometryType.Point:
            raise MewError(f"The INPUT layer '{source.sourceName()}' must hold incident points.")
        date_field = self.parameterAsString(parameters, "DATE_FIELD", context)
        step = parse_time_step(self.parameterAsString(parameters, "TIME_STEP", context))
        start = self.parameter_as_date(parameters, "START", context)
        end = self.parameter_as_date(parameters, "END", context)
        if start is not None and end is not None and start > end:
            raise MewError(f"The period starts ({start}) after it ends ({end}): swap START and END.")
        incidents = read_input(self, parameters, "INPUT", context, feedback, ReadOptions(
            Geometry.POINT_PARTS, (date_field,), progress=progress.sub(0.0, 0.25), leave_out_impossible=True,
            what="incidents"), source)
        xy, columns, ids = incidents.xy, incidents.columns, incidents.ids
        raw_dates = columns[date_field]
        if isinstance(raw_dates, np.ndarray) and raw_dates.dtype.kind == "M":
            days = raw_dates.astype("datetime64[D]")
            dated = ~np.isnat(days)
        else:
            days, dated = parse_dates(list(raw_dates), date_field)
        if not dated.all():
            feedback.pushWarning(f"{int((~dated).sum())} incidents have no readable '{date_field}' and were left out.")
        if start is not None or end is not None:
            within = dated.copy()
            if start is not None:
                within &= days >= np.datetime64(start, "D")
            if end is not None:
                within &= days <= np.datetime64(end, "D")
            feedback.pushInfo(f"{int(within.sum())} of {int(dated.sum())} dated incidents lie within the period "
                              f"{start if start is not None else '…'} – {end if end is not None else '…'}.")
            dated = within
        target = points_crs(source, context, xy[dated])
        xy, days, ids = drop_unplaced(to_crs(xy[dated], pyproj_crs(source.sourceCrs()), target), feedback, days[dated],
                                      ids[dated])
        step_index, starts = step.index(days, [f"fid {fid}" for fid in ids.tolist()])
        n_steps = len(starts)
        feedback.pushInfo(f"{len(days)} incidents in {n_steps} time steps of {step.text} from {starts[0]}.")
        setup = go.analysis_grid(
            self.parameterAsEnumString(parameters, "GRID", context) or "fishnet",
            xy,
            self.parameterAsDouble(parameters, "CELL_SIZE", context),
            study_area_shapes(self, parameters, context, feedback, target),
            em.INCIDENTS_PER_CELL,
        )
        for message in setup.messages:
            feedback.pushInfo(message)
        grid = setup.grid
        rows, cols = grid.locate(xy[:, 0], xy[:, 1])
        cube = em.cube_counts(grid, rows, cols, step_index, n_steps)
        progress.step(0.35)
        band = grid_band(self, parameters, context, cube.sum(axis=0), setup, feedback)
        window = self.parameterAsInt(parameters, "TIME_WINDOW", context)
        fdr = self.parameterAsBoolean(parameters, "FDR", context)
        result = em.emerging_hot_spots(cube, setup.inside, grid, band, window, fdr, progress.sub(0.35, 0.6))
        for message in result.cube.messages:
            feedback.pushWarning(message)
        codes, counts = np.unique(result.category, return_counts=True)
        summary = ", ".join(f"{em.CATEGORY_NAMES[int(c)]}: {n}" for c, n in zip(codes, counts))
        feedback.pushInfo(f"Cell size {grid.cell:g}, distance band {band:g}, time window {window}. {summary}.")

        cell_rows, cell_cols = np.nonzero(setup.inside)
        ids = cell_rows * grid.cols + cell_cols
        extra = [
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
        names = np.array([em.CATEGORY_NAMES[k] for k in sorted(em.CATEGORY_NAMES)], dtype=object)
        category_names = names[np.searchsorted(sorted(em.CATEGORY_NAMES), result.category)]
        dest = write_cells(
            self,
            parameters,
            context,
            cell_fields(extra),
            qgis_crs(target),
            grid,
            cell_rows,
            cell_cols,
            [ids, cell_rows, cell_cols, result.total, category_names, result.category.astype(int), result.trend.z,
             result.trend.p, result.trend.tau, result.trend.s, result.n_hot, result.n_cold,
             result.cube.z[-1][setup.inside]],
            progress.sub(0.6, 0.9),
        )  # fmt: skip
        self.apply_style(dest, "emerging_hotspots", context)
        outputs = {"OUTPUT": dest, "CELL_SIZE": grid.cell, "DISTANCE_BAND": band, "TIME_STEPS": n_steps}
        if parameters.get("OUTPUT_CUBE") is not None:
            outputs["OUTPUT_CUBE"] = self.write_cube(parameters, context, cube, result, setup, ids, starts, progress)
        return outputs

    def write_cube(self, parameters, context, cube, result, setup, ids, starts, progress) -> str | None:
        fields = make_fields([("cell_id", "int"), ("step", "int"), ("step_start", "date"), ("count", "real"),
                              ("GiZScore", "real"), ("GiPValue", "real"), ("Gi_Bin", "int")])
        sink, dest = self.parameterAsSink(parameters, "OUTPUT_CUBE", context, fields, WkbType.NoGeometry)
        if sink is None:
            return None
        inside = setup.inside
        counts = cube[:, inside].tolist()
        z = result.cube.z[:, inside].tolist()
        p = result.cube.p[:, inside].tolist()
        bins = result.cube.bins[:, inside].astype(int).tolist()
        id_list = ids.tolist()
        for t, start in enumerate(starts):
            day = QDate.fromString(str(start), "yyyy-MM-dd")
            batch = []
            for k, cell_id in enumerate(id_list):
                feature = QgsFeature(fields)
                feature.setAttributes([cell_id, t, day, counts[t][k], z[t][k], p[t][k], bins[t][k]])
                batch.append(feature)
            sink.addFeatures(batch, QgsFeatureSink.Flag.FastInsert)
            progress.sub(0.9, 1.0).step((t + 1) / len(starts))
        del sink
        return dest
