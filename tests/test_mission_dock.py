"""The mission dock driven as a user would, on real QGIS (offscreen): open, check, load, run."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import shutil
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from qgis.core import (
    QgsApplication,
    QgsCategorizedSymbolRenderer,
    QgsCoordinateReferenceSystem,
    QgsExpression,
    QgsExpressionContext,
    QgsExpressionContextUtils,
    QgsGraduatedSymbolRenderer,
    QgsProject,
    QgsRasterLayer,
    QgsRectangle,
    QgsSettings,
    QgsSingleBandPseudoColorRenderer,
    QgsSingleSymbolRenderer,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QCoreApplication, QDate, QEvent, Qt, QUrl
from qgis.PyQt.QtWidgets import QPushButton

from mission_early_warning.qgis_compat import renderer_band
from mission_early_warning.ui.analyses import ANALYSES, Analysis, preset_parameters
from mission_early_warning.ui.mission_dock import LAST_KEY, RECENT_KEY, SETTINGS_PREFIX, MissionDock
from mission_early_warning.ui.mission_loader import LAYER_PROPERTY, MISSION_PROPERTY

THEMES = ["operations", "incidents", "boundaries", "population", "environment"]


@pytest.fixture()
def clean_settings(qgis_app):
    settings = QgsSettings()
    settings.remove(SETTINGS_PREFIX.rstrip("/"))
    yield settings
    settings.remove(SETTINGS_PREFIX.rstrip("/"))


@pytest.fixture()
def project(qgis_app):
    QgsProject.instance().clear()
    yield QgsProject.instance()
    QgsProject.instance().clear()


@pytest.fixture()
def offers(monkeypatch) -> list:
    """The message bar items the dock pushes (an offer with its button); pytest-qgis's bar only keeps texts."""
    from pytest_qgis.mock_qgis_classes import MockMessageBar

    pushed: list = []
    monkeypatch.setattr(MockMessageBar, "pushItem", lambda _bar, item: pushed.append(item), raising=False)
    return pushed


@pytest.fixture()
def dock(desktop_iface, clean_settings, project, offers):
    widget = MissionDock(desktop_iface, desktop_iface.mainWindow())
    widget.show()
    yield widget
    for dialog in list(widget.dialogs):
        dialog.close()
    widget.close()
    widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def _copy_package(source: Path, target: Path) -> Path:
    """A copy of a package as it was made, without what earlier runs from the dock wrote into it."""
    return shutil.copytree(source, target, ignore=shutil.ignore_patterns("outputs*"))


@pytest.fixture()
def mission_copy(tmp_path, demo_mission):
    """A copy of the demo package: runs from the dock write into its outputs folder."""
    return _copy_package(demo_mission.path, tmp_path / "mission")


def _loadable(manifest: dict) -> list[dict]:
    return [entry for entry in manifest["layers"] if entry.get("load", True)]


def test_opening_the_demo_package_lists_every_layer_ok(dock, demo_mission):
    assert dock.open_package(demo_mission.path)
    rows = dock.layer_rows()
    assert [row[0] for row in rows] == [entry["id"] for entry in demo_mission.manifest["layers"]]
    assert all(row[3].startswith("OK") for row in rows), rows
    assert dock.classificationLabel.text() == "EXERCISE — SYNTHETIC DATA"
    assert "Exercise SAHEL SENTINEL" in dock.missionLabel.text()
    assert not any(row[0] in ("ERROR", "warning") for row in dock.problem_rows())
    assert dock.loadButton.isEnabled() and not dock.loadAsIsButton.isEnabled()


def test_loading_builds_the_group_subgroups_crs_renderers_and_zoom(dock, demo_mission, project, desktop_iface):
    project.setCrs(QgsCoordinateReferenceSystem("EPSG:4326"))
    dock.open_package(demo_mission.path)
    result = dock.load()
    expected = {entry["id"] for entry in _loadable(demo_mission.manifest)}
    assert set(result.added) == expected

    root = project.layerTreeRoot()
    group = root.findGroup("Exercise SAHEL SENTINEL")
    assert group is not None and root.children()[0] is group
    assert [child.name() for child in group.children()] == THEMES
    for entry in _loadable(demo_mission.manifest):
        node = next(n for n in group.findLayers() if n.layer().customProperty(LAYER_PROPERTY) == entry["id"])
        assert node.parent().name() == entry["theme"], entry["id"]
        assert node.layer().isValid()
        assert node.layer().customProperty(MISSION_PROPERTY) == dock.package.key

    assert project.crs().authid() == "EPSG:32630"
    layers = dock.loaded_layers()
    assert layers["bases"].crs().authid() == "EPSG:32630"
    assert layers["incidents"].crs().authid() == "EPSG:4326"
    assert layers["incidents"].providerType() == "delimitedtext"
    valid_points = demo_mission.truth["incidents"]["rows"] - sum(
        r["reason"] == "out_of_range" for r in demo_mission.truth["incidents"]["bad_rows"]
    )
    assert layers["incidents"].featureCount() >= valid_points - 5

    # renderers by role
    bases = layers["bases"].renderer()
    assert isinstance(bases, QgsSingleSymbolRenderer)
    assert bases.symbol().symbolLayer(0).shape() == 0  # square: the base symbol
    assert layers["bases"].labelsEnabled() and layers["bases"].labeling().settings().fieldName == "name"
    incidents = layers["incidents"].renderer()
    assert isinstance(incidents, QgsCategorizedSymbolRenderer) and incidents.classAttribute() == "event_type"
    types = {f["event_type"] for f in layers["incidents"].getFeatures()}
    categories = {c.value() for c in incidents.categories()}
    assert types - {"", None} <= categories
    tracks = layers["patrol_tracks"].renderer()
    assert isinstance(tracks, QgsGraduatedSymbolRenderer)
    assert "patrol_date" in tracks.classAttribute() and "2026-10-31" in tracks.classAttribute()
    expression = QgsExpression(tracks.classAttribute())
    context = QgsExpressionContext(QgsExpressionContextUtils.globalProjectLayerScopes(layers["patrol_tracks"]))
    classes = set()
    for feature in layers["patrol_tracks"].getFeatures():
        context.setFeature(feature)
        age = expression.evaluate(context)
        assert not expression.hasEvalError() and age >= 0, expression.evalErrorString()
        classes |= {r.label() for r in tracks.ranges() if r.lowerValue() <= age <= r.upperValue()}
    assert len(classes) >= 2  # tracks of different ages fall in different classes
    assert isinstance(layers["villages"].renderer(), QgsGraduatedSymbolRenderer)
    ndvi = layers["ndvi"]
    assert isinstance(ndvi, QgsRasterLayer)
    renderer = ndvi.renderer()
    assert isinstance(renderer, QgsSingleBandPseudoColorRenderer)
    assert renderer_band(renderer) == 12 and ndvi.name().endswith("2026-09-14")  # the latest composite
    items = renderer.shader().rasterShaderFunction().colorRampItemList()
    # the file carries scale 0.0001, so QGIS reads NDVI values and the ramp stays in NDVI units
    assert ndvi.dataProvider().bandScale(12) == pytest.approx(0.0001)
    assert items[0].value == pytest.approx(-0.1) and items[-1].value == pytest.approx(0.8)
    assert items[-1].color.green() > items[-1].color.red()  # green is dense vegetation
    centre, _ok = ndvi.dataProvider().sample(ao_centre := ndvi.extent().center(), 12)
    assert items[0].value < centre < items[-1].value, (ao_centre, centre)
    assert isinstance(layers["population"].renderer(), QgsSingleBandPseudoColorRenderer)

    extent = desktop_iface.mapCanvas().extent()
    ao = QgsRectangle(300000, 1500000, 500000, 1700000)
    assert extent.contains(ao)
    # the canvas keeps its aspect ratio: the AO fills it in one direction, with a 5 % margin
    assert min(extent.width() / ao.width(), extent.height() / ao.height()) == pytest.approx(1.05, abs=0.02)


