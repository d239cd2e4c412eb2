"""mew:patrolvalidation through Processing on the committed fixtures (the case of tests/test_patrol_validation_core.py
in UTM 33N), reports read from a yes/no text field."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from qgis.core import QgsVectorLayer

FIXTURES = Path(__file__).parent / "testdata" / "forecast_cases.gpkg"


def rows(path: str) -> list[dict]:
    table = QgsVectorLayer(path, "out", "ogr")
    assert table.isValid(), path
    names = table.fields().names()
    return [dict(zip(names, feature.attributes())) for feature in table.getFeatures()]


def test_statuses_and_days_to_first_visit(mew, tmp_path):
    result = mew.run(
        "mew:patrolvalidation",
        {
            "AREAS": f"{FIXTURES}|layername=predicted_areas",
            "PATROLS": f"{FIXTURES}|layername=validation_patrols",
            "PATROL_DATE_FIELD": "patrol_date",
            "START": "2026-01-01",
            "END": "2026-01-31",
            "PATROL_DISTANCE": 500,
            "REPORTS": f"{FIXTURES}|layername=patrol_reports",
            "REPORT_DATE_FIELD": "report_date",
            "CONFIRMED_FIELD": "confirmed",
            "OUTPUT_AREAS": str(tmp_path / "areas.gpkg"),
            "OUTPUT_SUMMARY": str(tmp_path / "summary.gpkg"),
        },
    )
    areas = {row["name"]: row for row in rows(result["OUTPUT_AREAS"])}
    assert [areas[n]["status"] for n in ("A0", "A1", "A2")] == [
        "visited and confirmed",
        "visited, not confirmed",
        "not visited",
    ]
    assert [areas[n]["days_to_first_visit"] for n in ("A0", "A1")] == [4, 30]
    assert areas["A0"]["first_visit"].toPyDate() == dt.date(2026, 1, 5)
    assert result["VISITED_SHARE"] == pytest.approx(2 / 3)
    summary = {row["status"]: row for row in rows(result["OUTPUT_SUMMARY"])}
    assert summary["not visited"]["areas"] == 1
    assert summary["total"]["mean_days_to_first_visit"] == pytest.approx(17.0)
