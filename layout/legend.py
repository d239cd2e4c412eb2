"""The legend of a briefing map: the layers' entries printed as written, fitted into the legend's frame."""

from __future__ import annotations

from typing import Sequence

from qgis.core import (
    QgsLayerTreeLayer,
    QgsLayerTreeModel,
    QgsLayout,
    QgsLayoutItemLegend,
    QgsLayoutItemMap,
    QgsLayoutUtils,
    QgsLegendRenderer,
    QgsMapLayer,
    QgsMapLayerLegendUtils,
)
from qgis.PyQt.QtCore import QSizeF, Qt
from qgis.PyQt.QtGui import QFont

from ..core.briefing import literal_text
from ..qgis_compat import LegendComponent, legend_style_font, set_legend_style_font

#: Text and symbol scales tried, largest first, until the legend fits its frame.
LEGEND_SCALES = (1.0, 0.9, 0.8, 0.7, 0.6, 0.5)


def fill_legend(layout: QgsLayout, main_map: QgsLayoutItemMap, top_first: Sequence[QgsMapLayer]) -> None:
    """List ``top_first`` (first on top) in the ``legend`` item, only the classes visible on the main map.

    Nothing happens when the template has no legend.
    """
    legend = layout.itemById("legend")
    if not isinstance(legend, QgsLayoutItemLegend):
        return
    legend.setLinkedMap(main_map)
    legend.setAutoUpdateModel(False)
    root = legend.model().rootGroup()
    root.removeAllChildren()
    for layer in top_first:
        _literal_legend_entries(legend.model(), root.addLayer(layer))
    legend.setLegendFilterByMapEnabled(True)
    legend.updateLegend()
    fit_legend(legend)


def _literal_legend_entries(model: QgsLayerTreeModel, node: QgsLayerTreeLayer) -> None:
    """Print the legend entries of a layer (class labels, band names: text from the data) as written."""
    for index, legend_node in enumerate(model.layerOriginalLegendNodes(node)):
        text = legend_node.data(Qt.ItemDataRole.EditRole) or legend_node.data(Qt.ItemDataRole.DisplayRole)
        if isinstance(text, str) and literal_text(text) != text:
            QgsMapLayerLegendUtils.setLegendNodeUserLabel(node, index, literal_text(text))
    model.refreshLayerLegend(node)


def fit_legend(legend: QgsLayoutItemLegend) -> None:
    """Keep the legend inside its frame: two columns, then smaller text and symbols.

    When nothing fits, the smallest setting that is not wider than the frame is kept.
    """
    box = legend.sizeWithUnits()
    styles = (LegendComponent.Title, LegendComponent.Group, LegendComponent.Subgroup, LegendComponent.SymbolLabel)
    fonts = {style: legend_style_font(legend.rstyle(style)) for style in styles}
    symbol = (legend.symbolWidth(), legend.symbolHeight())
    context = QgsLayoutUtils.createRenderContextForLayout(legend.layout(), None)

    def apply(shrink: float, columns: int) -> QSizeF:
        for style, font in fonts.items():
            smaller = QFont(font)
            smaller.setPointSizeF(font.pointSizeF() * shrink)
            set_legend_style_font(legend.rstyle(style), smaller)
        legend.setSymbolWidth(symbol[0] * max(shrink, 0.7))
        legend.setSymbolHeight(symbol[1] * shrink)
        legend.setColumnCount(columns)
        return QgsLegendRenderer(legend.model(), legend.legendSettings()).minimumSize(context)

    best = None
    for shrink in LEGEND_SCALES:
        for columns in (1, 2):
            needed = apply(shrink, columns)
            if needed.width() > box.width():
                continue
            if needed.height() <= box.height():
                legend.refresh()
                return
            if best is None or needed.height() < best[0]:
                best = (needed.height(), shrink, columns)
    if best is not None:
        apply(best[1], best[2])
    legend.refresh()
