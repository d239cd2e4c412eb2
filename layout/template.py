"""The print layout of a briefing map, loaded from a bundled or custom ``.qpt`` template."""

from __future__ import annotations

from pathlib import Path

from qgis.core import QgsPrintLayout, QgsProject, QgsReadWriteContext
from qgis.PyQt.QtXml import QDomDocument

from ..core.briefing import REQUIRED_ITEM_IDS, TEMPLATE_NAMES, template_page_size
from ..core.errors import MewError
from ..paths import TEMPLATES


def template_path(name: str, custom_file: str = "") -> Path:
    """The template file: ``custom_file`` when given, else the bundled template ``name``."""
    if custom_file:
        return Path(custom_file)
    name = name or TEMPLATE_NAMES[0]
    if name not in TEMPLATE_NAMES:
        template_page_size(name)  # raises the clear error
    return TEMPLATES / f"{name}.qpt"


def load_template(path: Path, project: QgsProject) -> QgsPrintLayout:
    """A print layout of ``project`` from the template at ``path``, with every item the briefing map needs."""
    if not path.is_file():
        raise MewError("The layout template '{path}' does not exist.", path=path)
    document = QDomDocument()
    ok = document.setContent(path.read_text(encoding="utf-8"))
    if isinstance(ok, tuple):
        ok = ok[0]
    if not ok:
        raise MewError("The layout template '{path}' is not a readable .qpt (XML) file.", path=path)
    layout = QgsPrintLayout(project)
    layout.initializeDefaults()
    _items, loaded = layout.loadFromTemplate(document, QgsReadWriteContext())
    if not loaded:
        raise MewError("QGIS could not load the layout template '{path}'.", path=path)
    missing = [item_id for item_id in REQUIRED_ITEM_IDS if layout.itemById(item_id) is None]
    if missing:
        raise MewError(
            "The layout template '{name}' lacks the items {missing}: give the map item and labels these ids "
            "(Item properties → Item ID).",
            name=path.name,
            missing=", ".join(missing),
        )
    return layout
