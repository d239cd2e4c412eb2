"""The mission dock: the GIS officer's starting point."""

from __future__ import annotations

from qgis.PyQt import uic
from qgis.PyQt.QtWidgets import QDockWidget

from ..paths import UI_DIR

_FORM, _ = uic.loadUiType(str(UI_DIR / "mission_dock.ui"))


class MissionDock(QDockWidget, _FORM):
    """Dock widget whose layout lives in ``mission_dock.ui``."""

    def __init__(self, iface, parent=None) -> None:
        super().__init__(parent)
        self.iface = iface
        self.setupUi(self)
        self.setObjectName("MissionEarlyWarningDock")
