"""The drought engine against a straightforward whole-array numpy reference, on small hand-made stacks.

Also: bad input gets a clear error naming the file or band, and leaves no output behind.
"""

from __future__ import annotations

import datetime as dt
import warnings
from pathlib import Path

import numpy as np
import pytest
import rasterio
from rasterio.transform import from_origin
from shapely.geometry import box

from mission_early_warning.core import drought
from mission_early_warning.core.drought import CLASS_NODATA, FLOAT_NODATA, ClassTable, MaskSpec
from mission_early_warning.core.errors import MewError

CRS = "EPSG:32630"
# 700 × 900 pixels: several 512-pixel windows, partial ones at the right and bottom edges.
HEIGHT, WIDTH = 700, 900
TRANSFORM = from_origin(300000, 1700000, 250, 250)
YEARS = list(range(2015, 2024))  # 2015–2022 baseline, 2023 target


def write(
    path,
    bands,
    *,
    dtype="float32",
    nodata=None,
    descriptions=None,
    transform=TRANSFORM,
    crs=CRS,
    scale=None,
    offset=None,
    tags=None,
):
    bands = np.asarray(bands)
    if bands.ndim == 2:
        bands = bands[None]
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=bands.shape[2],
        height=bands.shape[1],
        count=bands.shape[0],
        dtype=dtype,
        crs=crs,
        transform=transform,
        nodata=nodata,
        tiled=True,
    ) as dataset:
        dataset.write(bands.astype(dtype))
        for i, text in enumerate(descriptions or [], 1):
            dataset.set_band_description(i, text)
        if scale is not None:
            dataset.scales = [scale] * bands.shape[0]
            dataset.offsets = [offset or 0.0] * bands.shape[0]
        for band, band_tags in (tags or {}).items():
            dataset.update_tags(band, **band_tags)
    return str(path)


def read(path):
    with rasterio.open(path) as dataset:
        return dataset.read(1), dataset.tags()


