"""The legend of a briefing map: the layers' entries in words, printed as written, fitted into the legend's frame."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Sequence

from qgis.core import (
    QgsColorRampLegendNodeSettings,
    QgsColorRampShader,
    QgsCoordinateTransform,
    QgsCsException,
    QgsExpressionContextUtils,
    QgsFeatureRequest,
    QgsLayerTreeLayer,
    QgsLayerTreeModel,
    QgsLayout,
    QgsLayoutItemLegend,
    QgsLayoutItemMap,
    QgsLayoutUtils,
    QgsLegendRenderer,
    QgsLegendStyle,
    QgsMapLayer,
    QgsMapLayerLegendUtils,
    QgsMapSettings,
    QgsPalettedRasterRenderer,
    QgsRasterLayer,
    QgsRenderContext,
    QgsSingleBandGrayRenderer,
    QgsSingleBandPseudoColorRenderer,
    QgsSymbolLegendNode,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QSizeF, Qt
from qgis.PyQt.QtGui import QColor, QFont

from ..core.briefing import (
    NO_DATA_LABEL,
    is_band_name,
    legend_name,
    literal_text,
    ramp_end_label,
    unit_of,
    wrapped_lines,
)
from ..core.messages import map_word
from ..qgis_compat import LEGEND_RULE_KEY_ROLE, LegendComponent, legend_style_font, renderer_band, set_legend_style_font
from .no_data_legend import show_masked_pixels
from .provenance import metadata_items

#: (text and symbol scale, spacing scale) tried in order until the legend fits its frame: first the
#: space between entries closes up, then text and symbols shrink, never below :data:`SMALLEST_TEXT_POINTS`.
LEGEND_SCALES = ((1.0, 1.0), (1.0, 0.5), (0.93, 0.4), (0.875, 0.2))
#: The smallest legend text (points) a briefing map prints: readable on A4 at arm's length.
SMALLEST_TEXT_POINTS = 7.0
#: (how texts wrap, columns) tried in order: texts whole, wrapped at spaces, and long words cut only when a
#: column is narrower than one of them.
WRAPPINGS = (("", 1), ("words", 1), ("", 2), ("words", 2), ("", 3), ("words", 3), ("characters", 2), ("characters", 3))
#: Room between a legend symbol and its text, and the text's margin (mm), when wrapping texts to a column.
LABEL_GAP_MM = 2.0
#: Masked pixels of a raster: a pale cloud blue, told apart from every class colour and from the paper.
NO_DATA_COLOUR = "#bcc4d9"
#: The custom property holding a layer's title in a layout legend.
LEGEND_TITLE = "legend/title-label"


@dataclass
class _LayerTexts:
    """A layer's legend texts as written, before they are wrapped to the legend's columns."""

    node: QgsLayerTreeLayer
    title: str
    entries: dict[int, str] = field(default_factory=dict)  # legend node index → text


def fill_legend(
    layout: QgsLayout, main_map: QgsLayoutItemMap, top_first: Sequence[QgsMapLayer], banner: str = ""
) -> None:
    """List ``top_first`` (first on top) in the ``legend`` item, only the classes visible on the main map.

    Entries are named in words: no band names, units with raster values, no
    marking the ``banner`` already carries. Nothing happens when the template
    has no legend.
    """
    legend = layout.itemById("legend")
    if not isinstance(legend, QgsLayoutItemLegend):
        return
    legend.setLinkedMap(main_map)
    legend.setAutoUpdateModel(False)
    root = legend.model().rootGroup()
    root.removeAllChildren()
    texts = []
    for layer in top_first:
        unit = ""
        if isinstance(layer, QgsRasterLayer):
            unit = map_word(unit_of(metadata_items(layer)))
            _show_no_data(layer)
            show_masked_pixels(layer, main_map, NO_DATA_COLOUR)
            _round_ramp_ends(layer)
        node = root.addLayer(layer)
        shown = _legend_keys_on_map(layer, main_map)
        texts.append(_entries_in_words(legend.model(), node, legend_name(layer.name(), banner, unit), shown))
    legend.setLegendFilterByMapEnabled(True)
    legend.updateLegend()
    fit_legend(legend, texts)


def _legend_keys_on_map(layer: QgsMapLayer, main_map: QgsLayoutItemMap) -> set[str] | None:
    """The legend keys (classes) of the features a vector layer draws on the main map; None for a raster.

    QGIS filters the legend by the map only when it paints it: the legend is
    fitted to its frame before that, with the classes the map shows.
    """
    if not isinstance(layer, QgsVectorLayer) or layer.renderer() is None:
        return None
    settings = QgsMapSettings()
    settings.setDestinationCrs(main_map.crs())
    settings.setExtent(main_map.extent())
    settings.setLayers([layer])
    context = QgsRenderContext.fromMapSettings(settings)
    context.expressionContext().appendScope(QgsExpressionContextUtils.layerScope(layer))
    transform = QgsCoordinateTransform(main_map.crs(), layer.crs(), layer.transformContext())
    try:
        area = transform.transformBoundingBox(main_map.extent())
    except QgsCsException:
        return None
    renderer = layer.renderer().clone()
    renderer.startRender(context, layer.fields())
    keys: set[str] = set()
    for feature in layer.getFeatures(QgsFeatureRequest(area)):
        context.expressionContext().setFeature(feature)
        keys.update(renderer.legendKeysForFeature(feature, context))
    renderer.stopRender(context)
    return keys


def _entries_in_words(
    model: QgsLayerTreeModel, node: QgsLayerTreeLayer, title: str, shown: set[str] | None
) -> _LayerTexts:
    """A layer's legend entries without band names or classes the map does not show (``shown``: the
    legend keys on the map, None for all); their texts (from the data) to print as written."""
    texts = _LayerTexts(node, title)
    kept = []
    for index, legend_node in enumerate(model.layerOriginalLegendNodes(node)):
        text = legend_node.data(Qt.ItemDataRole.EditRole) or legend_node.data(Qt.ItemDataRole.DisplayRole)
        if isinstance(text, str) and is_band_name(text):
            continue
        if shown is not None and isinstance(legend_node, QgsSymbolLegendNode) and not legend_node.isEmbeddedInParent():
            unchecked = legend_node.data(Qt.ItemDataRole.CheckStateRole) in (Qt.CheckState.Unchecked, 0)
            if (
                legend_node.data(LEGEND_RULE_KEY_ROLE) not in shown or unchecked
            ):  # no feature on the map, or a class left undrawn
                continue
        kept.append(index)
        if isinstance(text, str) and text and not legend_node.isEmbeddedInParent():  # else the title is its text
            texts.entries[index] = map_word(text)  # the plugin's style classes in the map's language
    QgsMapLayerLegendUtils.setLegendNodeOrder(node, kept)
    return texts


def _write_texts(
    legend: QgsLayoutItemLegend, texts: Sequence[_LayerTexts], column: float, font: QFont, break_words: bool
) -> None:
    """Print every title and entry as written, wrapped in ``font`` to a column ``column`` mm wide.

    A title over its entries has the whole column; an entry (or a layer shown as a single entry) what
    its symbol leaves.
    """
    wrap = legend.wrapString()
    beside_symbol = column - legend.symbolWidth() - LABEL_GAP_MM

    def wrapped(text: str, width: float = beside_symbol) -> str:
        printed = literal_text(text)
        if not wrap:
            return printed
        measure = lambda line: QgsLayoutUtils.textWidthMM(font, line)  # noqa: E731
        lines = wrapped_lines(printed, width, measure)
        if break_words:
            lines = [piece for line in lines for piece in _broken_word(line, width, measure)]
        return wrap.join(lines)

    for layer_texts in texts:
        title_width = column if layer_texts.entries else beside_symbol
        layer_texts.node.setCustomProperty(LEGEND_TITLE, wrapped(layer_texts.title, title_width))
        for index, text in layer_texts.entries.items():
            QgsMapLayerLegendUtils.setLegendNodeUserLabel(layer_texts.node, index, wrapped(text))
        legend.model().refreshLayerLegend(layer_texts.node)


def _broken_word(line: str, width: float, measure) -> list[str]:
    """``line`` cut into pieces no wider than ``width`` when a single word is wider than the column."""
    pieces = [""]
    for character in line:
        if pieces[-1] and measure(pieces[-1] + character) > width:
            pieces.append("")
        pieces[-1] += character
    return pieces


def _show_no_data(layer: QgsRasterLayer) -> None:
    """Draw the masked pixels of a classified raster as a class of their own, so the legend explains them."""
    renderer = layer.renderer()
    provider = layer.dataProvider()
    if not isinstance(renderer, QgsPalettedRasterRenderer):
        return
    band = renderer_band(renderer)
    if not provider.sourceHasNoDataValue(band):
        return
    no_data = provider.sourceNoDataValue(band)
    classes = [c for c in renderer.classes() if c.value != no_data]
    classes.append(QgsPalettedRasterRenderer.Class(no_data, QColor(NO_DATA_COLOUR), map_word(NO_DATA_LABEL)))
    provider.setUseSourceNoDataValue(band, False)  # our copy only: its masked pixels become that class
    replacement = QgsPalettedRasterRenderer(provider, band, classes)
    replacement.setOpacity(renderer.opacity())
    layer.setRenderer(replacement)


def _round_ramp_ends(layer: QgsRasterLayer) -> None:
    """Print a colour ramp's ends to two significant figures (``6.8``, not ``6.82571``)."""
    renderer = layer.renderer()
    if isinstance(renderer, QgsSingleBandPseudoColorRenderer):
        function = renderer.shader().rasterShaderFunction() if renderer.shader() else None
        if isinstance(function, QgsColorRampShader):
            rounded = _rounded_ends(function.legendSettings(), function.minimumValue(), function.maximumValue())
            function.setLegendSettings(rounded)
    elif isinstance(renderer, QgsSingleBandGrayRenderer) and renderer.contrastEnhancement() is not None:
        stretch = renderer.contrastEnhancement()
        renderer.setLegendSettings(
            _rounded_ends(renderer.legendSettings(), stretch.minimumValue(), stretch.maximumValue())
        )


