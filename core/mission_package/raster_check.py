"""Validating a raster layer (GeoTIFF) of a mission package: CRS, nodata, scale, band dates, shared grids."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Optional

from pyproj import CRS

from ..messages import message
from .datasets import open_raster
from .layer_checks import crs_problems
from .package import LayerEntry, MissionPackage
from .problems import ERROR, WARNING, Problem
from .schema import ROLES
from .vetting import RefusedFile, vetted_source


def check_raster(entry: LayerEntry, path: Path) -> list[Problem]:
    """The problems of a raster layer's file at ``path``: unreadable, CRS, nodata, scale, and the band dates of
    NDVI stacks."""
    from rasterio.errors import RasterioIOError

    try:
        with open_raster(path) as dataset:
            crs = CRS.from_wkt(dataset.crs.to_wkt()) if dataset.crs else None
            nodata = dataset.nodata
            count = dataset.count
            descriptions = list(dataset.descriptions)
            tags = [dataset.tags(band) for band in range(1, count + 1)]
            file_scale = dataset.scales[0] if dataset.scales else 1.0
    except (RasterioIOError, OSError) as error:
        return [
            Problem(
                ERROR,
                entry.id,
                message(
                    "Unreadable file: '{path}' of layer '{id}' cannot be opened as a raster ({error}).",
                    path=entry.path,
                    id=entry.id,
                    error=error,
                ),
                message("Check the file is a complete GeoTIFF (re-export or copy it again)."),
            )
        ]
    problems = crs_problems(entry, crs)
    rule = ROLES.get(entry.role)
    if nodata is None and entry.options.get("nodata") is None and (rule is None or rule.needs_nodata):
        problems.append(
            Problem(
                WARNING,
                entry.id,
                message("Raster '{id}' has no nodata value: empty pixels would count as real values.", id=entry.id),
                message('Set it in the file (gdal_edit.py -a_nodata <value>) or give "nodata" in the manifest.'),
            )
        )
    declared_scale = entry.options.get("scale")
    if isinstance(declared_scale, (int, float)) and file_scale not in (1.0, None):
        if abs(file_scale - declared_scale) > 1e-9 * max(abs(file_scale), 1e-12):
            problems.append(
                Problem(
                    WARNING,
                    entry.id,
                    message(
                        "Raster '{id}' says its values scale by {file_scale:g}, the manifest says {declared_scale:g}; "
                        "QGIS and the analyses use the file's.",
                        id=entry.id,
                        file_scale=file_scale,
                        declared_scale=declared_scale,
                    ),
                    message('Correct "scale" in the manifest or the scale stored in the file (gdal_edit.py -scale).'),
                )
            )
    if entry.role == "ndvi" or entry.role == "ndvi_mask":
        dates, undated = band_dates(entry, descriptions, tags)
        if undated:
            problems.append(
                Problem(
                    ERROR,
                    entry.id,
                    message(
                        "Undated bands: band(s) {ids} of '{id}' carry no date.",
                        ids=", ".join(map(str, undated)),
                        id=entry.id,
                    ),
                    message(
                        'Write ISO dates as band descriptions, or list them in "dates" for the layer in the manifest.'
                    ),
                )
            )
        elif len(set(dates)) != len(dates):
            problems.append(
                Problem(
                    ERROR,
                    entry.id,
                    message("Band dates of '{id}' repeat a date.", id=entry.id),
                    message('Give each band its own date (band descriptions or "dates").'),
                )
            )
    return problems


def band_dates(
    entry: LayerEntry, descriptions: list[Optional[str]], tags: list[dict[str, str]]
) -> tuple[list[dt.date], list[int]]:
    """The date of each band, and the undated bands: the manifest's ``dates`` first, else what
    ``mew:droughtindex`` reads (band description, date metadata, a single-band file's name)."""
    from ..drought import band_date, parse_date

    declared = entry.options.get("dates") or entry.options.get("band_dates")
    stem = Path(str(entry.source)).stem if len(descriptions) == 1 else None
    if isinstance(declared, list) and len(declared) == len(descriptions):
        found = [parse_date(str(d)) for d in declared]
    else:
        found = [band_date(description, band_tags, stem) for description, band_tags in zip(descriptions, tags)]
    dates = [d for d in found if d is not None]
    undated = [band for band, d in enumerate(found, start=1) if d is None]
    return dates, undated


def raster_band_dates(entry: LayerEntry) -> tuple[list[dt.date], list[int]]:
    """:func:`band_dates` of a raster layer's file (checked with :func:`vetted_source` first)."""
    with open_raster(vetted_source(entry)) as dataset:
        tags = [dataset.tags(band) for band in range(1, dataset.count + 1)]
        return band_dates(entry, list(dataset.descriptions), tags)


def check_ndvi_grids(package: MissionPackage) -> list[Problem]:
    """NDVI stacks and their masks must share one grid (CRS, transform, size)."""
    from rasterio.errors import RasterioIOError

    grids = []
    for entry in package.by_role("ndvi") + package.by_role("ndvi_mask"):
        try:
            source = vetted_source(entry)
        except RefusedFile:  # reported by validate_layer
            continue
        try:
            with open_raster(source) as dataset:
                grids.append((entry, (dataset.crs, tuple(dataset.transform)[:6], dataset.width, dataset.height)))
        except (RasterioIOError, OSError):
            continue
    if len(grids) < 2:
        return []
    reference_entry, reference = grids[0]
    problems = []
    for entry, grid in grids[1:]:
        if grid != reference:
            problems.append(
                Problem(
                    ERROR,
                    entry.id,
                    message(
                        "Inconsistent grids: '{id}' ({grid}×{grid2} px) is not on the grid of '{id2}' "
                        "({reference}×{reference2} px, same CRS, origin and pixel size needed).",
                        id=entry.id,
                        grid=grid[2],
                        grid2=grid[3],
                        id2=reference_entry.id,
                        reference=reference[2],
                        reference2=reference[3],
                    ),
                    message(
                        "Resample '{id}' onto the grid of '{id2}' (gdalwarp -te ... -tr ...).",
                        id=entry.id,
                        id2=reference_entry.id,
                    ),
                )
            )
    return problems
