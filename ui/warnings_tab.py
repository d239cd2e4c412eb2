"""The mission dock's *Warnings* tab: the Early Warning Tracking Form, kept in the mission package.

Issue a warning over the selected features of an analysis's polygon layer (hot spot cells, patrol coverage
gaps, areas of new drought): the warned area is their union in the mission CRS, the source is the layer with
its provenance record, the threat is guessed from the analysis that made it. Then record the action taken,
its date and the outcome, and close it; every change goes into the warning's history. The list can show
all, open or overdue warnings. What is stored, and where, is :mod:`..core.warnings_register`'s business.
"""

from __future__ import annotations

import getpass
from datetime import datetime, timezone
from pathlib import Path
from typing import Optional

from qgis.core import (
    Qgis,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsGeometry,
    QgsProject,
    QgsVectorLayer,
)
from qgis.gui import QgsMapLayerComboBox
from qgis.PyQt import uic
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP, QDateTime, Qt, pyqtSignal
from qgis.PyQt.QtWidgets import QHeaderView, QListWidgetItem, QSizePolicy, QTreeWidgetItem, QWidget

from ..core.errors import MewError
from ..core.mission_package.package import MissionPackage
from ..core.warnings_register import (
    ACTIONED,
    CLOSED,
    CONFIDENCES,
    OPEN,
    OTHER_THREAT,
    THREAT_BY_ALGORITHM,
    Change,
    EarlyWarning,
    issue_warning,
    read_history,
    read_warnings,
    register_location,
    update_warning,
)
from ..paths import UI_DIR
from ..processing.provenance_store import record_of_layer
from ..qgis_compat import LayerFilter

_FORM, _ = uic.loadUiType(str(UI_DIR / "warnings_tab.ui"))

#: How the tab names the statuses, confidence levels and filters (stored values stay in English).
STATUS_WORDS = {
    OPEN: QT_TRANSLATE_NOOP("WarningsTab", "open"),
    ACTIONED: QT_TRANSLATE_NOOP("WarningsTab", "actioned"),
    CLOSED: QT_TRANSLATE_NOOP("WarningsTab", "closed"),
}
CONFIDENCE_WORDS = {
    "low": QT_TRANSLATE_NOOP("WarningsTab", "low"),
    "medium": QT_TRANSLATE_NOOP("WarningsTab", "medium"),
    "high": QT_TRANSLATE_NOOP("WarningsTab", "high"),
}
#: The register's fields as the history names them (the register keeps its column names).
FIELD_WORDS = {
    "status": QT_TRANSLATE_NOOP("WarningsTab", "status"),
    "threat_type": QT_TRANSLATE_NOOP("WarningsTab", "threat"),
    "source_layer": QT_TRANSLATE_NOOP("WarningsTab", "source layer"),
    "source_algorithm": QT_TRANSLATE_NOOP("WarningsTab", "source analysis"),
    "source_provenance": QT_TRANSLATE_NOOP("WarningsTab", "source provenance"),
    "confidence": QT_TRANSLATE_NOOP("WarningsTab", "confidence"),
    "recommended_action": QT_TRANSLATE_NOOP("WarningsTab", "recommended action"),
    "responsible_unit": QT_TRANSLATE_NOOP("WarningsTab", "responsible unit"),
    "action_taken": QT_TRANSLATE_NOOP("WarningsTab", "action taken"),
    "action_date": QT_TRANSLATE_NOOP("WarningsTab", "action date"),
    "outcome": QT_TRANSLATE_NOOP("WarningsTab", "outcome"),
}
#: The fields whose values are codes of the register, and the words they are shown in.
CODE_WORDS = {"status": STATUS_WORDS, "confidence": CONFIDENCE_WORDS}
FILTERS = (
    ("all", QT_TRANSLATE_NOOP("WarningsTab", "All warnings")),
    ("open", QT_TRANSLATE_NOOP("WarningsTab", "Open warnings")),
    ("overdue", QT_TRANSLATE_NOOP("WarningsTab", "Overdue warnings")),
)
#: The threats offered, in the officer's words (what the register stores is the text chosen or typed).
THREAT_WORDS = {
    "Incident hot spot": QT_TRANSLATE_NOOP("WarningsTab", "Incident hot spot"),
    "Emerging incident hot spot": QT_TRANSLATE_NOOP("WarningsTab", "Emerging incident hot spot"),
    "Incident concentration": QT_TRANSLATE_NOOP("WarningsTab", "Incident concentration"),
    "Patrol coverage gap": QT_TRANSLATE_NOOP("WarningsTab", "Patrol coverage gap"),
    "New drought (pressure on water and pasture)": QT_TRANSLATE_NOOP(
        "WarningsTab", "New drought (pressure on water and pasture)"
    ),
    "Drought (pressure on water and pasture)": QT_TRANSLATE_NOOP(
        "WarningsTab", "Drought (pressure on water and pasture)"
    ),
    OTHER_THREAT: QT_TRANSLATE_NOOP("WarningsTab", "Other threat"),
}


