"""A French QGIS shows the algorithms' help in French: every English page has its French twin, same shape."""

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
