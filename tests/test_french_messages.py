"""The plugin's errors speak the officer's language: one catalogue, every message in it, none around it.

A static scan of ``core/``, ``processing/``, ``layout/`` and ``ui/`` finds every text an error or a
problem of a mission package is made of (``MewError``, its subclasses, ``Problem`` and the pieces built
with ``message``): each is a literal English template the French catalogue knows, with the same
``{names}``. Real bad inputs refused in French:
``tests/test_french_refusals.py``.
"""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

from mission_early_warning.core import messages
from mission_early_warning.core.errors import MewError
from mission_early_warning.core.messages_fr import FRENCH_MESSAGES
from mission_early_warning.core.messages_fr_drought import FRENCH_DROUGHT_MESSAGES
from mission_early_warning.core.messages_fr_maps import FRENCH_MAP_WORDS
from mission_early_warning.core.messages_fr_package import FRENCH_PACKAGE_MESSAGES
from mission_early_warning.core.messages_fr_plugin import FRENCH_PLUGIN_MESSAGES
from mission_early_warning.core.messages_fr_warning import FRENCH_WARNING_MESSAGES

ROOT = Path(__file__).resolve().parent.parent
#: Where errors for the officer are raised: the engine, the algorithms, the layouts and the dock.
SCANNED = ("core", "processing", "layout", "ui")
FRENCH = messages.CATALOGUES["fr"]
#: Errors made of templates: the number of leading arguments that are templates.
ERROR_CLASSES = {"MewError": 1, "RefusedFile": 2}


def _names(template: str) -> set[str]:
    return {field for _text, field, _spec, _conversion in string.Formatter().parse(template) if field is not None}


def _nothing_to_translate(template: str) -> bool:
    """A template of placeholders and punctuation only (``"{action}"``): the same in every language."""
    return not re.search(r"[A-Za-z]", re.sub(r"\{[^{}]*\}", "", template))


def _module_constants(tree: ast.Module) -> dict[str, str]:
    return {
        target.id: node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
        for target in node.targets
        if isinstance(target, ast.Name)
    }


def _error_subclasses(tree: ast.Module) -> set[ast.ClassDef]:
    return {
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef) and any(getattr(base, "id", "") in ERROR_CLASSES for base in node.bases)
    }


