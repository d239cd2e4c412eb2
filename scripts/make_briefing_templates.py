"""Write the briefing-map layout templates ``resources/templates/*.qpt``.

Run once after changing the layout plan (``core/briefing.py``) and commit the
.qpt files::

    QT_QPA_PLATFORM=offscreen .venv/bin/python -P scripts/make_briefing_templates.py

Every item gets the id the briefing-map algorithm looks for; the texts here
are placeholders the algorithm replaces.
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsFillSymbol,
    QgsLayoutItem,
    QgsLayoutItemLabel,
    QgsLayoutItemLegend,
    QgsLayoutItemMap,
    QgsLayoutItemPicture,
    QgsLayoutItemScaleBar,
    QgsLayoutMeasurement,
    QgsLayoutPoint,
    QgsLayoutSize,
    QgsPrintLayout,
    QgsProject,
    QgsReadWriteContext,
    QgsRectangle,
    QgsTextFormat,
)
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QColor, QFont
from qgis.PyQt.QtXml import QDomDocument

from mission_early_warning.core.briefing import (
    DISCLAIMER,
    TEMPLATE_NAMES,
    fit_extent,
    font_sizes,
    layout_plan,
    template_page_size,
)
from mission_early_warning.paths import TEMPLATES
from mission_early_warning.qgis_compat import (
    DistanceUnit,
    LayoutUnit,
    LegendComponent,
    RenderUnit,
    ScaleBarSegmentSizeMode,
    set_label_font,
    set_legend_style_font,
)

FONT = "DejaVu Sans"  # present on every Debian QGIS install; QGIS substitutes elsewhere
BANNER_COLOUR = QColor("#f2c500")  # amber banner, black text: readable on any printer
INK = QColor("#1a1a1a")
MUTED = QColor("#444444")


def _place(item: QgsLayoutItem, box) -> None:
    item.attemptMove(QgsLayoutPoint(box.x, box.y, LayoutUnit.Millimeters))
    item.attemptResize(QgsLayoutSize(box.width, box.height, LayoutUnit.Millimeters))


def _placeholder_extent(map_item: QgsLayoutItemMap) -> None:
    """A valid CRS and extent (the world) so the template loads without NaN extents."""
    map_item.setCrs(QgsCoordinateReferenceSystem("EPSG:4326"))
    size = map_item.sizeWithUnits()
    map_item.setExtent(QgsRectangle(*fit_extent((-180, -90, 180, 90), size.width(), size.height())))


def _font(size: float, bold: bool = False) -> QFont:
    font = QFont(FONT)
    font.setPointSizeF(size)
    font.setBold(bold)
    return font


def _label(
    layout,
    item_id,
    box,
    text,
    size,
    bold=False,
    align=Qt.AlignmentFlag.AlignLeft,
    valign=Qt.AlignmentFlag.AlignTop,
    colour=INK,
):
    label = QgsLayoutItemLabel(layout)
    label.setId(item_id)
    label.setText(text)
    set_label_font(label, _font(size, bold), colour)
    label.setHAlign(align)
    label.setVAlign(valign)
    label.setMarginX(0.8)
    label.setMarginY(0.5)
    layout.addLayoutItem(label)
    _place(label, box)
    return label


def _text_format(size: float, bold: bool = False) -> QgsTextFormat:
    text_format = QgsTextFormat()
    text_format.setFont(_font(size, bold))
    text_format.setSize(size)
    text_format.setSizeUnit(RenderUnit.Points)
    text_format.setColor(INK)
    return text_format


def build(name: str, project: QgsProject) -> QgsPrintLayout:
    width, height = template_page_size(name)
    plan = layout_plan(width, height)
    sizes = font_sizes(width, height)
    layout = QgsPrintLayout(project)
    layout.initializeDefaults()
    layout.setName(f"MEW briefing {name.replace('_', ' ')}")
    page = layout.pageCollection().page(0)
    page.setPageSize(QgsLayoutSize(width, height, LayoutUnit.Millimeters))

    for item_id in ("classification_top", "classification_bottom"):
        banner = _label(
            layout,
            item_id,
            plan[item_id],
            "CLASSIFICATION",
            sizes["classification"],
            True,
            Qt.AlignmentFlag.AlignHCenter,
            Qt.AlignmentFlag.AlignVCenter,
        )
        banner.setBackgroundEnabled(True)
        banner.setBackgroundColor(BANNER_COLOUR)
        banner.setFrameEnabled(True)
        banner.setFrameStrokeColor(INK)

    _label(layout, "title", plan["title"], "Title", sizes["title"], True, valign=Qt.AlignmentFlag.AlignVCenter)
    _label(layout, "subtitle", plan["subtitle"], "Subtitle", sizes["subtitle"], colour=MUTED)
    _label(
        layout, "map_number", plan["map_number"], "MEW-0000 v1", sizes["map_number"], True, Qt.AlignmentFlag.AlignRight
    )
    _label(layout, "date", plan["date"], "Produced", sizes["date"], False, Qt.AlignmentFlag.AlignRight, colour=MUTED)

    main_map = QgsLayoutItemMap(layout)
    main_map.setId("main_map")
    main_map.setFrameEnabled(True)
    main_map.setFrameStrokeWidth(QgsLayoutMeasurement(0.4, LayoutUnit.Millimeters))
    main_map.setBackgroundColor(QColor("#ffffff"))
    layout.addLayoutItem(main_map)
    _place(main_map, plan["main_map"])
    _placeholder_extent(main_map)

    overview = QgsLayoutItemMap(layout)
    overview.setId("overview_map")
    overview.setFrameEnabled(True)
    overview.setBackgroundColor(QColor("#f4f4f4"))
    layout.addLayoutItem(overview)
    _place(overview, plan["overview_map"])
    _placeholder_extent(overview)
    overview.overview().setLinkedMap(main_map)
    overview.overview().setEnabled(True)
    overview.overview().setFrameSymbol(
        QgsFillSymbol.createSimple({"style": "no", "outline_color": "#d7191c", "outline_width": "0.6"})
    )

    legend = QgsLayoutItemLegend(layout)
    legend.setId("legend")
    legend.setTitle("Legend")
    legend.setLinkedMap(main_map)
    legend.setResizeToContents(False)
    legend.setFrameEnabled(True)
    legend.setBackgroundColor(QColor("#ffffff"))
    legend.setWrapString("~")
    for style, key, bold in (
        (LegendComponent.Title, "legend_title", True),
        (LegendComponent.Group, "legend_group", True),
        (LegendComponent.Subgroup, "legend_group", True),
        (LegendComponent.SymbolLabel, "legend_item", False),
    ):
        set_legend_style_font(legend.rstyle(style), _font(sizes[key], bold))
    legend.setSymbolWidth(6.0)
    legend.setSymbolHeight(3.5)
    layout.addLayoutItem(legend)
    _place(legend, plan["legend"])

    scalebar = QgsLayoutItemScaleBar(layout)
    scalebar.setId("scalebar")
    scalebar.setStyle("Single Box")
    scalebar.setLinkedMap(main_map)
    scalebar.setUnits(DistanceUnit.Kilometers)
    scalebar.setUnitLabel("km")
    scalebar.setMapUnitsPerScaleBarUnit(1.0)  # QGIS converts map units to km itself
    scalebar.setNumberOfSegments(2)
    scalebar.setNumberOfSegmentsLeft(0)
    scalebar.setSegmentSizeMode(ScaleBarSegmentSizeMode.FitWidth)
    scalebar.setMinimumBarWidth(plan["scalebar"].width * 0.5)
    scalebar.setMaximumBarWidth(plan["scalebar"].width * 0.85)
    scalebar.setHeight(2.0)
    scalebar.setTextFormat(_text_format(sizes["scalebar"]))
    layout.addLayoutItem(scalebar)
    _place(scalebar, plan["scalebar"])

    arrow = QgsLayoutItemPicture(layout)
    arrow.setId("north_arrow")
    arrow.setResizeMode(QgsLayoutItemPicture.ResizeMode.Zoom)
    arrow.setNorthMode(QgsLayoutItemPicture.NorthMode.GridNorth)
    layout.addLayoutItem(arrow)
    _place(arrow, plan["north_arrow"])
    arrow.setLinkedMap(main_map)

    _label(layout, "sources", plan["sources"], "Sources:", sizes["sources"])
    _label(layout, "disclaimer", plan["disclaimer"], DISCLAIMER, sizes["disclaimer"], colour=MUTED)
    provenance = _label(layout, "provenance", plan["provenance"], "Provenance:", sizes["provenance"], colour=MUTED)
    provenance.setFrameEnabled(True)
    provenance.setFrameStrokeColor(QColor("#999999"))
    return layout


def main() -> int:
    QgsApplication.setPrefixPath("/usr", True)
    app = QgsApplication([], False)
    app.initQgis()
    project = QgsProject()
    TEMPLATES.mkdir(parents=True, exist_ok=True)
    for name in TEMPLATE_NAMES:
        layout = build(name, project)
        document = QDomDocument()
        layout.writeXml(document, QgsReadWriteContext())  # validate it serialises
        path = TEMPLATES / f"{name}.qpt"
        if not layout.saveAsTemplate(str(path), QgsReadWriteContext()):
            print(f"could not write {path}", file=sys.stderr)
            return 1
        print(path)
    del layout, project  # before exitQgis: QGIS 3.44 crashes freeing a layout after it
    app.exitQgis()
    return 0


if __name__ == "__main__":
    sys.exit(main())
