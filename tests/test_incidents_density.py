"""mew:incidentdensity and core.density: QGIS's definition, hand-computed cases, QGIS's own heatmap."""

from __future__ import annotations

import json
import math
from datetime import date

import numpy as np
import pytest
import rasterio
from qgis.core import Qgis, QgsProcessingFeedback, QgsVectorLayer

from mission_early_warning.core.density import (
    Grid,
    Kernel,
    KernelSettings,
    Method,
    OutputValue,
    choose_method,
    density_exact,
    density_fast,
    iter_density_fast,
    scaled_as_qgis,
)

RNG = np.random.default_rng(20261121)


@pytest.fixture(scope="module")
def demo_incidents(mew, demo_mission, tmp_path_factory):
    """The demo CSV imported (EPSG:4326) and reprojected to the mission's UTM zone."""
    folder = tmp_path_factory.mktemp("density")
    imported = mew.run(
        "mew:importincidents",
        {
            "INPUT": str(demo_mission.path / demo_mission.truth["incidents"]["csv"]),
            "OUTPUT": str(folder / "incidents.gpkg"),
            "REJECTED": str(folder / "rejected.gpkg"),
        },
    )
    projected = mew.run(
        "native:reprojectlayer",
        {"INPUT": imported["OUTPUT"], "TARGET_CRS": "EPSG:32630", "OUTPUT": str(folder / "incidents_utm.gpkg")},
    )
    return {"folder": folder, "lonlat": imported["OUTPUT"], "utm": projected["OUTPUT"]}


def _points(layer_path: str, *fields: str):
    layer = QgsVectorLayer(layer_path, "points", "ogr")
    rows = [
        (f.geometry().asPoint().x(), f.geometry().asPoint().y(), *(f[n] for n in fields)) for f in layer.getFeatures()
    ]
    return layer, rows


def _read(path):
    with rasterio.open(path) as dataset:
        values = dataset.read(1).astype(float)
        if dataset.nodata is not None:
            values[values == dataset.nodata] = 0.0  # QGIS leaves pixels no kernel reached as nodata
        return values, dataset.transform, dataset.crs, dataset.tags()


# --- the definition, by hand --------------------------------------------------------------------
def test_kernel_values_and_qgis_constants_by_hand():
    # one point 3 pixels east and 4 north of a pixel centre: distance 500 m from it, radius 1000 m
    grid = Grid(0.0, 2000.0, 100.0, 20, 20)
    x, y = np.array([1050.0 + 300.0]), np.array([2000.0 - 1050.0 + 400.0])
    u2 = 0.25  # (500 / 1000)²
    r2 = 1000.0**2
    expected = {
        (Kernel.QUARTIC, OutputValue.RAW): (1 - u2) ** 2,
        (Kernel.QUARTIC, OutputValue.SCALED): 16 / (5 * math.pi * r2) * 15 / 16 * (1 - u2) ** 2,
        (Kernel.QUARTIC, OutputValue.SCALED_BEFORE_QGIS_3_40_4): 116 / (5 * math.pi * r2) * 15 / 16 * (1 - u2) ** 2,
        (Kernel.TRIWEIGHT, OutputValue.SCALED_BEFORE_QGIS_3_40_4): 128 / (35 * math.pi * r2) * 35 / 32 * (1 - u2) ** 3,
        (Kernel.QUARTIC, OutputValue.DENSITY): 3 / (math.pi * r2) * (1 - u2) ** 2 * 1e6,
        (Kernel.TRIWEIGHT, OutputValue.SCALED): 128 / (35 * math.pi * r2) * 35 / 32 * (1 - u2) ** 3,
        (Kernel.EPANECHNIKOV, OutputValue.SCALED): 8 / (3 * math.pi * r2) * 3 / 4 * (1 - u2),
        (Kernel.UNIFORM, OutputValue.SCALED): 2 / (math.pi * 1000) * (0.5 / 1000),
        (Kernel.UNIFORM, OutputValue.RAW): 1.0,
        (Kernel.TRIANGULAR, OutputValue.RAW): 1 - 0.5,
    }
    for (kernel, output), value in expected.items():
        grid_values = density_exact(x, y, grid, KernelSettings(1000.0, kernel, output))
        assert grid_values[10, 10] == pytest.approx(value, rel=1e-12), (kernel, output)
    decayed = density_exact(x, y, grid, KernelSettings(1000.0, Kernel.TRIANGULAR, OutputValue.SCALED, decay=0.5))
    assert decayed[10, 10] == pytest.approx(3 / (2 * math.pi * r2) * (1 - 0.5 * 0.5), rel=1e-12)
    weighted = density_exact(x, y, grid, KernelSettings(1000.0), weights=np.array([4.0]))
    assert weighted[10, 10] == pytest.approx(4 * (1 - u2) ** 2, rel=1e-12)


