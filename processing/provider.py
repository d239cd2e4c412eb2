"""The ``mew`` Processing provider."""

from __future__ import annotations

import importlib

from qgis.core import Qgis, QgsMessageLog, QgsProcessingProvider
from qgis.PyQt.QtGui import QIcon

from ..core.dependencies import install_hint
from ..paths import ICON_PATH

PROVIDER_ID = "mew"
LOG_TAG = "Mission Early Warning"

#: (module in this package, algorithm class). Modules are imported one by one
#: so that an algorithm whose Python dependency is missing is left out with a
#: logged reason while the others still load.
ALGORITHMS: tuple[tuple[str, str], ...] = (
    ("importincidents", "ImportIncidentsAlgorithm"),
    ("incidentdensity", "IncidentDensityAlgorithm"),
    ("hotspots", "HotSpotsAlgorithm"),
    ("emerginghotspots", "EmergingHotSpotsAlgorithm"),
    ("droughtindex", "DroughtIndexAlgorithm"),
    ("droughtchange", "DroughtChangeAlgorithm"),
    ("patrolcoverage", "PatrolCoverageAlgorithm"),
    ("coveragegaps", "CoverageGapsAlgorithm"),
    ("earlywarninggrid", "EarlyWarningGridAlgorithm"),
    ("briefingmap", "BriefingMapAlgorithm"),
    ("forecastaccuracy", "ForecastAccuracyAlgorithm"),
    ("patrolvalidation", "PatrolValidationAlgorithm"),
    ("warningsreport", "WarningsReportAlgorithm"),
)


class MissionEarlyWarningProvider(QgsProcessingProvider):
    """Offers the plugin's analyses in the Processing toolbox and ``qgis_process``."""

    def __init__(self) -> None:
        super().__init__()
        self.unavailable: dict[str, str] = {}

    def id(self) -> str:
        return PROVIDER_ID

    def name(self) -> str:
        return "Mission Early Warning"

    def longName(self) -> str:  # noqa: N802 - QGIS API name
        return self.name()

    def icon(self) -> QIcon:
        return QIcon(str(ICON_PATH))

    def loadAlgorithms(self) -> None:  # noqa: N802
        self.unavailable.clear()
        for module_name, class_name in ALGORITHMS:
            try:
                module = importlib.import_module(f".{module_name}", __package__)
            except ImportError as error:
                missing = error.name or str(error)
                self.unavailable[module_name] = missing
                QgsMessageLog.logMessage(
                    f"The '{module_name}' algorithm is not available: {install_hint(missing)}",
                    LOG_TAG,
                    Qgis.MessageLevel.Warning,
                )
                continue
            self.addAlgorithm(getattr(module, class_name)())
