"""The catalogue of broken and hostile input, and what the plugin must do with each: one row per case.

Each :class:`Case` names its target (a ``mew:`` algorithm, ``"checker"`` for ``open_package`` + ``validate``,
``"checker-cli"`` for ``python -m mission_early_warning.core.mission_package check``, ``"dock"`` for the
mission dock's loader), the input builder that writes its files (:data:`BUILDERS`, each built once per test
session), its parameters, and what must come of it: an ``error`` whose text holds every given fragment, or a
``result`` predicate over the :class:`Outcome`. ``tests/test_hostile.py`` runs every row and checks, for all
of them, that the inputs are unchanged, nothing partial is left, no child process survives and no traceback
reaches the user.

Parameters are written with placeholders filled in by the runner: ``{name}`` is the data source the builder
returned under that name, ``{out}`` the case's own (empty) output folder, ``{locked}`` a folder inside it that
nobody may write into (root included) while the case runs.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional

# --- what a case gives back -----------------------------------------------------------------------------------


@dataclass
class Outcome:
    """What a case produced: the error the user was shown, or the results, with everything the user saw."""

    error: Optional[str] = None
    results: dict = field(default_factory=dict)
    log: list = field(default_factory=list)  # feedback's errors, warnings and info; the dock's messages
    out: Optional[Path] = None
    inputs: dict = field(default_factory=dict)
    returncode: Optional[int] = None  # checker-cli
    stdout: str = ""
    stderr: str = ""
    problems: list = field(default_factory=list)  # checker and dock: (severity, layer id, message, action)
    added: tuple = ()  # dock: layer ids loaded
    skipped: dict = field(default_factory=dict)  # dock: layer id -> why not loaded

    def logged(self, *fragments: str) -> bool:
        text = "\n".join(self.log)
        return all(fragment in text for fragment in fragments)

    def problem(self, layer_id: Optional[str], *fragments: str, severity: str = "error") -> bool:
        return any(
            s == severity and layer == layer_id and all(f in f"{m} {a}" for f in fragments)
            for s, layer, m, a in self.problems
        )


@dataclass(frozen=True)
class Case:
    id: str
    target: str  # "mew:<algorithm>", "checker", "checker-cli" or "dock"
    inputs: str  # a key of BUILDERS, optionally "builder:variant"
    parameters: dict = field(default_factory=dict)
    error: tuple = ()  # fragments the error message must hold
    result: Optional[Callable[[Outcome], bool]] = None

    def __post_init__(self):
        assert bool(self.error) != bool(self.result), f"{self.id}: give an error or a result, not both"


# --- reading outputs back (predicates) ---------------------------------------------------------------------------


def feature_values(source: str, field_name: str) -> list:
    """The values of one field of a vector output, read with OGR (closed before returning)."""
    from osgeo import ogr

    path, _, layer_name = source.partition("|layername=")
    dataset = ogr.Open(path)
    try:
        layer = dataset.GetLayerByName(layer_name) if layer_name else dataset.GetLayer(0)
        return [feature.GetField(field_name) for feature in layer]
    finally:
        dataset = None


def csv_column(path: str, column: str) -> list[str]:
    with open(path, newline="", encoding="utf-8") as handle:
        return [row[column] for row in csv.DictReader(handle)]


def raster_range(path: str) -> tuple[float, float]:
    """The lowest and highest valid value of a raster's first band."""
    import numpy as np
    import rasterio

    with rasterio.open(path) as dataset:
        values = dataset.read(1, masked=True)
    values = values.compressed()
    values = values[np.isfinite(values)]
    return float(values.min()), float(values.max())


def raster_tag(path: str, tag: str) -> str:
    import rasterio

    with rasterio.open(path) as dataset:
        return dataset.tags()[tag]


def pdf_text(path: str) -> str:
    return subprocess.run(["pdftotext", path, "-"], capture_output=True, text=True, check=True).stdout


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if p.is_file())


# --- input builders ----------------------------------------------------------------------------------------------
UTM = "EPSG:32630"
PX, PY = 400_000.0, 1_600_000.0  # the corner the "edges" points are drawn from
DATES = ["2010-09-01", "2011-09-01", "2012-09-01", "2013-09-01"]
INCIDENT_HEADER = "event_id_cnty,event_date,latitude,longitude,fatalities,location"


def build_geo(folder: Path, demo: Callable[[], Path]) -> dict[str, str]:
    """tests/hostile_inputs.py's layers: incidents, area, districts, patrols, villages, coverage, before/after."""
    from mission_early_warning.tests.hostile_inputs import write_inputs

    sources = write_inputs(folder)
    return dict(sources, gpkg=str(folder / "inputs.gpkg"))


def build_register(folder: Path, demo: Callable[[], Path]) -> dict[str, str]:
    """An early-warning register holding one open warning (``register``), in a GeoPackage of its own."""
    from datetime import datetime, timezone

    from shapely.geometry import box

    from mission_early_warning.core.warnings_register import issue_warning

    folder.mkdir(parents=True, exist_ok=True)
    register = folder / "register.gpkg"
    issue_warning(register, UTM, box(500000, 1500000, 502000, 1502000), "Incident hot spot",
                  issued=datetime(2026, 3, 1, tzinfo=timezone.utc))  # fmt: skip
    return {"register": str(register)}


def _write_raster(path: Path, bands, descriptions=(), crs: Optional[str] = UTM) -> str:
    import numpy as np
    import rasterio
    from rasterio.transform import from_origin

    bands = np.asarray(bands, dtype=np.float32)
    bands = bands[None] if bands.ndim == 2 else bands
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=bands.shape[2],
        height=bands.shape[1],
        count=bands.shape[0],
        dtype="float32",
        crs=crs,
        transform=from_origin(300000, 1700000, 250, 250),
        nodata=-1,
    ) as dataset:
        dataset.write(bands)
        for number, text in enumerate(descriptions, 1):
            dataset.set_band_description(number, text)
    return str(path)


def build_ndvi(folder: Path, demo: Callable[[], Path]) -> dict[str, str]:
    """A 4-year NDVI stack with its dates, the same without a CRS, and a one-band stack."""
    import numpy as np

    folder.mkdir(parents=True, exist_ok=True)
    values = np.random.default_rng(0).uniform(0.1, 0.8, (4, 30, 40))
    return {
        "stack": _write_raster(folder / "ndvi.tif", values, DATES),
        "no_crs": _write_raster(folder / "no_crs.tif", values, DATES, crs=None),
        "single": _write_raster(folder / "ndvi_2024-09-14.tif", np.full((10, 10), 0.5)),
    }


