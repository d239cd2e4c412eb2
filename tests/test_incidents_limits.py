"""Incidents at the edges: the epoch as a date, implausible periods and extents, weights that are not numbers."""

from __future__ import annotations

import numpy as np
import rasterio
from qgis.core import QgsFeature, QgsGeometry, QgsPointXY, QgsVectorLayer

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

    values = ["1970-01-01", "1 January 1970", np.datetime64("1970-01-01"), datetime(1970, 1, 1, 0, 0), date(1970, 1, 1),
              "1970-01-02", None, "not a date"]
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
    out = mew.run("mew:incidentdensity", {
        "INPUT": layer, "RADIUS": 1000, "PIXEL_SIZE": 100, "DATE_FIELD": "day", "START": "1969-12-01",
        "END": "1970-01-31", "OUTPUT": str(tmp_path / "epoch.tif")})
    with rasterio.open(out["OUTPUT"]) as dataset:
        assert dataset.tags()["MEW_POINTS"] == "300"


def test_emerging_hot_spots_count_the_epoch_in_its_time_step(mew, tmp_path):
    rng = np.random.default_rng(1970)
    points = [(400_000.0 + x, 1_600_000.0 + y) for x, y in rng.uniform(0, 20_000, (400, 2))]
    days = [(f"1970-01-{k % 12 + 1:02d}",) for k in range(400)]
    layer = point_layer("EPSG:32630", points, "&field=day:string", days)
    out = mew.run("mew:emerginghotspots", {
        "INPUT": layer, "DATE_FIELD": "day", "TIME_STEP": "1 day", "CELL_SIZE": 2000, "DISTANCE_BAND": 4000,
        "OUTPUT": str(tmp_path / "emerging.gpkg")})
    cells = QgsVectorLayer(out["OUTPUT"], "cells", "ogr")
    assert sum(f["count"] for f in cells.getFeatures()) == 400
    assert out["TIME_STEPS"] == 12
