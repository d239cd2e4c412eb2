"""The overview inset: the whole area of the layers, with the main map's frame drawn on it."""

from __future__ import annotations

from typing import Sequence

from qgis.core import QgsCoordinateReferenceSystem, QgsLayout, QgsLayoutItemMap, QgsMapLayer, QgsRectangle

from .frame import fit_map_item
from .layers import is_area_or_raster


def fill_overview(
    layout: QgsLayout,
    main_map: QgsLayoutItemMap,
    top_first: Sequence[QgsMapLayer],
    crs: QgsCoordinateReferenceSystem,
    layers_area: QgsRectangle,
) -> None:
    """Draw the context layers (rasters and areas, else all) over ``layers_area`` in the ``overview_map`` item.

    Nothing happens when the template has no overview map.
    """
    overview = layout.itemById("overview_map")
    if not isinstance(overview, QgsLayoutItemMap):
        return
    context_layers = [layer for layer in top_first if is_area_or_raster(layer)] or list(top_first)
    overview.setCrs(crs)
    overview.setLayers(context_layers)
    overview.setKeepLayerSet(True)
    fit_map_item(overview, layers_area, margin=0.08)
    overview.overview().setLinkedMap(main_map)
