"""The main map of a briefing map, and the north arrow and scale bar that read it."""

from __future__ import annotations

from typing import Sequence

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsLayout,
    QgsLayoutItemMap,
    QgsLayoutItemPicture,
    QgsLayoutItemScaleBar,
    QgsMapLayer,
    QgsRectangle,
)

from ..core.errors import MewError
from ..paths import ICONS
from ..qgis_compat import DistanceUnit
from .frame import fit_map_item

NORTH_ARROW = ICONS / "north_arrow.svg"


def fill_main_map(
    layout: QgsLayout, top_first: Sequence[QgsMapLayer], crs: QgsCoordinateReferenceSystem, extent: QgsRectangle
) -> QgsLayoutItemMap:
    """The ``main_map`` item drawing ``top_first`` (first layer on top) in ``crs``, fitted to ``extent``."""
    main_map = layout.itemById("main_map")
    if not isinstance(main_map, QgsLayoutItemMap):
        raise MewError("The layout template's 'main_map' item is not a map.")
    main_map.setCrs(crs)
    main_map.setLayers(list(top_first))
    main_map.setKeepLayerSet(True)
    fit_map_item(main_map, extent)
    return main_map


def link_north_arrow_and_scale_bar(layout: QgsLayout, main_map: QgsLayoutItemMap) -> None:
    """Point the north arrow and the scale bar (in kilometres) at the main map, when the template has them."""
    arrow = layout.itemById("north_arrow")
    if isinstance(arrow, QgsLayoutItemPicture):
        arrow.setPicturePath(str(NORTH_ARROW))
        arrow.setLinkedMap(main_map)
    scalebar = layout.itemById("scalebar")
    if isinstance(scalebar, QgsLayoutItemScaleBar):
        scalebar.setLinkedMap(main_map)
        scalebar.setUnits(DistanceUnit.Kilometers)
        scalebar.setUnitLabel("km")
        scalebar.setMapUnitsPerScaleBarUnit(1.0)
        scalebar.setSegmentSizeMode(scalebar.segmentSizeMode())  # recompute the segments for this extent
        scalebar.update()
