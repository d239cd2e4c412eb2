"""Extract the plugin's translatable strings into ``i18n/*.ts`` and build the ``.qm`` files Qt loads.

``pylupdate5`` reads neither f-strings nor ``tr()`` passed around as a function
(the parameter builders take the algorithm's ``tr``), so the strings are found
here from the code's syntax tree and the ``.ui`` files:

- ``tr("...")`` and ``self.tr("...")``, in the context of the file's or the
  enclosing class's ``tr()`` (:func:`tr_context`);
- ``QCoreApplication.translate("Context", "...")`` and
  ``QT_TRANSLATE_NOOP("Context", "...")``;
- every ``<string>`` of a ``.ui`` file not marked ``notr="true"``, in the
  context of the form's class.

``update`` rewrites each ``.ts`` keeping the translations already made: a new
string is marked unfinished, a string gone from the code is dropped.
``build`` runs ``lrelease`` into a folder of ``.qm`` files.

    python scripts/translations.py update
    python scripts/translations.py build --output i18n
"""

from __future__ import annotations

import argparse
import ast
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
I18N = ROOT / "i18n"
PREFIX = "mission_early_warning"
LANGUAGES = ("fr",)
#: The folders and files whose strings QGIS shows; tests, demo and tooling speak to developers only.
SOURCES = ("plugin.py", "processing", "ui")
#: The context of a bare ``tr()``/``self.tr()`` by file or folder; elsewhere the enclosing class's name (Qt's own).
TR_CONTEXTS = {"plugin.py": "MissionEarlyWarning", "processing": "MewAlgorithm"}

Message = tuple[str, str]  # (context, source text)


def tr_context(relative: Path, enclosing_class: str | None) -> str | None:
    """The context a ``tr()`` call in ``relative`` translates in."""
    for key in (relative.as_posix(), relative.parts[0]):
        if key in TR_CONTEXTS:
            return TR_CONTEXTS[key]
    return enclosing_class


class _Finder(ast.NodeVisitor):
    def __init__(self, relative: Path) -> None:
        self.relative = relative
        self.classes: list[str] = []
        self.messages: list[Message] = []
        self.problems: list[str] = []
        #: f-strings in tr(): log lines not translated yet (they stay in English), listed but not refused.
        self.skipped: list[str] = []

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.classes.append(node.name)
        self.generic_visit(node)
        self.classes.pop()

    def visit_Call(self, node: ast.Call) -> None:
        function = node.func
        name = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", None)
        if name == "tr" and node.args:
            context = tr_context(self.relative, self.classes[-1] if self.classes else None)
            self._add(node, context, node.args[0])
        elif name in ("translate", "QT_TRANSLATE_NOOP") and len(node.args) >= 2:
            context_node = node.args[0]
            if isinstance(context_node, ast.Constant) and isinstance(context_node.value, str):
                self._add(node, context_node.value, node.args[1])
        self.generic_visit(node)

    def _add(self, node: ast.Call, context: str | None, text: ast.expr) -> None:
        if isinstance(text, ast.Constant) and isinstance(text.value, str):
            if context is None:
                self.problems.append(f"{self.relative}:{node.lineno}: tr() outside a class, in no known context")
            else:
                self.messages.append((context, text.value))
        elif isinstance(text, ast.JoinedStr):
            self.skipped.append(f"{self.relative}:{node.lineno}: an f-string cannot be translated: use .format()")


def python_messages(root: Path = ROOT) -> tuple[list[Message], list[str]]:
    """The strings marked in the plugin's Python code, and what cannot be extracted."""
    messages: list[Message] = []
    problems: list[str] = []
    for source in SOURCES:
        base = root / source
        for path in sorted([base] if base.is_file() else base.rglob("*.py")):
            finder = _Finder(path.relative_to(root))
            finder.visit(ast.parse(path.read_text(encoding="utf-8")))
            messages += finder.messages
            problems += finder.problems
            for line in finder.skipped:
                print(f"not extracted: {line}", file=sys.stderr)
    return messages, problems


