"""``mew:briefingmap`` on real QGIS: the PDFs are read back as a reader would (poppler-utils)."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from osgeo import gdal, ogr, osr
from qgis.core import QgsProcessingException

from mission_early_warning.core.briefing import DISCLAIMER, Box, layout_plan
from mission_early_warning.paths import TEMPLATES

pytestmark = pytest.mark.usefixtures("poppler")

EPSG = 32630
AO = (300_000.0, 1_500_000.0, 480_000.0, 1_680_000.0)  # 3×3 sectors of 60 km
CLUSTER = (360_000.0, 1_560_000.0)  # planted incident cluster, in sector S1's north-east corner
PT_PER_MM = 72 / 25.4


# --- test layers ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def layers(tmp_path_factory) -> dict[str, str]:
    """A GeoPackage (sectors S1–S9, incidents with ACLED fields, bases, an empty layer) and a GeoTIFF."""
    folder = tmp_path_factory.mktemp("briefing-layers")
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(EPSG)
    gpkg = folder / "layers.gpkg"
    data = ogr.GetDriverByName("GPKG").CreateDataSource(str(gpkg))
    sectors = data.CreateLayer("sectors", srs, ogr.wkbPolygon)
    sectors.CreateField(ogr.FieldDefn("sector_id", ogr.OFTString))
    for row in range(3):
        for col in range(3):
            x, y = AO[0] + col * 60_000, AO[1] + row * 60_000
            feature = ogr.Feature(sectors.GetLayerDefn())
            feature.SetField("sector_id", f"S{row * 3 + col + 1}")
            feature.SetGeometry(
                ogr.CreateGeometryFromWkt(
                    f"POLYGON(({x} {y},{x + 60000} {y},{x + 60000} {y + 60000},{x} {y + 60000},{x} {y}))"
                )
            )
            sectors.CreateFeature(feature)
    incidents = data.CreateLayer("incidents", srs, ogr.wkbPoint)
    for name, kind in (("event_id_cnty", ogr.OFTString), ("event_type", ogr.OFTString), ("fatalities", ogr.OFTInteger)):
        incidents.CreateField(ogr.FieldDefn(name, kind))
    rng = np.random.default_rng(8)
    points = np.concatenate([rng.normal(CLUSTER, 6000, (200, 2)), rng.uniform(AO[:2], AO[2:], (80, 2))])
    for index, (x, y) in enumerate(points):
        feature = ogr.Feature(incidents.GetLayerDefn())
        feature.SetField("event_id_cnty", f"MLI{index}")
        feature.SetField("event_type", "Battles")
        feature.SetField("fatalities", 1)
        feature.SetGeometry(ogr.CreateGeometryFromWkt(f"POINT({x} {y})"))
        incidents.CreateFeature(feature)
    bases = data.CreateLayer("bases", srs, ogr.wkbPoint)
    bases.CreateField(ogr.FieldDefn("base_id", ogr.OFTString))
    for index, (x, y) in enumerate([(330_000, 1_530_000), (420_000, 1_620_000), (450_000, 1_550_000)]):
        feature = ogr.Feature(bases.GetLayerDefn())
        feature.SetField("base_id", f"B{index}")
        feature.SetGeometry(ogr.CreateGeometryFromWkt(f"POINT({x} {y})"))
        bases.CreateFeature(feature)
    data.CreateLayer("empty", srs, ogr.wkbPoint)
    data = None
    tif = folder / "index.tif"
    raster = gdal.GetDriverByName("GTiff").Create(str(tif), 90, 90, 1, gdal.GDT_Float32)
    raster.SetGeoTransform((AO[0], 2000, 0, AO[3], 0, -2000))
    raster.SetProjection(srs.ExportToWkt())
    yy, xx = np.mgrid[0:90, 0:90]
    raster.GetRasterBand(1).WriteArray((np.sin(xx / 10) + np.cos(yy / 13)).astype("float32"))
    raster.SetMetadata(
        {"MEW_ALGORITHM": "mew:droughtindex", "MEW_PARAMETERS": "INDEX=VCI", "MEW_CREATED": "2026-11-21"}
    )
    raster = None
    return {
        "gpkg": str(gpkg),
        "sectors": f"{gpkg}|layername=sectors",
        "incidents": f"{gpkg}|layername=incidents",
        "bases": f"{gpkg}|layername=bases",
        "empty": f"{gpkg}|layername=empty",
        "raster": str(tif),
    }


def base_parameters(layers, output: Path, **extra) -> dict:
    parameters = {
        "LAYERS": [layers["raster"], layers["sectors"], layers["incidents"], layers["bases"]],
        "TITLE": "Incident hotspots, central sector",
        "SUBTITLE": "Synthetic exercise data",
        "MAP_NUMBER": "MEW-0042 v3",
        "CLASSIFICATION": "exercise — synthetic data",
        "SOURCES": "Synthetic ACLED-style incidents (2023-11 to 2026-10); synthetic sectors",
        "DPI": 100,
        "OUTPUT_PDF": str(output),
    }
    parameters.update(extra)
    return parameters


# --- reading the PDF as a reader would --------------------------------------------------------------


def pdfinfo(path: Path) -> dict[str, str]:
    text = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return dict(line.split(":", 1) for line in text.splitlines() if ":" in line)


def page_size_mm(info: dict[str, str]) -> tuple[float, float]:
    width, height = re.match(r"\s*([\d.]+) x ([\d.]+) pts", info["Page size"]).groups()
    return float(width) / PT_PER_MM, float(height) / PT_PER_MM


def pdftext(path: Path, page: int | None = None, area: Box | None = None) -> str:
    """The text of a PDF (one ``page``), or of one ``area`` of its page (mm from the top-left corner)."""
    pages = ["-f", str(page), "-l", str(page)] if page else []
    if area is not None:  # at 72 dpi, one pixel is a point
        points = [round(value * 72 / 25.4) for value in (area.x, area.y, area.width, area.height)]
        pages += ["-r", "72", "-x", str(points[0]), "-y", str(points[1]), "-W", str(points[2]), "-H", str(points[3])]
    text = subprocess.run(["pdftotext", *pages, str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(text.split()).replace("ﬁ", "fi").replace("ﬃ", "ffi")


def render(path: Path, page: int, dpi: int, tmp_path: Path) -> np.ndarray:
    """The page as an RGB array (pdftoppm, PPM parsed here)."""
    prefix = tmp_path / f"page{page}"
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile", str(path), str(prefix)],
        check=True,
    )
    raw = (prefix.with_suffix(".ppm")).read_bytes()
    header = re.match(rb"P6\s+(\d+)\s+(\d+)\s+(\d+)\s", raw)
    width, height = int(header.group(1)), int(header.group(2))
    return np.frombuffer(raw[header.end() :], dtype=np.uint8).reshape(height, width, 3)


def template_box(template: str, item_id: str) -> tuple[float, float, float, float]:
    """x, y, width, height (mm) of an item of a bundled template, read from the .qpt."""
    root = ET.parse(TEMPLATES / f"{template}.qpt").getroot()
    item = next(e for e in root.iter("LayoutItem") if e.get("id") == item_id)
    x, y = (float(v) for v in item.get("position").split(",")[:2])
    w, h = (float(v) for v in item.get("size").split(",")[:2])
    return x, y, w, h


def region(image: np.ndarray, box, dpi: int, inset_mm: float = 1.5) -> np.ndarray:
    """The pixels inside a template box, a little inside its frame."""
    scale = dpi / 25.4
    x, y, w, h = box
    return image[
        int((y + inset_mm) * scale) : int((y + h - inset_mm) * scale),
        int((x + inset_mm) * scale) : int((x + w - inset_mm) * scale),
    ]


def inked(pixels: np.ndarray) -> float:
    """Share of pixels that are not near-white."""
    return float((pixels.min(axis=2) < 235).mean())


def reddish(pixels: np.ndarray) -> float:
    """Share of pixels in the incident-cell reds."""
    r, g, b = (pixels[..., i].astype(int) for i in range(3))
    return float(((r - g > 60) & (r - b > 60)).mean())


def no_temporaries(folder: Path) -> bool:
    return not [p for p in folder.iterdir() if p.name.startswith(".")]


# --- single map ------------------------------------------------------------------------------------


def test_a4_landscape_pdf_reads_right(mew, layers, tmp_path):
    output = tmp_path / "briefing.pdf"
    result = mew.run("mew:briefingmap", base_parameters(layers, output, OUTPUT_PNG=str(tmp_path / "briefing.png")))

    assert result["OUTPUT_PDF"] == str(output)
    info = pdfinfo(output)
    assert info["Pages"].strip() == "1"
    assert page_size_mm(info) == pytest.approx((297, 210), abs=0.5)
    text = pdftext(output)
    assert "Incident hotspots, central sector" in text
    assert "Synthetic exercise data" in text
    assert "MEW-0042 v3" in text
    assert text.count("EXERCISE — SYNTHETIC DATA") == 2  # banner top and bottom
    assert "Synthetic ACLED-style incidents (2023-11 to 2026-10)" in text
    assert DISCLAIMER in text
    assert re.search(r"Produced \d\d \w{3} \d{4} \d\d:\d\d .*UTC[+-]\d\d:\d\d", text)
    assert "index ← mew:droughtindex (INDEX=VCI), 2026-11-21" in text  # provenance from the raster's metadata
    assert "Incident locations are aggregated to 5 km grid cells" in text
    # the scale bar in km, read where it is: the overview's country names beside it may share its line of text
    scale_bar = layout_plan(297, 210)["scalebar"]
    assert re.search(r"\b0 \d+ \d+ km\b", pdftext(output, area=scale_bar))

    dpi = 60
    image = render(output, 1, dpi, tmp_path)
    assert image.shape[1] == pytest.approx(297 / 25.4 * dpi, abs=2)
    map_pixels = region(image, template_box("a4_landscape", "main_map"), dpi)
    legend_pixels = region(image, template_box("a4_landscape", "legend"), dpi)
    overview_pixels = region(image, template_box("a4_landscape", "overview_map"), dpi)
    assert inked(map_pixels) > 0.5  # the raster fills most of the map frame
    assert map_pixels.std() > 20  # and it is not one flat colour
    assert reddish(map_pixels) > 0.005  # the aggregated incident cells are drawn
    assert inked(legend_pixels) > 0.03  # symbols and labels
    assert inked(overview_pixels) > 0.3
    png = tmp_path / "briefing.png"
    assert png.exists() and png.stat().st_size > 10_000
    assert no_temporaries(tmp_path)


def test_legend_lists_only_the_layers_on_the_map(mew, layers, tmp_path):
    output = tmp_path / "bases.pdf"
    mew.run("mew:briefingmap", base_parameters(layers, output, LAYERS=[layers["sectors"], layers["bases"]]))
    text = pdftext(output)
    assert "bases" in text and "sectors" in text
    assert "Incidents per" not in text and "Band 1" not in text
    dpi = 60
    image = render(output, 1, dpi, tmp_path)
    assert reddish(region(image, template_box("a4_landscape", "main_map"), dpi)) < 0.001  # no incident cells


def test_raw_incident_points_only_on_request_and_the_footer_says_so(mew, layers, tmp_path):
    output = tmp_path / "raw.pdf"
    mew.run("mew:briefingmap", base_parameters(layers, output, RAW_INCIDENTS=True, LAYERS=[layers["incidents"]]))
    text = pdftext(output)
    assert "SENSITIVE: raw incident point locations are shown (exported on explicit request): incidents" in text
    assert "aggregated" not in text
    assert "Incidents per" not in text


def test_extent_zooms_the_map(mew, layers, tmp_path):
    whole, part = tmp_path / "whole.pdf", tmp_path / "part.pdf"
    mew.run("mew:briefingmap", base_parameters(layers, whole, LAYERS=[layers["raster"]]))
    mew.run(
        "mew:briefingmap",
        base_parameters(layers, part, LAYERS=[layers["raster"]], EXTENT="340000,380000,1540000,1580000 [EPSG:32630]"),
    )
    # the scale bar of the zoomed map measures a shorter distance
    numbers = [max(int(n) for n in re.findall(r"(\d+) km", pdftext(p)) or ["0"]) for p in (whole, part)]
    assert numbers[1] < numbers[0]


def test_sources_list_only_the_layers_on_the_map_with_their_dates(mew, layers, tmp_path):
    """A layer outside the map's extent, or with nothing to draw, is not among the map's sources."""
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(EPSG)
    far = tmp_path / "far.gpkg"
    data = ogr.GetDriverByName("GPKG").CreateDataSource(str(far))
    wells = data.CreateLayer("wells", srs, ogr.wkbPoint)
    feature = ogr.Feature(wells.GetLayerDefn())
    feature.SetGeometry(ogr.CreateGeometryFromWkt("POINT(900000 2500000)"))  # far north-east of the sectors
    wells.CreateFeature(feature)
    feature = wells = data = None
    output = tmp_path / "sources.pdf"
    mew.run(
        "mew:briefingmap",
        base_parameters(
            layers,
            output,
            LAYERS=[layers["sectors"], layers["empty"], str(far)],
            EXTENT=f"{AO[0]},{AO[2]},{AO[1]},{AO[3]} [EPSG:{EPSG}]",
        ),
    )
    text = pdftext(output)
    assert "sectors (layers.gpkg, file dated " in text  # data without a record: its file's date, said so
    assert "far.gpkg" not in text and "empty" not in text
    record = json.loads((tmp_path / "sources.provenance.json").read_text(encoding="utf-8"))
    assert [layer["layer"] for layer in record["layers"]] == ["sectors"]


PROBE = "[% env('MEW_PROBE_SECRET') %]"


def test_texts_names_and_classes_from_users_and_packages_print_as_written(mew, layers, tmp_path, monkeypatch):
    """``[% … %]`` and ``$CURRENT_DATE`` in the texts, a layer name or a class label are printed, never evaluated.

    QGIS labels and legends evaluate such text: a package could print environment variables or other
    layers' attributes on a distributed map. Here the probe's value must not appear; its text must.
    """
    from qgis.core import (
        QgsCategorizedSymbolRenderer,
        QgsFillSymbol,
        QgsRasterLayer,
        QgsRendererCategory,
        QgsVectorLayer,
    )

    secret = "pr0be-5ecret-value"
    monkeypatch.setenv("MEW_PROBE_SECRET", secret)
    sectors = QgsVectorLayer(layers["sectors"], f"Sectors {PROBE}", "ogr")
    categories = [
        QgsRendererCategory(
            f"S{i}",
            QgsFillSymbol.createSimple({"color": "#%02x8080" % (i * 25)}),
            f"Class {PROBE} $CURRENT_DATE" if i == 5 else f"S{i}",
        )
        for i in range(1, 10)
    ]
    sectors.setRenderer(QgsCategorizedSymbolRenderer("sector_id", categories))
    raster = QgsRasterLayer(layers["raster"], f"Index {PROBE}", "gdal")
    assert sectors.isValid() and raster.isValid()
    # labels a template sets to HTML would otherwise render (and load) what the text holds
    template = tmp_path / "html_labels.qpt"
    template.write_text(
        re.sub(
            r'htmlState="0"([^>]* id="subtitle")',
            r'htmlState="1"\1',
            (TEMPLATES / "a4_landscape.qpt").read_text(encoding="utf-8"),
        ),
        encoding="utf-8",
    )
    assert template.read_text(encoding="utf-8").count('htmlState="1"') == 1
    html_subtitle = _label_is_html(template, "subtitle")
    texts = {
        "TITLE": f"Title {PROBE}",
        "SUBTITLE": f"Subtitle {PROBE} <b>bold</b>",
        "CLASSIFICATION": f"restricted {PROBE}",
        "SOURCES": f"Sources {PROBE} $CURRENT_DATE",
        "PROVENANCE": f"Provenance {PROBE} [%x%] %] '[%'",
    }
    output = tmp_path / "probe.pdf"
    mew.run(
        "mew:briefingmap",
        base_parameters(layers, output, LAYERS=[raster, sectors], TEMPLATE_FILE=str(template), **texts),
    )

    text = pdftext(output)
    assert secret not in text
    assert f"Title {PROBE}" in text
    if html_subtitle:  # QGIS 3.40 loads a template's HTML label without its id: it is never filled there
        assert f"Subtitle {PROBE} <b>bold</b>" in text
    assert text.count(f"RESTRICTED {PROBE.upper()}") == 2  # both banners
    # A narrow legend column may wrap a long name inside a word, and its columns interleave in the PDF's text.
    squeezed = "".join(text.split())

    def printed(words: str) -> bool:
        return "".join(words.split()) in squeezed

    assert f"Sources {PROBE}" in text and squeezed.count("$CURRENT_DA") == 2  # sources and the class label
    assert f"Provenance {PROBE} [%x%] %] '[%'" in text
    assert printed(f"Sectors {PROBE}")  # the legend's layer names
    assert printed(f"Index {PROBE}")
    assert printed(f"Class {PROBE} $CURRENT_DA")  # and its class labels
    assert "\u2060" not in text  # the PDF's text is the text itself
    assert sectors.name() == f"Sectors {PROBE}"  # the caller's layers are left as they were
    assert sectors.renderer().categories()[4].label() == f"Class {PROBE} $CURRENT_DATE"


def _label_is_html(template: Path, item_id: str) -> bool:
    """Whether QGIS loads the label ``item_id`` of a layout template, in HTML mode."""
    from qgis.core import QgsLayoutItemLabel, QgsPrintLayout, QgsProject, QgsReadWriteContext
    from qgis.PyQt.QtXml import QDomDocument

    document = QDomDocument()
    document.setContent(template.read_text(encoding="utf-8"))
    layout = QgsPrintLayout(QgsProject.instance())
    layout.loadFromTemplate(document, QgsReadWriteContext())
    item = layout.itemById(item_id)
    return isinstance(item, QgsLayoutItemLabel) and item.mode() == QgsLayoutItemLabel.Mode.ModeHtml


def test_literal_text_survives_any_number_of_qgis_evaluations(qgis_app):
    """The one rule behind the test above, against QGIS's own expression evaluation, on tricky inputs."""
    import random

    from qgis.core import QgsExpression, QgsExpressionContext

    from mission_early_warning.core.briefing import literal_text

    pieces = ["[%", "%]", "[", "%", "]", "'", "$CURRENT_DATE", "$", " 1+1 ", "env('HOME')", "x", "\n", "é"]
    generator = random.Random(20)
    samples = ["".join(generator.choice(pieces) for _ in range(generator.randint(0, 12))) for _ in range(400)]
    samples += ["[% 1+1 %]", "[%[%%]%]", "[% '[%' %]", "$CURRENT_DATE(yyyy)"]
    context = QgsExpressionContext()
    for sample in samples:
        printed = literal_text(sample)
        for _ in range(3):
            printed = QgsExpression.replaceExpressionText(printed, context)
            assert printed.replace("\u2060", "") == sample
    assert literal_text("plain text, 100 %") == "plain text, 100 %"  # nothing to do: unchanged


