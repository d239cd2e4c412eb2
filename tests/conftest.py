"""Shared fixtures: a desktop-like iface, the demo mission, and qgis_process."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
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
    home = tmp_path_factory.mktemp("qgis-home")
    profile = home / ".local/share/QGIS/QGIS3/profiles/default"
    plugins = profile / "python/plugins"
    plugins.mkdir(parents=True)
    (plugins / "mission_early_warning").symlink_to(ROOT, target_is_directory=True)
    (profile / "QGIS").mkdir()
    (profile / "QGIS/QGIS3.ini").write_text("[PythonPlugins]\nmission_early_warning=true\nprocessing=true\n")
    return home


@pytest.fixture(scope="session")
def run_qgis_process(qgis_profile_home):
    """Run ``qgis_process.bin`` with the plugin installed; returns the completed process."""

    def run(*args: str, timeout: float = 600) -> subprocess.CompletedProcess:
        env = dict(os.environ, HOME=str(qgis_profile_home), QT_QPA_PLATFORM="offscreen")
        return subprocess.run(
            [QGIS_PROCESS, *args], env=env, capture_output=True, text=True, timeout=timeout, check=False
        )

    return run


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
