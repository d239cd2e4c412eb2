"""mew:patrolcoverage and mew:coveragegaps on the demo mission: planted truth, GPX, qgis_process."""

from __future__ import annotations

import datetime as dt
import math
import warnings

import numpy as np
import pytest
import rasterio
from pyproj import Geod, Transformer
from qgis.core import QgsProcessingException, QgsVectorLayer

GEOD = Geod(ellps="WGS84")
TO_LONLAT = Transformer.from_crs(32630, 4326, always_xy=True)
RINGS = (5000.0, 10000.0, 20000.0)


def _features(path: str) -> dict[str, dict]:
    layer = QgsVectorLayer(path, "out", "ogr")
    assert layer.isValid(), path
    return {f["village_id"]: {name: f[name] for name in layer.fields().names()} for f in layer.getFeatures()}


def _incidents(demo_mission) -> QgsVectorLayer:
    layer = QgsVectorLayer(demo_mission.incidents_uri(), "incidents", "delimitedtext")
    assert layer.isValid()
    return layer


def _null(value) -> bool:
    return value is None or str(value) == "NULL"


@pytest.fixture(scope="module")
def coverage_run(mew, demo_mission, tmp_path_factory):
    out = tmp_path_factory.mktemp("coverage")
    parameters = {
        "BASES": demo_mission.vector("bases"),
        "BASE_RADIUS_FIELD": "patrol_radius_m",
        "BASE_ID_FIELD": "base_id",
        "PATROLS": demo_mission.vector("patrol_tracks"),
        "PATROL_DISTANCE": demo_mission.truth["patrols"]["patrol_distance_m"],
        "PATROL_DATE_FIELD": "patrol_date",
        "AS_OF": demo_mission.truth["patrols"]["as_of"],
        "RINGS": ",".join(f"{r:g}" for r in RINGS),
        "VILLAGES": demo_mission.vector("villages"),
        "POPULATION_FIELD": "population",
        "POPULATION": str(demo_mission.file("population")),
        "INCIDENTS": _incidents(demo_mission),
        "OUTPUT_COVERAGE": str(out / "coverage.gpkg"),
        "OUTPUT_VILLAGES": str(out / "villages.gpkg"),
        "OUTPUT_SUMMARY": str(out / "summary.csv"),
    }
    result = mew.run("mew:patrolcoverage", parameters)
    return result, _features(result["OUTPUT_VILLAGES"])


def test_villages_at_known_distances_land_in_the_right_rings(coverage_run, demo_mission):
    _, villages = coverage_run
    for planted in demo_mission.truth["villages"]["known_distance"]:
        village = villages[planted["village_id"]]
        assert village["nearest_base"] == planted["base_id"]
        assert village["dist_base_m"] == pytest.approx(planted["distance_m"], rel=1e-3)
        expected_ring = next((r for r in RINGS if planted["distance_m"] <= r), None)
        assert (_null(village["ring"]) and expected_ring is None) or village["ring"] == expected_ring
        radius = 20000.0  # B01, a super camp, reaches 20 km
        assert bool(village["covered"]) == (planted["distance_m"] <= radius)


def test_demo_distances_and_flags_agree_with_pyproj_geod(coverage_run, demo_mission):
    _, villages = coverage_run
    bases = QgsVectorLayer(demo_mission.vector("bases"), "bases", "ogr")
    base_xy = np.array([(f.geometry().asPoint().x(), f.geometry().asPoint().y()) for f in bases.getFeatures()])
    radius = np.array([f["patrol_radius_m"] for f in bases.getFeatures()], float)
    base_lon, base_lat = TO_LONLAT.transform(base_xy[:, 0], base_xy[:, 1])
    layer = QgsVectorLayer(demo_mission.vector("villages"), "villages", "ogr")
    checked = 0
    for feature in layer.getFeatures():
        point = feature.geometry().asPoint()
        lon, lat = TO_LONLAT.transform(point.x(), point.y())
        _, _, distances = GEOD.inv(np.full(len(base_lon), lon), np.full(len(base_lon), lat), base_lon, base_lat)
        ours = villages[feature["village_id"]]
        assert ours["dist_base_m"] == pytest.approx(distances.min(), rel=1e-3)
        margin = 1e-3 * radius
        if np.all(np.abs(distances - radius) > margin) and abs(ours["dist_patrol_m"] - 2000.0) > 2.0:
            expected = bool(np.any(distances <= radius)) or ours["dist_patrol_m"] <= 2000.0
            assert bool(ours["covered"]) == expected
            checked += 1
    assert checked > 350