def test_a_layer_not_loaded_by_default_loads_alone_on_double_click(dock, demo_mission, project):
    dock.open_package(demo_mission.path)
    dock.load()
    assert "ndvi_cloudmask" not in dock.loaded_layers()
    row = next(i for i, r in enumerate(dock.layer_rows()) if r[0] == "ndvi_cloudmask")
    item = dock.layerTree.topLevelItem(row)
    dock.layerTree.itemDoubleClicked.emit(item, 0)
    mask = dock.loaded_layers()["ndvi_cloudmask"]
    assert project.layerTreeRoot().findLayer(mask.id()).parent().name() == "environment"
    assert mask.renderer().type() == "paletted"
    dock.layerTree.itemDoubleClicked.emit(item, 0)  # again: nothing more
    assert len(dock.loaded_layers()) == len(_loadable(demo_mission.manifest)) + 1


def test_loading_twice_adds_nothing(dock, demo_mission, project):
    dock.open_package(demo_mission.path)
    dock.load()
    layer_ids = set(project.mapLayers())
    tree = [node.name() for node in project.layerTreeRoot().findLayers()]
    groups = len(project.layerTreeRoot().findGroups(True))
    second = dock.load()
    assert second.added == [] and len(second.present) == len(layer_ids)
    dock.open_package(demo_mission.path)  # reopening the same package changes nothing either
    dock.load()
    assert set(project.mapLayers()) == layer_ids
    assert [node.name() for node in project.layerTreeRoot().findLayers()] == tree
    assert len(project.layerTreeRoot().findGroups(True)) == groups


def test_damaged_copy_shows_each_problem_and_loads_nothing(dock, damaged_mission, project):
    package_dir, damage = damaged_mission
    dock.open_package(package_dir)
    statuses = {row[0]: row[3] for row in dock.layer_rows()}
    for layer_id in damage:
        assert statuses[layer_id] == "ERROR", layer_id
    assert statuses["sectors"] == "OK"
    shown = {(severity, layer): text for severity, layer, text in dock.problem_rows()}
    assert "File missing" in shown[("ERROR", "population")]
    assert "CRS mismatch" in shown[("ERROR", "bases")]
    assert "Missing field" in shown[("ERROR", "incidents")] and "event_date" in shown[("ERROR", "incidents")]
    assert "outside the package" in shown[("ERROR", "villages")]
    assert all("→" in text for text in shown.values())  # each says what to do

    assert not dock.loadButton.isEnabled() and dock.loadAsIsButton.isEnabled()
    assert dock.load() is None
    assert project.mapLayers() == {} and project.layerTreeRoot().children() == []
    assert "error" in dock.statusLabel.text()

    as_is = dock.load(as_is=True)  # the explicit choice loads what can be opened
    assert "population" not in as_is.added and "villages" not in as_is.added
    assert {"sectors", "ao_boundary", "bases"} <= set(as_is.added)


def _wait_for_check(dock, seconds: float = 120.0) -> None:
    """Process Qt events until the dock's check has ended (the task reports back through the event loop)."""
    deadline = time.monotonic() + seconds
    while dock.check is not None and time.monotonic() < deadline:
        QgsApplication.processEvents()
    assert dock.check is None, f"the check did not end within {seconds} s"


