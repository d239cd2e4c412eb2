"""Root conftest: import the plugin the way QGIS does, as ``mission_early_warning``.

The repository root is the plugin folder. If it were on ``sys.path`` our
``processing`` package would shadow QGIS's, so it is removed here and the
root is registered as the package ``mission_early_warning`` instead.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
PACKAGE = "mission_early_warning"

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("GDAL_CACHEMAX", "64")


def _is_root(entry: str) -> bool:
    try:
        return Path(entry or os.getcwd()).resolve() == ROOT
    except OSError:
        return False


sys.path[:] = [entry for entry in sys.path if not _is_root(entry)]
QGIS_PYTHON_PLUGINS = "/usr/share/qgis/python/plugins"
if QGIS_PYTHON_PLUGINS not in sys.path:
    sys.path.append(QGIS_PYTHON_PLUGINS)

if PACKAGE not in sys.modules:
    spec = importlib.util.spec_from_file_location(PACKAGE, ROOT / "__init__.py", submodule_search_locations=[str(ROOT)])
    module = importlib.util.module_from_spec(spec)
    sys.modules[PACKAGE] = module
    spec.loader.exec_module(module)
