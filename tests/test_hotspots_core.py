"""Gi* engine against esda, Mann-Kendall against pymannkendall, the 17 categories rule by rule."""

from __future__ import annotations

import warnings
from datetime import date

import numpy as np
import pytest
from pyproj import CRS
from shapely.geometry import Point, Polygon, box

from mission_early_warning.core import emerging as em
from mission_early_warning.core import emerging_analysis as em_analysis
from mission_early_warning.core.errors import MewError
from mission_early_warning.core.getis_ord import (
    CONFIDENCE_ALPHAS,
    fdr_thresholds,
    gi_bins,
    gi_star_features,
    gi_star_grid,
    two_sided_p,
)
from mission_early_warning.core.getis_ord_analysis import (
    FeatureSettings,
    GridSettings,
    Incidents,
    Message,
    StudyArea,
    hot_spots_on_features,
    hot_spots_on_grid,
)
from mission_early_warning.core.getis_ord_band import automatic_grid_band
from mission_early_warning.core.getis_ord_grid import Grid, cells_inside, count_points
from mission_early_warning.core.getis_ord_study_area import analysis_grid
from mission_early_warning.core.getis_ord_weights import distance_weights, knn_weights, queen_weights
from mission_early_warning.core.timesteps import parse_date, parse_time_step

warnings.filterwarnings("ignore", message="geopandas not available")
esda = pytest.importorskip("esda")
libpysal = pytest.importorskip("libpysal")
mk = pytest.importorskip("pymannkendall")


def esda_z(values: np.ndarray, w) -> np.ndarray:
    return esda.G_Local(values, w, star=True, transform="B", permutations=0).Zs


def irregular_grid(kind: str, rng) -> tuple[Grid, np.ndarray, np.ndarray]:
    grid = Grid(kind, 1000.0, 2000.0, 10.0, 23, 31)
    x, y = grid.centres()
    inside = ((x - 1150) ** 2 / 150**2 + (y - 2110) ** 2 / 100**2) < 1  # an ellipse
    inside &= ~((x > 1100) & (x < 1140) & (y > 2060) & (y < 2120))  # with a lake cut out
    values = rng.poisson(2, grid.shape).astype(float)
    values[~inside] = 50.0  # outside the study area: must be ignored, not counted
    return grid, inside, values


@pytest.mark.parametrize("kind", ["fishnet", "hexagon"])
@pytest.mark.parametrize("band", [10.5, 25.0, 31.0])
def test_grid_gi_star_equals_esda_on_irregular_study_area(kind, band):
    grid, inside, values = irregular_grid(kind, np.random.default_rng(7))
    result = gi_star_grid(values, inside, grid, band, fdr=False)
    x, y = grid.centres()
    w = libpysal.weights.DistanceBand(np.c_[x[inside], y[inside]], threshold=band, binary=True, silence_warnings=True)
    np.testing.assert_allclose(result.z[inside], esda_z(values[inside], w), rtol=0, atol=1e-9)
    assert np.isnan(result.z[~inside]).all()
    assert (result.neighbours[inside] == np.asarray(w.sparse.sum(axis=1)).ravel() + 1).all()


def test_points_distance_and_knn_equal_esda():
    rng = np.random.default_rng(2)
    xy = rng.uniform(0, 1000, (250, 2))
    values = rng.poisson(3, 250).astype(float)
    r = gi_star_features(values, distance_weights(xy, 120.0))
    w = libpysal.weights.DistanceBand(xy, threshold=120.0, binary=True, silence_warnings=True)
    np.testing.assert_allclose(r.z, esda_z(values, w), atol=1e-9)
    r = gi_star_features(values, knn_weights(xy, 6))
    np.testing.assert_allclose(r.z, esda_z(values, libpysal.weights.KNN(xy, k=6)), atol=1e-9)


def jittered_polygons(n: int, rng) -> list[Polygon]:
    gx, gy = np.meshgrid(np.arange(n + 1) * 10.0, np.arange(n + 1) * 10.0)
    gx = gx + rng.uniform(-3, 3, gx.shape)
    gy = gy + rng.uniform(-3, 3, gy.shape)
    return [
        Polygon([(gx[i, j], gy[i, j]), (gx[i, j + 1], gy[i, j + 1]), (gx[i + 1, j + 1], gy[i + 1, j + 1]),
                 (gx[i + 1, j], gy[i + 1, j])])
        for i in range(n)
        for j in range(n)
    ]  # fmt: skip


