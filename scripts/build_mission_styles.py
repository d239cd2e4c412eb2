"""Write the QML styles the mission dock applies by role (resources/styles/mission_*.qml).

The QML files are committed; this script documents how they were made and
rebuilds them: ``.venv/bin/python -P scripts/build_mission_styles.py``.
Field names are the demo mission's; the dock points renderers at the fields
a manifest declares when it loads a layer.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
import rasterio
from qgis.core import (
    QgsApplication,
    QgsCategorizedSymbolRenderer,
    QgsColorRampShader,
    QgsFillSymbol,
    QgsGraduatedSymbolRenderer,
    QgsLineSymbol,
    QgsMarkerSymbol,
    QgsPalettedRasterRenderer,
    QgsPalLayerSettings,
    QgsRasterLayer,
    QgsRasterShader,
    QgsRendererCategory,
    QgsRendererRange,
    QgsSimpleMarkerSymbolLayer,
    QgsSingleBandPseudoColorRenderer,
    QgsSingleSymbolRenderer,
    QgsTextBufferSettings,
    QgsTextFormat,
    QgsVectorLayer,
    QgsVectorLayerSimpleLabeling,
)
from qgis.PyQt.QtGui import QColor, QFont

from mission_early_warning.qgis_compat import ShaderClassificationMethod, ShaderInterpolationMethod

STYLES = Path(__file__).resolve().parent.parent / "resources" / "styles"
UN_BLUE = "#4b92db"

#: ACLED event types and the colours the dock uses for them.
INCIDENT_TYPES = [
    ("Battles", "#d7191c"),
    ("Violence against civilians", "#7b3294"),
    ("Explosions/Remote violence", "#fd8d3c"),
    ("Riots", "#e6c619"),
    ("Protests", "#2b83ba"),
    ("Strategic developments", "#8c8c8c"),
]


def _labels(layer: QgsVectorLayer, field: str, size: float = 8.0) -> None:
    settings = QgsPalLayerSettings()
    settings.fieldName = field
    text = QgsTextFormat()
    text.setFont(QFont("Sans Serif"))
    text.setSize(size)
    buffer = QgsTextBufferSettings()
    buffer.setEnabled(True)
    buffer.setSize(0.8)
    buffer.setColor(QColor("white"))
    text.setBuffer(buffer)
    settings.setFormat(text)
    layer.setLabeling(QgsVectorLayerSimpleLabeling(settings))
    layer.setLabelsEnabled(True)


def _memory(geometry: str, fields: str) -> QgsVectorLayer:
    return QgsVectorLayer(f"{geometry}?crs=EPSG:32630&{fields}", "style", "memory")


def ao() -> QgsVectorLayer:
    layer = _memory("Polygon", "field=name:string")
    symbol = QgsFillSymbol.createSimple(
        {"style": "no", "outline_color": "#1a1a1a", "outline_width": "0.9", "outline_style": "dash"}
    )
    layer.setRenderer(QgsSingleSymbolRenderer(symbol))
    return layer


def sectors() -> QgsVectorLayer:
    layer = _memory("Polygon", "field=sector_id:string&field=name:string")
    symbol = QgsFillSymbol.createSimple({"style": "no", "outline_color": "#6e6e6e", "outline_width": "0.4"})
    layer.setRenderer(QgsSingleSymbolRenderer(symbol))
    _labels(layer, "sector_id", 10.0)
    return layer


def bases() -> QgsVectorLayer:
    layer = _memory("Point", "field=base_id:string&field=name:string&field=patrol_radius_m:integer")
    symbol = QgsMarkerSymbol.createSimple(
        {"name": "square", "color": UN_BLUE, "outline_color": "white", "outline_width": "0.5", "size": "5"}
    )
    flag = QgsSimpleMarkerSymbolLayer.create(
        {"name": "cross2", "color": "white", "outline_color": "white", "outline_width": "0.5", "size": "2.6"}
    )
    symbol.appendSymbolLayer(flag)
    layer.setRenderer(QgsSingleSymbolRenderer(symbol))
    _labels(layer, "name", 8.0)
    return layer


#: Age classes of patrol tracks in days (upper bounds) and their colours: recent is strong.
PATROL_AGE_CLASSES = [
    (0, 7, "#08306b", "≤ 7 days"),
    (7, 30, "#2171b5", "8–30 days"),
    (30, 90, "#6baed6", "31–90 days"),
    (90, 100000, "#bdbdbd", "> 90 days"),
]


def patrol_tracks() -> QgsVectorLayer:
    layer = _memory("LineString", "field=patrol_id:string&field=base_id:string&field=patrol_date:date")
    ranges = []
    for low, high, colour, label in PATROL_AGE_CLASSES:
        symbol = QgsLineSymbol.createSimple({"line_color": colour, "line_width": "0.5" if high <= 30 else "0.3"})
        ranges.append(QgsRendererRange(low, high, symbol, label))
    renderer = QgsGraduatedSymbolRenderer("day(age(to_date('2026-10-31'), \"patrol_date\"))", ranges)
    layer.setRenderer(renderer)
    return layer


def patrol_gpx() -> QgsVectorLayer:
    layer = _memory("MultiLineString", "field=name:string")
    symbol = QgsLineSymbol.createSimple({"line_color": "#5e81ac", "line_width": "0.3", "line_style": "dot"})
    layer.setRenderer(QgsSingleSymbolRenderer(symbol))
    return layer


def villages() -> QgsVectorLayer:
    layer = _memory("Point", "field=village_id:string&field=name:string&field=population:integer")
    ranges = []
    for low, high, size, label in [
        (0, 1000, 1.4, "< 1,000"),
        (1000, 5000, 2.2, "1,000–5,000"),
        (5000, 20000, 3.2, "5,000–20,000"),
        (20000, 10**9, 4.4, "> 20,000"),
    ]:
        symbol = QgsMarkerSymbol.createSimple(
            {
                "name": "circle",
                "color": "#fff3d6",
                "outline_color": "#5a3d1e",
                "outline_width": "0.3",
                "size": str(size),
            }
        )
        ranges.append(QgsRendererRange(low, high, symbol, label))
    layer.setRenderer(QgsGraduatedSymbolRenderer("population", ranges))
    return layer


def incidents() -> QgsVectorLayer:
    layer = _memory("Point", "field=event_type:string")
    categories = []
    for name, colour in INCIDENT_TYPES:
        symbol = QgsMarkerSymbol.createSimple(
            {"name": "circle", "color": colour, "outline_color": "#222222", "outline_width": "0.1", "size": "1.3"}
        )
        categories.append(QgsRendererCategory(name, symbol, name))
    other = QgsMarkerSymbol.createSimple(
        {"name": "circle", "color": "#ffffff", "outline_color": "#222222", "size": "1.1"}
    )
    categories.append(QgsRendererCategory(None, other, "Other / unknown"))
    layer.setRenderer(QgsCategorizedSymbolRenderer("event_type", categories))
    return layer


def _raster(folder: Path, dtype: str, bands: int = 1) -> QgsRasterLayer:
    path = folder / f"style_{dtype}_{bands}.tif"
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=4,
        height=4,
        count=bands,
        dtype=dtype,
        crs="EPSG:32630",
        transform=rasterio.transform.from_origin(0, 4, 1, 1),
    ) as dataset:
        dataset.write(np.zeros((bands, 4, 4), dtype=dtype))
    return QgsRasterLayer(str(path), "style")


def _pseudocolor(layer: QgsRasterLayer, items: list[tuple[float, str, str, int]], discrete: bool) -> None:
    ramp = QgsColorRampShader()
    ramp.setColorRampType(ShaderInterpolationMethod.Discrete if discrete else ShaderInterpolationMethod.Linear)
    ramp.setColorRampItemList(
        [
            QgsColorRampShader.ColorRampItem(value, QColor(colour) if alpha == 255 else _alpha(colour, alpha), label)
            for value, colour, label, alpha in items
        ]
    )
    ramp.setClassificationMode(ShaderClassificationMethod.Continuous)
    ramp.setMinimumValue(items[0][0])
    ramp.setMaximumValue(items[-2][0] if discrete else items[-1][0])
    shader = QgsRasterShader()
    shader.setRasterShaderFunction(ramp)
    renderer = QgsSingleBandPseudoColorRenderer(layer.dataProvider(), 1, shader)
    renderer.setClassificationMin(ramp.minimumValue())
    renderer.setClassificationMax(ramp.maximumValue())
    layer.setRenderer(renderer)


def _alpha(colour: str, alpha: int) -> QColor:
    value = QColor(colour)
    value.setAlpha(alpha)
    return value


def population(folder: Path) -> QgsRasterLayer:
    layer = _raster(folder, "float32")
    _pseudocolor(
        layer,
        [
            (0.5, "#ffffff", "< 0.5 people per pixel", 0),
            (2, "#fee391", "0.5–2", 255),
            (5, "#fec44f", "2–5", 255),
            (10, "#fe9929", "5–10", 255),
            (20, "#d95f0e", "10–20", 255),
            (float("inf"), "#993404", "> 20", 255),
        ],
        discrete=True,
    )
    layer.renderer().setOpacity(0.85)
    return layer


#: Vegetation ramp in NDVI units; the dock rescales it to the stored values with the manifest's scale/offset.
NDVI_RAMP = [
    (-0.1, "#8c510a", "-0.1 bare / water"),
    (0.1, "#bf812d", "0.1"),
    (0.2, "#dfc27d", "0.2"),
    (0.3, "#c2e699", "0.3"),
    (0.45, "#78c679", "0.45"),
    (0.6, "#31a354", "0.6"),
    (0.8, "#006837", "0.8 dense vegetation"),
]


def ndvi(folder: Path) -> QgsRasterLayer:
    layer = _raster(folder, "float32")
    _pseudocolor(layer, [(v, c, label, 255) for v, c, label in NDVI_RAMP], discrete=False)
    return layer


def ndvi_mask(folder: Path) -> QgsRasterLayer:
    layer = _raster(folder, "uint8")
    classes = [
        QgsPalettedRasterRenderer.Class(0, _alpha("#ffffff", 0), "clear"),
        QgsPalettedRasterRenderer.Class(1, _alpha("#9e9e9e", 170), "cloud (masked)"),
    ]
    layer.setRenderer(QgsPalettedRasterRenderer(layer.dataProvider(), 1, classes))
    return layer


def main() -> None:
    app = QgsApplication([], False)
    app.initQgis()
    STYLES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        layers = {
            "ao": ao(),
            "sectors": sectors(),
            "bases": bases(),
            "patrol_tracks": patrol_tracks(),
            "patrol_gpx": patrol_gpx(),
            "villages": villages(),
            "incidents": incidents(),
            "population": population(folder),
            "ndvi": ndvi(folder),
            "ndvi_mask": ndvi_mask(folder),
        }
        for role, layer in layers.items():
            path = STYLES / f"mission_{role}.qml"
            message, ok = layer.saveNamedStyle(str(path))
            if not ok:
                sys.exit(f"Could not write {path}: {message}")
            print(path)
        del layers
    app.exitQgis()


if __name__ == "__main__":
    main()