def test_scaled_follows_the_qgis_version_that_runs_it():
    """QGIS corrected its scaled quartic constant (116 -> 16) in 3.40.4; earlier releases keep the typo."""
    assert scaled_as_qgis(32216) is OutputValue.SCALED_BEFORE_QGIS_3_40_4
    assert scaled_as_qgis(34003) is OutputValue.SCALED_BEFORE_QGIS_3_40_4
    assert scaled_as_qgis(34004) is OutputValue.SCALED
    assert scaled_as_qgis(34416) is OutputValue.SCALED


def test_qgis_grid_definition():
    grid = Grid.like_qgis_heatmap(1000.0, 5000.0, 1950.0, 5310.0, 500.0, 100.0)
    assert (grid.x_min, grid.y_max) == (500.0, 5810.0)
    assert (grid.cols, grid.rows) == (math.ceil(1950 / 100) + 1, math.ceil(1310 / 100) + 1)


@pytest.mark.parametrize("kernel", list(Kernel))
def test_exact_is_the_kernel_sum_at_every_pixel_centre(kernel):
    x = RNG.uniform(1000, 3000, 7)
    y = RNG.uniform(1000, 2500, 7)
    w = RNG.uniform(0.5, 3, 7)
    grid = Grid.like_qgis_heatmap(x.min(), y.min(), x.max(), y.max(), 650.0, 90.0)
    got = density_exact(x, y, grid, KernelSettings(650.0, kernel, OutputValue.SCALED, decay=0.3), weights=w)
    r = 650.0
    brute = np.zeros((grid.rows, grid.cols))
    for i in range(grid.rows):
        for j in range(grid.cols):
            cx, cy = grid.x_min + (j + 0.5) * 90.0, grid.y_max - (i + 0.5) * 90.0
            for px, py, pw in zip(x, y, w):
                d = math.hypot(cx - px, cy - py)
                if d > r:
                    continue
                u = d / r
                brute[i, j] += (
                    pw
                    * {
                        Kernel.QUARTIC: 16 / (5 * math.pi * r * r) * 15 / 16 * (1 - u * u) ** 2,
                        Kernel.TRIANGULAR: 3 / (1.6 * math.pi * r * r) * (1 - 0.7 * u),
                        Kernel.UNIFORM: 1 / (math.pi * r * r),
                        Kernel.TRIWEIGHT: 128 / (35 * math.pi * r * r) * 35 / 32 * (1 - u * u) ** 3,
                        Kernel.EPANECHNIKOV: 8 / (3 * math.pi * r * r) * 3 / 4 * (1 - u * u),
                    }[kernel]
                )
    np.testing.assert_allclose(got, brute, rtol=1e-6, atol=1e-6 * brute.max())


# --- fast against exact ----------------------------------------------------------------------
@pytest.mark.parametrize("kernel", [Kernel.QUARTIC, Kernel.TRIWEIGHT])
@pytest.mark.parametrize(("radius", "pixel"), [(5000.0, 100.0), (2000.0, 250.0), (1000.0, 100.0)])
def test_fast_stays_within_0_05_percent_of_the_maximum(kernel, radius, pixel):
    single = [
        (np.array([400_000.0 + RNG.uniform(0, pixel)]), np.array([1_600_000.0 + RNG.uniform(0, pixel)]))
        for _ in range(4)
    ]
    centres = RNG.uniform(0, 60_000, (5, 2))
    pick = RNG.integers(0, 5, 800)
    cluster = (centres[pick, 0] + RNG.normal(0, 3000, 800), centres[pick, 1] + RNG.normal(0, 3000, 800))
    for x, y in [*single, cluster]:
        grid = Grid.like_qgis_heatmap(x.min(), y.min(), x.max(), y.max(), radius, pixel)
        exact = density_exact(x, y, grid, KernelSettings(radius, kernel))
        fast = density_fast(x, y, grid, KernelSettings(radius, kernel))
        assert np.abs(fast - exact).max() <= 5e-4 * exact.max()


def test_bands_join_seamlessly():
    rng = np.random.default_rng(146)  # its own generator: the band count must not depend on test order
    x, y = rng.normal(0, 8000, 2000), rng.normal(0, 8000, 2000)
    grid = Grid.like_qgis_heatmap(x.min(), y.min(), x.max(), y.max(), 2000.0, 250.0)
    whole = density_fast(x, y, grid, KernelSettings(2000.0), refinement=2)
    banded = np.zeros_like(whole)
    bands = list(iter_density_fast(x, y, grid, KernelSettings(2000.0), max_band_cells=50_000, refinement=2))
    assert len(bands) > 3
    for first, values in bands:
        banded[first : first + values.shape[0]] = values
    np.testing.assert_allclose(banded, whole, atol=1e-5 * whole.max())


