"""The labels on a briefing map's own map: none on another label or on a point symbol, places before areas.

QGIS's labelling engine (placement engine 2) never puts a label over an
obstacle of the greatest weight: every point layer is made such an obstacle
(one without labels of its own only as an obstacle), so no label hides a base,
a village or a gap. Point labels outrank area labels, and an area's label may
move anywhere inside its area to find free room; only an area's outline stands
in the way of other labels, not its whole surface.
"""

from __future__ import annotations

from typing import Sequence

from qgis.core import (
    QgsLabelObstacleSettings,
    QgsMapLayer,
    QgsPalLayerSettings,
    QgsProject,
    QgsVectorLayer,
    QgsVectorLayerSimpleLabeling,
)

from ..qgis_compat import GeometryType, LabelOffsetType, LabelPlacement, LabelPlacementEngineVersion, RenderUnit

#: The obstacle weight QGIS's placement engine 2 treats as absolute (the "over features" slider at its top).
ABSOLUTE_OBSTACLE = 2.0
#: Label priorities (0 - 10): names of points (bases, gaps) win over names of areas (sectors).
POINT_LABEL_PRIORITY = 8
AREA_LABEL_PRIORITY = 2
#: Room between a point symbol and its label (mm).
POINT_LABEL_DISTANCE_MM = 0.8


def arrange_map_labels(project: QgsProject, layers: Sequence[QgsMapLayer]) -> None:
    """Set the labelling of ``project`` and of its ``layers`` (the map's own copies) for a clear map."""
    engine = project.labelingEngineSettings()
    engine.setPlacementVersion(LabelPlacementEngineVersion.Version2)
    project.setLabelingEngineSettings(engine)
    for layer in layers:
        if not isinstance(layer, QgsVectorLayer):
            continue
        if layer.geometryType() == GeometryType.Point:
            _point_layer_labels(layer)
        elif layer.geometryType() == GeometryType.Polygon and _labels_on(layer):
            _relabel(layer, _area_settings)


def _labels_on(layer: QgsVectorLayer) -> bool:
    return layer.labelsEnabled() and layer.labeling() is not None


def _point_layer_labels(layer: QgsVectorLayer) -> None:
    """Labels of points outrank the others; the points themselves are absolute obstacles."""
    if _labels_on(layer):
        _relabel(layer, _point_settings)
        return
    settings = QgsPalLayerSettings()
    settings.fieldName = "''"
    settings.isExpression = True
    settings.drawLabels = False  # an obstacle only: the symbols stay clear of other layers' labels
    settings.setObstacleSettings(_absolute_obstacle(settings.obstacleSettings()))
    layer.setLabeling(QgsVectorLayerSimpleLabeling(settings))
    layer.setLabelsEnabled(True)


def _relabel(layer: QgsVectorLayer, change) -> None:
    """Apply ``change`` to each set of label settings of ``layer`` (one, or one per rule)."""
    labeling = layer.labeling().clone()
    for provider_id in labeling.subProviders():
        settings = QgsPalLayerSettings(labeling.settings(provider_id))
        change(settings)
        labeling.setSettings(settings, provider_id)  # takes ownership of the copy
    layer.setLabeling(labeling)


def _point_settings(settings: QgsPalLayerSettings) -> None:
    settings.priority = POINT_LABEL_PRIORITY
    # around the symbol, not around the point: a label never sits on its own symbol
    settings.placement = LabelPlacement.OrderedPositionsAroundPoint
    settings.offsetType = LabelOffsetType.FromSymbolBounds
    if settings.dist <= 0:
        settings.dist = POINT_LABEL_DISTANCE_MM
        settings.distUnits = RenderUnit.Millimeters
    settings.setObstacleSettings(_absolute_obstacle(settings.obstacleSettings()))


def _area_settings(settings: QgsPalLayerSettings) -> None:
    settings.priority = AREA_LABEL_PRIORITY
    settings.placement = LabelPlacement.Horizontal  # anywhere inside the area, not only its centre
    obstacle = QgsLabelObstacleSettings(settings.obstacleSettings())
    obstacle.setType(QgsLabelObstacleSettings.ObstacleType.PolygonBoundary)
    settings.setObstacleSettings(obstacle)


def _absolute_obstacle(current: QgsLabelObstacleSettings) -> QgsLabelObstacleSettings:
    obstacle = QgsLabelObstacleSettings(current)
    obstacle.setIsObstacle(True)
    obstacle.setFactor(ABSOLUTE_OBSTACLE)
    return obstacle
