"""Briefing maps: the sensitivity rule for incident records, free of QGIS.

Raw incident locations stay off an exported map unless they are asked for:
a point layer of incident records is drawn as counts per grid cell instead.
This module recognises such layers, counts the points per cell, classes the
counts for the legend and words the footer sentence on what is shown.
"""

from __future__ import annotations

import math
import re
from typing import Iterable, Sequence

import numpy as np

from .errors import MewError
from .messages import message

#: Field names that mark a point layer as incident records (ACLED, UCDP GED, mission reports).
_INCIDENT_FIELDS = {
    "event_id_cnty",
    "event_type",
    "sub_event_type",
    "fatalities",
    "event_date",
    "disorder_type",
    "best",
    "date_start",
    "type_of_violence",
    "incident_id",
    "incident_type",
    "casualties",
}
#: Word beginnings in a layer name that mark incident records ("ACLED export", "incidents_2026" …).
_INCIDENT_WORDS = ("incident", "acled", "ucdp", "ged", "event", "attack", "violen")


def is_incident_layer(name: str, field_names: Iterable[str], is_point_layer: bool) -> bool:
    """True for a point layer of incident records (by its fields, or by its name)."""
    if not is_point_layer:
        return False
    fields = {f.lower() for f in field_names}
    if len(fields & _INCIDENT_FIELDS) >= 2:
        return True
    words = re.split(r"[^a-z]+", name.lower())
    return any(word.startswith(_INCIDENT_WORDS) for word in words if word)


def aggregation_cell_size(width: float, height: float, cells_across: int = 40) -> float:
    """A round grid cell size (1, 2 or 5 × 10^k map units) giving about ``cells_across`` cells."""
    span = max(width, height)
    if not span > 0:
        raise MewError("The map extent is empty: it has no width or height.")
    raw = span / cells_across
    magnitude = 10 ** math.floor(math.log10(raw))
    for step in (1, 2, 5, 10):
        if raw <= step * magnitude:
            return float(step * magnitude)
    return float(10 * magnitude)  # pragma: no cover - the loop always returns


def aggregate_points(
    xs: Sequence[float] | np.ndarray,
    ys: Sequence[float] | np.ndarray,
    cell_size: float,
    origin: tuple[float, float] = (0.0, 0.0),
    minimum: int = 1,
) -> list[tuple[float, float, float, float, int]]:
    """Count points per square grid cell; cells with fewer than ``minimum`` points are left out.

    Returns ``(xmin, ymin, xmax, ymax, count)`` per occupied cell, sorted by
    row then column. The grid is anchored at ``origin`` so neighbouring maps
    of the same mission share cell edges.
    """
    if not cell_size > 0:
        raise MewError("The aggregation cell size must be positive, not {cell_size}.", cell_size=cell_size)
    x = np.asarray(xs, dtype=float)
    y = np.asarray(ys, dtype=float)
    keep = np.isfinite(x) & np.isfinite(y)
    if not keep.any():
        return []
    cols = np.floor((x[keep] - origin[0]) / cell_size).astype(np.int64)
    rows = np.floor((y[keep] - origin[1]) / cell_size).astype(np.int64)
    cells, counts = np.unique(np.stack([rows, cols], axis=1), axis=0, return_counts=True)
    result = []
    for (row, col), count in zip(cells.tolist(), counts.tolist()):
        if count < minimum:
            continue
        x0 = origin[0] + col * cell_size
        y0 = origin[1] + row * cell_size
        result.append((x0, y0, x0 + cell_size, y0 + cell_size, int(count)))
    return result


def count_classes(counts: Sequence[int], classes: int = 5) -> list[tuple[int, int]]:
    """Integer classes ``(low, high)`` (inclusive, contiguous) for cell counts.

    Few distinct counts get one class each; otherwise the bounds grow
    geometrically from the smallest to the largest count (1–2, 3–6, 7–17 …),
    which keeps the few dense cells of a hotspot apart from the many cells
    with one or two events.
    """
    values = sorted(int(c) for c in counts)
    if not values:
        return []
    distinct = sorted(set(values))
    if len(distinct) <= classes:
        uppers = distinct
    else:
        low, high = max(values[0], 1), values[-1]
        uppers = sorted({round(low * (high / low) ** (i / classes)) for i in range(1, classes + 1)})
    result = []
    start = values[0]
    for upper in uppers:
        if upper < start:
            continue
        result.append((start, upper))
        start = upper + 1
    return result


def class_label(low: int, high: int, unit: str = "incidents") -> str:
    """``3–5 incidents`` or ``1 incident`` style legend labels."""
    if low == high:
        return f"{low} {message(unit[:-1] if low == 1 and unit.endswith('s') else unit)}"
    return f"{low}–{high} {message(unit)}"


def class_colour_positions(classes: int) -> list[float]:
    """Where each of ``classes`` count classes takes its colour on a 0–1 colour ramp.

    The palest end of the ramp is left out: a cell with one incident must
    still stand out from a white or pale background layer.
    """
    return [0.15 + 0.85 * index / max(classes - 1, 1) for index in range(classes)]


def cell_size_text(cell_size: float) -> str:
    """A grid cell size as a reader wants it: ``5 km`` from one kilometre up, ``500 m`` below."""
    return f"{cell_size / 1000:g} km" if cell_size >= 1000 else f"{cell_size:g} m"


def aggregated_layer_name(layer_name: str, cell_size: float) -> str:
    """The legend name of an incident layer drawn as counts per cell, e.g. ``Incidents per 5 km cell``."""
    size = cell_size_text(cell_size)
    if "incident" in layer_name.lower():
        return message("Incidents per {size} cell", size=size)
    return message("{layer}: incidents per {size} cell", layer=layer_name, size=size)


def sensitivity_note(raw_layers: Sequence[str], aggregated_layers: Sequence[str], cell_size: float | None) -> str:
    """The footer sentence on how incident locations are shown."""
    if raw_layers:
        return message(
            "SENSITIVE: raw incident point locations are shown (exported on explicit request): {layers}. "
            "Handle and share according to the classification.",
            layers=", ".join(raw_layers),
        )
    if aggregated_layers:
        size = cell_size_text(cell_size or 0.0)
        return message(
            "Incident locations are aggregated to {size} grid cells (counts); raw points are not shown: {layers}.",
            size=size,
            layers=", ".join(aggregated_layers),
        )
    return message("No raw incident point layers on this map.")
