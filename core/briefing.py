"""Briefing maps: the layout plan, the texts and the sensitivity rule, free of QGIS.

Everything a briefing map says that is not drawn by QGIS is decided here: the
position of every item on the page (the templates in ``resources/templates``
are built from :func:`layout_plan`), the map number, the classification, the
date line, the data sources, the provenance footer (which algorithms and
parameters made the analysis layers) and the sensitivity rule that keeps raw
incident locations off an exported map unless they are asked for.

Layout conventions follow UN / humanitarian map practice (OCHA and UN
Geospatial map products): classification banner at the top and bottom, title
block, main map with an overview inset, legend, scale bar, north arrow, map
number with version, date with time zone, sources and the UN disclaimer.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import PurePath
from typing import Iterable, Mapping, Sequence

import numpy as np

from .errors import MewError

# --- templates and their items -------------------------------------------------------

#: ISO 216 page sizes in millimetres (portrait width, height).
PAGE_SIZES_MM: dict[str, tuple[float, float]] = {"A4": (210.0, 297.0), "A3": (297.0, 420.0)}

#: Bundled templates: ``<paper>_<orientation>`` (file ``resources/templates/<name>.qpt``).
TEMPLATE_NAMES: tuple[str, ...] = ("a4_landscape", "a4_portrait", "a3_landscape", "a3_portrait")

#: Item ids (``QgsLayoutItem.id()``) the briefing-map algorithm fills in a template.
ITEM_IDS: tuple[str, ...] = (
    "classification_top",
    "classification_bottom",
    "title",
    "subtitle",
    "map_number",
    "date",
    "main_map",
    "overview_map",
    "legend",
    "scalebar",
    "north_arrow",
    "sources",
    "disclaimer",
    "provenance",
)
#: Items a custom template must have; the others are filled when present.
REQUIRED_ITEM_IDS: tuple[str, ...] = ("main_map", "title", "classification_top", "classification_bottom")

DISCLAIMER = (
    "The boundaries and names shown and the designations used on this map do not imply official "
    "endorsement or acceptance by the United Nations."
)

DEFAULT_CLASSIFICATION = "UN RESTRICTED"


@dataclass(frozen=True)
class Box:
    """A rectangle on the page in millimetres from the top-left corner."""

    x: float
    y: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.height


def template_page_size(name: str) -> tuple[float, float]:
    """Page width and height (mm) of a bundled template name such as ``a3_landscape``."""
    try:
        paper, orientation = name.lower().split("_")
        width, height = PAGE_SIZES_MM[paper.upper()]
    except (ValueError, KeyError):
        raise MewError(
            f"Unknown layout template '{name}': choose one of {', '.join(TEMPLATE_NAMES)} "
            "or give a .qpt file."
        ) from None
    if orientation == "landscape":
        return height, width
    if orientation == "portrait":
        return width, height
    raise MewError(f"Unknown orientation in template '{name}': use landscape or portrait.")


def layout_plan(width: float, height: float) -> dict[str, Box]:
    """Where each item sits on a page of ``width`` × ``height`` mm.

    Landscape pages put the map on the left and a side panel (overview,
    legend, north arrow, scale bar, sources) on the right; portrait pages put
    the panel under the map. Banners, title block and footer are common.
    Sizes scale with the paper so an A3 sheet reads like an enlarged A4.
    """
    unit = min(width, height) / 210.0  # 1 on A4, 1.41 on A3
    margin = 7.0 * unit
    banner_h = 6.5 * unit
    inner_w = width - 2 * margin
    plan: dict[str, Box] = {
        "classification_top": Box(margin, 2.5 * unit, inner_w, banner_h),
        "classification_bottom": Box(margin, height - 2.5 * unit - banner_h, inner_w, banner_h),
    }
    top = plan["classification_top"].bottom + 2.5 * unit
    title_h, subtitle_h = 11.0 * unit, 7.0 * unit
    block_w = 78.0 * unit
    plan["title"] = Box(margin, top, inner_w - block_w - 3 * unit, title_h)
    plan["subtitle"] = Box(margin, top + title_h, inner_w - block_w - 3 * unit, subtitle_h)
    plan["map_number"] = Box(width - margin - block_w, top + 1 * unit, block_w, 7.0 * unit)
    plan["date"] = Box(width - margin - block_w, top + 8.5 * unit, block_w, 9.0 * unit)
    body_top = top + title_h + subtitle_h + 2.5 * unit

    footer_h = 15.0 * unit
    footer_y = plan["classification_bottom"].y - 1.5 * unit - footer_h
    plan["provenance"] = Box(margin, footer_y, inner_w, footer_h)
    body_bottom = footer_y - 2.0 * unit
    gap = 3.0 * unit

    if width >= height:  # landscape: side panel on the right
        panel_w = 72.0 * unit
        map_w = inner_w - panel_w - gap
        plan["main_map"] = Box(margin, body_top, map_w, body_bottom - body_top)
        px = margin + map_w + gap
        overview_h = 38.0 * unit
        plan["overview_map"] = Box(px, body_top, panel_w, overview_h)
        y = body_top + overview_h + gap
        arrow = 13.0 * unit
        plan["north_arrow"] = Box(px, y, arrow * 0.8, arrow)
        plan["scalebar"] = Box(px + arrow, y + 1.5 * unit, panel_w - arrow, arrow - 1.5 * unit)
        y += arrow + gap
        text_h = 36.0 * unit
        plan["legend"] = Box(px, y, panel_w, body_bottom - text_h - gap - y)
        y = body_bottom - text_h
        plan["sources"] = Box(px, y, panel_w, 23.0 * unit)
        plan["disclaimer"] = Box(px, y + 24.0 * unit, panel_w, text_h - 24.0 * unit)
    else:  # portrait: panel under the map
        panel_h = 78.0 * unit
        map_h = body_bottom - body_top - panel_h - gap
        plan["main_map"] = Box(margin, body_top, inner_w, map_h)
        py = body_top + map_h + gap
        column = (inner_w - 2 * gap) / 3
        plan["overview_map"] = Box(margin, py, column, 48.0 * unit)
        arrow = 14.0 * unit
        plan["north_arrow"] = Box(margin, py + 50.0 * unit, arrow * 0.8, arrow)
        plan["scalebar"] = Box(margin + arrow, py + 51.5 * unit, column - arrow, arrow - 1.5 * unit)
        plan["legend"] = Box(margin + column + gap, py, column, panel_h)
        tx = margin + 2 * (column + gap)
        plan["sources"] = Box(tx, py, column, 46.0 * unit)
        plan["disclaimer"] = Box(tx, py + 48.0 * unit, column, panel_h - 48.0 * unit)
    return plan


def fit_extent(
    bounds: tuple[float, float, float, float], frame_width: float, frame_height: float, margin: float = 0.0
) -> tuple[float, float, float, float]:
    """``bounds`` (xmin, ymin, xmax, ymax) widened to the frame's aspect ratio, centred, plus a margin.

    The map then shows all of ``bounds`` without distortion, however long or
    tall the frame is.
    """
    xmin, ymin, xmax, ymax = bounds
    if not (frame_width > 0 and frame_height > 0):
        raise MewError("The map frame of the layout has no size.")
    width, height = (xmax - xmin) * (1 + 2 * margin), (ymax - ymin) * (1 + 2 * margin)
    if not (width > 0 or height > 0):
        raise MewError("The map extent is empty: it has no width or height.")
    aspect = frame_width / frame_height
    if height == 0 or width / height < aspect:
        width = height * aspect
    else:
        height = width / aspect
    cx, cy = (xmin + xmax) / 2, (ymin + ymax) / 2
    return cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2


def font_sizes(width: float, height: float) -> dict[str, float]:
    """Point sizes of the template texts; A3 gets the A4 sizes enlarged."""
    unit = min(width, height) / 210.0
    base = {
        "classification": 11.0,
        "title": 20.0,
        "subtitle": 12.0,
        "map_number": 11.0,
        "date": 8.0,
        "legend_title": 10.0,
        "legend_group": 9.0,
        "legend_item": 8.0,
        "scalebar": 7.5,
        "sources": 7.0,
        "disclaimer": 6.5,
        "provenance": 6.0,
    }
    return {key: round(value * unit, 1) for key, value in base.items()}


# --- the texts -----------------------------------------------------------------------

_MAP_NUMBER = re.compile(r"^\s*(?P<body>.*?)(?:\s+v(?P<version>\d+))?\s*$", re.IGNORECASE)


def format_map_number(value: str | int, version: int | None = None, prefix: str = "MEW") -> str:
    """The map number with its version, e.g. ``MEW-0001 v1``.

    ``value`` may be a bare number (``1`` → ``MEW-0001``), a full number
    (``JOC-0042``) or already carry a version (``MEW-0001 v3``); ``version``
    overrides the version found in the text and defaults to 1.
    """
    text = str(value).strip()
    if not text:
        raise MewError("The map number is empty: give one such as 'MEW-0001' (the version is added as ' v1').")
    match = _MAP_NUMBER.match(text)
    body = match.group("body").strip() if match else text
    found = match.group("version") if match else None
    if body.isdigit():
        body = f"{prefix}-{int(body):04d}"
    chosen = version if version is not None else int(found) if found else 1
    if chosen < 1:
        raise MewError(f"The map version must be 1 or more, not {chosen}.")
    return f"{body} v{chosen}"


def sheet_map_number(map_number: str, sheet: int | str, sheets: int | str, zone: str) -> str:
    """The map number of one sheet of an atlas: ``MEW-0001 v1 · sheet 3/9 (S3)``."""
    return f"{map_number} · sheet {sheet}/{sheets} ({zone})"


def date_line(moment: datetime) -> str:
    """Production date and time with its time zone, e.g. ``Produced 21 Nov 2026 21:30 UTC+00:00``.

    ``moment`` must be time-zone aware: a briefing map is read across time zones.
    """
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise MewError("The production time needs a time zone.")
    offset = moment.strftime("%z")
    offset = f"UTC{offset[:3]}:{offset[3:]}"
    zone = moment.tzname() or ""
    label = f"{zone} ({offset})" if zone and zone not in ("UTC", offset) else offset
    return f"Produced {moment:%d %b %Y %H:%M} {label}"


def classification_text(value: str | None) -> str:
    """The banner text: the mission's classification in capitals."""
    text = " ".join((value or "").split())
    return text.upper() if text else DEFAULT_CLASSIFICATION


