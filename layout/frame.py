"""What the map shows: its CRS, the extent of its layers, and a map item fitted to an extent."""

from __future__ import annotations

import math
from typing import Sequence

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsCoordinateTransformContext,
    QgsCsException,
    QgsLayoutItemMap,
    QgsMapLayer,
    QgsRectangle,
    QgsVectorLayer,
)

from ..core.briefing import fit_extent
from ..core.crs import metric_crs_for
from ..core.errors import MewError
from ..processing.convert import pyproj_crs, qgis_crs
from ..qgis_compat import LayerType


def map_crs(
    layers: Sequence[QgsMapLayer], zones: QgsVectorLayer | None, transform_context: QgsCoordinateTransformContext
) -> QgsCoordinateReferenceSystem:
    """The CRS of the map: the zones' or first layer's, replaced by a local metric one if geographic."""
    candidates = ([zones] if zones is not None else []) + list(layers)
    valid = [layer.crs() for layer in candidates if layer.crs().isValid()]
    crs = next((c for c in valid if not c.isGeographic()), valid[0] if valid else None)
    if crs is None:
        raise MewError("None of the layers has a coordinate reference system: set one in the layer properties.")
    if not crs.isGeographic():
        return crs
    lonlat = layers_extent(candidates, QgsCoordinateReferenceSystem("EPSG:4326"), transform_context)
    bounds = (lonlat.xMinimum(), lonlat.yMinimum(), lonlat.xMaximum(), lonlat.yMaximum())
    return qgis_crs(metric_crs_for(pyproj_crs(crs), bounds))


def layers_extent(
    layers: Sequence[QgsMapLayer], crs: QgsCoordinateReferenceSystem, transform_context: QgsCoordinateTransformContext
) -> QgsRectangle:
    """The extent of everything ``layers`` draw, in ``crs``; layers with nothing to draw are passed over."""
    extent = QgsRectangle()  # null: the first combineExtentWith() takes the other rectangle whole
    for layer in layers:
        layer_extent = layer.extent()
        if layer_extent.isNull() or (layer_extent.isEmpty() and layer.type() != LayerType.Vector):
            continue
        if isinstance(layer, QgsVectorLayer) and layer.featureCount() == 0:
            continue
        transform = QgsCoordinateTransform(layer.crs(), crs, transform_context)
        try:
            projected = transform.transformBoundingBox(layer_extent)
        except QgsCsException:
            continue
        corners = (projected.xMinimum(), projected.xMaximum(), projected.yMinimum(), projected.yMaximum())
        if all(math.isfinite(v) for v in corners):
            extent.combineExtentWith(projected)
    if extent.isNull() or not (extent.width() > 0 or extent.height() > 0):
        names = ", ".join(f"'{layer.name()}'" for layer in layers)
        raise MewError("The layers {names} have nothing to draw (no features or an empty extent).", names=names)
    if extent.width() == 0 or extent.height() == 0:  # a single point or a straight line
        extent.grow(max(extent.width(), extent.height(), 1000.0) * 0.1)
    return extent


def checked_extent(extent: QgsRectangle, written: str, layers_area: QgsRectangle) -> QgsRectangle:
    """The extent the user asked for, refused when it is empty or shows none of the layers.

    ``written`` is the extent as the user gave it, for the message.
    """
    if extent.isNull() or extent.width() <= 0 or extent.height() <= 0:
        raise MewError(
            "The map extent '{written}' is empty (no width or height): give xmin,xmax,ymin,ymax with xmin < "
            "xmax and ymin < ymax, or leave it out to show all layers.",
            written=written,
        )
    if not extent.intersects(layers_area):
        raise MewError(
            "The map extent '{written}' contains none of the layers: check its coordinates and CRS, or "
            "leave it out to show all layers.",
            written=written,
        )
    return extent


def fit_map_item(map_item: QgsLayoutItemMap, extent: QgsRectangle, margin: float = 0.02) -> None:
    """Show all of ``extent`` in ``map_item``, undistorted, with a margin (a share of the extent)."""
    size = map_item.sizeWithUnits()
    bounds = (extent.xMinimum(), extent.yMinimum(), extent.xMaximum(), extent.yMaximum())
    map_item.setExtent(QgsRectangle(*fit_extent(bounds, size.width(), size.height(), margin)))
