"""The layers a briefing map draws: loaded, named for the reader and recognised by kind."""

from __future__ import annotations

from pathlib import Path

from qgis.core import (
    QgsFillSymbol,
    QgsMapLayer,
    QgsProcessingContext,
    QgsProcessingUtils,
    QgsProject,
    QgsSingleSymbolRenderer,
    QgsVectorLayer,
)

from ..core.briefing_incidents import is_incident_layer
from ..core.errors import MewError
from ..processing.convert import layer_file
from ..qgis_compat import GeometryType, LayerType


def load_map_layers(given: object, context: QgsProcessingContext) -> list[QgsMapLayer]:
    """The layers in drawing order; any entry that does not load is an error naming it.

    ``given`` is a Processing parameter value: one entry or a list of them,
    each a layer or what Processing takes for one (a layer id, a file path,
    ``file.gpkg|layername=name``).
    """
    entries = given if isinstance(given, (list, tuple)) else [given] if given not in (None, "") else []
    if not entries:
        raise MewError("Give at least one layer to draw (LAYERS).")
    layers = []
    for entry in entries:
        layer = entry if isinstance(entry, QgsMapLayer) else None
        if layer is None and isinstance(entry, str) and entry:
            layer = QgsProcessingUtils.mapLayerFromString(entry, context)
            if layer is not None and layer.isValid() and QgsProject.instance().mapLayer(layer.id()) is None:
                _prepare_file_layer(layer)
        if layer is None or not layer.isValid():
            where = entry.name() if isinstance(entry, QgsMapLayer) else str(entry)
            raise MewError(
                "The layer '{where}' could not be loaded: check that the file or project layer exists (a "
                "GeoPackage layer is written 'file.gpkg|layername=name').",
                where=where,
            )
        layers.append(layer)
    return layers


def _prepare_file_layer(layer: QgsMapLayer) -> None:
    """A layer we loaded from a path: name it as a reader would, and keep unstyled areas see-through.

    A polygon layer with no saved style (no .qml beside it, none in its
    GeoPackage) would get a random opaque fill that hides every layer under
    it; it is drawn as an outline instead.
    """
    layer.setName(_display_name(layer))
    if isinstance(layer, QgsVectorLayer) and layer.geometryType() == GeometryType.Polygon:
        _message, styled = layer.loadDefaultStyle()
        if not styled:
            layer.setRenderer(
                QgsSingleSymbolRenderer(
                    QgsFillSymbol.createSimple({"style": "no", "outline_color": "#303030", "outline_width": "0.4"})
                )
            )


def _display_name(layer: QgsMapLayer) -> str:
    """The name a reader should see: a GeoPackage layer's own name rather than its file's."""
    name = layer.name()
    path, sublayer = layer_file(layer)
    if path and sublayer and name in (Path(path).stem, Path(path).name):
        name = sublayer
    return name.replace("_", " ")


def same_source(a: QgsMapLayer, b: QgsMapLayer) -> bool:
    """Whether two layers read the same data."""
    return a.source() == b.source() and a.providerType() == b.providerType()


def is_incident_points(layer: QgsMapLayer) -> bool:
    """Whether ``layer`` holds incident records as points: sensitive, aggregated unless asked otherwise."""
    is_points = isinstance(layer, QgsVectorLayer) and layer.geometryType() == GeometryType.Point
    return is_points and is_incident_layer(layer.name(), layer.fields().names(), True)


def is_area_or_raster(layer: QgsMapLayer) -> bool:
    """Whether ``layer`` gives a map its context: a raster or polygons from a file (not our aggregates)."""
    if isinstance(layer, QgsVectorLayer):
        return layer.geometryType() == GeometryType.Polygon and layer.providerType() != "memory"
    return layer.type() == LayerType.Raster
