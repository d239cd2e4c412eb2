"""The NDVI stack parameters mew:droughtindex and mew:droughtchange share, and reading them."""

from __future__ import annotations

from typing import Any

from qgis.core import QgsProcessingContext

from ..core.drought import INDICES, ClassTable, MaskSpec, default_classes, parse_values
from ..core.errors import MewError
from ..core.raster_blocks import resampling_named
from ..qgis_compat import ProcessingSourceType
from .base import MewAlgorithm
from .convert import layer_file_path
from .parameters import band, enum, integer, multiple_layers, number, optional_number, raster_layer, string

RESAMPLINGS = ("nearest", "bilinear", "cubic", "average")


def add_stack_parameters(algorithm: MewAlgorithm, optional_stack: bool, with_target: bool) -> None:
    """The parameters that describe an NDVI stack and how to read it (shared with mew:droughtchange)."""
    tr = algorithm.tr
    stack = multiple_layers(
        "STACK",
        tr("NDVI stack (one multiband raster, or one raster per date)"),
        ProcessingSourceType.Raster,
        optional=optional_stack,
    )
    dates = string(
        "DATES",
        tr("Dates of the bands, when the stack carries none (YYYY-MM-DD, comma separated, in band order)"),
        optional=True,
    )
    target = string(
        "TARGET", tr("Date or period to assess (e.g. 2026-09-14, 2026-09 or 2026; empty = latest)"), optional=True
    )
    years = {"minimum": 1900, "maximum": 2200, "optional": True}
    algorithm.add_parameters(
        stack,
        dates,
        *([target] if with_target else []),
        integer("BASELINE_START", tr("First year of the baseline (empty = first year of the stack)"), **years),
        integer("BASELINE_END", tr("Last year of the baseline (empty = the year before the target)"), **years),
        enum(
            "INDEX",
            tr("Index: vci (Kogan), ndvi_anomaly or standardized_anomaly"),
            INDICES,
            default="vci",
            static_strings=True,
        ),
        number("SCALE", tr("Scale of stored values (e.g. 0.0001 for MODIS; empty = from the file)"), optional=True),
        number("OFFSET", tr("Offset of stored values (empty = from the file)"), optional=True),
        number("VALID_MIN", tr("Lowest valid NDVI, after scaling (empty = no limit)"), optional=True),
        number("VALID_MAX", tr("Highest valid NDVI, after scaling (empty = no limit)"), optional=True),
        raster_layer("MASK", tr("Cloud/QA mask (one band for all dates, or one band per date)"), optional=True),
        band("MASK_BAND", tr("Mask band to use for every date (empty = by date or band order)"), "MASK", optional=True),
        string("MASK_VALUES", tr("Mask values that mean bad (e.g. 1 or 1,2,3 or 1-3)"), default="1", optional=True),
        string(
            "CLASSES",
            tr("Drought classes: upper bound:name, worst first (empty = the index's default table)"),
            optional=True,
        ),
        raster_layer("REFERENCE", tr("Grid to align onto (empty = the first input's grid)"), optional=True),
        enum(
            "RESAMPLING",
            tr("Resampling of inputs that are not on the grid"),
            RESAMPLINGS,
            default="bilinear",
            static_strings=True,
        ),
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