def test_the_check_runs_as_a_qgis_task_off_the_gui_thread_and_reports_progress(dock, damaged_mission, monkeypatch):
    from mission_early_warning.core.mission_package.package import open_package
    from mission_early_warning.core.mission_package.validation import validate
    from mission_early_warning.ui import mission_dock

    package_dir, damage = damaged_mission
    threads, reported = [], []

    def observed_validate(package, progress):
        threads.append(threading.get_ident())
        report = progress.report
        return validate(package, dataclasses.replace(progress, report=lambda p: (reported.append(p), report(p))))

    monkeypatch.setattr(mission_dock, "validate", observed_validate)
    shown = []
    dock.checkProgress.valueChanged.connect(shown.append)
    assert dock.open_package(package_dir, wait=False)

    check = dock.check
    assert check is not None and check in QgsApplication.taskManager().tasks()
    assert dock.checkProgress.isVisibleTo(dock) and dock.cancelCheckButton.isVisibleTo(dock)
    assert {row[3] for row in dock.layer_rows()} == {"checking…"}
    assert not dock.loadButton.isEnabled() and not dock.loadAsIsButton.isEnabled()
    assert dock.load(as_is=True) is None and "still being checked" in dock.statusLabel.text()
    _wait_for_check(dock)

    assert threads and threads[0] != threading.get_ident()
    assert reported == sorted(reported) and reported[-1] == 100 and len(set(reported)) > 2
    assert shown and shown[-1] == 100
    assert not dock.checkProgress.isVisibleTo(dock) and not dock.cancelCheckButton.isVisibleTo(dock)
    assert dock.problems == validate(open_package(package_dir))  # the same report as a check on this thread
    statuses = {row[0]: row[3] for row in dock.layer_rows()}
    assert all(statuses[layer_id] == "ERROR" for layer_id in damage)
    assert "error(s)" in dock.statusLabel.text()
    assert not dock.loadButton.isEnabled() and dock.loadAsIsButton.isEnabled()


def test_a_cancelled_check_leaves_the_package_open_and_unchecked(dock, demo_mission, tmp_path):
    assert dock.open_package(demo_mission.path, wait=False)
    dock.cancelCheckButton.click()
    _wait_for_check(dock)
    assert dock.package is not None and not dock.checked and dock.problems == []
    assert {row[3] for row in dock.layer_rows()} == {"not checked"}
    assert "cancelled" in dock.statusLabel.text()
    assert not dock.loadButton.isEnabled() and dock.loadAsIsButton.isEnabled()
    assert not dock.saveReportButton.isEnabled() and dock.save_report(str(tmp_path / "report.html")) is None
    assert dock.load() is None

    dock.revalidateButton.click()
    _wait_for_check(dock)
    assert dock.checked and all(row[3].startswith("OK") for row in dock.layer_rows())
    assert dock.loadButton.isEnabled()


def test_opening_another_package_during_a_check_shows_only_the_other(dock, demo_mission, damaged_mission):
    assert dock.open_package(damaged_mission[0], wait=False)
    first_ended = []
    dock.check.ended.connect(first_ended.append)
    assert dock.open_package(demo_mission.path)
    deadline = time.monotonic() + 120
    while not first_ended and time.monotonic() < deadline:  # the first check's outcome arrives too, and is dropped
        QgsApplication.processEvents()
    assert first_ended and first_ended[0].problems is None  # cancelled
    assert dock.package.location == demo_mission.path and dock.checked
    assert all(row[3].startswith("OK") for row in dock.layer_rows())
    assert not any(row[0] == "ERROR" for row in dock.problem_rows())


def test_validation_report_is_saved(dock, damaged_mission, tmp_path):
    dock.open_package(damaged_mission[0])
    html = dock.save_report(str(tmp_path / "report.html")).read_text(encoding="utf-8")
    text = dock.save_report(str(tmp_path / "report.txt")).read_text(encoding="utf-8")
    for problem in dock.problems:
        assert problem.message in text
    assert "CRS mismatch" in html and "<table>" in html and "EXERCISE" in html


@pytest.mark.parametrize(
    "name",
    [
        "manifest.json",
        "rasters/../manifest.json",
        "vectors.gpkg",
        "incidents/synthetic_acled_incidents.csv",
        "rasters/synthetic_ndvi_stack.tif",
    ],
)
def test_validation_report_never_overwrites_a_package_file(dock, demo_mission, tmp_path, name):
    package = tmp_path / "package"
    shutil.copytree(demo_mission.path, package)  # a copy: a failure must not damage the session's demo mission
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in package.rglob("*") if p.is_file()}
    dock.open_package(package)
    assert dock.save_report(str(package / name)) is None
    assert "file of the mission package" in dock.statusLabel.text() and "Choose another" in dock.statusLabel.text()
    assert {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in package.rglob("*") if p.is_file()} == before
    beside = dock.save_report(str(package / "validation.html"))  # a new name inside the package is fine
    assert beside is not None and "<table>" in beside.read_text(encoding="utf-8")


def test_validation_report_never_overwrites_a_geopackage_package(dock, demo_mission, tmp_path):
    from mission_early_warning.core.mission_package.conversion import package_to_geopackage

    gpkg = package_to_geopackage(demo_mission.path, tmp_path / "gpkg" / "mission.gpkg")
    before = hashlib.sha256(gpkg.read_bytes()).hexdigest()
    dock.open_package(gpkg)
    assert dock.save_report(str(gpkg)) is None
    assert "file of the mission package" in dock.statusLabel.text()
    assert hashlib.sha256(gpkg.read_bytes()).hexdigest() == before


def test_recent_missions_and_state_are_restored(desktop_iface, clean_settings, project, demo_mission, tmp_path):
    first = MissionDock(desktop_iface, desktop_iface.mainWindow())
    first.open_package(demo_mission.path)
    first.tabs.setCurrentIndex(1)
    first.close()
    first.deleteLater()
    assert QgsSettings().value(LAST_KEY) == str(demo_mission.path)
    assert str(demo_mission.path) in QgsSettings().value(RECENT_KEY)

    second = MissionDock(desktop_iface, desktop_iface.mainWindow())
    try:
        assert second.package is not None and second.package.name == "Exercise SAHEL SENTINEL"
        assert second.tabs.currentIndex() == 1
        assert second.recentCombo.findData(str(demo_mission.path)) > 0
        assert second.layer_rows()[0][0] == "ao_boundary"
    finally:
        second.close()
        second.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


# --- running analyses ------------------------------------------------------------------------------

