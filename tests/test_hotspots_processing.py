"""mew:hotspots and mew:emerginghotspots through Processing: planted truth, references, errors, qgis_process."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from qgis.core import (
    QgsCoordinateTransformContext,
    QgsFeature,
    QgsGeometry,
    QgsPointXY,
    QgsProcessingException,
    QgsVectorFileWriter,
    QgsVectorLayer,
)
from shapely import wkb
from shapely.geometry import Point

from mission_early_warning.core.getis_ord import CONFIDENCE_ALPHAS, gi_star_features, gi_star_grid
from mission_early_warning.core.getis_ord_band import automatic_grid_band
from mission_early_warning.core.getis_ord_grid import count_points
from mission_early_warning.core.getis_ord_study_area import analysis_grid
from mission_early_warning.core.getis_ord_weights import distance_weights
from mission_early_warning.qgis_compat import make_fields

warnings.filterwarnings("ignore", message="geopandas not available")

# Rows with a readable location; the bad rows the generator plants are the importer's business.
SANE_LONLAT = '"latitude" > 5 and "latitude" < 25 and "longitude" > -10 and "longitude" < 5'


@pytest.fixture(scope="module")
def incidents(demo_mission, tmp_path_factory):
    """The demo incidents as a GeoPackage (EPSG:4326, ACLED text dates), via QGIS's CSV reader."""
    layer = QgsVectorLayer(demo_mission.incidents_uri(), "incidents", "delimitedtext")
    assert layer.isValid()
    layer.setSubsetString(SANE_LONLAT)
    path = tmp_path_factory.mktemp("hotspots") / "incidents.gpkg"
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    error = QgsVectorFileWriter.writeAsVectorFormatV3(layer, str(path), QgsCoordinateTransformContext(), options)
    assert error[0] == QgsVectorFileWriter.WriterError.NoError, error
    return str(path)


def features(path: str) -> list[QgsFeature]:
    layer = QgsVectorLayer(path, "out", "ogr")
    assert layer.isValid(), path
    return list(layer.getFeatures())


def centre_distance(feature: QgsFeature, x: float, y: float) -> float:
    return feature.geometry().centroid().asPoint().distance(QgsPointXY(x, y))


def test_planted_hotspots_are_hot(mew, incidents, demo_mission, tmp_path):
    out = str(tmp_path / "hot.gpkg")
    result = mew.run("mew:hotspots", {"INPUT": incidents, "GRID": "fishnet", "OUTPUT": out})
    assert result["CELL_SIZE"] > 0 and result["DISTANCE_BAND"] > 0  # chosen from the data and reported
    cells = features(out)
    reopened = QgsVectorLayer(out, "reopened", "ogr")  # the GeoPackage keeps its style as the default
    assert reopened.renderer().type() == "categorizedSymbol" and reopened.renderer().classAttribute() == "Gi_Bin"
    for spot in demo_mission.truth["hotspots"]:
        inside = [f for f in cells if centre_distance(f, *spot["center"]) <= spot["radius_m"]]
        assert inside, spot["name"]
        assert all(f["Gi_Bin"] >= 2 for f in inside), (spot["name"], [f["Gi_Bin"] for f in inside])


def test_planted_emerging_categories(mew, incidents, demo_mission, tmp_path):
    out = str(tmp_path / "emerging.gpkg")
    cube = str(tmp_path / "cube.csv")
    result = mew.run(
        "mew:emerginghotspots",
        {"INPUT": incidents, "DATE_FIELD": "event_date", "TIME_STEP": "1 month", "OUTPUT": out, "OUTPUT_CUBE": cube},
    )
    assert result["TIME_STEPS"] == demo_mission.truth["period"]["months"]
    cells = features(out)
    allowed = {
        "persistent": {"Persistent Hot Spot", "Consecutive Hot Spot", "Intensifying Hot Spot"},
        "emerging": {"New Hot Spot", "Consecutive Hot Spot", "Intensifying Hot Spot"},
        "diminishing": {"Diminishing Hot Spot", "Historical Hot Spot"},
    }
    near_any = set()
    for spot in demo_mission.truth["hotspots"]:
        inside = [f for f in cells if centre_distance(f, *spot["center"]) <= spot["radius_m"]]
        assert inside
        assert {f["CATEGORY"] for f in inside} <= allowed[spot["name"]], spot["name"]
        near_any |= {f.id() for f in cells if centre_distance(f, *spot["center"]) <= 2 * spot["radius_m"]}
    background = [f for f in cells if f.id() not in near_any]
    no_pattern = sum(f["CATEGORY"] == "No Pattern Detected" for f in background)
    assert no_pattern >= 0.9 * len(background)
    assert all(f["CAT_CODE"] == 0 for f in background if f["CATEGORY"] == "No Pattern Detected")
    table = QgsVectorLayer(cube, "cube", "ogr")
    assert table.featureCount() == len(cells) * result["TIME_STEPS"]