@dataclass
class LayerRecord:
    """What the footer says about one layer on the map.

    ``history`` holds provenance entries: dicts with ``algorithm`` and
    optionally ``parameters`` (dict or text), ``date`` and ``note``.
    """

    name: str
    source: str = ""
    modified: datetime | None = None
    history: list[Mapping[str, object]] = field(default_factory=list)


def sources_text(sources: str, layers: Sequence[LayerRecord]) -> str:
    """The data sources block: what the user wrote, then each layer's file and date."""
    lines = [f"Sources: {' '.join(sources.split())}" if sources.strip() else "Sources: not stated."]
    groups: dict[str, list[str]] = {}  # layers from the same file and date are named together
    for layer in layers:
        detail = _file_name(layer.source) if layer.source else ""
        if layer.modified is not None:
            detail = f"{detail}, {layer.modified:%Y-%m-%d}" if detail else f"{layer.modified:%Y-%m-%d}"
        groups.setdefault(detail, []).append(layer.name)
    described = [f"{', '.join(names)} ({detail})" if detail else ", ".join(names) for detail, names in groups.items()]
    if described:
        lines.append("Layers: " + "; ".join(described) + ".")
    return "\n".join(lines)


def _file_name(source: str) -> str:
    """The file name of a data source (``path|layername=…`` or a ``file://…?options`` URI)."""
    path = source.split("|")[0].split("?")[0]
    return PurePath(path.removeprefix("file://")).name