#: The layer (manifest id) or field each analysis must receive, by parameter.
EXPECTED_PRESETS = {
    "mew:importincidents": {
        "LAT_FIELD": "latitude",
        "LON_FIELD": "longitude",
        "DATE_FIELD": "event_date",
        "ID_FIELD": "event_id_cnty",
    },
    "mew:incidentdensity": {"INPUT": "@incidents"},
    "mew:hotspots": {"INPUT": "@incidents", "STUDY_AREA": "@ao_boundary"},
    "mew:emerginghotspots": {"INPUT": "@incidents", "DATE_FIELD": "event_date", "STUDY_AREA": "@ao_boundary"},
    "mew:droughtindex": {"STACK": "@ndvi", "SCALE": 0.0001, "VALID_MIN": -0.2, "VALID_MAX": 1.0, "MASK_VALUES": "1"},
    "mew:droughtchange": {
        "STACK": "@ndvi",
        "SCALE": 0.0001,
        "ZONES": "@sectors",
        "ZONE_FIELD": "sector_id",
        "POPULATION": "@population",
    },
    "mew:patrolcoverage": {
        "BASES": "@bases",
        "BASE_RADIUS_FIELD": "patrol_radius_m",
        "BASE_ID_FIELD": "base_id",
        "PATROLS": "@patrol_tracks",
        "PATROL_DATE_FIELD": "patrol_date",
        "VILLAGES": "@villages",
        "POPULATION_FIELD": "population",
        "POPULATION": "@population",
        "INCIDENTS": "@incidents",
    },
    "mew:coveragegaps": {
        "VILLAGES": "@villages",
        "POPULATION_FIELD": "population",
        "INCIDENTS": "@incidents",
        "INCIDENT_DATE_FIELD": "event_date",
        "AS_OF": "2026-10-31",
    },
    "mew:briefingmap": {"TITLE": "Exercise SAHEL SENTINEL", "CLASSIFICATION": "EXERCISE — SYNTHETIC DATA"},
    "mew:warningsreport": {
        "INCIDENTS": "@incidents",
        "DATE_FIELD": "event_date",
        "CLASSIFICATION": "EXERCISE — SYNTHETIC DATA",
    },
}


#: The analyses that cannot run without incidents: on the package's raw table, their buttons steer to the import.
NEED_IMPORTED_INCIDENTS = ("mew:incidentdensity", "mew:hotspots", "mew:emerginghotspots")


def _layer_id(value):
    """A dialog's value for a layer parameter as a project layer id.

    The dialog gives layers, layer ids, or (for multiple-layer parameters) the layers' sources.
    """
    if isinstance(value, list):
        return [_layer_id(v) for v in value]
    if hasattr(value, "id"):
        return value.id()
    project = QgsProject.instance()
    if isinstance(value, str) and project.mapLayer(value) is None:
        same_source = [layer.id() for layer in project.mapLayers().values() if layer.source() == value]
        if len(same_source) == 1:
            return same_source[0]
    return value


def _as_text_if_date(value):
    """A date picker's value (a QDate) as the ISO text the mission gives; any other value as it is."""
    return value.toString("yyyy-MM-dd") if isinstance(value, QDate) else value


def _check_presets(dialog, dock, expected: dict) -> None:
    values = dialog.createProcessingParameters()
    layers = dock.loaded_layers()
    algorithm = dialog.algorithm()
    for name, wanted in expected.items():
        assert algorithm.parameterDefinition(name) is not None, f"{algorithm.id()} has no parameter {name}"
        got = _layer_id(_as_text_if_date(values.get(name)))
        if isinstance(wanted, str) and wanted.startswith("@"):
            layer_id = layers[wanted[1:]].id()
            assert got == layer_id or got == [layer_id] or (isinstance(got, list) and layer_id in got), (name, got)
        elif isinstance(wanted, float):
            assert got == pytest.approx(wanted), (name, got)
        else:
            assert got == wanted, (name, got)


def test_every_analysis_has_a_button_enabled_with_the_provider(dock, demo_mission, mew_provider):
    dock.open_package(demo_mission.path)
    assert set(dock.analysis_buttons) == {spec.alg_id for spec in ANALYSES} == set(EXPECTED_PRESETS)
    assert mew_provider.unavailable == {}, f"algorithms left out by the provider: {mew_provider.unavailable}"
    registry = QgsApplication.processingRegistry()
    for alg_id, button in dock.analysis_buttons.items():
        assert registry.algorithmById(alg_id) is not None, f"{alg_id} is not registered"
        assert button.isEnabled(), alg_id
        assert "this mission's layers" in button.toolTip(), alg_id


def test_every_analysis_button_shows_its_algorithm_icon(dock, mew_provider):
    registry = QgsApplication.processingRegistry()
    for alg_id, button in dock.analysis_buttons.items():
        assert not button.icon().isNull(), alg_id
        own = registry.algorithmById(alg_id).icon().pixmap(24, 24).toImage()
        assert button.icon().pixmap(24, 24).toImage() == own, f"{alg_id}: the button's icon is not the toolbox's"


def test_an_unregistered_analysis_button_is_disabled_with_the_reason(
    desktop_iface, clean_settings, project, demo_mission, monkeypatch
):
    from mission_early_warning.ui import mission_dock

    missing = Analysis("mew:notinthisbuild", "Not in this build", ())
    monkeypatch.setattr(mission_dock, "ANALYSES", (*ANALYSES, missing))
    widget = MissionDock(desktop_iface, desktop_iface.mainWindow())
    try:
        widget.open_package(demo_mission.path)
        button = widget.analysis_buttons["mew:notinthisbuild"]
        assert not button.isEnabled() and "not available" in button.toolTip()
    finally:
        widget.close()
        widget.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def test_every_preset_names_a_parameter_of_its_algorithm(mew_provider):
    registry = QgsApplication.processingRegistry()
    for spec in ANALYSES:
        algorithm = registry.algorithmById(spec.alg_id)
        assert algorithm is not None, f"{spec.alg_id} is not registered ({mew_provider.unavailable})"
        defined = {definition.name() for definition in algorithm.parameterDefinitions()}
        unknown = {name for name, _source in spec.presets} - defined
        assert not unknown, f"{spec.alg_id} presets name parameters it does not have: {sorted(unknown)}"


