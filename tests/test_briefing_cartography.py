"""The demo's briefing maps as a cartographer checks them: labels clear of one another and of the point
symbols, a legend that fits its frame in readable words, an overview with the region's countries.

The demo's briefing step runs on the demo mission with stand-ins for the analysis outputs (a density
raster with its unit, coverage zones and ranked gaps, drought transitions with masked pixels). Each
layout is measured as it is handed to the export: its labelling is rendered once more and read back
from QGIS's labelling engine; the PDFs are read back with poppler.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest
from osgeo import gdal, ogr

from mission_early_warning.demo.briefings import NUMBERED_GAPS, step_briefings
from mission_early_warning.demo.run import DemoContext

pytestmark = pytest.mark.usefixtures("poppler")

#: Labels and symbols may touch: overlaps below this (mm on the page, each way) are rounding.
TOLERANCE_MM = 0.2
MAP_STEMS = ("briefing_hotspots", "briefing_coverage", "briefing_drought")


@dataclass
class MapMeasures:
    """What one exported layout showed: boxes on the main map (mm on the page), the legend and the overview."""

    labels: list[tuple[str, tuple[float, float, float, float]]] = field(default_factory=list)  # (layer name, box)
    label_texts: list[tuple[str, str]] = field(default_factory=list)  # (layer name, text) of each label placed
    symbols: list[tuple[str, tuple[float, float, float, float]]] = field(default_factory=list)
    legend_needed: tuple[float, float] = (0.0, 0.0)
    legend_frame: tuple[float, float] = (0.0, 0.0)
    legend_text_points: float = 0.0
    legend_texts: list[str] = field(default_factory=list)  # layer titles and entries, unwrapped
    overview_layers: list[str] = field(default_factory=list)
    overview_labels: list[tuple[str, tuple[float, float, float, float]]] = field(default_factory=list)  # (text, box)
    overview_frame: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)  # the main map's area on the inset
    overview_countries: set[str] = field(default_factory=set)  # the countries the inset shows


# --- stand-ins for the analysis outputs ------------------------------------------------------------


def _grid_like(template: Path, path: Path, values: np.ndarray, data_type: int, metadata: dict, nodata=None) -> str:
    """A GeoTIFF on the grid of ``template`` (coarsened to the shape of ``values``)."""
    source = gdal.Open(str(template))
    x0, dx, _, y0, _, dy = source.GetGeoTransform()
    rows, cols = values.shape
    target = gdal.GetDriverByName("GTiff").Create(str(path), cols, rows, 1, data_type)
    target.SetGeoTransform((x0, dx * source.RasterXSize / cols, 0, y0, 0, dy * source.RasterYSize / rows))
    target.SetProjection(source.GetProjection())
    band = target.GetRasterBand(1)
    if nodata is not None:
        band.SetNoDataValue(nodata)
    band.WriteArray(values)
    target.SetMetadata(metadata)
    target = None
    return str(path)


def _coverage_zones(package_layer: str, path: Path) -> str:
    """Rings of 5, 10 and 20 km around the bases and a covered zone of 8 km, as ``mew:patrolcoverage`` writes."""
    gpkg, table = package_layer.split("|layername=")
    package = ogr.Open(gpkg)  # kept open while its layer is read
    bases = package.GetLayerByName(table)
    points = [feature.GetGeometryRef().Clone() for feature in bases]
    data = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    layer = data.CreateLayer("coverage", bases.GetSpatialRef(), ogr.wkbMultiPolygon)
    for name, kind in (("kind", ogr.OFTString), ("label", ogr.OFTString), ("distance_m", ogr.OFTReal)):
        layer.CreateField(ogr.FieldDefn(name, kind))
    for kind, label, distance in (
        ("ring", "within 20000 m", 20000.0),
        ("ring", "within 10000 m", 10000.0),
        ("ring", "within 5000 m", 5000.0),
        ("covered", "covered", None),
    ):
        zone = ogr.Geometry(ogr.wkbMultiPolygon)
        for point in points:
            zone = zone.Union(point.Buffer(distance or 8000.0, 32))
        feature = ogr.Feature(layer.GetLayerDefn())
        feature.SetField("kind", kind)
        feature.SetField("label", label)
        if distance is not None:
            feature.SetField("distance_m", distance)
        feature.SetGeometry(ogr.ForceToMultiPolygon(zone))
        layer.CreateFeature(feature)
    data = None
    return f"{path}|layername=coverage"


def _ranked_gaps(package_layer: str, path: Path) -> str:
    """Every village as a gap with a score and a rank (1 the worst), as ``mew:coveragegaps`` writes them.

    The worst gaps crowd together, as the demo's do: the villages nearest to the village with the most
    neighbours within 5 km score highest, so their numbers compete for the little room between the symbols.
    """
    gpkg, table = package_layer.split("|layername=")
    package = ogr.Open(gpkg)  # kept open while its layer is read
    villages = package.GetLayerByName(table)
    data = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    layer = data.CreateLayer("coverage_gaps", villages.GetSpatialRef(), ogr.wkbPoint)
    layer.CreateField(ogr.FieldDefn("score", ogr.OFTReal))
    layer.CreateField(ogr.FieldDefn("rank", ogr.OFTInteger))
    geometries = [feature.GetGeometryRef().Clone() for feature in villages]
    xy = np.array([(geometry.GetX(), geometry.GetY()) for geometry in geometries])
    distances = np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1))
    crowded = int(np.argmax((distances < 5000).sum(axis=1)))
    scores = np.random.default_rng(3).uniform(0, 50, len(geometries))
    scores[np.argsort(distances[crowded])[:NUMBERED_GAPS]] += 50
    ranks = np.argsort(np.argsort(-scores)) + 1
    for geometry, score, rank in zip(geometries, scores, ranks):
        feature = ogr.Feature(layer.GetLayerDefn())
        feature.SetField("score", float(score))
        feature.SetField("rank", int(rank))
        feature.SetGeometry(geometry)
        layer.CreateFeature(feature)
    data = None
    return f"{path}|layername=coverage_gaps"


def _stand_ins(demo_mission, folder: Path) -> dict[str, str]:
    population = demo_mission.file("population")
    yy, xx = np.mgrid[0:200, 0:200]
    density = 6.8 * np.exp(-((xx - 60) ** 2 + (yy - 70) ** 2) / 300.0)
    transitions = np.full((200, 200), 4, dtype=np.uint8)
    transitions[(xx - 150) ** 2 / 400 + (yy - 40) ** 2 / 150 < 1] = 1
    transitions[(xx - 90) ** 2 / 300 + (yy - 160) ** 2 / 150 < 1] = 3
    transitions[(xx - 40) ** 2 + (yy - 120) ** 2 < 120] = 0  # a cloud: masked
    return {
        "incident_density": _grid_like(
            population,
            folder / "incident_density.tif",
            density.astype("float32"),
            gdal.GDT_Float32,
            {"MEW_UNITS": "weighted incidents per km² (integrates to the weighted count)"},
        ),
        "coverage": _coverage_zones(demo_mission.vector("bases"), folder / "coverage.gpkg"),
        "coverage_gaps": _ranked_gaps(demo_mission.vector("villages"), folder / "coverage_gaps.gpkg"),
        "drought_transitions": _grid_like(
            population,
            folder / "transitions.tif",
            transitions,
            gdal.GDT_Byte,
            {"MEW_TRANSITIONS": '{"0":"no data","1":"new drought","2":"persistent drought"}'},
            nodata=0,
        ),
    }


# --- measuring a layout as it is exported ----------------------------------------------------------


def _page_box(rect, extent, frame) -> tuple[float, float, float, float]:
    """A rectangle in map units as (x0, y0, x1, y1) in mm inside the map frame ``frame`` showing ``extent``."""
    scale = frame.width() / extent.width()
    return (
        (rect.xMinimum() - extent.xMinimum()) * scale,
        (extent.yMaximum() - rect.yMaximum()) * scale,
        (rect.xMaximum() - extent.xMinimum()) * scale,
        (extent.yMaximum() - rect.yMinimum()) * scale,
    )


def rendered(map_item, dpi: int = 150):
    """Render a layout map item's own map once: (its map settings, QGIS's labelling results)."""
    from qgis.core import QgsMapRendererSequentialJob
    from qgis.PyQt.QtCore import QSizeF

    frame = map_item.sizeWithUnits()
    size = QSizeF(frame.width() * dpi / 25.4, frame.height() * dpi / 25.4)
    settings = map_item.mapSettings(map_item.extent(), size, dpi, True)
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    return settings, job.takeLabelingResults()


def measure(layout) -> MapMeasures:
    """Labels and point symbols of the main map, the legend's size and text, the overview's layers."""
    from qgis.core import (
        QgsCoordinateTransform,
        QgsLayoutUtils,
        QgsLegendRenderer,
        QgsMarkerSymbol,
        QgsPointXY,
        QgsRectangle,
        QgsRenderContext,
        QgsVectorLayer,
    )
    from qgis.PyQt.QtCore import Qt

    from mission_early_warning.qgis_compat import GeometryType, LegendComponent, legend_style_font

    measures = MapMeasures()
    main_map = layout.itemById("main_map")
    frame = main_map.sizeWithUnits()
    extent = main_map.extent()
    settings, labelling = rendered(main_map)
    for position in labelling.allLabels():
        if not getattr(position, "isUnplaced", False):
            layer = layout.project().mapLayer(position.layerID)
            name = layer.name() if layer is not None else position.layerID
            measures.labels.append((name, _page_box(position.labelRect, extent, frame)))
            measures.label_texts.append((name, position.labelText))
    context = QgsRenderContext.fromMapSettings(settings)
    for layer in settings.layers():
        if not isinstance(layer, QgsVectorLayer) or layer.geometryType() != GeometryType.Point:
            continue
        renderer = layer.renderer().clone()
        renderer.startRender(context, layer.fields())
        transform = QgsCoordinateTransform(layer.crs(), settings.destinationCrs(), settings.transformContext())
        for feature in layer.getFeatures():
            context.expressionContext().setFeature(feature)
            sizes = [s.size() for s in renderer.symbolsForFeature(feature, context) if isinstance(s, QgsMarkerSymbol)]
            if not sizes:
                continue  # not drawn
            half = max(sizes) / 2 * extent.width() / frame.width()
            for vertex in feature.geometry().vertices():
                point = transform.transform(QgsPointXY(vertex.x(), vertex.y()))
                box = QgsRectangle(point.x() - half, point.y() - half, point.x() + half, point.y() + half)
                if box.intersects(extent):
                    measures.symbols.append((layer.name(), _page_box(box, extent, frame)))
        renderer.stopRender(context)

    legend = layout.itemById("legend")
    needed = QgsLegendRenderer(legend.model(), legend.legendSettings()).minimumSize(
        QgsLayoutUtils.createRenderContextForLayout(layout, None)
    )
    measures.legend_needed = (needed.width(), needed.height())
    measures.legend_frame = (legend.sizeWithUnits().width(), legend.sizeWithUnits().height())
    measures.legend_text_points = legend_style_font(legend.rstyle(LegendComponent.SymbolLabel)).pointSizeF()
    model = legend.model()
    for node in model.rootGroup().findLayers():
        texts = [model.data(model.node2index(node), Qt.ItemDataRole.DisplayRole)]
        texts += [entry.data(Qt.ItemDataRole.DisplayRole) for entry in model.layerLegendNodes(node)]
        wrap = legend.wrapString() or "\n"
        measures.legend_texts += [" ".join(str(text).replace(wrap, " ").split()) for text in texts if text]
    overview = layout.itemById("overview_map")
    measures.overview_layers = [layer.name() for layer in overview.layers()]
    _measure_overview(overview, main_map.extent(), measures)
    return measures


def _measure_overview(overview, framed, measures: MapMeasures) -> None:
    """The country names placed on the overview, the main map's area on it (page mm) and the countries in view."""
    from qgis.core import QgsCoordinateTransform, QgsFeatureRequest

    frame = overview.sizeWithUnits()
    extent = overview.extent()
    settings, labelling = rendered(overview)
    countries = next(layer for layer in overview.layers() if layer.name() == "Countries")
    for position in labelling.allLabels():
        if position.layerID == countries.id() and not getattr(position, "isUnplaced", False):
            measures.overview_labels.append((position.labelText, _page_box(position.labelRect, extent, frame)))
    measures.overview_frame = _page_box(framed, extent, frame)
    to_countries = QgsCoordinateTransform(settings.destinationCrs(), countries.crs(), settings.transformContext())
    name = countries.fields().at(countries.fields().lookupField("name")).name()
    request = QgsFeatureRequest(to_countries.transformBoundingBox(extent))
    measures.overview_countries = {feature[name] for feature in countries.getFeatures(request)}


