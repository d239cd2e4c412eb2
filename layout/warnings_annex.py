"""The early-warning annex of a briefing: a map of the warned areas, then a table of the warnings.

The map page is the briefing map's own (:func:`.briefing_map.build_briefing_layout`: banners, title,
legend, scale bar, footer with the sources); the table goes on the pages after it, under the same
classification banners, as a QGIS text table (plain text: nothing is fetched or evaluated). What the
table and its summary say is decided in :mod:`..core.warnings_review`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from qgis.core import (
    QgsCategorizedSymbolRenderer,
    QgsCoordinateTransformContext,
    QgsFillSymbol,
    QgsLayoutFrame,
    QgsLayoutItemLabel,
    QgsLayoutItemPage,
    QgsLayoutItemTextTable,
    QgsLayoutMultiFrame,
    QgsLayoutPoint,
    QgsLayoutSize,
    QgsLayoutTable,
    QgsLayoutTableColumn,
    QgsPalLayerSettings,
    QgsPrintLayout,
    QgsProcessingFeedback,
    QgsRendererCategory,
    QgsTextFormat,
    QgsVectorLayer,
    QgsVectorLayerSimpleLabeling,
)
from qgis.PyQt.QtGui import QColor, QFont

from ..core.errors import MewError
from ..core.messages import message
from ..core.progress import Progress
from ..core.warnings_register import ACTIONED, CLOSED, OPEN, WARNINGS_TABLE
from ..qgis_compat import LayoutUnit, RenderUnit, label_font, set_label_font
from .briefing_map import BriefingMapRequest, build_briefing_layout
from .export import export_layout

#: Fill colours of the warned areas by status: open stands out, closed recedes.
STATUS_COLOURS = {OPEN: "#d7301f", ACTIONED: "#fc8d59", CLOSED: "#bdbdbd"}
#: The page margin (mm) and the room the banners and the title take above the table.
MARGIN_MM = 7.0
#: Relative widths of the table's columns (the rest: 1): the free texts get the room.
COLUMN_WEIGHTS = {"Warning": 0.9, "Confidence": 0.7, "Response (days)": 0.75, "Incidents after": 0.75,
                  "Threat": 1.3, "Action taken": 1.6, "Outcome": 1.6}  # fmt: skip
TABLE_TOP_MM = 36.0


@dataclass
class WarningsAnnexRequest:
    """What the annex shows: the register's warned areas, the table's rows and the summary above it."""

    map_request: BriefingMapRequest  # the map page; its layers include the warned areas
    headers: Sequence[str]
    rows: Sequence[Sequence[str]]
    summary: Sequence[str] = field(default_factory=list)


def warned_areas_layer(register: str, name: str = "Early warnings") -> QgsVectorLayer:
    """The register's warnings as a map layer, coloured by status and labelled with their ids."""
    layer = QgsVectorLayer(f"{register}|layername={WARNINGS_TABLE}", name, "ogr")
    if not layer.isValid():
        raise MewError(
            "The warnings of '{register}' cannot be opened as a map layer: check the file.", register=register
        )
    categories = []
    for status, colour in STATUS_COLOURS.items():
        symbol = QgsFillSymbol.createSimple(
            {"color": colour, "outline_color": "#4d0000", "outline_width": "0.4", "style": "solid"}
        )
        symbol.setOpacity(0.6)
        categories.append(QgsRendererCategory(status, symbol, message(status)))  # the code kept, the word shown
    layer.setRenderer(QgsCategorizedSymbolRenderer("status", categories))
    labels = QgsPalLayerSettings()
    labels.fieldName = "id"
    labels.setFormat(_text_format(8.0, bold=True))
    layer.setLabeling(QgsVectorLayerSimpleLabeling(labels))
    layer.setLabelsEnabled(True)
    return layer


def export_warnings_annex(
    request: WarningsAnnexRequest,
    transform_context: QgsCoordinateTransformContext,
    feedback: QgsProcessingFeedback,
    progress: Progress,
) -> int:
    """Write the annex PDF (``request.map_request.output_pdf``); returns its number of pages."""
    map_request = request.map_request
    built = build_briefing_layout(map_request, transform_context, feedback, progress.sub(0.0, 0.5))
    layout = built.layout
    first_page = layout.pageCollection().page(0)
    _add_table_page(layout, first_page)
    for banner in ("classification_top", "classification_bottom"):
        _copy_to_page(layout, banner, 1)
    width = first_page.pageSize().width()
    heading = message("{title} — register", title=map_request.title)
    _label(layout, heading, QgsLayoutPoint(MARGIN_MM, 12.0), width - 2 * MARGIN_MM, 8.0, 13)
    summary = "\n".join(request.summary)
    _label(layout, summary, QgsLayoutPoint(MARGIN_MM, 21.0), width - 2 * MARGIN_MM, 14.0, 8)
    _table(layout, request, width)
    progress.step(0.6)
    export_layout(layout, map_request.output_pdf, "", map_request.dpi, [], built.description, feedback,
                  progress.sub(0.6, 1.0))  # fmt: skip
    return layout.pageCollection().pageCount()