def _short_value(value: object, limit: int = 40) -> str:
    if isinstance(value, (list, tuple)):
        return "; ".join(_short_value(item, limit) for item in value)
    text = str(value)
    if ("/" in text or "\\" in text) and len(text) > 3:
        text = PurePath(text.split("|")[0]).name + ("|" + text.split("|", 1)[1] if "|" in text else "")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _parameter_text(parameters: object) -> str:
    if isinstance(parameters, Mapping):
        shown = [
            f"{key}={_short_value(value)}"
            for key, value in parameters.items()
            if value not in (None, "") and not str(key).upper().startswith("OUTPUT")
        ]
        return ", ".join(shown)
    return _short_value(parameters, 160) if parameters else ""


def provenance_lines(layers: Sequence[LayerRecord]) -> list[str]:
    """One line per analysis run: ``Layer, Layer ← algorithm (PARAM=value, …), date``.

    Layers made by the same run share its line. Layers without history are
    not listed (they are data, named in the sources).
    """
    runs: dict[tuple[str, str, str, str], list[str]] = {}
    for layer in layers:
        for entry in layer.history:
            algorithm = str(entry.get("algorithm", "")).strip()
            if not algorithm:
                continue
            key = (
                algorithm,
                _parameter_text(entry.get("parameters")),
                str(entry.get("date") or ""),
                str(entry.get("note") or ""),
            )
            runs.setdefault(key, [])
            if layer.name not in runs[key]:
                runs[key].append(layer.name)
    lines = []
    for (algorithm, parameters, date, note), names in runs.items():
        text = f"{', '.join(names)} ← {algorithm}"
        if parameters:
            text += f" ({parameters})"
        if date:
            text += f", {date}"
        if note:
            text += f"; {note}"
        lines.append(text)
    return lines