@pytest.mark.parametrize("alg_id", list(EXPECTED_PRESETS))
def test_run_button_opens_the_algorithm_with_the_mission_layers(
    dock, demo_mission, dialogs_ready, mew_provider, alg_id
):
    assert QgsApplication.processingRegistry().algorithmById(alg_id) is not None, (
        f"{alg_id} is not registered: {mew_provider.unavailable}"
    )
    dock.open_package(demo_mission.path)
    dock.load()
    dock.tabs.setCurrentIndex(1)
    dock.analysis_buttons[alg_id].click()
    if alg_id in NEED_IMPORTED_INCIDENTS:  # the raw table: the button steers to the import, the presets stay
        assert dock.dialogs == [] and "Run Import incidents first" in dock.statusLabel.text()
        dock.open_analysis(alg_id)
    dialog = dock.dialogs[-1]
    assert dialog.algorithm().id() == alg_id and dialog.isVisible()
    _check_presets(dialog, dock, EXPECTED_PRESETS[alg_id])
    if alg_id == "mew:briefingmap":  # the mission's visible layers in drawing order: bottom first
        layers = _layer_id(dialog.createProcessingParameters()["LAYERS"])
        loaded = dock.loaded_layers()
        assert layers[0] == loaded["ndvi"].id() and layers[-1] == loaded["bases"].id()
        assert set(layers) == {layer.id() for layer in loaded.values()}


def test_coverage_gaps_measures_against_the_coverage_patrol_coverage_drew(
    dock, mission_copy, dialogs_ready, mew_provider, tmp_path
):
    dock.open_package(mission_copy)  # a copy: the run writes its other outputs into the package's outputs folder
    dock.load()
    spec = next(a for a in ANALYSES if a.alg_id == "mew:coveragegaps")
    assert "COVERAGE" not in preset_parameters(spec, dock.package, replaced=dock.replaced_roles)  # none drawn yet
    coverage = dock.open_analysis("mew:patrolcoverage")
    values = coverage.createProcessingParameters()
    output = tmp_path / "coverage.gpkg"
    # bases only: a quick run; the presets fill the rest of the mission in
    coverage.setParameters(
        {"BASES": values["BASES"], "BASE_RADIUS_FIELD": values["BASE_RADIUS_FIELD"], "OUTPUT_COVERAGE": str(output)}
    )
    coverage.runAlgorithm()
    deadline = time.time() + 60
    while not dock.outputs and time.time() < deadline:
        QCoreApplication.processEvents()
        time.sleep(0.02)
    assert "OUTPUT_COVERAGE" in [record.output for record in dock.outputs], dock.statusLabel.text()
    gaps = dock.open_analysis("mew:coveragegaps").createProcessingParameters()
    assert _layer_id(gaps["COVERAGE"]) in (
        str(output),
        *(
            layer.id()
            for layer in QgsProject.instance().mapLayers().values()
            if layer.source().split("|")[0] == str(output)
        ),
    )
    _check_presets(dock.dialogs[-1], dock, EXPECTED_PRESETS["mew:coveragegaps"])


def test_dialog_prefill_run_and_recent_output_with_a_real_algorithm(
    dock, demo_mission, dialogs_ready, project, tmp_path, monkeypatch
):
    """The whole run path on QGIS's own buffer algorithm: prefilled dialog, run, output listed and filed
    under the mission, added to the map, and standing in for its role in the next run."""
    from mission_early_warning.ui import mission_dock

    spec = Analysis("native:buffer", "Buffer bases", (("INPUT", "layer:bases"), ("DISTANCE", "option:bases.reach")))
    monkeypatch.setitem(mission_dock.REPLACES_ROLE, ("native:buffer", "OUTPUT"), "bases")
    dock.open_package(demo_mission.path)
    dock.load()
    dock.package.first("bases").options["reach"] = 5000
    dialog = dock.open_analysis("native:buffer", spec)
    values = dialog.createProcessingParameters()
    assert _layer_id(values["INPUT"]) == dock.loaded_layers()["bases"].id()
    assert values["DISTANCE"] == 5000

    output = tmp_path / "bases_5km.gpkg"
    dialog.setParameters({**values, "OUTPUT": str(output)})
    dialog.runAlgorithm()
    deadline = time.time() + 30
    while not dock.outputs and time.time() < deadline:
        QCoreApplication.processEvents()
        time.sleep(0.02)
    assert dock.outputs, "the finished run was not listed"
    assert dock.outputs[0].alg_id == "native:buffer" and output.name in dock.outputsList.item(0).text()
    layer = dock.add_output_to_map(0)
    assert isinstance(layer, QgsVectorLayer) and layer.featureCount() == 8
    assert layer.source().split("|")[0] == str(output)
    node = project.layerTreeRoot().findLayer(layer.id())
    assert node is not None and node.isVisible()
    assert node.parent().name() == "analyses"
    assert node.parent().parent().name() == "Exercise SAHEL SENTINEL"
    dock.add_output_to_map(0)  # adding again shows the same layer, adds none
    assert len([lyr for lyr in project.mapLayers().values() if lyr.source().split("|")[0] == str(output)]) == 1

    # the output now stands in for the bases in the next analysis opened from the dock
    second = dock.open_analysis("native:buffer", spec)
    assert _layer_id(second.createProcessingParameters()["INPUT"]) in (str(output), layer.id())