def _add_table_page(layout: QgsPrintLayout, like: QgsLayoutItemPage) -> None:
    page = QgsLayoutItemPage(layout)
    page.setPageSize(like.pageSize())
    layout.pageCollection().addPage(page)


def _copy_to_page(layout: QgsPrintLayout, item_id: str, page: int) -> None:
    """A copy of a label of the first page (a classification banner) at the same place on ``page``."""
    original = layout.itemById(item_id)
    if not isinstance(original, QgsLayoutItemLabel):
        return
    copy = QgsLayoutItemLabel(layout)
    copy.setText(original.text())
    copy.setMode(QgsLayoutItemLabel.Mode.ModeFont)
    set_label_font(copy, label_font(original), QColor(26, 26, 26))
    copy.setHAlign(original.hAlign())
    copy.setVAlign(original.vAlign())
    copy.setMarginX(original.marginX())
    copy.setMarginY(original.marginY())
    copy.setBackgroundEnabled(original.hasBackground())
    copy.setBackgroundColor(original.backgroundColor())
    copy.setFrameEnabled(original.frameEnabled())
    copy.setId(f"{item_id}_page{page + 1}")
    layout.addLayoutItem(copy)
    copy.attemptResize(original.sizeWithUnits())
    copy.attemptMove(original.pagePositionWithUnits(), True, False, page)


def _label(layout: QgsPrintLayout, text: str, where: QgsLayoutPoint, width: float, height: float, points: int) -> None:
    label = QgsLayoutItemLabel(layout)
    label.setMode(QgsLayoutItemLabel.Mode.ModeFont)  # plain text: never read as HTML
    label.setText(text)
    font = QFont("DejaVu Sans")
    font.setPointSizeF(points)
    set_label_font(label, font, QColor(26, 26, 26))
    layout.addLayoutItem(label)
    label.attemptResize(QgsLayoutSize(width, height, LayoutUnit.Millimeters))
    label.attemptMove(where, True, False, 1)


def _table(layout: QgsPrintLayout, request: WarningsAnnexRequest, width: float) -> None:
    """The warnings' table under the summary, continued on new pages as long as it needs."""
    table = QgsLayoutItemTextTable(layout)
    layout.addMultiFrame(table)
    available = width - 2 * MARGIN_MM - 2 * table.cellMargin() * len(request.headers) - 2.0
    weights = [COLUMN_WEIGHTS.get(heading, 1.0) for heading in request.headers]
    columns = []
    for heading, weight in zip(request.headers, weights):
        column = QgsLayoutTableColumn(message(heading))  # headings come in English, the weights keyed on them
        column.setWidth(available * weight / sum(weights))  # fixed widths: long texts wrap inside the page
        columns.append(column)
    table.setColumns(columns)
    for row in request.rows:
        table.addRow(list(row))
    table.setHeaderTextFormat(_text_format(7.5, bold=True))
    table.setContentTextFormat(_text_format(7.0))
    table.setWrapBehavior(QgsLayoutTable.WrapBehavior.WrapText)
    table.setResizeMode(QgsLayoutMultiFrame.ResizeMode.ExtendToNextPage)
    height = layout.pageCollection().page(1).pageSize().height() - TABLE_TOP_MM - 14.0
    frame = QgsLayoutFrame(layout, table)
    frame.attemptResize(QgsLayoutSize(width - 2 * MARGIN_MM, height, LayoutUnit.Millimeters))
    frame.attemptMove(QgsLayoutPoint(MARGIN_MM, TABLE_TOP_MM), True, False, 1)
    table.addFrame(frame)
    table.refresh()


def _text_format(points: float, bold: bool = False) -> QgsTextFormat:
    font = QFont("DejaVu Sans")
    font.setBold(bold)
    text_format = QgsTextFormat()
    text_format.setFont(font)
    text_format.setSize(points)
    text_format.setSizeUnit(RenderUnit.Points)
    text_format.setColor(QColor(26, 26, 26))
    return text_format
