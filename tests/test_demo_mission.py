"""The demo mission is deterministic, self-consistent, and its truth file locates every planted feature."""

from __future__ import annotations

import csv
import json
import warnings
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pytest
import rasterio
from pyproj import Geod, Transformer
from qgis.core import QgsRasterLayer, QgsVectorLayer
from shapely import wkt
from shapely.geometry import Point

from mission_early_warning.demo.generate import DEFAULT_SEED, generate_mission

GEOD = Geod(ellps="WGS84")


def _vector_content(source: str) -> list[tuple]:
    layer = QgsVectorLayer(source, "v", "ogr")
    assert layer.isValid(), source
    return [(tuple(str(v) for v in f.attributes()), f.geometry().asWkt(3)) for f in layer.getFeatures()]


def _content(package: Path) -> dict:
    manifest = json.loads((package / "manifest.json").read_text(encoding="utf-8"))
    content: dict = {
        "manifest": manifest,
        "truth": (package / "truth.json").read_text(encoding="utf-8"),
        "csv": (package / "incidents/synthetic_acled_incidents.csv").read_text(encoding="utf-8"),
        "gpx": (package / "patrols/synthetic_patrol_tracks.gpx").read_text(encoding="utf-8"),
    }
    for entry in manifest["layers"]:
        if entry["type"] == "vector" and entry["path"].endswith(".gpkg"):
            content[entry["id"]] = _vector_content(f"{package / entry['path']}|layername={entry['layer']}")
        elif entry["type"] == "raster":
            with rasterio.open(package / entry["path"]) as src:
                content[entry["id"]] = src.read()
    return content


def _assert_same(a: dict, b: dict) -> None:
    assert a.keys() == b.keys()
    for key in a:
        if isinstance(a[key], np.ndarray):
            np.testing.assert_array_equal(a[key], b[key], err_msg=key)
        else:
            assert a[key] == b[key], key


def test_same_seed_same_content_other_seed_other_content(qgis_app, demo_mission, tmp_path):
    again = _content(generate_mission(tmp_path / "again", DEFAULT_SEED))
    _assert_same(_content(demo_mission.path), again)
    other = _content(generate_mission(tmp_path / "other", DEFAULT_SEED + 1))
    assert other["csv"] != again["csv"]
    assert not np.array_equal(other["ndvi"], again["ndvi"])


def test_every_layer_opens_in_qgis_with_the_declared_crs(qgis_app, demo_mission):
    manifest = demo_mission.manifest
    assert manifest["synthetic"] is True
    assert "SYNTHETIC" in manifest["classification"]
    for entry in manifest["layers"]:
        assert "SYNTHETIC" in entry["title"]
        path = demo_mission.path / entry["path"]
        if entry["type"] == "vector":
            layer = QgsVectorLayer(f"{path}|layername={entry['layer']}", entry["id"], "ogr")
            assert layer.isValid(), entry["id"]
            assert layer.featureCount() > 0, entry["id"]
            for field in entry.get("fields", {}).values():
                assert layer.fields().indexOf(field) >= 0, (entry["id"], field)
        elif entry["type"] == "raster":
            layer = QgsRasterLayer(str(path), entry["id"], "gdal")
            assert layer.isValid(), entry["id"]
        else:
            layer = QgsVectorLayer(demo_mission.incidents_uri(), "incidents", "delimitedtext")
            assert layer.isValid()
            # QGIS makes a point of every row with parseable coordinates, bad ones included
            assert layer.featureCount() >= demo_mission.truth["incidents"]["valid"] - 10
        assert layer.crs().authid() == entry["crs"], entry["id"]
        if entry["id"] != "patrol_tracks_gpx" and entry["type"] != "table":
            assert entry["crs"] == manifest["crs"]


