"""Shared fixtures: a desktop-like iface, the demo mission, and qgis_process."""

from __future__ import annotations

import contextlib
import csv
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from osgeo import gdal
from pytest_qgis.qgis_interface import QgisInterface
from qgis.PyQt.QtWidgets import QDockWidget, QMenu, QToolBar

ROOT = Path(__file__).resolve().parent.parent
QGIS_PROCESS = shutil.which("qgis_process.bin") or "/usr/bin/qgis_process.bin"


class DesktopLikeIface(QgisInterface):
    """pytest-qgis's iface, with menus, toolbar and docks that really change the main window.

    pytest-qgis leaves those calls empty; the plugin-load test needs to see
    what the plugin adds and that ``unload`` takes it all back.
    """

    def __init__(self, base: QgisInterface) -> None:
        super().__init__(base.canvas, base.messageBar(), base.mainWindow())
        self.plugin_toolbar = QToolBar("Plugins", self.mainWindow())
        self.mainWindow().addToolBar(self.plugin_toolbar)

    def _plugin_menu(self, name: str, create: bool) -> QMenu | None:
        for action in self.mainWindow().menuBar().actions():
            menu = action.menu()
            if menu is not None and menu.title() == name:
                return menu
        return self.mainWindow().menuBar().addMenu(name) if create else None

    def addPluginToMenu(self, name, action):
        self._plugin_menu(name, create=True).addAction(action)

    def removePluginMenu(self, name, action):
        menu = self._plugin_menu(name, create=False)
        if menu is None:
            return
        menu.removeAction(action)
        if not menu.actions():
            self.mainWindow().menuBar().removeAction(menu.menuAction())
            menu.deleteLater()

    def addToolBarIcon(self, action):
        self.plugin_toolbar.addAction(action)

    def removeToolBarIcon(self, action):
        self.plugin_toolbar.removeAction(action)

    def addDockWidget(self, area, dock_widget):
        self.mainWindow().addDockWidget(area, dock_widget)

    def removeDockWidget(self, dock_widget):
        self.mainWindow().removeDockWidget(dock_widget)

    def plugin_menus(self) -> list[str]:
        return [a.menu().title() for a in self.mainWindow().menuBar().actions() if a.menu() is not None]

    def docks(self) -> list[QDockWidget]:
        return [d for d in self.mainWindow().findChildren(QDockWidget) if d.parent() is self.mainWindow()]


@pytest.fixture(params=["GDAL exceptions off", "GDAL exceptions on"])
def gdal_exception_modes(request):
    """Both modes GDAL's Python bindings run in: QGIS >= 3.24 switches exceptions on when Processing loads."""
    from osgeo import ogr, osr

    modules = (gdal, ogr, osr)  # switched on in this order, off in the reverse (GDAL keeps them as a stack)
    before = [module.GetUseExceptions() for module in modules]
    switch_on = request.param.endswith("on")
    for module in modules if switch_on else reversed(modules):
        module.UseExceptions() if switch_on else module.DontUseExceptions()
    yield request.param
    for module in reversed(modules):
        module.DontUseExceptions()
    for module, was_on in zip(modules, before):
        if was_on:
            module.UseExceptions()


@pytest.fixture()
def desktop_iface(qgis_iface) -> DesktopLikeIface:
    iface = DesktopLikeIface(qgis_iface)
    yield iface
    iface.mainWindow().removeToolBar(iface.plugin_toolbar)


@pytest.fixture(scope="session")
def qgis_profile_home(tmp_path_factory) -> Path:
    """A throw-away HOME whose default QGIS profile has this plugin installed and enabled.

    ``qgis_process.bin`` loads Python providers only from enabled plugins of
    the profile; a private HOME keeps the user's own profile untouched.
    """
    from mission_early_warning.scripts.install_plugin import install, profile_dir

    home = tmp_path_factory.mktemp("qgis-home")
    install(profile_dir("default", home=home))
    return home