def test_patrol_recency_matches_the_planted_track_dates(coverage_run, demo_mission):
    _, villages = coverage_run
    recency = demo_mission.truth["patrols"]["recency"]
    assert len(recency) > 20
    for planted in recency:
        assert villages[planted["village_id"]]["days_since_patrol"] == planted["days_since_patrol"]
    for village_id in demo_mission.truth["patrols"]["never_patrolled"]:
        assert _null(villages[village_id]["days_since_patrol"])


def test_summary_people_from_field_and_raster_and_incidents(coverage_run, demo_mission):
    result, villages = coverage_run
    summary = {f["label"]: f for f in QgsVectorLayer(result["OUTPUT_SUMMARY"], "s", "ogr").getFeatures()}
    total = summary["total"]
    assert int(total["villages"]) == len(villages) == 401  # 400 drawn and the early-warning village planted
    assert float(total["people_field"]) == pytest.approx(sum(v["population"] for v in villages.values()))
    with rasterio.open(demo_mission.file("population")) as raster:
        values = raster.read(1)
        people = float(values[values != raster.nodata].sum())
    assert float(total["people_raster"]) == pytest.approx(people, rel=1e-6)
    covered, outside = summary["covered"], summary["not covered"]
    assert int(covered["villages"]) == sum(bool(v["covered"]) for v in villages.values())
    assert float(covered["people_raster"]) + float(outside["people_raster"]) == pytest.approx(people, rel=1e-6)
    assert int(covered["incidents"]) + int(outside["incidents"]) == int(total["incidents"]) > 2000
    for distance in RINGS:
        ring = summary[f"within {distance:g} m"]
        assert int(ring["villages"]) == sum(
            1 for v in villages.values() if not _null(v["ring"]) and v["ring"] <= distance
        )


def _vci_raster(demo_mission, path):
    """A VCI raster of the latest year from the demo NDVI stack (Kogan; clouds and nodata masked)."""
    ndvi = demo_mission.truth["ndvi"]
    with rasterio.open(demo_mission.file("ndvi")) as src, rasterio.open(demo_mission.file("ndvi_cloudmask")) as mask:
        stack = src.read().astype(float)
        stack[(stack == src.nodata) | (mask.read() == 1)] = np.nan
        profile = src.profile
    years = [int(d[:4]) for d in ndvi["dates"]]
    baseline = [i for i, y in enumerate(years) if ndvi["baseline_years"][0] <= y <= ndvi["baseline_years"][1]]
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # the lake is nodata in every year
        low, high = np.nanmin(stack[baseline], axis=0), np.nanmax(stack[baseline], axis=0)
        vci = 100.0 * (stack[-1] - low) / (high - low)
    profile.update(count=1, dtype="float32", nodata=-9999.0)
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(np.where(np.isfinite(vci), vci, -9999.0).astype("float32"), 1)
    return str(path)


def test_coveragegaps_ranks_the_planted_at_risk_villages_on_top(mew, coverage_run, demo_mission, tmp_path):
    result, _ = coverage_run
    gaps = mew.run(
        "mew:coveragegaps",
        {
            "VILLAGES": demo_mission.vector("villages"),
            "POPULATION_FIELD": "population",
            "COVERAGE": result["OUTPUT_COVERAGE"],
            "INCIDENTS": _incidents(demo_mission),
            "INCIDENT_DATE_FIELD": "event_date",
            "AS_OF": demo_mission.truth["period"]["as_of"],
            "DROUGHT": _vci_raster(demo_mission, tmp_path / "vci.tif"),
            "OUTPUT": str(tmp_path / "gaps.gpkg"),
        },
    )
    ranked = sorted(QgsVectorLayer(gaps["OUTPUT"], "gaps", "ogr").getFeatures(), key=lambda f: f["rank"])
    at_risk = {v["village_id"] for v in demo_mission.truth["villages"]["at_risk"]}
    assert {f["village_id"] for f in ranked[: len(at_risk)]} == at_risk
    for feature in ranked:
        assert not _null(feature["reason"]) and feature["dist_cov_m"] > 0
        points = sum(
            feature[k] or 0.0 for k in ("pts_incidents", "pts_trend", "pts_drought", "pts_population", "pts_distance")
        )
        assert points == pytest.approx(feature["score"])
    assert [f["score"] for f in ranked] == sorted((f["score"] for f in ranked), reverse=True)
    known = {v["village_id"] for v in demo_mission.truth["villages"]["known_distance"][:6]}
    assert not known & {f["village_id"] for f in ranked}  # covered villages are no gaps


