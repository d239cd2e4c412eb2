"""Patrol validation engine against a hand-built case: which predicted areas patrols reached, when, and confirmed."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
import rasterio
from pyproj import CRS
from rasterio.transform import from_origin
from shapely.geometry import LineString, box

from mission_early_warning.core.coverage_types import Features
from mission_early_warning.core.errors import MewError
from mission_early_warning.core.evaluation_window import Window
from mission_early_warning.core.patrol_validation import (
    NOT_VISITED,
    VISITED,
    VISITED_CONFIRMED,
    PatrolReports,
    confirmation,
    validate_patrols,
)

CRS_UTM = CRS.from_epsg(32630)
X0, Y0, KM = 500_000.0, 1_500_000.0, 1000.0
WINDOW = Window(dt.date(2026, 1, 1), dt.date(2026, 1, 31))


def km(x: float, y: float) -> tuple[float, float]:
    return (X0 + x * KM, Y0 + y * KM)


def square(column: float) -> box:
    return box(*km(column, 0), *km(column + 1, 1))


AREAS = Features(["A0", "A1", "A2"], [square(0), square(5), square(10)], "predicted")
TRACKS = [
    ("P1", [km(0.5, -2), km(0.5, -0.3)], dt.date(2026, 1, 5)),  # ends 300 m south of A0
    ("P2", [km(-1, 0.5), km(2, 0.5)], dt.date(2026, 1, 10)),  # through A0
    ("P3", [km(5.5, -3), km(5.5, -0.8)], dt.date(2026, 1, 3)),  # ends 800 m south of A1
    ("P4", [km(4, 0.5), km(7, 0.5)], dt.date(2025, 12, 20)),  # through A1 before the window
    ("P5", [km(4, 0.5), km(7, 0.5)], dt.date(2026, 1, 31)),  # through A1 on the window's last day
    ("P6", [km(9, 0.5), km(12, 0.5)], None),  # through A2, undated
]
PATROLS = Features([t[0] for t in TRACKS], [LineString(t[1]) for t in TRACKS], "tracks")
DATES = [t[2] for t in TRACKS]
REPORTS = PatrolReports(
    np.array([km(0.5, 0.5), km(5.5, 0.5), km(10.5, 0.5), km(0.2, 0.2)]),
    [dt.date(2026, 1, 12), dt.date(2026, 1, 12), dt.date(2026, 1, 12), dt.date(2026, 2, 12)],
    [True, False, True, True],  # A0 confirmed; A1 not confirmed; A2's is in an area never reached; last too late
)


def test_statuses_first_visits_and_confirmations():
    result = validate_patrols(CRS_UTM, AREAS, PATROLS, DATES, WINDOW, 500.0, REPORTS)
    assert result.status == [VISITED_CONFIRMED, VISITED, NOT_VISITED]
    # A0: P1 passes within 500 m on 5 January (4 days after START), P2 crosses it on the 10th: 2 patrol days.
    # A1: P3 stays 800 m away, P4 is before the window, P5 crosses it on 31 January: 30 days.
    assert result.first_visit == [dt.date(2026, 1, 5), dt.date(2026, 1, 31), None]
    assert result.days_to_first_visit == [4, 30, None]
    assert result.patrol_days.tolist() == [2, 1, 0]
    assert result.confirming_reports.tolist() == [1, 0, 0]
    assert any("P6" in w for w in result.warnings)
    assert any("1 confirming report(s) lie in areas no patrol" in w for w in result.warnings)
    rows = {row["status"]: row for row in result.summary}
    assert rows[VISITED_CONFIRMED]["areas"] == 1 and rows[VISITED]["areas"] == 1 and rows[NOT_VISITED]["areas"] == 1
    assert rows["total"]["mean_days_to_first_visit"] == pytest.approx(17.0)
    assert rows["visited (all)"]["areas_share"] == pytest.approx(2 / 3)


def test_a_distance_of_zero_needs_the_track_to_touch_the_area():
    result = validate_patrols(CRS_UTM, AREAS, PATROLS, DATES, WINDOW, 0.0)
    assert result.days_to_first_visit == [9, 30, None]  # P1 no longer counts for A0: P2 on 10 January does
    assert result.status == [VISITED, VISITED, NOT_VISITED]  # no reports given: nothing confirmed


def test_people_in_areas_never_visited(tmp_path):
    raster = tmp_path / "people.tif"
    west, north, pixel = X0 - 1000.0, Y0 + 2000.0, 100.0
    with rasterio.open(
        raster,
        "w",
        driver="GTiff",
        width=140,
        height=40,
        count=1,
        dtype="float32",
        crs="EPSG:32630",
        transform=from_origin(west, north, pixel, pixel),
    ) as dst:
        dst.write(np.ones((1, 40, 140), dtype="float32"))
    result = validate_patrols(CRS_UTM, AREAS, PATROLS, DATES, WINDOW, 500.0, population_raster=str(raster))
    # One person per 100 m pixel: a 1 km² area holds 100 people; A2 alone was never visited.
    assert result.people == pytest.approx([100.0, 100.0, 100.0])
    assert result.people_never_reached == pytest.approx(100.0)


def test_refusals():
    with pytest.raises(MewError, match="PATROL_DISTANCE"):
        validate_patrols(CRS_UTM, AREAS, PATROLS, DATES, WINDOW, -1.0)
    points = Features(["X"], [LineString([km(0, 0), km(1, 1)])], "lines")
    with pytest.raises(MewError, match="'lines' has a LineString"):
        validate_patrols(CRS_UTM, points, PATROLS, DATES, WINDOW, 500.0)


def test_confirmation_reads_yes_and_no_in_english_and_french():
    assert [confirmation(v) for v in ("Yes", " oui ", "TRUE", 1, True, "Confirmé")] == [True] * 6
    assert [confirmation(v) for v in ("no", "Non", "false", 0, False)] == [False] * 5
    assert [confirmation(v) for v in (None, "", "maybe", float("nan"))] == [None] * 4
