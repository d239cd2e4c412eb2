"""Drought from NDVI time stacks: indices, drought classes, change between periods, summaries per zone.

One module per concept: :mod:`.dates` (band dates of a stack), :mod:`.baseline`
(the same period in other years), :mod:`.masks` (cloud/QA masks),
:mod:`.classes` (class tables), :mod:`.index` (the indices, with their
definitions), :mod:`.change` (change between two periods), :mod:`.polygons`
(polygons of new drought) and :mod:`.zones` (per-zone summaries). The names
below are the engine's public interface, for the Processing algorithms and
for scripts.
"""

from .baseline import MIN_BASELINE_YEARS, PERIOD_DAYS, baseline_for, period_date, refuse_single_band
from .change import TRANSITION_COLORS, TRANSITIONS, ChangeResult, drought_change, drought_change_from_stack
from .classes import (
    CLASS_NODATA,
    CLASSES_FORM,
    DEFAULT_CLASSES,
    INDICES,
    MAX_CLASSES,
    ClassTable,
    DroughtClass,
    classes_of,
    default_classes,
)
from .dates import DatedBand, band_date, find_date, parse_date, stack_bands
from .index import (
    FLOAT_NODATA,
    MIN_BASELINE_OBSERVATIONS,
    SD_EPSILON,
    BaselineStats,
    IndexResult,
    drought_index,
)
from .masks import MaskSpec, mask_bands, parse_values
from .zones import Zone

__all__ = [
    "CLASSES_FORM",
    "CLASS_NODATA",
    "DEFAULT_CLASSES",
    "FLOAT_NODATA",
    "INDICES",
    "MAX_CLASSES",
    "MIN_BASELINE_OBSERVATIONS",
    "MIN_BASELINE_YEARS",
    "PERIOD_DAYS",
    "SD_EPSILON",
    "TRANSITIONS",
    "TRANSITION_COLORS",
    "BaselineStats",
    "ChangeResult",
    "ClassTable",
    "DatedBand",
    "DroughtClass",
    "IndexResult",
    "MaskSpec",
    "Zone",
    "band_date",
    "baseline_for",
    "classes_of",
    "default_classes",
    "drought_change",
    "drought_change_from_stack",
    "drought_index",
    "find_date",
    "mask_bands",
    "parse_date",
    "parse_values",
    "period_date",
    "refuse_single_band",
    "stack_bands",
]
