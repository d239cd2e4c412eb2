"""mew:droughtindex — VCI, NDVI anomaly or standardized anomaly of one date of an NDVI stack."""

from __future__ import annotations

from typing import Any

from qgis.core import (
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..core.drought import DEFAULT_CLASSES, ClassTable, drought_index
from .base import MewAlgorithm
from .drought_parameters import add_stack_parameters, stack_arguments
from .parameters import geotiff

#: Style per index for the continuous output.
INDEX_STYLES = {
    "vci": "drought_vci",
    "ndvi_anomaly": "drought_ndvi_anomaly",
    "standardized_anomaly": "drought_standardized_anomaly",
}


def classes_style(classes: ClassTable) -> str | None:
    """The palette style for the class raster when the table is the default Kogan VCI one."""
    return "drought_classes" if classes.text == ClassTable.parse(DEFAULT_CLASSES["vci"]).text else None


class DroughtIndexAlgorithm(MewAlgorithm):
    """VCI, NDVI anomaly or standardized anomaly of one date of an NDVI stack, and its drought classes."""

    name_id = "droughtindex"
    display = QT_TRANSLATE_NOOP("MewAlgorithm", "Drought index (VCI, NDVI anomaly) from an NDVI stack")
    group_name = QT_TRANSLATE_NOOP("MewAlgorithm", "Drought")
    group_key = "drought"
    TAGS = ("drought", "ndvi", "vci", "anomaly", "vegetation", "index", "raster")

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API name
        add_stack_parameters(self, optional_stack=False, with_target=True)
        self.add_parameters(
            geotiff(
                "OUTPUT",
                self.tr("Drought index"),
                help=self.tr("A GeoTIFF of the index at the date assessed, styled from drought (brown) to green."),
            ),
            geotiff(
                "OUTPUT_CLASSES",
                self.tr("Drought classes"),
                optional=True,
                help=self.tr("A GeoTIFF of the drought class of each pixel (extreme, severe, moderate, mild, none)."),
            ),
        )
        self.addOutput(QgsProcessingOutputString("TARGET_DATE", self.tr("Date assessed")))
        self.addOutput(QgsProcessingOutputString("BASELINE_DATES", self.tr("Baseline dates used")))
        self.addOutput(QgsProcessingOutputNumber("VALID_PIXELS", self.tr("Pixels with a valid index")))
        self.addOutput(QgsProcessingOutputNumber("DROUGHT_PIXELS", self.tr("Pixels in drought")))

    def run_engine(self, parameters, context, feedback, progress):
        arguments = stack_arguments(self, parameters, context)
        output = self.parameterAsOutputLayer(parameters, "OUTPUT", context)
        output_classes = self.parameterAsOutputLayer(parameters, "OUTPUT_CLASSES", context) or None
        target = self.parameterAsString(parameters, "TARGET", context).strip() or None
        result = drought_index(
            output=output, output_classes=output_classes, target=target, progress=progress, **arguments
        )
        feedback.pushInfo(
            self.tr("{} of {} against {} baseline years ({}); {} valid pixels, {} in drought (index below {}).").format(
                result.index,
                result.target,
                len(result.baseline),
                ", ".join(result.baseline),
                result.valid_pixels,
                result.drought_pixels,
                f"{result.classes.drought_below:g}",
            )
        )
        self.record_period("NDVI target", result.target)
        self.record_dates("NDVI baseline", result.baseline)
        self.apply_style(output, INDEX_STYLES[result.index], context)
        outputs: dict[str, Any] = {
            "OUTPUT": output,
            "TARGET_DATE": result.target,
            "BASELINE_DATES": ",".join(result.baseline),
            "VALID_PIXELS": result.valid_pixels,
            "DROUGHT_PIXELS": result.drought_pixels,
        }
        if output_classes:
            style = classes_style(result.classes)
            if style:
                self.apply_style(output_classes, style, context)
            outputs["OUTPUT_CLASSES"] = output_classes
        return outputs