@pytest.mark.parametrize(("template", "size"), [("a4_portrait", (210, 297)), ("a3_landscape", (420, 297))])
def test_other_templates_have_their_paper_size(mew, layers, tmp_path, template, size):
    output = tmp_path / f"{template}.pdf"
    mew.run("mew:briefingmap", base_parameters(layers, output, TEMPLATE=template, LAYERS=[layers["raster"]]))
    info = pdfinfo(output)
    assert page_size_mm(info) == pytest.approx(size, abs=0.5)
    dpi = 30
    image = render(output, 1, dpi, tmp_path)
    assert inked(region(image, template_box(template, "main_map"), dpi)) > 0.5
    assert inked(region(image, template_box(template, "legend"), dpi)) > 0.02


def test_geographic_layers_are_drawn_in_metres(mew, tmp_path):
    """Layers in EPSG:4326 get a local UTM map, so the scale bar reads in km, not degrees."""
    path = tmp_path / "villages_wgs84.geojson"
    features = ",".join(
        f'{{"type":"Feature","properties":{{"name":"V{i}"}},"geometry":{{"type":"Point","coordinates":[{lon},{lat}]}}}}'
        for i, (lon, lat) in enumerate([(-4.5, 14.0), (-3.2, 14.6), (-3.9, 15.1), (-4.1, 14.4)])
    )
    path.write_text(f'{{"type":"FeatureCollection","features":[{features}]}}')
    output = tmp_path / "wgs84.pdf"
    mew.run(
        "mew:briefingmap",
        {"LAYERS": [str(path)], "TITLE": "Villages", "OUTPUT_PDF": str(output), "DPI": 72},
    )
    text = pdftext(output)
    kilometres = [int(n.replace(",", "")) for n in re.findall(r"([\d,]+) km", text)]
    assert kilometres and 20 <= max(kilometres) <= 200  # the villages span about 150 km
    assert "UN RESTRICTED" in text  # the default classification


