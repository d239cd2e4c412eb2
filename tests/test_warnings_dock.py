"""The mission dock's Warnings tab driven as an officer would: a warning from a hot spot cell to its annex."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from datetime import timedelta

import pytest
from qgis.core import QgsProject, QgsSettings, QgsVectorLayer
from qgis.PyQt.QtCore import QDateTime

from mission_early_warning.core.warnings_register import (
    HISTORY_TABLE,
    WARNINGS_TABLE,
    read_history,
    read_warnings,
)
from mission_early_warning.ui.mission_dock import SETTINGS_PREFIX, MissionDock


@pytest.fixture()
def project(qgis_app):
    QgsProject.instance().clear()
    settings = QgsSettings()
    settings.remove(SETTINGS_PREFIX.rstrip("/"))
    yield QgsProject.instance()
    QgsProject.instance().clear()
    settings.remove(SETTINGS_PREFIX.rstrip("/"))


def other_tables(path) -> dict[str, list]:
    """Every row of every table of a GeoPackage but the register's (and SQLite's counter of its row ids)."""
    connection = sqlite3.connect(str(path))
    try:
        names = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        found = {}
        for name in names:
            if name in (WARNINGS_TABLE, HISTORY_TABLE):
                continue
            rows = sorted(repr(row) for row in connection.execute(f'SELECT * FROM "{name}"'))
            found[name] = [row for row in rows if WARNINGS_TABLE not in row]  # the register's own rows
        return found
    finally:
        connection.close()


def test_a_hot_spot_cell_warned_actioned_closed_and_reported(mew, poppler, project, demo_mission, tmp_path):
    package = tmp_path / "mission"
    shutil.copytree(demo_mission.path, package)
    vectors = package / "vectors.gpkg"
    before = other_tables(vectors)
    hot_spots = tmp_path / "hot_spots.gpkg"
    incidents = QgsVectorLayer(demo_mission.incidents_uri(), "incidents", "delimitedtext")
    mew.run("mew:hotspots", {"INPUT": incidents, "CELL_SIZE": 5000, "OUTPUT": str(hot_spots)})
    layer = QgsVectorLayer(str(hot_spots), "Hot spots", "ogr")
    assert layer.isValid()
    project.addMapLayer(layer)
    hottest = max(layer.getFeatures(), key=lambda feature: feature["GiZScore"] or 0)
    assert hottest["Gi_Bin"] == 3

    dock = MissionDock(None)
    try:
        assert dock.open_package(package, remember=False)
        assert dock.load() is not None  # QGIS holds the package's GeoPackage open while the register is written
        problems_before = [problem.message for problem in dock.problems]
        tab = dock.warningsTab
        assert "Warnings" in [dock.tabs.tabText(i) for i in range(dock.tabs.count())] and tab.isEnabled()
        assert tab.register_path() == vectors.resolve()  # a folder package: its GeoPackage of vectors
        tab.layerCombo.setLayer(layer)
        assert not tab.issueButton.isEnabled()  # nothing selected yet
        layer.selectByIds([hottest.id()])
        assert tab.issueButton.isEnabled()
        assert tab.threatCombo.currentData() == "Incident hot spot"  # guessed from the layer's provenance
        tab.unitEdit.setText("BANBAT Coy B")
        tab.recommendedEdit.setText("Day and night patrols on the market road")
        tab.issueButton.click()

        (issued,) = read_warnings(vectors)
        assert issued.status == "open" and issued.source_algorithm == "mew:hotspots"
        assert issued.provenance()["algorithm"] == "mew:hotspots" and issued.source_layer == "Hot spots"
        assert issued.responsible_unit == "BANBAT Coy B"
        assert issued.area.area == pytest.approx(hottest.geometry().area(), rel=1e-6)  # both in the mission CRS
        assert tab.warningsTree.topLevelItemCount() == 1 and tab.current_warning().id == issued.id
        dock.revalidate()
        dock.wait_for_check()
        assert [problem.message for problem in dock.problems] == problems_before  # the register is no problem

        acted = issued.issued + timedelta(days=2, hours=6)
        tab.actionEdit.setText("Two patrols a day")
        tab.actionDateEdit.setDateTime(QDateTime.fromSecsSinceEpoch(int(acted.timestamp())))
        tab.statusCombo.setCurrentIndex(tab.statusCombo.findData("actioned"))
        tab.updateButton.click()
        tab.outcomeEdit.setText("No incident since")
        tab.statusCombo.setCurrentIndex(tab.statusCombo.findData("closed"))
        tab.updateButton.click()
        assert not tab.updateBox.isEnabled()  # a closed warning changes no more

        (closed,) = read_warnings(vectors)
        assert closed.status == "closed" and closed.outcome == "No incident since"
        assert closed.response_days() == 2.2  # 2 days 6 hours, to the minute the form shows
        tab.filterCombo.setCurrentIndex(tab.filterCombo.findData("open"))
        assert tab.warningsTree.topLevelItemCount() == 0
        tab.filterCombo.setCurrentIndex(tab.filterCombo.findData("overdue"))
        assert tab.warningsTree.topLevelItemCount() == 0
        assert tab.historyList.count() == 0
        tab.filterCombo.setCurrentIndex(tab.filterCombo.findData("all"))
        tab.select_warning(closed.id)
        assert tab.historyList.count() == len(read_history(vectors, closed.id))
    finally:
        dock.deleteLater()

    # The whole story, read back from the GeoPackage.
    history = read_history(vectors)
    # Issuing records each field it set (an action is never among them); the updates follow, in order.
    split = next(index for index, change in enumerate(history) if change.field == "action_taken")
    first = {change.field: change.new for change in history[:split]}
    assert first["status"] == "open" and first["threat_type"] == "Incident hot spot"
    assert all(change.changed == closed.issued and change.old == "" for change in history[:split])
    later = [(change.field, change.old, change.new) for change in history[split:]]
    assert [field for field, _old, _new in later] == ["action_taken", "action_date", "status", "outcome", "status"]
    assert later[2][1:] == ("open", "actioned") and later[4][1:] == ("actioned", "closed")
    # The package's own layers are as they were.
    assert other_tables(vectors) == before

    annex = tmp_path / "annex.pdf"
    mew.run("mew:warningsreport", {"REGISTER": str(vectors), "OUTPUT_PDF": str(annex)})
    text = subprocess.run(["pdftotext", "-layout", str(annex), "-"], capture_output=True, text=True).stdout
    # The table's row (the map page also shows the id, as the area's label).
    (row,) = [line for line in text.splitlines() if line.strip().startswith(closed.id) and "Incident hot spot" in line]
    assert " 2.2 " in row


def test_the_demo_issues_two_warnings_and_writes_their_annex(mew, poppler, demo_mission, tmp_path):
    from mission_early_warning.demo.run import HISTORY, DemoContext
    from mission_early_warning.demo.warnings import ACTION_AFTER, step_warnings

    package = tmp_path / "mission"
    shutil.copytree(demo_mission.path, package)
    ctx = DemoContext(package, tmp_path / "output", demo_mission.manifest, demo_mission.truth)
    incidents = QgsVectorLayer(demo_mission.incidents_uri(), "incidents", "delimitedtext")
    hot_spots = tmp_path / "hot_spots.gpkg"
    mew.run("mew:hotspots", {"INPUT": incidents, "CELL_SIZE": 5000, "OUTPUT": str(hot_spots)})
    ctx.results["hotspots"] = str(hot_spots)
    before = len(HISTORY)
    try:
        step_warnings(ctx)
    finally:
        del HISTORY[before:]
    acted, still_open = read_warnings(package / "vectors.gpkg")  # oldest first: the one acted upon
    assert (acted.status, still_open.status) == ("actioned", "open")
    assert acted.response_days() == ACTION_AFTER.total_seconds() / 86400 == 2.5
    text = subprocess.run(["pdftotext", ctx.results["warnings_annex"], "-"], capture_output=True, text=True).stdout
    assert acted.id in text and "2.5" in text
