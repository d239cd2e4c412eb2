"""Which runtime Python packages are missing, and how to install them."""

from __future__ import annotations

import importlib

#: Runtime packages beyond what QGIS itself ships, with their Debian package.
RUNTIME_PACKAGES: dict[str, str] = {
    "numpy": "python3-numpy",
    "scipy": "python3-scipy",
    "shapely": "python3-shapely",
    "pyproj": "python3-pyproj",
    "rasterio": "python3-rasterio",
}


def missing_packages(names: tuple[str, ...] | None = None) -> list[str]:
    """The runtime packages among ``names`` (default: all) that cannot be imported."""
    missing = []
    for name in names or tuple(RUNTIME_PACKAGES):
        try:
            importlib.import_module(name)
        except ImportError:
            missing.append(name)
    return missing


def install_hint(package: str) -> str:
    """A sentence telling the user how to install ``package``."""
    top = package.split(".")[0]
    debian = RUNTIME_PACKAGES.get(top, f"python3-{top}")
    return (
        f"the Python package '{top}' is missing. On Debian/Ubuntu install it with "
        f"'sudo apt install {debian}'; on Windows (OSGeo4W) run the OSGeo4W setup and add "
        f"'python3-{top}'; elsewhere 'python3 -m pip install {top}' in QGIS's Python."
    )