# --- atlas -------------------------------------------------------------------------------------------


def test_atlas_has_one_page_per_zone_in_zone_order(mew, layers, tmp_path):
    output = tmp_path / "atlas.pdf"
    result = mew.run(
        "mew:briefingmap",
        base_parameters(
            layers,
            output,
            TEMPLATE="a3_portrait",
            DPI=72,
            ZONES=layers["sectors"],
            ZONE_FIELD="sector_id",
            OUTPUT_PNG=str(tmp_path / "atlas.png"),
        ),
    )
    info = pdfinfo(output)
    assert info["Pages"].strip() == "9"
    assert result["PAGES"] == 9
    assert page_size_mm(info) == pytest.approx((297, 420), abs=0.5)
    for page in (1, 5, 9):
        text = pdftext(output, page)
        assert f"Incident hotspots, central sector — S{page}" in text
        assert f"MEW-0042 v3 · sheet {page}/9 (S{page})" in text
        assert text.count("EXERCISE — SYNTHETIC DATA") == 2
        assert DISCLAIMER in text
    assert sorted(Path(p).name for p in result["PNG_FILES"]) == sorted(f"atlas_S{i}.png" for i in range(1, 10))
    assert all(Path(p).stat().st_size > 5000 for p in result["PNG_FILES"])
    # page 1 (S1, with the planted cluster) shows many incident cells, page 9 (S9) hardly any
    dpi = 30
    box = template_box("a3_portrait", "main_map")
    s1 = reddish(region(render(output, 1, dpi, tmp_path), box, dpi))
    s9 = reddish(region(render(output, 9, dpi, tmp_path), box, dpi))
    assert s1 > 0.05 and s1 > 3 * s9


