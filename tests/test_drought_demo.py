"""mew:droughtindex and mew:droughtchange on the demo mission, against its planted truth."""

from __future__ import annotations

import json

import numpy as np
import pytest
import rasterio
from rasterio import features
from shapely import wkt

from mission_early_warning.core.drought import CLASS_NODATA, FLOAT_NODATA


@pytest.fixture(scope="module")
def change_run(demo_mission, mew_provider, tmp_path_factory):
    """droughtchange straight from the stack (2025 → 2026, baseline 2015–2024, cloud mask), with the sectors."""
    from qgis import processing

    out = tmp_path_factory.mktemp("drought")
    result = processing.run(
        "mew:droughtchange",
        {
            "STACK": [str(demo_mission.file("ndvi"))],
            "BEFORE_DATE": demo_mission.truth["ndvi"]["before_date"],
            "AFTER_DATE": demo_mission.truth["ndvi"]["after_date"],
            "BASELINE_START": 2015,
            "BASELINE_END": 2024,
            "MASK": str(demo_mission.file("ndvi_cloudmask")),
            "MASK_VALUES": "1",
            "ZONES": demo_mission.vector("sectors"),
            "ZONE_FIELD": "sector_id",
            "POPULATION": str(demo_mission.file("population")),
            "MIN_AREA": 100,
            "OUTPUT_DELTA": str(out / "delta.tif"),
            "OUTPUT_TRANSITIONS": str(out / "transitions.tif"),
            "OUTPUT_POLYGONS": str(out / "new_drought.gpkg"),
            "OUTPUT_SUMMARY": str(out / "summary.gpkg"),
        },
    )
    return result, out


@pytest.fixture(scope="module")
def index_run(demo_mission, mew_provider, tmp_path_factory):
    from qgis import processing

    out = tmp_path_factory.mktemp("drought_index")
    result = processing.run(
        "mew:droughtindex",
        {
            "STACK": [str(demo_mission.file("ndvi"))],
            "TARGET": demo_mission.truth["ndvi"]["after_date"],
            "BASELINE_START": 2015,
            "BASELINE_END": 2024,
            "INDEX": "vci",
            "MASK": str(demo_mission.file("ndvi_cloudmask")),
            "MASK_VALUES": "1",
            "OUTPUT": str(out / "vci.tif"),
            "OUTPUT_CLASSES": str(out / "classes.tif"),
        },
    )
    return result, out


def truth_mask(polygon_wkt: str, dataset) -> np.ndarray:
    return features.rasterize(
        [wkt.loads(polygon_wkt)], out_shape=(dataset.height, dataset.width), transform=dataset.transform
    ).astype(bool)


def test_drought_patch_is_severe_or_worse(demo_mission, index_run):
    result, out = index_run
    with rasterio.open(result["OUTPUT_CLASSES"]) as dataset:
        classes = dataset.read(1)
        patch = truth_mask(demo_mission.truth["ndvi"]["drought_patch"]["wkt"], dataset)
        table = json.loads(dataset.tags()["MEW_CLASSES"])
    assert [row["name"] for row in table] == ["extreme", "severe", "moderate", "mild", "none"]
    severe = (classes == 1) | (classes == 2)
    iou = (severe & patch).sum() / (severe | patch).sum()
    assert iou >= 0.9, iou
    assert result["TARGET_DATE"] == demo_mission.truth["ndvi"]["after_date"]
    assert len(result["BASELINE_DATES"].split(",")) == 10
    assert (out / "vci.qml").exists() and (out / "classes.qml").exists()


def test_cloud_masked_pixels_are_nodata(demo_mission, index_run):
    result, _ = index_run
    ndvi = demo_mission.truth["ndvi"]
    with rasterio.open(result["OUTPUT"]) as dataset:
        vci = dataset.read(1)
        clouds = [c for c in ndvi["clouds"] if c["date"] == ndvi["after_date"]]
        assert clouds
        for cloud in clouds:
            inside = truth_mask(cloud["wkt"], dataset)
            assert inside.sum() > 100
            assert (vci[inside] == FLOAT_NODATA).all()
        lake = truth_mask(ndvi["lake"]["wkt"], dataset)
        assert (vci[lake] == FLOAT_NODATA).all()
    with rasterio.open(result["OUTPUT_CLASSES"]) as dataset:
        classes = dataset.read(1)
    assert (classes[vci == FLOAT_NODATA] == CLASS_NODATA).all()
    # Outside clouds and the lake the background is normal (VCI 45–65 planted), never drought.
    valid = vci != FLOAT_NODATA
    assert valid.mean() > 0.9


def test_recovery_patch_is_recovered(demo_mission, change_run):
    result, _ = change_run
    with rasterio.open(result["OUTPUT_TRANSITIONS"]) as dataset:
        transitions = dataset.read(1)
        recovery = truth_mask(demo_mission.truth["ndvi"]["recovery_patch"]["wkt"], dataset)
        drought = truth_mask(demo_mission.truth["ndvi"]["drought_patch"]["wkt"], dataset)
    assert (transitions[recovery] == 3).mean() >= 0.99
    new = transitions == 1
    assert (new & drought).sum() / (new | drought).sum() >= 0.9


