"""The demo's briefing maps: ``step_briefings(ctx)`` for ``demo/run.py``.

Three briefing maps of the demo mission (incident hotspots and emerging
trends; patrol coverage and gaps; drought change), a per-sector atlas, and
the early-warning grid's map where its step has run,
drawn from whatever analysis outputs earlier steps recorded in
``ctx.results`` (name → data source) and falling back to the package's own
layers when a step has not run. Refresh the previews shown in the README
(``docs/briefings/``, 1200 pixels wide) with::

    make demo
    for map in hotspots coverage drought; do
        png=briefings/briefing_$map.png
        gdal_translate -q -of PNG -r average -outsize 1200 0 demo-output/$png docs/$png
    done
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.briefing_provenance import LayerRecord, provenance_lines
from ..paths import STYLES


@dataclass(frozen=True)
class Briefing:
    """One briefing map of the demo and how it picks its analysis layers from ``ctx.results``.

    Words are matched against the result names in order of preference. A map
    shows at most one raster (rasters are opaque) and, when ``one_area`` is
    set, one polygon layer (the hot spot cell layers overlap one another).
    """

    stem: str
    number: str
    title: str
    subtitle: str
    raster_words: tuple[str, ...]
    vector_words: tuple[str, ...]
    fallback: tuple[str, ...]
    fallback_subtitle: str
    one_area: bool = False
    optional: bool = False  # written only when it would show layers no other map shows
    excluded_words: tuple[str, ...] = ()


BRIEFINGS: tuple[Briefing, ...] = (
    Briefing(
        "briefing_hotspots",
        "MEW-0001 v1",
        "Incident hotspots and emerging trends",
        "{layers}, {first_month} to {last_month}",
        ("density", "kde"),
        ("emerging", "hotspot", "gi"),
        ("incidents",),
        "incidents per grid cell, {first_month} to {last_month} (no hot spot analysis yet)",
        one_area=True,
    ),
    Briefing(
        "briefing_hotspots_gi",
        "MEW-0005 v1",
        "Incident hot and cold spots (Getis-Ord Gi*)",
        "{layers}, {first_month} to {last_month}",
        (),
        ("hotspot", "gi"),
        (),
        "",
        one_area=True,
        optional=True,
        excluded_words=("emerging",),
    ),
    Briefing(
        "briefing_coverage",
        "MEW-0002 v1",
        "Patrol coverage and gaps",
        "{layers}, as of {as_of}",
        ("coverage", "reach"),
        ("coverage", "gap", "recency", "reach", "patrol"),
        ("patrol_tracks",),
        "patrol tracks, bases and villages (no coverage analysis yet)",
    ),
    Briefing(
        "briefing_drought",
        "MEW-0003 v1",
        "Drought change, September 2025 to September 2026",
        "{layers}; Vegetation Condition Index against the {baseline} baseline",
        ("transition", "delta", "change", "classes", "vci", "anomaly", "drought"),
        ("drought", "new_area"),
        ("ndvi",),
        "NDVI of September 2026 (no drought-change analysis yet)",
    ),
    Briefing(
        "briefing_early_warning",
        "MEW-0006 v1",
        "Early warning: where the threats meet",
        "{layers}: emerging hot spots, drought, people and patrol gaps, as of {as_of}",
        (),
        ("early_warning",),
        (),
        "",
        one_area=True,
        optional=True,
    ),
)

#: Every algorithm run of the demo (id, plain parameters, file outputs, time), recorded by
#: ``run.run_algorithm`` for the provenance footer. It lives here, not in ``run``, because
#: ``python -m …demo.run`` runs that module as ``__main__`` and a second import would get its own list.
HISTORY: list[dict[str, Any]] = []

#: Result names never drawn: tables and per-zone summaries, not map layers.
SKIPPED_WORDS = ("rejected", "summary", "briefing")
#: The package layers that give every map its context, bottom to top.
BASE_LAYERS = ("ao_boundary", "sectors", "villages", "bases")


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
    shown: set[str] = set()
    for briefing in BRIEFINGS:
        names = _pick(ctx.results, briefing)
        if briefing.optional and (not names or set(names) <= shown):
            continue
        shown.update(names)
        analysis = [layer for layer in (_load(ctx.results[name], name) for name in names) if layer is not None]
        shown_names = ", ".join(layer.name() for layer in analysis)
        subtitle = briefing.subtitle.format(layers=shown_names, **_period(ctx))
        if not analysis:
            analysis = [_package_layer(ctx, layer_id) for layer_id in briefing.fallback]
            subtitle = briefing.fallback_subtitle.format(**_period(ctx))
        base = [_package_layer(ctx, i) for i in BASE_LAYERS if not _drawn_by_analysis(i, names)]
        layers = _drawing_order(analysis + base)
        keep_alive.extend(layers)
        parameters = dict(
            common,
            LAYERS=layers,
            TITLE=briefing.title,
            SUBTITLE=f"{ctx.manifest['mission']} — {subtitle}",
            MAP_NUMBER=briefing.number,
            PROVENANCE=_provenance(analysis),
            OUTPUT_PDF=str(folder / f"{briefing.stem}.pdf"),
            OUTPUT_PNG=str(folder / f"{briefing.stem}.png"),
        )
        result = run_algorithm("mew:briefingmap", parameters)
        ctx.results[f"{briefing.stem} (PDF)"] = result["OUTPUT_PDF"]
        ctx.results[f"{briefing.stem} (PNG)"] = result["OUTPUT_PNG"]
        if briefing.stem == "briefing_hotspots":
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


def _kind(source: str) -> str:
    """``raster``, ``polygon``, ``line``, ``point`` or ``none`` (a table or unreadable file)."""
    from qgis.core import QgsRasterLayer, QgsVectorLayer

    from ..qgis_compat import GeometryType, LayerType

    path = source.split("|")[0]
    if not Path(path).exists():
        return "none"
    if path.lower().endswith((".tif", ".tiff", ".vrt")):
        return "raster" if QgsRasterLayer(path, "probe").isValid() else "none"
    layer = QgsVectorLayer(source, "probe", "ogr")
    if not layer.isValid() or not layer.isSpatial() or layer.type() != LayerType.Vector:
        return "none"
    return {GeometryType.Polygon: "polygon", GeometryType.Line: "line"}.get(layer.geometryType(), "point")


def _pick(results: dict[str, Any], briefing: Briefing) -> list[str]:
    """The result names a briefing map shows, in order of preference."""

    def matching(words: tuple[str, ...]) -> list[str]:
        ordered: list[str] = []
        for word in words:
            ordered += [
                name
                for name in results
                if word in name.lower()
                and name not in ordered
                and not any(s in name.lower() for s in SKIPPED_WORDS + briefing.excluded_words)
            ]
        return ordered

    kinds = {name: _kind(str(results[name])) for name in matching(briefing.raster_words + briefing.vector_words)}
    rasters = [name for name in matching(briefing.raster_words) if kinds.get(name) == "raster"][:1]
    vectors = [name for name in matching(briefing.vector_words) if kinds.get(name) in ("polygon", "line", "point")]
    if briefing.one_area:
        areas = [name for name in vectors if kinds[name] == "polygon"]
        vectors = [name for name in vectors if kinds[name] != "polygon" or name == areas[0]]
    return rasters + vectors


def _drawn_by_analysis(layer_id: str, analysis_names: list[str]) -> bool:
    """Whether an analysis output already draws a package layer (``villages_coverage`` the villages)."""
    return any(name.lower().startswith(f"{layer_id}_") for name in analysis_names)


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


def _load(source: str, result_name: str):
    """An analysis output: its own saved style, else ``resources/styles/<result name>.qml``, else outlines."""
    from qgis.core import QgsFillSymbol, QgsRasterLayer, QgsSingleSymbolRenderer, QgsVectorLayer

    from ..qgis_compat import GeometryType

    path = str(source).split("|")[0]
    name = result_name.replace("_", " ")
    if path.lower().endswith((".tif", ".tiff", ".vrt")):
        layer = QgsRasterLayer(path, name)
    else:
        layer = QgsVectorLayer(str(source), name, "ogr")
    if not layer.isValid():
        print(f"    (skipped {name}: {path} is not a layer QGIS can read)")
        return None
    _message, styled = layer.loadDefaultStyle()
    named = _matching_style(result_name, layer)
    if not styled and named is not None:
        layer.loadNamedStyle(str(named))
    elif not styled and isinstance(layer, QgsVectorLayer) and layer.geometryType() == GeometryType.Polygon:
        outline = QgsFillSymbol.createSimple({"style": "no", "outline_color": "#303030", "outline_width": "0.4"})
        layer.setRenderer(QgsSingleSymbolRenderer(outline))
    if isinstance(layer, QgsVectorLayer):
        _number_only_the_worst_gaps(layer)
        _gap_scores_in_words(layer)
        _coverage_zones_in_words(layer)
    return layer


def _matching_style(result_name: str, layer) -> Path | None:
    """The plugin style for an analysis output: ``<result name>.qml``, else the style sharing most
    words with the name whose symbols fit the geometry and whose classified field the layer has
    (``hotspots`` → ``hotspots_gi_bin.qml`` for cells, ``hotspots_gi_bin_points.qml`` for points)."""
    from qgis.core import QgsVectorLayer

    from ..qgis_compat import GeometryType

    exact = STYLES / f"{result_name}.qml"
    if exact.exists():
        return exact
    words = set(result_name.lower().split("_"))
    if isinstance(layer, QgsVectorLayer):
        symbol = {GeometryType.Polygon: "fill", GeometryType.Line: "line"}.get(layer.geometryType(), "marker")
        fields = set(layer.fields().names())
    best: tuple[int, int, Path] | None = None
    for style in sorted(STYLES.glob("*.qml")):
        shared = len(words & set(style.stem.split("_")))
        if not shared:
            continue
        text = style.read_text(encoding="utf-8", errors="replace")
        if isinstance(layer, QgsVectorLayer):
            attribute = re.search(r'<renderer-v2[^>]*\sattr="([^"]*)"', text)
            if f'type="{symbol}"' not in text or (attribute and attribute.group(1) not in fields):
                continue
        elif "rasterrenderer" not in text:
            continue
        candidate = (shared, -len(style.stem.split("_")), style)
        if best is None or candidate[:2] > best[:2]:
            best = candidate
    return best[2] if best else None


#: Gaps numbered on the coverage map: the worst ones, which a commander acts on first.
NUMBERED_GAPS = 10


def _number_only_the_worst_gaps(layer) -> None:
    """Number only the :data:`NUMBERED_GAPS` worst gaps (rank 1 is the worst): hundreds of numbers hide the map."""
    from qgis.core import QgsPalLayerSettings, QgsVectorLayerSimpleLabeling

    if not layer.labelsEnabled() or "rank" not in layer.fields().names():
        return
    labeling = layer.labeling()
    if not isinstance(labeling, QgsVectorLayerSimpleLabeling) or labeling.settings().fieldName != "rank":
        return
    settings = QgsPalLayerSettings(labeling.settings())
    settings.fieldName = f'if("rank" <= {NUMBERED_GAPS}, "rank", NULL)'
    settings.isExpression = True
    layer.setLabeling(QgsVectorLayerSimpleLabeling(settings))
    layer.setName(f"{layer.name()} by risk, the {NUMBERED_GAPS} worst numbered")


#: How a reader names a gap's risk score (0 - 100) by its class's upper bound.
GAP_SCORE_WORDS = ((20, "Low"), (40, "Moderate"), (60, "Elevated"), (80, "High"), (100, "Very high"))


def _gap_scores_in_words(layer) -> None:
    """Gap risk score classes named in words, the score after them: ``High (60–80)``."""
    from qgis.core import QgsGraduatedSymbolRenderer

    renderer = layer.renderer()
    if not isinstance(renderer, QgsGraduatedSymbolRenderer) or renderer.classAttribute() != "score":
        return
    if "pts_hotspot" in layer.fields().names():  # the early-warning grid: its style names its classes itself
        return
    for index, class_range in enumerate(renderer.ranges()):
        word = next((w for upper, w in GAP_SCORE_WORDS if class_range.upperValue() <= upper), GAP_SCORE_WORDS[-1][1])
        low, high = class_range.lowerValue(), class_range.upperValue()
        renderer.updateRangeLabel(index, f"{word} ({low:g}–{high:g})")


def _coverage_zones_in_words(layer) -> None:
    """Coverage zones as classes a reader can name: covered (within a base's reach or a recent patrol's
    distance), and within each ring distance (in km) of a base or recent patrol."""
    from qgis.core import QgsCategorizedSymbolRenderer, QgsFillSymbol, QgsRendererCategory, QgsStyle

    if not {"kind", "label", "distance_m"} <= set(layer.fields().names()):
        return
    zones = sorted(
        {(str(f["kind"]), str(f["label"]), _number(f["distance_m"])) for f in layer.getFeatures()},
        key=lambda zone: (zone[0] != "covered", zone[2] or 0.0),
    )
    distances = [zone[2] for zone in zones if zone[0] != "covered" and zone[2]]
    ramp = QgsStyle.defaultStyle().colorRamp("Blues")
    categories = []
    for kind, label, distance in zones:
        if kind == "covered" or distance is None:
            symbol = QgsFillSymbol.createSimple({"color": "46,139,87,120", "outline_color": "30,90,60"})
            words = "Covered"
        else:
            share = (distance - min(distances)) / max(max(distances) - min(distances), 1)
            colour = ramp.color(0.75 - 0.6 * share)
            colour.setAlpha(110)
            symbol = QgsFillSymbol.createSimple({"outline_color": "40,70,140", "outline_width": "0.3"})
            symbol.setColor(colour)
            words = f"Within {distance / 1000:g} km"
        categories.append(QgsRendererCategory(label, symbol, words))
    layer.setRenderer(QgsCategorizedSymbolRenderer("label", categories))
    layer.setName("coverage by bases and recent patrols")


def _number(value: Any) -> float | None:
    """An attribute as a number; None for NULL."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _drawing_order(layers: list) -> list:
    """Rasters at the bottom, then areas, lines and points, so nothing hides what lies under it."""
    from ..qgis_compat import GeometryType, LayerType

    def rank(layer) -> int:
        if layer.type() == LayerType.Raster:
            return 0
        return {GeometryType.Polygon: 1, GeometryType.Line: 2}.get(layer.geometryType(), 3)

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
        text.setSize(9 if layer_id == "sectors" else 7)
        text.setColor(QColor("#707070" if layer_id == "sectors" else "#1f5fa8"))
        settings.setFormat(text)
        if layer_id == "bases":
            settings.dist = 1.5
        layer.setLabeling(QgsVectorLayerSimpleLabeling(settings))
        layer.setLabelsEnabled(True)


