"""Briefing maps: the layout plan, the page's texts and the atlas pages, free of QGIS.

Everything a briefing map says that is not drawn by QGIS is decided here and
in two companions: the position of every item on the page (the templates in
``resources/templates`` are built from :func:`layout_plan`), the map number,
the classification, the date line and every label's text (:func:`page_texts`);
the data sources and the provenance footer (:mod:`.briefing_provenance`); the
sensitivity rule that keeps raw incident locations off an exported map unless
they are asked for (:mod:`.briefing_incidents`).

Layout conventions follow UN / humanitarian map practice (OCHA and UN
Geospatial map products): classification banner at the top and bottom, title
block, main map with an overview inset, legend, scale bar, north arrow, map
number with version, date with time zone, sources and the UN disclaimer.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Callable, Sequence

from .briefing_provenance import LayerRecord, provenance_text, sources_text
from .errors import MewError
from .messages import day_text, message, number_text

# --- templates and their items -------------------------------------------------------

#: ISO 216 page sizes in millimetres (portrait width, height).
PAGE_SIZES_MM: dict[str, tuple[float, float]] = {"A4": (210.0, 297.0), "A3": (297.0, 420.0)}

#: Bundled templates: ``<paper>_<orientation>`` (file ``resources/templates/<name>.qpt``).
TEMPLATE_NAMES: tuple[str, ...] = ("a4_landscape", "a4_portrait", "a3_landscape", "a3_portrait")

#: Item ids (``QgsLayoutItem.id()``) a briefing map fills in a template.
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
            "Unknown layout template '{name}': choose one of {template_names} or give a .qpt file.",
            name=name,
            template_names=", ".join(TEMPLATE_NAMES),
        ) from None
    if orientation == "landscape":
        return height, width
    if orientation == "portrait":
        return width, height
    raise MewError("Unknown orientation in template '{name}': use landscape or portrait.", name=name)


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
        raise MewError("The map version must be 1 or more, not {chosen}.", chosen=chosen)
    return f"{body} v{chosen}"


def sheet_map_number(map_number: str, sheet: int | str, sheets: int | str, zone: str) -> str:
    """The map number of one sheet of an atlas: ``MEW-0001 v1 · sheet 3/9 (S3)``."""
    return message(
        "{map_number} · sheet {sheet}/{sheets} ({zone})", map_number=map_number, sheet=sheet, sheets=sheets, zone=zone
    )


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
    return message("Produced {day} {time} {zone}", day=day_text(moment), time=f"{moment:%H:%M}", zone=label)


def classification_text(value: str | None) -> str:
    """The banner text: the mission's classification in capitals; the default one in the map's language."""
    text = " ".join((value or "").split()).upper() or DEFAULT_CLASSIFICATION
    return message(DEFAULT_CLASSIFICATION) if text == DEFAULT_CLASSIFICATION else text


def literal_text(text: str) -> str:
    """``text`` as QGIS prints it unchanged in a layout label or legend, however many times it is evaluated.

    Labels evaluate ``[% … %]`` as expressions (``[% env('HOME') %]`` prints an environment
    variable) and ``$CURRENT_DATE`` as today's date; legends evaluate layer names and class labels,
    some of them twice. A word joiner (U+2060, invisible, dropped from the PDF's text) between ``[``
    and ``%`` and after ``$`` leaves nothing to evaluate, and the page shows and copies the same text.
    """
    return (text or "").replace("[%", "[\u2060%").replace("$CURRENT_DATE", "$\u2060CURRENT_DATE")


def page_texts(
    *,
    title: str,
    subtitle: str,
    map_number: str,
    classification: str,
    sources: str,
    layers: Sequence[LayerRecord],
    sensitivity: str,
    further_provenance: str,
    produced: datetime,
) -> dict[str, str]:
    """The text of every label of the page by item id, each printed as written (:func:`literal_text`).

    Every text comes from the user, the package or the data, so none of it
    may be evaluated by QGIS.
    """
    banner = classification_text(classification)
    texts = {
        "classification_top": banner,
        "title": title,
        "subtitle": subtitle,
        "map_number": map_number,
        "date": date_line(produced),
        "sources": sources_text(sources, layers),
        "disclaimer": message(DISCLAIMER),
        "provenance": provenance_text(layers, sensitivity, further_provenance),
        "classification_bottom": banner,
    }
    return {item_id: literal_text(text) for item_id, text in texts.items()}


# --- the legend's words ---------------------------------------------------------------

#: The legend entry of a raster's masked pixels (clouds, the mask, pixels without enough observations).
NO_DATA_LABEL = "No data (cloud or mask)"

_PARENTHESISED = re.compile(r"\s*\(([^()]*)\)")
_TRAILING_MARKING = re.compile(r"\s*\(([A-Za-z][A-Za-z \-]*)\)\s*$")
_BAND_NAME = re.compile(r"^Band \d+\b")


def legend_name(name: str, banner: str, unit: str = "") -> str:
    """A layer's name as its legend entry: no marking the banner already carries, the unit in brackets.

    ``Villages (SYNTHETIC)`` under an ``EXERCISE — SYNTHETIC DATA`` banner is
    ``Villages``; ``incident density`` with the unit ``incidents per km²`` is
    ``Incident density (incidents per km²)``.
    """
    banner_words = set(re.findall(r"\w+", banner.lower()))
    text = name.strip()
    marking = _TRAILING_MARKING.search(text)
    while marking and set(re.findall(r"\w+", marking.group(1).lower())) <= banner_words:
        text = text[: marking.start()]
        marking = _TRAILING_MARKING.search(text)
    text = text.strip() or name.strip()
    text = text[:1].upper() + text[1:]
    if unit and unit.lower() not in text.lower():
        text = f"{text} ({unit})"
    return text


def unit_of(metadata: dict[str, str]) -> str:
    """The unit of a raster's values from its metadata (``MEW_UNITS``, ``UNITS``), without remarks.

    ``weighted incidents per km² (integrates to the weighted count)`` is
    ``weighted incidents per km²``; "" when the metadata names no unit.
    """
    for key in ("MEW_UNITS", "UNITS", "units"):
        if metadata.get(key, "").strip():
            return _PARENTHESISED.sub("", metadata[key]).strip()
    return ""


def is_band_name(text: str) -> bool:
    """Whether a legend entry is a raster band's technical name (``Band 1: … (Gray)``) rather than words."""
    return bool(_BAND_NAME.match(text.strip()))


def ramp_end_label(value: float) -> str:
    """A colour ramp's end value to two significant figures at least: ``6.8``, ``0``, ``100``, ``0.034``."""
    if value == 0 or not math.isfinite(value):
        return number_text(f"{value:g}")
    digits = math.floor(math.log10(abs(value))) + 1
    return number_text(f"{value:,.{max(0, 2 - digits)}f}")


_EXPRESSION = re.compile(r"\[%.*?%\]")


def with_typical_expression_values(text: str) -> str:
    """``text`` with each ``[% … %]`` expression replaced by text as wide as it typically prints.

    On an atlas page the expressions print short zone names and sheet
    numbers; this is the text to measure when fitting a label to its frame.
    """
    return _EXPRESSION.sub("S99", text)


def wrapped_lines(text: str, width: float, line_width: Callable[[str], float]) -> list[str]:
    """Greedy word wrap of ``text`` to ``width``, as a layout label lays it out.

    ``line_width`` measures a line in the unit of ``width`` (the label's font).
    """
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if line and line_width(candidate) > width:
                lines.append(line)
                line = word
            else:
                line = candidate
        lines.append(line)
    return lines


# --- atlas -------------------------------------------------------------------------------


def natural_key(value: object) -> tuple:
    """Sort key putting ``S2`` before ``S10``."""
    return tuple(int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", str(value)))


def plan_atlas_pages(zone_values: Sequence[object], layer_name: str, field_name: str) -> list[str]:
    """The page order of an atlas: one page per zone, natural order of the zone field.

    Empty and repeated zone values are errors: a page must say which zone it shows.
    """
    if not zone_values:
        raise MewError(
            "The zones layer '{layer_name}' has no features: an atlas needs at least one zone.", layer_name=layer_name
        )
    names = []
    for index, value in enumerate(zone_values):
        text = "" if value is None else str(value).strip()
        if not text or text.upper() == "NULL":
            raise MewError(
                "Zone number {index} of '{layer_name}' has no value in field '{field_name}': fill it in or "
                "choose another field.",
                index=index + 1,
                layer_name=layer_name,
                field_name=field_name,
            )
        names.append(text)
    repeated = sorted({n for n in names if names.count(n) > 1}, key=natural_key)
    if repeated:
        raise MewError(
            "Field '{field_name}' of '{layer_name}' repeats {repeated}: each atlas page needs a unique zone name.",
            field_name=field_name,
            layer_name=layer_name,
            repeated=", ".join(repeated),
        )
    return sorted(names, key=natural_key)


def page_file_part(page: str) -> str:
    """An atlas page's name as it may appear in a file name: letters, digits, ``.``, ``_`` and ``-``."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", page).strip("_") or "zone"
