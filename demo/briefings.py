"""The demo's briefing maps: ``step_briefings(ctx)`` for ``demo/run.py``.

Three briefing maps of the demo mission (incident hotspots and emerging
trends; patrol coverage and gaps; drought change) and a per-sector atlas,
drawn from whatever analysis outputs earlier steps recorded in
``ctx.results`` (name → data source) and falling back to the package's own
layers when a step has not run. Refresh the PNGs shown in the README with::

    make demo && cp demo-output/briefings/*.png docs/
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

from ..core.briefing import LayerRecord, provenance_lines
from ..paths import STYLES

#: (file stem, map number, title, subtitle, words naming the analysis outputs to show)
BRIEFINGS: tuple[tuple[str, str, str, str, tuple[str, ...]], ...] = (
    (
        "briefing_hotspots",
        "MEW-0001 v1",
        "Incident hotspots and emerging trends",
        "Gi* hot spots and space-time trends, 2023-11 to 2026-10",
        ("hotspot", "emerging", "gistar", "density", "kde"),
    ),
    (
        "briefing_coverage",
        "MEW-0002 v1",
        "Patrol coverage and gaps",
        "Patrol buffers, villages out of reach and days since the last patrol",
        ("coverage", "gap", "recency", "reach", "buffer"),
    ),
    (
        "briefing_drought",
        "MEW-0003 v1",
        "Drought change, September 2025 to September 2026",
        "Vegetation Condition Index change against the 2015–2024 baseline",
        ("drought", "vci", "ndvi", "anomaly", "change"),
    ),
)

#: The package layers that give every map its context, bottom to top.
BASE_LAYERS = ("ao_boundary", "sectors", "villages", "bases")
#: (package layers, subtitle) a map shows when no analysis step has produced its layers yet.
FALLBACKS = {
    "briefing_hotspots": (("incidents",), "incidents per grid cell, 2023-11 to 2026-10 (no hot spot analysis yet)"),
    "briefing_coverage": (("patrol_tracks",), "patrol tracks, bases and villages (no coverage analysis yet)"),
    "briefing_drought": (("ndvi",), "NDVI of September 2026 (no drought-change analysis yet)"),
}


def step_briefings(ctx: Any) -> None:
    """Briefing maps (PDF and PNG) of the demo mission from the analysis outputs."""
    from .run import run_algorithm

    folder = ctx.folder("briefings")
    common = {
        "CLASSIFICATION": ctx.manifest["classification"],
        "SOURCES": _sources(ctx),
        "DPI": 150,
        "TEMPLATE": "a4_landscape",
    }
    keep_alive = []  # QGIS layers must outlive the runs that use them
    for stem, number, title, subtitle, words in BRIEFINGS:
        analysis = _analysis_layers(ctx, words)
        if not analysis:
            fallback_ids, subtitle = FALLBACKS[stem]
            analysis = [_package_layer(ctx, layer_id) for layer_id in fallback_ids]
        layers = _drawing_order(analysis + [_package_layer(ctx, i) for i in BASE_LAYERS])
        keep_alive.extend(layers)
        parameters = dict(
            common,
            LAYERS=layers,
            TITLE=title,
            SUBTITLE=f"{ctx.manifest['mission']} — {subtitle}",
            MAP_NUMBER=number,
            PROVENANCE=_provenance(ctx, analysis),
            OUTPUT_PDF=str(folder / f"{stem}.pdf"),
            OUTPUT_PNG=str(folder / f"{stem}.png"),
        )
        result = run_algorithm("mew:briefingmap", parameters)
        ctx.results[f"{stem} (PDF)"] = result["OUTPUT_PDF"]
        ctx.results[f"{stem} (PNG)"] = result["OUTPUT_PNG"]
        if stem == "briefing_hotspots":
            atlas = dict(
                parameters,
                TITLE="Incident hotspots",
                MAP_NUMBER="MEW-0004 v1",
                TEMPLATE="a4_portrait",
                DPI=100,
                ZONES=_package_layer(ctx, "sectors"),
                ZONE_FIELD="sector_id",
                OUTPUT_PDF=str(folder / "briefing_hotspots_by_sector.pdf"),
                OUTPUT_PNG=None,
            )
            result = run_algorithm("mew:briefingmap", atlas)
            ctx.results["briefing_hotspots_by_sector (PDF atlas)"] = result["OUTPUT_PDF"]


# --- layers ----------------------------------------------------------------------------------------


def _analysis_layers(ctx: Any, words: Iterable[str]) -> list:
    layers = []
    for name, source in ctx.results.items():
        if any(word in name.lower() for word in words) and not name.startswith("briefing"):
            layer = _load(str(source), name.replace("_", " "), style=name)
            if layer is not None:
                layers.append(layer)
    return layers


def _package_layer(ctx: Any, layer_id: str):
    """A layer of the demo package, styled for a briefing map."""
    from qgis.core import QgsRasterLayer, QgsSingleBandPseudoColorRenderer, QgsStyle, QgsVectorLayer

    entry = next(e for e in ctx.manifest["layers"] if e["id"] == layer_id)
    name = entry["title"]
    if layer_id == "incidents":
        fields = entry["fields"]
        uri = (
            f"file://{ctx.package / entry['path']}?type=csv&delimiter=,&xField={fields['longitude']}"
            f"&yField={fields['latitude']}&crs=EPSG:4326&detectTypes=yes&geomType=point"
        )
        return QgsVectorLayer(uri, "Incidents", "delimitedtext")
    if entry["type"] == "raster":
        layer = QgsRasterLayer(str(ctx.package / entry["path"]), name)
        if layer_id == "ndvi":  # the latest year's NDVI, brown to green
            band = layer.bandCount()
            renderer = QgsSingleBandPseudoColorRenderer(layer.dataProvider(), band)
            low, high = layer.dataProvider().cumulativeCut(band, 0.02, 0.98)
            renderer.setClassificationMin(low)
            renderer.setClassificationMax(high)
            renderer.createShader(QgsStyle.defaultStyle().colorRamp("BrBG"))
            layer.setRenderer(renderer)
            layer.setName(f"NDVI, {entry['dates'][-1]} (SYNTHETIC)")
        return layer
    layer = QgsVectorLayer(ctx.layer(layer_id), name, "ogr")
    _style_base(layer, layer_id)
    return layer


def _load(source: str, name: str, style: str):
    from qgis.core import QgsRasterLayer, QgsVectorLayer

    path = source.split("|")[0]
    if not Path(path).exists():
        print(f"    (skipped {name}: {path} does not exist)")
        return None
    layer = QgsRasterLayer(path, name) if path.lower().endswith((".tif", ".tiff", ".vrt")) else None
    if layer is None:
        layer = QgsVectorLayer(source, name, "ogr")
    if not layer.isValid():
        print(f"    (skipped {name}: not a layer QGIS can read)")
        return None
    sidecar = Path(path).with_suffix(".qml")
    named = STYLES / f"{style}.qml"
    if not sidecar.exists() and named.exists():
        layer.loadNamedStyle(str(named))
    return layer


def _drawing_order(layers: list) -> list:
    """Rasters at the bottom, then areas, lines and points, so nothing hides what lies under it."""
    from qgis.core import QgsMapLayer, QgsWkbTypes

    def rank(layer) -> int:
        if layer.type() == QgsMapLayer.RasterLayer:
            return 0
        return {QgsWkbTypes.PolygonGeometry: 1, QgsWkbTypes.LineGeometry: 2}.get(layer.geometryType(), 3)

    return sorted(layers, key=rank)


def _style_base(layer, layer_id: str) -> None:
    from qgis.core import (
        QgsFillSymbol,
        QgsLineSymbol,
        QgsMarkerSymbol,
        QgsPalLayerSettings,
        QgsSingleSymbolRenderer,
        QgsTextFormat,
        QgsVectorLayerSimpleLabeling,
    )
    from qgis.PyQt.QtGui import QColor

    symbols = {
        "ao_boundary": QgsFillSymbol.createSimple({"style": "no", "outline_color": "#000000", "outline_width": "0.8"}),
        "sectors": QgsFillSymbol.createSimple(
            {"style": "no", "outline_color": "#555555", "outline_width": "0.3", "outline_style": "dash"}
        ),
        "villages": QgsMarkerSymbol.createSimple(
            {"name": "circle", "color": "#ffffff", "outline_color": "#333333", "size": "1.4"}
        ),
        "bases": QgsMarkerSymbol.createSimple(
            {"name": "square", "color": "#1f5fa8", "outline_color": "#ffffff", "size": "3.2"}
        ),
        "patrol_tracks": QgsLineSymbol.createSimple({"line_color": "#1f78b4", "line_width": "0.35"}),
    }
    if layer_id in symbols:
        layer.setRenderer(QgsSingleSymbolRenderer(symbols[layer_id]))
    if layer_id in ("sectors", "bases"):
        settings = QgsPalLayerSettings()
        settings.fieldName = "sector_id" if layer_id == "sectors" else "base_id"
        text = QgsTextFormat()
        text.setSize(8 if layer_id == "sectors" else 7)
        text.setColor(QColor("#555555" if layer_id == "sectors" else "#1f5fa8"))
        settings.setFormat(text)
        if layer_id == "sectors":
            settings.placement = QgsPalLayerSettings.OverPoint
        else:
            settings.dist = 1.5
        layer.setLabeling(QgsVectorLayerSimpleLabeling(settings))
        layer.setLabelsEnabled(True)


# --- texts -------------------------------------------------------------------------------------------


def _sources(ctx: Any) -> str:
    as_of = ctx.manifest.get("as_of", "")
    return (
        f"{ctx.manifest['mission']} demo package (synthetic exercise data, generator seed "
        f"{ctx.manifest.get('generator', {}).get('seed', '?')}), data as of {as_of}: ACLED-style incidents "
        "2023-11 to 2026-10, patrol tracks, villages, bases, 100 m population, NDVI 2015–2026. No real event, "
        "person or unit is described."
    )


def _provenance(ctx: Any, layers: list) -> str:
    """Which algorithm, with which parameters, made each analysis layer (from the runner's HISTORY)."""
    from .run import HISTORY

    history = HISTORY
    records = []
    for layer in layers:
        path = layer.source().split("|")[0]
        entries = [
            entry
            for entry in history
            if any(path and path == str(value).split("|")[0] for value in (entry.get("outputs") or {}).values())
        ]
        if entries:
            records.append(LayerRecord(layer.name(), layer.source(), history=entries[-1:]))
    return "\n".join(provenance_lines(records))
