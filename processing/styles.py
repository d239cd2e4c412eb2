"""QML styles that depend on the data (a colour ramp stretched to an output's maximum) or on the officer's
language (class labels)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from xml.sax.saxutils import escape, unescape

from qgis.core import QgsProcessingUtils

from ..core.messages import current_language, map_word
from ..paths import STYLES

_LABEL = re.compile(r'\blabel="([^"]*)"')
_QUOTE = {'"': "&quot;"}


def rescaled_density_qml(maximum: float, template: str = "incident_density") -> str:
    """The density style with its ramp stops (stored as fractions 0–1) scaled to ``maximum``.

    Zero stays fully transparent, so only where incidents are is coloured.
    """
    scale = maximum if maximum > 0 else 1.0
    root = ElementTree.fromstring((STYLES / f"{template}.qml").read_text(encoding="utf-8"))
    for renderer in root.iter("rasterrenderer"):
        renderer.set("classificationMin", "0")
        renderer.set("classificationMax", repr(scale))
    for shader in root.iter("colorrampshader"):
        shader.set("minimumValue", "0")
        shader.set("maximumValue", repr(scale))
        for item in shader.iter("item"):
            value = float(item.get("value", "0")) * scale
            item.set("value", repr(value))
            item.set("label", f"{value:.4g}")
    doctype = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
    return doctype + ElementTree.tostring(root, encoding="unicode")


def style_in_language(qml: Path) -> Path:
    """``qml`` with its class labels (``Hot spot – 99 % confidence``) in the language the engine speaks,
    written to Processing's temporary folder; ``qml`` itself when no label changes (English).

    The labels are the plugin's words, translated by :func:`..core.messages.map_word`, as a briefing
    map's legend prints them.
    """
    text = qml.read_text(encoding="utf-8")
    translated = _LABEL.sub(_label_in_language, text)
    if translated == text:
        return qml
    written = Path(QgsProcessingUtils.tempFolder()) / current_language() / qml.name
    written.parent.mkdir(parents=True, exist_ok=True)
    written.write_text(translated, encoding="utf-8")
    return written


def _label_in_language(found: re.Match) -> str:
    label = unescape(found.group(1), _QUOTE)
    said = map_word(label)
    return found.group(0) if said == label else f'label="{escape(said, _QUOTE)}"'