@pytest.fixture(scope="session")
def run_qgis_process(qgis_profile_home):
    """Run ``qgis_process.bin`` with the plugin installed; returns the completed process."""

    def run(*args: str, timeout: float = 600) -> subprocess.CompletedProcess:
        env = dict(os.environ, HOME=str(qgis_profile_home), QT_QPA_PLATFORM="offscreen")
        env.pop("QGIS_CUSTOM_CONFIG_PATH", None)  # pytest-qgis's private profile would hide ours
        return subprocess.run(
            [QGIS_PROCESS, *args], env=env, capture_output=True, text=True, timeout=timeout, check=False
        )

    return run


@pytest.fixture(scope="module")
def mew_provider(qgis_processing):
    """The ``mew`` Processing provider, registered for the test module and removed after it.

    A provider already registered under ``mew`` (by the plugin, say) is used
    as it is and left in place. Module scope: a test module registers it once.
    """
    from qgis.core import QgsApplication

    from mission_early_warning.processing.provider import PROVIDER_ID, MissionEarlyWarningProvider

    registry = QgsApplication.processingRegistry()
    existing = registry.providerById(PROVIDER_ID)
    if existing is not None:
        yield existing
        return
    provider = MissionEarlyWarningProvider()
    assert registry.addProvider(provider), "the mew provider could not be registered"
    yield provider
    registry.removeProvider(provider)


@contextlib.contextmanager
def qgis_language(locale: str):
    """QGIS's interface language set to ``locale`` (``fr_FR``) as the officer sets it in QGIS's options,
    and put back as it was after."""
    from qgis.core import QgsSettings

    from mission_early_warning.language import LOCALE_KEY

    settings = QgsSettings()
    before = settings.value(LOCALE_KEY, None)
    settings.setValue(LOCALE_KEY, locale)
    try:
        yield
    finally:
        if before is None:
            settings.remove(LOCALE_KEY)
        else:
            settings.setValue(LOCALE_KEY, before)


@pytest.fixture()
def french_locale(qgis_app):
    """QGIS's interface language set to French for the test."""
    with qgis_language("fr_FR"):
        yield


@pytest.fixture(scope="module")
def mew(mew_provider):
    """QGIS's ``processing`` module with the ``mew`` provider registered: ``mew.run("mew:...", {...})``."""
    from qgis import processing

    return processing


@pytest.fixture(scope="session")
def poppler() -> None:
    """Fails (not skips) when poppler-utils is missing: briefing tests read the PDFs back with it."""
    missing = [tool for tool in ("pdftotext", "pdfinfo", "pdftoppm") if shutil.which(tool) is None]
    if missing:
        pytest.fail(
            f"{', '.join(missing)} not found: the briefing tests read the exported PDFs with poppler-utils. "
            "Run `make setup` (it installs poppler-utils) or `apt-get install poppler-utils`.",
            pytrace=False,
        )


class DemoMission:
    """The generated demo package: its folder, manifest and planted truth."""

    def __init__(self, path: Path) -> None:
        import json

        self.path = path
        self.manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
        self.truth = json.loads((path / "truth.json").read_text(encoding="utf-8"))

    def layer_entry(self, layer_id: str) -> dict:
        return next(entry for entry in self.manifest["layers"] if entry["id"] == layer_id)

    def file(self, layer_id: str) -> Path:
        return self.path / self.layer_entry(layer_id)["path"]

    def vector(self, layer_id: str) -> str:
        """A QGIS/OGR data source string for a vector layer of the package."""
        entry = self.layer_entry(layer_id)
        return f"{self.path / entry['path']}|layername={entry['layer']}"

    def incidents_uri(self) -> str:
        """A delimited-text URI that opens the incident CSV as points in QGIS."""
        fields = self.layer_entry("incidents")["fields"]
        return (
            f"file://{self.file('incidents')}?type=csv&delimiter=,&xField={fields['longitude']}"
            f"&yField={fields['latitude']}&crs=EPSG:4326&detectTypes=yes&geomType=point"
        )


@pytest.fixture(scope="session")
def demo_mission(tmp_path_factory) -> DemoMission:
    """The demo mission generated once per test session (a few seconds)."""
    from mission_early_warning.demo.generate import DEFAULT_SEED, generate_mission

    return DemoMission(generate_mission(tmp_path_factory.mktemp("demo") / "mission", DEFAULT_SEED))


