"""The algorithms' own styles draw the insignificant classes hollow, so what lies beneath stays visible."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from osgeo import ogr
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsExpressionContextUtils,
    QgsFeature,
    QgsFeatureRequest,
    QgsGeometry,
    QgsMapRendererParallelJob,
    QgsMapSettings,
    QgsMarkerSymbol,
    QgsPalettedRasterRenderer,
    QgsPointXY,
    QgsRasterLayer,
    QgsRenderContext,
    QgsSimpleFillSymbolLayer,
    QgsSimpleMarkerSymbolLayer,
    QgsSingleSymbolRenderer,
    QgsSymbol,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QSize, Qt
from qgis.PyQt.QtGui import QColor

from mission_early_warning.paths import STYLES

#: Vector styles of algorithm outputs: (style, geometry, classified field, value of the insignificant class).
VECTOR_STYLES = [
    ("hotspots_gi_bin", "Polygon", "Gi_Bin", "0"),
    ("hotspots_gi_bin_points", "Point", "Gi_Bin", "0"),
    ("emerging_hotspots", "Polygon", "CAT_CODE", "0"),
]
#: Paletted raster styles of algorithm outputs: (style, value of the "no drought" class).
RASTER_STYLES = [("drought_classes", 5), ("drought_transitions", 4)]

POINT_RED = "#ff0000"


def symbol_is_filled(symbol: QgsSymbol) -> bool:
    """Whether any layer of ``symbol`` paints its interior (a fill or a marker's body)."""
    filled = False
    for layer in symbol.symbolLayers():
        if isinstance(layer, QgsSimpleFillSymbolLayer):
            filled |= layer.brushStyle() != Qt.BrushStyle.NoBrush and layer.color().alpha() > 0
        elif isinstance(layer, QgsSimpleMarkerSymbolLayer):
            filled |= layer.color().alpha() > 0
        else:
            pytest.fail(f"{type(layer).__name__}: a symbol layer this test cannot judge")
    return filled


def styled_memory_layer(style: str, geometry: str, field: str) -> QgsVectorLayer:
    layer = QgsVectorLayer(f"{geometry}?crs=EPSG:32630&field={field}:integer", style, "memory")
    message, loaded = layer.loadNamedStyle(str(STYLES / f"{style}.qml"))
    assert loaded, message
    return layer


@pytest.mark.parametrize(("style", "geometry", "field", "insignificant"), VECTOR_STYLES)
def test_vector_styles_leave_the_insignificant_class_unfilled(qgis_app, style, geometry, field, insignificant):
    layer = styled_memory_layer(style, geometry, field)  # the renderer lives as long as its layer
    renderer = layer.renderer()
    categories = {str(category.value()): category for category in renderer.categories()}
    assert insignificant in categories, sorted(categories)
    assert not symbol_is_filled(categories.pop(insignificant).symbol())
    assert categories and all(symbol_is_filled(category.symbol()) for category in categories.values())


@pytest.mark.parametrize(("style", "no_drought"), RASTER_STYLES)
def test_drought_palettes_leave_no_drought_transparent(qgis_app, tmp_path, style, no_drought):
    import rasterio
    from rasterio.transform import from_origin

    path = tmp_path / "classes.tif"
    profile = dict(driver="GTiff", width=2, height=2, count=1, dtype="uint8", crs="EPSG:32630")
    with rasterio.open(path, "w", transform=from_origin(0, 2, 1, 1), **profile) as dataset:
        dataset.write(np.ones((1, 2, 2), dtype="uint8"))
    layer = QgsRasterLayer(str(path), style)
    message, loaded = layer.loadNamedStyle(str(STYLES / f"{style}.qml"))
    assert loaded, message
    renderer = layer.renderer()
    assert isinstance(renderer, QgsPalettedRasterRenderer)
    alphas = {int(entry.value): entry.color.alpha() for entry in renderer.classes()}
    assert alphas.pop(no_drought) == 0
    assert alphas and all(alpha == 255 for alpha in alphas.values())


def clustered_incidents() -> QgsVectorLayer:
    """A 10 km square of scattered incidents with one dense cluster in its north-east corner."""
    rng = np.random.default_rng(7)
    scattered = rng.uniform(0, 10_000, size=(300, 2))
    cluster = rng.normal(8_000, 400, size=(150, 2))
    layer = QgsVectorLayer("Point?crs=EPSG:32630&field=id:integer", "incidents", "memory")
    features = []
    for number, (x, y) in enumerate(np.vstack([scattered, cluster])):
        feature = QgsFeature(layer.fields())
        feature.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(float(x), float(y))))
        feature.setAttributes([number])
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    return layer


