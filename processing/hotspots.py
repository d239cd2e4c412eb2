"""mew:hotspots — Getis-Ord Gi* hot and cold spots with FDR, on a grid or on the features."""

from __future__ import annotations

from contextlib import closing
from typing import Any

import numpy as np
from qgis.core import (
    QgsCoordinateTransform,
    QgsFeature,
    QgsFeatureRequest,
    QgsFeatureSink,
    QgsGeometry,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterNumber,
    QgsWkbTypes,
)
from shapely import wkb

from ..core import getis_ord as go
from ..core.density import incident_weights
from ..core.errors import MewError
from ..qgis_compat import (
    GeometryType,
    ProcessingFieldParameterDataType,
    ProcessingNumberParameterType,
    ProcessingSourceType,
)
from .base import MewAlgorithm
from .convert import (
    checked_features,
    checks_geometries,
    extended_fields,
    point_table,
    pyproj_crs,
    qgis_crs,
    qvariant_to_python,
    repaired,
    to_crs,
)
from .gi_shared import (
    add_grid_outputs,
    analysis_crs,
    cell_fields,
    drop_unplaced,
    grid_band,
    points_crs,
    shared_gi_parameters,
    study_area_shapes,
    write_cells,
)

GRIDS = ("fishnet", "hexagon", "none")
NEIGHBOURS = ("distance", "knn", "contiguity")


