"""mew:hotspots — Getis-Ord Gi* hot and cold spots with FDR, on a grid or on the features."""

from __future__ import annotations

from typing import Any

import numpy as np
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..core.crs import is_metric, local_metric_crs
from ..core.errors import MewError
from ..core.getis_ord_analysis import (
    FeatureSettings,
    GridSettings,
    Incidents,
    hot_spots_on_features,
    hot_spots_on_grid,
)
from ..qgis_compat import GeometryType
from .base import MewAlgorithm
from .convert import pyproj_crs, qgis_crs
from .feature_io import Carry, Geometry, ReadOptions, VectorOutput, read_input, write_output
from .gi_shared import add_grid_outputs, cell_fields, hot_spot_parameters, log_of, study_area_shapes, write_cells
from .parameters import parameter_as_choice

#: The Gi* columns of an output, after the cell's or the feature's own.
GI_FIELDS = [("GiZScore", "real"), ("GiPValue", "real"), ("Gi_Bin", "int"), ("NNeighbors", "int")]


class HotSpotsAlgorithm(MewAlgorithm):
    """Getis-Ord Gi* hot and cold spots, with false discovery rate correction."""

    name_id = "hotspots"
    display = QT_TRANSLATE_NOOP("MewAlgorithm", "Hot spots (Getis-Ord Gi*)")
    group_name = QT_TRANSLATE_NOOP("MewAlgorithm", "Incidents and hot spots")
    group_key = "incidents"
    TAGS = ("incidents", "hotspots", "getis", "ord", "gi", "cluster", "fdr", "statistics")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_parameters(*hot_spot_parameters(self.tr))
        add_grid_outputs(self, self.tr)

    def run_engine(self, parameters, context, feedback, progress) -> dict[str, Any]:
        source = self.parameterAsSource(parameters, "INPUT", context)
        if source is None:
            raise MewError("The INPUT layer could not be opened.")
        grid_kind = parameter_as_choice(self, parameters, "GRID", context)
        if grid_kind == "none":
            return self.run_on_features(source, parameters, context, feedback, progress)
        if QgsWkbTypes.geometryType(source.wkbType()) != GeometryType.Point:
            raise MewError(
                "The INPUT layer '{source}' has polygons: grids aggregate incident points. Use GRID = none to "
                "analyse the polygons' VALUE_FIELD.",
                source=source.sourceName(),
            )
        settings = GridSettings(
            grid_kind,
            self.parameterAsDouble(parameters, "CELL_SIZE", context),
            self.parameterAsDouble(parameters, "DISTANCE_BAND", context),
            self.parameterAsBoolean(parameters, "FDR", context),
        )
        weight_field = self.parameterAsString(parameters, "WEIGHT_FIELD", context)
        read = read_input(
            self,
            parameters,
            "INPUT",
            context,
            feedback,
            ReadOptions(
                Geometry.POINT_PARTS,
                (weight_field,),
                progress=progress.sub(0.0, 0.3),
                leave_out_impossible=True,
                what="incidents",
            ),
            source,
        )
        # The reader has counted and reported the features without a point.
        incidents = Incidents(
            read.xy,
            pyproj_crs(source.sourceCrs(), "input layer"),
            read.ids,
            0,
            read.columns[weight_field] if weight_field else None,
            weight_field,
        )
        area = study_area_shapes(self, parameters, context, feedback)
        result = hot_spots_on_grid(incidents, settings, area, progress.sub(0.3, 0.5), log_of(feedback))
        gi = result.gi
        fields = cell_fields([("count", "real"), *GI_FIELDS])
        dest = write_cells(
            self, parameters, context, fields, qgis_crs(result.crs), result.grid, result.rows, result.cols,
            [result.cell_ids, result.rows, result.cols, result.counts, gi.z, gi.p, gi.bins.astype(int),
             gi.neighbours.astype(int)],
            progress.sub(0.5, 1.0),
        )  # fmt: skip
        self.apply_style(dest, "hotspots_gi_bin", context)
        return {"OUTPUT": dest, "CELL_SIZE": result.grid.cell, "DISTANCE_BAND": result.band}

    def run_on_features(self, source, parameters, context, feedback, progress) -> dict[str, Any]:
        value_field = self.parameterAsString(parameters, "VALUE_FIELD", context)
        if not value_field:
            raise MewError("GRID = none analyses each feature's value: choose the VALUE_FIELD (e.g. events).")
        target = qgis_crs(features_crs(source, context))
        name = self.input_name(parameters, "INPUT", context)
        features = read_input(
            self,
            parameters,
            "INPUT",
            context,
            feedback,
            ReadOptions(Geometry.SHAPES, (value_field,), target, Carry.ROWS),
            source,
        )
        for fid, shape, value in zip(features.ids.tolist(), features.shapes, features.columns[value_field]):
            if shape is None:
                raise MewError(
                    "Feature {fid} of the layer {name} has no geometry: remove or fix it.", fid=fid, name=name
                )
            if value is None:
                raise MewError(
                    "Feature {fid} of the layer {name} has no '{value_field}': fill or filter it.",
                    fid=fid,
                    name=name,
                    value_field=value_field,
                )
        progress.step(0.3)
        values = np.asarray(features.columns[value_field], dtype=float)
        settings = FeatureSettings(
            parameter_as_choice(self, parameters, "NEIGHBOURS", context),
            self.parameterAsInt(parameters, "K", context),
            self.parameterAsDouble(parameters, "DISTANCE_BAND", context),
            self.parameterAsBoolean(parameters, "FDR", context),
        )
        result = hot_spots_on_features(features.shapes, values, settings, progress.sub(0.3, 0.6), log_of(feedback))
        gi = result.gi
        progress.step(0.9)  # the statistics are done: a cancel stops here, before the output is written
        # An input that already has Gi* columns (an earlier output, an ArcGIS export) gets them replaced.
        dest = write_output(
            self,
            parameters,
            context,
            VectorOutput(
                "OUTPUT",
                "Hot spots",
                GI_FIELDS,
                [gi.z, gi.p, gi.bins, gi.neighbours],
                crs=source.sourceCrs(),
                carried=features,
            ),
        )
        points = QgsWkbTypes.geometryType(source.wkbType()) == GeometryType.Point
        self.apply_style(dest, "hotspots_gi_bin_points" if points else "hotspots_gi_bin", context)
        return {"OUTPUT": dest}


def features_crs(source, context):
    """The metric CRS features are analysed in: the source's own when metric, else one local to its extent."""
    crs = pyproj_crs(source.sourceCrs(), "input layer")
    if is_metric(crs):
        return crs
    wgs84 = QgsCoordinateReferenceSystem("EPSG:4326")
    to_lonlat = QgsCoordinateTransform(source.sourceCrs(), wgs84, context.transformContext())
    box = to_lonlat.transformBoundingBox(source.sourceExtent())
    return local_metric_crs(box.xMinimum(), box.yMinimum(), box.xMaximum(), box.yMaximum())
