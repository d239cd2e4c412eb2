"""``mew:incidentdensity``: kernel density of incidents by binning and FFT (engine: core.density)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from qgis.core import Qgis

from ..core import density
from ..core.errors import MewError
from ..core.io import refuse_non_geotiff
from ..qgis_compat import ProcessingSourceType
from .base import MewAlgorithm
from .convert import pyproj_crs
from .feature_io import Geometry, ReadOptions, read_input
from .parameters import date, enum, feature_source, field, geotiff, number, parameter_as_date
from .styles import rescaled_density_qml

KERNELS = ("Quartic", "Triangular", "Uniform", "Triweight", "Epanechnikov")  # QGIS's heatmap order
OUTPUT_VALUES = ("Raw", "Scaled (as QGIS)", "Density (integrates to the count, per km²)")
METHODS = ("Fast (binning + FFT)", "Exact (direct kernel sum)")


class IncidentDensityAlgorithm(MewAlgorithm):
    """Kernel density of incident points on QGIS's heatmap grid, by binning and FFT."""

    name_id = "incidentdensity"
    display = "Incident density (kernel density)"
    group_name = "Incidents and hot spots"
    group_key = "incidents"
    TAGS = ("incidents", "density", "kernel", "heatmap", "kde", "raster")

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API name
        tr = self.tr
        self.add_parameters(
            feature_source("INPUT", tr("Incidents (points)"), ProcessingSourceType.VectorPoint),
            number("RADIUS", tr("Radius (metres)"), default=5000.0, minimum=0.001),
            number("PIXEL_SIZE", tr("Pixel size (metres)"), default=100.0, minimum=0.001),
            enum("KERNEL", tr("Kernel shape"), KERNELS),
            number("DECAY", tr("Decay ratio (triangular kernel only)"), default=0.0, minimum=-100.0, maximum=100.0),
            field("WEIGHT_FIELD", tr("Weight from field (e.g. fatalities)"), "INPUT", numeric=True, optional=True),
            enum("OUTPUT_VALUE", tr("Output values"), OUTPUT_VALUES),
            enum("METHOD", tr("Method"), METHODS),
            field("DATE_FIELD", tr("Date field (to keep a period only)"), "INPUT", optional=True),
            date("START", tr("Period start (inclusive)"), optional=True),
            date("END", tr("Period end (inclusive)"), optional=True),
            geotiff("OUTPUT", tr("Incident density")),
        )

    def run_engine(self, parameters, context, feedback, progress) -> dict[str, Any]:
        source = self.parameterAsSource(parameters, "INPUT", context)
        if source is None:
            raise MewError("The incident layer could not be opened: choose a point layer.")
        radius = self.parameterAsDouble(parameters, "RADIUS", context)
        pixel_size = self.parameterAsDouble(parameters, "PIXEL_SIZE", context)
        kernel = density.Kernel(self.parameterAsEnum(parameters, "KERNEL", context))
        decay = self.parameterAsDouble(parameters, "DECAY", context)
        output_value = density.OutputValue(self.parameterAsEnum(parameters, "OUTPUT_VALUE", context))
        if output_value is density.OutputValue.SCALED:  # as the QGIS that runs it scales its heatmap
            output_value = density.scaled_as_qgis(Qgis.QGIS_VERSION_INT)
        method = density.Method(self.parameterAsEnum(parameters, "METHOD", context))
        weight_field = self.parameterAsString(parameters, "WEIGHT_FIELD", context) or ""
        date_field = self.parameterAsString(parameters, "DATE_FIELD", context) or ""
        start = parameter_as_date(self, parameters, "START", context)
        end = parameter_as_date(self, parameters, "END", context)
        if (start or end) and not date_field:
            raise MewError("A period (START/END) needs DATE_FIELD: choose the field that holds the incident date.")
        if start and end and start > end:
            raise MewError(f"The period starts ({start}) after it ends ({end}): swap START and END.")
        output = self.parameterAsOutputLayer(parameters, "OUTPUT", context)
        refuse_non_geotiff([output])  # renamed to .tif, it could replace a file nobody named

        fields = [f for f in (weight_field, date_field if (start or end) else "") if f]
        started = time.perf_counter()
        crs = pyproj_crs(source.sourceCrs(), "incident layer")
        table = read_input(
            self,
            parameters,
            "INPUT",
            context,
            feedback,
            ReadOptions(
                Geometry.POINT_PARTS, fields, progress=progress.sub(0, 0.2), leave_out_impossible=True, what="incidents"
            ),
            source,
        )
        feedback.pushInfo(
            self.tr(f"Read {len(table) + table.impossible} points in {time.perf_counter() - started:.2f} s.")
        )
        x, y, columns = table.xy[:, 0], table.xy[:, 1], table.columns
        weights = None
        if weight_field:
            weights, warnings = density.incident_weights(columns[weight_field], weight_field, table.ids.tolist())
            for warning in warnings:
                feedback.pushWarning(self.tr(warning))
        if date_field and (start or end):
            keep = density.date_mask(columns[date_field], start, end, date_field)
            feedback.pushInfo(
                self.tr(
                    f"{int(keep.sum())} of {keep.size} incidents dated within the period "
                    f"{start or '…'} – {end or '…'} (field {date_field})."
                )
            )
            x, y = x[keep], y[keep]
            weights = weights[keep] if weights is not None else None
        x, y, metric = density.to_metric(x, y, crs)
        if metric != crs:
            feedback.pushInfo(
                self.tr(f"The layer's CRS is not true to scale: the density is computed in {metric.name}.")
            )
        started = time.perf_counter()
        result = density.write_density(
            output,
            x,
            y,
            metric.to_wkt(),
            density.KernelSettings(radius, kernel, output_value, decay),
            pixel_size,
            weights,
            method,
            progress.sub(0.2, 1.0),
        )
        feedback.pushInfo(
            self.tr(
                f"{result.points} incidents, grid {result.grid.cols} × {result.grid.rows} pixels of {pixel_size:g} m, "
                f"method {result.method} (lattice refinement {result.refinement}), maximum {result.maximum:.6g}, "
                f"computed and written in {time.perf_counter() - started:.2f} s."
            )
        )
        self._style(output, result.maximum, context)
        return {"OUTPUT": output}

    def _style(self, output: str, maximum: float, context) -> None:
        qml_path = Path(output).with_suffix(".qml")
        qml_path.write_text(rescaled_density_qml(maximum), encoding="utf-8")
        self.apply_style(output, qml_path, context)
