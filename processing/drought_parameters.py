"""The NDVI stack parameters mew:droughtindex and mew:droughtchange share, and reading them."""

from __future__ import annotations

from typing import Any

from qgis.core import (
    QgsProcessingContext,
    QgsProcessingParameterBand,
    QgsProcessingParameterEnum,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterLayer,
    QgsProcessingParameterString,
)

from ..core.drought import INDICES, ClassTable, MaskSpec, default_classes, parse_values
from ..core.errors import MewError
from ..core.raster_blocks import resampling_named
from ..qgis_compat import ProcessingNumberParameterType, ProcessingSourceType
from .base import MewAlgorithm
from .convert import layer_file_path

RESAMPLINGS = ("nearest", "bilinear", "cubic", "average")


def add_stack_parameters(algorithm: MewAlgorithm, optional_stack: bool, with_target: bool) -> None:
    """The parameters that describe an NDVI stack and how to read it (shared with mew:droughtchange)."""
    tr = algorithm.tr
    algorithm.addParameter(
        QgsProcessingParameterMultipleLayers(
            "STACK",
            tr("NDVI stack (one multiband raster, or one raster per date)"),
            ProcessingSourceType.Raster,
            optional=optional_stack,
        )
    )
    algorithm.addParameter(
        QgsProcessingParameterString(
            "DATES",
            tr("Dates of the bands, when the stack carries none (YYYY-MM-DD, comma separated, in band order)"),
            optional=True,
        )
    )
    if with_target:
        algorithm.addParameter(
            QgsProcessingParameterString(
                "TARGET",
                tr("Date or period to assess (e.g. 2026-09-14, 2026-09 or 2026; empty = latest)"),
                optional=True,
            )
        )
    algorithm.addParameter(
        QgsProcessingParameterNumber(
            "BASELINE_START",
            tr("First year of the baseline (empty = first year of the stack)"),
            ProcessingNumberParameterType.Integer,
            optional=True,
            minValue=1900,
            maxValue=2200,
        )
    )
    algorithm.addParameter(
        QgsProcessingParameterNumber(
            "BASELINE_END",
            tr("Last year of the baseline (empty = the year before the target)"),
            ProcessingNumberParameterType.Integer,
            optional=True,
            minValue=1900,
            maxValue=2200,
        )
    )
    algorithm.addParameter(
        QgsProcessingParameterEnum(
            "INDEX",
            tr("Index: vci (Kogan), ndvi_anomaly or standardized_anomaly"),
            options=list(INDICES),
            defaultValue="vci",
            usesStaticStrings=True,
        )
    )
    algorithm.addParameter(
        QgsProcessingParameterNumber(
            "SCALE",
            tr("Scale of stored values (e.g. 0.0001 for MODIS; empty = from the file)"),
            ProcessingNumberParameterType.Double,
            optional=True,
        )
    )
    algorithm.addParameter(
        QgsProcessingParameterNumber(
            "OFFSET",
            tr("Offset of stored values (empty = from the file)"),
            ProcessingNumberParameterType.Double,
            optional=True,
        )
    )
    algorithm.addParameter(
        QgsProcessingParameterNumber(
            "VALID_MIN",
            tr("Lowest valid NDVI, after scaling (empty = no limit)"),
            ProcessingNumberParameterType.Double,
            optional=True,
        )
    )
    algorithm.addParameter(
        QgsProcessingParameterNumber(
            "VALID_MAX",
            tr("Highest valid NDVI, after scaling (empty = no limit)"),
            ProcessingNumberParameterType.Double,
            optional=True,
        )
    )
    algorithm.addParameter(
        QgsProcessingParameterRasterLayer(
            "MASK", tr("Cloud/QA mask (one band for all dates, or one band per date)"), optional=True
        )
    )
    algorithm.addParameter(
        QgsProcessingParameterBand(
            "MASK_BAND",
            tr("Mask band to use for every date (empty = by date or band order)"),
            parentLayerParameterName="MASK",
            optional=True,
        )
    )
    algorithm.addParameter(
        QgsProcessingParameterString(
            "MASK_VALUES", tr("Mask values that mean bad (e.g. 1 or 1,2,3 or 1-3)"), defaultValue="1", optional=True
        )
    )
    algorithm.addParameter(
        QgsProcessingParameterString(
            "CLASSES",
            tr("Drought classes: upper bound:name, worst first (empty = the index's default table)"),
            optional=True,
        )
    )
    algorithm.addParameter(
        QgsProcessingParameterRasterLayer(
            "REFERENCE", tr("Grid to align onto (empty = the first input's grid)"), optional=True
        )
    )
    algorithm.addParameter(
        QgsProcessingParameterEnum(
            "RESAMPLING",
            tr("Resampling of inputs that are not on the grid"),
            options=list(RESAMPLINGS),
            defaultValue="bilinear",
            usesStaticStrings=True,
        )
    )