def test_pure_noise_rarely_yields_hot_spots():
    """20 uniform incident sets, default cell size and band, FDR on: at most 3 runs with any |Gi_Bin| ≥ 2."""
    from shapely.geometry import box

    runs_with_spots = 0
    for seed in range(20):
        xy = np.random.default_rng(seed).uniform(0, 100_000, (2500, 2))
        setup = analysis_grid("fishnet", xy, 0, [box(0, 0, 100_000, 100_000)])
        counts = count_points(setup.grid, xy[:, 0], xy[:, 1])
        band = automatic_grid_band(counts, setup.inside, setup.grid).band
        result = gi_star_grid(counts, setup.inside, setup.grid, band, fdr=True)
        runs_with_spots += bool((np.abs(result.bins) >= 2).any())
    assert runs_with_spots <= 3


def memory_layer(kind: str, shapes, values, crs="EPSG:32630") -> QgsVectorLayer:
    layer = QgsVectorLayer(f"{kind}?crs={crs}", "input", "memory")
    provider = layer.dataProvider()
    provider.addAttributes(list(make_fields([("district", "text"), ("events", "real")])))
    layer.updateFields()
    batch = []
    for i, (shape, value) in enumerate(zip(shapes, values)):
        feature = QgsFeature(layer.fields())
        feature.setGeometry(QgsGeometry.fromWkt(shape.wkt))
        feature.setAttributes([f"D{i:03d}", float(value)])
        batch.append(feature)
    provider.addFeatures(batch)
    return layer


def test_grid_none_polygons_and_points_equal_esda(mew, tmp_path):
    esda = pytest.importorskip("esda")
    libpysal = pytest.importorskip("libpysal")
    from shapely.geometry import Point, Polygon

    rng = np.random.default_rng(21)
    gx, gy = np.meshgrid(np.arange(11) * 1000.0 + 400000, np.arange(11) * 1000.0 + 1600000)
    gx = gx + rng.uniform(-300, 300, gx.shape)
    gy = gy + rng.uniform(-300, 300, gy.shape)
    polygons = [
        Polygon([(gx[i, j], gy[i, j]), (gx[i, j + 1], gy[i, j + 1]), (gx[i + 1, j + 1], gy[i + 1, j + 1]),
                 (gx[i + 1, j], gy[i + 1, j])])
        for i in range(10) for j in range(10)
    ]  # fmt: skip
    values = rng.poisson(4, len(polygons)).astype(float)
    layer = memory_layer("Polygon", polygons, values)
    centroids = np.array([[p.centroid.x, p.centroid.y] for p in polygons])
    cases = [
        ({"NEIGHBOURS": "contiguity"}, libpysal.weights.Queen.from_iterable(polygons)),
        ({"NEIGHBOURS": "knn", "K": 5}, libpysal.weights.KNN(centroids, k=5)),
        ({"NEIGHBOURS": "distance", "DISTANCE_BAND": 1600.0},
         libpysal.weights.DistanceBand(centroids, threshold=1600.0, binary=True, silence_warnings=True)),
    ]  # fmt: skip
    points = memory_layer("Point", [Point(x, y) for x, y in centroids], values)
    point_cases = [
        ({"NEIGHBOURS": "knn", "K": 6}, libpysal.weights.KNN(centroids, k=6)),
        ({"NEIGHBOURS": "distance", "DISTANCE_BAND": 1500.0},
         libpysal.weights.DistanceBand(centroids, threshold=1500.0, binary=True, silence_warnings=True)),
    ]  # fmt: skip
    for source, case_list in ((layer, cases), (points, point_cases)):
        for extra, w in case_list:
            out = mew.run(
                "mew:hotspots",
                {"INPUT": source, "GRID": "none", "VALUE_FIELD": "events", "FDR": False, "OUTPUT": "memory:", **extra},
            )["OUTPUT"]
            got = list(out.getFeatures())
            assert [f["district"] for f in got] == [f"D{i:03d}" for i in range(len(values))]  # ids carried over
            reference = esda.G_Local(values, w, star=True, transform="B", permutations=0).Zs
            np.testing.assert_allclose([f["GiZScore"] for f in got], reference, atol=1e-9, err_msg=str(extra))


