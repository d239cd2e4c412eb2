"""Every ``mew`` output says how it was made: in its file, read back by a fresh process, and in the layer QGIS loads.

The record (:mod:`core.provenance`) names the algorithm, the parameters as
given, the inputs, the periods of data the run used, the plugin version and the
time; a briefing map prints one plain line per analysis from it.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from contextlib import closing
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from osgeo import gdal
from qgis.core import QgsProcessingContext, QgsProcessingFeedback, QgsProcessingOutputLayerDefinition, QgsProject

from mission_early_warning.core import provenance
from mission_early_warning.paths import PLUGIN_DIR

FIRST_DAY, LAST_DAY = "2023-11-05", "2026-10-20"


def incident_csv(path: Path, rows: int = 300) -> Path:
    """ACLED-style incidents around two clusters, dated from FIRST_DAY to LAST_DAY (both present)."""
    lines = ["event_id_cnty,event_date,latitude,longitude,fatalities"]
    for index in range(rows):
        day = FIRST_DAY if index == 0 else LAST_DAY if index == 1 else f"2025-{1 + index % 12:02d}-{1 + index % 28:02d}"
        cluster = (9.0, 13.0) if index % 3 else (9.6, 13.7)
        lat = cluster[0] + ((index * 37) % 101 - 50) / 1000
        lon = cluster[1] + ((index * 53) % 97 - 48) / 1000
        lines.append(f"E{index},{day},{lat:.5f},{lon:.5f},{index % 3}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def plugin_version() -> str:
    return provenance.plugin_version(PLUGIN_DIR / "metadata.txt")


# --- the record, free of QGIS ----------------------------------------------------------------------------


def test_the_footer_says_each_analysis_in_one_plain_line():
    record = provenance.ProvenanceRecord(
        "mew:hotspots",
        "Hot spots (Getis-Ord Gi*)",
        parameters={"INPUT": "/data/incidents.gpkg", "GRID": "fishnet", "CELL_SIZE": 0, "FDR": True},
        periods={"incidents": ["2023-11-02", "2026-10-30"]},
        results={"CELL_SIZE": 2000.0, "DISTANCE_BAND": 8000.0},
    )
    assert provenance.footer_line(["Hot spots"], record) == (
        "Hot spots: Gi*, 2 km cells, 8 km band, FDR; incidents 2023-11 to 2026-10"
    )
    index = provenance.ProvenanceRecord(
        "mew:droughtindex",
        "Drought index",
        parameters={"INDEX": "VCI"},
        periods={"NDVI target": ["2026-09-14", "2026-09-14"], "NDVI baseline": ["2015-09-14", "2025-09-14"]},
    )
    assert provenance.footer_line(["VCI"], index) == (
        "VCI: drought index VCI; NDVI target 2026-09-14, NDVI baseline 2015-09 to 2025-09"
    )
    unknown = provenance.ProvenanceRecord("mew:future", "A later analysis")
    assert provenance.footer_line(["A", "B"], unknown) == "A, B: A later analysis"


def test_the_record_reads_back_as_written_and_anything_else_is_not_taken_for_one():
    record = provenance.ProvenanceRecord(
        "mew:incidentdensity",
        "Incident density",
        parameters=provenance.json_safe({"RADIUS": 5000, "NAN": float("nan"), "WHEN": datetime(2026, 1, 2)}),
        created=provenance.now_utc(),
    )
    assert record.parameters == {"RADIUS": 5000, "NAN": None, "WHEN": "2026-01-02T00:00:00"}
    assert provenance.record_from_json(record.to_json()) == record
    assert provenance.record_from_items({"mew_provenance": record.to_json(), "AREA_OR_POINT": "Area"}) == record
    for text in ("", "not json", "[]", '{"algorithm": "mew:x"}', json.dumps({"format": "other", "algorithm": "x"})):
        assert provenance.record_from_json(text) is None
    assert datetime.fromisoformat(record.created).tzinfo == timezone.utc
    assert provenance.date_range(["2025-02-01", None, "2024-12-31", ""]) == ("2024-12-31", "2025-02-01")


# --- in the file: a fresh process reads it back ----------------------------------------------------------------

READ_BACK = """
import json, sys
from osgeo import gdal
gpkg, tif = sys.argv[1], sys.argv[2]
vector = gdal.OpenEx(gpkg, gdal.OF_VECTOR)
raster = gdal.Open(tif)
print(json.dumps({
    "gpkg": vector.GetLayer(0).GetMetadataItem("MEW_PROVENANCE"),
    "tif": raster.GetMetadataItem("MEW_PROVENANCE"),
    "tif_items": sorted(raster.GetMetadata()),
}))
"""


def test_file_outputs_keep_their_provenance_for_a_fresh_process(mew, tmp_path):
    csv = incident_csv(tmp_path / "incidents.csv")
    imported = tmp_path / "incidents.gpkg"
    mew.run("mew:importincidents", {"INPUT": str(csv), "OUTPUT": str(imported), "REJECTED": "TEMPORARY_OUTPUT"})
    hot = tmp_path / "hotspots.gpkg"
    # GRID by the option's number, as the dialog sends it: the record names the option
    mew.run("mew:hotspots", {"INPUT": str(imported), "GRID": 0, "CELL_SIZE": 5000, "OUTPUT": str(hot)})
    density = tmp_path / "density.tif"
    mew.run("mew:incidentdensity", {"INPUT": str(imported), "RADIUS": 8000, "PIXEL_SIZE": 1000, "OUTPUT": str(density)})

    # A new Python process: nothing of this one's QGIS session, only the files.
    read = subprocess.run(
        [sys.executable, "-c", READ_BACK, str(hot), str(density)], capture_output=True, text=True, check=True
    )
    found = json.loads(read.stdout)
    hot_record = provenance.record_from_json(found["gpkg"])
    assert hot_record is not None
    assert hot_record.algorithm == "mew:hotspots" and hot_record.display_name == "Hot spots (Getis-Ord Gi*)"
    assert hot_record.parameters["CELL_SIZE"] == 5000 and hot_record.parameters["OUTPUT"] == str(hot)
    assert hot_record.parameters["GRID"] == "fishnet"
    assert hot_record.inputs["INPUT"].split("|")[0] == str(imported)
    assert hot_record.periods == {"incidents": [FIRST_DAY, LAST_DAY]}  # the imported incidents' own dates
    assert hot_record.results["CELL_SIZE"] == 5000 and hot_record.results["DISTANCE_BAND"] > 0
    assert hot_record.plugin_version == plugin_version() != ""
    assert abs((datetime.now(timezone.utc) - datetime.fromisoformat(hot_record.created)).total_seconds()) < 600
    density_record = provenance.record_from_json(found["tif"])
    assert density_record is not None and density_record.algorithm == "mew:incidentdensity"
    assert density_record.parameters["RADIUS"] == 8000 and density_record.output == "OUTPUT"
    assert "MEW_KERNEL" in found["tif_items"]  # the items the engine writes are kept beside it

    # In a GeoPackage the record is GDAL metadata of the table: gpkg_metadata, referenced to it.
    with closing(sqlite3.connect(hot)) as database:
        rows = database.execute(
            "SELECT r.table_name, m.metadata FROM gpkg_metadata m JOIN gpkg_metadata_reference r ON r.md_file_id = m.id"
        ).fetchall()
    assert any(table == "hotspots" and "MEW_PROVENANCE" in text for table, text in rows), rows


# --- in the layer QGIS loads ----------------------------------------------------------------------------------


def test_the_loaded_layer_and_a_temporary_layer_carry_the_record_in_their_qgis_metadata(mew, tmp_path, load_results):
    csv = incident_csv(tmp_path / "incidents.csv")
    project = QgsProject()
    context = QgsProcessingContext()
    context.setProject(project)
    definition = QgsProcessingOutputLayerDefinition(str(tmp_path / "imported.gpkg"), project)
    mew.run(
        "mew:importincidents",
        {"INPUT": str(csv), "OUTPUT": definition, "REJECTED": "TEMPORARY_OUTPUT"},
        context=context,
        feedback=QgsProcessingFeedback(),
        onFinish=load_results,
    )
    (loaded,) = [layer for layer in project.mapLayers().values() if layer.source().startswith(str(tmp_path))]
    record = provenance.record_from_items({k: ", ".join(v) for k, v in loaded.metadata().keywords().items()})
    assert record is not None and record.algorithm == "mew:importincidents"
    assert record.periods == {"incidents": [FIRST_DAY, LAST_DAY]}
    assert "incidents 2023-11 to 2026-10" in loaded.metadata().abstract()
    assert record.to_json() in loaded.metadata().history()
    project.clear()

    imported = str(tmp_path / "imported.gpkg")
    temporary = mew.run("mew:hotspots", {"INPUT": imported, "CELL_SIZE": 5000, "OUTPUT": "TEMPORARY_OUTPUT"})["OUTPUT"]
    keywords = temporary.metadata().keywords()
    record = provenance.record_from_json(keywords["MEW_PROVENANCE"][0])
    assert record is not None and record.algorithm == "mew:hotspots" and record.parameters["CELL_SIZE"] == 5000
    assert record.parameters["OUTPUT"] == "TEMPORARY_OUTPUT"


@pytest.mark.usefixtures("poppler")
def test_a_temporary_analysis_reaches_the_briefing_map_without_the_processing_log(mew, tmp_path):
    """The footer's line, the PDF's metadata and the JSON beside the map, all from the layer itself."""
    csv = incident_csv(tmp_path / "incidents.csv")
    imported = mew.run(
        "mew:importincidents", {"INPUT": str(csv), "OUTPUT": "TEMPORARY_OUTPUT", "REJECTED": "TEMPORARY_OUTPUT"}
    )["OUTPUT"]
    hot = mew.run("mew:hotspots", {"INPUT": imported, "CELL_SIZE": 5000, "OUTPUT": "TEMPORARY_OUTPUT"})["OUTPUT"]
    hot.setName("Hot spots")
    pdf = tmp_path / "map.pdf"
    result = mew.run(
        "mew:briefingmap",
        {
            "LAYERS": [hot],
            "TITLE": "Hot spots",
            "DPI": 72,
            "OUTPUT_PDF": str(pdf),
            "OUTPUT_PNG": str(tmp_path / "map.png"),
        },
    )

    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout.split())
    assert "Hot spots: Gi*, 5 km cells" in text and "FDR; incidents 2023-11 to 2026-10" in text, text
    assert "no analysis layers" not in text
    assert "Hot spots (incidents 2023-11 to 2026-10)" in text  # the sources give the data's dates

    sidecar = tmp_path / "map.provenance.json"
    assert result["PROVENANCE_JSON"] == str(sidecar)
    saved = json.loads(sidecar.read_text(encoding="utf-8"))
    (layer,) = saved["layers"]
    assert layer["layer"] == "Hot spots" and layer["provenance"]["algorithm"] == "mew:hotspots"
    assert layer["provenance"]["parameters"]["CELL_SIZE"] == 5000
    assert layer["provenance"]["periods"] == {"incidents": [FIRST_DAY, LAST_DAY]}
    assert not list(tmp_path.glob(".map*")), "no temporary file is left beside the map"

    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "mew:hotspots" in info and '"CELL_SIZE": 5000' in info, info  # the full parameters, in the PDF's metadata


# --- the periods each analysis names ----------------------------------------------------------------------


def test_drought_index_and_patrol_coverage_name_the_dates_they_used(mew, demo_mission, tmp_path):
    truth = demo_mission.truth
    index = mew.run(
        "mew:droughtindex",
        {
            "STACK": [str(demo_mission.file("ndvi"))],
            "TARGET": truth["ndvi"]["after_date"],
            "BASELINE_START": 2015,
            "BASELINE_END": 2024,
            "INDEX": "vci",
            "OUTPUT": str(tmp_path / "vci.tif"),
        },
    )
    record = provenance.record_from_items(gdal.Open(index["OUTPUT"]).GetMetadata())
    assert record is not None
    assert record.periods["NDVI target"] == [index["TARGET_DATE"]] * 2
    baseline = index["BASELINE_DATES"].split(",")
    assert record.periods["NDVI baseline"] == [min(baseline), max(baseline)]
    assert min(baseline).startswith("2015") and max(baseline).startswith("2024")

    window = 30
    coverage = mew.run(
        "mew:patrolcoverage",
        {
            "PATROLS": demo_mission.vector("patrol_tracks"),
            "PATROL_DATE_FIELD": "patrol_date",
            "AS_OF": truth["patrols"]["as_of"],
            "WINDOW_DAYS": window,
            "OUTPUT_COVERAGE": "TEMPORARY_OUTPUT",
            "OUTPUT_VILLAGES": "TEMPORARY_OUTPUT",
            "OUTPUT_SUMMARY": "TEMPORARY_OUTPUT",
        },
    )
    record = provenance.record_from_json(coverage["OUTPUT_COVERAGE"].metadata().keywords()["MEW_PROVENANCE"][0])
    assert record is not None
    first, last = (date.fromisoformat(day) for day in record.periods["patrol dates"])
    as_of = date.fromisoformat(truth["patrols"]["as_of"])
    assert as_of - timedelta(days=window) <= first <= last <= as_of


@pytest.mark.usefixtures("poppler")
def test_a_fresh_qgis_prints_the_line_of_a_file_output_on_its_briefing_map(mew, run_qgis_process, tmp_path):
    """After a restart (here: qgis_process, a QGIS of its own) the file alone says how it was made."""
    csv = incident_csv(tmp_path / "incidents.csv")
    imported = tmp_path / "incidents.gpkg"
    mew.run("mew:importincidents", {"INPUT": str(csv), "OUTPUT": str(imported), "REJECTED": "TEMPORARY_OUTPUT"})
    hot = tmp_path / "hotspots.gpkg"
    # GRID by the option's number, as the dialog sends it: the record names the option
    mew.run("mew:hotspots", {"INPUT": str(imported), "GRID": 0, "CELL_SIZE": 5000, "OUTPUT": str(hot)})
    pdf = tmp_path / "restart.pdf"
    completed = run_qgis_process(
        "run", "mew:briefingmap", "--", f"LAYERS={hot}", "TITLE=After a restart", "DPI=72", f"OUTPUT_PDF={pdf}"
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout.split())
    assert "hotspots: Gi*, 5 km cells" in text and "incidents 2023-11 to 2026-10" in text, text