def _incident_lines(count: int, start: int = 0) -> list[str]:
    return [
        f"E{k},2025-{1 + k % 12:02d}-{1 + k % 28:02d},{14 + (k % 97) / 100:.4f},{-4 + (k % 89) / 100:.4f},"
        f"{k % 3},Village {k}"
        for k in range(start, start + count)
    ]


def build_exports(folder: Path, demo: Callable[[], Path]) -> dict[str, str]:
    """Incident exports: clean, with lost-looking lines, with formulas, 1970 and 9999 dates, binary."""
    folder.mkdir(parents=True, exist_ok=True)
    files: dict[str, list[str]] = {"clean": [INCIDENT_HEADER, *_incident_lines(100)]}
    # 100 data lines: 90 good rows, 4 blank lines, an unclosed quote, a date in 9999, text as latitude,
    # a date that is none, a row cut short and a longitude off the Earth
    lost = _incident_lines(90)
    lost[10:10] = ["", ""]
    lost[40:40] = ['U1,"2025-02-02,14.1,-4.1,0,Unclosed']
    lost[50:50] = ["", ""]
    lost += [
        "F1,9999-12-31,14.2,-4.2,0,Far",
        "T1,2025-03-03,north,-4.2,0,Text",
        "D1,not a date,14.2,-4.2,0,Nodate",
        "S1,2025-03-04",
        "L1,2025-03-05,14.2,-400.5,0,Off",
    ]
    files["lost"] = [INCIDENT_HEADER, *lost]
    files["epoch"] = [INCIDENT_HEADER, "A1,1970-01-01,14.1,-4.1,0,Epoch", "A2,1970-01-02,14.2,-4.2,0,Day after"]
    files["future"] = [INCIDENT_HEADER, *_incident_lines(5), "Z1,9999-12-31,14.1,-4.1,0,Far"]
    paths = {}
    for name, lines in files.items():
        path = folder / f"{name}.csv"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths[name] = str(path)
    with open(folder / "formulas.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["event_id_cnty", "event_date", "latitude", "longitude", "location", "actor1", "actor2"])
        writer.writerow(
            [
                "MLI1",
                "2024-03-01",
                "14.1",
                "-4.1",
                "=cmd|'/c calc'!A1",
                "@SUM(1)",
                '=HYPERLINK("http://192.0.2.1/","click")',
            ]
        )
        writer.writerow(["=1+1", "=NOW()", "14.2", "-4.2", "Boni", "", ""])  # refused: no date
    paths["formulas"] = str(folder / "formulas.csv")
    (folder / "binary.csv").write_bytes(INCIDENT_HEADER.encode() + b"\nE1,2025-01-01,14.1,-4.1,0,A\nE2,\x00\x01\x02\n")
    paths["binary"] = str(folder / "binary.csv")
    return paths


def build_edges(folder: Path, demo: Callable[[], Path]) -> dict[str, str]:
    """Points and tracks at the edges (UTM 30N): epoch dates, NaN and NULL weights, future patrols, bases."""
    import numpy as np
    from osgeo import ogr, osr

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "edges.gpkg"
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(32630)
    dataset = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    rng = np.random.default_rng(1970)

    def layer(name, kind, fields, rows):
        table = dataset.CreateLayer(name, srs, kind)
        for field_name, field_kind in fields:
            table.CreateField(ogr.FieldDefn(field_name, field_kind))
        for wkt, values in rows:
            feature = ogr.Feature(table.GetLayerDefn())
            feature.SetGeometry(ogr.CreateGeometryFromWkt(wkt))
            for (field_name, _), value in zip(fields, values):
                if value is not None:
                    feature.SetField(field_name, value)
            table.CreateFeature(feature)

    points = [f"POINT ({PX + x} {PY + y})" for x, y in rng.uniform(0, 20_000, (300, 2))]
    layer(
        "epoch",
        ogr.wkbPoint,
        [("day", ogr.OFTString)],
        [(p, ("1970-01-01" if k % 2 else "1970-01-02",)) for k, p in enumerate(points)],
    )
    layer(
        "weights",
        ogr.wkbPoint,
        [("w_nan", ogr.OFTReal), ("w_null", ogr.OFTReal), ("fatal", ogr.OFTReal)],
        [(p, (float("nan") if k in (3, 7) else 1.0, None, float(k % 3))) for k, p in enumerate(points)],
    )
    layer(
        "far",
        ogr.wkbPoint,
        [("day", ogr.OFTString)],
        [(p, (f"2024-{k % 12 + 1:02d}-15" if k else "9999-12-31",)) for k, p in enumerate(points)],
    )
    layer(
        "bases",
        ogr.wkbPoint,
        [("name", ogr.OFTString)],
        [(f"POINT ({PX + 5000} {PY + 5000})", ("Alpha",)), (f"POINT ({PX + 15000} {PY + 12000})", ("Bravo",))],
    )
    layer(
        "patrols",
        ogr.wkbLineString,
        [("patrol_date", ogr.OFTString)],
        [
            (f"LINESTRING ({PX} {PY + 1000}, {PX + 8000} {PY + 1000})", ("2025-06-01",)),
            (f"LINESTRING ({PX} {PY + 9000}, {PX + 8000} {PY + 9000})", ("2031-01-01",)),
            (f"LINESTRING ({PX} {PY + 15000}, {PX + 8000} {PY + 15000})", ("2032-02-02",)),
        ],
    )
    layer(
        "villages", ogr.wkbPoint, [("population", ogr.OFTInteger)], [(p, (100 + k,)) for k, p in enumerate(points[:40])]
    )
    dataset = None
    shapefile = ogr.GetDriverByName("ESRI Shapefile").CreateDataSource(str(folder / "nan_weights.shp"))
    table = shapefile.CreateLayer("nan_weights", srs, ogr.wkbPoint)
    table.CreateField(ogr.FieldDefn("w_nan", ogr.OFTReal))
    for k, point in enumerate(points):
        feature = ogr.Feature(table.GetLayerDefn())
        feature.SetGeometry(ogr.CreateGeometryFromWkt(point))
        feature.SetField("w_nan", float("nan") if k in (3, 7) else float("inf") if k == 9 else 1.0)
        table.CreateFeature(feature)
    shapefile = table = None
    names = ["epoch", "weights", "far", "bases", "patrols", "villages"]
    return {name: f"{path}|layername={name}" for name in names} | {
        "gpkg": str(path),
        "nan_weights": str(folder / "nan_weights.shp"),
    }


# --- mission packages: the demo mission, copied, then damaged one way ----------------------------------------------


def _manifest(package: Path, edit: Callable[[dict], Any]) -> None:
    manifest_file = package / "manifest.json"
    manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    edit(manifest)
    manifest_file.write_text(json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8")


def _entry(manifest: dict, layer_id: str) -> dict:
    return next(entry for entry in manifest["layers"] if entry["id"] == layer_id)


def _add(package: Path, **entry) -> None:
    _manifest(package, lambda m: m["layers"].append({"theme": "operations", **entry}))


def _tiny_tif(path: Path) -> None:
    import numpy as np

    _write_raster(path, np.ones((4, 4)))


def _damage_vrt_gpkg(package: Path) -> None:
    (package.parent / "outside.csv").write_text("id,secret\n1,OUTSIDE-SECRET\n", encoding="utf-8")
    (package / "roads.gpkg").write_text(
        '<OGRVRTDataSource><OGRVRTLayer name="outside"><SrcDataSource relativeToVRT="1">../outside.csv'
        "</SrcDataSource></OGRVRTLayer></OGRVRTDataSource>",
        encoding="utf-8",
    )
    _add(package, id="roads", role="roads", path="roads.gpkg", layer="outside")


def _damage_vrt_tif(package: Path) -> None:
    (package / "rasters" / "elevation.tif").write_text(
        '<VRTDataset rasterXSize="1" rasterYSize="1"><VRTRasterBand dataType="Byte" band="1"><SimpleSource>'
        "<SourceFilename>/vsicurl/http://192.0.2.1/dem.tif</SourceFilename></SimpleSource></VRTRasterBand>"
        "</VRTDataset>",
        encoding="utf-8",
    )
    _add(package, id="elevation", role="elevation", path="rasters/elevation.tif")


def _damage_aux_vrt(package: Path) -> None:
    _tiny_tif(package / "rasters" / "slope.tif")
    (package / "rasters" / "slope.tif.aux.xml").write_text(
        '<VRTDataset rasterXSize="1" rasterYSize="1"></VRTDataset>', encoding="utf-8"
    )
    _add(package, id="slope", role="elevation", path="rasters/slope.tif")


def _damage_overview_link(package: Path) -> None:
    _tiny_tif(package.parent / "outside.tif")
    _tiny_tif(package / "rasters" / "aspect.tif")
    os.symlink(package.parent / "outside.tif", package / "rasters" / "aspect.tif.ovr")
    _add(package, id="aspect", role="elevation", path="rasters/aspect.tif")


def _damage_geojson_link(package: Path) -> None:
    (package / "wells.geojson").write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "crs": {"type": "link", "properties": {"href": "http://192.0.2.1/crs"}},
                "features": [
                    {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [-4, 14]}}
                ],
            }
        ),
        encoding="utf-8",
    )
    _add(package, id="wells", role="villages", path="wells.geojson")