def test_an_atlas_prints_a_map_number_as_written(mew, layers, tmp_path, monkeypatch):
    """The sheet number of an atlas page carries the user's map number, which is never evaluated either."""
    monkeypatch.setenv("MEW_PROBE_SECRET", "pr0be-5ecret-value")
    output = tmp_path / "atlas.pdf"
    mew.run(
        "mew:briefingmap",
        base_parameters(
            layers, output, DPI=72, ZONES=layers["sectors"], ZONE_FIELD="sector_id", MAP_NUMBER=f"MEW-7 {PROBE} v2"
        ),
    )
    text = pdftext(output, 1)
    assert "pr0be-5ecret-value" not in text
    assert f"MEW-7 {PROBE} v2 · sheet 1/9 (S1)" in text


# --- errors: clear, early, nothing written ---------------------------------------------------------------


def test_missing_layer_is_a_clear_error(mew, layers, tmp_path):
    output = tmp_path / "missing.pdf"
    missing = str(tmp_path / "nowhere" / "hotspots.gpkg")
    with pytest.raises(QgsProcessingException, match=r"hotspots\.gpkg' could not be loaded"):
        mew.run("mew:briefingmap", base_parameters(layers, output, LAYERS=[layers["sectors"], missing]))
    assert not output.exists() and no_temporaries(tmp_path)


