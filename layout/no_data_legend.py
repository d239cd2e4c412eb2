"""Masked pixels of a continuous raster (an index, an anomaly, a change) drawn and named in the legend.

A colour ramp leaves nodata pixels (clouds, the mask, pixels without enough
observations) transparent: on a briefing map they look like "no change" or
like the layers beneath. When the map shows any, they are painted in the
colour classified rasters give them and the legend lists them under the ramp,
"No data (cloud or mask)", as it does for classified rasters.
"""

from __future__ import annotations

import numpy as np
from qgis.core import (
    Qgis,
    QgsCoordinateTransform,
    QgsCsException,
    QgsLayerTreeLayer,
    QgsLayoutItemMap,
    QgsMapLayerLegend,
    QgsRasterLayer,
    QgsRasterSymbolLegendNode,
    QgsSingleBandGrayRenderer,
    QgsSingleBandPseudoColorRenderer,
)
from qgis.PyQt import sip
from qgis.PyQt.QtGui import QColor

from ..core.briefing import NO_DATA_LABEL
from ..qgis_compat import renderer_band

#: The most pixels read each way to look for masked pixels in the map's area.
SAMPLE_PIXELS = 512
#: numpy's name for each raster data type a continuous raster may have.
_NUMPY_TYPES = {
    Qgis.DataType.Byte: "uint8",
    Qgis.DataType.UInt16: "uint16",
    Qgis.DataType.Int16: "int16",
    Qgis.DataType.UInt32: "uint32",
    Qgis.DataType.Int32: "int32",
    Qgis.DataType.Float32: "float32",
    Qgis.DataType.Float64: "float64",
}


class _LegendWithNoData(QgsMapLayerLegend):
    """A raster's usual legend entries, then one for its masked pixels."""

    def __init__(self, layer: QgsRasterLayer, colour: QColor) -> None:
        super().__init__()
        self._usual = QgsMapLayerLegend.defaultRasterLegend(layer)
        self._colour = QColor(colour)

    def createLayerTreeModelLegendNodes(self, node_layer: QgsLayerTreeLayer):  # noqa: N802 - QGIS API name
        nodes = self._usual.createLayerTreeModelLegendNodes(node_layer)
        no_data = QgsRasterSymbolLegendNode(node_layer, self._colour, NO_DATA_LABEL)
        sip.transferto(no_data, None)  # the legend model owns and deletes its nodes, not Python
        return [*nodes, no_data]


def show_masked_pixels(layer: QgsRasterLayer, main_map: QgsLayoutItemMap, colour: str) -> bool:
    """Paint the masked pixels of a continuous raster in ``colour`` and list them in its legend, when the main
    map shows any; whether it did. Classified rasters are left to their own no-data class."""
    renderer = layer.renderer()
    if not isinstance(renderer, (QgsSingleBandPseudoColorRenderer, QgsSingleBandGrayRenderer)):
        return False
    if not _masked_pixels_in_view(layer, renderer_band(renderer), main_map):
        return False
    renderer.setNodataColor(QColor(colour))
    layer.setLegend(_LegendWithNoData(layer, QColor(colour)))  # the layer owns its legend from here
    return True


def _masked_pixels_in_view(layer: QgsRasterLayer, band: int, main_map: QgsLayoutItemMap) -> bool:
    """Whether any pixel of ``band`` inside the main map's area is nodata (its nodata value, or NaN)."""
    provider = layer.dataProvider()
    if provider is None or not provider.sourceHasNoDataValue(band):
        return False
    to_layer = QgsCoordinateTransform(main_map.crs(), layer.crs(), layer.transformContext())
    try:
        area = to_layer.transformBoundingBox(main_map.extent()).intersect(layer.extent())
    except QgsCsException:
        return False
    dtype = _NUMPY_TYPES.get(provider.dataType(band))
    if area.isEmpty() or dtype is None or layer.width() <= 0:
        return False
    columns = max(1, min(SAMPLE_PIXELS, round(layer.width() * area.width() / layer.extent().width())))
    rows = max(1, min(SAMPLE_PIXELS, round(layer.height() * area.height() / layer.extent().height())))
    block = provider.block(band, area, columns, rows)
    values = np.frombuffer(bytes(block.data()), dtype=dtype)
    no_data = provider.sourceNoDataValue(band)
    masked = values == np.asarray(no_data).astype(dtype)
    if values.dtype.kind == "f":
        masked |= np.isnan(values)
    return bool(masked.any())