def _damage_fifo_layer(package: Path) -> None:
    os.mkfifo(package / "pipe.tif")
    _add(package, id="pipe", role="population", path="pipe.tif")


def _damage_fifo_manifest(package: Path) -> None:
    (package / "manifest.json").unlink()
    os.mkfifo(package / "manifest.json")


def _damage_deep(package: Path) -> None:
    (package / "manifest.json").write_text('{"layers": ' + "[" * 200_000 + "]" * 200_000 + "}", encoding="utf-8")


def _damage_nan(package: Path) -> None:
    text = (package / "manifest.json").read_text(encoding="utf-8")
    (package / "manifest.json").write_text(
        text.replace('"format_version": 1', '"format_version": NaN'), encoding="utf-8"
    )


def _damage_huge(package: Path) -> None:
    _manifest(package, lambda m: m.update(description="x" * 1_000_001))


def _layer_option(layer_id: str, **options) -> Callable[[Path], None]:
    return lambda package: _manifest(package, lambda m: _entry(m, layer_id).update(options))


def _damage_hfa(package: Path) -> None:
    from osgeo import gdal

    source = package / "rasters" / "synthetic_population_100m.tif"
    gdal.Translate(str(package / "rasters" / "image.img"), str(source), format="HFA", width=8, height=8)
    for sidecar in (package / "rasters").glob("*.aux.xml"):
        sidecar.unlink()
    _add(package, id="image", role="population", path="rasters/image.img")


DAMAGES: dict[str, Callable[[Path], None]] = {
    "none": lambda package: None,
    "vrt_gpkg": _damage_vrt_gpkg,
    "vrt_tif": _damage_vrt_tif,
    "aux_vrt": _damage_aux_vrt,
    "overview_link": _damage_overview_link,
    "geojson_link": _damage_geojson_link,
    "fifo_layer": _damage_fifo_layer,
    "fifo_manifest": _damage_fifo_manifest,
    "deep": _damage_deep,
    "nan": _damage_nan,
    "huge": _damage_huge,
    "hfa": _damage_hfa,
    "vsicurl": _layer_option("population", path="/vsicurl/http://192.0.2.1/pop.tif"),
    "vsizip": _layer_option("population", path="/vsizip/rasters/pop.zip/pop.tif"),
    "url": _layer_option("villages", path="http://192.0.2.1/villages.gpkg"),
    "gpkg_connection": _layer_option("villages", path="GPKG:vectors.gpkg:synthetic_villages"),
    "dotdot": _layer_option("villages", path="../outside.gpkg"),
    "absolute": _layer_option("villages", path="/etc/passwd"),
    "pipe_in_name": _layer_option("villages", layer='synthetic_villages|subset="population" > 1000000'),
    "control_in_name": _layer_option("villages", layer="synthetic_villages\u202e"),
    "unknown_encoding": _layer_option("incidents", encoding="no-such-codec"),
    "rot13": _layer_option("incidents", encoding="rot13"),
    "number_encoding": _layer_option("incidents", encoding=8),
    "long_delimiter": _layer_option("incidents", delimiter=";;"),
    "newline_delimiter": _layer_option("incidents", delimiter="\n"),
    "string_scale": _layer_option("ndvi", scale="0.0001"),
    "expression_field": _layer_option("villages", fields={"population": "env('HOME')"}),
}


