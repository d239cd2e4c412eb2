"""The plugin loads, registers and unloads the way QGIS drives it."""

from __future__ import annotations

import sys

from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QCoreApplication, QEvent

import mission_early_warning
from mission_early_warning.core import parallel
from mission_early_warning.processing.provider import PROVIDER_ID


def test_root_is_not_on_sys_path_and_processing_is_qgis_s():
    import processing as top_level_processing
    from qgis import processing as qgis_processing

    from mission_early_warning import processing as ours

    assert "/usr/share/qgis/python/plugins/processing" in top_level_processing.__file__
    assert callable(qgis_processing.run)
    assert ours is not top_level_processing
    assert not any(str(mission_early_warning.__path__[0]) == p for p in sys.path)


def test_load_init_unload_leaves_nothing_behind(qgis_app, desktop_iface):
    registry = QgsApplication.processingRegistry()
    docks_before = len(desktop_iface.docks())

    plugin = mission_early_warning.classFactory(desktop_iface)
    plugin.initGui()
    plugin.initProcessing()  # QGIS may call both; the second call must not add a second provider

    assert registry.providerById(PROVIDER_ID) is not None
    assert [p.id() for p in registry.providers()].count(PROVIDER_ID) == 1
    assert "&Mission Early Warning" in desktop_iface.plugin_menus()
    assert desktop_iface.plugin_toolbar.actions()

    plugin.actions[0].trigger()  # opens the dock as the menu entry does
    assert len(desktop_iface.docks()) == docks_before + 1
    assert not plugin.dock.isHidden()  # the offscreen main window itself is never shown
    # QGIS desktop is a GUI process: no share of work is ever forked from it, whatever thread runs the algorithm
    assert parallel.strategy() is not parallel.Strategy.FORK

    plugin.unload()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # what the event loop does next
    assert registry.providerById(PROVIDER_ID) is None
    assert "&Mission Early Warning" not in desktop_iface.plugin_menus()
    assert not desktop_iface.plugin_toolbar.actions()
    assert len(desktop_iface.docks()) == docks_before
    assert parallel._fork_allowed  # unload gives the process back as it was


def test_headless_load_without_iface_registers_only_the_provider(qgis_app):
    plugin = mission_early_warning.classFactory(None)
    plugin.initProcessing()
    registry = QgsApplication.processingRegistry()
    try:
        assert registry.providerById(PROVIDER_ID) is plugin.provider
    finally:
        plugin.unload()
    assert registry.providerById(PROVIDER_ID) is None


def test_missing_runtime_package_is_reported_not_fatal(qgis_app, monkeypatch):
    """Without rasterio the plugin still loads, says what to install, and offers what does not need it."""
    messages: list[str] = []

    def record(message, tag, level):
        messages.append(message)

    for name in list(sys.modules):  # import the provider and algorithms afresh, as on a machine without rasterio
        if name.startswith(("mission_early_warning.processing", "mission_early_warning.core")):
            monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "rasterio", None)  # import rasterio now raises ImportError
    QgsApplication.messageLog().messageReceived.connect(record)
    try:
        plugin = mission_early_warning.classFactory(None)
        plugin.initProcessing()
        offered = {algorithm.name() for algorithm in plugin.provider.algorithms()}
        unavailable = dict(plugin.provider.unavailable)
        plugin.unload()
    finally:
        QgsApplication.messageLog().messageReceived.disconnect(record)
    assert plugin.missing == ["rasterio"]
    assert any("rasterio" in m and "python3-rasterio" in m for m in messages)
    assert unavailable and set(unavailable.values()) == {"rasterio"}
    assert {"droughtindex", "droughtchange"} <= set(unavailable)
    assert offered and not offered & set(unavailable)
