"""The officer's language: the one answer to "which language does QGIS speak here".

The translator, the help pages and the engine's messages all follow it, so a French QGIS gets French
everywhere at once.
"""

from __future__ import annotations

from qgis.core import QgsSettings
from qgis.PyQt.QtCore import QLocale

#: QGIS's own setting of the interface language (``fr_FR``); empty until the user overrides the system's.
LOCALE_KEY = "locale/userLocale"


def officer_language() -> str:
    """The two-letter code of QGIS's interface language (``fr``), read now: a change applies from the next call."""
    return str(QgsSettings().value(LOCALE_KEY, "") or QLocale().name())[:2].lower()