def build_package(folder: Path, demo: Callable[[], Path], damage: str = "none") -> dict[str, str]:
    """A copy of the demo mission (``package``), damaged by :data:`DAMAGES`'s ``damage``."""
    package = folder / "mission"
    shutil.copytree(demo(), package)
    DAMAGES[damage](package)
    return {"package": str(package)}


BUILDERS: dict[str, Callable[..., dict[str, str]]] = {
    "geo": build_geo,
    "ndvi": build_ndvi,
    "exports": build_exports,
    "edges": build_edges,
    "package": build_package,
    "register": build_register,
}

# --- the cases -----------------------------------------------------------------------------------------------------
NINE = [
    "importincidents",
    "incidentdensity",
    "hotspots",
    "emerginghotspots",
    "droughtindex",
    "droughtchange",
    "patrolcoverage",
    "coveragegaps",
    "briefingmap",
    "forecastaccuracy",
    "patrolvalidation",
    "earlywarninggrid",
    "warningsreport",
]

#: Inputs that make each algorithm run (all files of the inputs' folders): the base of the cases below.
RUNS: dict[str, tuple[str, dict, str, str]] = {  # algorithm: (inputs, parameters, output key, output file name)
    "importincidents": ("exports", {"INPUT": "{clean}", "REJECTED": "{out}/rejected.gpkg"}, "OUTPUT", "incidents.gpkg"),
    "incidentdensity": ("geo", {"INPUT": "{incidents}", "RADIUS": 2000}, "OUTPUT", "density.tif"),
    "hotspots": ("geo", {"INPUT": "{incidents}", "CELL_SIZE": 1000}, "OUTPUT", "hotspots.gpkg"),
    "emerginghotspots": (
        "geo",
        {"INPUT": "{incidents}", "DATE_FIELD": "event_date", "CELL_SIZE": 2000},
        "OUTPUT",
        "emerging.gpkg",
    ),
    "droughtindex": ("ndvi", {"STACK": ["{stack}"]}, "OUTPUT", "vci.tif"),
    "droughtchange": ("geo", {"BEFORE": "{before}", "AFTER": "{after}"}, "OUTPUT_DELTA", "delta.tif"),
    "patrolcoverage": (
        "geo",
        {"PATROLS": "{patrols_valid}", "VILLAGES": "{villages}"},
        "OUTPUT_COVERAGE",
        "coverage.gpkg",
    ),
    "coveragegaps": ("geo", {"VILLAGES": "{villages}", "COVERAGE": "{coverage_valid}"}, "OUTPUT", "gaps.gpkg"),
    "briefingmap": ("geo", {"LAYERS": ["{area_valid}"], "TITLE": "Sector", "DPI": 72}, "OUTPUT_PDF", "briefing.pdf"),
    "forecastaccuracy": (
        "geo",
        {
            "FORECAST": "{districts_valid}",
            "RANK_FIELD": "events",
            "INCIDENTS": "{incidents}",
            "DATE_FIELD": "event_date",
            "START": "2025-07-01",
            "END": "2025-12-31",
            "STUDY_AREA": "{area_valid}",
        },
        "OUTPUT_MEASURES",
        "accuracy.gpkg",
    ),
    "patrolvalidation": (
        "geo",
        {
            "AREAS": "{districts_valid}",
            "PATROLS": "{patrols_valid}",
            "PATROL_DATE_FIELD": "patrol_date",
            "START": "2025-05-01",
            "END": "2025-06-30",
        },
        "OUTPUT_AREAS",
        "visits.gpkg",
    ),
    "earlywarninggrid": (
        "geo",
        {"GRID": "fishnet", "STUDY_AREA": "{area_valid}", "CELL_SIZE": 2000, "DROUGHT_INDEX": "{after}"},
        "OUTPUT",
        "grid.gpkg",
    ),
    "warningsreport": ("register", {"REGISTER": "{register}"}, "OUTPUT_PDF", "annex.pdf"),
}


def run(
    algorithm: str, case_id: str, *, output: Optional[str] = None, error: tuple = (), result=None, **parameters
) -> Case:
    """A case of ``mew:algorithm`` on the inputs that make it run, its output at ``output`` (default: in {out})."""
    inputs, base, key, name = RUNS[algorithm]
    given = dict(base, **{key: output if output is not None else f"{{out}}/{name}"})
    given.update(parameters)
    return Case(f"{algorithm}-{case_id}", f"mew:{algorithm}", inputs, given, error=error, result=result)


CANNOT_WRITE = ("could not be written to", "{locked}", "Choose a folder you can write to")
OVER_INPUT = ("would overwrite the input", "choose another file for the output")

CASES: list[Case] = []

# Every algorithm runs on the inputs the other cases damage (a control: the runner's checks hold for a good run).
CASES += [run(name, "runs", result=lambda o: bool(o.results)) for name in NINE]

# Every algorithm with its output in a folder nobody may write into.
CASES += [run(name, "read-only-folder", output=f"{{locked}}/{RUNS[name][3]}", error=CANNOT_WRITE) for name in NINE]

# A window that ends before it starts.
CASES += [
    run(name, "end-before-start", error=("END (2025-01-01) is before START",), START="2025-06-01", END="2025-01-01")
    for name in ("forecastaccuracy", "patrolvalidation")
]

