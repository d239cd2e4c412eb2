"""Take the README's screenshot of the mission dock with the demo mission loaded.

Run from the repository root (offscreen, no display needed; Xvfb works too)::

    QT_QPA_PLATFORM=offscreen .venv/bin/python -P scripts/screenshot_dock.py [--output docs/dock.png]

It generates the demo mission into a temporary folder, builds a small QGIS
main window (layer tree, map canvas, the dock on the right), opens and loads
the package through the dock as a user would, waits for the map to render
and saves a PNG of the window. A throw-away QGIS profile keeps the user's
settings (recent missions) untouched.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent


def _import_plugin():
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


def _settle(seconds: float) -> None:
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


def main(argv: list[str] | None = None) -> Path:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "dock.png")
    parser.add_argument("--analyses-output", type=Path, help="also save the Analyses tab (e.g. docs/dock_analyses.png)")
    parser.add_argument("--size", default="1500x900", help="window size, WIDTHxHEIGHT")
    args = parser.parse_args(argv)
    _import_plugin()

    from qgis.core import QgsApplication, QgsProject
    from qgis.gui import QgsLayerTreeMapCanvasBridge, QgsLayerTreeView, QgsMapCanvas, QgsMessageBar
    from qgis.PyQt.QtCore import Qt
    from qgis.PyQt.QtWidgets import QDockWidget, QMainWindow, QVBoxLayout, QWidget

    work = Path(tempfile.mkdtemp(prefix="mew-screenshot-"))
    app = QgsApplication([], True, str(work / "profile"))
    app.initQgis()
    from processing.core.Processing import Processing

    Processing.initialize()

    from mission_early_warning.demo.generate import DEFAULT_SEED, generate_mission
    from mission_early_warning.processing.provider import MissionEarlyWarningProvider
    from mission_early_warning.ui.mission_dock import MissionDock

    provider = MissionEarlyWarningProvider()
    QgsApplication.processingRegistry().addProvider(provider)
    package = generate_mission(work / "demo" / "mission", DEFAULT_SEED)

    width, height = (int(v) for v in args.size.split("x"))
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
    from qgis.core import QgsLayerTreeModel

    model = QgsLayerTreeModel(project.layerTreeRoot())
    model.setFlag(QgsLayerTreeModel.Flag.ShowLegend, True)
    model.setFlag(QgsLayerTreeModel.Flag.AllowNodeChangeVisibility, True)
    tree_view.setModel(model)
    layers_dock = QDockWidget("Layers", window)
    layers_dock.setObjectName("Layers")
    layers_dock.setWidget(tree_view)
    window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, layers_dock)

    dock = MissionDock(_Iface(window, canvas, bar), window)
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    window.resize(width, height)
    window.resizeDocks([layers_dock, dock], [330, 520], Qt.Orientation.Horizontal)
    window.show()
    _settle(0.5)  # let the layout give the canvas its final size before the dock zooms it

    if not dock.open_package(package):
        raise SystemExit("The demo package did not open.")
    result = dock.load()
    if result is None or not result.added:
        raise SystemExit(f"The demo mission did not load: {dock.statusLabel.text()}")
    tree_view.expandAll()
    for node in project.layerTreeRoot().findLayers():  # collapse long legends (NDVI ramp, incident types)
        if node.layer() is not None and node.layer().customProperty("mew/layer_id") in ("ndvi", "population"):
            node.setExpanded(False)
    shots = [(0, args.output)] + ([(1, args.analyses_output)] if args.analyses_output else [])
    for tab, output in shots:
        dock.tabs.setCurrentIndex(tab)
        canvas.refreshAllLayers()
        _settle(1.0)
        deadline = time.time() + 60
        while canvas.isDrawing() and time.time() < deadline:
            _settle(0.1)
        _settle(0.3)
        output.parent.mkdir(parents=True, exist_ok=True)
        if not window.grab().save(str(output)):
            raise SystemExit(f"Could not write {output}")
        print(output)
    dock.tabs.setCurrentIndex(0)
    window.close()
    del bridge
    QgsApplication.processingRegistry().removeProvider(provider)
    project.clear()
    shutil.rmtree(work, ignore_errors=True)  # the generated demo data and the throw-away profile
    return args.output


if __name__ == "__main__":
    main()
