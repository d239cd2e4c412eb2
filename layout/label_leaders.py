"""Point labels that find no room around their symbol: moved out to the nearest free spot, with a leader line.

QGIS's labelling engine tries a few places right around each point symbol
(``map_labels``); where symbols crowd, all of them may be taken and the label
is dropped. On a layer with few labels each one matters (the numbers of the
worst gaps): this module lays the map's labels out once, finds the labels left
unplaced, and pins each of them to the nearest spot, farther out, where it
covers no label and no point symbol, with a thin line back to its point. The
engine then places them there, and the other labels stay where they were.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterator, Sequence

from qgis.core import (
    QgsCoordinateTransform,
    QgsFeatureRequest,
    QgsLabelingEngineSettings,
    QgsLayoutItemMap,
    QgsMapLayer,
    QgsMapRendererSequentialJob,
    QgsMarkerSymbol,
    QgsPalLayerSettings,
    QgsPointXY,
    QgsProperty,
    QgsRectangle,
    QgsRenderContext,
    QgsSimpleLineCallout,
    QgsVectorLayer,
    QgsVectorLayerSimpleLabeling,
)
from qgis.PyQt.QtCore import QSizeF
from qgis.PyQt.QtGui import QColor

from ..qgis_compat import GeometryType, LabelingFlag, RenderUnit

#: A layer with more labels than this on the map keeps the engine's choice: leaders would clutter it.
MOST_LED_LABELS = 20
#: Free room kept around a moved label (mm on the page), more than the overlap the map checks tolerate.
CLEARANCE_MM = 0.5
#: Where a moved label may go: rings this far apart (mm) around its point, up to the last, each tried at
#: :data:`DIRECTIONS` evenly spaced angles, nearest ring first.
RING_STEP_MM = 1.5
FARTHEST_MM = 18.0
DIRECTIONS = 16
#: The leader: thin and dark grey; it starts at the edge of the point's symbol, which it leaves clear.
LEADER_COLOUR = "#404040"
LEADER_WIDTH_MM = 0.2


@dataclass(frozen=True)
class _Page:
    """How map units become millimetres on the page for the main map."""

    extent: QgsRectangle
    mm_per_unit: float

    def grown(self, rect: QgsRectangle, mm: float) -> QgsRectangle:
        margin = mm / self.mm_per_unit
        return QgsRectangle(
            rect.xMinimum() - margin, rect.yMinimum() - margin, rect.xMaximum() + margin, rect.yMaximum() + margin
        )


def lead_out_unplaced_point_labels(main_map: QgsLayoutItemMap, layers: Sequence[QgsMapLayer], dpi: float) -> int:
    """Pin every label the engine leaves out on a point layer with few labels (at most
    :data:`MOST_LED_LABELS` on the map) to a free spot with a leader line; the number of labels moved.

    A label stays left out only when no spot within :data:`FARTHEST_MM` of its point is free. The trial
    layout is made at the export's ``dpi``: the engine's choices shift with the resolution.
    """
    frame = main_map.sizeWithUnits()
    extent = main_map.extent()
    if frame.width() <= 0 or extent.width() <= 0:
        return 0
    page = _Page(extent, frame.width() / extent.width())
    vectors = [layer for layer in layers if isinstance(layer, QgsVectorLayer)]
    settings = main_map.mapSettings(extent, QSizeF(frame.width() * dpi / 25.4, frame.height() * dpi / 25.4), dpi, True)
    settings.setLayers(vectors)
    engine = QgsLabelingEngineSettings(settings.labelingEngineSettings())
    engine.setFlag(LabelingFlag.CollectUnplacedLabels, True)
    settings.setLabelingEngineSettings(engine)
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    results = job.takeLabelingResults()
    if results is None:
        return 0
    taken = [page.grown(label.labelRect, CLEARANCE_MM) for label in results.allLabels() if not label.isUnplaced]
    context = QgsRenderContext.fromMapSettings(settings)
    taken += [
        page.grown(box, CLEARANCE_MM) for layer in vectors for box in _symbol_boxes(layer, settings, context, page)
    ]
    moved = 0
    by_layer = {layer.id(): layer for layer in vectors}
    for layer_id, labels in _labels_by_layer(results.allLabels()).items():
        layer = by_layer.get(layer_id)
        unplaced = [label for label in labels if label.isUnplaced]
        if layer is None or not unplaced or len(labels) > MOST_LED_LABELS or not _simple_point_labels(layer):
            continue
        to_layer = QgsCoordinateTransform(settings.destinationCrs(), layer.crs(), settings.transformContext())
        to_map = QgsCoordinateTransform(layer.crs(), settings.destinationCrs(), settings.transformContext())
        spots: dict[int, QgsPointXY] = {}
        for label in unplaced:
            point = _feature_point(layer, label.featureId, to_map)
            spot = _free_spot(point, label.labelRect.width(), label.labelRect.height(), taken, page)
            if spot is not None:
                taken.append(page.grown(spot, CLEARANCE_MM))
                # the lower left corner: a label aligned about its anchor is checked by the engine where it is not
                spots[label.featureId] = to_layer.transform(QgsPointXY(spot.xMinimum(), spot.yMinimum()))
        if spots:
            _pin(layer, spots, _largest_symbol_mm(layer, context))
            moved += len(spots)
    return moved


def _labels_by_layer(labels) -> dict[str, list]:
    grouped: dict[str, list] = {}
    for label in labels:
        grouped.setdefault(label.layerID, []).append(label)
    return grouped


def _simple_point_labels(layer: QgsVectorLayer) -> bool:
    return (
        layer.geometryType() == GeometryType.Point
        and layer.labelsEnabled()
        and isinstance(layer.labeling(), QgsVectorLayerSimpleLabeling)
    )


def _feature_point(layer: QgsVectorLayer, feature_id: int, to_map: QgsCoordinateTransform) -> QgsPointXY:
    """The point of a feature, in the map's CRS."""
    feature = next(layer.getFeatures(QgsFeatureRequest(feature_id)))
    vertex = next(feature.geometry().vertices())
    return to_map.transform(QgsPointXY(vertex.x(), vertex.y()))