def provenance_text(
    layers: Sequence[LayerRecord], sensitivity: str, extra: str = "", software: str = "Mission Early Warning"
) -> str:
    """The provenance footer: how the analysis layers were made, and the sensitivity handling."""
    lines = provenance_lines(layers)
    if extra.strip():
        lines.extend(line.strip() for line in extra.strip().splitlines() if line.strip())
    head = f"Provenance ({software}): "
    body = " | ".join(lines) if lines else "no analysis layers; data layers as listed in the sources."
    return f"{head}{body}\n{sensitivity}"


_LOG_SEPARATOR = "|~|"
_RUN_CALL = re.compile(
    r"processing\.run(?:AndLoadResults)?\(\s*['\"](?P<algorithm>[^'\"]+)['\"]\s*,\s*(?P<rest>.*)\)\s*$"
)


def provenance_from_processing_log(log_text: str, layer_path: str) -> list[dict[str, str]]:
    """The Processing history entries (QGIS ``processing.log``) that wrote ``layer_path``.

    QGIS logs each algorithm run from its dialog as
    ``ALGORITHM|~|<date>|~|processing.run("provider:alg", {...})``. The call is
    matched as text (never evaluated); the latest entry naming the file as an
    output wins.
    """
    if not layer_path:
        return []
    wanted = PurePath(layer_path.split("|")[0]).as_posix()
    found: list[dict[str, str]] = []
    for line in log_text.splitlines():
        if not line.startswith("ALGORITHM"):
            continue
        parts = line.split(_LOG_SEPARATOR)
        if len(parts) < 3:
            continue
        call = _LOG_SEPARATOR.join(parts[2:]).strip()
        match = _RUN_CALL.search(call)
        if match is None or wanted not in call.replace("\\\\", "/").replace("\\", "/"):
            continue
        outputs = re.findall(r"['\"](OUTPUT[A-Z_]*)['\"]\s*:\s*['\"]([^'\"]*)['\"]", match.group("rest"))
        if outputs and not any(wanted in value.replace("\\", "/") for _key, value in outputs):
            continue  # the file was an input of this run, not its output
        parameters = re.sub(r"\s+", " ", match.group("rest")).strip()
        found.append({"algorithm": match.group("algorithm"), "parameters": parameters, "date": parts[1].strip()})
    return found[-1:]