# Outputs over inputs: every algorithm, in several destination forms.
CASES += [
    run("hotspots", "over-input-plain", output="{gpkg}", error=("'Hot spots' (OUTPUT)", *OVER_INPUT)),
    run("hotspots", "over-input-layername", output="{gpkg}|layername=incidents", error=OVER_INPUT),
    run("hotspots", "over-input-ogr-quoted", output="ogr:dbname='{gpkg}' table=\"incidents\" (geom)", error=OVER_INPUT),
    run(
        "hotspots",
        "over-input-ogr-other-table",
        output="ogr:dbname={gpkg} table=hotspots",
        error=("would write the layer 'hotspots' into", "choose another file for the output"),
    ),
    run(
        "emerginghotspots",
        "over-input-ogr-double-quoted",
        output='ogr:dbname="{gpkg}" table="area"',
        error=("would write the layer 'area' into", "inputs.gpkg", "choose another file for the output"),
    ),
    run(
        "emerginghotspots",
        "over-input-other-table",
        output="{gpkg}|layername=emerging",
        error=("would write the layer 'emerging' into", "inputs.gpkg"),
    ),
    run(
        "patrolcoverage",
        "over-input-ogr",
        output="ogr:dbname='{gpkg}' table=\"coverage_out\"",
        error=("'Coverage (dissolved, per ring)' (OUTPUT_COVERAGE)", "inputs.gpkg"),
    ),
    run("coveragegaps", "over-input-plain", output="{gpkg}", error=OVER_INPUT),
    run("earlywarninggrid", "over-input-plain", output="{gpkg}", error=OVER_INPUT),
    run("coveragegaps", "over-input-ogr-unquoted-same", output="ogr:dbname={gpkg} table=villages", error=OVER_INPUT),
    run("incidentdensity", "over-input-gpkg", output="{gpkg}", error=("'Incident density' (OUTPUT)",)),
    run(
        "droughtchange",
        "over-input-after",
        output="{after}",
        error=("'Change of the index' (OUTPUT_DELTA) would overwrite the input",),
    ),
    run("droughtindex", "over-input-stack", output="{stack}", error=("'Drought index' (OUTPUT)", *OVER_INPUT)),
    run("importincidents", "over-input-csv", output="{clean}", error=("'Incidents' (OUTPUT)", *OVER_INPUT)),
    run(
        "importincidents", "rejected-over-input", REJECTED="{clean}", error=("'Rejected rows' (REJECTED)", *OVER_INPUT)
    ),
    run("briefingmap", "over-input-gpkg", output="{gpkg}", error=("'Briefing map (PDF)' (OUTPUT_PDF)", *OVER_INPUT)),
    run("warningsreport", "over-register", output="{register}", error=("'Annex (PDF)' (OUTPUT_PDF)", *OVER_INPUT)),
]

# Two outputs of one run into one file.
TWO = "Give each output its own file."
CASES += [
    run(
        "importincidents",
        "two-outputs-one-file",
        REJECTED="{out}/incidents.gpkg",
        error=("The output 'Incidents' (OUTPUT) and the output 'Rejected rows' (REJECTED) both go to", TWO),
    ),
    run(
        "importincidents",
        "two-outputs-two-layers",
        output="ogr:dbname='{out}/one.gpkg' table=\"a\"",
        REJECTED="{out}/one.gpkg|layername=b",
        error=(TWO,),
    ),
    run("emerginghotspots", "two-outputs-one-file", OUTPUT_CUBE="{out}/emerging.gpkg", error=("(OUTPUT_CUBE)", TWO)),
    run(
        "patrolcoverage",
        "two-outputs-one-file",
        OUTPUT_VILLAGES="{out}/coverage.gpkg",
        error=("(OUTPUT_VILLAGES)", TWO),
    ),
    run("droughtindex", "two-outputs-one-file", OUTPUT_CLASSES="{out}/vci.tif", error=("(OUTPUT_CLASSES)", TWO)),
    run(
        "droughtchange",
        "two-outputs-one-file",
        OUTPUT_TRANSITIONS="{out}/delta.tif",
        error=("(OUTPUT_TRANSITIONS)", TWO),
    ),
    run(
        "briefingmap",
        "two-outputs-one-file",
        output="{out}/map.pdf",
        OUTPUT_PNG="{out}/map.pdf",
        error=("(OUTPUT_PNG)", TWO),
    ),
]

# Numbers that are not numbers: every numeric parameter of Incident density, and some of the others.
NOT_A_NUMBER = "not a number: give a finite number"
CASES += [
    run("incidentdensity", f"{key.lower()}-{shown}", error=(f"({key}) is {shown}", NOT_A_NUMBER), **{key: value})
    for key, value, shown in [
        ("RADIUS", float("nan"), "nan"),
        ("RADIUS", "inf", "inf"),
        ("PIXEL_SIZE", float("inf"), "inf"),
        ("PIXEL_SIZE", "nan", "nan"),
        ("DECAY", float("nan"), "nan"),
        ("DECAY", "-inf", "-inf"),
    ]
]
CASES += [
    run("hotspots", "cell-size-nan", CELL_SIZE=float("nan"), error=("(CELL_SIZE) is nan", NOT_A_NUMBER)),
    run("hotspots", "distance-band-inf", DISTANCE_BAND=float("inf"), error=("(DISTANCE_BAND) is inf",)),
    run("emerginghotspots", "cell-size-minus-inf", CELL_SIZE="-inf", error=("(CELL_SIZE) is -inf", NOT_A_NUMBER)),
    run("patrolcoverage", "patrol-distance-nan", PATROL_DISTANCE=float("nan"), error=("(PATROL_DISTANCE) is nan",)),
    run("patrolcoverage", "base-radius-inf", BASES="{villages}", BASE_RADIUS="inf", error=("(BASE_RADIUS) is inf",)),
    run("coveragegaps", "weight-nan", W_DROUGHT=float("nan"), error=("(W_DROUGHT) is nan", NOT_A_NUMBER)),
    run("earlywarninggrid", "weight-inf", W_PATROL="inf", error=("(W_PATROL) is inf", NOT_A_NUMBER)),
    run("earlywarninggrid", "cell-size-nan", CELL_SIZE=float("nan"), error=("(CELL_SIZE) is nan", NOT_A_NUMBER)),
    run("droughtindex", "scale-nan", SCALE=float("nan"), error=("(SCALE) is nan",)),
    run("droughtindex", "offset-inf", OFFSET="inf", error=("(OFFSET) is inf",)),
    run("briefingmap", "dpi-nan", DPI=float("nan"), error=("(DPI) is nan",)),
]