def ui_messages(root: Path = ROOT) -> list[Message]:
    """The translatable strings of the ``.ui`` forms, in the context ``uic`` translates them in."""
    messages: list[Message] = []
    for path in sorted(root.glob("ui/*.ui")):
        tree = ET.parse(path)
        context = tree.findtext("class") or path.stem
        for element in tree.iter("string"):
            if element.get("notr") != "true" and element.text:
                messages.append((context, element.text))
    return messages


def all_messages(root: Path = ROOT) -> tuple[list[Message], list[str]]:
    """Every string to translate, once each in the order first found, and the extraction problems."""
    messages, problems = python_messages(root)
    return list(dict.fromkeys(messages + ui_messages(root))), problems


def ts_path(language: str, root: Path = ROOT) -> Path:
    return root / "i18n" / f"{PREFIX}_{language}.ts"


def read_ts(path: Path) -> dict[Message, str | None]:
    """The translations of a ``.ts`` file; ``None`` for an unfinished one."""
    found: dict[Message, str | None] = {}
    if not path.exists():
        return found
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            done = translation is not None and translation.get("type") not in ("unfinished", "obsolete")
            text = translation.text if translation is not None else None
            found[(name, message.findtext("source") or "")] = text if done and text else None
    return found


def write_ts(path: Path, language: str, messages: list[Message], translations: dict[Message, str | None]) -> None:
    """Write ``messages`` with their known ``translations`` as a Qt Linguist ``.ts`` file."""
    root = ET.Element("TS", version="2.1", language=language)
    contexts: dict[str, ET.Element] = {}
    for context, source in messages:
        if context not in contexts:
            contexts[context] = ET.SubElement(root, "context")
            ET.SubElement(contexts[context], "name").text = context
        message = ET.SubElement(contexts[context], "message")
        ET.SubElement(message, "source").text = source
        translation = ET.SubElement(message, "translation")
        text = translations.get((context, source))
        if text:
            translation.text = text
        else:
            translation.set("type", "unfinished")
    ET.indent(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    body = ET.tostring(root, encoding="unicode")
    path.write_text(f'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n{body}\n', encoding="utf-8")


def update(root: Path = ROOT) -> list[str]:
    """Bring every ``.ts`` up to date with the code; the problems found are returned."""
    messages, problems = all_messages(root)
    for language in LANGUAGES:
        path = ts_path(language, root)
        write_ts(path, language, messages, read_ts(path))
    return problems


#: Qt 5's lrelease where Debian puts it, then by the names it has on PATH (qtchooser's, or Debian 13's suffixed one).
LRELEASE_CANDIDATES = ("/usr/lib/qt5/bin/lrelease", "lrelease-qt5", "lrelease")


def lrelease() -> str:
    """The ``lrelease`` to compile with."""
    for candidate in LRELEASE_CANDIDATES:
        found = shutil.which(candidate)
        if found:
            return found
    raise RuntimeError("lrelease not found: install qttools5-dev-tools (scripts/setup.sh does).")


def build(output: Path, root: Path = ROOT) -> list[Path]:
    """Compile each ``.ts`` to a ``.qm`` in ``output`` with Qt's ``lrelease``."""
    tool = lrelease()
    output.mkdir(parents=True, exist_ok=True)
    built = []
    for language in LANGUAGES:
        target = output / f"{PREFIX}_{language}.qm"
        subprocess.run([tool, "-silent", str(ts_path(language, root)), "-qm", str(target)], check=True)
        built.append(target)
    return built


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=("update", "build"))
    parser.add_argument("--output", type=Path, default=I18N, help="folder of the .qm files (build)")
    args = parser.parse_args(argv)
    if args.command == "update":
        problems = update()
        for problem in problems:
            print(problem, file=sys.stderr)
        return 1 if problems else 0
    for path in build(args.output):
        print(f"Built {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