def test_missing_zones_layer_is_a_clear_error(mew, layers, tmp_path):
    output = tmp_path / "atlas.pdf"
    with pytest.raises(QgsProcessingException, match=r"zones layer '.*sektors.gpkg' could not be loaded"):
        mew.run(
            "mew:briefingmap",
            base_parameters(layers, output, ZONES=str(tmp_path / "sektors.gpkg"), ZONE_FIELD="sector_id"),
        )
    assert not output.exists()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"EXTENT": "400000,400000,1500000,1600000 [EPSG:32630]"}, "is empty"),
        ({"EXTENT": "0,1000,0,1000 [EPSG:32630]"}, "contains none of the layers"),
        ({"LAYERS": ["EMPTY"]}, "have nothing to draw"),
    ],
)
def test_empty_extent_is_a_clear_error(mew, layers, tmp_path, extra, message):
    output = tmp_path / "empty.pdf"
    if extra.get("LAYERS") == ["EMPTY"]:
        extra = {"LAYERS": [layers["empty"]]}
    with pytest.raises(QgsProcessingException, match=message):
        mew.run("mew:briefingmap", base_parameters(layers, output, **extra))
    assert not output.exists() and no_temporaries(tmp_path)


def test_output_over_an_input_is_refused_and_the_input_kept(mew, layers, tmp_path):
    before = hashlib.sha256(Path(layers["raster"]).read_bytes()).hexdigest()
    with pytest.raises(QgsProcessingException, match="same file as the input"):
        mew.run("mew:briefingmap", base_parameters(layers, Path(layers["raster"])))
    assert hashlib.sha256(Path(layers["raster"]).read_bytes()).hexdigest() == before