def test_polygons_queen_distance_knn_equal_esda():
    rng = np.random.default_rng(5)
    polygons = jittered_polygons(12, rng)
    values = rng.poisson(3, len(polygons)).astype(float)
    queen = queen_weights(polygons)
    np.testing.assert_allclose(
        gi_star_features(values, queen).z, esda_z(values, libpysal.weights.Queen.from_iterable(polygons)), atol=1e-9
    )
    centroids = np.array([[p.centroid.x, p.centroid.y] for p in polygons])
    w = libpysal.weights.DistanceBand(centroids, threshold=16.0, binary=True, silence_warnings=True)
    np.testing.assert_allclose(gi_star_features(values, distance_weights(centroids, 16.0)).z, esda_z(values, w))
    w = libpysal.weights.KNN(centroids, k=5)
    np.testing.assert_allclose(gi_star_features(values, knn_weights(centroids, 5)).z, esda_z(values, w))


def test_hand_computed_three_by_three():
    # 3×3 fishnet, band = 1 cell (rook + self). Centre cell: 5 neighbours incl. itself.
    values = np.array([[0, 1, 0], [1, 5, 1], [0, 1, 0]], dtype=float)
    r = gi_star_grid(values, np.ones((3, 3), bool), Grid("fishnet", 0, 0, 1, 3, 3), 1.0, fdr=False)
    n, mean = 9, 1.0
    sd = np.sqrt((25 + 4) / 9 - 1)
    z_centre = (9 - mean * 5) / (sd * np.sqrt((n * 5 - 25) / (n - 1)))
    assert r.z[1, 1] == pytest.approx(z_centre, abs=1e-12)
    assert r.neighbours[0, 0] == 3 and r.neighbours[0, 1] == 4


def test_bins_and_fdr_change_only_bins():
    z = np.array([4.0, 2.7, 2.0, 1.7, 0.2, -2.0, -2.7, -3.5])
    p = two_sided_p(z)
    assert list(gi_bins(z, p, fdr=False)) == [3, 3, 2, 1, 0, -2, -3, -3]
    # BH at 5 %: sorted p, largest k with p_(k) ≤ 0.05 k / 8.
    limits = fdr_thresholds(p)
    sorted_p = np.sort(p)
    for alpha, limit in zip(CONFIDENCE_ALPHAS, limits):
        passing = [pk for k, pk in enumerate(sorted_p, 1) if pk <= alpha * k / 8]
        assert limit == (max(passing) if passing else -1.0)
    fdr_bins = gi_bins(z, p, fdr=True)
    assert (np.abs(fdr_bins) <= np.abs(gi_bins(z, p, fdr=False))).all()


def test_no_variance_and_too_few_cells_are_clear_errors():
    grid = Grid("fishnet", 0, 0, 1, 4, 4)
    with pytest.raises(MewError, match="no variation"):
        gi_star_grid(np.ones((4, 4)), np.ones((4, 4), bool), grid, 1.0)
    with pytest.raises(MewError, match="at least 3"):
        gi_star_grid(np.ones((4, 4)), np.eye(4, dtype=bool) & (np.arange(4) < 2), grid, 1.0)
    with pytest.raises(MewError, match="Lower K"):
        knn_weights(np.zeros((3, 2)), 5)


def test_hexagon_locate_returns_nearest_centre():
    grid = Grid("hexagon", 0.0, 0.0, 10.0, 12, 12)
    rng = np.random.default_rng(0)
    x, y = rng.uniform(10, 90, 2000), rng.uniform(10, 90, 2000)
    r, c = grid.locate(x, y)
    cx, cy = grid.centres()
    d_assigned = np.hypot(cx[r, c] - x, cy[r, c] - y)
    d_best = np.hypot(cx.ravel()[None, :] - x[:, None], cy.ravel()[None, :] - y[:, None]).min(axis=1)
    np.testing.assert_allclose(d_assigned, d_best, atol=1e-9)


def test_cells_inside_uses_cell_centres():
    square = Polygon([(1, 1), (41, 1), (41, 41), (1, 41)])
    for kind in ("fishnet", "hexagon"):
        grid = Grid(kind, -20.0, -20.0, 10.0, 10, 10)
        inside = cells_inside(grid, [square])
        x, y = grid.centres()
        assert (inside == ((x > 1) & (x < 41) & (y > 1) & (y < 41))).all()