# Layers of the wrong geometry type, given by their path.
CASES += [
    run(
        "incidentdensity",
        "lines-as-input",
        INPUT="{patrols}",
        error=("The layer 'patrols' in inputs.gpkg (INPUT)", "holds lines: choose a layer of points"),
    ),
    run("hotspots", "lines-as-input", INPUT="{patrols}", error=("'patrols'", "holds lines")),
    run("emerginghotspots", "polygons-as-input", INPUT="{area_valid}", error=("'area_valid'", "holds polygons")),
    run("patrolcoverage", "lines-as-bases", BASES="{patrols_valid}", error=("(BASES)", "holds lines")),
    run("patrolcoverage", "polygons-as-villages", VILLAGES="{area_valid}", error=("(VILLAGES)", "holds polygons")),
    run("patrolcoverage", "points-as-patrols", PATROLS="{villages}", error=("(PATROLS)", "holds points")),
    run("coveragegaps", "points-as-coverage", COVERAGE="{villages}", error=("(COVERAGE)", "holds points")),
    run("coveragegaps", "lines-as-villages", VILLAGES="{patrols_valid}", error=("(VILLAGES)", "holds lines")),
    run("earlywarninggrid", "points-as-study-area", STUDY_AREA="{villages}", error=("(STUDY_AREA)", "holds points")),
    run("earlywarninggrid", "lines-as-hot-spots", HOTSPOTS="{patrols_valid}", error=("(HOTSPOTS)", "holds lines")),
    run(
        "earlywarninggrid",
        "polygons-without-categories",
        GRID="hotspots",
        HOTSPOTS="{area_valid}",
        error=("'area_valid' in inputs.gpkg (HOTSPOTS) has no CAT_CODE field", "Emerging hot spots"),
    ),
    run(
        "earlywarninggrid",
        "patrols-without-dates",
        PATROLS="{patrols_valid}",
        error=("'patrols_valid' in inputs.gpkg (PATROLS) need their dates", "PATROL_DATE_FIELD"),
    ),
    run(
        "warningsreport",
        "register-missing",
        REGISTER="{out}/no_register.gpkg",
        error=("'{out}/no_register.gpkg' holds no early-warning register (REGISTER)", "Warnings tab"),
    ),
]

# Invalid geometries under QGIS's default setting (stop): the layer, the feature and how to repair.
CASES += [
    run("hotspots", "bow-tie-study-area", STUDY_AREA="{area}", error=("'area'", "Fix geometries")),
    run("coveragegaps", "bow-tie-coverage", COVERAGE="{coverage}", error=("'coverage'", "Fix geometries")),
    run("earlywarninggrid", "bow-tie-study-area", STUDY_AREA="{area}", error=("'area'", "Fix geometries")),
    run("patrolcoverage", "degenerate-track", PATROLS="{patrols}", error=("'patrols'", "Fix geometries")),
]

# Drought at the edges.
CASES += [
    run(
        "droughtindex",
        "nonsense-classes",
        CLASSES="0:10:1;abc",
        error=("CLASSES '0:10:1;abc' is not a class table", "'0:10:1' has more than one ':'", "upper bound:name"),
    ),
    run("droughtindex", "classes-nan-bound", CLASSES="nan:extreme; none", error=("not a finite number",)),
    run("droughtindex", "one-band-stack", STACK=["{single}"], error=("stack has one band", "at least 3 other years")),
    run("droughtindex", "scale-zero", SCALE=0, error=("SCALE is 0", "0.0001 for MODIS")),
    run("droughtindex", "no-crs", STACK=["{no_crs}"], error=("no_crs.tif' has no CRS", "Assign")),
    run("droughtindex", "png-output", output="{out}/vci.png", error=("GeoTIFF", ".tif")),
    run("droughtindex", "classes-png-output", OUTPUT_CLASSES="{out}/classes.png", error=("GeoTIFF",)),
    run("incidentdensity", "png-output", output="{out}/density.png", error=("GeoTIFF",)),
    run(
        "droughtindex",
        "vci-within-0-100",
        result=lambda o: 0 <= raster_range(o.results["OUTPUT"])[0] and raster_range(o.results["OUTPUT"])[1] <= 100,
    ),
]
CASES += [
    Case(
        "droughtchange-no-crs",
        "mew:droughtchange",
        "ndvi",
        {"BEFORE": "{no_crs}", "AFTER": "{stack}", "OUTPUT_DELTA": "{out}/d.tif"},
        error=("no_crs.tif' has no CRS",),
    ),
    Case(
        "droughtchange-one-band-stack",
        "mew:droughtchange",
        "ndvi",
        {"STACK": ["{single}"], "BEFORE_DATE": "2024", "OUTPUT_DELTA": "{out}/d.tif"},
        error=("stack has one band",),
    ),
]

# Incidents: dates, extents and weights at the edges.
EDGES = {"PIXEL_SIZE": 100}
CASES += [
    Case(
        "incidentdensity-epoch-kept",
        "mew:incidentdensity",
        "edges",
        {
            "INPUT": "{epoch}",
            "RADIUS": 1000,
            "DATE_FIELD": "day",
            "START": "1969-12-01",
            "END": "1970-01-31",
            "OUTPUT": "{out}/epoch.tif",
            **EDGES,
        },
        result=lambda o: raster_tag(o.results["OUTPUT"], "MEW_POINTS") == "300",
    ),
    Case(
        "emerginghotspots-far-future",
        "mew:emerginghotspots",
        "edges",
        {
            "INPUT": "{far}",
            "DATE_FIELD": "day",
            "CELL_SIZE": 2000,
            "DISTANCE_BAND": 4000,
            "OUTPUT": "{out}/emerging.gpkg",
        },
        error=("Incident fid 1 dated 9999-12-31 stretches the period", "START/END"),
    ),
    Case(
        "emerginghotspots-far-future-cut-by-end",
        "mew:emerginghotspots",
        "edges",
        {
            "INPUT": "{far}",
            "DATE_FIELD": "day",
            "CELL_SIZE": 2000,
            "DISTANCE_BAND": 4000,
            "END": "2024-12-31",
            "OUTPUT": "{out}/emerging.gpkg",
        },
        result=lambda o: o.results["TIME_STEPS"] == 12,
    ),
    Case(
        "incidentdensity-nan-weights",
        "mew:incidentdensity",
        "edges",
        {"INPUT": "{nan_weights}", "RADIUS": 1000, "WEIGHT_FIELD": "w_nan", "OUTPUT": "{out}/w.tif", **EDGES},
        result=lambda o: o.logged("'w_nan' that is not a finite number", "feature ids 3, 7, 9"),
    ),
    Case(
        "incidentdensity-null-weights",
        "mew:incidentdensity",
        "edges",
        {"INPUT": "{weights}", "RADIUS": 1000, "WEIGHT_FIELD": "w_null", "OUTPUT": "{out}/w.tif", **EDGES},
        result=lambda o: o.logged("w_null", "NULL"),
    ),
    Case(
        "hotspots-nan-weights",
        "mew:hotspots",
        "edges",
        {"INPUT": "{nan_weights}", "CELL_SIZE": 2000, "WEIGHT_FIELD": "w_nan", "OUTPUT": "{out}/gi.gpkg"},
        result=lambda o: o.logged("w_nan"),
    ),
    Case(
        "hotspots-null-weights",
        "mew:hotspots",
        "edges",
        {"INPUT": "{weights}", "CELL_SIZE": 2000, "WEIGHT_FIELD": "w_null", "OUTPUT": "{out}/gi.gpkg"},
        error=("All grid cells are equal (0)", "another value field"),
    ),
    run("hotspots", "runaway-grid", CELL_SIZE=1, error=("5,000,000", "CELL_SIZE")),
    run("emerginghotspots", "runaway-grid", CELL_SIZE=5, error=("CELL_SIZE",)),
    run("incidentdensity", "runaway-raster", PIXEL_SIZE=0.5, error=("400,000,000", "PIXEL_SIZE")),
    run("hotspots", "study-area-without-incidents", STUDY_AREA="{villages}", error=("(STUDY_AREA)",)),
]

