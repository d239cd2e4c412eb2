"""Opening package files with GDAL and rasterio: only with the drivers a package may use, quietly.

GDAL is imported where it is used, so that the package's other modules import without it.
"""

from __future__ import annotations

import contextlib
from typing import Any, Iterator

from .package import LayerEntry

#: The GDAL drivers a package file is read with, by layer kind (tables are read as text by Python and by
#: QGIS's delimited-text provider; GDAL must see them as CSV or as nothing). No driver that reads other
#: files or the network on a file's say-so (VRT, WMS, ...) is ever used.
ALLOWED_DRIVERS: dict[str, tuple[str, ...]] = {
    "raster": ("GTiff",),
    "vector": ("GPKG", "ESRI Shapefile", "GeoJSON", "GPX"),
    "table": ("CSV",),
}


@contextlib.contextmanager
def quiet_gdal_errors() -> Iterator[None]:
    """Silence GDAL's stderr chatter while probing a file; failures show up as ``None``."""
    from osgeo import gdal

    gdal.PushErrorHandler("CPLQuietErrorHandler")
    try:
        yield
    finally:
        gdal.PopErrorHandler()


def close_dataset(dataset: Any) -> None:
    """Close an OGR dataset now, whatever else still refers to it (``Close`` from GDAL 3.8, else ``Destroy``)."""
    close = getattr(dataset, "Close", None) or dataset.Destroy
    close()


def open_vector(path: str) -> Any:
    """The vector dataset at ``path`` read-only with the allowed drivers, or ``None`` when they cannot open it.

    GDAL's Python exceptions may be on or off: QGIS >= 3.24 switches them on for
    the whole process when Processing loads, and a plugin must not switch them
    back, so both outcomes of a failed open are taken here.
    """
    from osgeo import gdal

    with quiet_gdal_errors():
        try:
            return gdal.OpenEx(path, gdal.OF_VECTOR | gdal.OF_READONLY, allowed_drivers=list(ALLOWED_DRIVERS["vector"]))
        except RuntimeError:
            return None


def open_raster(path: Any) -> Any:
    """The package raster at ``path`` opened by rasterio with the allowed driver only."""
    import rasterio

    (driver,) = ALLOWED_DRIVERS["raster"]  # rasterio takes one driver name
    return rasterio.open(path, driver=driver)


def source_layer(dataset: Any, entry: LayerEntry) -> Any:
    """The OGR layer a vector entry names: its ``layer``, else the first one (a GPX file's tracks)."""
    names = [dataset.GetLayerByIndex(i).GetName() for i in range(dataset.GetLayerCount())]
    if entry.layer:
        return dataset.GetLayerByName(entry.layer)
    if len(names) == 1 or (names and entry.source is not None and entry.source.suffix.lower() != ".gpx"):
        return dataset.GetLayerByIndex(0)
    return dataset.GetLayerByName("tracks") or (dataset.GetLayerByIndex(0) if names else None)