def test_ndvi_ramp_follows_the_manifest_scale_when_the_file_has_none(tmp_path, demo_mission, project):
    from osgeo import gdal

    from mission_early_warning.core.mission_package.package import open_package
    from mission_early_warning.core.mission_package.validation import validate
    from mission_early_warning.ui.mission_loader import load_mission, mission_layers

    package_dir = tmp_path / "unscaled"
    package_dir.mkdir()
    (package_dir / "rasters").mkdir()
    (package_dir / "manifest.json").write_text(
        json.dumps(
            {
                "mission": "Unscaled",
                "classification": "X",
                "crs": "EPSG:32630",
                "layers": [{**demo_mission.layer_entry("ndvi"), "mask": None, "scale": 0.0001, "offset": 0.0}],
            }
        )
    )
    gdal.Translate(str(package_dir / "rasters" / "synthetic_ndvi_stack.tif"), str(demo_mission.file("ndvi")))
    dataset = gdal.Open(str(package_dir / "rasters" / "synthetic_ndvi_stack.tif"), gdal.GA_Update)
    for band in range(1, dataset.RasterCount + 1):
        dataset.GetRasterBand(band).SetScale(1.0)
    dataset = None
    package = open_package(package_dir)
    load_mission(package, validate(package), project)
    layer = mission_layers(package, project)["ndvi"]
    items = layer.renderer().shader().rasterShaderFunction().colorRampItemList()
    assert layer.dataProvider().bandScale(1) == 1.0
    assert items[0].value == pytest.approx(-1000) and items[-1].value == pytest.approx(8000)


def test_geopackage_package_opens_and_loads_like_the_folder(dock, demo_mission, project, tmp_path):
    from mission_early_warning.core.mission_package.conversion import package_to_geopackage

    gpkg = package_to_geopackage(demo_mission.path, tmp_path / "gpkg" / "mission.gpkg")
    assert dock.open_package(gpkg)
    assert all(row[3].startswith("OK") for row in dock.layer_rows())
    result = dock.load()
    assert set(result.added) == {entry["id"] for entry in _loadable(demo_mission.manifest)}
    layers = dock.loaded_layers()
    assert layers["sectors"].source().split("|")[0] == str(gpkg)
    assert layers["sectors"].featureCount() == 9


