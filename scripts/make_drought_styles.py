"""Author the drought QML styles with PyQGIS (run once; the QML files are committed).

.venv/bin/python -P -m mission_early_warning.scripts.make_drought_styles
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np
import rasterio
from rasterio.transform import from_origin

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (
    QgsApplication,
    QgsColorRampShader,
    QgsPalettedRasterRenderer,
    QgsRasterLayer,
    QgsRasterShader,
    QgsSingleBandPseudoColorRenderer,
)
from qgis.PyQt.QtGui import QColor

from mission_early_warning.qgis_compat import ShaderInterpolationMethod

STYLES = Path(__file__).resolve().parent.parent / "resources" / "styles"

RAMPS = {
    # VCI 0..100: dark red (extreme drought) to green (good vegetation condition), Kogan's class breaks.
    "drought_vci": [
        (0, "#730000", "0"),
        (10, "#e60000", "10"),
        (20, "#ffaa00", "20"),
        (30, "#ffff73", "30"),
        (40, "#d1ff73", "40"),
        (70, "#70a800", "70"),
        (100, "#267300", "100"),
    ],
    "drought_ndvi_anomaly": [
        (-0.3, "#8c510a", "-0.3"),
        (-0.15, "#d8b365", "-0.15"),
        (0, "#f5f5f5", "0"),
        (0.15, "#5ab4ac", "0.15"),
        (0.3, "#01665e", "0.3"),
    ],
    "drought_standardized_anomaly": [
        (-3, "#8c510a", "-3"),
        (-1.5, "#d8b365", "-1.5"),
        (0, "#f5f5f5", "0"),
        (1.5, "#5ab4ac", "1.5"),
        (3, "#01665e", "3"),
    ],
    # Change of the index (after - before): diverging, brown = worse, green = better.
    "drought_delta": [
        (-60, "#8c510a", "-60 (much worse)"),
        (-30, "#d8b365", "-30"),
        (0, "#f5f5f5", "0"),
        (30, "#5ab4ac", "+30"),
        (60, "#01665e", "+60 (much better)"),
    ],
}
PALETTES = {
    "drought_classes": [
        (1, "#730000", "Extreme drought (VCI < 10)"),
        (2, "#e60000", "Severe drought (10–20)"),
        (3, "#ffaa00", "Moderate drought (20–30)"),
        (4, "#ffff73", "Mild drought (30–40)"),
        (5, "#38a800", "No drought (VCI ≥ 40)"),
    ],
    "drought_transitions": [
        (1, "#d7191c", "New drought"),
        (2, "#780000", "Persistent drought"),
        (3, "#2b83ba", "Recovered"),
        (4, "#dcdcdc", "No drought"),
    ],
}
#: Classes drawn transparent (the colour is kept for the officer who turns them back on): "no drought" is the
#: background of a drought map, not a finding, and an opaque fill would hide the incidents and bases beneath.
HOLLOW_CLASSES = {"drought_classes": {5}, "drought_transitions": {4}}


def _class_colour(style: str, value: int, colour: str) -> QColor:
    """The palette colour of a class, transparent for the classes of ``HOLLOW_CLASSES``."""
    qcolour = QColor(colour)
    if value in HOLLOW_CLASSES.get(style, set()):
        qcolour.setAlpha(0)
    return qcolour


def main() -> None:
    app = QgsApplication([], False)
    app.initQgis()
    STYLES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "sample.tif"
        with rasterio.open(
            path,
            "w",
            driver="GTiff",
            width=4,
            height=4,
            count=1,
            dtype="float32",
            crs="EPSG:32630",
            transform=from_origin(0, 4, 1, 1),
            nodata=-9999,
        ) as dataset:
            dataset.write(np.arange(16, dtype="float32").reshape(1, 4, 4))
        for name, stops in RAMPS.items():
            layer = QgsRasterLayer(str(path), name)
            ramp = QgsColorRampShader(stops[0][0], stops[-1][0])
            ramp.setColorRampType(ShaderInterpolationMethod.Linear)
            ramp.setColorRampItemList([QgsColorRampShader.ColorRampItem(v, QColor(c), label) for v, c, label in stops])
            shader = QgsRasterShader()
            shader.setRasterShaderFunction(ramp)
            renderer = QgsSingleBandPseudoColorRenderer(layer.dataProvider(), 1, shader)
            renderer.setClassificationMin(stops[0][0])
            renderer.setClassificationMax(stops[-1][0])
            layer.setRenderer(renderer)
            layer.saveNamedStyle(str(STYLES / f"{name}.qml"))
        for name, classes in PALETTES.items():
            layer = QgsRasterLayer(str(path), name)
            items = [QgsPalettedRasterRenderer.Class(v, _class_colour(name, v, c), label) for v, c, label in classes]
            layer.setRenderer(QgsPalettedRasterRenderer(layer.dataProvider(), 1, items))
            layer.saveNamedStyle(str(STYLES / f"{name}.qml"))
        del layer
    app.exitQgis()
    print(f"Styles written to {STYLES}")


if __name__ == "__main__":
    main()
