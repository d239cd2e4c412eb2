"""What the engine says to the officer, in the officer's language.

Every text the engine writes for a person (an error, a word on a briefing map) is written here in
English as a template, ``"The zones layer '{layer_name}' has no features."``, and looked up in the
catalogue of the language in use (:data:`CATALOGUES`; French in :mod:`.messages_fr`,
:mod:`.messages_fr_drought`, :mod:`.messages_fr_package`, :mod:`.messages_fr_plugin`,
:mod:`.messages_fr_warning` and :mod:`.messages_fr_maps`). The plugin sets the language from QGIS's
(:func:`speaking` around each run); a plain script keeps English.
Templates the catalogue does not know, and texts that are not templates at all (a layer's name, a
message already translated by Qt), come out as they were given.
"""

from __future__ import annotations

import numbers
import string
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from .messages_fr import FRENCH_MESSAGES
from .messages_fr_drought import FRENCH_DROUGHT_MESSAGES
from .messages_fr_maps import FRENCH_MAP_WORDS, FRENCH_MONTHS
from .messages_fr_package import FRENCH_PACKAGE_MESSAGES
from .messages_fr_plugin import FRENCH_PLUGIN_MESSAGES
from .messages_fr_warning import FRENCH_WARNING_MESSAGES

ENGLISH = "en"
#: The translations by language code: English template → the language's template, same ``{names}``.
CATALOGUES: dict[str, dict[str, str]] = {
    "fr": {
        **FRENCH_MESSAGES,
        **FRENCH_DROUGHT_MESSAGES,
        **FRENCH_PACKAGE_MESSAGES,
        **FRENCH_PLUGIN_MESSAGES,
        **FRENCH_WARNING_MESSAGES,
        **FRENCH_MAP_WORDS,
    }
}
#: The words a map prints that the plugin wrote (legend title, style classes), by language: what a legend
#: translates, leaving the data's own words (a user's class named "missing") as they are.
MAP_WORDS: dict[str, dict[str, str]] = {"fr": FRENCH_MAP_WORDS}
#: Abbreviated month names by language, January first; English uses its own (``%b``).
MONTHS: dict[str, tuple[str, ...]] = {"fr": FRENCH_MONTHS}
#: Every template the catalogues know, in English.
TEMPLATES: frozenset[str] = frozenset(key for catalogue in CATALOGUES.values() for key in catalogue)

_language = ENGLISH


def set_language(code: str) -> None:
    """Speak ``code`` (``fr``, ``fr_FR``) from now on; a language without a catalogue speaks English."""
    global _language
    short = (code or ENGLISH)[:2].lower()
    _language = short if short in CATALOGUES else ENGLISH


def current_language() -> str:
    """The language the engine speaks now: ``en`` or a code of :data:`CATALOGUES`."""
    return _language


@contextmanager
def speaking(code: str) -> Iterator[None]:
    """Speak ``code`` for the duration of a run, and what was spoken before after it."""
    before = _language
    set_language(code)
    try:
        yield
    finally:
        set_language(before)


class _NumbersAsWritten(string.Formatter):
    """Puts numbers into a template as the language writes them: ``{count:,}`` is ``12 345`` in French."""

    def format_field(self, value: Any, format_spec: str) -> str:
        text = super().format_field(value, format_spec)
        return number_text(text) if isinstance(value, numbers.Number) and not isinstance(value, bool) else text


_NUMBERS_AS_WRITTEN = _NumbersAsWritten()


def message(template: str, /, **values: object) -> str:
    """``template`` in the current language with ``values`` put in; a text that is not a template, as given."""
    if not values and template not in TEMPLATES:
        return template
    if _language == ENGLISH:
        return template.format(**values)
    return _NUMBERS_AS_WRITTEN.vformat(CATALOGUES[_language].get(template, template), (), values)


def map_word(text: str) -> str:
    """``text`` printed on a map (a legend's title, a class of our styles) in the current language, else as given."""
    return MAP_WORDS.get(_language, {}).get(text, text)


def day_text(day: date) -> str:
    """A day as the language writes it on a map: ``01 Nov 2026``, ``1er nov. 2026``."""
    months = MONTHS.get(_language)
    if months is None:
        return f"{day:%d %b %Y}"
    return f"{'1er' if day.day == 1 else day.day} {months[day.month - 1]} {day:%Y}"


def number_text(english: str) -> str:
    """A number written the English way (``1,234.5``) as the language writes it (``1 234,5`` in French)."""
    if _language == ENGLISH:
        return english
    return english.replace(",", "\u202f").replace(".", ",")