# Patrol coverage at the edges.
CASES += [
    Case(
        "patrolcoverage-20000-km-buffer",
        "mew:patrolcoverage",
        "edges",
        {"BASES": "{bases}", "BASE_RADIUS": 20_000_000, "OUTPUT_COVERAGE": "{out}/coverage.gpkg"},
        error=("BASE_RADIUS 20,000,000 m is too far", "5,000 km"),
    ),
    Case(
        "patrolcoverage-20000-km-patrols",
        "mew:patrolcoverage",
        "edges",
        {"PATROLS": "{patrols}", "PATROL_DISTANCE": 20_000_000, "OUTPUT_COVERAGE": "{out}/coverage.gpkg"},
        error=("5,000 km",),
    ),
    Case(
        "patrolcoverage-20000-km-rings",
        "mew:patrolcoverage",
        "edges",
        {"BASES": "{bases}", "RINGS": "5000,20000000", "OUTPUT_COVERAGE": "{out}/coverage.gpkg"},
        error=("5,000 km",),
    ),
    Case(
        "patrolcoverage-future-patrols",
        "mew:patrolcoverage",
        "edges",
        {
            "PATROLS": "{patrols}",
            "PATROL_DATE_FIELD": "patrol_date",
            "AS_OF": "2026-01-01",
            "VILLAGES": "{villages}",
            "OUTPUT_COVERAGE": "{out}/coverage.gpkg",
        },
        result=lambda o: o.logged("patrols: 2 patrol(s) dated after AS_OF (2026-01-01)", "ids 2, 3"),
    ),
]

# Incident exports: every line accounted for, dates at the edges, formulas kept out of spreadsheets.
LOST = {"INPUT": "{lost}", "REJECTED": "{out}/rejected.csv"}
CASES += [
    Case(
        "importincidents-every-line-accounted",
        "mew:importincidents",
        "exports",
        dict(LOST, OUTPUT="{out}/incidents.gpkg"),
        result=lambda o: (
            o.results["DATA_LINES"] == 100
            and o.results["BLANK_LINES"] == 4
            and o.results["ACCEPTED_COUNT"] + o.results["REJECTED_COUNT"] + o.results["BLANK_LINES"] == 100
            and o.results["ACCEPTED_COUNT"] == 90
        ),
    ),
    Case(
        "importincidents-lost-rows-named",
        "mew:importincidents",
        "exports",
        dict(LOST, OUTPUT="{out}/incidents.gpkg"),
        result=lambda o: {"unclosed_quote", "implausible_date"} <= set(csv_column(o.results["REJECTED"], "reason")),
    ),
    Case(
        "importincidents-epoch-accepted",
        "mew:importincidents",
        "exports",
        {"INPUT": "{epoch}", "OUTPUT": "{out}/incidents.gpkg", "REJECTED": "{out}/rejected.gpkg"},
        result=lambda o: (o.results["ACCEPTED_COUNT"], o.results["REJECTED_COUNT"]) == (2, 0),
    ),
    Case(
        "importincidents-far-future-rejected",
        "mew:importincidents",
        "exports",
        {"INPUT": "{future}", "OUTPUT": "{out}/incidents.gpkg", "REJECTED": "{out}/rejected.csv"},
        result=lambda o: csv_column(o.results["REJECTED"], "reason") == ["implausible_date"],
    ),
    Case(
        "importincidents-binary-refused",
        "mew:importincidents",
        "exports",
        {"INPUT": "{binary}", "OUTPUT": "{out}/incidents.gpkg", "REJECTED": "{out}/rejected.gpkg"},
        error=("binary.csv", "line"),
    ),
    Case(
        "importincidents-formulas-quoted-in-csv",
        "mew:importincidents",
        "exports",
        {"INPUT": "{formulas}", "OUTPUT": "{out}/incidents.csv", "REJECTED": "{out}/rejected.csv"},
        result=lambda o: (
            csv_column(o.results["OUTPUT"], "location") == ["'=cmd|'/c calc'!A1"]
            and csv_column(o.results["OUTPUT"], "actor1") == ["'@SUM(1)"]
            and csv_column(o.results["OUTPUT"], "actor2") == ['\'=HYPERLINK("http://192.0.2.1/","click")']
            and csv_column(o.results["REJECTED"], "source_id") == ["'=1+1"]
        ),
    ),
    Case(
        "importincidents-formulas-quoted-in-xlsx",
        "mew:importincidents",
        "exports",
        {"INPUT": "{formulas}", "OUTPUT": "{out}/incidents.xlsx", "REJECTED": "{out}/rejected.xlsx"},
        result=lambda o: feature_values(o.results["OUTPUT"], "actor1") == ["'@SUM(1)"],
    ),
    Case(
        "importincidents-formulas-raw-in-gpkg",
        "mew:importincidents",
        "exports",
        {"INPUT": "{formulas}", "OUTPUT": "{out}/incidents.gpkg", "REJECTED": "{out}/rejected.gpkg"},
        result=lambda o: feature_values(o.results["OUTPUT"], "location") == ["=cmd|'/c calc'!A1"],
    ),
    Case(
        "importincidents-latest-date-far",
        "mew:importincidents",
        "exports",
        {
            "INPUT": "{future}",
            "LATEST_DATE": "2030-01-01",
            "OUTPUT": "{out}/incidents.gpkg",
            "REJECTED": "{out}/rejected.gpkg",
        },
        result=lambda o: o.results["REJECTED_COUNT"] == 1,
    ),
]