def reference_index(index, target, baseline, min_obs=3):
    """Whole-array numpy, written the obvious way (NaN = invalid)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        count = np.sum(~np.isnan(baseline), axis=0)
        if index == "vci":
            low, high = np.nanmin(baseline, axis=0), np.nanmax(baseline, axis=0)
            result = np.clip(100.0 * (target - low) / (high - low), 0, 100)
            result[high == low] = np.nan
        elif index == "ndvi_anomaly":
            result = target - np.nanmean(baseline, axis=0)
        else:
            sd = np.nanstd(baseline, axis=0, ddof=1)
            result = (target - np.nanmean(baseline, axis=0)) / sd
            result[sd < drought.SD_EPSILON] = np.nan
    result[count < min_obs] = np.nan
    return result


@pytest.fixture(scope="module")
def modis_stack(tmp_path_factory):
    """MODIS-style int16 NDVI × 10000 with nodata -3000, ties, gaps and out-of-range values."""
    folder = tmp_path_factory.mktemp("modis")
    rng = np.random.default_rng(5)
    raw = rng.integers(-1500, 9000, (len(YEARS), HEIGHT, WIDTH)).astype(np.int16)
    raw[:, 10:20, 10:20] = 4321  # min = max over the baseline: a tie, nodata, no division by zero
    raw[:-1, 30:40, 30:40] = 5000
    raw[-1, 30:40, 30:40] = 5000
    raw[:6, 50:60, 50:60] = -3000  # only 2 valid baseline observations: nodata
    raw[-1, 70:80, 600:700] = -3000  # target missing
    raw[3, 100:300, 100:300] = -1999  # below VALID_MIN once scaled (-0.1999 < -0.15)
    raw[4, 400:650, 520:880] = 32000  # a saturated value above VALID_MAX
    path = write(
        folder / "modis.tif",
        raw,
        dtype="int16",
        nodata=-3000,
        scale=0.0001,
        offset=0.0,
        descriptions=[f"{y}-09-14" for y in YEARS],
    )
    return path, raw


def scaled(raw, low=-0.15, high=1.0):
    values = raw.astype(np.float64) * 0.0001
    values[raw == -3000] = np.nan
    values[(values < low) | (values > high)] = np.nan
    return values


@pytest.mark.parametrize("index", drought.INDICES)
def test_index_equals_numpy_reference_with_modis_scaling_valid_range_and_ties(tmp_path, modis_stack, index):
    path, raw = modis_stack
    out, classes_out = tmp_path / "index.tif", tmp_path / "classes.tif"
    result = drought.drought_index(
        [path],
        str(out),
        output_classes=str(classes_out),
        index=index,
        valid_min=-0.15,
        valid_max=1.0,
        baseline_start=2015,
        baseline_end=2022,
    )
    values = scaled(raw)
    expected = reference_index(index, values[-1], values[:-1])
    got, tags = read(out)
    got = np.where(got == FLOAT_NODATA, np.nan, got)
    assert np.array_equal(np.isnan(got), np.isnan(expected))
    tolerance = {"vci": 2e-3, "ndvi_anomaly": 1e-6, "standardized_anomaly": 1e-4}[index]
    assert np.nanmax(np.abs(got - expected)) < tolerance
    assert np.isnan(got[50:60, 50:60]).all()  # 2 valid baseline observations
    if index != "ndvi_anomaly":
        assert np.isnan(got[10:20, 10:20]).all()  # min = max (sd = 0): nodata, not a division by zero
        assert np.isnan(got[30:40, 30:40]).all()
    assert result.target == "2023-09-14" and len(result.baseline) == 8
    assert tags["MEW_INDEX"] == index and "MEW_CLASSES" in tags
    classes, _ = read(classes_out)
    table = drought.default_classes(index)
    expected_classes = table.classify(expected.astype(np.float32))
    near_bound = np.zeros(expected.shape, bool)
    for c in table.classes[:-1]:
        near_bound |= np.abs(expected - c.upper) < tolerance
    assert np.array_equal(classes[~near_bound], expected_classes[~near_bound])
    assert (classes[np.isnan(expected)] == CLASS_NODATA).all()


def test_explicit_scale_and_offset_override_the_file(tmp_path):
    raw = np.stack([np.full((40, 50), v, dtype=np.int16) for v in (100, 300, 200, 250)])
    raw[:, :, :25] += np.arange(4, dtype=np.int16)[:, None, None] * 7
    path = write(
        tmp_path / "s.tif", raw, dtype="int16", descriptions=["2001-06-01", "2002-06-01", "2003-06-01", "2004-06-01"]
    )
    drought.drought_index([path], str(tmp_path / "a.tif"), index="ndvi_anomaly", scale=0.5, offset=-10)
    got, _ = read(tmp_path / "a.tif")
    values = raw * 0.5 - 10
    expected = values[-1] - values[:-1].mean(axis=0)
    assert np.allclose(got, expected, atol=1e-5)


def test_per_date_mask_and_single_band_mask(tmp_path):
    rng = np.random.default_rng(1)
    ndvi = rng.uniform(0.1, 0.8, (5, 60, 80)).astype(np.float32)
    dates = ["2010-07-01", "2011-07-03", "2012-06-28", "2013-07-01", "2014-07-01"]
    stack = write(tmp_path / "ndvi.tif", ndvi, descriptions=dates, nodata=-1)
    qa = np.zeros((5, 60, 80), np.uint8)
    qa[0, :10] = 1
    qa[2, 20:30] = 3  # value 3 also means bad
    qa[4, 40:45] = 2  # value 2 is harmless
    qa[4, 50:] = 1  # target clouded
    mask = write(tmp_path / "qa.tif", qa, dtype="uint8", descriptions=dates)
    drought.drought_index([stack], str(tmp_path / "vci.tif"), mask=MaskSpec(mask, (1.0, 3.0)))
    values = ndvi.astype(np.float64)
    values[(qa == 1) | (qa == 3)] = np.nan
    expected = reference_index("vci", values[-1], values[:-1])
    got, _ = read(tmp_path / "vci.tif")
    got = np.where(got == FLOAT_NODATA, np.nan, got)
    assert np.array_equal(np.isnan(got), np.isnan(expected))
    assert np.nanmax(np.abs(got - expected)) < 1e-3
    assert np.isnan(got[50:]).all()
    # One band for every date (e.g. a permanent QA layer): band 1 of a one-band raster.
    single = write(tmp_path / "one.tif", qa[0], dtype="uint8")
    drought.drought_index([stack], str(tmp_path / "vci1.tif"), mask=MaskSpec(single, (1.0,)))
    got, _ = read(tmp_path / "vci1.tif")
    assert (got[:10] == FLOAT_NODATA).all() and (got[10:] != FLOAT_NODATA).all()


def test_dates_from_file_names_metadata_and_modis_doy(tmp_path):
    rng = np.random.default_rng(2)
    ndvi = rng.uniform(0.1, 0.8, (5, 30, 30)).astype(np.float32)
    names = [
        "ndvi_2011-08-29.tif",
        "MOD13Q1.A2012241.h17v07.tif",
        "s2_20130829_ndvi.tif",
        "x2014.tif",
        "ndvi_2015-08-29.tif",
    ]
    paths = [write(tmp_path / name, ndvi[i]) for i, name in enumerate(names)]
    with rasterio.open(paths[3], "r+") as dataset:
        dataset.update_tags(1, ACQUISITION_DATE="2014-08-30")
    bands = drought.stack_bands(paths)
    assert [b.date for b in bands] == [
        dt.date(2011, 8, 29),
        dt.date(2012, 8, 28),
        dt.date(2013, 8, 29),
        dt.date(2014, 8, 30),
        dt.date(2015, 8, 29),
    ]
    drought.drought_index(paths, str(tmp_path / "files.tif"))
    multiband = write(tmp_path / "multi.bin.tif", ndvi)
    drought.drought_index(
        [multiband],
        str(tmp_path / "multi.tif"),
        dates=["2011-08-29", "2012-08-28", "2013-08-29", "2014-08-30", "2015-08-29"],
    )
    assert np.array_equal(read(tmp_path / "files.tif")[0], read(tmp_path / "multi.tif")[0])


def test_baseline_is_same_calendar_period(tmp_path):
    """Monthly composites: the baseline of a September target uses only the Septembers."""
    dates, bands = [], []
    rng = np.random.default_rng(3)
    for year in range(2016, 2021):
        for month in (6, 9, 12):
            dates.append(f"{year}-{month:02d}-01")
            bands.append(rng.uniform(0.1, 0.8, (20, 20)) + (0.5 if month != 9 else 0))
    path = write(tmp_path / "m.tif", np.array(bands), descriptions=dates)
    result = drought.drought_index([path], str(tmp_path / "v.tif"), target="2020-09")
    assert result.baseline == ["2016-09-01", "2017-09-01", "2018-09-01", "2019-09-01"]
    septembers = np.array(bands)[1::3]
    expected = reference_index("vci", septembers[-1], septembers[:-1])
    assert np.allclose(read(tmp_path / "v.tif")[0], expected, atol=1e-3)


def smooth(x, y, phase):
    return 0.45 + 0.2 * np.sin(x / 21000.0 + phase) * np.cos(y / 17000.0 - phase) + 0.03 * phase


def sampled(transform, width, height, crs, phase):
    cols, rows = np.meshgrid(np.arange(width) + 0.5, np.arange(height) + 0.5)
    xs, ys = rasterio.transform.xy(transform, rows.ravel(), cols.ravel(), offset="ul")
    xs = np.asarray(xs) + transform.a / 2
    ys = np.asarray(ys) + transform.e / 2
    if crs != CRS:
        from pyproj import Transformer

        xs, ys = Transformer.from_crs(crs, CRS, always_xy=True).transform(xs, ys)
    return smooth(np.asarray(xs), np.asarray(ys), phase).reshape(height, width).astype(np.float32)


def test_misaligned_inputs_match_pre_aligned(tmp_path):
    """Dates on another CRS, half the resolution and a shifted extent give the pre-aligned answer."""
    years = [2001, 2002, 2003, 2004, 2005]
    phases = [0.0, 0.9, 1.7, 2.6, 0.4]
    aligned = []
    for year, phase in zip(years, phases):
        aligned.append(write(tmp_path / f"aligned_{year}-05-01.tif", sampled(TRANSFORM, 400, 300, CRS, phase)))
    misaligned = [aligned[0]]
    # Half the resolution (500 m pixels).
    coarse = from_origin(300000, 1700000, 500, 500)
    misaligned.append(
        write(tmp_path / "coarse_2002-05-01.tif", sampled(coarse, 200, 150, CRS, phases[1]), transform=coarse)
    )
    # Another CRS (lon/lat), covering the area with a margin.
    from rasterio.warp import transform_bounds

    west, south, east, north = transform_bounds(CRS, "EPSG:4326", 295000, 1620000, 405000, 1705000)
    geographic = from_origin(west, north, 0.002, 0.002)
    gw, gh = int((east - west) / 0.002) + 1, int((north - south) / 0.002) + 1
    misaligned.append(
        write(
            tmp_path / "lonlat_2003-05-01.tif",
            sampled(geographic, gw, gh, "EPSG:4326", phases[2]),
            crs="EPSG:4326",
            transform=geographic,
            nodata=-9,
        )
    )
    # A shifted extent (a third of a pixel and 10 km east), with nodata where it does not reach.
    shifted = from_origin(310083.3, 1700040, 250, 250)
    misaligned.append(
        write(
            tmp_path / "shifted_2004-05-01.tif",
            sampled(shifted, 400, 300, CRS, phases[3]),
            transform=shifted,
            nodata=-9,
        )
    )
    misaligned.append(aligned[4])
    drought.drought_index(aligned, str(tmp_path / "pre.tif"), baseline_start=2001, baseline_end=2004)
    drought.drought_index(
        misaligned, str(tmp_path / "mis.tif"), baseline_start=2001, baseline_end=2004, reference=aligned[0]
    )
    pre, _ = read(tmp_path / "pre.tif")
    mis, _ = read(tmp_path / "mis.tif")
    interior = np.zeros(pre.shape, bool)
    interior[5:-5, 45:-5] = True  # the shifted file starts 10 km (40 pixels) east
    both = interior & (pre != FLOAT_NODATA) & (mis != FLOAT_NODATA)
    assert both.sum() > 0.95 * interior.sum()
    difference = np.abs(pre[both] - mis[both])
    assert np.percentile(difference, 99) < 2.0 and np.median(difference) < 0.3


def test_change_transitions_and_polygons_across_windows(tmp_path):
    rng = np.random.default_rng(4)
    before = rng.uniform(60, 90, (HEIGHT, WIDTH)).astype(np.float32)
    after = before + rng.normal(0, 3, before.shape).astype(np.float32)
    after[450:600, 450:620] = 12  # new drought across the 512-pixel window corner
    before[100:140, 100:160] = 15  # persistent drought
    after[100:140, 100:160] = 8
    before[200:260, 700:760] = 10  # recovered
    before[5:7, 5:7] = np.nan  # nodata before
    after[600:602, 10:12] = 25  # small new drought, below MIN_AREA
    b = write(tmp_path / "b.tif", np.nan_to_num(before, nan=FLOAT_NODATA), nodata=FLOAT_NODATA)
    a = write(tmp_path / "a.tif", after, nodata=FLOAT_NODATA)
    zones = [
        drought.Zone("west", "west", box(300000, 1525000, 400000, 1700000)),
        drought.Zone("east", "east", box(400000, 1525000, 525000, 1700000)),
    ]
    result = drought.drought_change(
        b,
        a,
        output_delta=str(tmp_path / "d.tif"),
        output_transitions=str(tmp_path / "t.tif"),
        min_area_ha=50,
        zones=zones,
        classes=ClassTable.parse(drought.DEFAULT_CLASSES["vci"]),
    )
    delta, _ = read(tmp_path / "d.tif")
    transitions, _ = read(tmp_path / "t.tif")
    drought.drought_change(b, a, output_delta=str(tmp_path / "d_only.tif"))  # the Δ-only path
    assert np.array_equal(read(tmp_path / "d_only.tif")[0], delta)
    expected_delta = after - before
    assert np.allclose(np.where(delta == FLOAT_NODATA, np.nan, delta), expected_delta, equal_nan=True)
    was, now = before < 40, after < 40
    expected = np.select([now & ~was, now & was, ~now & was], [1, 2, 3], 4)
    expected[np.isnan(before)] = 0
    assert np.array_equal(transitions, expected)
    assert len(result.polygons) == 1  # the 150 × 170 patch, one polygon though it spans four windows
    polygon = result.polygons[0]
    assert polygon["pixels"] == 150 * 170
    assert polygon["area_ha"] == pytest.approx(150 * 170 * 6.25)
    assert polygon["mean_delta"] == pytest.approx(float(np.mean(expected_delta[450:600, 450:620])), rel=1e-5)
    assert [r["zone"] for r in result.summary] == ["east", "west"]  # the patch lies mostly east of x=400000
    east = result.summary[0]
    valid_east = np.count_nonzero(~np.isnan(after[:, 400:]))
    assert east["drought_share"] == pytest.approx(np.count_nonzero(after[:, 400:] < 40) / valid_east)


def test_class_table_parsing_and_metadata():
    table = ClassTable.parse("10:extreme; 20:severe; 30:moderate; 40:mild; none")
    assert [c.name for c in table.classes] == ["extreme", "severe", "moderate", "mild", "none"]
    assert table.drought_below == 40
    values = np.array([np.nan, -5, 0, 9.99, 10, 19.9, 20, 35, 40, 100], np.float32)
    assert table.classify(values).tolist() == [0, 1, 1, 1, 2, 2, 3, 4, 5, 5]
    assert ClassTable.parse("35:drought").text == "35:drought; none"  # FAO ASIS style: VHI < 35
    with pytest.raises(MewError, match="bounds must increase"):
        ClassTable.parse("20:a; 10:b; c")


def test_parse_date_forms():
    assert drought.parse_date("2015-09-14") == dt.date(2015, 9, 14)
    assert drought.parse_date("S2A_20150914_ndvi") == dt.date(2015, 9, 14)
    assert drought.parse_date("MOD13Q1.A2015257.h17v07.061") == dt.date(2015, 9, 14)
    assert drought.parse_date("ndvi_2015-257") == dt.date(2015, 9, 14)
    assert drought.parse_date("band 3") is None


# --- bad input -----------------------------------------------------------------------------

DATES = ["2010-09-01", "2011-09-01", "2012-09-01", "2013-09-01"]


@pytest.fixture()
def stack(tmp_path):
    rng = np.random.default_rng(0)
    return write(tmp_path / "ndvi.tif", rng.uniform(0.1, 0.8, (4, 30, 40)), descriptions=DATES, nodata=-1)


def test_band_without_date_names_file_and_band(tmp_path):
    path = write(tmp_path / "undated.tif", np.ones((3, 10, 10)), descriptions=["2010-01-01", "", "2012-01-01"])
    with pytest.raises(MewError, match=r"band 2 of '.*undated\.tif' has no date.*DATES"):
        drought.drought_index([path], str(tmp_path / "out.tif"))
    assert not (tmp_path / "out.tif").exists()
    with pytest.raises(MewError, match="DATES lists 2 dates but the stack has 3 bands"):
        drought.drought_index([path], str(tmp_path / "out.tif"), dates=["2010-01-01", "2011-01-01"])


def test_fewer_than_three_baseline_years(tmp_path, stack):
    with pytest.raises(MewError, match=r"Only 2 baseline year\(s\) \(2011, 2012\).*at least 3"):
        drought.drought_index([stack], str(tmp_path / "out.tif"), baseline_start=2011)
    # A date of another season does not count as a baseline year.
    other = write(
        tmp_path / "season.tif",
        np.ones((4, 5, 5)),
        descriptions=["2010-09-01", "2011-03-01", "2012-09-01", "2013-09-01"],
    )
    with pytest.raises(MewError, match=r"Only 2 baseline year"):
        drought.drought_index([other], str(tmp_path / "out.tif"))


def test_all_nodata_stack(tmp_path):
    path = write(tmp_path / "empty.tif", np.full((4, 20, 20), -3000), dtype="int16", nodata=-3000, descriptions=DATES)
    with pytest.raises(MewError, match=r"target 2013-09-01 \(band 4 of '.*empty\.tif'\) has no valid pixel"):
        drought.drought_index([path], str(tmp_path / "out.tif"), output_classes=str(tmp_path / "classes.tif"))
    assert list(tmp_path.glob("out*")) == [] and list(tmp_path.glob("*classes*")) == []
    baseline_empty = np.full((4, 20, 20), -3000)
    baseline_empty[3] = 5000
    path = write(tmp_path / "empty_baseline.tif", baseline_empty, dtype="int16", nodata=-3000, descriptions=DATES)
    with pytest.raises(MewError, match=r"all nodata over the area in the baseline bands \(2010-09-01 \(band 1"):
        drought.drought_index([path], str(tmp_path / "out.tif"))


def test_mask_on_disjoint_extent(tmp_path, stack):
    far = write(
        tmp_path / "far_mask.tif", np.zeros((30, 40)), dtype="uint8", transform=from_origin(900000, 1700000, 250, 250)
    )
    with pytest.raises(MewError, match=r"mask '.*far_mask\.tif' does not overlap the area"):
        drought.drought_index([stack], str(tmp_path / "out.tif"), mask=MaskSpec(far, (1.0,)))


def test_output_equal_to_input_is_refused(tmp_path, stack):
    before = Path(stack).read_bytes()
    with pytest.raises(MewError, match="same file as the input"):
        drought.drought_index([stack], stack)
    assert Path(stack).read_bytes() == before


def test_output_equal_to_input_refused_by_the_algorithm(tmp_path, stack, mew):
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException, match=r"ndvi\.tif.*same file|same file.*ndvi\.tif"):
        mew.run("mew:droughtindex", {"STACK": [stack], "OUTPUT": stack})
    with pytest.raises(QgsProcessingException, match=r"Only 1 baseline year.*at least 3"):
        mew.run("mew:droughtindex", {"STACK": [stack], "BASELINE_START": 2012, "OUTPUT": str(tmp_path / "x.tif")})


def test_cancel_leaves_nothing_behind(tmp_path, modis_stack):
    from mission_early_warning.core.errors import OperationCancelled
    from mission_early_warning.core.progress import Progress

    path, _ = modis_stack
    calls = []
    reported = []

    def cancel_after_two_windows() -> bool:
        calls.append(1)
        return len(calls) > 2

    progress = Progress(report=reported.append, is_canceled=cancel_after_two_windows)
    with pytest.raises(OperationCancelled):
        drought.drought_index(
            [path], str(tmp_path / "vci.tif"), output_classes=str(tmp_path / "classes.tif"), progress=progress
        )
    assert list(tmp_path.iterdir()) == []
    assert reported and 0 < max(reported) < 100


def test_change_with_after_on_another_crs_matches_pre_aligned(tmp_path):
    """An AFTER raster in lon/lat at a finer resolution gives the pre-aligned ΔVCI and transitions."""
    before = write(tmp_path / "before.tif", 100 * sampled(TRANSFORM, 300, 200, CRS, 0.3) - 20, nodata=FLOAT_NODATA)
    after = write(tmp_path / "after.tif", 100 * sampled(TRANSFORM, 300, 200, CRS, 1.4) - 20, nodata=FLOAT_NODATA)
    from rasterio.warp import transform_bounds

    west, south, east, north = transform_bounds(CRS, "EPSG:4326", 295000, 1645000, 380000, 1705000)
    geographic = from_origin(west, north, 0.001, 0.001)
    width, height = int((east - west) / 0.001) + 1, int((north - south) / 0.001) + 1
    after_lonlat = write(
        tmp_path / "after_lonlat.tif",
        100 * sampled(geographic, width, height, "EPSG:4326", 1.4) - 20,
        crs="EPSG:4326",
        transform=geographic,
        nodata=FLOAT_NODATA,
    )
    drought.drought_change(
        before, after, output_delta=str(tmp_path / "d1.tif"), output_transitions=str(tmp_path / "t1.tif")
    )
    drought.drought_change(
        before, after_lonlat, output_delta=str(tmp_path / "d2.tif"), output_transitions=str(tmp_path / "t2.tif")
    )
    pre, mis = read(tmp_path / "d1.tif")[0], read(tmp_path / "d2.tif")[0]
    drought.drought_change(before, after_lonlat, output_delta=str(tmp_path / "d3.tif"))  # the Δ-only path
    assert np.array_equal(read(tmp_path / "d3.tif")[0], mis)
    assert (mis != FLOAT_NODATA).all()
    assert np.percentile(np.abs(pre - mis), 99) < 0.5
    agree = read(tmp_path / "t1.tif")[0] == read(tmp_path / "t2.tif")[0]
    assert agree.mean() > 0.99


def test_striped_inputs_are_read_in_strips_with_the_same_result(tmp_path, modis_stack):
    """GDAL's default (striped) GeoTIFFs: full-width strip windows, striped output, same values as tiled."""
    path, _ = modis_stack
    with rasterio.open(path) as dataset:
        profile = dict(dataset.profile, tiled=False, blockysize=1)
        profile.pop("blockxsize", None)
        with rasterio.open(tmp_path / "striped.tif", "w", **profile) as striped:
            striped.write(dataset.read())
            striped.descriptions = dataset.descriptions
            striped.scales = dataset.scales
    from mission_early_warning.core.raster_blocks import Grid, windows_for

    grid = Grid.of(tmp_path / "striped.tif")
    windows = windows_for(grid, [str(tmp_path / "striped.tif")])
    assert all(w.width == WIDTH for w in windows) and len(windows) > 1
    drought.drought_index([str(tmp_path / "striped.tif")], str(tmp_path / "a.tif"))
    drought.drought_index([path], str(tmp_path / "b.tif"))
    with rasterio.open(tmp_path / "a.tif") as a:
        assert not a.profile["tiled"]
    assert np.array_equal(read(tmp_path / "a.tif")[0], read(tmp_path / "b.tif")[0])


@pytest.mark.parametrize("workers", [1, 2])
def test_block_threads_close_their_own_datasets_and_leave_the_callers_gdal_environment(tmp_path, modis_stack, workers):
    """Each thread closes what it opened (rasterio 1.4 refuses otherwise); the caller's environment survives."""
    from rasterio.env import getenv

    path, _ = modis_stack
    with rasterio.Env(GDAL_DISABLE_READDIR_ON_OPEN="EMPTY_DIR"):
        one = drought.drought_index([path], str(tmp_path / "one.tif"), workers=workers)
        change = drought.drought_change(
            one.output, one.output, output_delta=str(tmp_path / "delta.tif"), workers=workers
        )
        assert getenv()["GDAL_DISABLE_READDIR_ON_OPEN"] == "EMPTY_DIR"
    assert change.valid_pixels > 0
    with rasterio.open(tmp_path / "delta.tif") as delta:
        values = delta.read(1)
        assert (values[values != FLOAT_NODATA] == 0).all()