def scanned_templates() -> tuple[dict[str, str], list[str]]:
    """Every template an engine message is made of (template → where), and the texts that bypass the catalogue."""
    found: dict[str, str] = {}
    bypassing: list[str] = []
    for path in sorted(path for folder in SCANNED for path in (ROOT / folder).rglob("*.py")):
        if path.stem.startswith("messages"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = _module_constants(tree)
        where = path.relative_to(ROOT).as_posix()
        checked: list[tuple[ast.expr, int]] = []  # texts that must be templates of the catalogue
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            if name in ERROR_CLASSES:
                checked += [(argument, node.lineno) for argument in node.args[: ERROR_CLASSES[name]]]
            elif name == "Problem":  # what the mission package check reports: its message and action
                for argument in node.args[2:4]:
                    if isinstance(argument, (ast.Constant, ast.JoinedStr)):
                        bypassing.append(f"{where}:{node.lineno}: {ast.unparse(argument)[:80]}")
            elif name in ("append", "tell", "leave_out") and node.args:
                # the warnings and notes the engine hands back for the log
                told = node.args[2:3] if name == "leave_out" else node.args[:1]
                if name == "append" and getattr(node.func.value, "id", "") not in ("warnings", "messages"):
                    told = []
                for argument in told:
                    if isinstance(argument, (ast.Constant, ast.JoinedStr, ast.BinOp)):
                        bypassing.append(f"{where}:{node.lineno}: {ast.unparse(argument)[:80]}")
            elif name == "message" and node.args:
                if isinstance(node.args[0], ast.Constant):
                    checked.append((node.args[0], node.lineno))
        for subclass in _error_subclasses(tree):  # their own template, handed to MewError
            for node in ast.walk(subclass):
                if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "__init__" and node.args:
                    if isinstance(node.args[0], ast.Constant):
                        checked.append((node.args[0], node.lineno))
        for argument, line in checked:
            if isinstance(argument, ast.Name) and argument.id in constants:
                found[constants[argument.id]] = f"{where}:{line}"
            elif isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                found[argument.value] = f"{where}:{line}"
            else:
                bypassing.append(f"{where}:{line}: {ast.unparse(argument)[:80]}")
    return found, bypassing


def test_no_engine_message_bypasses_the_catalogue():
    found, bypassing = scanned_templates()
    assert len(found) > 150, "the scan finds the engine's messages: it would otherwise prove nothing"
    assert not bypassing, "write these as MewError('template', name=value):\n" + "\n".join(bypassing)


def test_every_engine_message_has_its_french_translation():
    found, _bypassing = scanned_templates()
    missing = {template: where for template, where in found.items() if template not in FRENCH}
    missing = {t: w for t, w in missing.items() if not _nothing_to_translate(t)}
    assert not missing, "translate in core/messages_fr*.py:\n" + "\n".join(f"{w}: {t!r}" for t, w in missing.items())


class _AnyValue:
    """Takes any format specification (``:,.0f``, ``:%d %B``, ``!r``), as the values a template is given do."""

    def __format__(self, spec: str) -> str:
        return "1"

    def __repr__(self) -> str:
        return "'1'"


def test_translations_keep_every_placeholder_and_read_as_written():
    parts = (
        FRENCH_MESSAGES,
        FRENCH_DROUGHT_MESSAGES,
        FRENCH_PACKAGE_MESSAGES,
        FRENCH_PLUGIN_MESSAGES,
        FRENCH_WARNING_MESSAGES,
        FRENCH_MAP_WORDS,
    )
    assert sum(len(part) for part in parts) == len(FRENCH), "a template is translated twice"
    for english, french in FRENCH.items():
        assert _names(french) == _names(english), english
        values = dict.fromkeys(_names(english), _AnyValue())
        assert french.format(**values) and english.format(**values)


def test_a_template_reads_in_the_language_spoken_and_in_english_otherwise():
    template = "The zones layer '{layer_name}' has no features: an atlas needs at least one zone."
    assert template in FRENCH
    assert str(MewError(template, layer_name="Secteurs")) == template.format(layer_name="Secteurs")
    with messages.speaking("fr_FR"):
        french = MewError(template, layer_name="Secteurs")
        assert str(french) == FRENCH[template].format(layer_name="Secteurs")
        assert "Secteurs" in str(french) and str(french) != template.format(layer_name="Secteurs")
        assert str(MewError("Déjà traduit par Qt {}")) == "Déjà traduit par Qt {}"  # not a template: as given
    assert messages.current_language() == "en"
    with messages.speaking("sw"):  # no catalogue: English
        assert str(MewError(template, layer_name="S")) == template.format(layer_name="S")


def test_numbers_read_as_the_language_writes_them():
    assert messages.message(
        "Only {inside} cells of {cell_size:g} fall inside the study area: use a smaller CELL_SIZE.",
        inside=1234,
        cell_size=2.5,
    ).startswith("Only 1234 cells of 2.5 ")
    with messages.speaking("fr"):
        assert messages.message("areas of at least {area:g} ha", area=2.5) == "zones d'au moins 2,5 ha"
        french = messages.message(
            "{size:,} weights are NaN or infinite (positions {k}{value}): give finite weights; "
            "incident_weights() reads a field as QGIS does.",
            size=12345,
            k="3, 7",
            value="",
        )
        assert french.startswith("12\u202f345 poids sont NaN ou infinis (positions 3, 7)")  # text values as given


def test_the_words_put_into_messages_are_translated():
    """Words kept in tables and put into messages (``message(word)``), which the scan cannot read."""
    from mission_early_warning.core.incidents import REASONS
    from mission_early_warning.core.mission_package.schema import FIELD_HELP

    words = [*REASONS.values(), *FIELD_HELP.values()]
    assert not [word for word in words if word not in FRENCH]