def provenance_from_metadata(items: Mapping[str, str]) -> list[dict[str, object]]:
    """Provenance an output carries in its own metadata.

    Reads ``MEW_ALGORITHM`` (the algorithm id; ``mew:`` is added when it has
    no provider), ``MEW_CREATED`` and the parameters either as one
    ``MEW_PARAMETERS`` text or as further ``MEW_<NAME>`` items (GDAL metadata
    of a raster or GeoPackage layer), any case. Algorithms that write them
    make their outputs self-describing on a briefing map.
    """
    upper = {str(key).upper(): str(value) for key, value in items.items()}
    algorithm = upper.get("MEW_ALGORITHM", "").strip()
    if not algorithm:
        return []
    if ":" not in algorithm:
        algorithm = f"mew:{algorithm}"
    parameters: object = upper.get("MEW_PARAMETERS", "").strip()
    if not parameters:
        parameters = {
            key[len("MEW_") :]: value
            for key, value in upper.items()
            if key.startswith("MEW_") and key not in ("MEW_ALGORITHM", "MEW_CREATED", "MEW_PARAMETERS")
        }
    return [{"algorithm": algorithm, "parameters": parameters, "date": upper.get("MEW_CREATED", "").strip()}]


# --- sensitivity: raw incident locations stay off exported maps -------------------------

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
        raise MewError(f"The aggregation cell size must be positive, not {cell_size}.")
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
        return f"{low} {unit[:-1] if low == 1 and unit.endswith('s') else unit}"
    return f"{low}–{high} {unit}"


def sensitivity_note(raw_layers: Sequence[str], aggregated_layers: Sequence[str], cell_size: float | None) -> str:
    """The footer sentence on how incident locations are shown."""
    if raw_layers:
        return (
            "SENSITIVE: raw incident point locations are shown (exported on explicit request): "
            + ", ".join(raw_layers)
            + ". Handle and share according to the classification."
        )
    if aggregated_layers:
        size = f"{cell_size / 1000:g} km" if cell_size and cell_size >= 1000 else f"{cell_size:g} m"
        return (
            f"Incident locations are aggregated to {size} grid cells (counts); raw points are not shown: "
            + ", ".join(aggregated_layers)
            + "."
        )
    return "No raw incident point layers on this map."


# --- atlas -------------------------------------------------------------------------------


def natural_key(value: object) -> tuple:
    """Sort key putting ``S2`` before ``S10``."""
    return tuple(int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", str(value)))


def plan_atlas_pages(zone_values: Sequence[object], layer_name: str, field_name: str) -> list[str]:
    """The page order of an atlas: one page per zone, natural order of the zone field.

    Empty and repeated zone values are errors: a page must say which zone it shows.
    """
    if not zone_values:
        raise MewError(f"The zones layer '{layer_name}' has no features: an atlas needs at least one zone.")
    names = []
    for index, value in enumerate(zone_values):
        text = "" if value is None else str(value).strip()
        if not text or text.upper() == "NULL":
            raise MewError(
                f"Zone number {index + 1} of '{layer_name}' has no value in field '{field_name}': "
                "fill it in or choose another field."
            )
        names.append(text)
    repeated = sorted({n for n in names if names.count(n) > 1}, key=natural_key)
    if repeated:
        raise MewError(
            f"Field '{field_name}' of '{layer_name}' repeats {', '.join(repeated)}: "
            "each atlas page needs a unique zone name."
        )
    return sorted(names, key=natural_key)
