"""Mission Early Warning: early-warning analyses for peacekeeping GIS officers."""


def classFactory(iface):  # noqa: N802 - name fixed by the QGIS plugin API
    """Create the plugin; the import is deferred so QGIS starts fast."""
    from .plugin import MissionEarlyWarningPlugin

    return MissionEarlyWarningPlugin(iface)
