"""mew:warningsreport: the register as a briefing annex, its numbers worked out by hand."""

from __future__ import annotations

import subprocess
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from osgeo import ogr, osr
from shapely.geometry import box

from mission_early_warning.core.warnings_register import CLOSED, issue_warning, update_warning

UTM = "EPSG:32633"
ISSUED = datetime(2026, 3, 1, 8, 0, tzinfo=timezone.utc)


def pdf_text(path: str | Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def pdf_pages(path: str | Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def write_incidents(path: Path, points: list[tuple[float, float, date]]) -> str:
    """A GeoPackage of dated incident points in UTM 33N; returns its layer's source."""
    reference = osr.SpatialReference()
    reference.ImportFromEPSG(32633)
    dataset = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    layer = dataset.CreateLayer("incidents", reference, ogr.wkbPoint)
    layer.CreateField(ogr.FieldDefn("event_date", ogr.OFTDate))
    for x, y, day in points:
        feature = ogr.Feature(layer.GetLayerDefn())
        feature.SetField("event_date", day.isoformat())
        feature.SetGeometry(ogr.CreateGeometryFromWkt(f"POINT ({x} {y})"))
        layer.CreateFeature(feature)
    dataset = None
    return f"{path}|layername=incidents"


def annex_parameters(register: Path, incidents: str, output: Path) -> dict:
    """mew:warningsreport over ``register`` with ``incidents``: 30 days after issue, overdue after 7 days."""
    return {
        "REGISTER": str(register),
        "INCIDENTS": incidents,
        "DATE_FIELD": "event_date",
        "WINDOW_DAYS": 30,
        "OVERDUE_DAYS": 7,
        "TITLE": "Sector East early warnings",
        "OUTPUT_PDF": str(output),
    }


@pytest.fixture()
def register(tmp_path) -> Path:
    """Two warnings on 2 km squares of UTM 33N.

    EW-2026-001 over (500 000, 1 500 000)-(502 000, 1 502 000): issued 1 March 08:00, acted upon
    3 March 20:00 (response 2.5 days), closed. EW-2026-002 over (510 000, 1 500 000)-(512 000, 1 502 000),
    issued 2 March 08:00, no action.
    """
    path = tmp_path / "mission.gpkg"
    first = issue_warning(path, UTM, box(500000, 1500000, 502000, 1502000), "Incident hot spot", issued=ISSUED,
                          source_layer="Hot spots", responsible_unit="BANBAT Coy B")  # fmt: skip
    issue_warning(path, UTM, box(510000, 1500000, 512000, 1502000), "Patrol coverage gap",
                  issued=ISSUED + timedelta(days=1))  # fmt: skip
    action = ISSUED + timedelta(days=2.5)
    update_warning(path, first.id, {"action_taken": "Two patrols a day", "action_date": action}, when=action)
    update_warning(path, first.id, {"status": "actioned"}, when=action)
    update_warning(path, first.id, {"outcome": "Calm", "status": CLOSED}, when=action + timedelta(days=3))
    return path


def test_the_annex_lists_each_warning_with_its_response_time_and_incidents(mew, poppler, tmp_path, register):
    """Incidents: two inside the first square on 5 and 20 March (within 30 days) -> 2; one inside it on
    1 March (the issue day: not counted); one inside the second on 10 March -> 1; one outside both.
    With action: 1 of 1 followed by incidents; without action: 1 of 1. Median response 2.5 days."""
    incidents = write_incidents(
        tmp_path / "incidents.gpkg",
        [
            (501000, 1501000, date(2026, 3, 5)),
            (501500, 1500500, date(2026, 3, 20)),
            (501000, 1501000, date(2026, 3, 1)),
            (511000, 1501000, date(2026, 3, 10)),
            (530000, 1530000, date(2026, 3, 10)),
        ],
    )
    output = tmp_path / "annex.pdf"
    result = mew.run("mew:warningsreport", annex_parameters(register, incidents, output))
    assert result["WARNINGS"] == 2 and result["OPEN_WARNINGS"] == 1 and result["OVERDUE_WARNINGS"] == 1
    assert result["MEDIAN_RESPONSE_DAYS"] == 2.5
    assert pdf_pages(output) == result["PAGES"] >= 2
    text = pdf_text(output)
    assert "Sector East early warnings" in text and "UN RESTRICTED" in text
    rows = {line.split()[0]: line for line in text.splitlines() if line.strip().startswith("EW-2026-")}
    assert set(rows) == {"EW-2026-001", "EW-2026-002"}
    assert " 2.5 " in rows["EW-2026-001"] + " " and "closed" in rows["EW-2026-001"]
    assert "open (overdue)" in rows["EW-2026-002"]
    flat = " ".join(text.split())
    assert "with action, 1 of 1 warning(s) followed by incidents; without action, 1 of 1." in flat
    assert "median 2.5 days" in flat


def test_a_geopackage_without_register_is_refused(mew, tmp_path):
    from qgis.core import QgsProcessingException

    empty = tmp_path / "plain.gpkg"
    ogr.GetDriverByName("GPKG").CreateDataSource(str(empty))
    with pytest.raises(QgsProcessingException, match="holds no early-warning register"):
        mew.run("mew:warningsreport", {"REGISTER": str(empty), "OUTPUT_PDF": str(tmp_path / "a.pdf")})
    assert not (tmp_path / "a.pdf").exists()
