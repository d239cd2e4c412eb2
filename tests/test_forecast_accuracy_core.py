"""Forecast accuracy engine against hand-computed small cases (see each test's comment for the sums)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from pyproj import CRS
from shapely.geometry import box

from mission_early_warning.core.errors import MewError
from mission_early_warning.core.evaluation_window import Window
from mission_early_warning.core.forecast_accuracy import evaluate_forecast, rank_groups

# UTM 30N on its central meridian: over a few km the scale factor is constant, so geodesic area ratios are the
# planar ones to better than 1e-6 and the hand computation in km² holds.
CRS_UTM = CRS.from_epsg(32630)
X0, Y0 = 500_000.0, 1_500_000.0
KM = 1000.0
WINDOW = Window(dt.date(2026, 1, 1), dt.date(2026, 1, 31))
IN_WINDOW = dt.date(2026, 1, 15)
BEFORE = dt.date(2025, 12, 10)


def cell(column: float, row: float, size: float = 1.0):
    return box(X0 + column * KM, Y0 + row * KM, X0 + (column + size) * KM, Y0 + (row + size) * KM)


def at(x_km: float, y_km: float) -> tuple[float, float]:
    return (X0 + x_km * KM, Y0 + y_km * KM)


STUDY = [cell(0, 0, 4)]  # A = 16 km²
FORECAST = [cell(0, 0), cell(1, 0), cell(0, 1)]  # a = 3 km²
RANK = [3.0, 3.0, 1.0]  # the first two tie
INCIDENTS = [
    (at(0.5, 0.5), IN_WINDOW),  # p1 in cell 0
    (at(1.0, 0.5), IN_WINDOW),  # p2 on the edge between cells 0 and 1: counts once, for cell 0
    (at(0.5, 1.5), IN_WINDOW),  # p3 in cell 2
    (at(3.5, 3.5), IN_WINDOW),  # p4, p5 outside the forecast, in the study area
    (at(3.5, 3.5), IN_WINDOW),
    (at(10.0, 10.0), IN_WINDOW),  # p6 outside the study area: not in N
    (at(0.5, 0.5), None),  # undated: not counted
    (at(0.5, 0.5), BEFORE),  # q1..q4: the previous window (2025-12-01..31)
    (at(3.5, 3.5), BEFORE),
    (at(2.5, 2.5), BEFORE),
    (at(3.2, 3.7), BEFORE),
    (at(0.5, 0.5), dt.date(2025, 11, 30)),  # before the previous window: never counted
]


def evaluate(rank=RANK, baseline=None):
    xy = np.array([p for p, _ in INCIDENTS])
    return evaluate_forecast(CRS_UTM, FORECAST, rank, xy, [d for _, d in INCIDENTS], WINDOW, STUDY, baseline)


def test_window_and_previous_window():
    assert WINDOW.days == 31
    assert (WINDOW.previous.start, WINDOW.previous.end) == (dt.date(2025, 12, 1), dt.date(2025, 12, 31))
    with pytest.raises(MewError, match="END"):
        Window(dt.date(2026, 2, 1), dt.date(2026, 1, 1))


def test_measures_of_the_forecast_equal_the_hand_computation():
    result = evaluate()
    forecast = result.measures[0]
    # n = 3 (p1, p2, p3), N = 5 (p1..p5): hit rate 3/5; PAI = (n/N)/(a/A) = 0.6 / (3/16) = 3.2.
    assert (forecast.incidents, forecast.total) == (3, 5)
    assert forecast.area_km2 == pytest.approx(3.0, rel=1e-3)
    assert forecast.study_area_km2 == pytest.approx(16.0, rel=1e-3)
    assert forecast.hit_rate == pytest.approx(0.6)
    assert forecast.pai == pytest.approx(3.2, rel=1e-6)
    # 1 km grid anchored at the forecast's corner: cells hold 2 (p4, p5), 1 (p1), 1 (p2, east of its edge), 1 (p3);
    # the best 3 km² hold n* = 4, PEI = 3/4.
    assert forecast.best_possible == pytest.approx(4.0, rel=1e-6)
    assert forecast.pei == pytest.approx(0.75, rel=1e-6)
    # Previous window: n_{t-1} = 1 (q1), N_{t-1} = 4: RRI = (3/1) / (5/4) = 2.4.
    assert (forecast.previous_incidents, forecast.previous_total) == (1, 4)
    assert forecast.rri == pytest.approx(2.4)
    assert result.outside_study_area == 1
    assert result.undated == 1
    assert result.cell_incidents.tolist() == [2, 0, 1]  # p2 on the shared edge counted once, for the first cell
    assert result.cell_previous.tolist() == [1, 0, 0]
    assert result.cell_rank.tolist() == [1, 1, 2]


def test_ties_enter_the_curve_as_one_step():
    curve = [row for row in evaluate().curve if row["forecast"] == "forecast"]
    # Step 1 takes both cells of rank 3 together (2 km², p1 and p2), step 2 the cell of rank 1 (p3).
    assert [row["cells"] for row in curve] == [0, 2, 3]
    assert [row["incidents"] for row in curve] == [0, 2, 3]
    assert [row["area_share"] for row in curve] == pytest.approx([0.0, 2 / 16, 3 / 16], rel=1e-6)
    assert [row["hit_rate"] for row in curve] == pytest.approx([0.0, 0.4, 0.6])


def test_without_rank_values_every_cell_is_one_group():
    curve = [row for row in evaluate(rank=None).curve if row["forecast"] == "forecast"]
    assert [row["cells"] for row in curve] == [0, 3]
    assert [row["hit_rate"] for row in curve] == pytest.approx([0.0, 0.6])


def test_default_baseline_is_where_it_happened_last_time():
    baseline = evaluate().measures[1]
    # Previous-window counts per grid cell: (3,3) 2, (0,0) 1, (2,2) 1: all three fill the forecast's 3 km².
    # In the window they catch p4, p5 (cell 3,3), p1 and p2 (on the edge of cell 0,0, which covers it): n = 4.
    assert baseline.label == "baseline"
    assert baseline.incidents == 4
    assert baseline.area_km2 == pytest.approx(3.0, rel=1e-3)
    assert baseline.hit_rate == pytest.approx(0.8)
    assert baseline.pai == pytest.approx(0.8 / (3 / 16), rel=1e-6)
    assert baseline.pei == pytest.approx(1.0)
    assert baseline.previous_incidents == 4
    assert baseline.rri == pytest.approx((4 / 4) / (5 / 4))
    curve = [row for row in evaluate().curve if row["forecast"] == "baseline"]
    assert [row["incidents"] for row in curve] == [0, 2, 4]


def test_given_baseline_polygons_are_one_group():
    baseline = evaluate(baseline=[cell(3, 3)]).measures[1]
    assert baseline.incidents == 2  # p4, p5
    assert baseline.pai == pytest.approx(0.4 / (1 / 16), rel=1e-6)
    assert baseline.previous_incidents == 2  # q2, q4
    assert baseline.rri == pytest.approx((2 / 2) / (5 / 4))


def test_rank_groups_put_missing_values_last():
    assert rank_groups([1.5, None, 3.0, 1.5], 4).tolist() == [1, 2, 0, 1]
    assert rank_groups(None, 3).tolist() == [0, 0, 0]


def test_overlapping_cells_count_their_union_once():
    result = evaluate_forecast(
        CRS_UTM,
        [cell(0, 0, 2), cell(1, 1, 2)],  # 4 + 4 km² overlapping on 1 km²: union 7 km²
        [2.0, 1.0],
        np.array([at(1.5, 1.5)]),
        [IN_WINDOW],
        WINDOW,
        STUDY,
    )
    assert result.cell_incidents.tolist() == [1, 0]
    assert result.measures[0].area_km2 == pytest.approx(7.0, rel=1e-3)


def test_a_forecast_outside_the_study_area_is_refused():
    with pytest.raises(MewError, match="outside the study area"):
        evaluate_forecast(CRS_UTM, [cell(20, 20)], None, np.array([at(0.5, 0.5)]), [IN_WINDOW], WINDOW, STUDY)


def test_best_possible_takes_the_last_cell_by_the_share_of_its_area():
    # Forecast 1 + 1 + 0.5 km² (a = 2.5; the median polygon sets 1 km cells) catching nothing. The grid's best cells
    # hold 3, 2 and 1 window incidents: n* = 3 + 2 + 0.5 x 1 = 5.5, so PEI = 0 / 5.5 = 0.
    half = box(X0, Y0 + KM, X0 + 0.5 * KM, Y0 + 2 * KM)
    points = [at(2.5, 2.5)] * 3 + [at(3.5, 2.5)] * 2 + [at(2.5, 3.5)]
    result = evaluate_forecast(
        CRS_UTM, [cell(0, 0), cell(1, 0), half], None, np.array(points), [IN_WINDOW] * 6, WINDOW, STUDY
    )
    measures = result.measures[0]
    assert measures.area_km2 == pytest.approx(2.5, rel=1e-3)
    assert measures.best_possible == pytest.approx(5.5, rel=1e-6)
    assert measures.pei == 0.0 and measures.hit_rate == 0.0