# Briefing texts: QGIS expressions are printed, never evaluated.
EXPRESSION = "[% env('HOME') %]"
CASES += [
    run(
        "briefingmap",
        "expression-in-title",
        TITLE=f"Sector {EXPRESSION}",
        result=lambda o: (
            EXPRESSION in pdf_text(o.results["OUTPUT_PDF"])
            and os.environ["HOME"] not in pdf_text(o.results["OUTPUT_PDF"]).replace(EXPRESSION, "")
        ),
    ),
    run(
        "briefingmap",
        "expression-in-sources",
        SOURCES="[% @qgis_version %] and $CURRENT_DATE",
        result=lambda o: "[% @qgis_version %] and $CURRENT_DATE" in pdf_text(o.results["OUTPUT_PDF"]),
    ),
    run(
        "briefingmap",
        "expression-in-classification",
        CLASSIFICATION="[% 6*7 %]",
        result=lambda o: "[% 6*7 %]" in pdf_text(o.results["OUTPUT_PDF"]),
    ),
]

# Mission packages through the checker, its command line and the dock.
PACKAGE_ERRORS: dict[str, tuple[str, ...]] = {  # damage: fragments of the error, for every target that reports it
    "vrt_gpkg": ("roads", "OGR_VRT"),
    "vrt_tif": ("elevation", "VRT"),
    "aux_vrt": ("slope", "'slope.tif.aux.xml' beside it is a VRT dataset"),
    "overview_link": ("aspect", "beside it leads outside the package"),
    "geojson_link": ("wells", "gives its CRS as a link"),
    "fifo_layer": ("pipe", "is a FIFO (named pipe), not a regular file"),
    "hfa": ("image", "GDAL HFA dataset, not a GeoTIFF"),
    "vsicurl": ("population", "/vsicurl/"),
    "vsizip": ("population",),
    "url": ("villages",),
    "gpkg_connection": ("villages",),
    "dotdot": ("villages", "outside the package"),
    "absolute": ("villages",),
    "pipe_in_name": ("villages", "'|'"),
    "control_in_name": ("villages",),
    "unknown_encoding": ("incidents", '"encoding"', "is not a text encoding"),
    "rot13": ("incidents", "is not a text encoding"),
    "number_encoding": ("incidents", "must be text, not a number"),
    "long_delimiter": ("incidents", "is not a delimiter"),
    "newline_delimiter": ("incidents", "is not a delimiter"),
    "string_scale": ("ndvi", "must be a number, not text"),
}
#: Manifests that are no manifest: the package is refused as a whole.
BROKEN_MANIFESTS: dict[str, tuple[str, ...]] = {
    "deep": ("more than 20 levels deep",),
    "fifo_manifest": ("is a FIFO (named pipe), not a file",),
    "nan": ("NaN is not a number",),
    "huge": ("larger than 1,000,000 bytes",),
}
CASES += [
    Case(f"checker-{damage}", "checker", f"package:{damage}", error=fragments)
    for damage, fragments in {**PACKAGE_ERRORS, **BROKEN_MANIFESTS}.items()
]
CASES += [
    Case(
        "checker-demo-clean",
        "checker",
        "package:none",
        result=lambda o: not o.problems or all(p[0] != "error" for p in o.problems),
    ),
    Case(
        "checker-expression-field-is-a-column",
        "checker",
        "package:expression_field",
        result=lambda o: (
            o.problem("villages", "env('HOME')") or o.problem("villages", "env('HOME')", severity="warning")
        ),
    ),
]
CLI_CASES = [
    "vrt_gpkg",
    "aux_vrt",
    "fifo_layer",
    "vsicurl",
    "unknown_encoding",
    "long_delimiter",
    "number_encoding",
    "pipe_in_name",
    "geojson_link",
]
CASES += [
    Case(f"checker-cli-{damage}", "checker-cli", f"package:{damage}", error=("[error] " + PACKAGE_ERRORS[damage][0],))
    for damage in CLI_CASES
]
CASES += [
    Case(f"checker-cli-{damage}", "checker-cli", f"package:{damage}", error=fragments)
    for damage, fragments in BROKEN_MANIFESTS.items()
]
CASES += [Case("checker-cli-demo-clean", "checker-cli", "package:none", result=lambda o: o.returncode == 0)]

DOCK_CASES = [
    "vrt_gpkg",
    "vrt_tif",
    "aux_vrt",
    "overview_link",
    "geojson_link",
    "fifo_layer",
    "vsicurl",
    "gpkg_connection",
    "pipe_in_name",
    "dotdot",
]
CASES += [
    Case(
        f"dock-as-is-{damage}",
        "dock",
        f"package:{damage}",
        {"as_is": True},
        result=lambda o, layer=PACKAGE_ERRORS[damage][0]: (
            layer in o.skipped and layer not in o.added and o.problem(layer) and {"sectors", "bases"} <= set(o.added)
        ),
    )
    for damage in DOCK_CASES
]
# A refused option is ignored: under 'Load as is' the layer loads without it (the encoding or delimiter detected).
CASES += [
    Case(
        f"dock-as-is-{damage}",
        "dock",
        f"package:{damage}",
        {"as_is": True},
        result=lambda o: "incidents" in o.added and o.problem("incidents"),
    )
    for damage in ("unknown_encoding", "long_delimiter")
]
CASES += [
    Case(f"dock-{damage}", "dock", f"package:{damage}", {"as_is": True}, error=fragments)
    for damage, fragments in BROKEN_MANIFESTS.items()
]
CASES += [
    Case(
        "dock-refuses-to-load-with-errors",
        "dock",
        "package:vrt_gpkg",
        {"as_is": False},
        result=lambda o: o.added == () and o.logged("error"),
    ),
    Case(
        "dock-demo-loads",
        "dock",
        "package:none",
        {"as_is": False},
        result=lambda o: {"sectors", "bases", "incidents", "ndvi"} <= set(o.added),
    ),
    Case(
        "dock-expression-field-stays-a-column",
        "dock",
        "package:expression_field",
        {"as_is": True},
        result=lambda o: "villages" in o.added,
    ),
]
