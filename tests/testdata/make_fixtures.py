"""Writes the small inputs of ``tests/algorithm_cases.yaml``: a few KB each, values chosen to be checked by hand.

Run from the repository root with the project's Python (GDAL's bindings only, no QGIS):

    python tests/testdata/make_fixtures.py tests/testdata

and commit what it writes. Every number the cases expect follows from the
values below; ``tests/algorithm_cases.yaml`` says how, case by case.

* ``cases.gpkg`` layers in UTM 33N (EPSG:32633), around ``(X0, Y0)``:
  ``one_incident`` (one point at X0, Y0), ``twin_incidents`` (two points at
  X0, Y0 with fatalities 2 and 1), ``line_values`` (five points 1 km apart
  eastwards with values 1, 2, 3, 4, 10), ``dated_incidents`` (incidents in
  January-March 2025, see ``DATED``), ``study_area`` (8 × 5 km, 2 km beyond every dated incident);
  and in WGS 84 (EPSG:4326) on the equator, where a geodesic along it is
  ``a · Δλ`` (a = 6 378 137 m): ``bases`` (Alpha at 30° E, reach 2 km),
  ``patrols`` (a north-south track at 30.05° E, patrolled 2026-01-10),
  ``villages`` (at 30.005, 30.01, 30.02 and 30.05° E), ``coverage`` (a square
  29.99-30.01° E, ±0.01°, kind ``covered``), ``gap_villages`` (one inside the
  square, two at 30.02 and 30.04° E), ``zones`` (two sectors for an atlas).
* ``forecast_cases.gpkg`` layers in UTM 33N around ``(X0, Y0)`` (km offsets in ``FORECAST_*``, ``PATROL_*``):
  ``forecast_cells`` (three 1 km cells with a ``risk`` rank, the first two tied), ``forecast_incidents``
  (incidents of January 2026, the December before, one undated, one outside the study area),
  ``forecast_study_area`` (a 4 km square), ``predicted_areas`` (three 1 km squares, 5 km apart),
  ``validation_patrols`` (dated tracks near and through them) and ``patrol_reports`` (dated, confirmed or not).
* ``ndvi_annual_2019_2023.tif``: 3 × 3 pixels, five bands dated 1 July
  2019-2023 (band descriptions); the baseline years hold 0.2, 0.6, 0.4, 0.3 in
  every pixel, the 2023 band the values of ``NDVI_2023`` (nodata −9999).
* ``vci_before.tif``/``vci_after.tif``: 3 × 3 VCI rasters of 1 km pixels.
* ``vci_delta.tif``: ``vci_after`` − ``vci_before``, as Drought change's delta.
* Early-warning layers (UTM 33N): ``warning_cells`` (three 1 km emerging hot spot cells along the bottom
  row of the VCI rasters, see ``WARNING_CELLS``), ``warning_patrols`` (see ``WARNING_PATROLS``) and
  ``warning_area`` (the 3 × 3 km square of the VCI rasters).
* ``warnings_register.gpkg``: an early-warning register in UTM 33N with two warnings (see
  ``write_register``): EW-2025-001 over the growing cluster of ``dated_incidents``, issued 2025-02-01 08:00,
  acted upon 2025-02-04 20:00 (3.5 days); EW-2025-002 over the steady pair 3 km east, issued 2025-01-20 00:00,
  open without action.
* ``incidents_acled.csv``: an ACLED export of four good rows, three bad ones
  and a blank line; ``incidents_generic.csv``: a semicolon CSV with its own
  column names.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from osgeo import gdal, ogr, osr

X0, Y0 = 500000.0, 1000000.0
UTM, WGS84 = 32633, 4326
NODATA = -9999.0
#: The 2023 NDVI per pixel (row by row); the last pixel is nodata.
NDVI_2023 = (0.22, 0.26, 0.30, 0.34, 0.38, 0.42, 0.50, 0.60, NODATA)
BASELINE_NDVI = {2019: 0.2, 2020: 0.6, 2021: 0.4, 2022: 0.3}
VCI_BEFORE = (60, 60, 60, 30, 60, 80, 60, 20, 60)
VCI_AFTER = (5, 15, 35, 45, 60, 80, 35, 25, 60)
#: The emerging hot spot cells of the early-warning cases: 1 km squares along the bottom row of the VCI rasters.
WARNING_CELLS = (("Intensifying Hot Spot", 3, 2.5), ("Diminishing Hot Spot", 5, -2.0), ("No Pattern Detected", 0, 0.1))
#: North-south patrol tracks of the early-warning cases: (x offset from X0, date): one through the middle cell and
#: one 200 m east of the last cell.
WARNING_PATROLS = ((1500, "2026-01-01"), (3200, "2026-01-21"))
#: (x offset, y offset from X0, Y0 in metres, date) of the dated incidents: a cluster near the origin that grows
#: month by month (1, 2, then 4 incidents) and a steady pair 3 km east (one a month).
DATED = (
    (100, 100, "2025-01-15"),
    (150, 120, "2025-02-03"),
    (120, 180, "2025-02-20"),
    (110, 140, "2025-03-02"),
    (160, 150, "2025-03-09"),
    (130, 130, "2025-03-17"),
    (170, 110, "2025-03-28"),
    (3100, 100, "2025-01-10"),
    (3120, 140, "2025-02-11"),
    (3140, 120, "2025-03-12"),
)
#: Forecast cells (column, row of a 1 km cell from X0, Y0; rank) and incidents (x, y in km; date or None).
FORECAST_CELLS = ((0, 0, 3.0), (1, 0, 3.0), (0, 1, 1.0))
FORECAST_INCIDENTS = (
    (0.5, 0.5, "2026-01-15"),
    (1.0, 0.5, "2026-01-15"),  # on the edge between the two tied cells
    (0.5, 1.5, "2026-01-15"),
    (3.5, 3.5, "2026-01-15"),
    (3.5, 3.5, "2026-01-15"),
    (10.0, 10.0, "2026-01-15"),  # outside the study area
    (0.5, 0.5, None),
    (0.5, 0.5, "2025-12-10"),
    (3.5, 3.5, "2025-12-10"),
    (2.5, 2.5, "2025-12-10"),
    (3.2, 3.7, "2025-12-10"),
    (0.5, 0.5, "2025-11-30"),  # before the previous window
)
#: Predicted areas (name, west edge in km), patrol tracks (id, vertices in km, date), reports (x, y, date, confirmed).
PATROL_AREAS = (("A0", 0.0), ("A1", 5.0), ("A2", 10.0))
PATROL_TRACKS = (
    ("P1", ((0.5, -2), (0.5, -0.3)), "2026-01-05"),
    ("P2", ((-1, 0.5), (2, 0.5)), "2026-01-10"),
    ("P3", ((5.5, -3), (5.5, -0.8)), "2026-01-03"),
    ("P4", ((4, 0.5), (7, 0.5)), "2025-12-20"),
    ("P5", ((4, 0.5), (7, 0.5)), "2026-01-31"),
    ("P6", ((9, 0.5), (12, 0.5)), None),
)
PATROL_REPORTS = (
    (0.5, 0.5, "2026-01-12", "yes"),
    (5.5, 0.5, "2026-01-12", "no"),
    (10.5, 0.5, "2026-01-12", "yes"),
    (0.2, 0.2, "2026-02-12", "yes"),
)


def _srs(epsg: int) -> osr.SpatialReference:
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(epsg)
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return srs


def _layer(source, name: str, epsg: int, geometry: int, fields: list[tuple[str, int]], rows: list[tuple]) -> None:
    """A layer of ``rows``: (WKT, attribute values in ``fields`` order)."""
    layer = source.CreateLayer(name, _srs(epsg), geometry, ["SPATIAL_INDEX=NO"])  # keeps the file small
    for field_name, kind in fields:
        layer.CreateField(ogr.FieldDefn(field_name, kind))
    for wkt, *values in rows:
        feature = ogr.Feature(layer.GetLayerDefn())
        feature.SetGeometry(ogr.CreateGeometryFromWkt(wkt))
        for (field_name, _kind), value in zip(fields, values):
            if value is not None:  # NULL
                feature.SetField(field_name, value)
        layer.CreateFeature(feature)


def _square(x0: float, y0: float, x1: float, y1: float) -> str:
    return f"POLYGON (({x0} {y0}, {x1} {y0}, {x1} {y1}, {x0} {y1}, {x0} {y0}))"


def write_vectors(path: Path) -> None:
    path.unlink(missing_ok=True)
    source = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    _layer(source, "one_incident", UTM, ogr.wkbPoint, [("fatalities", ogr.OFTInteger)], [(f"POINT ({X0} {Y0})", 1)])
    _layer(
        source,
        "twin_incidents",
        UTM,
        ogr.wkbPoint,
        [("fatalities", ogr.OFTInteger)],
        [(f"POINT ({X0} {Y0})", 2), (f"POINT ({X0} {Y0})", 1)],
    )
    _layer(
        source,
        "line_values",
        UTM,
        ogr.wkbPoint,
        [("name", ogr.OFTString), ("value", ogr.OFTReal)],
        [(f"POINT ({X0 + 1000 * i} {Y0})", f"P{i}", value) for i, value in enumerate((1, 2, 3, 4, 10))],
    )
    _layer(
        source,
        "dated_incidents",
        UTM,
        ogr.wkbPoint,
        [("event_date", ogr.OFTDate)],
        [(f"POINT ({X0 + dx} {Y0 + dy})", day) for dx, dy, day in DATED],
    )
    _layer(
        source,
        "study_area",
        UTM,
        ogr.wkbPolygon,
        [("name", ogr.OFTString)],
        [(_square(X0 - 2000, Y0 - 2000, X0 + 6000, Y0 + 3000), "area")],
    )
    _layer(
        source,
        "bases",
        WGS84,
        ogr.wkbPoint,
        [("name", ogr.OFTString), ("reach_m", ogr.OFTReal)],
        [("POINT (30 0)", "Alpha", 2000.0)],
    )
    _layer(
        source,
        "patrols",
        WGS84,
        ogr.wkbLineString,
        [("patrol_date", ogr.OFTDate)],
        [("LINESTRING (30.05 -0.01, 30.05 0.01)", "2026-01-10")],
    )
    _layer(
        source,
        "villages",
        WGS84,
        ogr.wkbPoint,
        [("name", ogr.OFTString), ("people", ogr.OFTInteger)],
        [
            (f"POINT ({lon} 0)", name, people)
            for lon, name, people in ((30.005, "V1", 100), (30.01, "V2", 200), (30.02, "V3", 300), (30.05, "V4", 400))
        ],
    )
    _layer(
        source,
        "coverage",
        WGS84,
        ogr.wkbPolygon,
        [("kind", ogr.OFTString)],
        [(_square(29.99, -0.01, 30.01, 0.01), "covered")],
    )
    _layer(
        source,
        "gap_villages",
        WGS84,
        ogr.wkbPoint,
        [("name", ogr.OFTString), ("people", ogr.OFTInteger)],
        [("POINT (30 0)", "Inside", 5000), ("POINT (30.02 0)", "Near", 999), ("POINT (30.04 0)", "Far", 99)],
    )
    _layer(
        source,
        "zones",
        WGS84,
        ogr.wkbPolygon,
        [("sector", ogr.OFTString)],
        [(_square(29.98, -0.02, 30.03, 0.02), "West"), (_square(30.03, -0.02, 30.08, 0.02), "East")],
    )
    _layer(
        source,
        "warning_cells",
        UTM,
        ogr.wkbPolygon,
        [
            ("cell_id", ogr.OFTInteger),
            ("CATEGORY", ogr.OFTString),
            ("CAT_CODE", ogr.OFTInteger),
            ("TREND_Z", ogr.OFTReal),
        ],
        [
            (_square(X0 + 1000 * i, Y0, X0 + 1000 * (i + 1), Y0 + 1000), 11 + i, name, code, z)
            for i, (name, code, z) in enumerate(WARNING_CELLS)
        ],
    )
    _layer(
        source,
        "warning_patrols",
        UTM,
        ogr.wkbLineString,
        [("patrol_date", ogr.OFTDate)],
        [(f"LINESTRING ({X0 + dx} {Y0 - 500}, {X0 + dx} {Y0 + 1500})", day) for dx, day in WARNING_PATROLS],
    )
    _layer(
        source,
        "warning_area",
        UTM,
        ogr.wkbPolygon,
        [("name", ogr.OFTString)],
        [(_square(X0, Y0, X0 + 3000, Y0 + 3000), "area")],
    )
    source.ExecuteSQL("VACUUM")
    source = None


def _raster(path: Path, bands: list[np.ndarray], pixel: float, descriptions: list[str] | None = None) -> None:
    options = ["COMPRESS=DEFLATE"]
    dataset = gdal.GetDriverByName("GTiff").Create(str(path), 3, 3, len(bands), gdal.GDT_Float32, options)
    dataset.SetGeoTransform((X0, pixel, 0.0, Y0 + 3 * pixel, 0.0, -pixel))
    dataset.SetProjection(_srs(UTM).ExportToWkt())
    for number, values in enumerate(bands, 1):
        band = dataset.GetRasterBand(number)
        band.SetNoDataValue(NODATA)
        band.WriteArray(values.astype(np.float32))
        if descriptions:
            band.SetDescription(descriptions[number - 1])
    dataset = None


def write_rasters(folder: Path) -> None:
    years = [*BASELINE_NDVI, 2023]
    bands = [np.full((3, 3), BASELINE_NDVI[year]) for year in BASELINE_NDVI]
    bands.append(np.array(NDVI_2023).reshape(3, 3))
    _raster(folder / "ndvi_annual_2019_2023.tif", bands, 250.0, [f"{year}-07-01" for year in years])
    _raster(folder / "vci_before.tif", [np.array(VCI_BEFORE).reshape(3, 3)], 1000.0)
    _raster(folder / "vci_after.tif", [np.array(VCI_AFTER).reshape(3, 3)], 1000.0)
    _raster(folder / "vci_delta.tif", [(np.array(VCI_AFTER) - np.array(VCI_BEFORE)).reshape(3, 3)], 1000.0)


ACLED = """\
event_id_cnty,event_date,event_type,sub_event_type,actor1,actor2,country,admin1,location,latitude,longitude,\
geo_precision,source,fatalities
SSD1,2025-03-01,Battles,Armed clash,Militia A,Militia B,South Sudan,Jonglei,Pibor,6.8,33.1,1,Radio,3
SSD2,2025-03-02,Riots,Mob violence,Rioters,,South Sudan,Jonglei,Bor,6.2,31.6,2,Radio,0
SSD3,,Battles,Armed clash,Militia A,,South Sudan,Jonglei,Akobo,7.8,33.0,1,Radio,1
SSD4,2025-03-04,Protests,Peaceful protest,Protesters,,South Sudan,Unity,Bentiu,95.0,200.0,1,Radio,0

