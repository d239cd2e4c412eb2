"""The mission dock: the GIS officer's starting point.

Open a mission package (folder or GeoPackage), see what it holds and what is
wrong with it, load it grouped and styled, and run the analyses on it.
"""

from __future__ import annotations

import datetime as dt
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from qgis.core import (
    Qgis,
    QgsApplication,
    QgsMapLayer,
    QgsMessageLog,
    QgsProcessingOutputFile,
    QgsProcessingOutputFolder,
    QgsProcessingOutputHtml,
    QgsProject,
    QgsRasterLayer,
    QgsSettings,
    QgsTask,
    QgsVectorLayer,
)
from qgis.gui import QgsMessageBarItem
from qgis.PyQt import uic
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP, QEventLoop, Qt, QUrl, pyqtSignal, pyqtSlot
from qgis.PyQt.QtGui import QBrush, QColor, QDesktopServices, QIcon
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QFileDialog,
    QFrame,
    QHeaderView,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTreeWidgetItem,
)

from ..core.errors import MewError, OperationCancelled
from ..core.foreign_threads import hold_thread_state
from ..core.io import atomic_write_text, same_file
from ..core.mission_package.package import MissionPackage, open_package
from ..core.mission_package.problems import ERROR, NOTE, WARNING, Problem, has_errors, layer_status
from ..core.mission_package.report import report_html, report_text
from ..core.mission_package.validation import validate
from ..core.progress import Progress
from ..paths import UI_DIR, algorithm_icon_path
from .analyses import (
    ANALYSES,
    IMPORT_INCIDENTS,
    REPLACES_ROLE,
    Analysis,
    analysis,
    is_available,
    needs_import,
    preset_parameters,
)
from .mission_loader import LoadResult, load_mission, loads_by_default, mission_group, mission_layers
from .mission_outputs import latest_output, output_destinations, output_extension, outputs_folder
from .warnings_tab import WarningsTab

_FORM, _ = uic.loadUiType(str(UI_DIR / "mission_dock.ui"))

SETTINGS_PREFIX = "mission_early_warning/"
RECENT_KEY = SETTINGS_PREFIX + "recent_missions"
LAST_KEY = SETTINGS_PREFIX + "last_package"
TAB_KEY = SETTINGS_PREFIX + "dock_tab"
SPLITTER_KEY = SETTINGS_PREFIX + "dock_splitter"
REPORT_DIR_KEY = SETTINGS_PREFIX + "report_folder"
MAX_RECENT = 8

STATUS_COLOURS = {"OK": "#1b7a1b", WARNING: "#a15c00", ERROR: "#b00020", NOTE: "#3b5b8c"}
STATUS_TEXT = {
    "OK": QT_TRANSLATE_NOOP("MissionDock", "OK"),
    WARNING: QT_TRANSLATE_NOOP("MissionDock", "warning"),
    ERROR: QT_TRANSLATE_NOOP("MissionDock", "ERROR"),
    NOTE: QT_TRANSLATE_NOOP("MissionDock", "note"),
}
CHECKING_COLOUR = "#6b6b6b"
#: The subgroup of the mission group that holds what the dock's runs made.
ANALYSES_GROUP = "analyses"


class PackageCheck(QgsTask):
    """Validates a mission package on a worker thread, in QGIS's task manager: progress, cancel, the problems.

    ``ended`` is emitted with the check itself once it has ended (on the GUI thread), whether it found the
    problems, was cancelled (``problems`` None) or failed (``failure``).
    """

    ended = pyqtSignal(object)

    def __init__(self, package: MissionPackage, description: str) -> None:
        super().__init__(description, QgsTask.Flag.CanCancel)
        self.package = package
        self.problems: Optional[list[Problem]] = None
        self.failure: Optional[Exception] = None

    def run(self) -> bool:
        """Validate the package (worker thread: no widget is touched here)."""
        hold_thread_state()  # a pooled task thread: see core.foreign_threads
        try:
            self.problems = validate(self.package, Progress(report=self.setProgress, is_canceled=self.isCanceled))
        except OperationCancelled:
            return False
        except Exception as error:  # reported on the GUI thread, once the check has ended
            self.failure = error
            return False
        return True

    @pyqtSlot()
    def stop(self) -> None:
        """Cancel, as a Qt slot: it can follow a signal whatever that carries, and goes with the check."""
        self.cancel()

    def finished(self, result: bool) -> None:
        """Hand the outcome over (GUI thread); ``result`` is False when cancelled or failed, as ``problems`` tells."""
        _RUNNING_CHECKS.discard(self)
        self.ended.emit(self)


