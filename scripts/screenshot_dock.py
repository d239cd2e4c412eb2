"""Take the README's screenshot of the mission dock with the demo mission loaded.

Run from the repository root (offscreen, no display needed; Xvfb works too)::

    QT_QPA_PLATFORM=offscreen .venv/bin/python -P scripts/screenshot_dock.py [--output docs/dock.png]

It generates the demo mission into a temporary folder, builds a small QGIS
main window (layer tree, map canvas, the dock on the right), opens and loads
the package through the dock as a user would, waits for the map to render
and saves a PNG of the window. A throw-away QGIS profile keeps the user's
settings (recent missions) untouched. ``scripts/screenshot_dialogs.py`` builds
on the same pieces.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent


def import_plugin() -> None:
    """Import the repository as the package ``mission_early_warning`` (as QGIS does), root off sys.path."""
    import importlib.util

    sys.path[:] = [p for p in sys.path if Path(p or os.getcwd()).resolve() != ROOT]
    if "/usr/share/qgis/python/plugins" not in sys.path:
        sys.path.append("/usr/share/qgis/python/plugins")
    if "mission_early_warning" not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            "mission_early_warning", ROOT / "__init__.py", submodule_search_locations=[str(ROOT)]
        )
        module = importlib.util.module_from_spec(spec)
        sys.modules["mission_early_warning"] = module
        spec.loader.exec_module(module)


def settle(seconds: float) -> None:
    """Run the event loop for a while (layout, timers, the canvas's render job)."""
    from qgis.PyQt.QtCore import QCoreApplication

    end = time.time() + seconds
    while time.time() < end:
        QCoreApplication.processEvents()
        time.sleep(0.02)


class _Iface:
    """The few ``iface`` calls the dock makes, backed by a real main window, canvas and message bar."""

    def __init__(self, window, canvas, bar) -> None:
        self._window, self._canvas, self._bar = window, canvas, bar

    def mainWindow(self):  # noqa: N802 - QGIS API name
        return self._window

    def mapCanvas(self):  # noqa: N802
        return self._canvas

    def messageBar(self):  # noqa: N802
        return self._bar


@dataclass
class QgisSession:
    """A running QGIS with the plugin's provider, in a throw-away profile; what must outlive the shots."""

    app: Any
    provider: Any
    translator: Any = None

    def close(self) -> None:
        from qgis.core import QgsApplication, QgsProject

        QgsApplication.processingRegistry().removeProvider(self.provider)
        QgsProject.instance().clear()


def start_qgis(profile: Path, locale: str | None = None) -> QgisSession:
    """Start QGIS with its profile in ``profile`` and register the plugin's provider.

    With ``locale`` (``fr_FR``), QGIS speaks that language as after *Settings ▸ Options ▸ General ▸ User
    interface translation*: its own texts through QGIS's translation, the plugin's through the ``.qm``
    built from ``i18n/*.ts`` into the profile and installed by the plugin's own ``install_translator``.
    """
    from qgis.core import QgsApplication, QgsSettings
    from qgis.PyQt.QtCore import QLocale

    if locale is not None:
        QgsApplication.setTranslation(locale)  # read by the constructor, which installs QGIS's translators
    app = QgsApplication([], True, str(profile))
    app.initQgis()
    translator = None
    if locale is not None:
        QLocale.setDefault(QLocale(locale))  # numbers and dates as QGIS shows them in that language
        settings = QgsSettings()
        settings.setValue("locale/overrideFlag", True)
        settings.setValue("locale/userLocale", locale)
        from mission_early_warning import plugin
        from mission_early_warning.scripts import translations

        plugin.I18N_DIR = profile / "i18n"
        translations.build(plugin.I18N_DIR)
        translator = plugin.install_translator()
    from processing.core.Processing import Processing

    Processing.initialize()
    from mission_early_warning.processing.provider import MissionEarlyWarningProvider

    provider = MissionEarlyWarningProvider()
    QgsApplication.processingRegistry().addProvider(provider)
    return QgisSession(app, provider, translator)


@dataclass
class MissionWindow:
    """A small QGIS main window: layer tree on the left, map canvas, the mission dock on the right."""

    window: Any
    canvas: Any
    tree_view: Any
    tree_model: Any  # kept here: the view does not own its model
    dock: Any
    bridge: Any

    def load_mission(self, package: Path) -> None:
        """Open and load ``package`` through the dock as a user would; the long legends folded."""
        from qgis.core import QgsProject

        if not self.dock.open_package(package):
            raise SystemExit("The demo package did not open.")
        result = self.dock.load()
        if result is None or not result.added:
            raise SystemExit(f"The demo mission did not load: {self.dock.statusLabel.text()}")
        self.tree_view.expandAll()
        for node in QgsProject.instance().layerTreeRoot().findLayers():  # NDVI ramp, population ramp
            if node.layer() is not None and node.layer().customProperty("mew/layer_id") in ("ndvi", "population"):
                node.setExpanded(False)

    def wait_for_map(self) -> None:
        """Redraw the map and wait until it is drawn (a minute at most)."""
        self.canvas.refreshAllLayers()
        settle(1.0)
        deadline = time.time() + 60
        while self.canvas.isDrawing() and time.time() < deadline:
            settle(0.1)
        settle(0.3)

    def close(self) -> None:
        self.dock.tabs.setCurrentIndex(0)
        self.window.close()
        self.bridge = None


def mission_window(width: int, height: int) -> MissionWindow:
    """Build and show the window, ``width`` × ``height`` pixels."""
    from qgis.core import QgsLayerTreeModel, QgsProject
    from qgis.gui import QgsLayerTreeMapCanvasBridge, QgsLayerTreeView, QgsMapCanvas, QgsMessageBar
    from qgis.PyQt.QtCore import QCoreApplication, Qt
    from qgis.PyQt.QtWidgets import QDockWidget, QMainWindow, QVBoxLayout, QWidget

    from mission_early_warning.ui.mission_dock import MissionDock

    window = QMainWindow()
    window.setWindowTitle("QGIS — Mission Early Warning")
    central = QWidget()
    layout = QVBoxLayout(central)
    layout.setContentsMargins(0, 0, 0, 0)
    bar = QgsMessageBar()
    canvas = QgsMapCanvas()
    canvas.setCanvasColor(Qt.GlobalColor.white)
    layout.addWidget(bar)
    layout.addWidget(canvas)
    window.setCentralWidget(central)
    project = QgsProject.instance()
    bridge = QgsLayerTreeMapCanvasBridge(project.layerTreeRoot(), canvas)
    tree_view = QgsLayerTreeView()
    model = QgsLayerTreeModel(project.layerTreeRoot())
    model.setFlag(QgsLayerTreeModel.Flag.ShowLegend, True)
    model.setFlag(QgsLayerTreeModel.Flag.AllowNodeChangeVisibility, True)
    tree_view.setModel(model)
    # QGIS's own dock title, in QGIS's language
    layers_dock = QDockWidget(QCoreApplication.translate("QgisApp", "Layers"), window)
    layers_dock.setObjectName("Layers")
    layers_dock.setWidget(tree_view)
    window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, layers_dock)

    dock = MissionDock(_Iface(window, canvas, bar), window)
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    window.resize(width, height)
    window.resizeDocks([layers_dock, dock], [330, 520], Qt.Orientation.Horizontal)
    window.show()
    settle(0.5)  # let the layout give the canvas its final size before the dock zooms it
    return MissionWindow(window, canvas, tree_view, model, dock, bridge)


