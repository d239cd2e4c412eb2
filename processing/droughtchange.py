"""mew:droughtchange — change of a drought index between two periods, new-drought polygons, zonal summary."""

from __future__ import annotations

import tempfile
from typing import Any

from qgis.core import (
    QgsFeature,
    QgsFeatureSink,
    QgsGeometry,
    QgsProcessingOutputNumber,
    QgsProcessingUtils,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..core.drought import ClassTable, Zone, classes_of, drought_change, drought_change_from_stack
from ..core.errors import MewError
from ..core.raster_blocks import Grid, resampling_named
from ..qgis_compat import WkbType, make_fields
from .base import MewAlgorithm
from .convert import layer_file_path, qgis_crs
from .drought_parameters import add_change_parameters, stack_arguments
from .feature_io import Geometry, ReadOptions, read_input
from .parameters import (
    optional_number,
    parameter_as_choice,
)


class DroughtChangeAlgorithm(MewAlgorithm):
    """Compares a drought index between two periods: ΔVCI, transitions, new-drought areas, per-zone summary."""

    name_id = "droughtchange"
    display = QT_TRANSLATE_NOOP("MewAlgorithm", "Drought change between two periods")
    group_name = QT_TRANSLATE_NOOP("MewAlgorithm", "Drought")
    group_key = "drought"
    TAGS = ("drought", "change", "vci", "transitions", "zonal", "statistics", "raster")

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API name
        add_change_parameters(self)
        self.addOutput(QgsProcessingOutputNumber("NEW_DROUGHT_AREAS", self.tr("Number of new drought areas")))

    def run_engine(self, parameters, context, feedback, progress):
        before = self.parameterAsRasterLayer(parameters, "BEFORE", context)
        after = self.parameterAsRasterLayer(parameters, "AFTER", context)
        stack = self.parameterAsLayerList(parameters, "STACK", context) or []
        if (before is None) != (after is None):
            raise MewError("Give both BEFORE and AFTER index rasters, or a STACK with BEFORE_DATE and AFTER_DATE.")
        if before is None and not stack:
            raise MewError("Nothing to compare: give BEFORE and AFTER index rasters, or a STACK and two dates.")
        output_delta = self.parameterAsOutputLayer(parameters, "OUTPUT_DELTA", context)
        output_transitions = self.parameterAsOutputLayer(parameters, "OUTPUT_TRANSITIONS", context) or None
        want_polygons = parameters.get("OUTPUT_POLYGONS") is not None
        zones_source = self.parameterAsSource(parameters, "ZONES", context)
        want_summary = zones_source is not None and parameters.get("OUTPUT_SUMMARY") is not None
        population = self.parameterAsRasterLayer(parameters, "POPULATION", context)
        change: dict[str, Any] = {
            "output_delta": output_delta,
            "output_transitions": output_transitions,
            "min_area_ha": self.parameterAsDouble(parameters, "MIN_AREA", context) if want_polygons else None,
            "population": layer_file_path(population) if population is not None else None,
            "drought_below": optional_number(self, parameters, "DROUGHT_BELOW", context),
        }
        classes_text = self.parameterAsString(parameters, "CLASSES", context).strip()
        reference = self.parameterAsRasterLayer(parameters, "REFERENCE", context)
        grid_source = layer_file_path(reference) if reference is not None else None
        if before is not None:
            grid_source = grid_source or layer_file_path(before)
        else:
            grid_source = grid_source or layer_file_path(stack[0])
        grid = Grid.of(grid_source)
        if want_summary:
            change["zones"] = self.zones(parameters, context, feedback, zones_source, grid, progress)
        if before is not None:
            paths = [layer_file_path(before), layer_file_path(after)]
            if not all(paths):
                raise MewError("BEFORE and AFTER must be raster files (GeoTIFF).")
            result = drought_change(
                paths[0],
                paths[1],
                classes=ClassTable.parse(classes_text) if classes_text else classes_of(paths[1]),
                reference=layer_file_path(reference) if reference is not None else None,
                resampling=resampling_named(parameter_as_choice(self, parameters, "RESAMPLING", context)),
                progress=progress,
                **change,
            )
        else:
            options = stack_arguments(self, parameters, context)
            before_date = self.parameterAsString(parameters, "BEFORE_DATE", context).strip()
            if not before_date:
                raise MewError("With a STACK, set BEFORE_DATE (and AFTER_DATE, or the latest date is used).")
            after_date = self.parameterAsString(parameters, "AFTER_DATE", context).strip() or None
            with tempfile.TemporaryDirectory(dir=QgsProcessingUtils.tempFolder()) as workdir:
                result = drought_change_from_stack(
                    options.pop("stack"),
                    before_date,
                    after_date,
                    workdir=workdir,
                    index_options=options,
                    progress=progress,
                    **change,
                )
        outputs: dict[str, Any] = {"OUTPUT_DELTA": output_delta, "NEW_DROUGHT_AREAS": len(result.polygons)}
        self.apply_style(output_delta, "drought_delta", context)
        if output_transitions:
            self.apply_style(output_transitions, "drought_transitions", context)
            outputs["OUTPUT_TRANSITIONS"] = output_transitions
        crs = qgis_crs_of(grid)
        if want_polygons:
            outputs["OUTPUT_POLYGONS"] = self.write_polygons(parameters, context, result, crs)
        if want_summary:
            outputs["OUTPUT_SUMMARY"] = self.write_summary(parameters, context, result, crs)
            worst = result.summary[0] if result.summary else None
            if worst is not None and worst["drought_share"] is not None:
                feedback.pushInfo(
                    self.tr("Worst zone: {} ({} % of its valid area in drought, mean index {}).").format(
                        worst["name"], f"{100 * worst['drought_share']:.1f}", f"{worst['mean_index']:.1f}"
                    )
                )
        feedback.pushInfo(
            self.tr("{} new drought area(s) of at least {} ha; drought means index below {}.").format(
                len(result.polygons), f"{change['min_area_ha'] or 0:g}", f"{result.drought_below:g}"
            )
        )
        return outputs

    def zones(self, parameters, context, feedback, source, grid: Grid, progress) -> list[Zone]:
        """The zones as shapely polygons in the grid's CRS, named by ZONE_FIELD (else by feature id)."""
        field = self.parameterAsString(parameters, "ZONE_FIELD", context)
        target = qgis_crs_of(grid)
        zones = []
        read = read_input(
            self,
            parameters,
            "ZONES",
            context,
            feedback,
            ReadOptions(Geometry.SHAPES, (field,), target, progress=progress.sub(0, 0.0)),
            source,
        )
        for fid, shape, value in zip(read.ids.tolist(), read.shapes, read.columns.get(field) or [None] * len(read)):
            if shape is None:
                continue
            name = str(value) if value is not None else str(fid)
            zones.append(Zone(name, name, shape))
        if not zones:
            raise MewError("The ZONES layer has no polygon with a geometry: choose a layer of zones.")
        return zones

    def write_polygons(self, parameters, context, result, crs) -> str:
        fields = make_fields([("id", "int"), ("area_ha", "real"), ("mean_delta", "real"), ("pixels", "int")])
        sink, destination = self.parameterAsSink(parameters, "OUTPUT_POLYGONS", context, fields, WkbType.Polygon, crs)
        for area_number, row in enumerate(result.polygons, 1):
            feature = QgsFeature(fields)
            feature.setGeometry(QgsGeometry.fromWkt(row["geometry"].wkt))
            feature.setAttributes(
                [area_number, round(float(row["area_ha"]), 2), round(float(row["mean_delta"]), 3), int(row["pixels"])]
            )
            if not sink.addFeature(feature, QgsFeatureSink.Flag.FastInsert):
                raise MewError(
                    "Could not write new drought area {area_number}: {sink}",
                    area_number=area_number,
                    sink=sink.lastError(),
                )
        return destination

    def write_summary(self, parameters, context, result, crs) -> str:
        names = [k for k in result.summary[0] if k != "geometry"] if result.summary else ["zone", "rank"]
        fields = make_fields(
            (name, "text" if name in ("zone", "name") else "int" if name == "rank" else "real") for name in names
        )
        sink, destination = self.parameterAsSink(
            parameters, "OUTPUT_SUMMARY", context, fields, WkbType.MultiPolygon, crs
        )
        for row in result.summary:
            feature = QgsFeature(fields)
            geometry = QgsGeometry.fromWkt(row["geometry"].wkt)
            geometry.convertToMultiType()
            feature.setGeometry(geometry)
            feature.setAttributes([plain(row[name]) for name in names])
            if not sink.addFeature(feature, QgsFeatureSink.Flag.FastInsert):
                raise MewError(
                    "Could not write the summary of zone '{row}': {sink}", row=row["name"], sink=sink.lastError()
                )
        return destination


def plain(value: Any) -> Any:
    """numpy scalars as Python numbers (QgsFeature refuses numpy types)."""
    return value.item() if hasattr(value, "item") else value


def qgis_crs_of(grid: Grid):
    from pyproj import CRS

    return qgis_crs(CRS.from_wkt(grid.crs.to_wkt()))
