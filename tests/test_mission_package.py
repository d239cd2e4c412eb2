"""Mission packages without QGIS: manifest reading, paths kept inside, validation problems, GeoPackage form."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys

import numpy as np
import pytest
import rasterio
from rasterio.transform import from_origin

from mission_early_warning.core.errors import MewError, OperationCancelled
from mission_early_warning.core.mission_package.containment import resolve_inside
from mission_early_warning.core.mission_package.conversion import package_to_geopackage
from mission_early_warning.core.mission_package.package import open_package
from mission_early_warning.core.mission_package.problems import ERROR, NOTE, WARNING, has_errors, layer_status
from mission_early_warning.core.mission_package.report import report_html, report_text
from mission_early_warning.core.mission_package.schema import MANIFEST_TABLE
from mission_early_warning.core.mission_package.table_check import ROWS_PER_STEP
from mission_early_warning.core.mission_package.validation import validate
from mission_early_warning.core.progress import Progress


def edit_manifest(package, edit) -> None:
    manifest_file = package / "manifest.json"
    manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    edit(manifest)
    manifest_file.write_text(json.dumps(manifest), encoding="utf-8")


def layer_of(manifest: dict, layer_id: str) -> dict:
    return next(entry for entry in manifest["layers"] if entry["id"] == layer_id)


def _messages(problems, layer_id):
    return [p.message for p in problems if p.layer_id == layer_id]


def test_demo_package_reads_and_validates_clean(demo_mission):
    package = open_package(demo_mission.path)
    problems = validate(package)
    assert package.name == "Exercise SAHEL SENTINEL"
    assert package.classification == "EXERCISE — SYNTHETIC DATA"
    assert package.crs == "EPSG:32630"
    assert [e.id for e in package.layers] == [e["id"] for e in demo_mission.manifest["layers"]]
    assert {e.role for e in package.layers} >= {
        "ao",
        "sectors",
        "bases",
        "patrol_tracks",
        "villages",
        "incidents",
        "population",
        "ndvi",
        "ndvi_mask",
    }
    assert not [p for p in problems if p.severity in (ERROR, WARNING)], problems
    assert all(layer_status(problems, e.id) == "OK" for e in package.layers)
    # the CSV's deliberately bad coordinates are mentioned, without making the layer faulty
    out_of_range = [r for r in demo_mission.truth["incidents"]["bad_rows"] if r["reason"] == "out_of_range"]
    notes = [p for p in problems if p.severity == NOTE and p.layer_id == "incidents"]
    assert notes and str(len(out_of_range)) in notes[0].message


@pytest.mark.parametrize(
    "path",
    [
        "../outside.gpkg",
        "rasters/../../outside.tif",
        "/etc/passwd",
        "/vsicurl/http://example.org/x.tif",
        "https://example.org/x.tif",
        "C:\\data\\x.tif",
        "..\\outside.gpkg",
        "GPKG:vectors.gpkg:bases",
        "PG:dbname=mission",
        "NETCDF:ndvi.nc:ndvi",
        "vectors.gpkg|layername=bases",
        "rasters/a\x00.tif",
    ],
)
def test_paths_leaving_the_package_are_refused(tmp_path, path):
    (tmp_path / "package").mkdir()
    with pytest.raises(MewError, match=r"refused|outside|URL|Windows|connection string|'\|'"):
        resolve_inside(tmp_path / "package", path)


def test_paths_inside_are_resolved_and_symlinks_out_refused(tmp_path):
    root = tmp_path / "package"
    (root / "rasters").mkdir(parents=True)
    assert resolve_inside(root, "rasters/../vectors.gpkg") == root.resolve() / "vectors.gpkg"
    assert resolve_inside(root, str(root / "rasters" / "a.tif")) == root.resolve() / "rasters" / "a.tif"
    (tmp_path / "secret.tif").write_text("x")
    os.symlink(tmp_path / "secret.tif", root / "rasters" / "link.tif")
    with pytest.raises(MewError, match="outside"):
        resolve_inside(root, "rasters/link.tif")


def test_manifest_is_data_unknown_keys_warned_paths_refused(tmp_path, demo_mission):
    package_dir = tmp_path / "package"
    package_dir.mkdir()
    shutil.copy(demo_mission.path / "vectors.gpkg", package_dir / "vectors.gpkg")
    manifest = {
        "mission": "Test",
        "classification": "UN RESTRICTED",
        "crs": "EPSG:32630",
        "on_load": "__import__('os').system('touch pwned')",
        "layers": [
            {
                "id": "ao",
                "role": "ao_boundary",
                "path": "vectors.gpkg",
                "layer": "synthetic_ao_boundary",
                "script": "rm -rf /",
            },
            {"id": "escape", "role": "sectors", "path": "../vectors.gpkg", "layer": "synthetic_sectors"},
        ],
    }
    (package_dir / "manifest.json").write_text(json.dumps(manifest))
    package = open_package(package_dir)
    problems = validate(package)
    assert any("on_load" in p.message and p.severity == WARNING for p in problems)
    assert any("script" in p.message and p.layer_id == "ao" and p.severity == WARNING for p in problems)
    escape = [p for p in problems if p.layer_id == "escape"]
    assert escape and escape[0].severity == ERROR and "outside the package" in escape[0].message
    assert package.entry("escape").source is None
    assert not (package_dir / "pwned").exists() and not (tmp_path / "pwned").exists()


def test_not_a_package_is_a_clear_error(tmp_path):
    with pytest.raises(MewError, match=r"manifest\.json"):
        open_package(tmp_path)
    (tmp_path / "manifest.json").write_text("{ not json")
    with pytest.raises(MewError, match=r"not valid JSON.*line 1"):
        open_package(tmp_path)


def test_damaged_copy_names_each_problem(damaged_mission):
    package_dir, _damage = damaged_mission
    problems = validate(open_package(package_dir))
    assert has_errors(problems)
    assert any("File missing" in m and "synthetic_population_100m.tif" in m for m in _messages(problems, "population"))
    assert any("CRS mismatch" in m and "EPSG:4326" in m and "EPSG:32630" in m for m in _messages(problems, "bases"))
    assert any("Missing field" in m and "event_date" in m for m in _messages(problems, "incidents"))
    assert any("outside the package" in m and "../vectors.gpkg" in m for m in _messages(problems, "villages"))
    for layer_id in ("population", "bases", "incidents", "villages"):
        assert layer_status(problems, layer_id) == ERROR
    for layer_id in ("ao_boundary", "sectors", "patrol_tracks", "ndvi"):
        assert layer_status(problems, layer_id) == "OK"
    text = report_text(open_package(package_dir), problems)
    html = report_html(open_package(package_dir), problems)
    for problem in problems:
        assert problem.message in text and problem.action in text
    assert "CRS mismatch" in html and "EXERCISE" in html


def _write_raster(path, width, height, bands=1, nodata=None, descriptions=None, crs="EPSG:32630", dtype="int16"):
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=width,
        height=height,
        count=bands,
        dtype=dtype,
        crs=crs,
        transform=from_origin(300000, 1700000, 250, 250),
        nodata=nodata,
    ) as dataset:
        dataset.write(np.ones((bands, height, width), dtype=dtype))
        for band, text in enumerate(descriptions or [], start=1):
            dataset.set_band_description(band, text)


def test_raster_checks_nodata_undated_bands_inconsistent_grid_undefined_crs(tmp_path):
    root = tmp_path / "package"
    root.mkdir()
    _write_raster(root / "ndvi.tif", 8, 8, bands=3, nodata=-3000, descriptions=["2024-09-01", "", "2026-09-01"])
    _write_raster(
        root / "mask.tif", 6, 8, bands=3, dtype="uint8", descriptions=["2024-09-01", "2025-09-01", "2026-09-01"]
    )
    _write_raster(root / "pop.tif", 8, 8, dtype="float32")  # no nodata
    _write_raster(root / "nocrs.tif", 8, 8, nodata=0, crs=None)
    manifest = {
        "mission": "R",
        "classification": "X",
        "crs": "EPSG:32630",
        "layers": [
            {"id": "ndvi", "role": "ndvi_stack", "path": "ndvi.tif"},
            {"id": "mask", "role": "ndvi_mask", "path": "mask.tif"},
            {"id": "pop", "role": "population", "path": "pop.tif"},
            {"id": "nocrs", "role": "population", "path": "nocrs.tif"},
        ],
    }
    (root / "manifest.json").write_text(json.dumps(manifest))
    problems = validate(open_package(root))
    assert any("Undated bands" in m and "2" in m for m in _messages(problems, "ndvi"))
    assert any("Inconsistent grids" in m for m in _messages(problems, "mask"))
    assert any("no nodata" in m for m in _messages(problems, "pop"))
    assert layer_status(problems, "pop") == WARNING
    assert not any("no nodata" in m for m in _messages(problems, "mask"))  # a 0/1 mask needs none
    assert any("undefined CRS" in m for m in _messages(problems, "nocrs"))
    # dates given in the manifest date the bands
    edit_manifest(root, lambda m: layer_of(m, "ndvi").update(dates=["2024-09-01", "2025-09-01", "2026-09-01"]))
    assert not any("Undated" in m for m in _messages(validate(open_package(root)), "ndvi"))


def test_validator_dates_bands_as_the_drought_algorithm_reads_them(tmp_path):
    """MODIS day-of-year and compact dates, as mew:droughtindex reads them, are not 'undated'."""
    from mission_early_warning.core.drought import stack_bands

    root = tmp_path / "package"
    root.mkdir()
    descriptions = ["MOD13Q1.A2015257.h17v07", "ndvi_20160913", "2017-09-14"]
    _write_raster(root / "ndvi.tif", 8, 8, bands=3, nodata=-3000, descriptions=descriptions)
    manifest = {
        "mission": "R",
        "classification": "X",
        "crs": "EPSG:32630",
        "layers": [{"id": "ndvi", "role": "ndvi_stack", "path": "ndvi.tif"}],
    }
    (root / "manifest.json").write_text(json.dumps(manifest))
    assert not any("Undated" in m for m in _messages(validate(open_package(root)), "ndvi"))
    assert [b.date.isoformat() for b in stack_bands([str(root / "ndvi.tif")])] == [
        "2015-09-14",
        "2016-09-13",
        "2017-09-14",
    ]


def test_empty_layer_is_a_warning_not_an_error(tmp_path, demo_mission):
    from osgeo import ogr, osr

    root = tmp_path / "package"
    root.mkdir()
    source = ogr.GetDriverByName("GPKG").CreateDataSource(str(root / "v.gpkg"))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(32630)
    source.CreateLayer("empty_bases", srs, ogr.wkbPoint)
    source = None
    (root / "manifest.json").write_text(
        json.dumps(
            {
                "mission": "E",
                "classification": "X",
                "crs": "EPSG:32630",
                "layers": [{"id": "b", "role": "bases", "path": "v.gpkg", "layer": "empty_bases"}],
            }
        )
    )
    problems = validate(open_package(root))
    assert any("Empty layer" in m for m in _messages(problems, "b"))
    assert not has_errors(problems)


def test_geopackage_package_round_trip(tmp_path, demo_mission):
    gpkg = package_to_geopackage(demo_mission.path, tmp_path / "out" / "mission.gpkg")
    package = open_package(gpkg)
    assert package.is_geopackage and package.name == "Exercise SAHEL SENTINEL"
    problems = validate(package)
    assert not has_errors(problems), problems
    vectors = [e for e in package.layers if e.kind == "vector"]
    assert vectors and all(e.source == gpkg for e in vectors)
    assert (
        package.first("incidents").source
        == (tmp_path / "out" / "incidents" / "synthetic_acled_incidents.csv").resolve()
    )
    with pytest.raises(MewError, match="exists already"):
        package_to_geopackage(demo_mission.path, gpkg)


def test_geopackage_conversion_stops_cleanly_on_an_unreadable_layer(tmp_path, demo_mission, gdal_exception_modes):
    package = tmp_path / "package"
    shutil.copytree(demo_mission.path, package)
    (package / "roads.geojson").write_text("this is not GeoJSON", encoding="utf-8")
    edit_manifest(
        package,
        lambda m: m["layers"].append(
            {"id": "roads", "role": "roads", "theme": "operations", "type": "vector", "path": "roads.geojson"}
        ),
    )
    out = tmp_path / "out"
    with pytest.raises(MewError, match=r"'roads.geojson' of layer 'roads' is not .*not written.*convert again"):
        package_to_geopackage(package, out / "mission.gpkg")
    assert not out.exists()  # no half-written GeoPackage, no copied files, no folders made for them

    edit_manifest(package, lambda m: layer_of(m, "roads").update(path="vectors.gpkg", layer="no_such_table"))
    with pytest.raises(MewError, match=r"Layer 'roads'.*no layer 'no_such_table'"):
        package_to_geopackage(package, out / "mission.gpkg")
    assert not out.exists()

    # once the layer is fixed, the same command succeeds: nothing left over says "exists already"
    edit_manifest(package, lambda m: layer_of(m, "roads").update(layer="synthetic_bases"))
    gpkg = package_to_geopackage(package, out / "mission.gpkg")
    converted = open_package(gpkg)
    assert converted.entry("roads").source == gpkg and not has_errors(validate(converted))


def test_geopackage_conversion_never_overwrites_files_beside_it(tmp_path, demo_mission):
    out = tmp_path / "out"
    (out / "incidents").mkdir(parents=True)
    existing = out / "incidents" / "synthetic_acled_incidents.csv"
    existing.write_text("someone else's table", encoding="utf-8")
    with pytest.raises(MewError, match=r"overwrite.*synthetic_acled_incidents\.csv"):
        package_to_geopackage(demo_mission.path, out / "mission.gpkg")
    assert existing.read_text(encoding="utf-8") == "someone else's table"
    assert not (out / "mission.gpkg").exists()


def test_geopackage_without_manifest_table_is_refused(tmp_path, demo_mission):
    plain = tmp_path / "plain.gpkg"
    shutil.copy(demo_mission.path / "vectors.gpkg", plain)
    with pytest.raises(MewError, match=MANIFEST_TABLE):
        open_package(plain)


def test_command_line_check_and_convert(tmp_path, demo_mission, damaged_mission, capsys):
    from mission_early_warning.core.mission_package.cli import main

    assert main(["check", str(demo_mission.path), "--report", str(tmp_path / "r.html")]) == 0
    assert "0 error(s)" in capsys.readouterr().out and (tmp_path / "r.html").exists()
    assert main(["check", str(damaged_mission[0])]) == 1
    assert "CRS mismatch" in capsys.readouterr().out
    assert main(["to-gpkg", str(demo_mission.path), str(tmp_path / "g" / "m.gpkg")]) == 0
    assert main(["check", str(tmp_path / "g" / "m.gpkg")]) == 0
    assert main(["check", str(tmp_path / "nothing")]) == 2


def test_command_line_report_never_overwrites_a_package_file(tmp_path, damaged_mission, capsys):
    from mission_early_warning.core.mission_package.cli import main

    package = damaged_mission[0]
    manifest = (package / "manifest.json").read_bytes()
    assert main(["check", str(package), "--report", str(package / "manifest.json")]) == 2
    assert "same file" in capsys.readouterr().err
    assert (package / "manifest.json").read_bytes() == manifest


def test_unreadable_files_are_named(tmp_path, gdal_exception_modes):
    root = tmp_path / "package"
    root.mkdir()
    (root / "broken.tif").write_bytes(b"II*\x00 not really a tiff")
    (root / "broken.gpkg").write_bytes(b"SQLite format 3\x00 truncated")
    (root / "latin1.csv").write_bytes(
        "event_date,latitude,longitude\n1 janvier 2026,14.1,-4.2\nSégou,1,2\n".encode("latin-1")
    )
    (root / "manifest.json").write_text(
        json.dumps(
            {
                "mission": "U",
                "classification": "X",
                "crs": "EPSG:32630",
                "layers": [
                    {"id": "raster", "role": "population", "path": "broken.tif"},
                    {"id": "vector", "role": "bases", "path": "broken.gpkg", "layer": "bases"},
                    {
                        "id": "table",
                        "role": "incidents",
                        "path": "latin1.csv",
                        "crs": "EPSG:4326",
                        "fields": {"date": "event_date", "latitude": "latitude", "longitude": "longitude"},
                    },
                ],
            }
        )
    )
    problems = validate(open_package(root))
    for layer_id in ("raster", "vector", "table"):
        assert any(m.startswith("Unreadable file") for m in _messages(problems, layer_id)), (layer_id, problems)
    assert any("UTF-8" in p.action for p in problems if p.layer_id == "table")
    # told its encoding, the same file reads
    edit_manifest(root, lambda m: layer_of(m, "table").update(encoding="latin-1"))
    assert layer_status(validate(open_package(root)), "table") != ERROR


def test_long_tables_report_progress_row_by_row_and_stop_when_cancelled(tmp_path):
    rows = 5 * ROWS_PER_STEP
    lines = ["event_date,latitude,longitude", *(f"2026-01-02,{14 + i / rows:.6f},-4.2" for i in range(rows))]
    for name in ("incidents.csv", "more.csv"):
        (tmp_path / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    _package(tmp_path, [_incidents(), _incidents(id="more", path="more.csv")])

    reported: list[float] = []
    problems = validate(open_package(tmp_path), Progress(report=reported.append))
    assert not has_errors(problems)
    assert reported == sorted(reported) and reported[-1] == 100
    # each table has half of the run, and reports as it reads (a step every ROWS_PER_STEP rows)
    assert len([p for p in reported if 0 < p < 50]) >= 4 and len([p for p in reported if 50 < p < 100]) >= 4

    seen: list[float] = []
    cancelled = Progress(report=seen.append, is_canceled=lambda: any(0 < p < 50 for p in seen))
    with pytest.raises(OperationCancelled):
        validate(open_package(tmp_path), cancelled)
    assert max(seen) < 50  # stopped inside the first table: the second is never read


# --- hostile manifests: data, type-checked and bounded -------------------------------------------------


def _package(root, layer_list, **top) -> None:
    root.mkdir(parents=True, exist_ok=True)
    manifest = {"mission": "H", "classification": "X", "crs": "EPSG:32630", "layers": layer_list, **top}
    (root / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def _incidents_csv(path) -> None:
    path.write_text("event_date,latitude,longitude\n2026-01-02,14.1,-4.2\n", encoding="utf-8")


def _incidents(**options) -> dict:
    return {
        "id": "incidents",
        "role": "incidents",
        "path": "incidents.csv",
        "crs": "EPSG:4326",
        "fields": {"date": "event_date", "lat": "latitude", "lon": "longitude"},
        **options,
    }


@pytest.mark.parametrize(
    ("options", "key", "message"),
    [
        ({"encoding": "no-such-codec"}, "encoding", "is not a text encoding"),
        ({"encoding": "rot13"}, "encoding", "is not a text encoding"),  # a codec, but not one for text
        ({"encoding": 8}, "encoding", "must be text, not a number"),
        ({"delimiter": ";;"}, "delimiter", "is not a delimiter"),
        ({"delimiter": "\n"}, "delimiter", "is not a delimiter"),
        ({"delimiter": ["a"]}, "delimiter", "must be text, not a list"),
        ({"scale": "0.0001"}, "scale", "must be a number, not text"),
        ({"load": "no"}, "load", "must be true or false, not text"),
        ({"dates": [2024, 2025]}, "dates", "must list one date as text per band"),
        ({"valid_range": [1]}, "valid_range", "must be two numbers"),
        ({"bad_values": ["1"]}, "bad_values", "must list numbers"),
        ({"fields": {"date": 5}}, "fields", "must map names to column names"),
        ({"fields": "event_date"}, "fields", "must be an object, not text"),
        ({"title": {"en": "x"}}, "title", "must be text, not an object"),
    ],
)
def test_a_wrongly_typed_layer_value_is_an_error_naming_the_key_and_the_layer(tmp_path, options, key, message):
    _incidents_csv(tmp_path / "incidents.csv")
    _package(tmp_path, [_incidents(**options)])
    package = open_package(tmp_path)
    problems = validate(package)  # reads the table: no crash on what was refused
    errors = [p for p in problems if p.severity == ERROR and p.layer_id == "incidents"]
    assert errors and re.match(rf"Layer 'incidents': its \"{key}\" (.* )?{message}", errors[0].message), problems
    assert "manifest" in errors[0].action or "Write" in errors[0].action
    assert key not in package.entry("incidents").options or key == "fields"  # nothing refused reaches the loader
    if key == "fields":
        assert package.entry("incidents").fields == {}


@pytest.mark.parametrize(
    ("top", "key", "message"),
    [
        ({"classification": 5}, "classification", "must be text, not a number"),
        ({"crs": ["EPSG:32630"]}, "crs", "must be text, not a list"),
        ({"mission": {"name": 7}}, "mission.name", "must be text, not a number"),
        ({"as_of": 20261031}, "as_of", "must be text, not a number"),
        ({"synthetic": "yes"}, "synthetic", "must be true or false, not text"),
        ({"layers": {"id": "x"}}, "layers", "must be a list, not an object"),
    ],
)
def test_a_wrongly_typed_manifest_value_is_an_error_naming_the_key(tmp_path, top, key, message):
    _incidents_csv(tmp_path / "incidents.csv")
    _package(tmp_path, [_incidents()], **top)
    package = open_package(tmp_path)
    problems = validate(package)
    errors = [p.message for p in problems if p.severity == ERROR and p.layer_id is None]
    assert any(f'The manifest\'s "{key}" {message}' in m for m in errors), problems


def test_numbers_that_are_not_finite_and_deep_or_huge_manifests_are_refused(tmp_path):
    for text, expected in [
        ('{"crs": "EPSG:32630", "layers": [], "seed": NaN}', "NaN is not a number"),
        ('{"crs": "EPSG:32630", "layers": [], "seed": 1e999}', "finite"),
        ('{"layers": ' + "[" * 200_000 + "]" * 200_000 + "}", "more than 20 levels deep"),
        ('{"layers": ' + "[" * 21 + "]" * 21 + "}", "more than 20 levels deep"),
        ('{"description": "' + "x" * 1_000_001 + '"}', "larger than 1,000,000 bytes"),
    ]:
        (tmp_path / "manifest.json").write_text(text, encoding="utf-8")
        with pytest.raises(MewError, match=expected):
            open_package(tmp_path)
    # at the limits, still a manifest
    (tmp_path / "manifest.json").write_text('{"layers": ' + "[" * 19 + "]" * 19 + "}", encoding="utf-8")
    assert open_package(tmp_path).name == tmp_path.name


def test_a_geopackage_manifest_is_bounded_too(tmp_path):
    import contextlib
    import sqlite3

    gpkg = tmp_path / "big.gpkg"
    with contextlib.closing(sqlite3.connect(gpkg)) as connection, connection:
        connection.execute(f"CREATE TABLE {MANIFEST_TABLE} (manifest TEXT)")
        connection.execute(f"INSERT INTO {MANIFEST_TABLE} VALUES (?)", ('{"d": "' + "x" * 1_000_001 + '"}',))
    with pytest.raises(MewError, match="larger than 1,000,000 bytes"):
        open_package(gpkg)


def _check(package, *extra, timeout=60) -> subprocess.CompletedProcess:
    """The command-line checker in its own process: a hang or a traceback shows up as what it is."""
    return subprocess.run(
        [sys.executable, "-P", "-m", "mission_early_warning.core.mission_package", "check", str(package), *extra],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def test_command_line_exits_2_with_a_message_on_hostile_manifests(tmp_path):
    deep = tmp_path / "deep"
    deep.mkdir()
    (deep / "manifest.json").write_text('{"layers": ' + "[" * 200_000 + "]" * 200_000 + "}", encoding="utf-8")
    fifo_manifest = tmp_path / "fifo_manifest"
    fifo_manifest.mkdir()
    os.mkfifo(fifo_manifest / "manifest.json")
    os.mkfifo(tmp_path / "pipe.gpkg")
    for package, expected in [
        (deep, "more than 20 levels deep"),
        (fifo_manifest, "is a FIFO (named pipe), not a file"),
        (tmp_path / "pipe.gpkg", "is a FIFO (named pipe): a mission package is a folder"),
    ]:
        result = _check(package)
        assert result.returncode == 2, (package, result.stdout, result.stderr)
        assert expected in result.stderr and "Traceback" not in result.stderr, result.stderr


def test_hostile_layer_options_and_special_files_are_errors_not_crashes_or_hangs(tmp_path):
    _incidents_csv(tmp_path / "incidents.csv")
    os.mkfifo(tmp_path / "pipe.csv")
    os.mkfifo(tmp_path / "pipe.tif")
    _package(
        tmp_path,
        [
            _incidents(id="codec", encoding="no-such-codec"),
            _incidents(id="delimiter", delimiter=";;"),
            _incidents(id="typed", encoding=8),
            _incidents(id="fifo_table", path="pipe.csv"),
            {"id": "fifo_raster", "role": "population", "path": "pipe.tif"},
        ],
    )
    result = _check(tmp_path)
    assert result.returncode == 1, result.stderr  # errors reported, the check finished
    assert "Traceback" not in result.stderr
    for layer_id in ("codec", "delimiter", "typed", "fifo_table", "fifo_raster"):
        assert f"[error] {layer_id} " in result.stdout, result.stdout
    assert "'pipe.csv' of layer 'fifo_table' is a FIFO (named pipe), not a regular file" in result.stdout


# --- what GDAL may read ---------------------------------------------------------------------------------


def _tif(path, **kwargs) -> None:
    _write_raster(path, 4, 4, nodata=0, **kwargs)


def test_only_allowed_formats_with_nothing_outside_are_read(tmp_path, gdal_exception_modes):
    from osgeo import gdal

    root = tmp_path / "package"
    root.mkdir()
    _tif(root / "good.tif")
    _tif(root / "with_overview.tif")
    _tif(root / "with_overview.tif.ovr")  # a real GeoTIFF overview is fine
    _tif(root / "bad_overview.tif")
    (root / "bad_overview.tif.aux.xml").write_text(
        '<VRTDataset rasterXSize="1" rasterYSize="1"></VRTDataset>', encoding="utf-8"
    )
    _tif(tmp_path / "outside.tif")
    _tif(root / "link_beside.tif")
    os.symlink(tmp_path / "outside.tif", root / "link_beside.tif.ovr")
    gdal.Translate(str(root / "image.img"), str(root / "good.tif"), format="HFA")
    (root / "image.img.aux.xml").unlink(missing_ok=True)
    (root / "named.geojson").write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32630"}},
                "features": [
                    {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [3e5, 1.7e6]}}
                ],
            }
        ),
        encoding="utf-8",
    )
    escaped = '{"type":"FeatureCollection","\\u0043Rs":{"type":"li\\u006ek","properties":{"href":"http://192.0.2.1/"}},'
    (root / "escaped.geojson").write_text(escaped + '"features":[]}', encoding="utf-8")
    commented = '{"type":"FeatureCollection","crs" /* x */ : {"type":"name"},"features":[]}'
    (root / "commented.geojson").write_text(commented, encoding="utf-8")
    (root / "value.geojson").write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"note": "crs"},
                        "geometry": {"type": "Point", "coordinates": [1, 2]},
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    layers = [
        {"id": "good", "role": "population", "path": "good.tif"},
        {"id": "with_overview", "role": "population", "path": "with_overview.tif"},
        {"id": "bad_overview", "role": "population", "path": "bad_overview.tif"},
        {"id": "link_beside", "role": "population", "path": "link_beside.tif"},
        {"id": "image", "role": "population", "path": "image.img"},
        {"id": "named", "role": "villages", "path": "named.geojson"},
        {"id": "escaped", "role": "villages", "path": "escaped.geojson"},
        {"id": "commented", "role": "villages", "path": "commented.geojson"},
        {"id": "value", "role": "villages", "path": "value.geojson", "crs": "EPSG:4326"},
    ]
    _package(root, layers)
    package = open_package(root)
    problems = validate(package)
    refused = {p.layer_id: p.message for p in problems if p.message.startswith("Refused file")}
    assert set(refused) == {"bad_overview", "link_beside", "image", "escaped", "commented"}, problems
    assert "'bad_overview.tif.aux.xml' beside it is a VRT dataset" in refused["bad_overview"]
    assert "beside it leads outside the package" in refused["link_beside"]
    assert "GDAL HFA dataset, not a GeoTIFF" in refused["image"]
    assert "gives its CRS as a link" in refused["escaped"]
    for layer_id in ("good", "with_overview", "named", "value"):
        assert layer_status(problems, layer_id) != ERROR, (layer_id, problems)


def test_conversion_to_a_geopackage_refuses_what_the_checker_refuses(tmp_path, demo_mission):
    package = tmp_path / "package"
    shutil.copytree(demo_mission.path, package)
    (tmp_path / "outside.csv").write_text("id,secret\n1,OUTSIDE-SECRET\n", encoding="utf-8")
    (package / "roads.gpkg").write_text(
        '<OGRVRTDataSource><OGRVRTLayer name="outside"><SrcDataSource relativeToVRT="1">../outside.csv'
        "</SrcDataSource></OGRVRTLayer></OGRVRTDataSource>",
        encoding="utf-8",
    )
    edit_manifest(
        package,
        lambda m: m["layers"].append(
            {"id": "roads", "role": "roads", "theme": "operations", "path": "roads.gpkg", "layer": "outside"}
        ),
    )
    out = tmp_path / "out"
    with pytest.raises(MewError, match=r"'roads.gpkg' of layer 'roads' is a GDAL OGR_VRT dataset.*not written"):
        package_to_geopackage(package, out / "mission.gpkg")
    assert not out.exists()
