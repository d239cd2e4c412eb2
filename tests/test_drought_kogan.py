"""VCI, NDVI anomaly and standardized anomaly of a MODIS-like 16-day series against the textbook definitions.

Kogan's VCI, as FAO ASIS and NOAA compute it: per pixel,
``100 · (NDVI − NDVImin) / (NDVImax − NDVImin)`` with the minimum and maximum
over the baseline years' observations of the *same composite period*; when the
target's year is a baseline year, its own observation is one of them (so VCI
lies in 0..100). A year without a band in that period contributes nothing.
The anomalies use the mean and the sample standard deviation of the same
observations.

The reference below is written from those definitions alone: it files every
band of tests/testdata/ndvi_16day_2019_2023.tif by (year, composite number),
where MOD13's composites start on days 1, 17, … 353 of each year, and never
asks the engine which band belongs to which period.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import warnings
from pathlib import Path

import numpy as np
import pytest
import rasterio

from mission_early_warning.core import drought
from mission_early_warning.core.drought import FLOAT_NODATA

DATA = Path(__file__).parent / "testdata"
SERIES = DATA / "ndvi_16day_2019_2023.tif"
YEARS = list(range(2019, 2024))
COMPOSITES = 23


@pytest.fixture(scope="module")
def cube() -> np.ndarray:
    """NDVI as (year, composite, row, col), NaN where a band is missing or a pixel is nodata."""
    with rasterio.open(SERIES) as dataset:
        values = dataset.read(masked=True).astype(np.float64).filled(np.nan)
        dates = [dt.date.fromisoformat(text) for text in dataset.descriptions]
    result = np.full((len(YEARS), COMPOSITES, *values.shape[1:]), np.nan)
    for band, date in zip(values, dates):
        day = date.timetuple().tm_yday
        assert (day - 1) % 16 == 0, date  # a MOD13 composite start
        result[YEARS.index(date.year), (day - 1) // 16] = band
    return result


def textbook(index: str, cube: np.ndarray, target: dt.date, first: int, last: int) -> np.ndarray:
    """The index of ``target`` from the definitions: same composite, every year first..last (the target's too)."""
    composite = (target.timetuple().tm_yday - 1) // 16
    value = cube[YEARS.index(target.year), composite]
    baseline = cube[YEARS.index(first) : YEARS.index(last) + 1, composite]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN pixels
        count = np.sum(~np.isnan(baseline), axis=0)
        if index == "vci":
            low, high = np.nanmin(baseline, axis=0), np.nanmax(baseline, axis=0)
            result = 100.0 * (value - low) / (high - low)
            if not first <= target.year <= last:
                result = np.clip(result, 0.0, 100.0)  # documented: a target outside the range is at the end
            result[high == low] = np.nan
        elif index == "ndvi_anomaly":
            result = value - np.nanmean(baseline, axis=0)
        else:
            sd = np.nanstd(baseline, axis=0, ddof=1)
            result = (value - np.nanmean(baseline, axis=0)) / sd
            result[sd < drought.SD_EPSILON] = np.nan
    result[count < drought.MIN_BASELINE_OBSERVATIONS] = np.nan
    return result


def index_of(path: Path) -> np.ndarray:
    with rasterio.open(path) as dataset:
        values = dataset.read(1).astype(np.float64)
    values[values == FLOAT_NODATA] = np.nan
    return values


# (target, baseline first year, last year (None: the default, the years before the target), baseline dates)
CASES = [
    # 1 January inside the baseline: the target itself, never 19 December of its own year; 2020 has no 1 January.
    ("2021-01-01", 2019, 2023, ["2019-01-01", "2021-01-01", "2022-01-01", "2023-01-01"]),
    # Late December inside the baseline: 2019's last composite is missing, 2020 (leap year) has it on 18 December.
    ("2022-12-19", 2019, 2023, ["2020-12-18", "2021-12-19", "2022-12-19", "2023-12-19"]),
    ("2020-12-18", 2019, 2023, ["2020-12-18", "2021-12-19", "2022-12-19", "2023-12-19"]),
    ("2021-07-12", 2019, 2023, ["2019-07-12", "2020-07-11", "2021-07-12", "2022-07-12", "2023-07-12"]),
    # The drought year, inside a baseline that ends with it.
    ("2022-09-14", 2019, 2022, ["2019-09-14", "2020-09-13", "2021-09-14", "2022-09-14"]),
    # Outside the baseline (the default: the years before the target).
    ("2023-01-01", 2019, None, ["2019-01-01", "2021-01-01", "2022-01-01"]),
    ("2023-12-19", 2019, None, ["2020-12-18", "2021-12-19", "2022-12-19"]),
    ("2023-09-14", 2020, 2022, ["2020-09-13", "2021-09-14", "2022-09-14"]),
]


@pytest.mark.parametrize("index", drought.INDICES)
@pytest.mark.parametrize(("target", "first", "last", "baseline"), CASES, ids=[c[0] for c in CASES])
def test_index_equals_the_textbook_definition(tmp_path, cube, index, target, first, last, baseline):
    output = tmp_path / "index.tif"
    result = drought.drought_index(
        [str(SERIES)], str(output), target=target, index=index, baseline_start=first, baseline_end=last
    )
    assert result.target == target
    assert result.baseline == baseline
    date = dt.date.fromisoformat(target)
    expected = textbook(index, cube, date, first, last if last is not None else date.year - 1)
    got = index_of(output)
    assert np.array_equal(np.isnan(got), np.isnan(expected))
    assert np.isfinite(expected).sum() > 80  # most of the 120 pixels have an index
    assert np.nanmax(np.abs(got - expected)) < 1e-4
    if index == "vci" and last is not None and first <= date.year <= last:
        # The target is one of its own baseline observations: 0..100 by construction, no clipping needed.
        assert np.nanmin(expected) >= 0.0 and np.nanmax(expected) <= 100.0
        assert np.nanmin(got) == 0.0 and np.nanmax(got) == 100.0  # the lowest and highest of the period


def test_the_algorithm_gives_the_textbook_vci_of_a_1_january_target(tmp_path, cube, mew):
    """Through Processing, as an officer runs it: VCI of 1 January against 2019–2023 (its own year included)."""
    result = mew.run(
        "mew:droughtindex",
        {
            "STACK": [str(SERIES)],
            "TARGET": "2021-01-01",
            "BASELINE_START": 2019,
            "BASELINE_END": 2023,
            "INDEX": "vci",
            "OUTPUT": str(tmp_path / "vci.tif"),
        },
    )
    assert result["BASELINE_DATES"] == "2019-01-01,2021-01-01,2022-01-01,2023-01-01"
    expected = textbook("vci", cube, dt.date(2021, 1, 1), 2019, 2023)
    got = index_of(tmp_path / "vci.tif")
    assert np.array_equal(np.isnan(got), np.isnan(expected))
    assert np.nanmax(np.abs(got - expected)) < 1e-4


def test_the_committed_series_is_what_its_script_writes(tmp_path):
    spec = importlib.util.spec_from_file_location("make_ndvi_16day", DATA / "make_ndvi_16day.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    script.main(str(tmp_path / "again.tif"))
    with rasterio.open(SERIES) as committed, rasterio.open(tmp_path / "again.tif") as again:
        assert committed.descriptions == again.descriptions
        assert committed.count == len(YEARS) * COMPOSITES - 2
        assert np.array_equal(committed.read(), again.read())
