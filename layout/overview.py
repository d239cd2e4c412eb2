"""The overview inset: the region around the mission, its countries named and their borders, the map's area
outlined.

The countries, provinces and disputed borders come from the world map QGIS
ships with every release (``resources/data/world_map.gpkg``): nothing to
download, and the same borders on every installation. The countries' names are
small and kept off the mission's area and the main map's frame, which an
invisible obstacle covers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from qgis.core import (
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsFillSymbol,
    QgsGeometry,
    QgsLabelObstacleSettings,
    QgsLayout,
    QgsLayoutItemMap,
    QgsLineSymbol,
    QgsMapLayer,
    QgsPalLayerSettings,
    QgsRectangle,
    QgsSingleSymbolRenderer,
    QgsTextBufferSettings,
    QgsTextFormat,
    QgsVectorLayer,
    QgsVectorLayerSimpleLabeling,
)
from qgis.PyQt.QtGui import QColor

from ..qgis_compat import LabelPlacement, RenderUnit
from .frame import fit_map_item
from .layers import is_area_or_raster
from .map_labels import ABSOLUTE_OBSTACLE

#: The least width and height (map units, metres) the inset shows: enough to see the neighbouring countries.
REGION_SPAN = 1_600_000.0
#: Layer names of QGIS's world map, drawn bottom to top, and their names on our map.
WORLD_LAYERS = (("countries", "Countries"), ("states_provinces", "Provinces"), ("disputed_borders", "Disputed borders"))
#: The countries' names in the inset: small, grey, on a thin halo of the land colour.
COUNTRY_NAME_POINTS = 6.0
COUNTRY_NAME_COLOUR = "#505050"
LAND_COLOUR = "#f2efe9"
#: The field of QGIS's world map holding a country's name (its case differs between releases of the file).
COUNTRY_NAME_FIELD = "name"
#: Room (mm on the page) kept between a country's name and the mission's area or the main map's frame.
FRAME_CLEARANCE_MM = 1.0


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
    overview.setCrs(crs)
    fit_map_item(overview, _region(layers_area), margin=0.0)
    clearance = FRAME_CLEARANCE_MM * overview.extent().width() / max(overview.sizeWithUnits().width(), 1e-9)
    keep_clear = _names_keep_off(layers_area.buffered(clearance), main_map.extent().buffered(clearance), crs)
    for layer in [*world, keep_clear]:
        layout.project().addMapLayer(layer, False)  # the project keeps them alive while the layout draws
    overview.setLayers([keep_clear, *context_layers, *world[::-1]])
    overview.setKeepLayerSet(True)
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
            if table == "countries":
                _name_countries(layer)
            layers.append(layer)
    return layers


def _name_countries(countries: QgsVectorLayer) -> None:
    """Label each country with its name, horizontally inside the part the inset shows."""
    index = countries.fields().lookupField(COUNTRY_NAME_FIELD)  # case-insensitive
    if index < 0:
        return
    text = QgsTextFormat()
    text.setSize(COUNTRY_NAME_POINTS)
    text.setSizeUnit(RenderUnit.Points)
    text.setColor(QColor(COUNTRY_NAME_COLOUR))
    halo = QgsTextBufferSettings()
    halo.setEnabled(True)
    halo.setSize(0.5)
    halo.setSizeUnit(RenderUnit.Millimeters)
    halo.setColor(QColor(LAND_COLOUR))
    text.setBuffer(halo)
    settings = QgsPalLayerSettings()
    settings.fieldName = countries.fields().at(index).name()
    settings.setFormat(text)
    settings.placement = LabelPlacement.Horizontal  # anywhere inside the country's visible part
    countries.setLabeling(QgsVectorLayerSimpleLabeling(settings))
    countries.setLabelsEnabled(True)


def _names_keep_off(
    mission_area: QgsRectangle, map_frame: QgsRectangle, crs: QgsCoordinateReferenceSystem
) -> QgsVectorLayer:
    """An invisible layer over the mission's area and the main map's frame that no label may cover."""
    layer = QgsVectorLayer("Polygon", "keep clear", "memory")
    layer.setCrs(crs)
    feature = QgsFeature()
    feature.setGeometry(QgsGeometry.fromRect(mission_area).combine(QgsGeometry.fromRect(map_frame)))
    layer.dataProvider().addFeatures([feature])
    layer.setRenderer(QgsSingleSymbolRenderer(QgsFillSymbol.createSimple({"style": "no", "outline_style": "no"})))
    settings = QgsPalLayerSettings()
    settings.fieldName = "''"
    settings.isExpression = True
    settings.drawLabels = False  # an obstacle only
    obstacle = QgsLabelObstacleSettings(settings.obstacleSettings())
    obstacle.setIsObstacle(True)
    obstacle.setFactor(ABSOLUTE_OBSTACLE)
    obstacle.setType(QgsLabelObstacleSettings.ObstacleType.PolygonInterior)
    settings.setObstacleSettings(obstacle)
    layer.setLabeling(QgsVectorLayerSimpleLabeling(settings))
    layer.setLabelsEnabled(True)
    return layer


def _world_symbol(table: str):
    if table == "countries":
        return QgsFillSymbol.createSimple({"color": LAND_COLOUR, "outline_color": "#6f6f6f", "outline_width": "0.25"})
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