def test_automatic_band_finds_planted_cluster_scale():
    rng = np.random.default_rng(11)
    grid = Grid("fishnet", 0, 0, 1, 60, 60)
    values = rng.poisson(1, grid.shape).astype(float)
    values[20:30, 20:30] += 3
    choice = automatic_grid_band(values, np.ones(grid.shape, bool), grid)
    assert "first peak" in choice.method and 2 <= choice.band <= 12
    noise = automatic_grid_band(rng.poisson(1, grid.shape).astype(float), np.ones(grid.shape, bool), grid)
    assert noise.band > 0


# --------------------------------------------------------------------------------------
# Mann-Kendall and space-time
# --------------------------------------------------------------------------------------
def test_mann_kendall_equals_pymannkendall():
    rng = np.random.default_rng(3)
    series = rng.normal(size=(40, 36))
    series[:10] = np.round(series[:10])  # ties
    series[10] = 1.0  # all tied
    series[11] = np.arange(36.0)  # perfect trend
    series[12, ::2] = series[12, 1::2]  # pairs of ties
    ours = em.mann_kendall(series)
    for i, row in enumerate(series):
        ref = mk.original_test(row)
        for mine, theirs in ((ours.s, ref.s), (ours.var_s, ref.var_s), (ours.z, ref.z), (ours.p, ref.p),
                             (ours.tau, ref.Tau)):  # fmt: skip
            assert abs(mine[i] - theirs) <= 1e-9, (i, mine[i], theirs)


def test_space_time_gi_equals_esda_on_space_time_weights():
    rng = np.random.default_rng(4)
    grid = Grid("fishnet", 0.0, 0.0, 1.0, 6, 7)
    inside = np.ones(grid.shape, bool)
    inside[0, :2] = False
    steps, window, band = 5, 1, 1.5
    cube = rng.poisson(2, (steps, *grid.shape)).astype(float)
    result = em.space_time_gi(cube, em.CubeSettings(grid, inside, band, window, fdr=False))
    # Reference: explicit space-time binary weights (space within band, time t-window..t), esda G_Local.
    x, y = grid.centres()
    cells = np.argwhere(inside)
    ids = [(t, r, c) for t in range(steps) for r, c in cells]
    neighbours = {}
    for a, (t, r, c) in enumerate(ids):
        neighbours[a] = [
            b for b, (t2, r2, c2) in enumerate(ids)
            if b != a and 0 <= t - t2 <= window
            and np.hypot(x[r, c] - x[r2, c2], y[r, c] - y[r2, c2]) <= band
        ]  # fmt: skip
    w = libpysal.weights.W(neighbours, silence_warnings=True)
    values = np.array([cube[t, r, c] for t, r, c in ids])
    ref = esda_z(values, w)
    ours = np.array([result.z[t, r, c] for t, r, c in ids])
    # Temporal neighbours look back only, so the weights are asymmetric; esda takes rows as they are.
    np.testing.assert_allclose(ours, ref, atol=1e-9)


def series(hot: str) -> np.ndarray:
    """Bins from a string: H hot, C cold, . not significant."""
    return np.array([[{"H": 2, "C": -2, ".": 0}[ch] for ch in hot]], dtype=np.int8)


def category(pattern: str, trend_z: float = 0.0, trend_p: float = 1.0) -> str:
    code = em.classify(series(pattern), np.array([trend_z]), np.array([trend_p]))[0]
    return em.CATEGORY_NAMES[int(code)]


def mirror(pattern: str) -> str:
    return pattern.translate(str.maketrans("HC", "CH"))