def measured_exports(run) -> dict[str, MapMeasures]:
    """Call ``run()`` with every single-page briefing map measured as it is exported: {PDF stem: MapMeasures}."""
    from mission_early_warning.layout import briefing_map

    measured: dict[str, MapMeasures] = {}
    export_layout = briefing_map.export_layout

    def measuring_export(layout, output_pdf, *args, **kwargs):
        if not layout.atlas().enabled():
            measured[Path(output_pdf).stem] = measure(layout)
        return export_layout(layout, output_pdf, *args, **kwargs)

    patch = pytest.MonkeyPatch()
    patch.setattr(briefing_map, "export_layout", measuring_export)
    try:
        run()
    finally:
        patch.undo()
    return measured


@pytest.fixture(scope="module")
def briefings(mew_provider, demo_mission, tmp_path_factory):
    """The demo's briefing maps: ``(ctx.results, {PDF stem: MapMeasures})``."""
    folder = tmp_path_factory.mktemp("cartography")
    ctx = DemoContext(demo_mission.path, folder, demo_mission.manifest, demo_mission.truth)
    ctx.results.update(_stand_ins(demo_mission, folder))
    measured = measured_exports(lambda: step_briefings(ctx))
    return ctx.results, measured


@pytest.fixture(scope="module")
def demo_coverage_map(mew_provider, demo_mission, tmp_path_factory) -> MapMeasures:
    """The coverage briefing map of the demo's workflow: its gaps ranked on the imported incidents and the VCI."""
    from mission_early_warning.demo.run import step_coverage, step_drought, step_incidents

    folder = tmp_path_factory.mktemp("demo_coverage")
    ctx = DemoContext(demo_mission.path, folder, demo_mission.manifest, demo_mission.truth)
    for step in (step_incidents, step_drought, step_coverage):
        step(ctx)
    return measured_exports(lambda: step_briefings(ctx))["briefing_coverage"]


