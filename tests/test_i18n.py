"""The plugin speaks the officer's language: French, complete, loaded with the plugin and removed with it."""

from __future__ import annotations

import importlib
from collections.abc import Iterator

import pytest
from qgis.core import QgsProcessingParameterEnum
from qgis.PyQt.QtCore import QCoreApplication, QEvent
from qgis.PyQt.QtWidgets import QAbstractButton, QComboBox, QGroupBox, QLabel, QTabWidget, QTreeWidget

import mission_early_warning
from mission_early_warning import plugin as plugin_module
from mission_early_warning.processing.provider import ALGORITHMS
from mission_early_warning.scripts import translations

#: What the dock shows in English, none of which may be left in French.
ENGLISH_DOCK_TEXTS = {
    "Recent mission packages",
    "Folder…",
    "Open a mission package…",
    "No mission package open.",
    "Layers",
    "Layer",
    "Role",
    "Status",
    "Severity",
    "Problem",
    "Check again",
    "Save report…",
    "Load as is",
    "Load mission",
    "Run on this mission",
    "Outputs of this session",
    "Add to map",
    "Cancel",
    "Open a mission package first.",
    "Import incidents",
    "Incident density",
    "Hot spots (Gi*)",
    "Emerging hot spots",
    "Drought index (VCI)",
    "Drought change",
    "Patrol coverage",
    "Coverage gaps",
    "Briefing map",
    "Open a mission package folder (holding manifest.json)",
    "Read the manifest and check every layer again",
    "Save the validation report as HTML or text",
}


@pytest.fixture(scope="module")
def french_ts() -> dict[tuple[str, str], str | None]:
    return translations.read_ts(translations.ts_path("fr"))


@pytest.fixture()
def french(french_locale, tmp_path, monkeypatch) -> Iterator[None]:
    """QGIS set to French with the translations built: the plugin installs them when created."""
    monkeypatch.setattr(plugin_module, "I18N_DIR", tmp_path)
    translations.build(tmp_path)
    yield


def shown_texts(widget) -> set[str]:
    """Every text a widget and its children show: labels, buttons, titles, tabs, headers, tooltips and items."""
    texts = {widget.windowTitle()}
    for child in [widget, *widget.findChildren(object)]:
        if isinstance(child, (QAbstractButton, QLabel)):
            texts.add(child.text())
        if isinstance(child, QGroupBox):
            texts.add(child.title())
        if isinstance(child, QTabWidget):
            texts.update(child.tabText(i) for i in range(child.count()))
        if isinstance(child, QTreeWidget):
            header = child.headerItem()
            texts.update(header.text(i) for i in range(header.columnCount()))
        if isinstance(child, QComboBox):
            texts.update(child.itemText(i) for i in range(child.count()))
        if hasattr(child, "toolTip"):
            texts.add(child.toolTip())
    return texts


def algorithm_texts(alg) -> list[str]:
    """The words an algorithm shows in the toolbox and its dialog: name, group, labels, options and tooltips."""
    texts = [alg.displayName(), alg.group()]
    for parameter in alg.parameterDefinitions():
        texts.append(parameter.description())
        if parameter.help():
            texts.append(parameter.help())
        if isinstance(parameter, QgsProcessingParameterEnum):
            texts += parameter.options()
    return texts


def fresh_algorithms() -> list:
    algorithms = []
    for module_name, class_name in ALGORITHMS:
        module = importlib.import_module(f"mission_early_warning.processing.{module_name}")
        alg = getattr(module, class_name)()
        alg.initAlgorithm({})
        algorithms.append(alg)
    return algorithms


def test_every_marked_string_has_a_french_translation(french_ts):
    messages, problems = translations.all_messages()
    assert not problems
    assert len(messages) > 300
    unfinished = [message for message in messages if not french_ts.get(message)]
    assert not unfinished, f"run `make translations-update` and translate in i18n/*.ts: {unfinished[:5]}"
    for (context, source), french in french_ts.items():  # placeholders survive the translation
        assert french is None or french.count("{}") == source.count("{}"), (context, source)


def test_the_translations_build(tmp_path):
    (built,) = translations.build(tmp_path)
    assert built.name == "mission_early_warning_fr.qm"
    assert built.stat().st_size > 10_000


def test_dock_in_french_and_english_again_after_unload(french, desktop_iface):
    plugin = mission_early_warning.classFactory(desktop_iface)
    try:
        assert plugin.translator is not None
        plugin.initGui()
        plugin.actions[0].trigger()
        texts = shown_texts(plugin.dock)
        assert not texts & ENGLISH_DOCK_TEXTS, texts & ENGLISH_DOCK_TEXTS
        assert {"Vérifier à nouveau", "Charger la mission", "Points chauds (Gi*)"} <= texts
    finally:
        plugin.unload()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert plugin.translator is None
    assert QCoreApplication.translate("MissionDock", "Check again") == "Check again"
    assert QCoreApplication.translate("MewAlgorithm", "Drought") == "Drought"


def test_algorithms_in_french(french, french_ts):
    english = [algorithm_texts(alg) for alg in fresh_algorithms()]
    plugin = mission_early_warning.classFactory(None)
    try:
        french_texts = [algorithm_texts(alg) for alg in fresh_algorithms()]
    finally:
        plugin.unload()
    assert len(english) == 13
    for english_alg, french_alg in zip(english, french_texts):
        assert len(english_alg) == len(french_alg)
        # Some words are the same in French (Incidents, Epanechnikov): each is what the .ts says.
        for source, shown in zip(english_alg, french_alg):
            assert shown == french_ts[("MewAlgorithm", source)], source
        assert french_alg[0] != english_alg[0] and french_alg[1] != english_alg[1]
        assert sum(a != b for a, b in zip(english_alg, french_alg)) > 0.9 * len(english_alg)


def test_no_translation_for_a_language_without_one(qgis_app, monkeypatch, tmp_path):
    monkeypatch.setattr(plugin_module, "I18N_DIR", tmp_path)
    assert plugin_module.install_translator() is None


def test_early_warning_reasons_in_french(french):
    from mission_early_warning.core.early_warning import reason_text
    from mission_early_warning.processing.early_warning_parameters import translated_words

    parts = [("hotspot", {"code": 3}), ("vci_fell", {"points": 32}), ("patrol_days", {"days": 41})]
    assert reason_text(parts, *translated_words()) == (
        "intensifying hot spot; VCI fell 32 points; no patrol for 41 days"
    )
    plugin = mission_early_warning.classFactory(None)
    try:
        french_words = translated_words()
    finally:
        plugin.unload()
    assert reason_text(parts, *french_words) == (
        "point chaud en intensification; le VCI a perdu 32 points; aucune patrouille depuis 41 jours"
    )
    assert reason_text([("people", {"people": 14000})], *french_words).endswith("000 habitants")