class WarningsTab(QWidget, _FORM):
    """The Warnings tab; ``message`` carries (text, Qgis.MessageLevel) for the dock to show."""

    message = pyqtSignal(str, object)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setupUi(self)
        self.package: Optional[MissionPackage] = None
        self.warnings: list[EarlyWarning] = []
        self.layerCombo = QgsMapLayerComboBox(self)
        self.layerCombo.setFilters(LayerFilter.PolygonLayer)
        self.layerCombo.setAllowEmptyLayer(True)
        self.sourceLayout.addWidget(self.layerCombo)
        for label in (self.selectionLabel, self.registerLabel):
            label.setTextFormat(Qt.TextFormat.PlainText)  # layer names and paths, shown as written
            # A path has no place to wrap: shown whole, it would widen the dock.
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        for threat, words in THREAT_WORDS.items():
            self.threatCombo.addItem(self.tr(words), threat)
        for confidence in CONFIDENCES:
            self.confidenceCombo.addItem(self.tr(CONFIDENCE_WORDS[confidence]), confidence)
        self.confidenceCombo.setCurrentIndex(CONFIDENCES.index("medium"))
        for status, words in STATUS_WORDS.items():
            self.statusCombo.addItem(self.tr(words), status)
        for key, words in FILTERS:
            self.filterCombo.addItem(self.tr(words), key)
        self.actionDateEdit.setDateTime(QDateTime.currentDateTime())
        header = self.warningsTree.header()
        header.setStretchLastSection(False)
        for column in range(self.warningsTree.columnCount()):
            fit = QHeaderView.ResizeMode.Stretch if column == 1 else QHeaderView.ResizeMode.ResizeToContents
            header.setSectionResizeMode(column, fit)  # ids, statuses and days whole; the threat takes the rest
        self.warningsTree.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.historyList.setTextElideMode(Qt.TextElideMode.ElideRight)
        self._watched: Optional[QgsVectorLayer] = None
        self.layerCombo.layerChanged.connect(self._source_changed)
        self.issueButton.clicked.connect(lambda: self.issue())
        self.updateButton.clicked.connect(lambda: self.save_changes())
        self.filterCombo.currentIndexChanged.connect(lambda _index: self.show_warnings())
        self.overdueSpin.valueChanged.connect(lambda _value: self.show_warnings())
        self.warningsTree.currentItemChanged.connect(lambda *_items: self._show_selected())
        self.set_package(None)

    # --- the package --------------------------------------------------------------------------
    def set_package(self, package: Optional[MissionPackage]) -> None:
        """Show the register of ``package`` (none yet is an empty list)."""
        self.package = package
        self.setEnabled(package is not None)
        if package is None:
            self.registerLabel.setText(self.tr("Open a mission package to keep its warnings."))
            self.warnings = []
        else:
            self.registerLabel.setText(self.tr("Register: {}").format(self.register_path()))
            self.reload()
        self._source_changed(self.layerCombo.currentLayer())

    def register_path(self) -> Path:
        assert self.package is not None
        return register_location(self.package)

    def reload(self) -> None:
        """Read the register again and show it."""
        try:
            self.warnings = read_warnings(self.register_path()) if self.package is not None else []
        except MewError as error:
            self.warnings = []
            self.message.emit(str(error), Qgis.MessageLevel.Critical)
        self.show_warnings()

    # --- issuing ------------------------------------------------------------------------------
    def _source_changed(self, layer) -> None:
        if self._watched is not None:
            try:
                self._watched.selectionChanged.disconnect(self._show_selection)
            except (TypeError, RuntimeError):
                pass  # the layer is gone already
        self._watched = layer if isinstance(layer, QgsVectorLayer) else None
        if self._watched is not None:
            self._watched.selectionChanged.connect(self._show_selection)
            record = record_of_layer(self._watched)
            threat = THREAT_BY_ALGORITHM.get(record.algorithm, OTHER_THREAT) if record else OTHER_THREAT
            self.threatCombo.setCurrentIndex(max(self.threatCombo.findData(threat), 0))
        self._show_selection()

    def _show_selection(self, *_args) -> None:
        layer = self._watched
        count = layer.selectedFeatureCount() if layer is not None else 0
        self.issueButton.setEnabled(self.package is not None and count > 0)
        if layer is None:
            self.selectionLabel.setText(self.tr("Choose a polygon layer made by an analysis."))
        else:
            self.selectionLabel.setText(self.tr("{} feature(s) selected on {}").format(count, layer.name()))

    def issue(self) -> Optional[EarlyWarning]:
        """Issue a warning over the selected features of the source layer; the new warning, or None."""
        layer = self._watched
        if self.package is None or layer is None or not layer.selectedFeatureCount():
            self.message.emit(self.tr("Select the features to warn about first."), Qgis.MessageLevel.Warning)
            return None
        crs = self.package.crs or layer.crs().authid()
        try:
            area = self._selected_area(layer, QgsCoordinateReferenceSystem(crs))
            record = record_of_layer(layer)
            warning = issue_warning(
                self.register_path(),
                crs,
                area,
                self.threatCombo.currentText(),
                source_layer=layer.name(),
                source_algorithm=record.algorithm if record else "",
                source_provenance=record.to_json() if record else "",
                confidence=self.confidenceCombo.currentData(),
                recommended_action=self.recommendedEdit.text(),
                responsible_unit=self.unitEdit.text(),
                by=_user(),
            )
        except MewError as error:
            self.message.emit(str(error), Qgis.MessageLevel.Critical)
            return None
        self.reload()
        self.select_warning(warning.id)
        self.message.emit(self.tr("Warning {} issued.").format(warning.id), Qgis.MessageLevel.Success)
        return warning

    @staticmethod
    def _selected_area(layer: QgsVectorLayer, crs: QgsCoordinateReferenceSystem):
        """The union of the selected features in ``crs``, as a shapely geometry."""
        from shapely import wkb

        transform = QgsCoordinateTransform(layer.crs(), crs, QgsProject.instance())
        parts = []
        for feature in layer.getSelectedFeatures():
            geometry = QgsGeometry(feature.geometry())
            if geometry.isNull() or geometry.isEmpty():
                continue
            geometry.transform(transform)
            parts.append(geometry.makeValid() if not geometry.isGeosValid() else geometry)
        if not parts:
            raise MewError("The features selected on '{layer}' have no geometry: select areas.", layer=layer.name())
        return wkb.loads(bytes(QgsGeometry.unaryUnion(parts).asWkb()))

    # --- the list and updates -----------------------------------------------------------------
    def shown_warnings(self) -> list[EarlyWarning]:
        """The warnings the filter lets through, newest first."""
        wanted = self.filterCombo.currentData()
        now = datetime.now(timezone.utc)
        days = self.overdueSpin.value()
        kept = [
            warning
            for warning in self.warnings
            if wanted == "all"
            or (wanted == "open" and warning.status == OPEN)
            or (wanted == "overdue" and warning.is_overdue(days, now))
        ]
        return kept[::-1]

    def show_warnings(self) -> None:
        current = self.current_warning()
        self.warningsTree.clear()
        now, days = datetime.now(timezone.utc), self.overdueSpin.value()
        for warning in self.shown_warnings():
            status = self.tr(STATUS_WORDS.get(warning.status, warning.status))
            if warning.is_overdue(days, now):
                status = self.tr("{} (overdue)").format(status)
            response = warning.response_days()
            item = QTreeWidgetItem(
                [warning.id, warning.threat_type, status, f"{response:.1f}" if response is not None else ""]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, warning.id)
            item.setToolTip(
                0,
                self.tr("Issued {} from {}").format(f"{warning.issued:%Y-%m-%d %H:%M} UTC", warning.source_layer),
            )
            self.warningsTree.addTopLevelItem(item)
        if current is not None:
            self.select_warning(current.id)
        self._show_selected()

    def current_warning(self) -> Optional[EarlyWarning]:
        item = self.warningsTree.currentItem()
        if item is None:
            return None
        return next((w for w in self.warnings if w.id == item.data(0, Qt.ItemDataRole.UserRole)), None)

    def select_warning(self, warning_id: str) -> None:
        """Make the warning ``warning_id`` the selected one (when the filter shows it)."""
        for index in range(self.warningsTree.topLevelItemCount()):
            item = self.warningsTree.topLevelItem(index)
            if item.data(0, Qt.ItemDataRole.UserRole) == warning_id:
                self.warningsTree.setCurrentItem(item)
                return

    def _show_selected(self) -> None:
        warning = self.current_warning()
        self.updateBox.setEnabled(warning is not None and warning.status != CLOSED)
        self.historyList.clear()
        if warning is None:
            return
        self.actionEdit.setText(warning.action_taken)
        moment = warning.action_date or datetime.now(timezone.utc)
        self.actionDateEdit.setDateTime(QDateTime.fromSecsSinceEpoch(int(moment.timestamp())))
        self.outcomeEdit.setText(warning.outcome)
        self.statusCombo.setCurrentIndex(max(self.statusCombo.findData(warning.status), 0))
        for change in read_history(self.register_path(), warning.id):
            text = self.change_text(change)
            item = QListWidgetItem(text)
            item.setToolTip(text)
            self.historyList.addItem(item)
        self.updateBox.setEnabled(warning.status != CLOSED)

    def change_text(self, change: Change) -> str:
        """A line of the history in the officer's words: the field's name, and a status or confidence as words."""
        words = CODE_WORDS.get(change.field, {})

        def shown(value: str) -> str:
            return self.tr(words[value]) if value in words else value or "-"

        field = self.tr(FIELD_WORDS[change.field]) if change.field in FIELD_WORDS else change.field
        text = self.tr("{} {}: {} → {}").format(
            f"{change.changed:%Y-%m-%d %H:%M}", field, shown(change.old), shown(change.new)
        )
        return self.tr("{} (by {})").format(text, change.by) if change.by else text

    def save_changes(self) -> Optional[EarlyWarning]:
        """Record what the form says of the selected warning (action, its date, outcome, status)."""
        warning = self.current_warning()
        if warning is None:
            return None
        changes = {
            "action_taken": self.actionEdit.text(),
            "outcome": self.outcomeEdit.text(),
            "status": self.statusCombo.currentData(),
        }
        if self.actionEdit.text().strip():
            stamp = self.actionDateEdit.dateTime().toSecsSinceEpoch()
            changes["action_date"] = datetime.fromtimestamp(stamp, timezone.utc)
        try:
            updated = update_warning(self.register_path(), warning.id, changes, by=_user())
        except MewError as error:
            self.message.emit(str(error), Qgis.MessageLevel.Critical)
            return None
        self.reload()
        self.select_warning(updated.id)
        self.message.emit(self.tr("Warning {} saved.").format(updated.id), Qgis.MessageLevel.Info)
        return updated


def _user() -> str:
    """Who made a change: the account's name (history, not access control)."""
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):
        return ""