@pytest.fixture(scope="module")
def continuous_drought(mew_provider, demo_mission, tmp_path_factory):
    """The drought briefing map of a ΔVCI raster (a colour ramp) with a cloud of masked pixels:
    ``(PDF path, MapMeasures)``."""
    folder = tmp_path_factory.mktemp("continuous_drought")
    ctx = DemoContext(demo_mission.path, folder, demo_mission.manifest, demo_mission.truth)
    yy, xx = np.mgrid[0:200, 0:200]
    delta = (60 * np.sin(xx / 30.0) * np.cos(yy / 40.0)).astype("float32")
    delta[(xx - 40) ** 2 + (yy - 120) ** 2 < 120] = -9999  # a cloud: masked
    ctx.results["drought_delta"] = _grid_like(
        demo_mission.file("population"), folder / "delta_vci.tif", delta, gdal.GDT_Float32, {}, nodata=-9999
    )
    measured = measured_exports(lambda: step_briefings(ctx))
    return ctx.results["briefing_drought (PDF)"], measured["briefing_drought"]


def pdftext(path: str) -> str:
    text = subprocess.run(["pdftotext", path, "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(text.split())


def overlap(a, b) -> bool:
    """Whether two page boxes (x0, y0, x1, y1 in mm) overlap by more than :data:`TOLERANCE_MM` each way."""
    return min(a[2], b[2]) - max(a[0], b[0]) > TOLERANCE_MM and min(a[3], b[3]) - max(a[1], b[1]) > TOLERANCE_MM


# --- the checks --------------------------------------------------------------------------------------


@pytest.mark.parametrize("stem", MAP_STEMS)
def test_no_label_overlaps_another_label_or_a_point_symbol(briefings, stem):
    assert_labels_clear(briefings[1][stem])


def assert_labels_clear(measures: MapMeasures) -> None:
    assert measures.labels, "the map has labels (sectors, bases)"
    for index, (layer, box) in enumerate(measures.labels):
        for other_layer, other in measures.labels[index + 1 :]:
            assert not overlap(box, other), f"labels of {layer} and {other_layer} overlap at {box} / {other}"
        for symbol_layer, symbol in measures.symbols:
            assert not overlap(box, symbol), f"a label of {layer} covers a symbol of {symbol_layer} at {box}"


def numbered_gaps(measures: MapMeasures) -> list[int]:
    return sorted(int(text) for layer, text in measures.label_texts if layer.startswith("coverage gaps"))


def test_only_the_worst_gaps_are_numbered_and_every_one_of_them_is(briefings):
    """The labelling engine places the number of each of the worst gaps, crowded as the map is, and no other."""
    assert numbered_gaps(briefings[1]["briefing_coverage"]) == list(range(1, NUMBERED_GAPS + 1))


def test_every_one_of_the_demo_missions_worst_gaps_is_numbered_clear_of_the_rest(demo_coverage_map):
    """On the demo's own coverage analysis the worst gaps crowd round one cluster of villages (ranks 6 to 10 within
    a few millimetres of one another): each is numbered, its number on no other label or symbol."""
    assert numbered_gaps(demo_coverage_map) == list(range(1, NUMBERED_GAPS + 1))
    assert_labels_clear(demo_coverage_map)


@pytest.mark.parametrize("stem", MAP_STEMS)
def test_the_legend_fits_its_frame_in_readable_text(briefings, stem):
    measures = briefings[1][stem]
    width, height = measures.legend_needed
    frame_width, frame_height = measures.legend_frame
    assert width <= frame_width + 0.01 and height <= frame_height + 0.01
    assert measures.legend_text_points >= 7.0
    assert not any("SYNTHETIC" in text for text in measures.legend_texts)  # the banners say it


@pytest.mark.parametrize("stem", MAP_STEMS)
def test_the_overview_shows_the_countries_of_the_region(briefings, stem):
    assert "Countries" in briefings[1][stem].overview_layers


@pytest.mark.parametrize("stem", MAP_STEMS)
def test_the_overview_names_the_neighbouring_countries_off_the_mission_frame(briefings, stem):
    measures = briefings[1][stem]
    names = [text for text, _box in measures.overview_labels]
    assert len(names) >= 3, f"country names placed on the overview: {names}"
    assert set(names) <= measures.overview_countries
    assert "Mali" in names  # the demo mission's country
    for text, box in measures.overview_labels:
        assert not overlap(box, measures.overview_frame), f"{text} at {box} covers the map's frame"


@pytest.mark.parametrize("stem", MAP_STEMS)
def test_the_pdf_speaks_words_not_band_names_or_identifiers(briefings, stem):
    text = pdftext(briefings[0][f"{stem} (PDF)"])
    assert "Band 1" not in text and "(Gray)" not in text and "(Palette)" not in text
    assert not re.search(r"[A-Za-z]__[A-Za-z]", text)


def test_legend_entries_name_quantities_units_and_classes_in_words(briefings):
    measured = briefings[1]
    assert "Incident density (weighted incidents per km²)" in measured["briefing_hotspots"].legend_texts
    drought = measured["briefing_drought"].legend_texts
    assert {"No data (cloud or mask)", "New drought", "Recovered"} <= set(drought)
    coverage = measured["briefing_coverage"].legend_texts
    assert {"Coverage by bases and recent patrols", "Covered", "Within 5 km", "Very high (80–100)"} <= set(coverage)


def test_masked_pixels_of_a_colour_ramp_are_named_in_the_legend(continuous_drought):
    pdf, measures = continuous_drought
    assert "No data (cloud or mask)" in measures.legend_texts
    assert "No data (cloud or mask)" in pdftext(pdf)


def test_a_ramp_without_masked_pixels_on_the_map_has_no_such_entry(briefings):
    """The incident density has a nodata value but no masked pixel: no entry explains what is not there."""
    assert "No data (cloud or mask)" not in briefings[1]["briefing_hotspots"].legend_texts


# --- the legend's words, without QGIS ---------------------------------------------------------------


def test_legend_names_drop_the_banners_marking_and_carry_the_unit():
    from mission_early_warning.core.briefing import legend_name, unit_of

    banner = "EXERCISE — SYNTHETIC DATA"
    assert legend_name("Villages (SYNTHETIC)", banner) == "Villages"
    assert legend_name("Incidents, ACLED-style (SYNTHETIC)", banner) == "Incidents, ACLED-style"
    assert legend_name("Villages (SYNTHETIC)", "UN RESTRICTED") == "Villages (SYNTHETIC)"  # not on the banner
    assert legend_name("Sectors (north) (synthetic)", banner) == "Sectors (north)"
    assert legend_name("(SYNTHETIC)", banner) == "(SYNTHETIC)"  # never an empty entry
    assert legend_name("Index [% env('X') %]", "RESTRICTED [% ENV('X') %]") == "Index [% env('X') %]"
    unit = unit_of({"MEW_UNITS": "weighted incidents per km² (integrates to the weighted count)"})
    assert unit == "weighted incidents per km²"
    assert legend_name("incident density", banner, unit) == "Incident density (weighted incidents per km²)"
    assert unit_of({"UNITS": "people per pixel"}) == "people per pixel" and unit_of({}) == ""


def test_band_names_and_ramp_ends():
    from mission_early_warning.core.briefing import is_band_name, ramp_end_label

    assert is_band_name("Band 1 (Gray)") and is_band_name("Band 1: density kernel density (Gray)")
    assert not is_band_name("Bandits") and not is_band_name("New drought")
    assert [ramp_end_label(v) for v in (6.82571, 0.0, 100.0, 0.0342, 1234.4)] == ["6.8", "0", "100", "0.034", "1,234"]


def test_atlas_zone_outlines_leave_the_zone_names_to_the_zones_layer(qgis_app, demo_mission):
    """An atlas draws its zones twice (outlines over the map, and the zones layer): named once."""
    from qgis.core import QgsPalLayerSettings, QgsVectorLayer, QgsVectorLayerSimpleLabeling

    from mission_early_warning.layout.atlas import zone_outline_layer

    sectors = QgsVectorLayer(demo_mission.vector("sectors"), "sectors", "ogr")
    settings = QgsPalLayerSettings()
    settings.fieldName = "sector_id"
    sectors.setLabeling(QgsVectorLayerSimpleLabeling(settings))
    sectors.setLabelsEnabled(True)
    assert not zone_outline_layer(sectors).labelsEnabled()
    assert sectors.labelsEnabled()  # the caller's layer is left as it was
