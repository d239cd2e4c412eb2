"""A French QGIS shows the algorithms' help and their styles' classes in French; every English help page has its
French twin, same shape."""

from __future__ import annotations

import re

import pytest
from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QUrl

from mission_early_warning.paths import HELP
from mission_early_warning.processing.provider import ALGORITHMS, PROVIDER_ID

NAMES = [module for module, _class in ALGORITHMS]
FRENCH = HELP / "fr"
#: Words of the English pages' headings and first section: a French page holding them was not translated.
ENGLISH_HEADINGS = ("What you get", "Parameters", "Method", "References")


def _algorithm(name: str):
    algorithm = QgsApplication.processingRegistry().algorithmById(f"{PROVIDER_ID}:{name}")
    assert algorithm is not None, name
    return algorithm


def _headings(html: str) -> list[str]:
    return re.findall(r"<(h[1-6])>", html)


def _items(html: str) -> int:
    return len(re.findall(r"<(?:li|dt)>", html))


def _names_listed(html: str, names: set[str]) -> set[str]:
    """The parameter and output names (``CELL_SIZE``) a page mentions, among ``names``."""
    text = re.sub(r"<[^>]+>", " ", html)
    return set(re.findall(r"\b[A-Z][A-Z0-9_]*[A-Z0-9]\b", text)) & names


@pytest.mark.parametrize("name", NAMES)
def test_every_english_page_has_a_french_twin_of_the_same_shape(mew_provider, name):
    english = (HELP / f"{name}.html").read_text(encoding="utf-8")
    french_page = FRENCH / f"{name}.html"
    assert french_page.is_file(), f"resources/help/fr/{name}.html is missing"
    french = french_page.read_text(encoding="utf-8")
    assert _headings(french) == _headings(english)
    assert _items(french) == _items(english)
    algorithm = _algorithm(name)
    names = {p.name() for p in algorithm.parameterDefinitions()} | {o.name() for o in algorithm.outputDefinitions()}
    assert _names_listed(english, names), "the English page names no parameter: this check would prove nothing"
    assert _names_listed(french, names) == _names_listed(english, names)
    assert french.startswith("<h3>Ce que vous obtenez</h3>")
    assert not [word for word in ENGLISH_HEADINGS if f">{word}<" in french]


@pytest.mark.parametrize("name", NAMES)
def test_french_locale_gives_the_french_page_and_english_stays_english(mew_provider, name, french_locale):
    algorithm = _algorithm(name)
    french = (FRENCH / f"{name}.html").read_text(encoding="utf-8")
    assert algorithm.shortHelpString() == french
    assert QUrl(algorithm.helpUrl()).toLocalFile() == str(FRENCH / f"{name}.html")


def test_a_language_without_pages_falls_back_to_english(mew_provider, qgis_app):
    from mission_early_warning.tests.conftest import qgis_language

    with qgis_language("sw_KE"):
        algorithm = _algorithm("hotspots")
        assert algorithm.shortHelpString() == (HELP / "hotspots.html").read_text(encoding="utf-8")
        assert QUrl(algorithm.helpUrl()).toLocalFile() == str(HELP / "hotspots.html")


def test_outputs_styled_in_a_french_qgis_name_their_classes_in_french(mew, tmp_path, french_locale):
    """The class labels of our styles, as the layer panel and any later map show them."""
    from qgis.core import QgsVectorLayer

    from mission_early_warning.tests.test_styles import clustered_incidents

    out = str(tmp_path / "hot.gpkg")
    mew.run("mew:hotspots", {"INPUT": clustered_incidents(), "GRID": "fishnet", "OUTPUT": out})
    cells = QgsVectorLayer(out, "points chauds", "ogr")  # its default style, stored by the algorithm
    labels = {category.label() for category in cells.renderer().categories()}
    assert {"Point chaud – confiance 99 %", "Non significatif", "Point froid – confiance 90 %"} <= labels
    assert not [label for label in labels if "spot" in label or "confidence" in label]


def test_styles_stay_as_written_in_english(qgis_app):
    from mission_early_warning.core.messages import speaking
    from mission_early_warning.paths import STYLES
    from mission_early_warning.processing.styles import style_in_language

    with speaking("en"):
        assert style_in_language(STYLES / "hotspots_gi_bin.qml") == STYLES / "hotspots_gi_bin.qml"
    with speaking("fr"):
        french = style_in_language(STYLES / "drought_classes.qml")
    assert french != STYLES / "drought_classes.qml"
    assert 'label="Sécheresse extrême (VCI &lt; 10)"' in french.read_text(encoding="utf-8")