def _rounded_ends(
    current: QgsColorRampLegendNodeSettings | None, low: float, high: float
) -> QgsColorRampLegendNodeSettings:
    """A copy of a ramp's legend settings with its ends labelled ``low`` and ``high``, rounded."""
    settings = QgsColorRampLegendNodeSettings(current) if current is not None else QgsColorRampLegendNodeSettings()
    if math.isfinite(low) and math.isfinite(high):
        settings.setMinimumLabel(ramp_end_label(low))
        settings.setMaximumLabel(ramp_end_label(high))
    return settings


def fit_legend(legend: QgsLayoutItemLegend, texts: list[_LayerTexts]) -> None:
    """Keep the legend inside its frame with text of at least 7 pt: columns (texts wrapped to their width),
    smaller text, then fewer entries.

    Without room for everything, the title goes first, then the vector layers listed with a single entry
    (context such as outlines), last listed first, then a raster's colour ramp; words longer than a column
    are cut last of all.
    """
    box = legend.sizeWithUnits()
    styles = (LegendComponent.Title, LegendComponent.Group, LegendComponent.Subgroup, LegendComponent.SymbolLabel)
    fonts = {style: legend_style_font(legend.rstyle(style)) for style in styles}
    symbol = (legend.symbolWidth(), legend.symbolHeight())
    context = QgsLayoutUtils.createRenderContextForLayout(legend.layout(), None)
    margins = {
        style: legend.rstyle(style).margin(QgsLegendStyle.Side.Top) for style in (*styles, LegendComponent.Symbol)
    }
    smallest = SMALLEST_TEXT_POINTS / max(fonts[LegendComponent.SymbolLabel].pointSizeF(), SMALLEST_TEXT_POINTS)
    scales = [scale for scale in LEGEND_SCALES if scale[0] >= smallest] or [LEGEND_SCALES[0]]

    def apply(scale: tuple[float, float], columns: int, wrap: str) -> QSizeF:
        shrink, spacing = scale
        for style, font in fonts.items():
            smaller = QFont(font)
            smaller.setPointSizeF(font.pointSizeF() * shrink)
            set_legend_style_font(legend.rstyle(style), smaller)
        for style, margin in margins.items():
            legend.rstyle(style).setMargin(QgsLegendStyle.Side.Top, margin * spacing)
        legend.setSymbolWidth(symbol[0] * shrink)
        legend.setSymbolHeight(symbol[1] * shrink)
        legend.setColumnCount(columns)
        column = (box.width() - 2 * legend.boxSpace() - (columns - 1) * legend.columnSpace()) / columns
        column = column if wrap else math.inf
        font = legend_style_font(legend.rstyle(LegendComponent.Subgroup))
        _write_texts(legend, texts, column, font, break_words=wrap == "characters")
        return QgsLegendRenderer(legend.model(), legend.legendSettings()).minimumSize(context)

    def fits(wrappings: Sequence[tuple[str, int]]) -> bool:
        """Whether a setting fits; the least overflowing one that is not too wide is kept in ``closest``."""
        for wrap, columns in wrappings:
            for title in (legend_title, ""):  # the title goes before the text shrinks
                legend.setTitle(title)
                for scale in scales:
                    needed = apply(scale, columns, wrap)
                    if needed.width() > box.width():
                        continue
                    if needed.height() <= box.height():
                        return True
                    if not closest or needed.height() < closest[0]:
                        closest[:] = [needed.height(), title, scale, columns, wrap]
        return False

    legend_title = map_word(legend.title())
    closest: list = []
    legend.setSplitLayer(True)  # a long list of classes may continue in the next column
    whole_words = [(wrap, columns) for wrap, columns in WRAPPINGS if wrap != "characters"]
    while not fits(whole_words):
        if _drop_single_entry_layer(legend, texts, rasters=False) or _drop_single_entry_layer(legend, texts):
            continue
        if not fits([wrapping for wrapping in WRAPPINGS if wrapping not in whole_words]) and closest:
            legend.setTitle(closest[1])
            apply(*closest[2:])
        break
    legend.refresh()


def _drop_single_entry_layer(legend: QgsLayoutItemLegend, texts: list[_LayerTexts], rasters: bool = True) -> bool:
    """Take the last layer with a single legend entry out of the legend (and ``texts``); False when there
    is none. Without ``rasters`` only vector layers (context such as outlines) are taken."""
    model = legend.model()
    for node in reversed(model.rootGroup().findLayers()):
        if (rasters or not isinstance(node.layer(), QgsRasterLayer)) and len(model.layerLegendNodes(node)) <= 1:
            texts[:] = [layer_texts for layer_texts in texts if layer_texts.node.layerId() != node.layerId()]
            model.rootGroup().removeChildNode(node)
            return True
    return False
