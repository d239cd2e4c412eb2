"""The parameters of mew:droughtindex and mew:droughtchange (the NDVI stack they share), and reading them."""

from __future__ import annotations

from typing import Any

from qgis.core import QgsProcessingContext

from ..core.drought import INDICES, ClassTable, MaskSpec, default_classes, parse_values
from ..core.errors import MewError
from ..core.raster_blocks import resampling_named
from ..qgis_compat import ProcessingSourceType
from .base import MewAlgorithm
from .convert import layer_file_path
from .parameters import (
    band,
    enum,
    feature_sink,
    feature_source,
    field,
    geotiff,
    integer,
    multiple_layers,
    number,
    optional_number,
    parameter_as_choice,
    raster_layer,
    string,
)

#: The years a baseline may start or end in.
BASELINE_YEARS = (1900, 2200)
RESAMPLINGS = ("nearest", "bilinear", "cubic", "average")


def add_stack_parameters(algorithm: MewAlgorithm, optional_stack: bool, with_target: bool) -> None:
    """The parameters that describe an NDVI stack and how to read it (shared with mew:droughtchange).

    An optional stack is the second way in (mew:droughtchange compares two index rasters first): how to read it
    then goes under "Advanced parameters" with the other settings an officer rarely changes.
    """
    tr = algorithm.tr
    reading_advanced = optional_stack
    stack = multiple_layers(
        "STACK",
        tr("NDVI stack (one multiband raster, or one raster per date)"),
        ProcessingSourceType.Raster,
        optional=optional_stack,
        help=tr(
            "Several years of NDVI images of the same area, e.g. MODIS or Sentinel-2 composites; each band or file "
            "is one date."
        ),
    )
    dates = string(
        "DATES",
        tr("Dates of the bands, when the stack carries none (comma separated, in band order)"),
        optional=True,
        advanced=True,
        help=tr("One date per band, written as 2026-09-14, in the order of the bands. Empty: read from the files."),
    )
    target = string(
        "TARGET",
        tr("Date or period to assess (e.g. 2026-09-14, 2026-09 or 2026; empty: the latest)"),
        optional=True,
        help=tr("A day, a month or a year: the stack's dates within it are assessed together."),
    )
    algorithm.add_parameters(
        stack,
        dates,
        *([target] if with_target else []),
        integer(
            "BASELINE_START",
            tr("First year of the comparison years (empty: the first year of the stack)"),
            help=tr("The years the assessed date is compared with start with this one."),
            minimum=BASELINE_YEARS[0],
            maximum=BASELINE_YEARS[1],
            optional=True,
            advanced=True,
        ),
        integer(
            "BASELINE_END",
            tr("Last year of the comparison years (empty: the year before the one assessed)"),
            help=tr("The years the assessed date is compared with end with this one."),
            minimum=BASELINE_YEARS[0],
            maximum=BASELINE_YEARS[1],
            optional=True,
            advanced=True,
        ),
        enum(
            "INDEX",
            tr("Drought index"),
            INDICES,
            (
                tr("Vegetation Condition Index (VCI, 0-100)"),
                tr("NDVI difference from the usual"),
                tr("NDVI difference from the usual, in standard deviations"),
            ),
            default="vci",
            advanced=reading_advanced,
            help=tr(
                "The VCI places this year's greenness between the driest and the greenest of the comparison years: "
                "below 40 is drought. The NDVI differences compare with the average of those years."
            ),
        ),
        number(
            "SCALE",
            tr("Scale of stored values (e.g. 0.0001 for MODIS; empty: from the file)"),
            optional=True,
            advanced=True,
            help=tr("The factor that turns the stored numbers into NDVI, when the file does not say it."),
        ),
        number(
            "OFFSET",
            tr("Offset of stored values (empty: from the file)"),
            optional=True,
            advanced=True,
            help=tr("Added after the scale to turn the stored numbers into NDVI, when the file does not say it."),
        ),
        number(
            "VALID_MIN",
            tr("Lowest valid NDVI (empty: no limit)"),
            optional=True,
            advanced=True,
            help=tr("Pixels below this NDVI, after scaling, are treated as missing."),
        ),
        number(
            "VALID_MAX",
            tr("Highest valid NDVI (empty: no limit)"),
            optional=True,
            advanced=True,
            help=tr("Pixels above this NDVI, after scaling, are treated as missing."),
        ),
        raster_layer(
            "MASK",
            tr("Cloud or quality mask (one band for all dates, or one band per date)"),
            optional=True,
            advanced=reading_advanced,
            help=tr("A raster marking clouded or bad pixels, which are then left out."),
        ),
        band(
            "MASK_BAND",
            tr("Mask band to use for every date (empty: one band per date)"),
            "MASK",
            optional=True,
            advanced=True,
            help=tr("Choose a band when one band of the mask serves every date."),
        ),
        string(
            "MASK_VALUES",
            tr("Mask values that mark a bad pixel (e.g. 1 or 1,2,3 or 1-3)"),
            default="1",
            optional=True,
            advanced=reading_advanced,
            help=tr("The values of the mask that mean cloud or bad quality, as a list or a range."),
        ),
        string(
            "CLASSES",
            tr("Drought classes: upper bound:name, worst first (empty: the index's usual classes)"),
            optional=True,
            advanced=True,
            help=tr(
                "E.g. 10:extreme,20:severe,30:moderate,40:mild,100:none. Empty: Kogan's classes for the VCI, "
                "or those of the chosen index."
            ),
        ),
        raster_layer(
            "REFERENCE",
            tr("Grid to align onto (empty: the first input's grid)"),
            optional=True,
            advanced=True,
            help=tr("A raster whose pixels the outputs take, when the inputs are on different grids."),
        ),
        enum(
            "RESAMPLING",
            tr("Resampling of inputs on another grid"),
            RESAMPLINGS,
            (tr("Nearest pixel"), tr("Bilinear"), tr("Cubic"), tr("Average")),
            default="bilinear",
            advanced=True,
            help=tr("How pixels of an input on another grid are taken onto the output grid."),
        ),
    )


