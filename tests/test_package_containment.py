"""Mission packages are untrusted data: reading one (checker and dock) never leaves the package or the machine.

Each hostile file tries to make GDAL or QGIS read outside the package or over the network: an XML
virtual dataset named like a GeoPackage or a GeoTIFF, a GDAL WMS description, an overview beside a
GeoTIFF, a GeoJSON CRS given as a link, a table name carrying data source options. The checker and
the dock's loader run in subprocesses under ``strace``: no ``connect()`` to an address other than
loopback may be attempted (the machine needs no network for this: a refused or unreachable
connection is still a ``connect()`` call, and the positive control below shows the harness sees one).
"""

from __future__ import annotations

import ipaddress
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from osgeo import gdal, ogr, osr

#: TEST-NET-1 (RFC 5737): an address that is never local, so any connect() to it is a leak.
REMOTE = "192.0.2.1"
EPSG = 32630


def _raster_vrt(source: str, size: int = 4) -> str:
    return (
        f'<VRTDataset rasterXSize="{size}" rasterYSize="{size}"><SRS>EPSG:{EPSG}</SRS>'
        "<GeoTransform>300000, 250, 0, 1700000, 0, -250</GeoTransform>"
        '<VRTRasterBand dataType="Byte" band="1"><SimpleSource>'
        f'<SourceFilename relativeToVRT="0">{source}</SourceFilename><SourceBand>1</SourceBand>'
        "</SimpleSource></VRTRasterBand></VRTDataset>"
    )


def _geojson(crs: dict | None = None, geometry_crs: dict | None = None) -> str:
    geometry: dict = {"type": "Point", "coordinates": [-4.0, 14.0]}
    if geometry_crs is not None:
        geometry["crs"] = geometry_crs
    collection: dict = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": {"name": "V1"}, "geometry": geometry}],
    }
    if crs is not None:
        collection["crs"] = crs
    return json.dumps(collection)


def _write_tif(path: Path, size: int = 4, overview_file: str | None = None) -> None:
    """A GeoTIFF; ``overview_file`` is written into its own metadata, where GDAL looks for external overviews."""
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(EPSG)
    dataset = gdal.GetDriverByName("GTiff").Create(str(path), size, size, 1, gdal.GDT_Byte)
    dataset.SetGeoTransform((300000, 250, 0, 1700000, 0, -250))
    dataset.SetProjection(srs.ExportToWkt())
    dataset.GetRasterBand(1).SetNoDataValue(255)
    dataset.GetRasterBand(1).WriteArray(np.ones((size, size), dtype=np.uint8))
    if overview_file is not None:
        dataset.SetMetadataItem("OVERVIEW_FILE", overview_file, "OVERVIEWS")
    dataset = None
    Path(f"{path}.aux.xml").unlink(missing_ok=True)


def _write_bases(path: Path) -> None:
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(EPSG)
    data = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    layer = data.CreateLayer("bases", srs, ogr.wkbPoint)
    layer.CreateField(ogr.FieldDefn("base_id", ogr.OFTString))
    for index, (x, y) in enumerate([(300500, 1699500), (300800, 1699200)]):
        feature = ogr.Feature(layer.GetLayerDefn())
        feature.SetField("base_id", f"B{index}")
        feature.SetGeometry(ogr.CreateGeometryFromWkt(f"POINT({x} {y})"))
        layer.CreateFeature(feature)
    data = None


def _add_default_style(gpkg: Path, table: str) -> None:
    """Store in the GeoPackage a default style (as QGIS saves one) whose markers are SVG images from a URL."""
    from qgis.core import (
        QgsMarkerSymbol,
        QgsReadWriteContext,
        QgsSingleSymbolRenderer,
        QgsSvgMarkerSymbolLayer,
        QgsVectorLayer,
    )
    from qgis.PyQt.QtXml import QDomDocument

    layer = QgsVectorLayer(f"{gpkg}|layername={table}", table, "ogr")
    symbol = QgsMarkerSymbol()
    symbol.changeSymbolLayer(0, QgsSvgMarkerSymbolLayer(f"http://{REMOTE}/marker.svg", 10))
    layer.setRenderer(QgsSingleSymbolRenderer(symbol))
    document = QDomDocument()
    layer.exportNamedStyle(document, QgsReadWriteContext())
    layer = None
    data = ogr.Open(str(gpkg), 1)
    styles = data.CreateLayer("layer_styles", None, ogr.wkbNone)
    for name in (
        "f_table_catalog",
        "f_table_schema",
        "f_table_name",
        "f_geometry_column",
        "styleName",
        "styleQML",
        "styleSLD",
        "description",
        "owner",
        "ui",
    ):
        styles.CreateField(ogr.FieldDefn(name, ogr.OFTString))
    default = ogr.FieldDefn("useAsDefault", ogr.OFTInteger)
    default.SetSubType(ogr.OFSTBoolean)
    styles.CreateField(default)
    styles.CreateField(ogr.FieldDefn("update_time", ogr.OFTDateTime))
    row = ogr.Feature(styles.GetLayerDefn())
    for name, value in (
        ("f_table_catalog", ""),
        ("f_table_schema", ""),
        ("f_table_name", table),
        ("f_geometry_column", "geom"),
        ("styleName", "default"),
        ("styleQML", document.toString()),
    ):
        row.SetField(name, value)
    row.SetField("useAsDefault", 1)
    row.SetField("update_time", "2026-01-01T00:00:00Z")
    styles.CreateFeature(row)
    data = None


