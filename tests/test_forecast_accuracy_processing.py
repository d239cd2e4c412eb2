"""mew:forecastaccuracy through Processing on the committed fixtures (the hand computation of
tests/test_forecast_accuracy_core.py, in UTM 33N), and its chart."""

from __future__ import annotations

from pathlib import Path

import pytest
from qgis.core import QgsVectorLayer
from qgis.PyQt.QtGui import QImage

FIXTURES = Path(__file__).parent / "testdata" / "forecast_cases.gpkg"


def layer(name: str) -> str:
    return f"{FIXTURES}|layername={name}"


def rows(path: str) -> list[dict]:
    table = QgsVectorLayer(path, "out", "ogr")
    assert table.isValid(), path
    names = table.fields().names()
    return [dict(zip(names, feature.attributes())) for feature in table.getFeatures()]


@pytest.fixture(scope="module")
def run(mew, tmp_path_factory):
    out = tmp_path_factory.mktemp("forecast")
    parameters = {
        "FORECAST": layer("forecast_cells"),
        "RANK_FIELD": "risk",
        "INCIDENTS": layer("forecast_incidents"),
        "DATE_FIELD": "event_date",
        "START": "2026-01-01",
        "END": "2026-01-31",
        "STUDY_AREA": layer("forecast_study_area"),
        "OUTPUT_MEASURES": str(out / "measures.gpkg"),
        "OUTPUT_CURVE": str(out / "curve.gpkg"),
        "OUTPUT_CELLS": str(out / "cells.gpkg"),
        "OUTPUT_CHART": str(out / "chart.png"),
    }
    return mew.run("mew:forecastaccuracy", parameters)


def test_measures_of_the_forecast_and_its_baseline(run):
    # n = 3 of N = 5 in 3 of 16 km² (PAI 3.2); n* = 4 (PEI 0.75); RRI = (3/1)/(5/4) = 2.4; one incident outside.
    assert run["HIT_RATE"] == pytest.approx(0.6)
    assert run["PAI"] == pytest.approx(3.2, rel=1e-5)
    assert run["PEI"] == pytest.approx(0.75, rel=1e-6)
    assert run["RRI"] == pytest.approx(2.4)
    assert run["OUTSIDE"] == 1
    measures = {row["forecast"]: row for row in rows(run["OUTPUT_MEASURES"])}
    assert measures["forecast"]["incidents"] == 3 and measures["forecast"]["incidents_total"] == 5
    assert measures["baseline"]["incidents"] == 4
    assert measures["baseline"]["pai"] == pytest.approx(0.8 / (3 / 16), rel=1e-5)


def test_curve_cells_and_chart(run):
    curve = [row for row in rows(run["OUTPUT_CURVE"]) if row["forecast"] == "forecast"]
    assert [row["cells"] for row in curve] == [0, 2, 3]  # the two cells of rank 3 as one step
    assert [row["hit_rate"] for row in curve] == pytest.approx([0.0, 0.4, 0.6])
    cells = rows(run["OUTPUT_CELLS"])
    assert [(row["risk"], row["incidents"], row["rank_group"]) for row in cells] == [
        (3.0, 2, 1),
        (3.0, 0, 1),
        (1.0, 1, 2),
    ]
    image = QImage(run["OUTPUT_CHART"])
    assert (image.width(), image.height()) == (900, 640)
    # The forecast's dark red curve is drawn: some pixels carry its colour.
    reds = sum(
        1
        for x in range(0, image.width(), 3)
        for y in range(0, image.height(), 3)
        if image.pixelColor(x, y).name() == "#b2182b"
    )
    assert reds > 20