def render(layers: list, extent, size: int = 200):
    """The layers drawn into an image, the first of the list on top (as in QGIS's layer panel)."""
    settings = QgsMapSettings()
    settings.setLayers(layers)
    settings.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:32630"))
    settings.setExtent(extent)
    settings.setOutputSize(QSize(size, size))
    settings.setBackgroundColor(QColor(255, 255, 255))
    job = QgsMapRendererParallelJob(settings)
    job.start()
    job.waitForFinished()
    return job.renderedImage(), settings.mapToPixel()


def test_an_incident_under_a_not_significant_cell_stays_visible(mew, tmp_path):
    """Hot spot cells as the algorithm styles them, drawn over a point: the point shows through."""
    out = str(tmp_path / "hot.gpkg")
    mew.run("mew:hotspots", {"INPUT": clustered_incidents(), "GRID": "fishnet", "OUTPUT": out})
    cells = QgsVectorLayer(out, "hot spots", "ogr")  # styled by its default style, stored by the algorithm
    assert cells.isValid() and cells.renderer().classAttribute() == "Gi_Bin"
    quiet = next(cell for cell in cells.getFeatures() if cell["Gi_Bin"] == 0)
    hot = next(cell for cell in cells.getFeatures() if cell["Gi_Bin"] == 3)
    under_quiet = quiet.geometry().centroid().asPoint()

    incident = QgsVectorLayer("Point?crs=EPSG:32630", "incident", "memory")
    feature = QgsFeature()
    feature.setGeometry(QgsGeometry.fromPointXY(under_quiet))
    incident.dataProvider().addFeatures([feature])
    marker = QgsMarkerSymbol.createSimple({"name": "square", "color": "255,0,0", "outline_style": "no", "size": "4"})
    incident.setRenderer(QgsSingleSymbolRenderer(marker))

    image, to_pixel = render([cells, incident], cells.extent())
    quiet_pixel = to_pixel.transform(under_quiet)
    hot_pixel = to_pixel.transform(hot.geometry().centroid().asPoint())
    assert QColor(image.pixel(round(quiet_pixel.x()), round(quiet_pixel.y()))).name() == POINT_RED
    assert QColor(image.pixel(round(hot_pixel.x()), round(hot_pixel.y()))).name() != "#ffffff"  # hot: filled


def _villages_with_covered(path: Path, values: list[int], boolean: bool) -> QgsVectorLayer:
    """A GeoPackage of points whose ``covered`` field is a yes/no (OGR's boolean subtype) or a plain 1/0 integer."""
    source = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    points = source.CreateLayer("villages", geom_type=ogr.wkbPoint)
    covered = ogr.FieldDefn("covered", ogr.OFTInteger)
    if boolean:
        covered.SetSubType(ogr.OFSTBoolean)
    points.CreateField(covered)
    for x, value in enumerate(values):
        feature = ogr.Feature(points.GetLayerDefn())
        feature.SetField("covered", value)
        point = ogr.Geometry(ogr.wkbPoint)
        point.AddPoint_2D(float(x), 0.0)
        feature.SetGeometry(point)
        points.CreateFeature(feature)
    source = None
    return QgsVectorLayer(str(path), "villages", "ogr")


@pytest.mark.parametrize("boolean", [True, False], ids=["yes/no field", "1/0 field"])
def test_the_coverage_villages_style_draws_every_village_in_its_own_class(tmp_path, boolean):
    """QGIS sends a categorised style's values to the data provider as a filter. Categories written as the words
    true/false matched a yes/no field on QGIS 3.22 only: 3.40 and 3.44 quoted them as text and fetched no village,
    so none was drawn and none kept labels off its symbol. The style classifies words it computes itself."""
    layer = _villages_with_covered(tmp_path / "villages.gpkg", [1, 0, 1], boolean)
    assert layer.loadNamedStyle(str(STYLES / "coverage_villages.qml"))[1]
    renderer = layer.renderer()
    wanted = renderer.filter(layer.fields())
    request = QgsFeatureRequest().setFilterExpression(wanted) if wanted else QgsFeatureRequest()
    fetched = list(layer.getFeatures(request))
    context = QgsRenderContext()
    context.expressionContext().appendScopes(QgsExpressionContextUtils.globalProjectLayerScopes(layer))
    drawn = []
    renderer.startRender(context, layer.fields())
    try:
        for feature in fetched:
            context.expressionContext().setFeature(feature)
            symbol = renderer.symbolForFeature(feature, context)
            drawn.append((bool(feature["covered"]), symbol.color().name() if symbol is not None else None))
    finally:
        renderer.stopRender(context)
    drawn.sort(key=str)
    colour = {category.label(): category.symbol().color().name() for category in renderer.categories()}
    assert colour["Covered"] != colour["Not covered"]
    assert drawn == sorted(
        [(True, colour["Covered"]), (False, colour["Not covered"]), (True, colour["Covered"])], key=str
    )
