"""``mew:incidentdensity``: kernel density of incidents by binning and FFT (engine: core.density)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from qgis.core import Qgis
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..core import density
from ..core.errors import MewError
from ..core.io import refuse_non_geotiff
from ..qgis_compat import ProcessingSourceType
from .base import MewAlgorithm
from .convert import pyproj_crs
from .feature_io import Geometry, ReadOptions, read_input
from .parameters import date, enum, feature_source, field, geotiff, number, parameter_as_choice, parameter_as_date
from .styles import rescaled_density_qml

#: The short names of the options, as scripts give them (the kernels in QGIS's heatmap order).
KERNELS = tuple(kernel.name.lower() for kernel in density.Kernel)
OUTPUT_VALUES = ("raw", "scaled", "density")
METHODS = tuple(method.name.lower() for method in density.Method)


class IncidentDensityAlgorithm(MewAlgorithm):
    """Kernel density of incident points on QGIS's heatmap grid, by binning and FFT."""

    name_id = "incidentdensity"
    display = QT_TRANSLATE_NOOP("MewAlgorithm", "Incident density (kernel density)")
    group_name = QT_TRANSLATE_NOOP("MewAlgorithm", "Incidents and hot spots")
    group_key = "incidents"
    TAGS = ("incidents", "density", "kernel", "heatmap", "kde", "raster")

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API name
        tr = self.tr
        self.add_parameters(
            feature_source(
                "INPUT",
                tr("Incidents (points)"),
                ProcessingSourceType.VectorPoint,
                help=tr("Incident points, e.g. an ACLED or UCDP import."),
            ),
            number(
                "RADIUS",
                tr("Radius (metres)"),
                default=5000.0,
                minimum=0.001,
                decimals=0,
                help=tr(
                    "How far each incident spreads: a larger radius gives a smoother map of broad areas, a smaller "
                    "one shows local clusters."
                ),
            ),
            number(
                "PIXEL_SIZE",
                tr("Pixel size (metres)"),
                default=100.0,
                minimum=0.001,
                decimals=0,
                help=tr("The side of a pixel of the output raster. Smaller pixels give a finer but larger file."),
            ),
            enum(
                "KERNEL",
                tr("Kernel shape"),
                KERNELS,
                (tr("Quartic"), tr("Triangular"), tr("Uniform"), tr("Triweight"), tr("Epanechnikov")),
                advanced=True,
                help=tr(
                    "How an incident's weight falls off with distance, as in QGIS's Heatmap. Quartic suits most uses."
                ),
            ),
            number(
                "DECAY",
                tr("Decay ratio (triangular kernel only)"),
                default=0.0,
                minimum=-100.0,
                maximum=100.0,
                advanced=True,
                help=tr("The weight at the edge of the radius relative to the centre, for the triangular kernel."),
            ),
            field(
                "WEIGHT_FIELD",
                tr("Weight of each incident (e.g. fatalities; empty: each counts once)"),
                "INPUT",
                numeric=True,
                optional=True,
                help=tr(
                    "Each incident counts this much instead of 1. Empty or negative values are reported in the log."
                ),
            ),
            enum(
                "OUTPUT_VALUE",
                tr("Values of the map"),
                OUTPUT_VALUES,
                (
                    tr("Raw kernel sums"),
                    tr("Scaled as QGIS's Heatmap"),
                    tr("Incidents per square kilometre"),
                ),
                help=tr(
                    "Incidents per square kilometre can be read and compared between maps; the other two match "
                    "QGIS's Heatmap."
                ),
            ),
            enum(
                "METHOD",
                tr("Computation"),
                METHODS,
                (tr("Fast (binning and FFT)"), tr("Exact (every kernel summed)")),
                advanced=True,
                help=tr(
                    "Fast is within 0.05 % of exact for quartic and triweight kernels and much quicker on many points."
                ),
            ),
            field(
                "DATE_FIELD",
                tr("Incident date field (to keep one period only)"),
                "INPUT",
                optional=True,
                help=tr("Needed with a period start or end: the field holding each incident's date."),
            ),
            date("START", tr("Period start"), optional=True, help=tr("The first day counted, included.")),
            date("END", tr("Period end"), optional=True, help=tr("The last day counted, included.")),
            geotiff(
                "OUTPUT",
                tr("Incident density"),
                help=tr("A GeoTIFF raster of incident density, styled from light to dark."),
            ),
        )

    def run_engine(self, parameters, context, feedback, progress) -> dict[str, Any]:
        source = self.parameterAsSource(parameters, "INPUT", context)
        if source is None:
            raise MewError("The incident layer could not be opened: choose a point layer.")
        radius = self.parameterAsDouble(parameters, "RADIUS", context)
        pixel_size = self.parameterAsDouble(parameters, "PIXEL_SIZE", context)
        kernel = density.Kernel[parameter_as_choice(self, parameters, "KERNEL", context).upper()]
        decay = self.parameterAsDouble(parameters, "DECAY", context)
        output_value = density.OutputValue[parameter_as_choice(self, parameters, "OUTPUT_VALUE", context).upper()]
        if output_value is density.OutputValue.SCALED:  # as the QGIS that runs it scales its heatmap
            output_value = density.scaled_as_qgis(Qgis.QGIS_VERSION_INT)
        method = density.Method[parameter_as_choice(self, parameters, "METHOD", context).upper()]
        weight_field = self.parameterAsString(parameters, "WEIGHT_FIELD", context) or ""
        date_field = self.parameterAsString(parameters, "DATE_FIELD", context) or ""
        start = parameter_as_date(self, parameters, "START", context)
        end = parameter_as_date(self, parameters, "END", context)
        if (start or end) and not date_field:
            raise MewError("A period (START/END) needs DATE_FIELD: choose the field that holds the incident date.")
        if start and end and start > end:
            raise MewError(
                "The period starts ({start}) after it ends ({end}): swap START and END.", start=start, end=end
            )
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
            self.tr("Read {} points in {} s.").format(
                len(table) + table.impossible, f"{time.perf_counter() - started:.2f}"
            )
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
                self.tr("{} of {} incidents dated within the period {} – {} (field {}).").format(
                    int(keep.sum()), keep.size, start or "…", end or "…", date_field
                )
            )
            x, y = x[keep], y[keep]
            weights = weights[keep] if weights is not None else None
        x, y, metric = density.to_metric(x, y, crs)
        if metric != crs:
            feedback.pushInfo(
                self.tr("The layer's CRS is not true to scale: the density is computed in {}.").format(metric.name)
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
                "{} incidents, grid {} × {} pixels of {} m, method {} (lattice refinement {}), maximum {}, "
                "computed and written in {} s."
            ).format(
                result.points,
                result.grid.cols,
                result.grid.rows,
                f"{pixel_size:g}",
                result.method,
                result.refinement,
                f"{result.maximum:.6g}",
                f"{time.perf_counter() - started:.2f}",
            )
        )
        self._style(output, result.maximum, context)
        return {"OUTPUT": output}

    def _style(self, output: str, maximum: float, context) -> None:
        qml_path = Path(output).with_suffix(".qml")
        qml_path.write_text(rescaled_density_qml(maximum), encoding="utf-8")
        self.apply_style(output, qml_path, context)