def test_cancel_during_an_atlas_leaves_nothing(mew, layers, tmp_path):
    from qgis.core import QgsProcessingFeedback

    output = tmp_path / "cancelled.pdf"
    output.write_bytes(b"previous map")
    feedback = QgsProcessingFeedback()
    feedback.progressChanged.connect(lambda value: feedback.cancel() if value >= 30 else None)
    result = mew.run(
        "mew:briefingmap",
        base_parameters(layers, output, ZONES=layers["sectors"], ZONE_FIELD="sector_id", DPI=72),
        feedback=feedback,
    )
    assert result == {} and feedback.isCanceled()
    assert output.read_bytes() == b"previous map"  # the old file stays as it was
    assert no_temporaries(tmp_path)


def test_an_existing_pdf_is_replaced_whole(mew, layers, tmp_path):
    output = tmp_path / "again.pdf"
    output.write_bytes(b"old")
    for _ in range(2):  # as a batch run would: same algorithm, fresh parameters each time
        mew.run("mew:briefingmap", base_parameters(layers, output, LAYERS=[layers["bases"]]))
        assert pdfinfo(output)["Pages"].strip() == "1"
    assert no_temporaries(tmp_path)


# --- headless ----------------------------------------------------------------------------------------------


def test_qgis_process_writes_the_pdf_and_png(run_qgis_process, layers, tmp_path):
    output, png = tmp_path / "headless.pdf", tmp_path / "headless.png"
    completed = run_qgis_process(
        "run",
        "mew:briefingmap",
        "--",
        f"LAYERS={layers['sectors']}",
        f"LAYERS={layers['incidents']}",
        "TITLE=Headless briefing",
        "MAP_NUMBER=7",
        "CLASSIFICATION=UN RESTRICTED",
        "SOURCES=Test layers",
        "TEMPLATE=a4_portrait",
        "DPI=72",
        f"OUTPUT_PDF={output}",
        f"OUTPUT_PNG={png}",
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert page_size_mm(pdfinfo(output)) == pytest.approx((210, 297), abs=0.5)
    text = pdftext(output)
    assert "Headless briefing" in text and "MEW-0007 v1" in text and text.count("UN RESTRICTED") == 2
    assert png.stat().st_size > 5000

    missing = run_qgis_process(
        "run",
        "mew:briefingmap",
        "--",
        f"LAYERS={tmp_path / 'none.gpkg'}",
        "TITLE=x",
        f"OUTPUT_PDF={tmp_path / 'm.pdf'}",
    )
    assert missing.returncode != 0
    assert "none.gpkg" in missing.stdout + missing.stderr
    assert not (tmp_path / "m.pdf").exists()
