"""The demo's forecast step recovers the forecast planted in truth.json: the hit rate of the planted hot spot
squares over months 31..36, which of them patrols reached within 15 km, and the days to the first visit."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from qgis.core import QgsVectorLayer
from qgis.PyQt.QtGui import QImage

from mission_early_warning.demo.forecast import step_forecast
from mission_early_warning.demo.run import DemoContext


def rows(source: str) -> list[dict]:
    layer = QgsVectorLayer(source, "out", "ogr")
    assert layer.isValid(), source
    names = layer.fields().names()
    return [dict(zip(names, feature.attributes())) for feature in layer.getFeatures()]


@pytest.fixture(scope="module")
def forecast_step(mew_provider, demo_mission, tmp_path_factory):
    ctx = DemoContext(
        demo_mission.path, tmp_path_factory.mktemp("forecast_demo"), demo_mission.manifest, demo_mission.truth
    )
    step_forecast(ctx)
    return ctx


def test_the_planted_hit_rate_is_recovered(forecast_step, demo_mission):
    planted = demo_mission.truth["forecast"]
    measures = {row["forecast"]: row for row in rows(forecast_step.results["forecast_accuracy"])}["forecast"]
    # The table is a CSV: its values come back as text.
    assert int(measures["incidents"]) == planted["incidents"]["in_areas"]
    assert int(measures["incidents_total"]) == planted["incidents"]["in_window"]
    assert float(measures["hit_rate"]) == pytest.approx(planted["incidents"]["hit_rate"], abs=1e-12)
    # PAI = hit rate / (a/A): two squares of (2 r)² in the 200 km AO, geodesic areas within 0.1 % of the drawn ones.
    drawn_share = sum((2 * s["radius_m"]) ** 2 for s in demo_mission.truth["hotspots"] if s["name"] != "emerging") / (
        200_000.0**2
    )
    assert float(measures["pai"]) == pytest.approx(planted["incidents"]["hit_rate"] / drawn_share, rel=1e-3)
    assert planted["unforeseen"] == ["emerging"]  # it starts in the window: no forecast can hold it
    chart = QImage(forecast_step.results["hit_rate_chart"])
    assert not chart.isNull() and Path(forecast_step.output / "forecast" / "hit_rate_chart.png").is_file()


def test_the_planted_patrol_visits_are_recovered(forecast_step, demo_mission):
    planted = {area["name"]: area for area in demo_mission.truth["forecast"]["areas"]}
    areas = {row["name"]: row for row in rows(forecast_step.results["forecast_areas_visited"])}
    assert set(areas) == set(planted) == {"persistent", "diminishing"}
    for name, area in planted.items():
        visited = area["first_visit"] is not None
        assert areas[name]["status"] == ("visited, not confirmed" if visited else "not visited"), name
        assert areas[name]["days_to_first_visit"] == (area["days_to_first_visit"] if visited else None), name
        if visited:
            assert areas[name]["first_visit"].toPyDate() == dt.date.fromisoformat(area["first_visit"])
            assert areas[name]["patrol_days"] == len({visit["date"] for visit in area["visits"]})
    assert planted["diminishing"]["days_to_first_visit"] == 17 and planted["persistent"]["first_visit"] is None
    never = next(
        row for row in rows(forecast_step.results["forecast_visits_summary"]) if row["status"] == "not visited"
    )
    assert int(never["areas"]) == 1 and float(never["people"]) > 0  # the persistent square's people (raster)
