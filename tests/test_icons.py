"""Each analysis has its own icon: a small, self-contained SVG that QGIS draws in the toolbox and the dock."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from qgis.PyQt.QtCore import QBuffer, QByteArray, QIODevice
from qgis.PyQt.QtGui import QIcon, QImage
from qgis.PyQt.QtSvg import QSvgRenderer

from mission_early_warning.paths import ICON_PATH, ICONS

SVG = "{http://www.w3.org/2000/svg}"
#: What a plain hand-written icon never holds: code, text set in a font, or anything fetched from elsewhere.
FORBIDDEN_ELEMENTS = {"script", "text", "image", "foreignObject", "style", "use"}
WHITE = {"#ffffff", "#fff", "white"}
SIZE = 32


def registered_algorithms(provider) -> list:
    algorithms = sorted(provider.algorithms(), key=lambda algorithm: algorithm.name())
    assert len(algorithms) == 13, [algorithm.name() for algorithm in algorithms]
    return algorithms


def png_of(icon: QIcon) -> bytes:
    """The icon drawn at toolbox size, as PNG bytes (comparable where QImage objects are not)."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    assert icon.pixmap(SIZE, SIZE).toImage().convertToFormat(QImage.Format.Format_ARGB32).save(buffer, "PNG")
    return bytes(data)


def test_every_algorithm_has_its_own_plain_svg_icon(mew_provider):
    for algorithm in registered_algorithms(mew_provider):
        path = ICONS / f"{algorithm.name()}.svg"
        assert path.is_file(), f"resources/icons/{algorithm.name()}.svg is missing"
        root = ET.parse(path).getroot()
        assert root.tag == f"{SVG}svg" and root.get("viewBox") == "0 0 24 24", path.name
        elements = {element.tag.removeprefix(SVG) for element in root.iter()}
        assert not elements & FORBIDDEN_ELEMENTS, (path.name, elements & FORBIDDEN_ELEMENTS)
        attributes = [(name, value) for element in root.iter() for name, value in element.attrib.items()]
        assert not [name for name, _value in attributes if name.endswith("href") or name.startswith("on")], path.name
        assert not [value for _name, value in attributes if "url(" in value], path.name
        colours = {value.lower() for name, value in attributes if name in ("fill", "stroke") and value != "none"}
        assert 2 <= len(colours - WHITE) <= 3, (path.name, sorted(colours))
        assert QSvgRenderer(str(path)).isValid(), path.name
        assert not QIcon(str(path)).isNull(), path.name


def test_the_toolbox_shows_each_algorithm_with_its_own_distinct_icon(mew_provider):
    drawn = {algorithm.name(): png_of(algorithm.icon()) for algorithm in registered_algorithms(mew_provider)}
    for name, image in drawn.items():
        assert image == png_of(QIcon(str(ICONS / f"{name}.svg"))), f"{name} does not show its own icon"
    assert len(set(drawn.values())) == len(drawn), "two algorithms look the same"
    assert png_of(QIcon(str(ICON_PATH))) not in drawn.values(), "an algorithm still shows the plugin icon"


def test_an_algorithm_without_an_icon_file_falls_back_to_the_plugin_icon(tmp_path, monkeypatch):
    from mission_early_warning import paths

    monkeypatch.setattr(paths, "ICONS", tmp_path)
    assert paths.algorithm_icon_path("hotspots") == ICON_PATH


@pytest.mark.parametrize("path", sorted(ICONS.glob("*.svg")), ids=lambda path: path.name)
def test_icons_are_well_formed_xml_without_a_doctype(path):
    text = path.read_text(encoding="utf-8")
    ET.fromstring(text)
    assert not re.search(r"<!DOCTYPE|<!ENTITY", text), path.name
