"""Incidents at the edges: the epoch as a date, implausible periods and extents, weights that are not numbers."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
import rasterio
from qgis.core import (
    QgsApplication,
    QgsFeature,
    QgsGeometry,
    QgsPointXY,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsVectorLayer,
)

from mission_early_warning.core.density import date_mask
from mission_early_warning.core.timesteps import parse_dates


def point_layer(crs: str, points, fields: str = "", values=None) -> QgsVectorLayer:
    """A memory point layer: ``fields`` as in a memory URI (``field=day:string``), one value row per point."""
    layer = QgsVectorLayer(f"Point?crs={crs}{fields}", "incidents", "memory")
    features = []
    for k, (x, y) in enumerate(points):
        feature = QgsFeature(layer.fields())
        feature.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(x, y)))
        if values is not None:
            feature.setAttributes(list(values[k]))
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    return layer


# --- 1970-01-01 is a date -----------------------------------------------------------------------------------------
def test_the_epoch_is_a_date_not_a_missing_one():
    from datetime import date, datetime

    values = [
        "1970-01-01",
        "1 January 1970",
        np.datetime64("1970-01-01"),
        datetime(1970, 1, 1, 0, 0),
        date(1970, 1, 1),
        "1970-01-02",
        None,
        "not a date",
    ]
    days, dated = parse_dates(values)
    assert dated.tolist() == [True] * 6 + [False, False]
    assert (days[:5] == np.datetime64("1970-01-01")).all()
    texts = ["1970-01-01"] * 150 + ["1970-01-02"] * 150
    assert int(date_mask(texts, date(1969, 12, 31), date(1970, 1, 31)).sum()) == 300
    assert int(date_mask(texts, date(1970, 1, 2), None).sum()) == 150


def test_a_period_keeps_the_incidents_of_1970_01_01(mew, tmp_path):
    points = [(400_000.0 + 37.0 * k, 1_600_000.0 + 53.0 * (k % 17)) for k in range(300)]
    days = [("1970-01-01",) if k % 2 else ("1970-01-02",) for k in range(300)]
    layer = point_layer("EPSG:32630", points, "&field=day:string", days)
    out = mew.run(
        "mew:incidentdensity",
        {
            "INPUT": layer,
            "RADIUS": 1000,
            "PIXEL_SIZE": 100,
            "DATE_FIELD": "day",
            "START": "1969-12-01",
            "END": "1970-01-31",
            "OUTPUT": str(tmp_path / "epoch.tif"),
        },
    )
    with rasterio.open(out["OUTPUT"]) as dataset:
        assert dataset.tags()["MEW_POINTS"] == "300"


def test_emerging_hot_spots_count_the_epoch_in_its_time_step(mew, tmp_path):
    rng = np.random.default_rng(1970)
    points = [(400_000.0 + x, 1_600_000.0 + y) for x, y in rng.uniform(0, 20_000, (400, 2))]
    days = [(f"1970-01-{k % 12 + 1:02d}",) for k in range(400)]
    layer = point_layer("EPSG:32630", points, "&field=day:string", days)
    out = mew.run(
        "mew:emerginghotspots",
        {
            "INPUT": layer,
            "DATE_FIELD": "day",
            "TIME_STEP": "1 day",
            "CELL_SIZE": 2000,
            "DISTANCE_BAND": 4000,
            "OUTPUT": str(tmp_path / "emerging.gpkg"),
        },
    )
    cells = QgsVectorLayer(out["OUTPUT"], "cells", "ogr")
    assert sum(f["count"] for f in cells.getFeatures()) == 400
    assert out["TIME_STEPS"] == 12


# --- no runaway on absurd dates -----------------------------------------------------------------------------------
def test_a_date_in_9999_is_named_instead_of_building_95_000_time_steps():
    from mission_early_warning.core.errors import MewError
    from mission_early_warning.core.timesteps import MAX_TIME_STEPS, parse_time_step

    days = np.array(["2024-01-15"] * 40 + ["2024-06-30"] * 40 + ["9999-12-31"], dtype="datetime64[D]")
    labels = [f"fid {k + 1}" for k in range(days.size)]
    with pytest.raises(MewError) as error:
        parse_time_step("1 month").index(days, labels)
    message = str(error.value)
    # months 2024-01 … 9999-12: (9999 - 2024) × 12 + 12 = 95,712
    assert message.startswith(
        "Incident fid 81 dated 9999-12-31 stretches the period to 95,712 time steps of 1 month "
        "(2024-01-15 to 9999-12-31)"
    )
    assert f"the limit is {MAX_TIME_STEPS}" in message and "START/END" in message

    many = np.concatenate([days[:-1], np.array(["0001-01-01", "0002-03-04", "9999-12-31"], dtype="datetime64[D]")])
    with pytest.raises(
        MewError,
        match=r"^3 incidents lie outside the 600 time steps that hold the other 80: "
        r"incident #83 dated 9999-12-31, incident #81 dated 0001-01-01, "
        r"incident #82 dated 0002-03-04\. They stretch",
    ):  # farthest first
        parse_time_step("1 month").index(many)

    spread = np.arange(np.datetime64("2000-01-01"), np.datetime64("2010-01-01"))  # ten years of daily incidents
    with pytest.raises(MewError, match=r"span 3,653 time steps of 1 day .*\(at least 7 days\)"):
        parse_time_step("1 day").index(spread)
    index, starts = parse_time_step("1 week").index(spread)  # 522 weeks fit
    assert len(starts) == 522 and index.max() == 521


def test_emerging_hot_spots_refuse_a_date_in_9999_at_once_and_keep_a_period(mew, tmp_path):
    import time

    rng = np.random.default_rng(9999)
    points = [(400_000.0 + x, 1_600_000.0 + y) for x, y in rng.uniform(0, 20_000, (300, 2))]
    days = [(f"2024-{k % 12 + 1:02d}-15",) for k in range(299)] + [("9999-12-31",)]
    layer = point_layer("EPSG:32630", points, "&field=day:string", days)
    parameters = {
        "INPUT": layer,
        "DATE_FIELD": "day",
        "TIME_STEP": "1 month",
        "CELL_SIZE": 2000,
        "DISTANCE_BAND": 4000,
        "OUTPUT": str(tmp_path / "emerging.gpkg"),
    }
    started = time.perf_counter()
    with pytest.raises(QgsProcessingException, match="Incident fid 300 dated 9999-12-31 stretches the period"):
        mew.run("mew:emerginghotspots", parameters)
    assert time.perf_counter() - started < 30  # a guard against the runaway, not a performance measure
    assert not (tmp_path / "emerging.gpkg").exists()

    out = mew.run("mew:emerginghotspots", {**parameters, "END": "2024-12-31"})
    assert out["TIME_STEPS"] == 12
    assert _total(out["OUTPUT"], "count") == 299


def _total(path: str, field: str) -> float:
    """The sum of a field over a layer file. In a helper: a test frame that caught an exception lives on
    through its traceback, and a layer file open in it would be closed after QGIS has exited (a crash)."""
    layer = QgsVectorLayer(path, "layer", "ogr")
    return sum(f[field] for f in layer.getFeatures())


def test_a_space_time_cube_is_sized_before_it_is_built():
    from mission_early_warning.core.emerging import MAX_CUBE_BINS, cube_counts
    from mission_early_warning.core.errors import MewError
    from mission_early_warning.core.getis_ord_grid import Grid

    grid = Grid("fishnet", 0.0, 0.0, 100.0, 2000, 1000)  # 2 million cells of 100 m
    none = np.zeros(0, dtype=np.int64)
    with pytest.raises(MewError) as error:
        cube_counts(grid, none, none, none, 600)
    message = str(error.value)
    assert "600 time steps × 2,000 × 1,000 cells = 1,200,000,000 bins" in message
    assert f"the limit is {MAX_CUBE_BINS:,}" in message
    assert "CELL_SIZE of at least 775" in message  # 100 m × √(1.2e9 / 2e7) = 774.6 m
    assert cube_counts(grid, none, none, none, 10).shape == (10, 2000, 1000)


# --- impossible coordinates never shape an extent ------------------------------------------------------------------
class Messages(QgsProcessingFeedback):
    """A feedback that keeps the warnings it is given."""

    def __init__(self) -> None:
        super().__init__()
        self.warnings: list[str] = []

    def pushWarning(self, warning):
        self.warnings.append(warning)
        super().pushWarning(warning)


def _mali(count: int = 120):
    rng = np.random.default_rng(14)
    return [(float(x), float(y)) for x, y in zip(rng.uniform(-4.0, -3.6, count), rng.uniform(14.0, 14.4, count))]


def test_impossible_coordinates_are_reported_and_never_shape_the_density_grid(mew, tmp_path):
    valid = _mali()
    wrong = [(500.0, 14.2), (-3.8, 95.0), (-3.9, -1e9)]  # fids 121, 122, 123
    runs = {}
    for name, points in (("valid", valid), ("with_wrong", valid + wrong)):
        feedback = Messages()
        out = mew.run(
            "mew:incidentdensity",
            {
                "INPUT": point_layer("EPSG:4326", points),
                "RADIUS": 2000,
                "PIXEL_SIZE": 250,
                "OUTPUT": str(tmp_path / f"{name}.tif"),
            },
            feedback=feedback,
        )
        with rasterio.open(out["OUTPUT"]) as dataset:
            runs[name] = (
                dataset.width,
                dataset.height,
                dataset.transform,
                dataset.tags()["MEW_POINTS"],
                feedback.warnings,
            )
    assert runs["with_wrong"][:4] == runs["valid"][:4]
    assert runs["valid"][3] == "120"
    assert any(
        "3 incidents have impossible coordinates" in w and "feature ids 121, 122, 123" in w
        for w in runs["with_wrong"][4]
    ), runs["with_wrong"][4]


def test_impossible_coordinates_are_reported_and_never_shape_the_hot_spot_grid(mew, tmp_path):
    valid = _mali(300)
    cells = {}
    for name, points in (("valid", valid), ("with_wrong", [*valid, (500.0, 14.2), (-3.8, 95.0)])):
        feedback = Messages()
        out = mew.run(
            "mew:hotspots",
            {
                "INPUT": point_layer("EPSG:4326", points),
                "CELL_SIZE": 2000,
                "DISTANCE_BAND": 5000,
                "OUTPUT": str(tmp_path / f"{name}.gpkg"),
            },
            feedback=feedback,
        )
        layer = QgsVectorLayer(out["OUTPUT"], name, "ogr")
        cells[name] = (layer.featureCount(), layer.extent().toString(3), sum(f["count"] for f in layer.getFeatures()))
        if name == "with_wrong":
            assert any("2 incidents have impossible coordinates" in w and "301, 302" in w for w in feedback.warnings)
    assert cells["with_wrong"] == cells["valid"]
    assert cells["valid"][2] == 300


# --- every grid is sized before it is built ---------------------------------------------------------------------
def test_a_study_area_far_from_the_incidents_is_refused_at_once_with_the_distance(mew, tmp_path):
    import time

    rng = np.random.default_rng(5000)
    points = [(400_000.0 + x, 1_600_000.0 + y) for x, y in rng.uniform(0, 50_000, (300, 2))]
    far = QgsVectorLayer("Polygon?crs=EPSG:32630", "far", "memory")
    feature = QgsFeature()
    feature.setGeometry(
        QgsGeometry.fromWkt(
            "POLYGON((5400000 1600000, 5700000 1600000, 5700000 1900000, 5400000 1900000, 5400000 1600000))"
        )
    )
    far.dataProvider().addFeatures([feature])
    started = time.perf_counter()
    for algorithm, extra in (("mew:hotspots", {}), ("mew:emerginghotspots", {"DATE_FIELD": "day"})):
        layer = point_layer(
            "EPSG:32630", points, "&field=day:string", [(f"2024-{k % 12 + 1:02d}-01",) for k in range(300)]
        )
        with pytest.raises(
            QgsProcessingException,
            match=r"None of the 300 incidents lies inside the STUDY_AREA "
            r"\(4,95\d km apart",
        ):
            mew.run(algorithm, {"INPUT": layer, "STUDY_AREA": far, **extra, "OUTPUT": str(tmp_path / "far.gpkg")})
    assert time.perf_counter() - started < 30  # it once ran 58 s and then asked for 278 TiB
    assert not (tmp_path / "far.gpkg").exists()


def test_incidents_outside_the_study_area_are_counted_in_a_message():
    from shapely.geometry import box

    from mission_early_warning.core.getis_ord_study_area import analysis_grid

    xy = np.column_stack([np.arange(100) * 100.0, np.arange(100) * 50.0])  # (0, 0) … (9900, 4950)
    setup = analysis_grid("fishnet", xy, 500.0, [box(0, 0, 4_990, 5_000)])
    assert "50 of 100 incidents lie outside the study area and are not counted." in setup.messages


def test_a_band_longer_than_the_grid_costs_nothing_and_changes_nothing():
    import time

    from mission_early_warning.core.getis_ord import gi_star_grid
    from mission_early_warning.core.getis_ord_grid import Grid

    grid = Grid("hexagon", 0.0, 0.0, 1000.0, 40, 50)
    values = np.random.default_rng(3).poisson(2.0, grid.shape).astype(float)
    inside = np.ones(grid.shape, dtype=bool)
    inside[:5, :7] = False
    diagonal = 1000.0 * np.hypot(40 * np.sqrt(3) / 2, 50)
    started = time.perf_counter()
    absurd = gi_star_grid(values, inside, grid, 3.09e10)
    assert time.perf_counter() - started < 10
    whole = gi_star_grid(values, inside, grid, diagonal * 1.001)
    np.testing.assert_array_equal(absurd.neighbours, whole.neighbours)
    assert int(absurd.neighbours[inside].min()) == int(inside.sum())  # every analysed cell sees all the others
    np.testing.assert_array_equal(absurd.z, whole.z)


def test_a_hot_spot_grid_too_fine_for_its_study_area_names_a_cell_size_that_fits():
    from shapely.geometry import box

    from mission_early_warning.core.errors import MewError
    from mission_early_warning.core.getis_ord_study_area import MAX_CELLS, analysis_grid

    xy = np.random.default_rng(4).uniform(0, 1_000_000, (500, 2))
    area = [box(0, 0, 1_000_000, 1_000_000)]
    with pytest.raises(MewError) as error:
        analysis_grid("fishnet", xy, 100.0, area)
    message = str(error.value)
    assert "spans 1,000,000 × 1,000,000" in message and f"the limit is {MAX_CELLS:,}" in message
    assert "about 100,040,004 cells" in message  # (1e6 / 100 + 2)²
    fitting = float(message.split("CELL_SIZE of at least ")[1].split()[0].replace(",", ""))
    assert fitting == 452  # √(1e12 / 5e6) = 447.2, plus 1 %
    setup = analysis_grid("fishnet", xy, fitting, area)
    assert setup.grid.rows * setup.grid.cols <= MAX_CELLS


def test_a_density_grid_is_sized_before_it_is_written(tmp_path):
    from mission_early_warning.core.density import MAX_DENSITY_PIXELS, Grid, KernelSettings, write_density
    from mission_early_warning.core.errors import MewError

    x = np.array([400_000.0, 401_000.0, 402_000.0, 5_400_000.0])  # one incident 5,000 km north-east
    y = np.array([1_600_000.0, 1_601_000.0, 1_600_500.0, 6_600_000.0])
    with pytest.raises(MewError) as error:
        write_density(str(tmp_path / "d.tif"), x, y, "EPSG:32630", KernelSettings(5000.0), 100.0)
    message = str(error.value)
    # (5,000 km + 2 × 5 km) / 100 m + 1 = 50,101 pixels each way
    assert message.startswith(
        f"The density grid would be 50,101 × 50,101 pixels (2,510,110,201); the limit is "
        f"{MAX_DENSITY_PIXELS:,}. It covers the incidents' extent, 5,000.0 km × 5,000.0 km"
    )
    assert "PIXEL_SIZE of at least 251 m" in message  # 100 m × √(2.51e9 / 4e8) = 250.5 m
    assert Grid.like_qgis_heatmap(x.min(), y.min(), x.max(), y.max(), 5000.0, 251.0).cells <= MAX_DENSITY_PIXELS
    assert not list(tmp_path.iterdir())


# --- weights that are not numbers -------------------------------------------------------------------------------
def test_weights_read_as_qgis_reads_them_and_bad_values_are_named():
    from mission_early_warning.core.density import incident_weights

    weights, warnings = incident_weights(
        [2, None, float("nan"), "3.5", float("inf"), "many", 0], "fatalities", [11, 12, 13, 14, 15, 16, 17]
    )
    assert weights.tolist() == [2.0, 0.0, 0.0, 3.5, 0.0, 0.0, 0.0]
    assert warnings == [
        "1 of 7 incidents have a NULL 'fatalities': counted as 0, as QGIS's heatmap does.",
        "3 incidents have a 'fatalities' that is not a finite number (NaN, infinite or text) and count as 0: feature "
        "ids 13, 15, 16. Correct or filter them.",
    ]
    weights, warnings = incident_weights([None] * 4, "fatalities")
    assert not weights.any() and len(warnings) == 1
    assert warnings[0].startswith("Every value of the weight field 'fatalities' is NULL")
    assert incident_weights([0, 0.0], "f")[1][0].startswith("Every incident's 'f' is 0")
    assert incident_weights([1, 2.5], "f")[1] == []


def test_nan_weights_are_refused_by_the_engine(tmp_path):
    from mission_early_warning.core.density import KernelSettings, write_density
    from mission_early_warning.core.errors import MewError

    x, y = np.array([0.0, 100.0, 200.0]), np.array([0.0, 50.0, 0.0])
    with pytest.raises(MewError, match=r"1 weights are NaN or infinite \(positions 1\)"):
        write_density(
            str(tmp_path / "nan.tif"), x, y, "EPSG:32630", KernelSettings(500.0), 50.0, weights=np.array([1, np.nan, 2])
        )


def test_density_and_hot_spots_warn_about_null_and_nan_weights(mew, tmp_path):
    rng = np.random.default_rng(22)
    points = [(400_000.0 + x, 1_600_000.0 + y) for x, y in rng.uniform(0, 20_000, (200, 2))]
    nan_rows = {5, 77}
    values = [(float("nan") if k in nan_rows else float(k % 3),) for k in range(200)]
    layer = point_layer("EPSG:32630", points, "&field=deaths:double", values)
    nulls = point_layer("EPSG:32630", points, "&field=deaths:double", [(None,)] * 200)
    for algorithm, parameters in (
        ("mew:incidentdensity", {"RADIUS": 2000, "PIXEL_SIZE": 200, "OUTPUT": str(tmp_path / "d.tif")}),
        ("mew:hotspots", {"CELL_SIZE": 2000, "DISTANCE_BAND": 5000, "OUTPUT": str(tmp_path / "h.gpkg")}),
    ):
        feedback = Messages()
        mew.run(algorithm, {"INPUT": layer, "WEIGHT_FIELD": "deaths", **parameters}, feedback=feedback)
        assert any(
            "2 incidents have a 'deaths' that is not a finite number" in w and "feature ids 6, 78" in w
            for w in feedback.warnings
        ), (algorithm, feedback.warnings)
        feedback = Messages()
        if algorithm == "mew:hotspots":  # Gi* cannot run on all-zero counts: it says so after the warning
            with pytest.raises(QgsProcessingException, match=r"All grid cells are equal \(0\)"):
                mew.run(algorithm, {"INPUT": nulls, "WEIGHT_FIELD": "deaths", **parameters}, feedback=feedback)
        else:
            mew.run(algorithm, {"INPUT": nulls, "WEIGHT_FIELD": "deaths", **parameters}, feedback=feedback)
        assert any("Every value of the weight field 'deaths' is NULL" in w for w in feedback.warnings), algorithm
    with rasterio.open(tmp_path / "d.tif") as dataset:
        assert dataset.read(1).max() == 0.0  # the all-NULL run wrote a zero raster, with the warning


def test_the_exact_density_method_is_kept_to_grids_it_can_hold(tmp_path):
    from mission_early_warning.core.density import (
        EXACT_MAX_PIXELS,
        Kernel,
        KernelSettings,
        Method,
        choose_method,
        write_density,
    )
    from mission_early_warning.core.errors import MewError

    uniform = KernelSettings(500.0, Kernel.UNIFORM)
    assert choose_method(Method.FAST, uniform, 10, 100.0, EXACT_MAX_PIXELS) is Method.EXACT
    assert choose_method(Method.FAST, uniform, 10, 100.0, EXACT_MAX_PIXELS + 1) is Method.FAST
    x, y = np.array([0.0, 800_000.0]), np.array([0.0, 800_000.0])  # 100 m pixels: 8,011 × 8,011 = 64 million
    with pytest.raises(
        MewError,
        match=r"8,011 × 8,011 = 64,176,121 pixels\) in memory; its limit is 50,000,000\. "
        r"Use the fast method, or a PIXEL_SIZE of at least 114 m",
    ):
        write_density(
            str(tmp_path / "exact.tif"), x, y, "EPSG:32630", KernelSettings(500.0), 100.0, method=Method.EXACT
        )
    assert not list(tmp_path.iterdir())


# --- the officer's first run: the package's raw incident table, the dock's defaults --------------------------------
def test_density_on_a_raw_csv_with_a_wild_and_a_swapped_row_is_refused_before_any_grid_exists(
    mew, demo_mission, tmp_path
):
    """The dock once filled in the package's raw CSV, and *Incident density* with its defaults wrote a 6.2 GB grid:
    one row at longitude -400 and one with latitude and longitude swapped stretched the extent across Africa.

    The row at -400 is left out (and named); the swapped row is a real place 2,100 km away, so the grid it
    would need (about 21,500 × 21,500 pixels of 100 m) is refused before anything is allocated, with the
    numbers and what to change. The dock itself no longer offers the raw table to the incident analyses.
    """
    import json
    import time

    from qgis.core import QgsProject

    from mission_early_warning.core.mission_package.package import open_package
    from mission_early_warning.ui.analyses import analysis, needs_import, preset_parameters
    from mission_early_warning.ui.mission_loader import load_mission
    from mission_early_warning.ui.mission_outputs import output_destinations, outputs_folder

    rng = np.random.default_rng(400)
    lons, lats = rng.uniform(-4.8, -3.0, 200), rng.uniform(13.6, 15.4, 200)  # the demo mission's AO
    rows = [f"MLI{k:05d},2026-10-01,{lat:.5f},{lon:.5f}\n" for k, (lon, lat) in enumerate(zip(lons, lats))]
    wild = "MLI-WILD,2026-10-02,14.50000,-400.00000\n"
    swapped = "MLI-SWAP,2026-10-03,-3.90000,14.50000\n"  # latitude and longitude swapped
    header = "event_id_cnty,event_date,latitude,longitude\n"
    package_dir = tmp_path / "package"
    package_dir.mkdir()
    (package_dir / "incidents.csv").write_text(header + "".join(rows) + wild + swapped, encoding="utf-8")
    entry = {**demo_mission.layer_entry("incidents"), "path": "incidents.csv"}
    entry["fields"] = {key: entry["fields"][key] for key in ("id", "date", "latitude", "longitude")}
    manifest = {"mission": "Raw CSV", "classification": "X", "crs": "EPSG:32630", "layers": [entry]}
    (package_dir / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    package = open_package(package_dir)

    spec = analysis("mew:incidentdensity")
    assert needs_import(spec, package, {})  # the dock steers to Import incidents first
    algorithm = QgsApplication.processingRegistry().algorithmById("mew:incidentdensity")
    folder = outputs_folder(package)
    folder.mkdir()
    outputs = output_destinations(algorithm, folder, dt.datetime(2026, 12, 3, 9, 15), set())

    def dock_parameters() -> dict:
        """What the dock fills in once the mission is loaded: the loaded table, its outputs folder."""
        project = QgsProject.instance()
        project.clear()
        load_mission(package, [], project)
        return {**preset_parameters(spec, package, project), **outputs}

    parameters = dock_parameters()
    assert set(parameters) == {"INPUT", "OUTPUT"}  # every other parameter keeps the algorithm's default
    assert QgsProject.instance().mapLayer(parameters["INPUT"]).providerType() == "delimitedtext"

    feedback = Messages()
    started = time.perf_counter()
    with pytest.raises(QgsProcessingException) as error:
        mew.run("mew:incidentdensity", parameters, feedback=feedback)
    assert time.perf_counter() - started < 30  # refused before a grid exists, not after writing one
    message = str(error.value)
    assert "The density grid would be " in message and "; the limit is 400,000,000." in message, message
    assert "plus the radius (5000 m)" in message and "PIXEL_SIZE of at least" in message
    assert "leave out the incidents far from the others (check their coordinates)" in message
    assert any("impossible coordinates" in w for w in feedback.warnings), feedback.warnings
    assert list(folder.iterdir()) == []

    (package_dir / "incidents.csv").write_text(header + "".join(rows) + wild, encoding="utf-8")  # swap corrected
    out = mew.run("mew:incidentdensity", dock_parameters())
    QgsProject.instance().clear()
    with rasterio.open(out["OUTPUT"]) as dataset:
        assert dataset.tags()["MEW_POINTS"] == "200"
        # 1.8° × 1.8° of Mali plus the 5 km radius on each side, in 100 m pixels: about 2,000 × 2,000
        assert dataset.width < 2_200 and dataset.height < 2_200