@pytest.mark.parametrize(
    ("pattern", "trend_z", "trend_p", "expected"),
    [
        ("..........", 0.0, 1.0, "No Pattern Detected"),
        (".........H", 0.0, 1.0, "New Hot Spot"),
        ("C.C......H", 0.0, 1.0, "New Hot Spot"),  # never hot before: new, even with earlier cold
        ("......HHHH", 2.0, 0.001, "Consecutive Hot Spot"),
        ("..H...HHHH", 0.0, 1.0, "Sporadic Hot Spot"),  # hot before the final run: not consecutive
        ("HHHHHHHHHH", 3.0, 0.001, "Intensifying Hot Spot"),
        (".HHHHHHHHH", 3.0, 0.001, "Intensifying Hot Spot"),  # 90 % exactly
        ("HHHHHHHHHH", 1.0, 0.3, "Persistent Hot Spot"),
        ("HHHHHHHHHH", 3.0, 0.03, "Persistent Hot Spot"),  # trend not significant at 1 %
        ("HHHHHHHHHH", -3.0, 0.001, "Diminishing Hot Spot"),
        ("H.HH.H..HH", 0.0, 1.0, "Sporadic Hot Spot"),
        ("H.HC.H..HH", 0.0, 1.0, "Oscillating Hot Spot"),
        ("HHHHHHHHH.", -3.0, 0.001, "Historical Hot Spot"),
        ("..HHHHHHH.", 0.0, 1.0, "No Pattern Detected"),  # 70 % hot, not at the end
        ("HHHHHHHHHC", 0.0, 1.0, "New Cold Spot"),  # the final step decides
    ],
)
def test_category_rules(pattern, trend_z, trend_p, expected):
    assert category(pattern, trend_z, trend_p) == expected
    # Cold spots mirror hot spots (with the trend reversed).
    mirrored = expected.replace("Hot", "@").replace("Cold", "Hot").replace("@", "Cold")
    assert category(mirror(pattern), -trend_z, trend_p) == mirrored


def test_emerging_vectorised_over_cells_finds_new_cluster():
    rng = np.random.default_rng(9)
    grid = Grid("fishnet", 0, 0, 1, 30, 30)
    cube = rng.poisson(1, (24, 30, 30)).astype(float)
    cube[18:, 10:14, 10:14] += 5
    result = em.emerging_hot_spots(cube, em.CubeSettings(grid, np.ones(grid.shape, bool), 2.0, 1))
    codes = result.category.reshape(grid.shape)
    assert set(np.unique(codes[11:13, 11:13])) <= {em.NEW, em.CONSECUTIVE, em.INTENSIFYING}
    assert (codes == 0).mean() > 0.9


def test_time_steps_and_dates():
    step = parse_time_step("1 quarter")
    days = np.array(["2024-02-10", "2024-04-01", "2024-12-31"], dtype="datetime64[D]")
    index, starts = step.index(days)
    assert list(index) == [0, 1, 3] and str(starts[0]) == "2024-01-01"
    index, _ = parse_time_step("2 weeks").index(days)
    assert list(index) == [0, 3, 23]
    assert parse_time_step("month").count == 1
    with pytest.raises(MewError, match="TIME_STEP"):
        parse_time_step("fortnightly")
    assert str(parse_date("31 December 2025")) == "2025-12-31"
    assert str(parse_date("2025-12-31T10:00:00")) == "2025-12-31"
    assert str(parse_date("December 31, 2025")) == "2025-12-31"
    assert parse_date("") is None and parse_date("31 Foo 2025") is None


# --------------------------------------------------------------------------------------
# The engine calls of the algorithms: columns and settings in, cells and decisions out
# --------------------------------------------------------------------------------------
UTM_30N = CRS.from_epsg(32630)