#: Checks under way: the task manager holds the C++ side only, and a check must outlive the dock that started it.
_RUNNING_CHECKS: set[PackageCheck] = set()


@dataclass
class RecentOutput:
    """One output of an analysis run from the dock during this session."""

    alg_id: str
    alg_name: str
    output: str  # output parameter name, e.g. OUTPUT
    description: str
    value: str  # a file path or a project layer id
    label: str  # how the dock names it: the file's name in words (``Hot spots 2026-12-03 0915.gpkg``)


class MissionDock(QDockWidget, _FORM):
    """Dock widget whose layout lives in ``mission_dock.ui``."""

    def __init__(self, iface, parent=None) -> None:
        super().__init__(parent)
        self.iface = iface
        self.setupUi(self)
        self.setObjectName("MissionEarlyWarningDock")
        for label in (self.classificationLabel, self.statusLabel):
            label.setTextFormat(Qt.TextFormat.PlainText)  # they show the package's own texts: never as HTML
        for label in (self.missionLabel, self.statusLabel):
            # Paths and output names have no place to wrap: shown whole, they would widen the dock.
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.outputsList.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.outputsList.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.outputsList.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.package: Optional[MissionPackage] = None
        self.problems: list[Problem] = []
        self.check: Optional[PackageCheck] = None  # the check under way, if any
        self.checked = False  # the open package's problems are known (its check ran to the end)
        self.last_load: Optional[LoadResult] = None
        self.outputs: list[RecentOutput] = []
        self.dialogs: list[Any] = []  # keeps open Processing dialogs alive
        self.analysis_buttons: dict[str, QPushButton] = {}
        self.replaced_roles: dict[str, str] = {}  # role -> output standing in for it (see REPLACES_ROLE)
        self.handed_out: set[Path] = set()  # output files offered to dialogs: no second dialog gets the same

        header = self.layerTree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.problemTree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.problemTree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self._build_analysis_buttons()
        self.warningsTab = WarningsTab(self)
        scrolled = QScrollArea(self)  # a long form: scrolled, it does not make the dock taller than the others
        scrolled.setWidgetResizable(True)
        scrolled.setFrameShape(QFrame.Shape.NoFrame)
        scrolled.setWidget(self.warningsTab)
        self.tabs.addTab(scrolled, self.tr("Warnings"))
        self.warningsTab.message.connect(self._message)
        self.openFolderButton.clicked.connect(self.choose_folder)
        self.openGeoPackageButton.clicked.connect(self.choose_geopackage)
        self.recentCombo.activated.connect(self._recent_chosen)
        self.revalidateButton.clicked.connect(self.revalidate)
        self.cancelCheckButton.clicked.connect(self.cancel_check)
        self.saveReportButton.clicked.connect(lambda: self.save_report())
        self.loadButton.clicked.connect(lambda: self.load(as_is=False))
        self.loadAsIsButton.clicked.connect(lambda: self.load(as_is=True))
        self.addOutputButton.clicked.connect(self.add_selected_output)
        self.layerTree.itemDoubleClicked.connect(
            lambda item, _column: self.load_layer(item.data(0, Qt.ItemDataRole.UserRole))
        )
        self.outputsList.itemDoubleClicked.connect(lambda item: self.add_output_to_map(self.outputsList.row(item)))
        self.outputsList.currentRowChanged.connect(self._show_outputs_state)
        self.tabs.currentChanged.connect(lambda index: QgsSettings().setValue(TAB_KEY, index))
        self.layersSplitter.splitterMoved.connect(self._save_splitter)
        registry = QgsApplication.processingRegistry()
        registry.providerAdded.connect(self.refresh_analysis_buttons)
        registry.providerRemoved.connect(self.refresh_analysis_buttons)
        project = QgsProject.instance()
        project.layersAdded.connect(self._show_layer_statuses)
        project.layersRemoved.connect(self._show_layer_statuses)
        self._show_package()
        self._show_outputs_state()
        self.restore_state()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API name
        self.refresh_analysis_buttons()  # a provider may have reloaded its algorithms meanwhile
        super().showEvent(event)

    # --- state ------------------------------------------------------------------------
    def restore_state(self) -> None:
        """Recent missions, the last package (reopened and checked), the tab and splitter."""
        settings = QgsSettings()
        self._fill_recent()
        self.tabs.setCurrentIndex(int(settings.value(TAB_KEY, 0) or 0))
        sizes = settings.value(SPLITTER_KEY, [])
        if isinstance(sizes, list) and len(sizes) == 2:
            self.layersSplitter.setSizes([int(s) for s in sizes])
        else:
            self.layersSplitter.setSizes([320, 160])
        last = settings.value(LAST_KEY, "")
        if last and Path(last).exists():
            self.open_package(last, remember=False, wait=False)

    def _save_splitter(self, *_args) -> None:
        QgsSettings().setValue(SPLITTER_KEY, self.layersSplitter.sizes())

    @staticmethod
    def recent_missions() -> list[str]:
        value = QgsSettings().value(RECENT_KEY, [])
        if isinstance(value, str):
            value = [value] if value else []
        return [str(v) for v in value or []]

    def _remember(self, location: str) -> None:
        recent = [location] + [r for r in self.recent_missions() if r != location]
        settings = QgsSettings()
        settings.setValue(RECENT_KEY, recent[:MAX_RECENT])
        settings.setValue(LAST_KEY, location)
        self._fill_recent()

    def _fill_recent(self) -> None:
        self.recentCombo.blockSignals(True)
        self.recentCombo.clear()
        self.recentCombo.addItem(self.tr("Open a mission package…"), "")
        for location in self.recent_missions():
            self.recentCombo.addItem(_short_location(location), location)
            self.recentCombo.setItemData(self.recentCombo.count() - 1, location, Qt.ItemDataRole.ToolTipRole)
        if self.package is not None:
            index = self.recentCombo.findData(str(self.package.location))
            self.recentCombo.setCurrentIndex(max(index, 0))
        self.recentCombo.blockSignals(False)

    def _recent_chosen(self, index: int) -> None:
        location = self.recentCombo.itemData(index)
        if location:
            self.open_package(location, wait=False)

    # --- opening and validating -------------------------------------------------------------
    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Mission package folder"), self._start_folder())
        if folder:
            self.open_package(folder, wait=False)

    def choose_geopackage(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, self.tr("Mission package GeoPackage"), self._start_folder(), self.tr("GeoPackage (*.gpkg)")
        )
        if path:
            self.open_package(path, wait=False)

    def _start_folder(self) -> str:
        recent = self.recent_missions()
        return str(Path(recent[0]).parent) if recent else str(Path.home())

    def open_package(self, location: str | Path, remember: bool = True, wait: bool = True) -> bool:
        """Read a package, list its layers and check them; False if it is no package at all.

        The check runs as a QGIS task, off the GUI thread: the dock shows its progress and can cancel it,
        and lists the problems when it ends. With ``wait`` (scripts) this returns once the check has ended;
        the dock's own buttons do not wait.
        """
        try:
            package = open_package(location)
        except MewError as error:
            self._message(str(error), Qgis.MessageLevel.Critical)
            return False
        if self.check is not None:  # checking the package open so far: its outcome is no longer wanted
            previous, self.check = self.check, None
            previous.progressChanged.disconnect(self._show_check_progress)
            previous.cancel()
        if self.package is None or self.package.key != package.key:
            self.replaced_roles = self._earlier_stand_ins(package)
        self.package = package
        self.problems = []
        self.checked = False
        self.warningsTab.set_package(package)
        if remember:
            self._remember(str(package.location))
        self._start_check(package)
        if wait:
            self.wait_for_check()
        return True

    def revalidate(self) -> None:
        """Read the open package's manifest and check every layer again."""
        if self.package is not None:
            self.open_package(self.package.location, remember=False, wait=False)

    def _start_check(self, package: MissionPackage) -> None:
        check = PackageCheck(package, self.tr("Checking mission package {}").format(package.name))
        check.progressChanged.connect(self._show_check_progress)
        check.ended.connect(self._check_ended)
        self.destroyed.connect(check.stop)  # nobody would see its outcome
        self.check = check
        _RUNNING_CHECKS.add(check)
        self.checkProgress.setValue(0)
        self._show_package()
        QgsApplication.taskManager().addTask(check)

    def wait_for_check(self) -> None:
        """Return once the check under way has ended; the dock keeps answering meanwhile (progress, Cancel)."""
        check = self.check
        if check is None:
            return
        loop = QEventLoop()
        check.ended.connect(loop.quit)
        loop.exec()

    def cancel_check(self) -> None:
        """Stop the check under way, if any: the package stays open, unchecked."""
        if self.check is not None:
            self.check.cancel()

    @pyqtSlot(float)
    def _show_check_progress(self, percent: float) -> None:
        self.checkProgress.setValue(int(percent))

    def _check_ended(self, check: PackageCheck) -> None:
        if check is not self.check:
            return  # replaced by the check of another package (or of this one again)
        self.check = None
        self.problems = check.problems or []
        self.checked = check.problems is not None
        self._show_package()
        if isinstance(check.failure, MewError):
            self._message(str(check.failure), Qgis.MessageLevel.Critical)
        elif check.failure is not None:
            QgsMessageLog.logMessage(
                "".join(traceback.format_exception(check.failure)),
                self.tr("Mission Early Warning"),
                Qgis.MessageLevel.Critical,
            )
            self._message(
                self.tr("The check of {} failed ({}): see the log for the details.").format(
                    check.package.name, check.failure
                ),
                Qgis.MessageLevel.Critical,
            )
        elif not self.checked:
            self._message(
                self.tr("The check of {} was cancelled: use 'Check again' or 'Load as is'.").format(check.package.name),
                Qgis.MessageLevel.Info,
            )
        elif errors := sum(problem.is_error for problem in self.problems):
            self._message(
                self.tr("{} has {} error(s): fix them or use 'Load as is'.").format(check.package.name, errors),
                Qgis.MessageLevel.Warning,
            )

    def _show_package(self) -> None:
        package = self.package
        has_package = package is not None
        checking = self.check is not None
        for widget in (self.revalidateButton, self.saveReportButton, self.loadButton, self.loadAsIsButton):
            widget.setEnabled(has_package)
        self.checkProgress.setVisible(checking)
        self.cancelCheckButton.setVisible(checking)
        self.layerTree.clear()
        self.problemTree.clear()
        self.refresh_analysis_buttons()
        if package is None:
            self.missionLabel.setText(self.tr("No mission package open."))
            self.classificationLabel.setVisible(False)
            return
        errors = has_errors(self.problems)
        self.loadButton.setEnabled(self.checked and not errors)
        if not self.checked:
            self.loadButton.setToolTip(self.tr("The package is not checked yet."))
        else:
            self.loadButton.setToolTip(
                self.tr("Fix the errors listed first, or use 'Load as is'.") if errors else self.tr("Load every layer")
            )
        self.loadAsIsButton.setEnabled(not checking and (errors or not self.checked))
        self.saveReportButton.setEnabled(self.checked)
        self.missionLabel.setText(
            f"<b>{_escape(package.name)}</b><br><small>{_escape(str(package.location))} · "
            f"CRS {_escape(package.crs or '?')} · {len(package.layers)} layers</small>"
        )
        self.classificationLabel.setText(package.classification or self.tr("(no classification given)"))
        self.classificationLabel.setStyleSheet(
            "QLabel { background: #b00020; color: white; font-weight: bold; padding: 3px; }"
        )
        self.classificationLabel.setVisible(True)
        for entry in package.layers:
            item = QTreeWidgetItem([entry.display_name, entry.role, ""])
            item.setData(0, Qt.ItemDataRole.UserRole, entry.id)
            item.setData(1, Qt.ItemDataRole.UserRole, entry.theme)
            item.setToolTip(
                0,
                _plain_tooltip(
                    self.tr("{} ({}): {} — double-click to load this layer alone").format(
                        entry.id, entry.theme, entry.path
                    )
                ),
            )
            self.layerTree.addTopLevelItem(item)
        self._show_layer_statuses()
        for problem in self.problems:
            item = QTreeWidgetItem(
                [
                    self.tr(STATUS_TEXT[problem.severity]),
                    problem.layer_id or self.tr("package"),
                    f"{problem.message}\n→ {problem.action}",
                ]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, problem)
            item.setToolTip(2, _plain_tooltip(self.tr("{}\nWhat to do: {}").format(problem.message, problem.action)))
            item.setForeground(0, QBrush(QColor(STATUS_COLOURS[problem.severity])))
            self.problemTree.addTopLevelItem(item)
        if checking:
            self.statusLabel.setText(self.tr("Checking {}…").format(package.name))
        elif not self.checked:
            self.statusLabel.setText(self.tr("Not checked."))
        else:
            self.statusLabel.setText(
                self.tr("{} error(s), {} warning(s).").format(
                    sum(p.is_error for p in self.problems), sum(p.severity == WARNING for p in self.problems)
                )
            )

    def _show_layer_statuses(self, *_changed_layers) -> None:
        """The status column: the check's verdict, and for a layer the manifest does not load by default,
        whether it is on the map now (the project's layers come and go, so this follows them)."""
        if self.package is None:
            return
        checking = self.check is not None
        loaded = self.loaded_layers()
        for index in range(self.layerTree.topLevelItemCount()):
            item = self.layerTree.topLevelItem(index)
            entry = self.package.entry(item.data(0, Qt.ItemDataRole.UserRole))
            if entry is None:
                continue
            status = layer_status(self.problems, entry.id)
            text, colour = self.tr(STATUS_TEXT[status]), STATUS_COLOURS[status]
            if not self.checked:
                text, colour = self.tr("checking…") if checking else self.tr("not checked"), CHECKING_COLOUR
            elif status == "OK" and not loads_by_default(entry) and entry.id not in loaded:
                text = self.tr("OK (not loaded)")
            item.setText(2, text)
            item.setForeground(2, QBrush(QColor(colour)))

    def layer_rows(self) -> list[tuple[str, str, str, str]]:
        """(layer id, role, theme, status) of each listed layer, as shown."""
        rows = []
        for index in range(self.layerTree.topLevelItemCount()):
            item = self.layerTree.topLevelItem(index)
            rows.append(
                (
                    item.data(0, Qt.ItemDataRole.UserRole),
                    item.text(1),
                    item.data(1, Qt.ItemDataRole.UserRole),
                    item.text(2),
                )
            )
        return rows

    def problem_rows(self) -> list[tuple[str, str, str]]:
        """(severity, layer, problem text) of each listed problem, as shown."""
        return [
            (item.text(0), item.text(1), item.text(2))
            for item in (self.problemTree.topLevelItem(i) for i in range(self.problemTree.topLevelItemCount()))
        ]

    # --- report -----------------------------------------------------------------------------
    def save_report(self, path: Optional[str] = None) -> Optional[Path]:
        """Write the validation report (HTML, or text for a .txt name); asks where when ``path`` is None."""
        if self.package is None or not self.checked:
            return None
        if path is None:
            start = QgsSettings().value(REPORT_DIR_KEY, str(Path.home()))
            suggested = str(Path(start) / f"{_safe_name(self.package.name)}_validation.html")
            path, _filter = QFileDialog.getSaveFileName(
                self, self.tr("Save validation report"), suggested, self.tr("HTML (*.html);;Text (*.txt)")
            )
            if not path:
                return None
        target = Path(path)
        overwritten = next((f for f in self.package.files() if same_file(target, f)), None)
        if overwritten is not None:
            self._message(
                self.tr(
                    "Report not saved: '{}' is a file of the mission package ({}), which is never overwritten. "
                    "Choose another name or folder for the report."
                ).format(target, overwritten.name),
                Qgis.MessageLevel.Critical,
            )
            return None
        text = (
            report_text(self.package, self.problems)
            if target.suffix.lower() == ".txt"
            else report_html(self.package, self.problems)
        )
        atomic_write_text(target, text)
        QgsSettings().setValue(REPORT_DIR_KEY, str(target.parent))
        self._message(self.tr("Validation report saved to {}").format(target), Qgis.MessageLevel.Info)
        return target

    # --- loading ------------------------------------------------------------------------------
    def load(self, as_is: bool = False) -> Optional[LoadResult]:
        """Load the open package into the current project (nothing if it has errors, unless ``as_is``)."""
        if self.package is None or self._still_checking() or not (self.checked or as_is):
            return None
        canvas = self.iface.mapCanvas() if self.iface is not None else None
        try:
            result = load_mission(self.package, self.problems, QgsProject.instance(), canvas, as_is=as_is)
        except MewError as error:
            self._message(str(error), Qgis.MessageLevel.Warning)
            return None
        self.last_load = result
        if result.added:
            text = self.tr("Loaded {} layer(s) of {}.").format(len(result.added), self.package.name)
        else:
            text = self.tr("{} is already loaded: nothing added.").format(self.package.name)
        if result.skipped and as_is:
            text += " " + self.tr("Not loaded: {}.").format(", ".join(result.skipped))
        self._message(text, Qgis.MessageLevel.Success if result.added else Qgis.MessageLevel.Info)
        self.refresh_analysis_buttons()
        return result

    def load_layer(self, layer_id: str) -> Optional[LoadResult]:
        """Load one layer of the package (also one the manifest does not load by default), e.g. on double click."""
        if self.package is None or self._still_checking():
            return None
        problems = [p for p in self.problems if p.layer_id in (None, layer_id)]
        try:
            result = load_mission(self.package, problems, QgsProject.instance(), None, only={layer_id})
        except MewError as error:
            self._message(str(error), Qgis.MessageLevel.Warning)
            return None
        if result.added:
            self._message(self.tr("Loaded {}.").format(layer_id), Qgis.MessageLevel.Success)
        return result

    def _still_checking(self) -> bool:
        """True (and the user told so) while the package is being checked: its layers load once it is done."""
        if self.check is None:
            return False
        self._message(
            self.tr("{} is still being checked: load it once the check ends.").format(self.check.package.name),
            Qgis.MessageLevel.Info,
        )
        return True

    # --- analyses --------------------------------------------------------------------------------
    def _build_analysis_buttons(self) -> None:
        """One button per analysis, one under the other in the order of the officer's workflow (ANALYSES)."""
        for row, spec in enumerate(ANALYSES):
            name_id = spec.alg_id.split(":")[-1]
            button = QPushButton(QIcon(str(algorithm_icon_path(name_id))), self.tr(spec.label), self.analysesBox)
            button.setObjectName(f"run_{name_id}")
            button.clicked.connect(lambda _checked=False, alg_id=spec.alg_id: self.run_analysis(alg_id))
            self.analysesLayout.addWidget(button, row, 0)
            self.analysis_buttons[spec.alg_id] = button

    def refresh_analysis_buttons(self, *_args) -> None:
        """Enable a button when its algorithm is registered and a mission is open; say why not otherwise."""
        if QgsApplication.processingRegistry() is None:  # QGIS is shutting down: its providers are going
            return
        for alg_id, button in self.analysis_buttons.items():
            available = is_available(alg_id)
            button.setEnabled(available and self.package is not None)
            spec = analysis(alg_id)
            if not available:
                button.setToolTip(
                    self.tr(
                        "{} is not available: the Mission Early Warning provider does not offer it "
                        "(see the log for a missing dependency)."
                    ).format(alg_id)
                )
            elif self.package is None:
                button.setToolTip(self.tr("Open a mission package first."))
            elif spec is not None and needs_import(spec, self.package, self.replaced_roles):
                button.setToolTip(
                    self.tr(
                        "Open {} with this mission's layers filled in, once the incidents are imported: "
                        "run Import incidents first."
                    ).format(alg_id)
                )
            else:
                button.setToolTip(self.tr("Open {} with this mission's layers filled in.").format(alg_id))

    def run_analysis(self, alg_id: str):
        """What an analysis button does: open the prefilled dialog, or first steer the officer to the import
        when the analysis would run on the raw incident table. Returns the dialog opened, if any."""
        spec = analysis(alg_id)
        if self.package is not None and spec is not None and needs_import(spec, self.package, self.replaced_roles):
            self._offer(
                self.tr(
                    "{} needs the imported incidents: the package's incident table is not imported yet, and its "
                    "rows with impossible or swapped coordinates or unreadable dates would be analysed too. "
                    "Run Import incidents first; {} then takes the imported layer."
                ).format(self.tr(spec.label), self.tr(spec.label)),
                self.tr("Import incidents"),
                lambda: self.run_analysis(IMPORT_INCIDENTS),
                Qgis.MessageLevel.Warning,
            )
            return None
        return self.open_analysis(alg_id, spec)

    def open_analysis(self, alg_id: str, spec: Optional[Analysis] = None):
        """Open the Processing dialog of ``alg_id`` prefilled from the mission; returns the dialog (shown).

        Its outputs are new files in the mission's outputs folder, named in words, rather than temporary
        layers that closing QGIS would lose.
        """
        spec = spec or analysis(alg_id)
        if self.package is None or spec is None:
            return None
        algorithm = QgsApplication.processingRegistry().createAlgorithmById(alg_id)
        if algorithm is None:
            self._message(self.tr("{} is not available.").format(alg_id), Qgis.MessageLevel.Warning)
            return None
        parameters = {
            **preset_parameters(spec, self.package, replaced=self.replaced_roles),
            **self._new_output_files(algorithm),
        }
        parent = self.iface.mainWindow() if self.iface is not None else self
        dialog = algorithm.createCustomParametersWidget(parent)
        if not dialog:
            from processing.gui.AlgorithmDialog import AlgorithmDialog

            dialog = AlgorithmDialog(algorithm, parent=parent)
        dialog.setParameters(parameters)
        if hasattr(dialog, "algorithmFinished"):
            dialog.algorithmFinished.connect(
                lambda ok, results, alg=algorithm, d=dialog: self._run_finished(d, alg, results) if ok else None
            )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(lambda _obj=None, d=dialog: self._forget_dialog(d))
        self.dialogs.append(dialog)
        dialog.show()
        return dialog

    @staticmethod
    def _earlier_stand_ins(package: MissionPackage) -> dict[str, str]:
        """Outputs an earlier session wrote into the outputs folder that stand in for a role (the imported
        incidents, the coverage drawn), as long as no file of the package has changed since they were made."""
        try:
            newer_than = max(path.stat().st_mtime for path in package.files() if path.exists())
        except (OSError, ValueError):
            return {}
        registry = QgsApplication.processingRegistry()
        stand_ins: dict[str, str] = {}
        for (alg_id, output_name), role in REPLACES_ROLE.items():
            algorithm = registry.algorithmById(alg_id)
            definition = algorithm.parameterDefinition(output_name) if algorithm is not None else None
            if definition is None:
                continue
            extension = output_extension(definition)
            found = latest_output(outputs_folder(package), definition.description(), extension, newer_than)
            if found is not None:
                stand_ins[role] = str(found)
        return stand_ins

    def _new_output_files(self, algorithm) -> dict[str, str]:
        """A new file in the mission's outputs folder for each output of ``algorithm`` (created when needed);
        nothing when the folder cannot be made (a read-only medium): Processing's own defaults then apply."""
        folder = outputs_folder(self.package)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            self._message(
                self.tr("The outputs folder {} cannot be created ({}): choose where each output goes.").format(
                    folder, error.strerror or error
                ),
                Qgis.MessageLevel.Warning,
            )
            return {}
        return output_destinations(algorithm, folder, dt.datetime.now(), self.handed_out)

    def _run_finished(self, dialog, algorithm, results: dict) -> None:
        """A run from the dock ended well: list its outputs, and give the dialog new files for a next run
        (when it stays open), so that running again never writes over what the first run made."""
        self._record_results(algorithm, results)
        if dialog in self.dialogs and self.package is not None:
            dialog.setParameters(self._new_output_files(algorithm))

    def _forget_dialog(self, dialog) -> None:
        if dialog in self.dialogs:
            self.dialogs.remove(dialog)

    def _record_results(self, algorithm, results: dict) -> None:
        """List the outputs of a finished run, file the layers Processing loaded under the mission's analyses
        group, let an output stand in for its role, and offer to open a PDF it made."""
        project = QgsProject.instance()
        for output in algorithm.outputDefinitions():
            if isinstance(output, (QgsProcessingOutputHtml, QgsProcessingOutputFolder)):
                continue
            value = results.get(output.name())
            if not isinstance(value, str) or not value:
                continue
            layer = project.mapLayer(value)
            if layer is None and not (
                isinstance(output, QgsProcessingOutputFile) or Path(value.split("|")[0]).exists()
            ):
                continue
            label = layer.name() if layer is not None else Path(value.split("|")[0]).name
            record = RecentOutput(
                algorithm.id(), algorithm.displayName(), output.name(), output.description(), value, label
            )
            self.outputs.insert(0, record)
            item = QListWidgetItem(label)
            item.setToolTip(_plain_tooltip(f"{record.alg_name} — {record.description}\n{value}"))
            self.outputsList.insertItem(0, item)
            self.outputsList.setCurrentRow(0)
            for loaded in self._layers_of(value):
                self._file_under_analyses(loaded, record)
            role = REPLACES_ROLE.get((algorithm.id(), output.name()))
            if role is not None:
                self.replaced_roles[role] = value
                self.statusLabel.setText(self.tr("The next analyses use {} as the mission's {}.").format(label, role))
            if value.lower().endswith(".pdf") and Path(value).is_file():
                self._offer(
                    self.tr("{} saved as {}.").format(record.description, label),
                    self.tr("Open"),
                    lambda path=value: QDesktopServices.openUrl(QUrl.fromLocalFile(path)),
                    Qgis.MessageLevel.Success,
                )
        self._show_outputs_state()
        self.refresh_analysis_buttons()

    @staticmethod
    def _layers_of(value: str) -> list[QgsMapLayer]:
        """The project's layers that are the output ``value``: the layer of that id, or the layers of that file."""
        project = QgsProject.instance()
        layer = project.mapLayer(value)
        if layer is not None:
            return [layer]
        path = value.split("|")[0]
        return [lyr for lyr in project.mapLayers().values() if lyr.source().split("|")[0] == path]

    def _analyses_group(self):
        """The mission's analyses group (made when missing), or the project's top when no mission is loaded."""
        project = QgsProject.instance()
        group = mission_group(self.package, project) if self.package is not None else None
        parent = group if group is not None else project.layerTreeRoot()
        return parent.findGroup(ANALYSES_GROUP) or parent.insertGroup(0, ANALYSES_GROUP)

    def _file_under_analyses(self, layer: QgsMapLayer, record: RecentOutput) -> None:
        """Move an output layer into the mission's analyses group, wherever Processing put it (the top of the
        tree, the results group, the group selected in the Layers panel), named as the outputs list names it."""
        project = QgsProject.instance()
        if project.mapLayer(record.value) is None:  # a file: the layer takes its name in words
            layer.setName(Path(record.label).stem)
        node = project.layerTreeRoot().findLayer(layer.id())
        target = self._analyses_group()
        if node is None:
            target.insertLayer(0, layer)
        elif node.parent() is not target:
            target.insertChildNode(0, node.clone())
            node.parent().removeChildNode(node)

    def _show_outputs_state(self, *_args) -> None:
        self.addOutputButton.setEnabled(self.outputsList.currentRow() >= 0)

    def add_selected_output(self) -> None:
        row = self.outputsList.currentRow()
        if row >= 0:
            self.add_output_to_map(row)

    def add_output_to_map(self, row: int) -> Optional[QgsMapLayer]:
        """Add a recent output to the map (into the mission's 'analyses' group), or show it if already there."""
        record = self.outputs[row]
        project = QgsProject.instance()
        existing = self._layers_of(record.value)
        if existing:
            node = project.layerTreeRoot().findLayer(existing[0].id())
            if node is not None:
                node.setItemVisibilityCheckedParentRecursive(True)
            return existing[0]
        name = Path(record.label).stem
        layer = QgsRasterLayer(record.value, name)
        if not layer.isValid():
            layer = QgsVectorLayer(record.value, name, "ogr")
        if not layer.isValid():
            self._message(self.tr("Cannot open {} as a map layer.").format(record.value), Qgis.MessageLevel.Warning)
            return None
        project.addMapLayer(layer, False)
        self._analyses_group().addLayer(layer)
        return layer

    # --- helpers -----------------------------------------------------------------------------
    def loaded_layers(self) -> dict[str, QgsMapLayer]:
        return mission_layers(self.package, QgsProject.instance()) if self.package is not None else {}

    def _message(self, text: str, level) -> None:
        self.statusLabel.setText(text)
        shown = (Qgis.MessageLevel.Critical, Qgis.MessageLevel.Warning, Qgis.MessageLevel.Success)
        if self.iface is not None and level in shown:
            # The message bar shows HTML; messages quote the package's names and paths, which are shown as written.
            self.iface.messageBar().pushMessage(
                self.tr("Mission Early Warning"), _escape(text), level=level, duration=8
            )

    def _offer(self, text: str, action_text: str, action: Callable[[], Any], level) -> None:
        """A message with a button that does what it offers (open the PDF, import the incidents first)."""
        self.statusLabel.setText(text)
        if self.iface is None:
            return
        item = QgsMessageBarItem(self.tr("Mission Early Warning"), _escape(text), level, 20)
        button = QPushButton(action_text, item)  # the item owns it: Python would delete a button it owned
        button.clicked.connect(lambda _checked=False: action())
        item.setWidget(button)
        self.iface.messageBar().pushItem(item)


def _escape(text: str) -> str:
    from html import escape

    return escape(text)


def _plain_tooltip(text: str) -> str:
    """A tooltip that shows ``text`` as written: Qt would read text that looks like HTML as HTML."""
    return f"<p style='white-space:pre-wrap'>{_escape(text)}</p>"


def _short_location(location: str) -> str:
    """The last two parts of a package path: enough to tell packages apart in the combo box."""
    parts = Path(location).parts
    return "/".join(parts[-2:]) if len(parts) >= 2 else location


def _safe_name(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in text).strip("_") or "mission"