def test_ndvi_stack_grid_dates_scaling_and_mask(demo_mission):
    ndvi_truth = demo_mission.truth["ndvi"]
    entry = demo_mission.layer_entry("ndvi")
    with rasterio.open(demo_mission.file("ndvi")) as stack, rasterio.open(demo_mission.file("ndvi_cloudmask")) as mask:
        assert stack.count == len(entry["dates"]) == 12
        assert stack.shape == (800, 800) and stack.res == (250.0, 250.0)
        assert stack.dtypes[0] == "int16" and stack.nodata == entry["nodata"] == -3000
        assert list(stack.descriptions) == entry["dates"] == ndvi_truth["dates"]
        assert stack.scales[0] == pytest.approx(entry["scale"])
        assert [datetime.fromisoformat(d).timetuple().tm_yday for d in entry["dates"]] == [257] * 12
        assert (mask.shape, mask.transform, mask.count) == (stack.shape, stack.transform, stack.count)
        assert list(mask.descriptions) == entry["dates"]
        for cloud in ndvi_truth["clouds"]:
            cloud_band = mask.read(cloud["band"])
            centre = wkt.loads(cloud["wkt"]).centroid
            row, col = stack.index(centre.x, centre.y)
            assert cloud_band[row, col] == 1
            assert stack.read(cloud["band"])[row, col] == 600  # looks like bare soil unless masked
        stripe = ndvi_truth["nodata_stripe"]
        band = stack.read(stripe["band"])
        assert (band[stripe["rows"][0] : stripe["rows"][1] + 1] == -3000).all()
        lake = wkt.loads(ndvi_truth["lake"]["wkt"]).centroid
        assert (stack.read()[:, stack.index(lake.x, lake.y)[0], stack.index(lake.x, lake.y)[1]] == -3000).all()


def test_planted_drought_and_recovery_patches_are_where_the_truth_says(demo_mission):
    """An independent VCI (Kogan) of the package shows each patch exactly where recorded."""
    from rasterio.features import rasterize

    ndvi_truth = demo_mission.truth["ndvi"]
    with rasterio.open(demo_mission.file("ndvi")) as src, rasterio.open(demo_mission.file("ndvi_cloudmask")) as m:
        values = src.read().astype(float)
        values[(values == src.nodata) | (m.read() == 1)] = np.nan
        transform, shape = src.transform, src.shape
    first, last = ndvi_truth["baseline_years"]
    baseline = values[: last - first + 1]
    with warnings.catch_warnings():  # the lake is nodata in every year: all-NaN there is expected
        warnings.simplefilter("ignore", RuntimeWarning)
        low, high = np.nanmin(baseline, axis=0), np.nanmax(baseline, axis=0)
    dates = ndvi_truth["dates"]
    vci_before = 100 * (values[dates.index(ndvi_truth["before_date"])] - low) / (high - low)
    vci_after = 100 * (values[dates.index(ndvi_truth["after_date"])] - low) / (high - low)
    drought = rasterize([wkt.loads(ndvi_truth["drought_patch"]["wkt"])], out_shape=shape, transform=transform) == 1
    recovery = rasterize([wkt.loads(ndvi_truth["recovery_patch"]["wkt"])], out_shape=shape, transform=transform) == 1
    assert np.nanmax(vci_after[drought]) < 20 and np.nanmin(vci_before[drought]) >= 40
    assert np.nanmax(vci_before[recovery]) < 20 and np.nanmin(vci_after[recovery]) >= 40
    assert np.nanmin(vci_after[~drought]) >= 40
    assert ndvi_truth["drought_patch"]["sector_id"] == "S9"


def test_bad_rows_are_present_exactly_as_recorded(demo_mission):
    truth = demo_mission.truth["incidents"]
    with open(demo_mission.file("incidents"), newline="", encoding="utf-8") as handle:
        records = list(csv.DictReader(handle))
    assert len(records) == truth["rows"]
    by_line = {bad["line"]: bad for bad in truth["bad_rows"]}
    assert sorted(b["reason"] for b in truth["bad_rows"]) == sorted(
        ["missing_date"] * 2 + ["unparseable_date"] + ["swapped_lat_lon"] * 2 + ["out_of_range"] * 2 + ["duplicate_id"]
    )
    seen: set[str] = set()
    for line, record in enumerate(records, start=2):  # header is line 1
        lat, lon = float(record["latitude"]), float(record["longitude"])
        problems = set()
        if not record["event_date"]:
            problems.add("missing_date")
        else:
            try:
                datetime.strptime(record["event_date"], "%d %B %Y")
            except ValueError:
                problems.add("unparseable_date")
        if abs(lat) > 90 or abs(lon) > 180:
            problems.add("out_of_range")
        elif not (13 < lat < 16 and -6 < lon < -2) and (13 < lon < 16 and -6 < lat < -2):
            problems.add("swapped_lat_lon")
        if record["event_id_cnty"] in seen:
            problems.add("duplicate_id")
        seen.add(record["event_id_cnty"])
        expected = {by_line[line]["reason"]} if line in by_line else set()
        assert problems == expected, (line, record["event_id_cnty"])
        if line in by_line:
            assert record["event_id_cnty"] == by_line[line]["event_id_cnty"]
    assert truth["valid"] == truth["rows"] - len(truth["bad_rows"])