@pytest.mark.slow
def test_screenshot_script_renders_the_dock_and_the_mission(tmp_path):
    """scripts/screenshot_dock.py (which made docs/dock.png) still works and shows a drawn map."""
    import subprocess
    import sys
    from pathlib import Path

    from qgis.PyQt.QtGui import QImage

    root = Path(__file__).resolve().parent.parent
    output = tmp_path / "dock.png"
    result = subprocess.run(
        [
            sys.executable,
            "-P",
            str(root / "scripts" / "screenshot_dock.py"),
            "--output",
            str(output),
            "--size",
            "1200x800",
        ],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    image = QImage(str(output))
    assert (image.width(), image.height()) == (1200, 800)
    # the map canvas (centre of the window) is drawn: many distinct colours, not a blank white area
    colours = {image.pixel(x, y) for x in range(450, 750, 5) for y in range(250, 550, 5)}
    assert len(colours) > 50


def test_table_names_stay_names_and_fields_stay_columns_even_when_loaded_as_is(dock, demo_mission, project, tmp_path):
    """The manifest's "layer" reaches QGIS as a name only ('|subset=…' in it is refused, also under 'Load as is'),
    and its "fields" only ever name columns: no renderer is handed an expression written in a package."""
    from osgeo import ogr
    from qgis.core import QgsProviderRegistry

    package = tmp_path / "package"
    package.mkdir()
    source = ogr.Open(str(demo_mission.path / "vectors.gpkg"))
    villages = source.GetLayerByName("synthetic_villages")
    copy = ogr.GetDriverByName("GPKG").CreateDataSource(str(package / "v.gpkg"))
    odd_name = 'villages = "all" (copy)'
    for name in (odd_name, "villages"):
        copy.CopyLayer(villages, name, [f"IDENTIFIER={name}"])
    copy = None
    count = villages.GetFeatureCount()
    source = None
    entry = {"role": "villages", "path": "v.gpkg", "crs": "EPSG:32630", "fields": {"population": "population"}}
    (package / "manifest.json").write_text(
        json.dumps(
            {
                "mission": "Names",
                "classification": "X",
                "crs": "EPSG:32630",
                "layers": [
                    {**entry, "id": "odd", "layer": odd_name},
                    {**entry, "id": "filtered", "layer": 'villages|subset="population" > 1000000'},
                    {**entry, "id": "expression", "layer": "villages", "fields": {"population": "env('HOME')"}},
                ],
            }
        )
    )
    assert dock.open_package(package)
    statuses = {row[0]: row[3] for row in dock.layer_rows()}
    assert statuses["filtered"] == "ERROR" and statuses["odd"] == "OK"
    result = dock.load(as_is=True)
    assert set(result.added) == {"odd", "expression"}
    assert "'|'" in result.skipped["filtered"]
    layers = dock.loaded_layers()
    assert QgsProviderRegistry.instance().decodeUri("ogr", layers["odd"].source())["layerName"] == odd_name
    assert layers["odd"].featureCount() == count
    assert layers["odd"].subsetString() == ""
    assert layers["expression"].renderer().classAttribute() == "population"  # the style's column, not env('HOME')


def test_the_dock_shows_the_package_texts_as_written_never_as_html(dock, desktop_iface, demo_mission, tmp_path):
    """Names, classification, paths and problems come from the package: markup in them is shown, not rendered."""
    from qgis.core import Qgis
    from qgis.gui import QgsMessageBar
    from qgis.PyQt.QtCore import Qt
    from qgis.PyQt.QtGui import QTextDocument
    from qgis.PyQt.QtWidgets import QTextBrowser

    package = tmp_path / "package"
    shutil.copytree(demo_mission.path, package)
    marked = "<b>Exercise</b> <img src='x.png'>"

    def edit(manifest):
        manifest["mission"] = f"{marked} mission"
        manifest["classification"] = f"{marked} classification"
        manifest["layers"][0]["id"] = "<i>ao</i>"
        manifest["layers"][0]["path"] = "<i>missing</i>.gpkg"

    manifest = json.loads((package / "manifest.json").read_text(encoding="utf-8"))
    edit(manifest)
    (package / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert dock.open_package(package)

    def shown(html: str) -> str:
        document = QTextDocument()
        document.setHtml(html)
        return document.toPlainText()

    assert dock.classificationLabel.textFormat() == Qt.TextFormat.PlainText
    assert dock.classificationLabel.text() == f"{marked} classification"
    assert dock.statusLabel.textFormat() == Qt.TextFormat.PlainText
    assert f"{marked} mission" in shown(dock.missionLabel.text())
    row = dock.layerTree.topLevelItem(0)
    assert "<i>ao</i>" in shown(row.toolTip(0)) and "<i>missing</i>.gpkg" in shown(row.toolTip(0))
    problem = next(
        dock.problemTree.topLevelItem(i)
        for i in range(dock.problemTree.topLevelItemCount())
        if dock.problemTree.topLevelItem(i).text(1) == "<i>ao</i>"
    )
    assert "<i>missing</i>.gpkg" in shown(problem.toolTip(2))
    # what the dock pushed, shown by a real message bar (the test interface's bar only records it)
    title, pushed = desktop_iface.messageBar().get_messages(Qgis.MessageLevel.Warning)[-1].split(":", 1)
    bar = QgsMessageBar()
    bar.pushMessage(title, pushed, Qgis.MessageLevel.Warning, 0)
    assert f"{marked} mission has 1 error(s)" in bar.currentItem().findChild(QTextBrowser).toPlainText()


# --- the dock's bookkeeping: outputs folder, names in words, analyses group, statuses ------------------------------

WORKFLOW = (
    "mew:importincidents",
    "mew:incidentdensity",
    "mew:hotspots",
    "mew:emerginghotspots",
    "mew:droughtindex",
    "mew:droughtchange",
    "mew:patrolcoverage",
    "mew:coveragegaps",
    "mew:briefingmap",
    "mew:warningsreport",
)
STAMP = r"\d{4}-\d\d-\d\d \d{4}"


def _destination(value) -> str:
    """The file a dialog's output value names (a path, or an output definition holding one)."""
    sink = getattr(value, "sink", None)
    return sink.staticValue() if sink is not None else str(value)


def _run(dialog, dock, count: int, seconds: float = 120.0) -> None:
    """Run the dialog's algorithm and wait until the dock lists ``count`` outputs in all."""
    dialog.runAlgorithm()
    deadline = time.time() + seconds
    while len(dock.outputs) < count and time.time() < deadline:
        QCoreApplication.processEvents()
        time.sleep(0.02)
    assert len(dock.outputs) >= count, dock.statusLabel.text()


def test_analysis_buttons_read_in_workflow_order_in_one_column(dock):
    layout = dock.analysesLayout
    positions = {alg_id: layout.getItemPosition(layout.indexOf(b)) for alg_id, b in dock.analysis_buttons.items()}
    assert tuple(sorted(positions, key=lambda alg_id: positions[alg_id][0])) == WORKFLOW
    assert {position[1] for position in positions.values()} == {0}
    assert sorted(position[0] for position in positions.values()) == list(range(len(WORKFLOW)))


def test_incident_analyses_steer_to_the_import_and_then_take_the_imported_layer(
    dock, demo_mission, mission_copy, dialogs_ready, mew_provider, project, offers
):
    """On the raw table, Incident density offers Import incidents instead of running; the import writes into the
    mission's outputs folder, its layers land in the analyses group named in words, and Incident density then
    opens on the imported layer."""
    dock.open_package(mission_copy)
    dock.load()
    outputs = mission_copy / "outputs"
    assert not outputs.exists() and not dock.addOutputButton.isEnabled()
    density_button = dock.analysis_buttons["mew:incidentdensity"]
    assert "Import incidents first" in density_button.toolTip()
    density_button.click()
    assert dock.dialogs == [] and "Run Import incidents first" in dock.statusLabel.text()
    offered = offers[-1].findChild(QPushButton)
    assert offered.text() == "Import incidents"

    offered.click()
    dialog = dock.dialogs[-1]
    assert dialog.algorithm().id() == "mew:importincidents" and outputs.is_dir()
    values = dialog.createProcessingParameters()
    imported, rejected = (Path(_destination(values[name])) for name in ("OUTPUT", "REJECTED"))
    assert imported.parent == outputs and re.fullmatch(f"Incidents {STAMP}\\.gpkg", imported.name), imported
    assert rejected.parent == outputs and re.fullmatch(f"Rejected rows {STAMP}\\.gpkg", rejected.name), rejected
    _run(dialog, dock, 2)
    assert imported.is_file() and rejected.is_file()

    shown = [dock.outputsList.item(row).text() for row in range(dock.outputsList.count())]
    assert sorted(shown) == sorted([imported.name, rejected.name])
    assert dock.addOutputButton.isEnabled()
    layer = next(lyr for lyr in project.mapLayers().values() if lyr.source().split("|")[0] == str(imported))
    node = project.layerTreeRoot().findLayer(layer.id())
    assert node.parent().name() == "analyses" and node.parent().parent().name() == "Exercise SAHEL SENTINEL"
    assert layer.name() == imported.stem

    assert "Import incidents first" not in density_button.toolTip()
    density_button.click()
    density = dock.dialogs[-1]
    assert density.algorithm().id() == "mew:incidentdensity"
    assert _layer_id(density.createProcessingParameters()["INPUT"]) in (str(imported), layer.id())

    # a later session (here: another package, then this one again) finds the import in the outputs folder ...
    dock.open_package(demo_mission.path)
    assert "incidents" not in dock.replaced_roles
    dock.open_package(mission_copy)
    assert dock.replaced_roles["incidents"] == str(imported)
    # ... as long as the package's table has not changed since
    csv_file = mission_copy / demo_mission.layer_entry("incidents")["path"]
    later = imported.stat().st_mtime + 60
    os.utime(csv_file, (later, later))
    dock.open_package(demo_mission.path)
    dock.open_package(mission_copy)
    assert "incidents" not in dock.replaced_roles


def test_every_dock_run_lands_in_the_analyses_group_wherever_processing_put_it(
    dock, mission_copy, dialogs_ready, mew_provider, project
):
    """Processing adds a result at the insertion point: the top of the tree, or inside the group selected in the
    Layers panel (here the mission's 'environment' theme). The dock files it under 'analyses' either way."""
    dock.open_package(mission_copy)
    dock.load()
    group = project.layerTreeRoot().findGroup("Exercise SAHEL SENTINEL")
    theme = group.findGroup("environment")
    algorithm = QgsApplication.processingRegistry().algorithmById("mew:droughtindex")
    placed = []
    for where in (project.layerTreeRoot(), theme):
        path = mission_copy / f"placed {len(placed)}.tif"
        shutil.copyfile(mission_copy / "rasters" / "synthetic_ndvi_stack.tif", path)
        layer = QgsRasterLayer(str(path), "as Processing names it")
        project.addMapLayer(layer, False)
        where.insertLayer(0, layer)
        dock._record_results(algorithm, {"OUTPUT": str(path)})
        placed.append((layer, path))
    for layer, path in placed:
        node = project.layerTreeRoot().findLayer(layer.id())
        assert node.parent().name() == "analyses" and node.parent().parent() is group, path
        assert layer.name() == path.stem
    assert len(group.findGroup("analyses").children()) == 2
    assert all(node.layer().customProperty(LAYER_PROPERTY) for node in theme.findLayers())  # the mission's only


def test_output_names_never_meet_an_existing_file_nor_one_handed_out(
    dock, mission_copy, dialogs_ready, mew_provider, monkeypatch
):
    import datetime as dt
    from types import SimpleNamespace

    from mission_early_warning.ui import mission_dock

    when = dt.datetime(2026, 12, 3, 9, 15)
    monkeypatch.setattr(mission_dock, "dt", SimpleNamespace(datetime=SimpleNamespace(now=lambda: when)))
    outputs = mission_copy / "outputs"
    outputs.mkdir()
    (outputs / "Drought index 2026-12-03 0915.tif").write_bytes(b"an earlier run")
    (outputs / "Drought classes 2026-12-03 0915.qml").write_text("<qgis/>")  # a style beside a file gone since
    dock.open_package(mission_copy)
    first = dock.open_analysis("mew:droughtindex").createProcessingParameters()
    second = dock.open_analysis("mew:droughtindex").createProcessingParameters()
    names = [Path(_destination(values[key])).name for values in (first, second) for key in ("OUTPUT", "OUTPUT_CLASSES")]
    assert names == [
        "Drought index 2026-12-03 0915 (2).tif",
        "Drought classes 2026-12-03 0915 (2).tif",
        "Drought index 2026-12-03 0915 (3).tif",
        "Drought classes 2026-12-03 0915 (3).tif",
    ]
    assert (outputs / "Drought index 2026-12-03 0915.tif").read_bytes() == b"an earlier run"


def test_the_outputs_folder_is_beside_a_geopackage_and_never_among_the_package_data(demo_mission, tmp_path):
    from mission_early_warning.core.mission_package.conversion import package_to_geopackage
    from mission_early_warning.core.mission_package.package import open_package
    from mission_early_warning.ui.mission_outputs import outputs_folder

    gpkg = package_to_geopackage(demo_mission.path, tmp_path / "gpkg" / "mission.gpkg")
    assert outputs_folder(open_package(gpkg)) == tmp_path / "gpkg" / "outputs"
    assert outputs_folder(open_package(demo_mission.path)) == demo_mission.path / "outputs"

    package = _copy_package(demo_mission.path, tmp_path / "folder")
    (package / "outputs").mkdir()
    shutil.move(package / "incidents", package / "outputs" / "incidents")  # the manifest's data lives there
    manifest = json.loads((package / "manifest.json").read_text(encoding="utf-8"))
    entry = next(layer for layer in manifest["layers"] if layer["id"] == "incidents")
    entry["path"] = "outputs/" + entry["path"]
    (package / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert outputs_folder(open_package(package)) == package / "outputs 2"


def test_a_layer_not_loaded_by_default_shows_loaded_once_it_is(dock, demo_mission, project):
    dock.open_package(demo_mission.path)
    dock.load()

    def gpx_status() -> str:
        return next(row[3] for row in dock.layer_rows() if row[0] == "patrol_tracks_gpx")

    assert gpx_status() == "OK (not loaded)"
    row = next(i for i, r in enumerate(dock.layer_rows()) if r[0] == "patrol_tracks_gpx")
    dock.layerTree.itemDoubleClicked.emit(dock.layerTree.topLevelItem(row), 0)
    assert "patrol_tracks_gpx" in dock.loaded_layers() and gpx_status() == "OK"
    project.removeMapLayer(dock.loaded_layers()["patrol_tracks_gpx"].id())
    assert gpx_status() == "OK (not loaded)"


def test_a_briefing_from_the_dock_offers_to_open_its_pdf_and_long_names_never_widen_the_dock(
    dock, mission_copy, mew_provider, offers, monkeypatch
):
    from mission_early_warning.ui import mission_dock

    opened = []
    monkeypatch.setattr(mission_dock, "QDesktopServices", SimpleNamespace(openUrl=opened.append))
    dock.open_package(mission_copy)
    dock.tabs.setCurrentIndex(1)
    QCoreApplication.processEvents()
    width = dock.minimumSizeHint().width()
    assert not dock.addOutputButton.isEnabled()

    pdf = mission_copy / "outputs" / ("Briefing map (PDF) 2026-12-03 0915 " + "with a very long name " * 9 + ".pdf")
    pdf.parent.mkdir()
    pdf.write_bytes(b"%PDF-1.4\n%%EOF\n")
    briefing = QgsApplication.processingRegistry().algorithmById("mew:briefingmap")
    dock._record_results(briefing, {"OUTPUT_PDF": str(pdf)})
    QCoreApplication.processEvents()

    assert dock.outputsList.item(0).text() == pdf.name and dock.addOutputButton.isEnabled()
    assert dock.outputsList.textElideMode() == Qt.TextElideMode.ElideMiddle
    assert dock.minimumSizeHint().width() <= width
    offer = offers[-1]
    button = offer.findChild(QPushButton)
    assert button.text() == "Open" and opened == []
    button.click()
    assert opened == [QUrl.fromLocalFile(str(pdf))]
