"""mew:earlywarninggrid on the demo mission: the planted cell where drought, an emerging hot spot and an
unpatrolled village meet ranks first, and the briefing map shows the grid with its legend in words."""

from __future__ import annotations

import subprocess

import pytest
from qgis.core import QgsPointXY, QgsVectorLayer

#: The words a reason uses for the emerging hot spot's expected categories (truth.json names them in short).
CATEGORY_WORDS = {"new": "new hot spot", "consecutive": "consecutive hot spot", "intensifying": "intensifying hot spot"}


@pytest.fixture(scope="module")
def grid_run(demo_mission, mew_provider, tmp_path_factory):
    """The demo's workflow up to the grid, as ``make demo`` runs it: import, emerging hot spots over the AO, VCI
    and its change 2025 → 2026, then the grid with people and patrols."""
    from qgis import processing

    out = tmp_path_factory.mktemp("early_warning")
    truth = demo_mission.truth
    imported = processing.run(
        "mew:importincidents",
        {
            "INPUT": str(demo_mission.file("incidents")),
            "OUTPUT": str(out / "incidents.gpkg"),
            "REJECTED": str(out / "rejected.csv"),
        },
    )
    emerging = processing.run(
        "mew:emerginghotspots",
        {
            "INPUT": imported["OUTPUT"],
            "STUDY_AREA": demo_mission.vector("ao_boundary"),
            "DATE_FIELD": "event_date",
            "TIME_STEP": "1 month",
            "OUTPUT": str(out / "emerging.gpkg"),
        },
    )
    stack = {
        "STACK": [str(demo_mission.file("ndvi"))],
        "MASK": str(demo_mission.file("ndvi_cloudmask")),
        "MASK_VALUES": "1",
        "BASELINE_START": truth["ndvi"]["baseline_years"][0],
        "BASELINE_END": truth["ndvi"]["baseline_years"][1],
    }
    vci = processing.run(
        "mew:droughtindex", {**stack, "TARGET": truth["ndvi"]["after_date"], "OUTPUT": str(out / "vci.tif")}
    )
    change = processing.run(
        "mew:droughtchange",
        {
            **stack,
            "BEFORE_DATE": truth["ndvi"]["before_date"],
            "AFTER_DATE": truth["ndvi"]["after_date"],
            "OUTPUT_DELTA": str(out / "delta.tif"),
        },
    )
    result = processing.run(
        "mew:earlywarninggrid",
        {
            "HOTSPOTS": emerging["OUTPUT"],
            "DROUGHT_INDEX": vci["OUTPUT"],
            "DROUGHT_CHANGE": change["OUTPUT_DELTA"],
            "POPULATION": str(demo_mission.file("population")),
            "PATROLS": demo_mission.vector("patrol_tracks"),
            "PATROL_DATE_FIELD": "patrol_date",
            "AS_OF": truth["patrols"]["as_of"],
            "PATROL_DISTANCE": truth["patrols"]["patrol_distance_m"],
            "OUTPUT": str(out / "early_warning_grid.gpkg"),
        },
    )
    return result["OUTPUT"], out


def test_the_planted_cell_ranks_first_and_its_reason_names_all_three(grid_run, demo_mission):
    planted = demo_mission.truth["early_warning"]["planted_cell"]
    assert planted["never_patrolled"]
    layer = QgsVectorLayer(grid_run[0], "grid", "ogr")
    cells = sorted(layer.getFeatures(), key=lambda f: f["rank"])
    first = cells[0]
    assert first.geometry().contains(QgsPointXY(*planted["point"]))
    emerging = next(s for s in demo_mission.truth["hotspots"] if s["name"] == "emerging")
    words = [CATEGORY_WORDS[name] for name in emerging["expected_categories"]]
    reason = first["reason"]
    assert any(reason.startswith(word) for word in words), reason  # the emerging hot spot
    assert "VCI fell" in reason  # the drought patch
    assert "no patrol on record" in reason  # the unpatrolled village
    assert f"{planted['population']:,}"[:2] in reason and "people" in reason  # and its people
    assert first["vci_mean"] < 20 and first["dvci_mean"] < -25 and first["vci_pixels"] > 300
    assert first["people"] > planted["population"]
    # Every cell: the points add up to the score, the ranks follow the score.
    points = ("pts_hotspot", "pts_drought", "pts_dvci", "pts_people", "pts_patrol")
    for cell in cells:
        assert sum(cell[k] for k in points) == pytest.approx(cell["score"])
    assert [c["score"] for c in cells] == sorted((c["score"] for c in cells), reverse=True)
    assert [c["rank"] for c in cells] == list(range(1, len(cells) + 1))


def test_the_briefing_map_shows_the_grid_with_its_legend_in_words(grid_run, mew, poppler):
    path, out = grid_run
    result = mew.run(
        "mew:briefingmap",
        {"LAYERS": [path], "TITLE": "Early warning", "DPI": 72, "OUTPUT_PDF": str(out / "briefing.pdf")},
    )
    text = subprocess.run(["pdftotext", result["OUTPUT_PDF"], "-"], capture_output=True, text=True, check=True).stdout
    assert "Early warning" in text
    assert "Very high warning" in text and "Very low warning" in text