def test_planted_hotspots_hold_their_monthly_counts(demo_mission):
    truth = demo_mission.truth
    to_xy = Transformer.from_crs(4326, 32630, always_xy=True)
    bad_lines = {b["line"] for b in truth["incidents"]["bad_rows"]}
    months = [date.fromisoformat(m) for m in truth["period"]["month_starts"]]
    with open(demo_mission.file("incidents"), newline="", encoding="utf-8") as handle:
        records = [r for line, r in enumerate(csv.DictReader(handle), start=2) if line not in bad_lines]
    lon = np.array([float(r["longitude"]) for r in records])
    lat = np.array([float(r["latitude"]) for r in records])
    x, y = to_xy.transform(lon, lat)
    month = np.array(
        [sum(1 for m in months if m <= datetime.strptime(r["event_date"], "%d %B %Y").date()) - 1 for r in records]
    )
    for spot in truth["hotspots"]:
        near = np.hypot(x - spot["center"][0], y - spot["center"][1]) <= 2 * spot["sigma_m"]
        counts = np.bincount(month[near], minlength=len(months))
        planted = np.array(spot["monthly_counts"])
        # ~86 % of a 2-D normal lies within 2 sigma; background adds a little
        assert counts.sum() == pytest.approx(0.865 * planted.sum(), rel=0.12), spot["name"]
        if spot["name"] == "emerging":
            assert counts[: len(months) - 6].sum() <= 5 and counts[-1] > counts[-6]
        if spot["name"] == "diminishing":
            assert counts[:6].sum() > 3 * counts[-6:].sum()


def test_villages_at_known_distances_and_at_risk(qgis_app, demo_mission):
    truth = demo_mission.truth
    villages = {f["village_id"]: f for f in QgsVectorLayer(demo_mission.vector("villages"), "v", "ogr").getFeatures()}
    bases = {f["base_id"]: f for f in QgsVectorLayer(demo_mission.vector("bases"), "b", "ogr").getFeatures()}
    to_lonlat = Transformer.from_crs(32630, 4326, always_xy=True)

    def lonlat(feature):
        point = feature.geometry().asPoint()
        return to_lonlat.transform(point.x(), point.y())

    for known in truth["villages"]["known_distance"]:
        distance = GEOD.inv(*lonlat(bases[known["base_id"]]), *lonlat(villages[known["village_id"]]))[2]
        assert distance == pytest.approx(known["distance_m"], abs=0.5)
    tracks = [f.geometry() for f in QgsVectorLayer(demo_mission.vector("patrol_tracks"), "t", "ogr").getFeatures()]
    assert not any(
        f["base_id"] == "B01" for f in QgsVectorLayer(demo_mission.vector("patrol_tracks"), "t", "ogr").getFeatures()
    )
    emerging = next(s for s in truth["hotspots"] if s["name"] == "emerging")
    patch = wkt.loads(truth["ndvi"]["drought_patch"]["wkt"])
    for risk in truth["villages"]["at_risk"]:
        village = villages[risk["village_id"]]
        point = village.geometry().asPoint()
        assert risk["nearest_base_m"] > 50_000
        assert min(t.distance(village.geometry()) for t in tracks) > truth["patrols"]["clearance_m"]
        if risk["near"] == "emerging_hotspot":
            assert Point(point.x(), point.y()).distance(Point(*emerging["center"])) < 6000
        else:
            assert patch.contains(Point(point.x(), point.y()))
    as_of = date.fromisoformat(truth["patrols"]["as_of"])
    for record in truth["patrols"]["recency"]:
        assert (as_of - date.fromisoformat(record["last_patrol_date"])).days == record["days_since_patrol"]
    assert len(truth["patrols"]["recency"]) >= 20 and len(truth["patrols"]["never_patrolled"]) >= 20
