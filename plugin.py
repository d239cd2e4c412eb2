"""The plugin object QGIS creates: registers the provider, the dock and the menu."""

from __future__ import annotations

from pathlib import Path

from qgis.core import Qgis, QgsApplication, QgsMessageLog
from qgis.PyQt.QtCore import QCoreApplication, Qt, QTranslator
from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import QAction

from .core import messages
from .core.dependencies import install_hint, missing_packages
from .language import officer_language
from .paths import ICON_PATH

MENU = "&Mission Early Warning"
LOG_TAG = "Mission Early Warning"
#: The compiled translations, ``mission_early_warning_<language>.qm``: built by ``make translations``/``make package``.
I18N_DIR = Path(__file__).resolve().parent / "i18n"


def install_translator() -> QTranslator | None:
    """Install the translation for QGIS's language (:func:`officer_language`), when the plugin has one.

    The translator installed, or ``None``.
    """
    path = I18N_DIR / f"mission_early_warning_{officer_language()}.qm"
    translator = QTranslator()
    if not path.is_file() or not translator.load(str(path)):
        return None
    QCoreApplication.installTranslator(translator)
    return translator


class MissionEarlyWarningPlugin:
    """Owns everything the plugin adds to QGIS, so that :meth:`unload` can take it all back.

    ``iface`` is ``None`` under ``qgis_process``: then only the Processing
    provider is registered.
    """

    def __init__(self, iface) -> None:
        self.iface = iface
        # Before the provider and the dock exist: their strings are translated as they are made.
        self.translator = install_translator()
        # The engine's messages too (the dock's checks); each algorithm run speaks QGIS's language anyway.
        messages.set_language(officer_language())
        self.provider = None
        self.dock = None
        self.actions: list[QAction] = []
        self.missing = missing_packages()
        for package in self.missing:
            QgsMessageLog.logMessage(
                f"Mission Early Warning: {install_hint(package)} The analyses that need it are not offered.",
                LOG_TAG,
                Qgis.MessageLevel.Critical,
            )

    @staticmethod
    def tr(text: str) -> str:
        return QCoreApplication.translate("MissionEarlyWarning", text)

    # --- Processing -------------------------------------------------------------------
    def initProcessing(self) -> None:  # noqa: N802 - name fixed by the QGIS plugin API
        """Register the ``mew`` provider; safe to call more than once."""
        if self.provider is not None:
            return
        from .processing.provider import MissionEarlyWarningProvider

        # Keep the reference: the registry does not own Python providers' wrappers.
        self.provider = MissionEarlyWarningProvider()
        QgsApplication.processingRegistry().addProvider(self.provider)

    # --- GUI ----------------------------------------------------------------------------
    def initGui(self) -> None:  # noqa: N802
        self.initProcessing()
        if self.iface is None:
            return
        from .core import parallel

        parallel.set_fork_allowed(False)  # QGIS desktop: forking a GUI process with Qt's threads may deadlock
        if self.missing:
            self.iface.messageBar().pushMessage(
                "Mission Early Warning",
                self.tr("Missing Python packages: {} (see the log for how to install them).").format(
                    ", ".join(self.missing)
                ),
                level=Qgis.MessageLevel.Warning,
            )
        action = QAction(QIcon(str(ICON_PATH)), self.tr("Mission Early Warning"), self.iface.mainWindow())
        action.setObjectName("mewShowDock")
        action.setCheckable(True)
        action.triggered.connect(self.toggle_dock)
        self.iface.addPluginToMenu(MENU, action)
        self.iface.addToolBarIcon(action)
        self.actions.append(action)

    def toggle_dock(self, visible: bool = True) -> None:
        """Show or hide the mission dock, creating it on first use."""
        if self.dock is None:
            from .ui.mission_dock import MissionDock

            self.dock = MissionDock(self.iface, self.iface.mainWindow())
            self.iface.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
            self.dock.visibilityChanged.connect(self._sync_action)
        self.dock.setVisible(visible)

    def _sync_action(self, visible: bool) -> None:
        for action in self.actions:
            action.setChecked(visible)

    def unload(self) -> None:
        """Remove the provider, dock, menu entries and toolbar icons."""
        from .core import parallel

        parallel.set_fork_allowed(True)
        for action in self.actions:
            self.iface.removePluginMenu(MENU, action)
            self.iface.removeToolBarIcon(action)
            action.deleteLater()
        self.actions.clear()
        if self.dock is not None:
            self.iface.removeDockWidget(self.dock)
            self.dock.close()
            self.dock.deleteLater()
            self.dock = None
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
        if self.translator is not None:
            QCoreApplication.removeTranslator(self.translator)
            self.translator = None
        messages.set_language(messages.ENGLISH)