def save_png(widget, output: Path, palette: bool = False) -> Path:
    """Save what ``widget`` shows as a PNG; with ``palette``, in 256 colours (a seventh of the size)."""
    from qgis.PyQt.QtCore import Qt
    from qgis.PyQt.QtGui import QImage

    output.parent.mkdir(parents=True, exist_ok=True)
    image = widget.grab().toImage()
    if palette:  # undithered: flat widget colours stay flat and compress well; text and maps look the same
        image = image.convertToFormat(QImage.Format.Format_Indexed8, Qt.ImageConversionFlag.ThresholdDither)
    if not image.save(str(output), "PNG", 0):  # 0: the strongest compression
        raise SystemExit(f"Could not write {output}")
    print(output)
    return output


def main(argv: list[str] | None = None) -> Path:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "dock.png")
    parser.add_argument("--analyses-output", type=Path, help="also save the Analyses tab (e.g. docs/dock_analyses.png)")
    parser.add_argument("--size", default="1500x900", help="window size, WIDTHxHEIGHT")
    args = parser.parse_args(argv)
    import_plugin()

    work = Path(tempfile.mkdtemp(prefix="mew-screenshot-"))
    session = start_qgis(work / "profile")
    from mission_early_warning.demo.generate import DEFAULT_SEED, generate_mission

    package = generate_mission(work / "demo" / "mission", DEFAULT_SEED)
    width, height = (int(v) for v in args.size.split("x"))
    shot = mission_window(width, height)
    shot.load_mission(package)
    for tab, output in [(0, args.output)] + ([(1, args.analyses_output)] if args.analyses_output else []):
        shot.dock.tabs.setCurrentIndex(tab)
        shot.wait_for_map()
        save_png(shot.window, output)
    shot.close()
    session.close()
    shutil.rmtree(work, ignore_errors=True)  # the generated demo data and the throw-away profile
    return args.output


if __name__ == "__main__":
    main()
