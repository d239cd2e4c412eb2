"""The atlas of a briefing map: one page per zone (e.g. per sector), in the zones' natural order."""

from __future__ import annotations

from typing import Sequence

from qgis.core import (
    QgsExpression,
    QgsFillSymbol,
    QgsLayoutItemMap,
    QgsPrintLayout,
    QgsProperty,
    QgsSingleSymbolRenderer,
    QgsVectorLayer,
)

from ..core.briefing import plan_atlas_pages, sheet_map_number
from ..core.errors import MewError
from ..qgis_compat import GeometryType, SymbolLayerProperty


def checked_zones(zones: QgsVectorLayer | None, given: object) -> QgsVectorLayer:
    """The zones layer of an atlas, refused when it did not load (``given`` names it) or holds no polygons."""
    if zones is None or not zones.isValid():
        raise MewError(
            "The zones layer '{given}' could not be loaded: check that it exists and is a polygon layer (a "
            "GeoPackage layer is written 'file.gpkg|layername=name').",
            given=given,
        )
    if zones.geometryType() != GeometryType.Polygon:
        raise MewError("The zones layer '{zones}' must contain polygons (one per atlas page).", zones=zones.name())
    return zones


def atlas_pages(zones: QgsVectorLayer, zone_field: str) -> list[str]:
    """The zone names, one per page in page order; a missing field or an empty or repeated name is an error."""
    if not zone_field:
        raise MewError("Choose the zone name field (ZONE_FIELD) of the zones layer '{zones}'.", zones=zones.name())
    if zones.fields().indexOf(zone_field) < 0:
        raise MewError(
            "The zones layer '{zones}' has no field '{zone_field}'.", zones=zones.name(), zone_field=zone_field
        )
    return plan_atlas_pages([f[zone_field] for f in zones.getFeatures()], zones.name(), zone_field)


def zone_outline_layer(zones: QgsVectorLayer) -> QgsVectorLayer:
    """The zones drawn as outlines, the atlas page's zone heavier, without labels."""
    layer = zones.clone()
    symbol = QgsFillSymbol.createSimple(
        {"style": "no", "outline_color": "#202020", "outline_width": "0.3", "outline_width_unit": "MM"}
    )
    symbol.symbolLayer(0).setDataDefinedProperty(
        SymbolLayerProperty.StrokeWidth,
        QgsProperty.fromExpression("if(@atlas_featureid = $id, 0.9, 0.3)"),
    )
    layer.setRenderer(QgsSingleSymbolRenderer(symbol))
    layer.setLabelsEnabled(False)  # the zones' own layer, when drawn, names them: once is enough
    return layer


def atlas_page_texts(texts: dict[str, str], zone_field: str) -> dict[str, str]:
    """``texts`` (printed as written, see :func:`core.briefing.literal_text`) with the title and map number of
    each page: its zone's name and its sheet number."""
    zone_expression = f"[% attribute(@atlas_feature, {QgsExpression.quotedString(zone_field)}) %]"
    sheet_number = sheet_map_number(
        texts["map_number"], "[% @atlas_featurenumber %]", "[% @atlas_totalfeatures %]", zone_expression
    )
    return dict(texts, title=f"{texts['title']} — {zone_expression}", map_number=sheet_number)


def set_up_atlas(layout: QgsPrintLayout, zone_layer: QgsVectorLayer, zone_field: str, pages: Sequence[str]) -> None:
    """One page per zone of ``zone_layer`` in the order of ``pages``, the main map following the zone."""
    atlas = layout.atlas()
    atlas.setCoverageLayer(zone_layer)
    atlas.setEnabled(True)
    atlas.setHideCoverage(False)
    atlas.setPageNameExpression(QgsExpression.quotedColumnRef(zone_field))
    order = ",".join(QgsExpression.quotedString(page) for page in pages)
    atlas.setSortFeatures(True)
    atlas.setSortAscending(True)
    atlas.setSortExpression(f"array_find(array({order}), to_string({QgsExpression.quotedColumnRef(zone_field)}))")
    main_map = layout.itemById("main_map")
    main_map.setAtlasDriven(True)
    main_map.setAtlasScalingMode(QgsLayoutItemMap.AtlasScalingMode.Auto)
    main_map.setAtlasMargin(0.08)
