"""The plugin's QGIS and Qt API use is ready for QGIS 4 (Qt6) and runs on QGIS 3.22 .. 3.44.

Every Python file outside ``core/`` is parsed with :mod:`ast`, and each dotted
name rooted at something imported from ``qgis`` (``Qt.AlignLeft``,
``QgsProcessing.TypeVectorPoint``, ``Qgis.MessageLevel.Warning`` ...) is looked
up in the QGIS this suite runs on, one attribute at a time. That finds the
forms QGIS 4 / PyQt6 refuse without keeping a list of them:

- **an enum member reached without its enum** (``Qt.AlignLeft``): PyQt6 and
  QGIS 4 only know ``Qt.AlignmentFlag.AlignLeft``. A value is an enum member
  when it is a Python ``enum.Enum`` (PyQt6, and QGIS >= 3.30's ``Qgis`` enums) or
  an instance of a sip enum type (PyQt5, QGIS's other enums); it is reached
  through its enum when the object it was read from is its own type. This
  holds for any member of any enum, so no allowlist of enum or member names is
  needed, and ``Qt.AlignmentFlag`` (a type, not a member) passes by itself;
- **an enum reached under an old name**: an enum QGIS moved into ``Qgis``
  keeps an alias at its old home (on 3.40, ``QgsWkbTypes.Type`` *is*
  ``Qgis.WkbType``), and a member keeps its old name as an alias
  (``Qgis.TextRenderFormat.TextFormatAlwaysText`` is ``AlwaysText``). These
  aliases are what QGIS drops; they show as a name that differs from the
  enum's or member's own ``__name__``/``name``. On 3.22 nothing has moved yet,
  so this part bites on the 3.40 and 3.44 legs, which run this suite;
- **a name this QGIS does not have**: code that reads ``Qgis.WkbType`` runs on
  3.40 and fails on 3.22. Whatever differs between versions is chosen in
  ``qgis_compat.py``, which is therefore the one file exempt from this check
  and the previous one.

Then, by name: Qt is imported only through ``qgis.PyQt``; attribute fields are
made only by ``qgis_compat.make_field``/``make_fields`` (a direct ``QgsField(`` call
passes a type QGIS >= 3.38 deprecates or QGIS 3.22 refuses); and
``QVariant.<anything>`` (``QVariant.Int``, ``QVariant.Type``) is written only in
``qgis_compat.py``: QGIS 4's PyQt6 has no ``QVariant.Type``.

What a static scan cannot see: an enum reached through an instance
(``layer.SomeMember``) or a plain number passed where QGIS wants an enum
(QGIS >= 3.40 refuses ``setSegmentSizeMode(1)``). Those are caught by running
the suite on the 3.40 and 3.44 legs.
"""

from __future__ import annotations

import ast
import enum
import importlib
from pathlib import Path
from typing import Any, Iterator

import pytest
from qgis.core import Qgis, QgsSymbolLayer

ROOT = Path(__file__).resolve().parent.parent
COMPAT = ROOT / "qgis_compat.py"
NOT_PLUGIN_CODE = {"core", ".venv", "build", "dist", "demo-output", ".git"}
CODE = sorted(p for p in ROOT.rglob("*.py") if not (NOT_PLUGIN_CODE & set(p.relative_to(ROOT).parts)))
_MISSING = object()


def _where(path: Path, node: ast.AST) -> str:
    return f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name}:{node.lineno}"