SSD2,2025-03-05,Riots,Mob violence,Rioters,,South Sudan,Jonglei,Bor,6.2,31.6,2,Radio,0
SSD5,2025-03-06,Violence against civilians,Attack,Militia A,Civilians,South Sudan,Upper Nile,Malakal,9.5,31.6,1,Radio,5
SSD6,2025-03-07,Battles,Armed clash,Militia B,Army,South Sudan,Unity,Leer,8.3,30.1,3,Radio,2
"""

GENERIC = """\
incident;when;y_coord;x_coord;dead
A-1;2025-02-01;9.50;31.60;1
A-2;2025-02-02;;31.61;0
A-3;02/03/2025;9.52;31.62;4
"""


def _km(x: float, y: float) -> str:
    return f"{X0 + 1000 * x} {Y0 + 1000 * y}"


def write_forecast_vectors(path: Path) -> None:
    """The inputs of the forecast accuracy and patrol validation cases (see the module's docstring)."""
    path.unlink(missing_ok=True)
    source = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    km = 1000.0
    _layer(
        source,
        "forecast_cells",
        UTM,
        ogr.wkbPolygon,
        [("risk", ogr.OFTReal)],
        [
            (_square(X0 + c * km, Y0 + r * km, X0 + (c + 1) * km, Y0 + (r + 1) * km), rank)
            for c, r, rank in FORECAST_CELLS
        ],
    )
    _layer(
        source,
        "forecast_incidents",
        UTM,
        ogr.wkbPoint,
        [("event_date", ogr.OFTDate)],
        [(f"POINT ({_km(x, y)})", day) for x, y, day in FORECAST_INCIDENTS],
    )
    _layer(
        source,
        "forecast_study_area",
        UTM,
        ogr.wkbPolygon,
        [("name", ogr.OFTString)],
        [(_square(X0, Y0, X0 + 4 * km, Y0 + 4 * km), "area")],
    )
    _layer(
        source,
        "predicted_areas",
        UTM,
        ogr.wkbPolygon,
        [("name", ogr.OFTString)],
        [(_square(X0 + west * km, Y0, X0 + (west + 1) * km, Y0 + km), name) for name, west in PATROL_AREAS],
    )
    _layer(
        source,
        "validation_patrols",
        UTM,
        ogr.wkbLineString,
        [("patrol_id", ogr.OFTString), ("patrol_date", ogr.OFTDate)],
        [(f"LINESTRING ({', '.join(_km(x, y) for x, y in line)})", pid, day) for pid, line, day in PATROL_TRACKS],
    )
    _layer(
        source,
        "patrol_reports",
        UTM,
        ogr.wkbPoint,
        [("report_date", ogr.OFTDate), ("confirmed", ogr.OFTString)],
        [(f"POINT ({_km(x, y)})", day, confirmed) for x, y, day, confirmed in PATROL_REPORTS],
    )
    source.ExecuteSQL("VACUUM")
    source = None


def write_tables(folder: Path) -> None:
    (folder / "incidents_acled.csv").write_text(ACLED, encoding="utf-8", newline="\n")
    (folder / "incidents_generic.csv").write_text(GENERIC, encoding="utf-8", newline="\n")


def write_register(path: Path) -> None:
    """The early-warning register, written with the plugin's own register code (plain Python, no QGIS)."""
    import importlib.util
    from datetime import datetime, timezone

    from shapely.geometry import box

    root = Path(__file__).resolve().parents[2]
    if "mission_early_warning" not in sys.modules:  # the repository root is the package; never on sys.path
        spec = importlib.util.spec_from_file_location(
            "mission_early_warning", root / "__init__.py", submodule_search_locations=[str(root)]
        )
        sys.modules["mission_early_warning"] = importlib.util.module_from_spec(spec)
    from mission_early_warning.core.warnings_register import issue_warning, update_warning

    path.unlink(missing_ok=True)
    crs = f"EPSG:{UTM}"
    acted = issue_warning(path, crs, box(X0 + 50, Y0 + 50, X0 + 250, Y0 + 250), "Incident hot spot",
                          issued=datetime(2025, 2, 1, 8, tzinfo=timezone.utc), responsible_unit="Coy A")  # fmt: skip
    issue_warning(path, crs, box(X0 + 3000, Y0, X0 + 3200, Y0 + 200), "Patrol coverage gap",
                  issued=datetime(2025, 1, 20, tzinfo=timezone.utc))  # fmt: skip
    action = datetime(2025, 2, 4, 20, tzinfo=timezone.utc)
    update_warning(path, acted.id, {"action_taken": "Night patrols", "action_date": action, "status": "actioned"},
                   when=action)  # fmt: skip


def main(folder: str) -> None:
    target = Path(folder)
    gdal.UseExceptions()
    gdal.SetConfigOption("OGR_CURRENT_DATE", "2026-01-01T00:00:00.000Z")  # the same bytes at every rebuild
    write_vectors(target / "cases.gpkg")
    write_forecast_vectors(target / "forecast_cases.gpkg")
    write_rasters(target)
    write_tables(target)
    write_register(target / "warnings_register.gpkg")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else str(Path(__file__).parent))
