"""Analyses on QGIS's pooled task threads, as the desktop runs them: again and again on the same threads.

QGIS desktop runs a Processing algorithm started from its dialog, and the dock
runs its package check, on threads of a pool that Python did not create and that
are reused. With pyproj 3.7.0 and 3.7.1 (Debian 13's QGIS 3.40 and 3.44), the
second piece of pyproj work on such a thread crashed the process (see
``core/foreign_threads.py``). The runs happen in a child process, so a crash
fails this test instead of ending the test session.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = r"""
import importlib.util, os, sys
from pathlib import Path
from qgis.core import (QgsApplication, QgsCoordinateTransformContext, QgsFeature, QgsGeometry, QgsPointXY,
                       QgsProcessingAlgRunnerTask, QgsProcessingContext, QgsProcessingFeedback, QgsTask,
                       QgsVectorFileWriter, QgsVectorLayer)
app = QgsApplication([], False)
app.initQgis()
spec = importlib.util.spec_from_file_location("mission_early_warning", ROOT + "/__init__.py",
                                              submodule_search_locations=[ROOT])
module = importlib.util.module_from_spec(spec)
sys.modules["mission_early_warning"] = module
spec.loader.exec_module(module)
from mission_early_warning.processing.provider import MissionEarlyWarningProvider
PROVIDER = MissionEarlyWarningProvider()  # kept: the registry holds only the C++ side
QgsApplication.processingRegistry().addProvider(PROVIDER)

folder = Path(sys.argv[1])
layer = QgsVectorLayer("Point?crs=EPSG:32630&field=id:integer", "incidents", "memory")
for i in range(50):
    feature = QgsFeature(layer.fields())
    feature.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(500000 + 97 * (i % 7), 1500000 + 131 * (i % 5))))
    feature.setAttributes([i])
    layer.dataProvider().addFeature(feature)
options = QgsVectorFileWriter.SaveVectorOptions()
options.driverName = "GPKG"
points = str(folder / "incidents.gpkg")
QgsVectorFileWriter.writeAsVectorFormatV3(layer, points, QgsCoordinateTransformContext(), options)

def wait(task):
    while task.status() not in (QgsTask.TaskStatus.Complete, QgsTask.TaskStatus.Terminated):
        app.processEvents()
    return task.status() == QgsTask.TaskStatus.Complete

algorithm = QgsApplication.processingRegistry().createAlgorithmById("mew:incidentdensity")
for run in range(8):
    context, feedback = QgsProcessingContext(), QgsProcessingFeedback()
    parameters = {"INPUT": points, "RADIUS": 300, "PIXEL_SIZE": 50, "OUTPUT": str(folder / f"density_{run}.tif")}
    task = QgsProcessingAlgRunnerTask(algorithm, parameters, context, feedback)
    QgsApplication.taskManager().addTask(task)
    assert wait(task), f"run {run} failed"
    assert (folder / f"density_{run}.tif").exists()
print("algorithms ok", flush=True)
"""


def test_analyses_run_again_and_again_on_qgis_task_threads(tmp_path):
    script = f"ROOT = {str(ROOT)!r}\n" + SCRIPT
    done = subprocess.run(
        [sys.executable, "-P", "-c", script, str(tmp_path)], capture_output=True, text=True, timeout=300, cwd="/"
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "algorithms ok" in done.stdout