def stack_arguments(
    algorithm: MewAlgorithm, parameters: dict[str, Any], context: QgsProcessingContext
) -> dict[str, Any]:
    """Keyword arguments for the engine from the shared stack parameters."""
    layers = algorithm.parameterAsLayerList(parameters, "STACK", context) or []
    paths = []
    for layer in layers:
        path = layer_file_path(layer)
        if not path:
            raise MewError(f"The stack layer '{layer.name()}' is not a file: save it as GeoTIFF first.")
        paths.append(path)
    index = algorithm.parameterAsEnumString(parameters, "INDEX", context)
    dates_text = algorithm.parameterAsString(parameters, "DATES", context).strip()
    classes_text = algorithm.parameterAsString(parameters, "CLASSES", context).strip()
    mask_layer = algorithm.parameterAsRasterLayer(parameters, "MASK", context)
    mask = None
    if mask_layer is not None:
        mask_path = layer_file_path(mask_layer)
        if not mask_path:
            raise MewError(f"The mask layer '{mask_layer.name()}' is not a file: save it as GeoTIFF first.")
        band = algorithm.parameterAsInt(parameters, "MASK_BAND", context) if parameters.get("MASK_BAND") else 0
        values = parse_values(algorithm.parameterAsString(parameters, "MASK_VALUES", context))
        if not values:
            raise MewError("MASK_VALUES is empty: list the mask values that mean a bad pixel, e.g. 1.")
        mask = MaskSpec(mask_path, values, band or None)
    reference = algorithm.parameterAsRasterLayer(parameters, "REFERENCE", context)
    return {
        "stack": paths,
        "dates": [d for d in dates_text.replace(";", ",").split(",") if d.strip()] or None,
        "baseline_start": optional_number(algorithm, parameters, "BASELINE_START", context, integer=True),
        "baseline_end": optional_number(algorithm, parameters, "BASELINE_END", context, integer=True),
        "index": index,
        "scale": optional_number(algorithm, parameters, "SCALE", context),
        "offset": optional_number(algorithm, parameters, "OFFSET", context),
        "valid_min": optional_number(algorithm, parameters, "VALID_MIN", context),
        "valid_max": optional_number(algorithm, parameters, "VALID_MAX", context),
        "mask": mask,
        "classes": ClassTable.parse(classes_text) if classes_text else default_classes(index),
        "reference": layer_file_path(reference) if reference is not None else None,
        "resampling": resampling_named(algorithm.parameterAsEnumString(parameters, "RESAMPLING", context)),
    }


def optional_number(
    algorithm: MewAlgorithm, parameters: dict[str, Any], name: str, context: QgsProcessingContext, integer: bool = False
) -> float | int | None:
    """The number given for an optional parameter, or ``None`` when it was left empty."""
    value = parameters.get(name)
    if value is None or value == "":
        return None
    if integer:
        return algorithm.parameterAsInt(parameters, name, context)
    return algorithm.parameterAsDouble(parameters, name, context)