def test_gpx_tracks_through_qgis_process(run_qgis_process, demo_mission, coverage_run, tmp_path):
    gpx = demo_mission.file("patrol_tracks_gpx")
    done = run_qgis_process(
        "run",
        "mew:patrolcoverage",
        "--",
        f"PATROLS={gpx}|layername=tracks",
        "PATROL_DISTANCE=2000",
        f"VILLAGES={demo_mission.vector('villages')}",
        f"OUTPUT_COVERAGE={tmp_path / 'coverage.gpkg'}",
        f"OUTPUT_VILLAGES={tmp_path / 'villages.gpkg'}",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    from_gpx = _features(str(tmp_path / "villages.gpkg"))
    _, from_gpkg = coverage_run
    # Every GPX track is a demo track (all dated within the run's window), so patrol distances agree.
    for village_id, village in from_gpkg.items():
        assert from_gpx[village_id]["dist_patrol_m"] == pytest.approx(village["dist_patrol_m"], rel=1e-3, abs=0.5)


def test_empty_or_missing_inputs_give_clear_errors(mew, demo_mission, tmp_path):
    empty = QgsVectorLayer("Point?crs=EPSG:32630&field=population:integer", "no villages", "memory")
    with pytest.raises(QgsProcessingException, match="no features"):
        mew.run(
            "mew:patrolcoverage",
            {"BASES": demo_mission.vector("bases"), "VILLAGES": empty, "OUTPUT_COVERAGE": str(tmp_path / "c.gpkg")},
        )
    with pytest.raises(QgsProcessingException, match="BASES, PATROLS"):
        mew.run(
            "mew:patrolcoverage",
            {"VILLAGES": demo_mission.vector("villages"), "OUTPUT_COVERAGE": str(tmp_path / "c.gpkg")},
        )
    with pytest.raises(QgsProcessingException, match="AS_OF"):
        mew.run(
            "mew:patrolcoverage",
            {
                "PATROLS": demo_mission.vector("patrol_tracks"),
                "AS_OF": "31/13/2026",
                "OUTPUT_COVERAGE": str(tmp_path / "c.gpkg"),
            },
        )
    assert not (tmp_path / "c.gpkg").exists()
    assert dt.date.fromisoformat(demo_mission.truth["patrols"]["as_of"])  # the truth's date format is ISO


def test_geopackage_outputs_carry_their_style(coverage_run):
    result, _ = coverage_run
    layer = QgsVectorLayer(result["OUTPUT_VILLAGES"], "villages", "ogr")
    _message, styled = layer.loadDefaultStyle()
    assert styled and layer.renderer().type() == "categorizedSymbol"
    assert layer.renderer().classAttribute() == "if(\"covered\", 'yes', 'no')"


def test_broken_track_geometries_are_reported_by_id(mew, tmp_path):
    from qgis.core import QgsFeature, QgsGeometry, QgsProcessingContext, QgsProcessingFeedback

    from mission_early_warning.qgis_compat import InvalidGeometryCheck

    def tracks_layer(*wkts):
        layer = QgsVectorLayer("LineString?crs=EPSG:32630&field=patrol_id:integer", "tracks", "memory")
        features = []
        for wkt in wkts:
            feature = QgsFeature(layer.fields())
            if wkt:
                feature.setGeometry(QgsGeometry.fromWkt(wkt))
            features.append(feature)
        layer.dataProvider().addFeatures(features)
        return layer

    good = "LineString (400000 1600000, 401000 1600000)"
    messages = []

    class Feedback(QgsProcessingFeedback):
        def reportError(self, error, fatalError=False):
            messages.append(error)

    # Track 2 has one vertex (invalid), track 3 no geometry: both skipped and reported by id, the others measured.
    # (Processing set not to filter invalid features: the default, stop, stops at track 2, see test_invalid_geometries.)
    tracks = tracks_layer(good, "LineString (400000 1600000)", None, good)
    context = QgsProcessingContext()
    context.setInvalidGeometryCheck(InvalidGeometryCheck.NoCheck)
    result = mew.run(
        "mew:patrolcoverage",
        {"PATROLS": tracks, "PATROL_DISTANCE": 1000, "OUTPUT_COVERAGE": str(tmp_path / "c.gpkg")},
        context=context,
        feedback=Feedback(),
    )
    zones = list(QgsVectorLayer(result["OUTPUT_COVERAGE"], "c", "ogr").getFeatures())
    assert zones[0]["area_km2"] == pytest.approx(2 * 1.0 * 1.0 + math.pi * 1.0, rel=0.01)
    assert any("2 feature(s)" in m and "ids 2, 3" in m for m in messages), messages
