"""The analysis engine: numpy, scipy, shapely, pyproj, rasterio and GDAL only.

Nothing under ``core`` may import ``qgis`` or Qt, so every analysis can be
tested without QGIS and reused from a plain Python script.
"""
