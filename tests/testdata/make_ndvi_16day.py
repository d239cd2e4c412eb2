"""Writes ndvi_16day_2019_2023.tif: a small MODIS-like 16-day NDVI series for the VCI/anomaly reference tests.

Five years (2020 is a leap year) × 23 composites starting on days 1, 17, … 353 of each year, as MOD13 does,
12 × 10 pixels of float32 NDVI (nodata −3000) with a seasonal cycle, a per-pixel level, a drought year and
noise, and a few clouded pixels. Two composites are missing on purpose: 1 January 2020 and the last one of
2019 (19 December), so a year without a band in a period is part of the series. Each band's description is
its date (YYYY-MM-DD). The same seed gives the same file:

    python tests/testdata/make_ndvi_16day.py tests/testdata/ndvi_16day_2019_2023.tif
"""

from __future__ import annotations

import datetime as dt
import sys

import numpy as np
import rasterio
from rasterio.transform import from_origin

YEARS = range(2019, 2024)
COMPOSITE_DAYS = tuple(range(1, 366, 16))  # 23 composites: days 1, 17, …, 353
MISSING = {dt.date(2020, 1, 1), dt.date(2019, 12, 19)}
HEIGHT, WIDTH = 12, 10
NODATA = -3000.0
SEED = 20190101


def series() -> tuple[list[dt.date], np.ndarray]:
    """The dates and the NDVI bands (n × HEIGHT × WIDTH, NODATA where clouded)."""
    rng = np.random.default_rng(SEED)
    level = rng.uniform(0.15, 0.45, (HEIGHT, WIDTH))
    amplitude = rng.uniform(0.1, 0.3, (HEIGHT, WIDTH))
    dates, bands = [], []
    for year in YEARS:
        year_shift = rng.normal(0.0, 0.05, (HEIGHT, WIDTH)) - (0.12 if year == 2022 else 0.0)
        for day in COMPOSITE_DAYS:
            date = dt.date(year, 1, 1) + dt.timedelta(days=day - 1)
            if date in MISSING:
                continue
            season = np.sin(2.0 * np.pi * (day - 110) / 365.0)
            values = level + amplitude * season + year_shift + rng.normal(0.0, 0.04, (HEIGHT, WIDTH))
            values = np.clip(values, -0.1, 0.95)
            values[rng.random((HEIGHT, WIDTH)) < 0.03] = NODATA
            dates.append(date)
            bands.append(values.astype(np.float32))
    return dates, np.stack(bands)


def main(path: str) -> None:
    dates, bands = series()
    profile = {
        "driver": "GTiff",
        "width": WIDTH,
        "height": HEIGHT,
        "count": len(dates),
        "dtype": "float32",
        "crs": "EPSG:32633",
        "transform": from_origin(500000, 1000000, 250, 250),
        "nodata": NODATA,
        "compress": "DEFLATE",
        "predictor": 3,
        "interleave": "band",
    }
    with rasterio.open(path, "w", **profile) as dataset:
        dataset.write(bands)
        for number, date in enumerate(dates, 1):
            dataset.set_band_description(number, date.isoformat())


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "ndvi_16day_2019_2023.tif")
