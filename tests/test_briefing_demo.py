"""The demo's briefing step writes its maps from the demo mission, with or without analysis outputs."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from mission_early_warning.demo.briefings import HISTORY, step_briefings
from mission_early_warning.demo.run import DemoContext

pytestmark = pytest.mark.usefixtures("poppler")


def text_of(pdf: str, page: int = 1) -> str:
    out = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), pdf, "-"], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(out.split())


def pages_of(pdf: str) -> int:
    info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True, check=True).stdout
    return int(next(line.split(":")[1] for line in info.splitlines() if line.startswith("Pages")))


def test_step_briefings_writes_three_maps_and_a_sector_atlas(mew_provider, demo_mission, tmp_path):
    ctx = DemoContext(demo_mission.path, tmp_path, demo_mission.manifest, demo_mission.truth)
    # an earlier step's output, as the runner records it: picked up by the hotspot map, its run in the footer
    ctx.results["hotspots_sectors"] = demo_mission.vector("sectors")
    ctx.results["incident_density"] = str(demo_mission.file("population"))  # any raster stands in
    ctx.results["rejected_rows"] = str(demo_mission.file("incidents"))  # a table: never drawn
    run = {
        "algorithm": "mew:hotspots",
        "parameters": {"INPUT": "incidents.csv", "CELL_SIZE": 2500},
        "outputs": {"OUTPUT": demo_mission.vector("sectors")},
        "date": "2026-11-21 10:00 UTC",
    }
    HISTORY.append(run)
    try:
        step_briefings(ctx)
    finally:
        HISTORY.remove(run)

    titles = {
        "briefing_hotspots": "Incident hotspots and emerging trends",
        "briefing_coverage": "Patrol coverage and gaps",
        "briefing_drought": "Drought change",
    }
    for stem, title in titles.items():
        pdf = ctx.results[f"{stem} (PDF)"]
        assert Path(pdf).parent == tmp_path / "briefings"
        assert pages_of(pdf) == 1
        text = text_of(pdf)
        assert title in text
        assert text.count("EXERCISE — SYNTHETIC DATA") == 2
        assert "Exercise SAHEL SENTINEL" in text
        assert Path(ctx.results[f"{stem} (PNG)"]).stat().st_size > 50_000
    hotspots = text_of(ctx.results["briefing_hotspots (PDF)"])
    assert "hotspots sectors" in hotspots and "incident density" in hotspots  # the analysis layers are shown
    assert "rejected" not in hotspots
    assert "briefing_hotspots_gi (PDF)" not in ctx.results  # the Gi* layer is already on the first map
    assert "hotspots sectors ← mew:hotspots (INPUT=incidents.csv, CELL_SIZE=2500), 2026-11-21 10:00 UTC" in hotspots
    coverage = text_of(ctx.results["briefing_coverage (PDF)"])  # no coverage output yet: the package's tracks
    assert "no coverage analysis yet" in coverage and "Patrol tracks (SYNTHETIC)" in coverage
    atlas = ctx.results["briefing_hotspots_by_sector (PDF atlas)"]
    assert pages_of(atlas) == 9
    assert "sheet 9/9 (S9)" in text_of(atlas, 9)


def test_analysis_outputs_get_the_plugin_style_that_fits_them(qgis_app):
    from qgis.core import QgsVectorLayer

    from mission_early_warning.demo.briefings import _matching_style

    cells = QgsVectorLayer("Polygon?crs=EPSG:32630&field=Gi_Bin:integer", "cells", "memory")
    points = QgsVectorLayer("Point?crs=EPSG:32630&field=Gi_Bin:integer", "points", "memory")
    other = QgsVectorLayer("Polygon?crs=EPSG:32630&field=score:double", "other", "memory")
    assert _matching_style("hotspots", cells).name == "hotspots_gi_bin.qml"
    assert _matching_style("hotspots", points).name == "hotspots_gi_bin_points.qml"
    assert _matching_style("hotspots", other) is None  # the style classifies a field this layer lacks
    assert _matching_style("coverage_zones", other).name == "coverage_zones.qml"  # exact name wins

    cells.loadNamedStyle(str(_matching_style("hotspots", cells)))
    hollow = [c.label() for c in cells.renderer().categories() if c.symbol().color().alpha() == 0]
    assert hollow and all(label.lower().startswith("not significant") for label in hollow)
