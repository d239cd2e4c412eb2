"""The overview inset: the region around the mission, its countries and borders, the map's area outlined.

The countries, provinces and disputed borders come from the world map QGIS
ships with every release (``resources/data/world_map.gpkg``): nothing to
download, and the same borders on every installation.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from qgis.core import (
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsFillSymbol,
    QgsLayout,
    QgsLayoutItemMap,
    QgsLineSymbol,
    QgsMapLayer,
    QgsRectangle,
    QgsSingleSymbolRenderer,
    QgsVectorLayer,
)

from .frame import fit_map_item
from .layers import is_area_or_raster

#: The least width and height (map units, metres) the inset shows: enough to see the neighbouring countries.
REGION_SPAN = 1_600_000.0
#: Layer names of QGIS's world map, drawn bottom to top, and their names on our map.
WORLD_LAYERS = (("countries", "Countries"), ("states_provinces", "Provinces"), ("disputed_borders", "Disputed borders"))


def world_map_path() -> Path:
    """QGIS's own world map (countries, provinces, disputed borders)."""
    return Path(QgsApplication.pkgDataPath()) / "resources" / "data" / "world_map.gpkg"


def fill_overview(
    layout: QgsLayout,
    main_map: QgsLayoutItemMap,
    top_first: Sequence[QgsMapLayer],
    crs: QgsCoordinateReferenceSystem,
    layers_area: QgsRectangle,
) -> None:
    """Draw the region around ``layers_area`` in the ``overview_map`` item: countries and borders, the
    context layers (rasters and areas, else all) and the main map's frame.

    Nothing happens when the template has no overview map.
    """
    overview = layout.itemById("overview_map")
    if not isinstance(overview, QgsLayoutItemMap):
        return
    context_layers = [layer for layer in top_first if is_area_or_raster(layer)] or list(top_first)
    world = world_layers()
    for layer in world:
        layout.project().addMapLayer(layer, False)  # the project keeps them alive while the layout draws
    overview.setCrs(crs)
    overview.setLayers(context_layers + world[::-1])
    overview.setKeepLayerSet(True)
    fit_map_item(overview, _region(layers_area), margin=0.0)
    overview.overview().setLinkedMap(main_map)


def world_layers() -> list[QgsVectorLayer]:
    """The countries, provinces and disputed borders of QGIS's world map, bottom first.

    Empty when this QGIS lacks its world map: the inset then shows the mission's layers alone.
    """
    path = world_map_path()
    if not path.is_file():
        return []
    layers = []
    for table, name in WORLD_LAYERS:
        options = QgsVectorLayer.LayerOptions(False)  # its stored styles are replaced below: not read at all
        layer = QgsVectorLayer(f"{path}|layername={table}", name, "ogr", options)
        if layer.isValid():
            layer.setRenderer(QgsSingleSymbolRenderer(_world_symbol(table)))
            layers.append(layer)
    return layers


def _world_symbol(table: str):
    if table == "countries":
        return QgsFillSymbol.createSimple({"color": "#f2efe9", "outline_color": "#6f6f6f", "outline_width": "0.25"})
    if table == "states_provinces":
        return QgsFillSymbol.createSimple(
            {"style": "no", "outline_color": "#b4b4b4", "outline_width": "0.1", "outline_style": "dot"}
        )
    return QgsLineSymbol.createSimple({"line_color": "#6f6f6f", "line_width": "0.25", "line_style": "dash"})


def _region(area: QgsRectangle) -> QgsRectangle:
    """``area`` widened about its centre to at least :data:`REGION_SPAN` each way."""
    half_width = max(area.width(), REGION_SPAN) / 2
    half_height = max(area.height(), REGION_SPAN) / 2
    centre = area.center()
    return QgsRectangle(
        centre.x() - half_width, centre.y() - half_height, centre.x() + half_width, centre.y() + half_height
    )