def test_kernels_with_a_kink_or_step_use_the_direct_sum_when_it_is_cheap():
    assert choose_method(Method.FAST, KernelSettings(5000.0, Kernel.UNIFORM), 2_000, 100.0) is Method.EXACT
    assert choose_method(Method.FAST, KernelSettings(5000.0, Kernel.QUARTIC), 10_000, 100.0) is Method.FAST
    assert choose_method(Method.FAST, KernelSettings(5000.0, Kernel.UNIFORM), 1_000_000, 100.0) is Method.FAST


@pytest.mark.parametrize("kernel", list(Kernel))
def test_density_integrates_to_the_weighted_count(kernel):
    x, y = RNG.normal(0, 10_000, 500), RNG.normal(0, 10_000, 500)
    w = RNG.integers(0, 6, 500).astype(float)
    grid = Grid.like_qgis_heatmap(x.min(), y.min(), x.max(), y.max(), 4000.0, 100.0)
    values = density_fast(x, y, grid, KernelSettings(4000.0, kernel, OutputValue.DENSITY, decay=0.2), weights=w)
    pixel_km2 = (100.0 / 1000.0) ** 2
    assert values.sum() * pixel_km2 == pytest.approx(w.sum(), rel=5e-3)


# --- against QGIS's own heatmap, through Processing ----------------------------------------------
@pytest.mark.parametrize("output_value", [0, 1])
def test_grid_equals_qgis_heatmap_and_values_within_its_own_deviation(mew, demo_incidents, output_value):
    folder = demo_incidents["folder"]
    common = {
        "INPUT": demo_incidents["utm"],
        "RADIUS": 5000,
        "PIXEL_SIZE": 100,
        "KERNEL": 0,
        "OUTPUT_VALUE": output_value,
    }
    qgis_out = mew.run(
        "qgis:heatmapkerneldensityestimation", {**common, "OUTPUT": str(folder / f"qgis{output_value}.tif")}
    )
    ours_out = mew.run("mew:incidentdensity", {**common, "OUTPUT": str(folder / f"mew{output_value}.tif")})
    qgis_values, qgis_transform, qgis_crs, _ = _read(qgis_out["OUTPUT"])
    ours, transform, crs, tags = _read(ours_out["OUTPUT"])

    assert ours.shape == qgis_values.shape
    assert transform.almost_equals(qgis_transform, precision=1e-6)
    assert crs == qgis_crs
    assert tags["MEW_OUTPUT_VALUE"] == ("raw", "scaled")[output_value]

    layer, rows = _points(demo_incidents["utm"])
    xy = np.array(rows, dtype=float)
    extent = layer.extent()
    grid = Grid.like_qgis_heatmap(
        extent.xMinimum(), extent.yMinimum(), extent.xMaximum(), extent.yMaximum(), 5000.0, 100.0
    )
    # "scaled" follows the constants of the QGIS running the test: QGIS's own heatmap is the judge
    expected_value = scaled_as_qgis(Qgis.QGIS_VERSION_INT) if output_value == 1 else OutputValue.RAW
    assert output_value == 0 or ("< 3.40.4" in tags["MEW_UNITS"]) == (Qgis.QGIS_VERSION_INT < 34004)
    exact = density_exact(xy[:, 0], xy[:, 1], grid, KernelSettings(5000.0, Kernel.QUARTIC, expected_value))
    peak = exact.max()
    qgis_deviation = np.abs(qgis_values - exact).max()
    assert np.abs(ours - exact).max() <= 5e-4 * peak
    # QGIS 3.22 places each kernel with a sub-pixel offset: measured ~0.15 % of the peak here
    assert np.abs(ours - qgis_values).max() <= qgis_deviation + 5e-4 * peak
    assert qgis_deviation < 5e-3 * peak  # sanity: the same kernel, constants and grid


def test_geographic_input_is_analysed_in_a_local_metric_crs(mew, demo_incidents, demo_mission):
    out = mew.run(
        "mew:incidentdensity",
        {
            "INPUT": demo_incidents["lonlat"],
            "RADIUS": 5000,
            "PIXEL_SIZE": 100,
            "OUTPUT_VALUE": 2,
            "OUTPUT": str(demo_incidents["folder"] / "geo.tif"),
        },
    )
    values, transform, crs, tags = _read(out["OUTPUT"])
    assert crs.to_epsg() == 32630  # central Mali: UTM 30N, metres
    assert transform.a == 100.0 and transform.e == -100.0
    assert values.sum() * 0.01 == pytest.approx(demo_mission.truth["incidents"]["valid"], rel=5e-3)
    assert "per km²" in tags["MEW_UNITS"]


