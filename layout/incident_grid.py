"""Incident points drawn as counts per grid cell, the default on an exported briefing map."""

from __future__ import annotations

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsCoordinateTransformContext,
    QgsCsException,
    QgsFeature,
    QgsFillSymbol,
    QgsGeometry,
    QgsGraduatedSymbolRenderer,
    QgsProcessingFeedback,
    QgsRectangle,
    QgsRendererRange,
    QgsStyle,
    QgsVectorLayer,
)

from ..core.briefing_incidents import (
    aggregate_points,
    aggregated_layer_name,
    class_colour_positions,
    class_label,
    count_classes,
)
from ..core.messages import message


def incident_grid_layer(
    layer: QgsVectorLayer,
    map_crs: QgsCoordinateReferenceSystem,
    cell_size: float,
    transform_context: QgsCoordinateTransformContext,
    feedback: QgsProcessingFeedback,
) -> QgsVectorLayer:
    """Incident points → a memory layer of grid cells (in ``map_crs``) with counts, shaded by count class.

    Records that cannot be placed on the map are left out, with a warning
    saying how many.
    """
    transform = QgsCoordinateTransform(layer.crs(), map_crs, transform_context)
    xs: list[float] = []
    ys: list[float] = []
    unplaced = 0
    for feature in layer.getFeatures():
        geometry = feature.geometry()
        if geometry.isNull() or geometry.isEmpty():
            unplaced += 1
            continue
        try:
            geometry.transform(transform)
        except QgsCsException:  # e.g. latitude 95: the record cannot be placed on the map
            unplaced += 1
            continue
        for point in geometry.vertices():
            xs.append(point.x())
            ys.append(point.y())
    if unplaced:
        feedback.pushWarning(
            message(
                "{count} record(s) of '{layer}' have no usable location and are not counted on the map.",
                count=unplaced,
                layer=layer.name(),
            )
        )
    cells = aggregate_points(xs, ys, cell_size)
    grid = QgsVectorLayer(
        f"Polygon?crs={map_crs.authid() or 'EPSG:4326'}&field=incidents:integer",
        aggregated_layer_name(layer.name(), cell_size),
        "memory",
    )
    if not map_crs.authid():
        grid.setCrs(map_crs)
    features = []
    for x0, y0, x1, y1, count in cells:
        feature = QgsFeature(grid.fields())
        feature.setGeometry(QgsGeometry.fromRect(QgsRectangle(x0, y0, x1, y1)))
        feature.setAttributes([count])
        features.append(feature)
    grid.dataProvider().addFeatures(features)
    grid.updateExtents()
    if features:
        ramp = QgsStyle.defaultStyle().colorRamp("Reds")
        classes = count_classes([cell[4] for cell in cells])
        ranges = []
        for (low, high), position in zip(classes, class_colour_positions(len(classes))):
            symbol = QgsFillSymbol.createSimple({"outline_style": "no"})
            symbol.setColor(ramp.color(position))
            ranges.append(QgsRendererRange(low - 0.5, high + 0.5, symbol, class_label(low, high)))
        grid.setRenderer(QgsGraduatedSymbolRenderer("incidents", ranges))
        grid.setOpacity(0.85)
    return grid