#: Layers that must load, and hostile layers (id -> what it tries) that must be refused as errors.
GOOD = ("bases", "population", "styled")
HOSTILE = {
    "vrt_named_gpkg": "an OGR VRT named .gpkg reading a CSV outside the package",
    "vsicurl_tif": "a raster VRT named .tif whose source is /vsicurl/",
    "plain_vrt": "a .vrt file",
    "wms_tif": "a GDAL WMS description named .tif",
    "overview_vrt": "a real GeoTIFF whose .ovr beside it is a VRT with a /vsicurl/ source",
    "overview_named": "a real GeoTIFF naming a /vsicurl/ overview file in its own metadata",
    "overview_in_aux": "a real GeoTIFF whose .aux.xml names a /vsicurl/ overview file",
    "geojson_link": "a GeoJSON whose CRS is a link GDAL would download",
    "geojson_geometry_link": "a GeoJSON with a linked CRS on a geometry",
    "subset_in_name": "a table name carrying '|subset=...'",
    "vsicurl_path": "a /vsicurl/ path in the manifest",
    "url_path": "a URL in the manifest",
    "link_out": "a symbolic link to a file outside the package",
    "fifo": "a FIFO named .csv (reading it would block for ever)",
}


@pytest.fixture(scope="module")
def hostile_package(tmp_path_factory, qgis_app) -> Path:
    base = tmp_path_factory.mktemp("hostile")
    (base / "outside.csv").write_text("id,secret\n1,OUTSIDE-SECRET\n", encoding="utf-8")
    _write_tif(base / "outside.tif")
    root = base / "package"
    root.mkdir()
    _write_bases(root / "bases.gpkg")
    _write_tif(root / "population.tif")
    _write_bases(root / "styled.gpkg")  # sound data, with a default style that draws from a URL
    _add_default_style(root / "styled.gpkg", "bases")
    (root / "vrt.gpkg").write_text(
        '<OGRVRTDataSource><OGRVRTLayer name="outside"><SrcDataSource relativeToVRT="1">../outside.csv</SrcDataSource>'
        "</OGRVRTLayer></OGRVRTDataSource>",
        encoding="utf-8",
    )
    (root / "vsicurl.tif").write_text(_raster_vrt(f"/vsicurl/http://{REMOTE}/x.tif"), encoding="utf-8")
    (root / "plain.vrt").write_text(_raster_vrt("population.tif"), encoding="utf-8")
    (root / "wms.tif").write_text(
        f'<GDAL_WMS><Service name="TMS"><ServerUrl>http://{REMOTE}/${{z}}/${{x}}/${{y}}.png</ServerUrl></Service>'
        "<DataWindow><UpperLeftX>-20037508.34</UpperLeftX><UpperLeftY>20037508.34</UpperLeftY>"
        "<LowerRightX>20037508.34</LowerRightX><LowerRightY>-20037508.34</LowerRightY><TileLevel>18</TileLevel>"
        "<TileCountX>1</TileCountX><TileCountY>1</TileCountY></DataWindow><Projection>EPSG:3857</Projection>"
        "<BlockSizeX>256</BlockSizeX><BlockSizeY>256</BlockSizeY><BandsCount>3</BandsCount></GDAL_WMS>",
        encoding="utf-8",
    )
    # large enough that QGIS asks for overviews when it draws them small
    _write_tif(root / "overview.tif", 512)
    (root / "overview.tif.ovr").write_text(_raster_vrt(f"/vsicurl/http://{REMOTE}/o.tif", 256), encoding="utf-8")
    _write_tif(root / "overview_named.tif", 512, overview_file=f"/vsicurl/http://{REMOTE}/named.tif")
    _write_tif(root / "overview_in_aux.tif", 512)
    (root / "overview_in_aux.tif.aux.xml").write_text(
        f'<PAMDataset><Metadata domain="OVERVIEWS"><MDI key="OVERVIEW_FILE">/vsicurl/http://{REMOTE}/aux.tif</MDI>'
        "</Metadata></PAMDataset>",
        encoding="utf-8",
    )
    link = {"type": "link", "properties": {"href": f"http://{REMOTE}/crs.prj", "type": "proj4"}}
    (root / "link.geojson").write_text(_geojson(crs=link), encoding="utf-8")
    (root / "geometry_link.geojson").write_text(_geojson(geometry_crs=link), encoding="utf-8")
    os.symlink(base / "outside.tif", root / "link_out.tif")
    os.mkfifo(root / "pipe.csv")
    layers = [
        {"id": "bases", "role": "bases", "path": "bases.gpkg", "layer": "bases", "fields": {"id": "base_id"}},
        {"id": "population", "role": "population", "path": "population.tif"},
        {"id": "styled", "role": "roads", "theme": "operations", "path": "styled.gpkg", "layer": "bases"},
        {"id": "vrt_named_gpkg", "role": "villages", "path": "vrt.gpkg", "layer": "outside"},
        {"id": "vsicurl_tif", "role": "population", "path": "vsicurl.tif"},
        {"id": "plain_vrt", "role": "population", "path": "plain.vrt"},
        {"id": "wms_tif", "role": "population", "path": "wms.tif"},
        {"id": "overview_vrt", "role": "population", "path": "overview.tif"},
        {"id": "overview_named", "role": "population", "path": "overview_named.tif"},
        {"id": "overview_in_aux", "role": "population", "path": "overview_in_aux.tif"},
        {"id": "geojson_link", "role": "villages", "path": "link.geojson", "crs": "EPSG:4326"},
        {"id": "geojson_geometry_link", "role": "villages", "path": "geometry_link.geojson", "crs": "EPSG:4326"},
        {"id": "subset_in_name", "role": "bases", "path": "bases.gpkg", "layer": "bases|subset=\"base_id\" = 'B0'"},
        {"id": "vsicurl_path", "role": "population", "path": f"/vsicurl/http://{REMOTE}/x.tif"},
        {"id": "url_path", "role": "bases", "path": f"http://{REMOTE}/bases.gpkg"},
        {"id": "link_out", "role": "population", "path": "link_out.tif"},
        {
            "id": "fifo",
            "role": "incidents",
            "path": "pipe.csv",
            "crs": "EPSG:4326",
            "fields": {"date": "event_date", "lat": "latitude", "lon": "longitude"},
        },
    ]
    manifest = {"mission": "Hostile", "classification": "TEST", "crs": f"EPSG:{EPSG}", "layers": layers}
    (root / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return root


# --- watching connect() -----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def strace() -> str:
    """Fails (not skips) without strace: these tests are the proof that packages stay off the network."""
    found = shutil.which("strace")
    if found is None:
        pytest.fail("strace not found: run `make setup` (it installs strace) or `apt-get install strace`.")
    return found


def remote_connects(trace: str) -> list[str]:
    """The connect() calls of an strace log that aim anywhere but this machine (loopback, local sockets)."""
    leaks = []
    for line in trace.splitlines():
        if "connect(" not in line or "sa_family=" not in line:
            continue
        family = re.search(r"sa_family=(AF_\w+)", line).group(1)
        if family in ("AF_UNIX", "AF_LOCAL", "AF_NETLINK", "AF_UNSPEC"):
            continue
        address = re.search(r'inet_addr\("([^"]+)"\)|inet_pton\(AF_INET6, "([^"]+)"', line)
        if address is not None:
            ip = ipaddress.ip_address(address.group(1) or address.group(2))
            mapped = getattr(ip, "ipv4_mapped", None)
            if ip.is_loopback or (mapped is not None and mapped.is_loopback):
                continue
        leaks.append(line.strip())
    return leaks


def traced(
    strace: str, tmp_path: Path, command: list[str], timeout: float = 300
) -> tuple[subprocess.CompletedProcess, list[str]]:
    """Run ``command`` under strace; returns the result and the remote connect() calls it attempted."""
    log = tmp_path / f"connect-{len(list(tmp_path.glob('connect-*')))}.log"
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env = dict(os.environ, HOME=str(home), QT_QPA_PLATFORM="offscreen")
    env.pop("QGIS_CUSTOM_CONFIG_PATH", None)
    result = subprocess.run(
        [strace, "-f", "-qq", "-e", "trace=connect", "-o", str(log), *command],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        cwd=tmp_path,
        check=False,
    )
    return result, remote_connects(log.read_text(encoding="utf-8", errors="replace"))


def test_the_harness_sees_a_connection_attempt(strace, hostile_package, tmp_path):
    """Positive control: opening the hostile GeoTIFF as GDAL would without the checks makes the attempt,
    and QGIS left to its defaults takes the GeoPackage's own style, which draws from a URL."""
    from qgis.core import QgsVectorLayer

    styled = QgsVectorLayer(f"{hostile_package / 'styled.gpkg'}|layername=bases", "styled", "ogr")
    assert styled.renderer().symbol().symbolLayer(0).path() == f"http://{REMOTE}/marker.svg"
    script = (
        "import sys\nfrom osgeo import gdal\n"
        "gdal.PushErrorHandler('CPLQuietErrorHandler')\n"
        "dataset = gdal.Open(sys.argv[1])\n"
        "dataset.GetRasterBand(1).ReadAsArray()\n"
    )
    _result, leaks = traced(
        strace, tmp_path, [sys.executable, "-P", "-c", script, str(hostile_package / "vsicurl.tif")]
    )
    assert any(REMOTE in leak for leak in leaks), leaks
    # GDAL's own reader follows the virtual GeoPackage out of the package
    with_vrt = ogr.Open(str(hostile_package / "vrt.gpkg"))
    assert with_vrt is not None and with_vrt.GetLayer(0).GetNextFeature().GetField("secret") == "OUTSIDE-SECRET"
    with_vrt = None


def test_the_checker_reports_every_indirection_as_an_error_and_stays_offline(strace, hostile_package, tmp_path):
    result, leaks = traced(
        strace,
        tmp_path,
        [sys.executable, "-P", "-m", "mission_early_warning.core.mission_package", "check", str(hostile_package)],
        timeout=120,
    )
    assert leaks == []
    assert result.returncode == 1, result.stderr  # errors found, no crash, no hang on the FIFO
    assert "Traceback" not in result.stderr
    status = {layer_id: found for found, layer_id in re.findall(r"^  \[(\w+)\] (\w+) ", result.stdout, re.MULTILINE)}
    for layer_id, what in HOSTILE.items():
        assert status.get(layer_id) == "error", (layer_id, what, result.stdout)
    for layer_id in GOOD:
        assert status.get(layer_id) in ("OK", "warning"), (layer_id, result.stdout)
    assert "OUTSIDE-SECRET" not in result.stdout


DOCK_DRIVER = """
import json, sys
from qgis.core import QgsApplication, QgsMapRendererSequentialJob, QgsMapSettings, QgsProject, QgsRectangle
from qgis.PyQt.QtCore import QSize

app = QgsApplication([], True)
app.initQgis()
from mission_early_warning.ui.analyses import ANALYSES, preset_parameters
from mission_early_warning.ui.mission_dock import MissionDock

dock = MissionDock(None)
assert dock.open_package(sys.argv[1])
result = dock.load(as_is=True)
for layer_id, _role, _theme, _status in dock.layer_rows():
    dock.load_layer(layer_id)  # a double click, one layer at a time
for spec in ANALYSES:
    preset_parameters(spec, dock.package)
project = QgsProject.instance()
layers = list(project.mapLayers().values())
settings = QgsMapSettings()
settings.setLayers(layers)
settings.setDestinationCrs(project.crs())
settings.setOutputSize(QSize(64, 64))  # small: rasters are drawn from their overviews
extent = QgsRectangle()
for layer in layers:
    extent.combineExtentWith(layer.extent())
settings.setExtent(extent)
job = QgsMapRendererSequentialJob(settings)
job.start()
job.waitForFinished()
texts = [layer.source() for layer in layers] + [
    f.attributes().__repr__() for layer in layers if hasattr(layer, "getFeatures") for f in layer.getFeatures()]
print(json.dumps({
    "added": result.added, "skipped": result.skipped, "loaded": sorted(
        str(layer.customProperty("mew/layer_id")) for layer in layers),
    "errors": sorted({p.layer_id for p in dock.problems if p.is_error and p.layer_id}),
    "shown": " ".join(texts),
}))
dock.deleteLater()
app.exitQgis()
"""


def test_the_dock_loads_what_is_safe_refuses_the_rest_and_stays_offline(strace, hostile_package, tmp_path):
    """The dock's loader ("Load as is", then each layer alone) and its analysis presets, then a map drawn."""
    driver = tmp_path / "dock_driver.py"
    driver.write_text(DOCK_DRIVER, encoding="utf-8")
    result, leaks = traced(strace, tmp_path, [sys.executable, "-P", str(driver), str(hostile_package)])
    assert leaks == []
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert sorted(report["added"]) == sorted(GOOD)
    assert report["loaded"] == sorted(GOOD)  # nothing hostile came in by a double click either
    assert set(report["errors"]) >= set(HOSTILE)
    assert set(report["skipped"]) >= set(HOSTILE)
    assert "OUTSIDE-SECRET" not in report["shown"] and "subset" not in report["shown"]