def test_new_drought_polygon_and_zonal_summary(demo_mission, change_run):
    from qgis.core import QgsVectorLayer

    result, _ = change_run
    truth = demo_mission.truth["ndvi"]["drought_patch"]
    polygons = QgsVectorLayer(result["OUTPUT_POLYGONS"], "polygons", "ogr")
    features_ = list(polygons.getFeatures())
    assert len(features_) == 1
    found = wkt.loads(features_[0].geometry().asWkt())
    patch = wkt.loads(truth["wkt"])
    assert found.intersection(patch).area / found.union(patch).area >= 0.9
    assert features_[0]["mean_delta"] < -25
    summary = QgsVectorLayer(result["OUTPUT_SUMMARY"], "summary", "ogr")
    rows = sorted(summary.getFeatures(), key=lambda f: f["rank"])
    assert len(rows) == 9
    assert rows[0]["zone"] == truth["sector_id"]
    assert rows[0]["population_drought"] > 0
    assert all(r["population_drought"] == 0 for r in rows[1:])
    with rasterio.open(str(demo_mission.file("population"))) as dataset:
        people = dataset.read(1)
    total = people[people != dataset.nodata].sum()
    assert sum(r["population"] for r in rows) == pytest.approx(total, rel=1e-3)
    shares = [rows[0][f"share_{name}"] for name in ("extreme", "severe", "moderate", "mild", "none")]
    assert sum(shares) == pytest.approx(1.0)


def test_qgis_process_runs_droughtindex_like_processing(demo_mission, index_run, run_qgis_process, tmp_path):
    """The same run through qgis_process.bin gives the same raster; a bad run exits with the error text."""
    result, _ = index_run
    out = tmp_path / "vci_cli.tif"
    completed = run_qgis_process(
        "run",
        "mew:droughtindex",
        "--",
        f"STACK={demo_mission.file('ndvi')}",
        f"TARGET={demo_mission.truth['ndvi']['after_date']}",
        "BASELINE_START=2015",
        "BASELINE_END=2024",
        "INDEX=vci",
        f"MASK={demo_mission.file('ndvi_cloudmask')}",
        "MASK_VALUES=1",
        f"OUTPUT={out}",
        f"OUTPUT_CLASSES={tmp_path / 'classes_cli.tif'}",
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    with rasterio.open(out) as cli, rasterio.open(result["OUTPUT"]) as in_process:
        assert np.array_equal(cli.read(1), in_process.read(1))
    assert (tmp_path / "vci_cli.qml").exists()
    refused = run_qgis_process(
        "run",
        "mew:droughtindex",
        "--",
        f"STACK={demo_mission.file('ndvi')}",
        "BASELINE_START=2024",
        f"OUTPUT={tmp_path / 'x.tif'}",
    )
    assert refused.returncode != 0
    assert "baseline year" in refused.stdout + refused.stderr


def test_change_of_two_index_rasters_equals_change_from_the_stack(demo_mission, change_run, index_run, tmp_path):
    """BEFORE/AFTER index rasters give the same transitions and summary as STACK with two dates."""
    from qgis import processing
    from qgis.core import QgsVectorLayer

    stack_result, _ = change_run
    after_index, _ = index_run
    ndvi = demo_mission.truth["ndvi"]
    before_index = processing.run(
        "mew:droughtindex",
        {
            "STACK": [str(demo_mission.file("ndvi"))],
            "TARGET": ndvi["before_date"],
            "BASELINE_START": 2015,
            "BASELINE_END": 2024,
            "MASK": str(demo_mission.file("ndvi_cloudmask")),
            "MASK_VALUES": "1",
            "OUTPUT": str(tmp_path / "vci_before.tif"),
        },
    )
    result = processing.run(
        "mew:droughtchange",
        {
            "BEFORE": before_index["OUTPUT"],
            "AFTER": after_index["OUTPUT"],
            "ZONES": demo_mission.vector("sectors"),
            "ZONE_FIELD": "sector_id",
            "OUTPUT_DELTA": str(tmp_path / "delta.tif"),
            "OUTPUT_TRANSITIONS": str(tmp_path / "transitions.tif"),
            "OUTPUT_SUMMARY": str(tmp_path / "summary.gpkg"),
        },
    )
    with rasterio.open(result["OUTPUT_TRANSITIONS"]) as a, rasterio.open(stack_result["OUTPUT_TRANSITIONS"]) as b:
        assert np.array_equal(a.read(1), b.read(1))
    ranks = [f["zone"] for f in sorted(QgsVectorLayer(result["OUTPUT_SUMMARY"]).getFeatures(), key=lambda f: f["rank"])]
    assert ranks[0] == ndvi["drought_patch"]["sector_id"]
