"""The columnar paths of mew:patrolcoverage give what QGIS's own reader and feature sink give.

Villages from a plain OGR file are read column by column (GDAL Arrow) and a
GeoPackage village output is written in bulk (core.gpkg); any other layer or
destination goes through QGIS. Both paths must agree value for value.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from osgeo import ogr, osr
from qgis.core import QgsFeature, QgsFeatureRequest, QgsGeometry, QgsPointXY, QgsRectangle, QgsVectorLayer

from mission_early_warning.core.geodesic import Geodesy
from mission_early_warning.core.geodesic_search import Segments, _point_segment, smallest_value_within
from mission_early_warning.processing.convert import qvariant_to_python
from mission_early_warning.processing.feature_io import arrow_point_columns

FIELDS = (
    ("name", ogr.OFTString, None),
    ("population", ogr.OFTInteger, None),
    ("households", ogr.OFTInteger64, None),
    ("score", ogr.OFTReal, None),
    ("surveyed", ogr.OFTDate, None),
    ("active", ogr.OFTInteger, ogr.OFSTBoolean),
    ("covered", ogr.OFTString, None),  # replaced by the output's own column
)
ROWS = (
    ((500_000.0, 1_000_000.0), ("Kadugli", 1200, 2**40, 0.5, "2026-03-01", 1, "x")),
    ((503_000.0, 1_000_000.0), ("Kauda", 800, 7, -1.25, "2025-12-31", 0, None)),
    ((520_000.0, 1_004_000.0), ("Abyei é", None, None, None, None, None, None)),
    (None, ("No place", 50, 1, 2.0, "2026-01-02", 1, "y")),
    ((501_000.0, 999_000.0), ("Talodi", 3000, 3, 1e6, "2026-06-15", 1, None)),
)


def _villages(path, geometry=ogr.wkbPoint, skip=()) -> str:
    reference = osr.SpatialReference()
    reference.ImportFromEPSG(32636)
    dataset = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    layer = dataset.CreateLayer("villages", reference, geometry)
    for name, kind, subtype in FIELDS:
        if name in skip:
            continue
        definition = ogr.FieldDefn(name, kind)
        if subtype is not None:
            definition.SetSubType(subtype)
        layer.CreateField(definition)
    for xy, values in ROWS:
        feature = ogr.Feature(layer.GetLayerDefn())
        for (name, _, _), value in zip(FIELDS, values):
            if value is not None and name not in skip:
                feature.SetField(name, value)
        if xy is not None:
            point = ogr.Geometry(ogr.wkbPoint)
            point.AddPoint_2D(*xy)
            if geometry == ogr.wkbMultiPoint:
                multi = ogr.Geometry(ogr.wkbMultiPoint)
                multi.AddGeometry(point)
                point = multi
            feature.SetGeometry(point)
        layer.CreateFeature(feature)
    dataset = None
    return str(path)


def _bases() -> QgsVectorLayer:
    layer = QgsVectorLayer("Point?crs=EPSG:32636&field=base_id:string", "bases", "memory")
    feature = QgsFeature(layer.fields())
    feature.setAttributes(["B1"])
    feature.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(500_000.0, 1_000_500.0)))
    layer.dataProvider().addFeatures([feature])
    return layer


def _read(layer: QgsVectorLayer) -> tuple[list[str], list[tuple], list[str | None]]:
    names = [f.name() for f in layer.fields()]
    types = [f"{f.name()}:{f.typeName().lower()}:{f.type()}" for f in layer.fields() if f.name() != "fid"]
    rows, geometries = [], []
    for feature in sorted(layer.getFeatures(), key=lambda f: f["name"]):
        rows.append(tuple(qvariant_to_python(feature[n]) for n in names if n != "fid"))
        geometry = feature.geometry()  # a sink may write a missing point as POINT EMPTY
        geometries.append(None if geometry.isNull() or geometry.isEmpty() else geometry.asWkt(3))
    return types, rows, geometries


@pytest.mark.parametrize("with_boolean", [False, True])
def test_bulk_geopackage_villages_equal_the_feature_sink_output(mew, tmp_path, monkeypatch, with_boolean):
    from mission_early_warning.core import gpkg

    bulk_writes = []
    write_points = gpkg.write_points
    monkeypatch.setattr(gpkg, "write_points", lambda *a, **k: bulk_writes.append(a[0]) or write_points(*a, **k))
    skip = () if with_boolean else ("active",)
    villages = _villages(tmp_path / "villages.gpkg", skip=skip)
    common = {
        "BASES": _bases(),
        "BASE_RADIUS": 2500,
        "BASE_ID_FIELD": "base_id",
        "RINGS": "1000,5000",
        "VILLAGES": villages,
        "POPULATION_FIELD": "population",
        "OUTPUT_COVERAGE": str(tmp_path / "coverage.gpkg"),
    }
    bulk = mew.run("mew:patrolcoverage", {**common, "OUTPUT_VILLAGES": str(tmp_path / "bulk.gpkg")})
    # GDAL 3.6 misreads booleans column by column: that layer goes through QGIS's reader and sink.
    assert bulk_writes == ([] if with_boolean else [str(tmp_path / "bulk.gpkg")])
    # A layer QGIS reads itself (a memory copy), written through the feature sink.
    memory = QgsVectorLayer(villages, "villages", "ogr").materialize(QgsFeatureRequest())
    through_qgis = mew.run("mew:patrolcoverage", {**common, "VILLAGES": memory, "OUTPUT_VILLAGES": "TEMPORARY_OUTPUT"})
    assert len(bulk_writes) == (0 if with_boolean else 1)
    bulk_layer = QgsVectorLayer(bulk["OUTPUT_VILLAGES"], "bulk", "ogr")
    assert bulk_layer.isValid() and bulk_layer.featureCount() == len(ROWS)
    bulk_types, bulk_rows, bulk_geometries = _read(bulk_layer)
    qgis_types, qgis_rows, qgis_geometries = _read(through_qgis["OUTPUT_VILLAGES"])
    assert bulk_rows == qgis_rows
    assert bulk_geometries == qgis_geometries
    assert [t.split(":")[0] for t in bulk_types] == [t.split(":")[0] for t in qgis_types]
    assert [t.split(":")[2] for t in bulk_types] == [t.split(":")[2] for t in qgis_types]  # QVariant types
    by_name = {row[0]: row for row in bulk_rows}
    assert by_name["Kadugli"][-6:-1] == (True, 1000.0, pytest.approx(500.0, abs=1.0), None, None)
    assert by_name["Kadugli"][-1] == "B1"
    assert by_name["Kauda"][-6] is False  # 3 km from the base, reach 2.5 km
    assert by_name["No place"][-6:] == (None,) * 6  # no geometry: not measured, kept
    expected = ("Kadugli", 1200, 2**40, 0.5, dt.date(2026, 3, 1)) + ((True,) if with_boolean else ())
    assert by_name["Kadugli"][: len(expected)] == expected
    if with_boolean:
        assert by_name["No place"][5] is True and by_name["Kauda"][5] is False
    assert by_name["Abyei é"][:5] == ("Abyei é", None, None, None, None)
    # The bulk file keeps the input ids, has a working spatial index and its style.
    assert sorted(f.id() for f in bulk_layer.getFeatures()) == [1, 2, 3, 4, 5]
    assert bulk_layer.dataProvider().hasSpatialIndex() != 0
    near = QgsFeatureRequest().setFilterRect(QgsRectangle(499_990, 999_990, 500_010, 1_000_010))
    assert [f["name"] for f in bulk_layer.getFeatures(near)] == ["Kadugli"]
    _, styled = bulk_layer.loadDefaultStyle()
    assert styled


def test_bulk_geopackage_gaps_equal_the_feature_sink_output(mew, tmp_path, monkeypatch):
    from mission_early_warning.core import gpkg

    bulk_writes = []
    write_points = gpkg.write_points
    monkeypatch.setattr(gpkg, "write_points", lambda *a, **k: bulk_writes.append(a[0]) or write_points(*a, **k))
    villages = _villages(tmp_path / "villages.gpkg", skip=("active",))
    coverage = QgsVectorLayer("Polygon?crs=EPSG:32636&field=kind:string", "coverage", "memory")
    zone = QgsFeature(coverage.fields())
    zone.setAttributes(["covered"])
    zone.setGeometry(
        QgsGeometry.fromWkt("POLYGON((499000 999500, 501500 999500, 501500 1000500, 499000 1000500, 499000 999500))")
    )
    coverage.dataProvider().addFeatures([zone])
    common = {"COVERAGE": coverage, "POPULATION_FIELD": "population", "INCLUDE_COVERED": True}
    bulk = mew.run("mew:coveragegaps", {**common, "VILLAGES": villages, "OUTPUT": str(tmp_path / "gaps.gpkg")})
    assert bulk_writes == [str(tmp_path / "gaps.gpkg")]
    memory = QgsVectorLayer(villages, "villages", "ogr").materialize(QgsFeatureRequest())
    through_qgis = mew.run("mew:coveragegaps", {**common, "VILLAGES": memory, "OUTPUT": "TEMPORARY_OUTPUT"})
    assert len(bulk_writes) == 1
    bulk_types, bulk_rows, bulk_geometries = _read(QgsVectorLayer(bulk["OUTPUT"], "bulk", "ogr"))
    qgis_types, qgis_rows, qgis_geometries = _read(through_qgis["OUTPUT"])
    assert len(bulk_rows) == len(ROWS) - 1  # the village without a place is not ranked
    assert bulk_rows == qgis_rows
    assert bulk_geometries == qgis_geometries
    assert [t.split(":")[0] for t in bulk_types] == [t.split(":")[0] for t in qgis_types]
    assert [t.split(":")[2] for t in bulk_types] == [t.split(":")[2] for t in qgis_types]


def test_columnar_reader_equals_qgis_reader(tmp_path):
    path = _villages(tmp_path / "villages.gpkg")
    layer = QgsVectorLayer(path, "villages", "ogr")
    table = arrow_point_columns(path, layer, None)
    assert table is None  # booleans: GDAL 3.6 unpacks Arrow's bit-packed booleans wrongly, QGIS reads them
    table = arrow_point_columns(path, layer, [name for name, *_ in FIELDS if name != "active"])
    assert table is not None
    fids, xy, columns = table
    features = list(layer.getFeatures())
    assert fids.tolist() == [f.id() for f in features]
    for feature, x, y in zip(features, xy[:, 0], xy[:, 1]):
        if feature.geometry().isNull():
            assert np.isnan(x) and np.isnan(y)
        else:
            assert (x, y) == (feature.geometry().asPoint().x(), feature.geometry().asPoint().y())
    for name, *_ in FIELDS:
        if name != "active":
            assert columns[name] == [qvariant_to_python(f[name]) for f in features], name
    assert set(arrow_point_columns(path, layer, ["score"])[2]) == {"score"}
    # What the columnar reader cannot serve exactly goes to QGIS's reader.
    layer.setSubsetString('"population" > 100')
    assert arrow_point_columns(path, layer, ["score"]) is None
    multi = _villages(tmp_path / "multi.gpkg", ogr.wkbMultiPoint)
    assert arrow_point_columns(multi, QgsVectorLayer(multi, "multi", "ogr"), ["score"]) is None
    memory = layer.materialize(QgsFeatureRequest())
    assert arrow_point_columns(memory, memory, ["score"]) is None


def test_smallest_value_within_equals_a_search_over_every_pair():
    rng = np.random.default_rng(7)
    geodesy = Geodesy("EPSG:32636")
    from shapely.geometry import LineString

    lines = []
    for _ in range(60):
        start = rng.uniform([480_000, 980_000], [520_000, 1_020_000])
        steps = rng.normal(0, 800, (rng.integers(2, 12), 2))
        lines.append(LineString(np.vstack((start, start + np.cumsum(steps, axis=0)))))
    values = rng.integers(0, 40, len(lines)).astype(float)
    values[::7] = np.nan  # never counts
    x = rng.uniform(475_000, 525_000, 3000)
    y = rng.uniform(975_000, 1_025_000, 3000)
    lon, lat = geodesy.to_lonlat(x, y)
    segments = Segments.from_lines(geodesy, lines)
    distance = 1500.0
    got = smallest_value_within(geodesy, lon, lat, segments, distance, values, bands=5, chunk=700)

    xyz = geodesy.ecef(lon, lat)
    d, _ = _point_segment(xyz[:, None, :], segments.start[None, :, :], segments.end[None, :, :])
    expected = np.full(lon.size, np.inf)
    for piece in range(segments.size):
        value = values[segments.owner[piece]]
        if np.isfinite(value):
            near = d[:, piece] <= distance
            expected[near] = np.minimum(expected[near], value)
    assert np.isfinite(expected).sum() > 300 and np.isinf(expected).sum() > 300
    assert np.array_equal(got, expected)


@pytest.mark.parametrize("view", ["edited", "subset", "selected"])
def test_a_layer_shown_otherwise_than_its_file_is_read_as_qgis_shows_it(tmp_path, view):
    from qgis.core import QgsProcessingContext, QgsProcessingFeatureSourceDefinition, QgsProcessingFeedback, QgsProject

    from mission_early_warning.processing.feature_io import Geometry, ReadOptions, read_input
    from mission_early_warning.processing.patrolcoverage import PatrolCoverageAlgorithm

    path = _villages(tmp_path / "villages.gpkg", skip=("active",))
    layer = QgsVectorLayer(path, "villages", "ogr")
    value = layer
    if view == "edited":  # changes not saved: the file still holds the old features
        assert layer.startEditing()
        first, second = [f.id() for f in layer.getFeatures()][:2]
        layer.changeGeometry(first, QgsGeometry.fromPointXY(QgsPointXY(510_000.0, 1_010_000.0)))
        layer.changeAttributeValue(first, layer.fields().lookupField("score"), 42.0)
        layer.deleteFeature(second)
    elif view == "subset":
        layer.setSubsetString('"population" > 1000')
    else:
        QgsProject.instance().addMapLayer(layer)
        layer.selectByIds([f.id() for f in layer.getFeatures() if f["name"] in ("Kauda", "Talodi")])
        value = QgsProcessingFeatureSourceDefinition(layer.id(), True)
    algorithm = PatrolCoverageAlgorithm()
    algorithm.initAlgorithm()
    context = QgsProcessingContext()
    context.setProject(QgsProject.instance())
    try:
        read = read_input(
            algorithm,
            {"VILLAGES": value},
            "VILLAGES",
            context,
            QgsProcessingFeedback(),
            ReadOptions(Geometry.POINTS, ("score",)),
        )
        shown = list(layer.selectedFeatures() if view == "selected" else layer.getFeatures())
        assert read is not None and not read.columnar
        assert read.ids.tolist() == [f.id() for f in shown]
        assert read.columns["score"] == [qvariant_to_python(f["score"]) for f in shown]
        points = [
            None if f.geometry().isNull() else (f.geometry().asPoint().x(), f.geometry().asPoint().y()) for f in shown
        ]
        assert [None if np.isnan(x) else (x, y) for x, y in read.xy.tolist()] == points
        assert len(read) < len(ROWS) or 42.0 in read.columns["score"]  # not the file's features
    finally:
        if view == "edited":
            layer.rollBack()
        if view == "selected":
            QgsProject.instance().removeMapLayer(layer.id())
