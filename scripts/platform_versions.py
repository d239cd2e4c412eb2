"""Print, as JSON, the versions of QGIS, Python and the runtime packages this interpreter sees."""

from __future__ import annotations

import json
import platform
from importlib import metadata


def versions() -> dict[str, str]:
    """QGIS, Python, GDAL and the runtime Python packages, each as its version string or "missing"."""
    found: dict[str, str] = {"Python": platform.python_version()}
    try:
        from qgis.core import Qgis

        found["QGIS"] = Qgis.QGIS_VERSION.split("-")[0]
    except ImportError:
        found["QGIS"] = "missing"
    try:
        from osgeo import gdal

        found["GDAL"] = gdal.__version__
    except ImportError:
        found["GDAL"] = "missing"
    for package in ("numpy", "scipy", "shapely", "pyproj", "rasterio"):
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            found[package] = "missing"
    return found


if __name__ == "__main__":
    print(json.dumps(versions()))