def test_period_and_weight_field(mew, demo_incidents):
    _, rows = _points(demo_incidents["lonlat"], "event_date", "fatalities")
    start, end = date(2025, 1, 1), date(2025, 12, 31)
    inside = [r for r in rows if start <= r[2].toPyDate() <= end]
    out = mew.run(
        "mew:incidentdensity",
        {
            "INPUT": demo_incidents["lonlat"],
            "RADIUS": 4000,
            "PIXEL_SIZE": 200,
            "OUTPUT_VALUE": 2,
            "WEIGHT_FIELD": "fatalities",
            "DATE_FIELD": "event_date",
            "START": "2025-01-01",
            "END": "2025-12-31",
            "OUTPUT": str(demo_incidents["folder"] / "period.tif"),
        },
    )
    values, _, _, tags = _read(out["OUTPUT"])
    fatalities = sum(r[3] or 0 for r in inside)
    assert 0 < len(inside) < len(rows)
    assert int(tags["MEW_POINTS"]) == len(inside)
    assert values.sum() * 0.04 == pytest.approx(fatalities, rel=5e-3)


def test_cancel_writes_nothing(mew, demo_incidents):
    feedback = QgsProcessingFeedback()
    feedback.cancel()
    target = demo_incidents["folder"] / "cancelled.tif"
    mew.run("mew:incidentdensity", {"INPUT": demo_incidents["utm"], "OUTPUT": str(target)}, feedback=feedback)
    assert not target.exists()
    assert not list(demo_incidents["folder"].glob(".cancelled*"))


def test_through_qgis_process(run_qgis_process, demo_incidents):
    target = demo_incidents["folder"] / "qgis_process.tif"
    done = run_qgis_process(
        "run",
        "mew:incidentdensity",
        "--json",
        "--",
        f"INPUT={demo_incidents['utm']}",
        "RADIUS=3000",
        "PIXEL_SIZE=250",
        "KERNEL=3",
        "OUTPUT_VALUE=2",
        f"OUTPUT={target}",
    )
    assert done.returncode == 0, done.stderr + done.stdout
    result = json.loads(done.stdout[done.stdout.index("{") :])
    assert result["results"]["OUTPUT"] == str(target)
    values, _, _, tags = _read(target)
    assert tags["MEW_KERNEL"] == "triweight"
    assert values.sum() * 0.0625 == pytest.approx(int(tags["MEW_POINTS"]), rel=5e-3)
    assert target.with_suffix(".qml").exists()


def test_a_period_without_incidents_is_a_clear_error(mew, demo_incidents):
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException, match="no incident points"):
        mew.run(
            "mew:incidentdensity",
            {
                "INPUT": demo_incidents["lonlat"],
                "DATE_FIELD": "event_date",
                "START": "2030-01-01",
                "OUTPUT": str(demo_incidents["folder"] / "empty.tif"),
            },
        )
    assert not (demo_incidents["folder"] / "empty.tif").exists()


def test_memory_layer_with_multipoints_and_weights(mew, tmp_path):
    from qgis.core import QgsFeature, QgsGeometry

    layer = QgsVectorLayer("MultiPoint?crs=EPSG:32630&field=w:double", "mem", "memory")
    features = []
    parts = [("MultiPoint((400000 1600000), (401234 1600567))", 2.0), ("MultiPoint((399100 1599300))", None)]
    for wkt, weight in parts:
        feature = QgsFeature(layer.fields())
        feature.setGeometry(QgsGeometry.fromWkt(wkt))
        feature.setAttributes([weight])
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    out = mew.run(
        "mew:incidentdensity",
        {
            "INPUT": layer,
            "RADIUS": 1500,
            "PIXEL_SIZE": 50,
            "WEIGHT_FIELD": "w",
            "METHOD": 1,
            "OUTPUT": str(tmp_path / "mem.tif"),
        },
    )
    values, transform, _, tags = _read(out["OUTPUT"])
    x, y = np.array([400000.0, 401234.0, 399100.0]), np.array([1600000.0, 1600567.0, 1599300.0])
    grid = Grid.like_qgis_heatmap(x.min(), y.min(), x.max(), y.max(), 1500.0, 50.0)
    # the NULL weight counts 0
    expected = density_exact(x, y, grid, KernelSettings(1500.0), weights=np.array([2.0, 2.0, 0.0]))
    assert (transform.c, transform.f) == (grid.x_min, grid.y_max)
    np.testing.assert_allclose(values, expected, rtol=1e-6, atol=1e-6)
    assert tags["MEW_METHOD"] == "exact" and tags["MEW_POINTS"] == "3"