# --- texts -------------------------------------------------------------------------------------------


def _period(ctx: Any) -> dict[str, str]:
    """The dates subtitles quote, from the package's planted truth and manifest."""
    period = ctx.truth.get("period", {})
    years = ctx.truth.get("ndvi", {}).get("baseline_years", ["?", "?"])
    return {
        "first_month": period.get("first_month", "?"),
        "last_month": period.get("last_month", "?"),
        "as_of": ctx.manifest.get("as_of", "?"),
        "baseline": f"{years[0]}–{years[-1]}",
    }


def _sources(ctx: Any) -> str:
    as_of = ctx.manifest.get("as_of", "")
    return (
        f"{ctx.manifest['mission']} demo package (synthetic exercise data, generator seed "
        f"{ctx.manifest.get('generator', {}).get('seed', '?')}), data as of {as_of}: ACLED-style incidents "
        "2023-11 to 2026-10, patrol tracks, villages, bases, 100 m population, NDVI 2015–2026. No real event, "
        "person or unit is described."
    )


def _provenance(layers: list) -> str:
    """Which algorithm, with which parameters, made each analysis layer (from the runner's HISTORY)."""
    from ..layout.provenance import describes_itself

    history = HISTORY
    records = []
    for layer in layers:
        path = layer.source().split("|")[0]
        if describes_itself(layer):
            continue  # the briefing map reads its provenance from the file's own metadata
        entries = [
            entry
            for entry in history
            if any(path and path == str(value).split("|")[0] for value in (entry.get("outputs") or {}).values())
        ]
        if entries:
            records.append(LayerRecord(layer.name(), layer.source(), history=entries[-1:]))
    return "\n".join(provenance_lines(records))