def clustered_incidents(rng, n: int = 1500) -> np.ndarray:
    background = rng.uniform(0, 40_000, (n, 2))
    cluster = rng.normal(25_000, 1_500, (n // 5, 2))
    return np.vstack([background, cluster]) + np.array([400_000.0, 1_500_000.0])


def test_grid_engine_call_equals_its_steps_and_counts_what_it_leaves_out():
    xy = clustered_incidents(np.random.default_rng(11))
    xy[:3] = np.nan  # coordinates the layer's CRS cannot place
    area = box(402_000, 1_502_000, 438_000, 1_538_000)
    heard: list[Message] = []
    incidents = Incidents(xy, UTM_30N, np.arange(len(xy)), unlocated=4)
    result = hot_spots_on_grid(incidents, GridSettings("hexagon"), StudyArea([area], UTM_30N), listener=heard.append)

    placed = xy[3:]
    setup = analysis_grid("hexagon", placed, 0, [area])
    counts = count_points(setup.grid, placed[:, 0], placed[:, 1])
    band = automatic_grid_band(counts, setup.inside, setup.grid).band
    steps = gi_star_grid(counts, setup.inside, setup.grid, band, fdr=True)
    assert result.grid == setup.grid and result.band == band
    np.testing.assert_array_equal(result.gi.z, steps.z[setup.inside])
    np.testing.assert_array_equal(result.counts, counts[setup.inside])
    assert result.left_out == {
        "without a location": 4,
        "cannot be placed": 3,
        "outside the study area": setup.outside_study_area,
    }
    assert setup.outside_study_area > 0
    assert heard == result.messages and any(m.warning and "cannot be placed" in m.text for m in heard)
    assert result.cell_ids.tolist() == (result.rows * setup.grid.cols + result.cols).tolist()


def test_a_study_area_in_another_crs_is_moved_into_the_analysis_crs():
    from pyproj import Transformer
    from shapely.ops import transform

    xy = clustered_incidents(np.random.default_rng(12))
    area = box(402_100, 1_502_100, 437_900, 1_537_900)
    to_lonlat = Transformer.from_crs(UTM_30N, CRS.from_epsg(4326), always_xy=True)
    area_lonlat = transform(to_lonlat.transform, area)
    settings = GridSettings("fishnet", 1000.0, 3000.0)
    metric = hot_spots_on_grid(Incidents(xy, UTM_30N, np.arange(len(xy))), settings, StudyArea([area], UTM_30N))
    lonlat = hot_spots_on_grid(
        Incidents(xy, UTM_30N, np.arange(len(xy))), settings, StudyArea([area_lonlat], CRS.from_epsg(4326))
    )
    np.testing.assert_array_equal(metric.cell_ids, lonlat.cell_ids)
    np.testing.assert_allclose(metric.gi.z, lonlat.gi.z, atol=1e-12)


def test_the_grid_engine_tells_its_warnings_before_it_fails():
    xy = clustered_incidents(np.random.default_rng(13), 300)
    heard: list[Message] = []
    incidents = Incidents(xy, UTM_30N, np.arange(len(xy)), weights=[None] * len(xy), weight_field="deaths")
    with pytest.raises(MewError, match=r"All grid cells are equal \(0\)"):
        hot_spots_on_grid(incidents, GridSettings(cell_size=2000.0, distance_band=5000.0), listener=heard.append)
    assert any(m.warning and "Every value of the weight field 'deaths' is NULL" in m.text for m in heard)


def test_feature_engine_call_chooses_neighbours_and_refuses_contiguity_of_points():
    rng = np.random.default_rng(2)
    xy = rng.uniform(0, 1000, (250, 2))
    values = rng.poisson(3, 250).astype(float)
    points = [Point(x, y) for x, y in xy]
    result = hot_spots_on_features(points, values, FeatureSettings("distance", distance_band=120.0, fdr=False))
    np.testing.assert_array_equal(result.gi.z, gi_star_features(values, distance_weights(xy, 120.0), fdr=False).z)
    assert result.band == 120.0 and Message("Neighbours: distance band 120.") in result.messages
    chosen = hot_spots_on_features(points, values, FeatureSettings())
    assert chosen.band is not None and chosen.messages[0].text.startswith(f"Distance band {chosen.band:g} chosen")
    with pytest.raises(MewError, match="need polygons"):
        hot_spots_on_features(points, values, FeatureSettings("contiguity"))


def test_emerging_engine_call_dates_places_and_counts_incidents():
    rng = np.random.default_rng(14)
    xy = clustered_incidents(rng, 2000)
    days = np.datetime64("2024-01-01") + rng.integers(0, 366, len(xy))
    dates: list = [str(day) for day in days]
    dates[:5] = [None, "", "someday", None, "n/a"]
    settings = em_analysis.EmergingSettings(
        parse_time_step("1 month"), cell_size=2000.0, distance_band=5000.0, end=date(2024, 10, 31)
    )
    heard: list[Message] = []
    result = em_analysis.emerging_hot_spots_on_grid(
        Incidents(xy, UTM_30N, np.arange(len(xy)), unlocated=2), dates, "day", settings, listener=heard.append
    )
    dated = days[5:]
    assert result.left_out == {
        "without a location": 2,
        "no readable date": 5,
        "outside the period": int((dated > np.datetime64("2024-10-31")).sum()),
    }
    assert len(result.step_starts) == 10 and str(result.step_starts[0]) == "2024-01-01"
    assert heard == result.messages
    counts, z, _, bins = result.bins()
    assert counts.sum() == len(xy) - 5 - result.left_out["outside the period"]
    cube = em.space_time_gi(result.counts, em.CubeSettings(result.grid, result.inside, 5000.0, 1))
    np.testing.assert_array_equal(z, cube.z[:, result.inside])
    np.testing.assert_array_equal(bins, cube.bins[:, result.inside])
    with pytest.raises(MewError, match="swap START and END"):
        em_analysis.EmergingSettings(parse_time_step("1 month"), start=date(2024, 2, 1), end=date(2024, 1, 1))
