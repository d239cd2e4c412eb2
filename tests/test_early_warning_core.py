"""The early-warning grid's engine, against hand-computed small cases."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest
import rasterio
from pyproj import CRS
from rasterio.transform import from_origin
from shapely.geometry import LineString, box

from mission_early_warning.core.coverage_types import Features
from mission_early_warning.core.early_warning import (
    DEFAULT_WEIGHTS,
    CellMeasures,
    WarningSettings,
    reason_parts,
    reason_text,
    score_cells,
)
from mission_early_warning.core.early_warning_cells import (
    cell_patrol_days,
    fishnet_cells,
    hotspot_of_cells,
    raster_means,
)
from mission_early_warning.core.errors import MewError

UTM = CRS.from_epsg(32630)
TEMPLATES = {
    "hotspot": "{category}",
    "drought": "drought, VCI {vci}",
    "vci_fell": "VCI fell {points} points",
    "people": "{people} people",
    "no_patrol": "no patrol on record",
    "patrol_days": "no patrol for {days} days",
    "quiet": "no warning sign",
}
CATEGORIES = {3: "intensifying hot spot", 2: "consecutive hot spot", 5: "diminishing hot spot", -1: "new cold spot"}


def three_cells() -> CellMeasures:
    """Cell 0: intensifying hot spot, VCI 10, fell 32, 14,000 people, no patrol. Cell 1: diminishing hot spot,
    VCI 50, rose 5, 500 people, patrolled 30 days ago. Cell 2: a cold spot, no VCI data, 0 people, patrol today."""
    return CellMeasures(
        3,
        hotspot_code=np.array([3.0, 5.0, -1.0]),
        vci_mean=np.array([10.0, 50.0, np.nan]),
        dvci_mean=np.array([-32.0, 5.0, np.nan]),
        people=np.array([14000.0, 500.0, 0.0]),
        days_since_patrol=np.array([np.nan, 30.0, 0.0]),
    )


def test_score_and_contributions_by_hand():
    scores = score_cells(three_cells(), WarningSettings())
    table = scores.table
    # Factors: hotspot 1 / 0.3 / 0; drought (40-10)/40 = 0.75 / 0 / 0; dvci 32/40 = 0.8 / 0 / 0;
    # people 14000/10000 -> 1 / 0.05 / 0; patrol never -> 1 / 30/60 = 0.5 / 0.
    assert table["f_hotspot"] == pytest.approx([1.0, 0.3, 0.0])
    assert table["f_drought"] == pytest.approx([0.75, 0.0, 0.0])
    assert table["f_dvci"] == pytest.approx([0.8, 0.0, 0.0])
    assert table["f_people"] == pytest.approx([1.0, 0.05, 0.0])
    assert table["f_patrol"] == pytest.approx([1.0, 0.5, 0.0])
    # Weights sum to 1: points = 100 w f. Cell 0: 30 + 15 + 12 + 15 + 20 = 92; cell 1: 9 + 0.75 + 10 = 19.75.
    assert table["pts_hotspot"] == pytest.approx([30.0, 9.0, 0.0])
    assert table["pts_drought"] == pytest.approx([15.0, 0.0, 0.0])
    assert table["pts_dvci"] == pytest.approx([12.0, 0.0, 0.0])
    assert table["pts_people"] == pytest.approx([15.0, 0.75, 0.0])
    assert table["pts_patrol"] == pytest.approx([20.0, 10.0, 0.0])
    assert table["score"] == pytest.approx([92.0, 19.75, 0.0])
    assert table["rank"].tolist() == [1, 2, 3]
    assert scores.order.tolist() == [0, 1, 2]


def test_weights_change_the_ranking_by_hand():
    measures = CellMeasures(2, hotspot_code=np.array([3.0, 0.0]), people=np.array([0.0, 10000.0]))
    people_first = score_cells(measures, WarningSettings(weights={**DEFAULT_WEIGHTS, "people": 0.6}))
    # Only hot spot (0.3) and people (0.6) are given: 100*0.3/0.9 = 33.3 against 100*0.6/0.9 = 66.7.
    assert people_first.table["score"] == pytest.approx([100 / 3, 200 / 3])
    assert people_first.table["rank"].tolist() == [2, 1]
    assert people_first.factors == ("hotspot", "people")


def test_missing_factors_are_left_out_and_the_others_weigh_in_full():
    measures = CellMeasures(1, vci_mean=np.array([20.0]))
    scores = score_cells(measures, WarningSettings())
    assert scores.factors == ("drought",)
    assert set(scores.table) == {"f_drought", "pts_drought", "score", "rank"}
    assert scores.table["score"] == pytest.approx([50.0])  # (40-20)/40 = 0.5, the only factor: 50 points


def test_a_cell_without_data_scores_zero_on_that_factor():
    measures = CellMeasures(2, vci_mean=np.array([np.nan, 0.0]), hotspot_code=np.array([np.nan, 2.0]))
    table = score_cells(measures, WarningSettings()).table
    assert table["f_drought"] == pytest.approx([0.0, 1.0])
    assert table["f_hotspot"] == pytest.approx([0.0, 0.9])
    assert table["score"] == pytest.approx([0.0, 100 * (0.2 + 0.27) / 0.5])


def test_nothing_to_score_and_zero_weights_are_refused():
    with pytest.raises(MewError, match="Nothing to score"):
        score_cells(CellMeasures(1), WarningSettings())
    with pytest.raises(MewError, match="all 0"):
        score_cells(CellMeasures(1, people=np.array([5.0])), WarningSettings(weights={"people": 0.0}))
    with pytest.raises(MewError, match="must be positive"):
        score_cells(CellMeasures(1, people=np.array([5.0])), WarningSettings(people_full=0))


def test_reasons_name_each_sign_in_words():
    measures = three_cells()
    settings = WarningSettings()
    scores = score_cells(measures, settings)
    texts = [reason_text(reason_parts(measures, scores, i, settings), TEMPLATES, CATEGORIES) for i in range(3)]
    assert texts[0] == "intensifying hot spot; drought, VCI 10; VCI fell 32 points; 14,000 people; no patrol on record"
    assert texts[1] == "diminishing hot spot; no patrol for 30 days"
    assert texts[2] == "no warning sign"
    french = {**TEMPLATES, "vci_fell": "le VCI a perdu {points} points", "people": "{people} habitants"}
    parts = reason_parts(measures, scores, 0, settings)
    text = reason_text(parts, french, CATEGORIES, number=lambda v: f"{v:,.0f}".replace(",", "\u202f"))
    assert "le VCI a perdu 32 points" in text and "14\u202f000 habitants" in text


def _raster(path, values, nodata):
    with rasterio.open(
        path, "w", driver="GTiff", width=4, height=2, count=1, dtype="float32", crs=UTM,
        transform=from_origin(0, 200, 100, 100), nodata=nodata,
    ) as dst:  # fmt: skip
        dst.write(np.asarray(values, dtype="float32"), 1)
    return str(path)


def test_raster_means_ignore_nodata_and_count_valid_pixels(tmp_path):
    # Pixels 100 m: columns x 0-400, rows y 200-0. Cell A = the west half, cell B = the east half.
    path = _raster(tmp_path / "vci.tif", [[10, 20, 30, -9999], [30, np.nan, 50, 70]], -9999)
    cells = [box(0, 0, 200, 200), box(200, 0, 400, 200), box(1000, 1000, 1100, 1100)]
    means, counts = raster_means(path, cells, UTM, None)
    assert counts.tolist() == [3, 3, 0]  # A: 10, 20, 30 (NaN left out); B: 30, 50, 70 (nodata left out)
    assert means[:2] == pytest.approx([20.0, 50.0])
    assert math.isnan(means[2])


def test_patrol_days_of_cells_by_hand():
    as_of = dt.date(2026, 10, 31)
    cells = [box(0, 0, 1000, 1000), box(5000, 0, 6000, 1000), box(10000, 0, 11000, 1000)]
    cells = [box(x0 + 500000, y0 + 1600000, x1 + 500000, y1 + 1600000) for x0, y0, x1, y1 in (c.bounds for c in cells)]
    tracks = [
        LineString([(500500, 1599000), (500500, 1602000)]),  # crosses cell 0, 10 days before
        LineString([(506500, 1599000), (506500, 1602000)]),  # 500 m east of cell 1, 3 days before
        LineString([(512500, 1599000), (512500, 1602000)]),  # 1,500 m east of cell 2: beyond 1,000 m
        LineString([(500700, 1599000), (500700, 1602000)]),  # crosses cell 0 after AS_OF: does not count
    ]
    dates = [as_of - dt.timedelta(days=10), as_of - dt.timedelta(days=3), as_of, as_of + dt.timedelta(days=2)]
    recency = cell_patrol_days(UTM, cells, Features([1, 2, 3, 4], tracks, "tracks"), dates, as_of, 1000.0)
    assert recency.days[:2].tolist() == [10.0, 3.0]
    assert math.isnan(recency.days[2])
    assert recency.as_of == as_of
    assert recency.warnings  # the patrol after AS_OF is reported
    wider = cell_patrol_days(UTM, cells, Features([1, 2, 3, 4], tracks, "tracks"), dates, as_of, 1600.0)
    assert wider.days.tolist() == [10.0, 3.0, 0.0]


def test_fishnet_and_the_worst_overlapping_hot_spot():
    cells = fishnet_cells([box(0, 0, 1000, 500)], 500)
    assert len(cells) == 2 and cells[0].bounds == (0.0, 0.0, 500.0, 500.0)
    hot = [box(0, 0, 250, 500), box(250, 0, 1000, 500)]
    codes, trend = hotspot_of_cells(cells, hot, [5, 3], [-1.5, 2.5])
    assert codes.tolist() == [3.0, 3.0]  # cell 0 overlaps a diminishing (0.3) and an intensifying (1.0) cell
    assert trend.tolist() == [2.5, 2.5]
    with pytest.raises(MewError, match="CELL_SIZE"):
        fishnet_cells([box(0, 0, 1000, 500)], 0)


@pytest.mark.parametrize("offset", [(-3.5, 2.2), (6.3, -1.7), (2.1, 2.9), (-2.0, -2.0)])
def test_pixel_shares_of_polygons_over_the_raster_edges_match_shapely(offset):
    """The shares the grid's people are summed by, for cells reaching past any edge of a 10 × 8 raster."""
    from affine import Affine
    from shapely.geometry import Polygon

    from mission_early_warning.core.fractional import coverage_blocks

    dx, dy = offset
    polygon = Polygon([(dx, dy), (dx + 6.4, dy + 0.7), (dx + 5.1, dy + 7.3), (dx - 0.4, dy + 5.2)])
    transform = Affine(1.0, 0.0, 0.0, 0.0, -1.0, 8.0)
    shares = np.zeros((8, 10))
    for first, block in coverage_blocks(polygon, transform, (8, 10), block_rows=3):
        shares[first : first + block.shape[0]] += block
    expected = np.array([[polygon.intersection(box(c, 7 - r, c + 1, 8 - r)).area for c in range(10)] for r in range(8)])
    assert shares == pytest.approx(expected, abs=1e-9)