# --- damaged copies of a mission package (mission dock) ---------------------------------------


def copy_package(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    return target


def edit_manifest(package: Path, edit) -> None:
    manifest_file = package / "manifest.json"
    manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    edit(manifest)
    manifest_file.write_text(json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8")


def layer_of(manifest: dict, layer_id: str) -> dict:
    return next(entry for entry in manifest["layers"] if entry["id"] == layer_id)


def reproject_vector_layer(gpkg: Path, layer: str, crs: str) -> None:
    """Rewrite one table of a GeoPackage in another CRS (the manifest still says the old one)."""
    temporary = gpkg.with_name(f"{layer}_reprojected.gpkg")
    gdal.VectorTranslate(str(temporary), str(gpkg), layers=[layer], dstSRS=crs, format="GPKG")
    gdal.VectorTranslate(str(gpkg), str(temporary), accessMode="overwrite", layerName=layer, format="GPKG")
    temporary.unlink()


def drop_csv_column(csv_path: Path, column: str) -> None:
    with open(csv_path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    index = rows[0].index(column)
    with open(csv_path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([row[:index] + row[index + 1 :] for row in rows])


def damage_package(package: Path) -> dict[str, str]:
    """The acceptance's damaged copy: a missing file, a wrong CRS, incidents without dates, a ../ path.

    Returns {layer id: the kind of damage}.
    """
    (package / "rasters" / "synthetic_population_100m.tif").unlink()
    reproject_vector_layer(package / "vectors.gpkg", "synthetic_bases", "EPSG:4326")
    drop_csv_column(package / "incidents" / "synthetic_acled_incidents.csv", "event_date")
    edit_manifest(package, lambda m: layer_of(m, "villages").update(path="../vectors.gpkg"))
    return {"population": "missing", "bases": "crs", "incidents": "date", "villages": "outside"}


@pytest.fixture()
def damaged_mission(tmp_path, demo_mission) -> tuple[Path, dict[str, str]]:
    """A copy of the demo package with a missing file, a wrong CRS, incidents without dates and a ../ path."""
    package = copy_package(demo_mission.path, tmp_path / "damaged_mission")
    return package, damage_package(package)


@pytest.fixture()
def dialogs_ready(qgis_processing, monkeypatch):
    """What Processing's dialogs ask of iface and pytest-qgis's iface lacks, as the desktop has it.

    The parameter panel asks for the browser model; from QGIS 3.24 on, handling a
    run's results asks for the layer tree view (a real one over the project's tree).
    """
    from qgis.core import QgsLayerTreeModel, QgsProject
    from qgis.gui import QgsBrowserGuiModel, QgsLayerTreeView

    model = QgsBrowserGuiModel()
    monkeypatch.setattr(QgisInterface, "browserModel", lambda _self: model, raising=False)
    tree_model = QgsLayerTreeModel(QgsProject.instance().layerTreeRoot())
    view = QgsLayerTreeView()
    view.setModel(tree_model)
    monkeypatch.setattr(QgisInterface, "layerTreeView", lambda _self: view, raising=False)
    yield
    view.setModel(None)


@pytest.fixture()
def load_results(dialogs_ready, monkeypatch):
    """What QGIS desktop does once a run has finished: load the queued outputs, through QGIS's own code.

    The layer tree view QGIS's loader is given shows the tree of the project the run loads into (QGIS 3.44
    adds the layers through that view, and a view of another project's tree crashes it).
    """
    from processing.gui.Postprocessing import handleAlgorithmResults
    from qgis.core import QgsLayerTreeModel
    from qgis.gui import QgsLayerTreeView

    def load(algorithm, context, feedback):
        tree_model = QgsLayerTreeModel(context.project().layerTreeRoot())
        view = QgsLayerTreeView()
        view.setModel(tree_model)
        monkeypatch.setattr(QgisInterface, "layerTreeView", lambda _self: view, raising=False)
        try:
            return handleAlgorithmResults(algorithm, context, feedback)
        finally:
            view.setModel(None)

    return load