def add_change_parameters(algorithm: MewAlgorithm) -> None:
    """mew:droughtchange's parameters, in the dialog's order: two index rasters, or a stack and two dates."""
    tr = algorithm.tr
    algorithm.add_parameters(
        raster_layer(
            "BEFORE",
            tr("Drought index, earlier period"),
            optional=True,
            help=tr("An index raster of the earlier period, e.g. an output of Drought index. Or give a stack."),
        ),
        raster_layer(
            "AFTER",
            tr("Drought index, later period"),
            optional=True,
            help=tr("An index raster of the later period, on the same index as the earlier one."),
        ),
    )
    add_stack_parameters(algorithm, optional_stack=True, with_target=False)
    polygons = ProcessingSourceType.VectorPolygon
    algorithm.add_parameters(
        string(
            "BEFORE_DATE",
            tr("Earlier date or period of the stack (e.g. 2025-09 or 2025)"),
            optional=True,
            help=tr("With a stack instead of two index rasters: the day, month or year of the earlier period."),
        ),
        string(
            "AFTER_DATE",
            tr("Later date or period of the stack (empty: the latest)"),
            optional=True,
            help=tr("With a stack: the day, month or year of the later period."),
        ),
        number(
            "DROUGHT_BELOW",
            tr("Drought means an index below (empty: every class but the last)"),
            optional=True,
            advanced=True,
            help=tr("A pixel is in drought below this value; with the VCI's usual classes, below 40."),
        ),
        number(
            "MIN_AREA",
            tr("Smallest new drought area to report (hectares)"),
            default=100.0,
            minimum=0.0,
            help=tr("Areas of new drought smaller than this are left out of the new drought areas."),
        ),
        feature_source(
            "ZONES",
            tr("Zones to summarise (sectors, districts)"),
            polygons,
            optional=True,
            help=tr("Polygons for which the share of drought and the people affected are summed up."),
        ),
        field(
            "ZONE_FIELD",
            tr("Zone name field"),
            "ZONES",
            optional=True,
            help=tr("The field that names each zone in the summary (empty: the feature number)."),
        ),
        raster_layer(
            "POPULATION",
            tr("Population raster (people per pixel)"),
            optional=True,
            help=tr("E.g. WorldPop: counts the people living where the later index is drought."),
        ),
        geotiff(
            "OUTPUT_DELTA",
            tr("Change of the index"),
            help=tr("A GeoTIFF of later minus earlier index: brown where it got worse, green where better."),
        ),
        geotiff(
            "OUTPUT_TRANSITIONS",
            tr("Drought transitions"),
            optional=True,
            help=tr("A GeoTIFF of where drought is new (1), persists (2), is over (3) or absent (4)."),
        ),
        feature_sink(
            "OUTPUT_POLYGONS",
            tr("New drought areas"),
            polygons,
            optional=True,
            help=tr("Polygons of new drought of at least the smallest area, with their area in hectares."),
        ),
        feature_sink(
            "OUTPUT_SUMMARY",
            tr("Drought summary per zone"),
            polygons,
            optional=True,
            help=tr("The zones ranked worst first, with their share in drought and the people affected."),
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
            raise MewError("The stack layer '{layer}' is not a file: save it as GeoTIFF first.", layer=layer.name())
        paths.append(path)
    index = parameter_as_choice(algorithm, parameters, "INDEX", context)
    dates_text = algorithm.parameterAsString(parameters, "DATES", context).strip()
    classes_text = algorithm.parameterAsString(parameters, "CLASSES", context).strip()
    mask_layer = algorithm.parameterAsRasterLayer(parameters, "MASK", context)
    mask = None
    if mask_layer is not None:
        mask_path = layer_file_path(mask_layer)
        if not mask_path:
            raise MewError(
                "The mask layer '{mask_layer}' is not a file: save it as GeoTIFF first.", mask_layer=mask_layer.name()
            )
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
        "resampling": resampling_named(parameter_as_choice(algorithm, parameters, "RESAMPLING", context)),
    }