def _qgis_names(tree: ast.AST) -> dict[str, tuple[str, str | None]]:
    """Local name -> (module, attribute) of everything imported from ``qgis`` anywhere in the file."""
    names: dict[str, tuple[str, str | None]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").split(".")[0] == "qgis":
            for alias in node.names:
                names[alias.asname or alias.name] = (node.module, alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] != "qgis":
                    continue
                if alias.asname:  # import qgis.core as core
                    names[alias.asname] = (alias.name, None)
                else:  # import qgis.core binds qgis
                    names["qgis"] = ("qgis", None)
    return names


def _dotted(node: ast.Attribute) -> list[str] | None:
    """``a.b.c`` as ["a", "b", "c"]; None when the chain does not start at a plain name."""
    parts: list[str] = []
    current: ast.AST = node
    while isinstance(current, ast.Attribute):
        parts.append(current.attr)
        current = current.value
    if not isinstance(current, ast.Name):
        return None
    return [current.id, *reversed(parts)]


def _is_enum_type(value: Any) -> bool:
    return isinstance(value, type) and (issubclass(value, enum.Enum) or type(value).__name__ == "enumtype")


def _is_enum_member(value: Any) -> bool:
    return isinstance(value, enum.Enum) or type(type(value)).__name__ == "enumtype"


def _root_object(module: str, attribute: str | None) -> Any:
    try:
        imported = importlib.import_module(module)
    except ImportError:
        return _MISSING
    return imported if attribute is None else getattr(imported, attribute, _MISSING)


def _enum_problems(path: Path) -> Iterator[str]:
    """Unscoped members, old enum or member names, and names this QGIS lacks, in one file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots = _qgis_names(tree)
    strict = path != COMPAT
    seen: set[tuple[int, str]] = set()
    for node in ast.walk(tree):
        chain = _dotted(node) if isinstance(node, ast.Attribute) else None
        if not chain or chain[0] not in roots:
            continue
        current = _root_object(*roots[chain[0]])
        if current is _MISSING:
            continue
        for depth, name in enumerate(chain[1:], start=2):
            spelled = ".".join(chain[:depth])
            if (node.lineno, spelled) in seen:
                break
            parent, current = current, getattr(current, name, _MISSING)
            problem = None
            if current is _MISSING:
                problem = f"{spelled} does not exist in this QGIS: choose it in qgis_compat.py" if strict else None
            elif _is_enum_member(current) and type(current) is not parent:
                scoped = f"{type(current).__qualname__}.{name}"
                problem = f"{spelled} is an enum member reached without its enum: write {scoped}"
            elif strict and _is_enum_type(current) and current.__name__ != name:
                problem = f"{spelled} is an old name of {current.__qualname__}: use qgis_compat"
            elif strict and isinstance(current, enum.Enum) and current.name != name:
                problem = f"{spelled} is an old name of {type(current).__qualname__}.{current.name}"
            if problem is not None:
                seen.add((node.lineno, spelled))
                yield f"{_where(path, node)}: {problem}"
            if current is _MISSING or problem is not None or _is_enum_member(current):
                break


def test_the_scan_sees_the_plugin_code():
    names = {str(p.relative_to(ROOT)) for p in CODE}
    assert {
        "plugin.py",
        "qgis_compat.py",
        "processing/hotspots.py",
        "ui/mission_dock.py",
        "demo/briefings.py",
        "scripts/make_briefing_templates.py",
        "tests/test_qt6_ready.py",
    } <= names
    assert not any(name.startswith("core/") for name in names)


def test_qt_is_imported_only_through_qgis_pyqt():
    problems = []
    for path in CODE:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                modules = [node.module or ""]
            else:
                continue
            problems += [
                f"{_where(path, node)}: import {m}"
                for m in modules
                if m.split(".")[0] in ("PyQt5", "PyQt6", "sip", "PySide2", "PySide6")
            ]
    assert not problems, "Import Qt through qgis.PyQt:\n" + "\n".join(problems)


def test_enums_are_scoped_and_current():
    problems = [problem for path in CODE for problem in _enum_problems(path)]
    assert not problems, "\n".join(problems)


def test_fields_and_qvariant_types_only_through_qgis_compat():
    problems = []
    for path in CODE:
        if path == COMPAT:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
                if name == "QgsField":
                    problems.append(f"{_where(path, node)}: QgsField(...): use qgis_compat.make_field or make_fields")
            elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "QVariant":
                problems.append(f"{_where(path, node)}: QVariant.{node.attr}: use qgis_compat's field kinds")
    assert not problems, "\n".join(problems)


# --- the checks themselves catch what they are for ---------------------------------------------------
@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from qgis.PyQt.QtCore import Qt\nQt.AlignLeft\n", "write Qt.AlignmentFlag.AlignLeft"),
        ("from qgis.PyQt.QtCore import Qt as Q\nx = Q.UserRole + 1\n", "write Qt.ItemDataRole.UserRole"),
        ("from qgis.core import Qgis\nQgis.Warning\n", "write Qgis.MessageLevel.Warning"),
        (
            "def f():\n    from qgis.PyQt.QtWidgets import QSizePolicy\n    return QSizePolicy.Expanding\n",
            "write QSizePolicy.Policy.Expanding",
        ),
        ("from qgis.core import Qgis\nQgis.NoSuchEnumAnywhere.Member\n", "does not exist in this QGIS"),
        # QGIS >= 3.30 keeps QgsWkbTypes.Type as an alias of Qgis.WkbType; 3.22 has only the old enum
        (
            "from qgis.core import QgsWkbTypes\nQgsWkbTypes.Type.Point\n",
            "an old name of Qgis.WkbType" if hasattr(Qgis, "WkbType") else None,
        ),
        # a member's old name: an alias once QGIS renamed the members (3.30); 3.22 has only the old name
        (
            "from qgis.core import QgsSymbolLayer\nQgsSymbolLayer.Property.PropertyStrokeWidth\n",
            "an old name of QgsSymbolLayer.Property.StrokeWidth"
            if hasattr(QgsSymbolLayer.Property, "StrokeWidth")
            else None,
        ),
        ("from qgis.PyQt.QtCore import Qt\nQt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop\n", None),
        ("from qgis.core import Qgis\nQgis.MessageLevel.Warning\n", None),
        ("from qgis.PyQt.QtGui import QFont\nQFont.Weight.Bold\n", None),
    ],
)
def test_enum_check_flags_unscoped_members_and_passes_scoped_ones(tmp_path, source, expected):
    path = tmp_path / "sample.py"
    path.write_text(source, encoding="utf-8")
    problems = list(_enum_problems(path))
    if expected is None:
        assert problems == []
    else:
        assert len(problems) == 1 and expected in problems[0], problems