class HotSpotsAlgorithm(MewAlgorithm):
    """Getis-Ord Gi* hot and cold spots, with false discovery rate correction."""

    name_id = "hotspots"
    display = "Hot spots (Getis-Ord Gi*)"
    group_name = "Incidents and hot spots"
    group_key = "incidents"
    TAGS = ("incidents", "hotspots", "getis", "ord", "gi", "cluster", "fdr", "statistics")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                "INPUT",
                self.tr("Incidents (points), or points/polygons holding a value"),
                [ProcessingSourceType.VectorPoint, ProcessingSourceType.VectorPolygon],
            )
        )
        self.addParameter(
            QgsProcessingParameterField(
                "WEIGHT_FIELD",
                self.tr("Incident weight field (grids; e.g. fatalities) — empty counts incidents"),
                parentLayerParameterName="INPUT",
                type=ProcessingFieldParameterDataType.Numeric,
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterField(
                "VALUE_FIELD",
                self.tr("Value field (GRID = none; e.g. events per district)"),
                parentLayerParameterName="INPUT",
                type=ProcessingFieldParameterDataType.Numeric,
                optional=True,
            )
        )
        shared = shared_gi_parameters(self.tr)
        grid = QgsProcessingParameterEnum("GRID", self.tr("Aggregation grid"), list(GRIDS), defaultValue="fishnet")
        grid.setUsesStaticStrings(True)
        self.addParameter(grid)
        self.addParameter(shared["CELL_SIZE"])
        self.addParameter(shared["STUDY_AREA"])
        neighbours = QgsProcessingParameterEnum(
            "NEIGHBOURS", self.tr("Neighbours (GRID = none)"), list(NEIGHBOURS), defaultValue="distance"
        )
        neighbours.setUsesStaticStrings(True)
        self.addParameter(neighbours)
        self.addParameter(
            QgsProcessingParameterNumber(
                "K", self.tr("Number of neighbours (knn)"), ProcessingNumberParameterType.Integer, 8, minValue=1
            )
        )
        self.addParameter(shared["DISTANCE_BAND"])
        self.addParameter(shared["FDR"])
        self.addParameter(QgsProcessingParameterFeatureSink("OUTPUT", self.tr("Hot spots")))
        add_grid_outputs(self, self.tr)

    def run_engine(self, parameters, context, feedback, progress) -> dict[str, Any]:
        source = self.parameterAsSource(parameters, "INPUT", context)
        if source is None:
            raise MewError("The INPUT layer could not be opened.")
        grid_kind = self.parameterAsEnumString(parameters, "GRID", context) or "fishnet"
        if grid_kind == "none":
            return self.run_on_features(source, parameters, context, feedback, progress)
        if QgsWkbTypes.geometryType(source.wkbType()) != GeometryType.Point:
            raise MewError(
                f"The INPUT layer '{source.sourceName()}' has polygons: grids aggregate incident points. "
                "Use GRID = none to analyse the polygons' VALUE_FIELD."
            )
        weight_field = self.parameterAsString(parameters, "WEIGHT_FIELD", context)
        layer = self.parameterAsVectorLayer(parameters, "INPUT", context)
        xy, columns, skipped, ids = point_table(
            parameters["INPUT"], source, layer, context, [weight_field] if weight_field else [], progress.sub(0.0, 0.3),
            feedback,
        )
        if skipped:
            feedback.pushWarning(f"{skipped} incidents without a location were left out.")
        target = points_crs(source, context, xy)
        xy = to_crs(xy, pyproj_crs(source.sourceCrs()), target)
        weights = None
        if weight_field:
            weights, warnings = incident_weights(columns[weight_field], weight_field, ids.tolist())
            for warning in warnings:
                feedback.pushWarning(warning)
            xy, weights = drop_unplaced(xy, feedback, weights)
        else:
            (xy,) = drop_unplaced(xy, feedback)
        setup = go.analysis_grid(
            grid_kind,
            xy,
            self.parameterAsDouble(parameters, "CELL_SIZE", context),
            study_area_shapes(self, parameters, context, feedback, target),
        )
        for message in setup.messages:
            feedback.pushInfo(message)
        progress.step(0.35)
        counts = go.count_points(setup.grid, xy[:, 0], xy[:, 1], weights)
        band = grid_band(self, parameters, context, counts, setup, feedback)
        fdr = self.parameterAsBoolean(parameters, "FDR", context)
        result = go.gi_star_grid(counts, setup.inside, setup.grid, band, fdr, progress.sub(0.4, 0.5))
        for message in result.messages:
            feedback.pushWarning(message)
        self.report(feedback, result, setup.inside)
        extra = [
            ("count", "real"),
            ("GiZScore", "real"),
            ("GiPValue", "real"),
            ("Gi_Bin", "int"),
            ("NNeighbors", "int"),
        ]
        rows, cols = np.nonzero(setup.inside)
        ids = rows * setup.grid.cols + cols
        dest = write_cells(
            self,
            parameters,
            context,
            cell_fields(extra),
            qgis_crs(target),
            setup.grid,
            rows,
            cols,
            [ids, rows, cols, counts[rows, cols], result.z[rows, cols], result.p[rows, cols],
             result.bins[rows, cols].astype(int), result.neighbours[rows, cols].astype(int)],
            progress.sub(0.5, 1.0),
        )  # fmt: skip
        crs_name = target.name if target.name != "unknown" else target.to_proj4()
        feedback.pushInfo(f"Grid: {grid_kind}, cell size {setup.grid.cell:g}, distance band {band:g}, CRS {crs_name}.")
        self.apply_style(dest, "hotspots_gi_bin", context)
        return {"OUTPUT": dest, "CELL_SIZE": setup.grid.cell, "DISTANCE_BAND": band}

    def report(self, feedback, result: go.GiResult, inside=None) -> None:
        bins = result.bins if inside is None else result.bins[inside]
        hot, cold = int((bins > 0).sum()), int((bins < 0).sum())
        correction = "with FDR correction" if result.fdr else "without FDR correction"
        feedback.pushInfo(f"{hot} hot and {cold} cold spots (90 % confidence or more, {correction}) of {bins.size}.")

    def run_on_features(self, source, parameters, context, feedback, progress) -> dict[str, Any]:
        value_field = self.parameterAsString(parameters, "VALUE_FIELD", context)
        if not value_field:
            raise MewError("GRID = none analyses each feature's value: choose the VALUE_FIELD (e.g. events).")
        method = self.parameterAsEnumString(parameters, "NEIGHBOURS", context) or "distance"
        target = qgis_crs(analysis_crs(source, context))
        transform = None
        if target != source.sourceCrs():
            transform = QgsCoordinateTransform(source.sourceCrs(), target, context.transformContext())
        features, shapes, values = [], [], []
        name = self.input_name(parameters, "INPUT", context)
        repair = not checks_geometries(context)
        with closing(checked_features(source, QgsFeatureRequest(), context, feedback, name)) as read:
            for feature in read:
                geometry = QgsGeometry(feature.geometry())
                if geometry.isNull() or geometry.isEmpty():
                    raise MewError(f"Feature {feature.id()} of the layer {name} has no geometry: remove or fix it.")
                if transform is not None:
                    geometry.transform(transform)
                value = qvariant_to_python(feature[value_field])
                if value is None:
                    raise MewError(f"Feature {feature.id()} of the layer {name} has no '{value_field}': fill or "
                                   "filter it.")
                features.append(feature)
                shape = wkb.loads(bytes(geometry.asWkb()))
                shapes.append(repaired(shape) if repair else shape)
                values.append(float(value))
        progress.step(0.3)
        values = np.asarray(values)
        xy = np.array([[g.centroid.x, g.centroid.y] for g in shapes]) if shapes else np.zeros((0, 2))
        if method == "contiguity":
            if QgsWkbTypes.geometryType(source.wkbType()) != GeometryType.Polygon:
                raise MewError("Contiguity (queen) neighbours need polygons: use distance or knn for points.")
            weights = go.queen_weights(shapes, progress.sub(0.3, 0.6))
            described = "queen contiguity"
        elif method == "knn":
            k = self.parameterAsInt(parameters, "K", context)
            weights = go.knn_weights(xy, k)
            described = f"{k} nearest neighbours"
        else:
            band = self.parameterAsDouble(parameters, "DISTANCE_BAND", context)
            if band <= 0:
                choice = go.automatic_feature_band(xy, values)
                feedback.pushInfo(choice.describe())
                band = choice.band
            weights = go.distance_weights(xy, band)
            described = f"distance band {band:g}"
        result = go.gi_star_features(values, weights, self.parameterAsBoolean(parameters, "FDR", context))
        for message in result.messages:
            feedback.pushWarning(message)
        feedback.pushInfo(f"Neighbours: {described}.")
        self.report(feedback, result)
        progress.step(0.9)  # the statistics are done: a cancel stops here, before the output is written
        # An input that already has Gi* columns (an earlier output, an ArcGIS export) gets them replaced.
        fields, kept = extended_fields(
            source.fields(), [("GiZScore", "real"), ("GiPValue", "real"), ("Gi_Bin", "int"), ("NNeighbors", "int")]
        )
        sink, dest = self.parameterAsSink(parameters, "OUTPUT", context, fields, source.wkbType(), source.sourceCrs())
        for i, feature in enumerate(features):
            out = QgsFeature(fields)
            out.setGeometry(feature.geometry())
            attributes = feature.attributes()
            out.setAttributes(
                [*(attributes[k] for k in kept), float(result.z[i]), float(result.p[i]), int(result.bins[i]),
                 int(result.neighbours[i])]
            )  # fmt: skip
            sink.addFeature(out, QgsFeatureSink.Flag.FastInsert)
        del sink
        points = QgsWkbTypes.geometryType(source.wkbType()) == GeometryType.Point
        self.apply_style(dest, "hotspots_gi_bin_points" if points else "hotspots_gi_bin", context)
        return {"OUTPUT": dest}