def _candidate_centres(point: QgsPointXY, page: _Page) -> Iterator[QgsPointXY]:
    """Centres of a moved label around ``point``: ring after ring, nearest first."""
    rings = int(FARTHEST_MM / RING_STEP_MM)
    for ring in range(1, rings + 1):
        radius = ring * RING_STEP_MM / page.mm_per_unit
        for step in range(DIRECTIONS):
            angle = 2 * math.pi * step / DIRECTIONS
            yield QgsPointXY(point.x() + radius * math.cos(angle), point.y() + radius * math.sin(angle))


def _free_spot(
    point: QgsPointXY, width: float, height: float, taken: list[QgsRectangle], page: _Page
) -> QgsRectangle | None:
    """The nearest box of ``width`` × ``height`` (map units) inside the map that overlaps nothing ``taken``."""
    inside = page.grown(page.extent, -CLEARANCE_MM)
    for centre in _candidate_centres(point, page):
        box = QgsRectangle(
            centre.x() - width / 2, centre.y() - height / 2, centre.x() + width / 2, centre.y() + height / 2
        )
        if inside.contains(box) and not any(box.intersects(other) for other in taken):
            return box
    return None


def _symbol_boxes(layer: QgsVectorLayer, settings, context: QgsRenderContext, page: _Page) -> list[QgsRectangle]:
    """The boxes (map units) the point symbols of ``layer`` cover on the map; none for other layers."""
    if layer.geometryType() != GeometryType.Point or layer.renderer() is None:
        return []
    transform = QgsCoordinateTransform(layer.crs(), settings.destinationCrs(), settings.transformContext())
    to_layer = QgsCoordinateTransform(settings.destinationCrs(), layer.crs(), settings.transformContext())
    area = to_layer.transformBoundingBox(page.extent)
    renderer = layer.renderer().clone()
    renderer.startRender(context, layer.fields())
    boxes = []
    for feature in layer.getFeatures(QgsFeatureRequest(area)):
        context.expressionContext().setFeature(feature)
        sizes = [_size_mm(s, context) for s in renderer.symbolsForFeature(feature, context)]
        if not sizes or not feature.hasGeometry():
            continue
        half = max(sizes) / 2 / page.mm_per_unit
        for vertex in feature.geometry().vertices():
            centre = transform.transform(QgsPointXY(vertex.x(), vertex.y()))
            boxes.append(QgsRectangle(centre.x() - half, centre.y() - half, centre.x() + half, centre.y() + half))
    renderer.stopRender(context)
    return boxes


def _size_mm(symbol, context: QgsRenderContext) -> float:
    if not isinstance(symbol, QgsMarkerSymbol):
        return 0.0
    pixels = context.convertToPainterUnits(symbol.size(), symbol.sizeUnit(), symbol.sizeMapUnitScale())
    return pixels / context.scaleFactor() if context.scaleFactor() else 0.0  # the factor: pixels per mm


def _largest_symbol_mm(layer: QgsVectorLayer, context: QgsRenderContext) -> float:
    symbols = layer.renderer().symbols(context) if layer.renderer() is not None else []
    return max((_size_mm(symbol, context) for symbol in symbols), default=0.0)


def _pin(layer: QgsVectorLayer, spots: dict[int, QgsPointXY], symbol_mm: float) -> None:
    """Place the labels of the features ``spots`` names with their lower left corner at their spots (layer CRS),
    with a leader line; the engine still checks that nothing is in the way."""
    settings = QgsPalLayerSettings(layer.labeling().settings())
    properties = settings.dataDefinedProperties()
    ids = ", ".join(str(feature_id) for feature_id in spots)

    def per_feature(coordinate) -> QgsProperty:
        cases = " ".join(f"WHEN $id = {fid} THEN {coordinate(point)!r}" for fid, point in spots.items())
        return QgsProperty.fromExpression(f"CASE {cases} END")

    properties.setProperty(QgsPalLayerSettings.Property.PositionX, per_feature(lambda point: point.x()))
    properties.setProperty(QgsPalLayerSettings.Property.PositionY, per_feature(lambda point: point.y()))
    properties.setProperty(QgsPalLayerSettings.Property.CalloutDraw, QgsProperty.fromExpression(f"$id IN ({ids})"))
    settings.setDataDefinedProperties(properties)
    leader = QgsSimpleLineCallout()
    leader.setEnabled(True)
    line = leader.lineSymbol().clone()
    line.setColor(QColor(LEADER_COLOUR))
    line.setWidth(LEADER_WIDTH_MM)
    leader.setLineSymbol(line)
    leader.setOffsetFromAnchor(symbol_mm / 2)
    leader.setOffsetFromAnchorUnit(RenderUnit.Millimeters)
    settings.setCallout(leader)
    layer.setLabeling(QgsVectorLayerSimpleLabeling(settings))
