"""QML styles that depend on the data (a colour ramp stretched to an output's maximum)."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

from ..paths import STYLES


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