def test_grid_with_irregular_study_area_equals_esda(mew, tmp_path):
    esda = pytest.importorskip("esda")
    libpysal = pytest.importorskip("libpysal")
    from shapely.geometry import Point

    rng = np.random.default_rng(8)
    centre = Point(450000, 1650000)
    area = centre.buffer(20000).difference(Point(455000, 1650000).buffer(6000))  # a ring-like study area
    pts = [Point(xy) for xy in rng.normal((450000, 1650000), 9000, (3000, 2))]
    incidents = memory_layer("Point", pts, np.ones(len(pts)))
    study = memory_layer("Polygon", [area], [0.0])
    out = mew.run(
        "mew:hotspots",
        {"INPUT": incidents, "GRID": "hexagon", "CELL_SIZE": 2000.0, "DISTANCE_BAND": 5000.0,
         "STUDY_AREA": study, "FDR": False, "OUTPUT": "memory:"},
    )["OUTPUT"]  # fmt: skip
    cells = list(out.getFeatures())
    centres = np.array([[f.geometry().centroid().asPoint().x(), f.geometry().centroid().asPoint().y()] for f in cells])
    assert all(area.contains(Point(c)) for c in centres)
    counts = np.array([f["count"] for f in cells])
    assert counts.sum() == sum(area.contains(p) for p in pts) or counts.sum() <= len(pts)
    w = libpysal.weights.DistanceBand(centres, threshold=5000.0, binary=True, silence_warnings=True)
    reference = esda.G_Local(counts, w, star=True, transform="B", permutations=0).Zs
    np.testing.assert_allclose([f["GiZScore"] for f in cells], reference, atol=1e-9)
    # The bins follow the confidence levels of the p-values (no FDR here).
    for f in cells:
        p, expected = f["GiPValue"], 0
        for level, alpha in zip((3, 2, 1), CONFIDENCE_ALPHAS):
            if p < alpha:
                expected = level
                break
        assert f["Gi_Bin"] == expected * int(np.sign(f["GiZScore"]))


def test_clear_errors(mew, incidents):
    with pytest.raises(QgsProcessingException, match="VALUE_FIELD"):
        mew.run("mew:hotspots", {"INPUT": incidents, "GRID": "none", "OUTPUT": "memory:"})
    with pytest.raises(QgsProcessingException, match="need polygons"):
        mew.run(
            "mew:hotspots",
            {"INPUT": incidents, "GRID": "none", "VALUE_FIELD": "fatalities", "NEIGHBOURS": "contiguity",
             "OUTPUT": "memory:"},
        )  # fmt: skip
    with pytest.raises(QgsProcessingException, match="TIME_STEP"):
        mew.run(
            "mew:emerginghotspots",
            {"INPUT": incidents, "DATE_FIELD": "event_date", "TIME_STEP": "fortnightly", "OUTPUT": "memory:"},
        )
    with pytest.raises(QgsProcessingException, match=r"limit is 5,000,000\. Use a CELL_SIZE of at least \d+"):
        mew.run("mew:hotspots", {"INPUT": incidents, "CELL_SIZE": 10.0, "OUTPUT": "memory:"})
    with pytest.raises(QgsProcessingException, match=r"not a date|No value"):
        mew.run("mew:emerginghotspots", {"INPUT": incidents, "DATE_FIELD": "notes", "OUTPUT": "memory:"})


def test_qgis_process_runs_hotspots(run_qgis_process, incidents, tmp_path):
    out = tmp_path / "qp_hot.shp"
    done = run_qgis_process(
        "run", "mew:hotspots", "--", f"INPUT={incidents}", "GRID=hexagon", "CELL_SIZE=5000", f"OUTPUT={out}"
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert out.exists() and out.with_suffix(".qml").exists()  # styled for whoever opens it
    cells = features(str(out))
    assert max(f["Gi_Bin"] for f in cells) == 3
    shape = wkb.loads(bytes(cells[0].geometry().asWkb()))
    polygon = shape.geoms[0] if hasattr(shape, "geoms") else shape  # shapefiles read back as multipolygons
    assert len(polygon.exterior.coords) == 7  # hexagons


def test_weight_field_and_cancel(mew, tmp_path):
    from qgis.core import QgsProcessingFeedback
    from shapely.geometry import Point

    rng = np.random.default_rng(4)
    xy = rng.uniform(0, 20000, (400, 2)) + np.array([400000, 1600000])
    weights = rng.integers(0, 5, 400)
    layer = memory_layer("Point", [Point(p) for p in xy], weights)
    out = mew.run(
        "mew:hotspots",
        {"INPUT": layer, "WEIGHT_FIELD": "events", "CELL_SIZE": 2000.0, "DISTANCE_BAND": 4000.0, "OUTPUT": "memory:"},
    )["OUTPUT"]
    assert sum(f["count"] for f in out.getFeatures()) == pytest.approx(float(weights.sum()))
    feedback = QgsProcessingFeedback()
    feedback.cancel()
    target = tmp_path / "cancelled.gpkg"
    result = mew.run("mew:hotspots", {"INPUT": layer, "OUTPUT": str(target)}, feedback=feedback)
    assert result == {} or not target.exists()
    assert not target.exists() and not list(tmp_path.glob(".cancelled*"))


def test_features_without_neighbours_are_named_in_a_warning():
    xy = np.array([[0, 0], [1, 0], [0, 1], [1, 1], [100, 100.0]])
    result = gi_star_features(np.array([1.0, 2, 3, 4, 5]), distance_weights(xy, 1.5))
    assert any("1 features have no neighbours" in m and "DISTANCE_BAND" in m for m in result.messages)


def test_rerun_over_an_earlier_output_replaces_its_gi_columns(mew, tmp_path):
    """Gi* fields already in the input (an earlier output, an ArcGIS export) are replaced, not shifted."""
    rng = np.random.default_rng(5)
    xy = rng.uniform(0, 20_000, (150, 2))
    values = np.where((xy[:, 0] < 6000) & (xy[:, 1] < 6000), 40.0, 1.0) + rng.random(150)
    layer = memory_layer("Point", [Point(x, y) for x, y in xy], values)
    parameters = {"GRID": "none", "VALUE_FIELD": "events", "NEIGHBOURS": "knn", "K": 8}
    first = mew.run("mew:hotspots", {**parameters, "INPUT": layer, "OUTPUT": str(tmp_path / "first.gpkg")})
    again = mew.run("mew:hotspots", {**parameters, "INPUT": first["OUTPUT"], "OUTPUT": str(tmp_path / "again.gpkg")})
    before, after = features(first["OUTPUT"]), features(again["OUTPUT"])
    names = [f.name() for f in after[0].fields()]
    assert names.count("GiZScore") == 1 and names.count("Gi_Bin") == 1
    for a, b in zip(before, after):
        assert b["district"] == a["district"]
        assert b["GiZScore"] == pytest.approx(a["GiZScore"], abs=1e-9)
        assert b["Gi_Bin"] == a["Gi_Bin"]
    assert max(abs(f["GiZScore"]) for f in after) > 2
