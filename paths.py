"""Where the plugin's files are; resources are loaded by plain path."""

from pathlib import Path

PLUGIN_DIR = Path(__file__).resolve().parent
RESOURCES = PLUGIN_DIR / "resources"
ICONS = RESOURCES / "icons"
STYLES = RESOURCES / "styles"
HELP = RESOURCES / "help"
TEMPLATES = RESOURCES / "templates"
UI_DIR = PLUGIN_DIR / "ui"
ICON_PATH = ICONS / "mew.svg"


def algorithm_icon_path(name_id: str) -> Path:
    """The icon of the ``mew:<name_id>`` algorithm, ``icons/<name_id>.svg``, else the plugin's own icon."""
    own = ICONS / f"{name_id}.svg"
    return own if own.exists() else ICON_PATH


def help_page(name_id: str, language: str) -> Path:
    """The help page of ``mew:<name_id>`` in ``language`` (``help/fr/<name_id>.html``), else the English one."""
    translated = HELP / language / f"{name_id}.html"
    return translated if translated.is_file() else HELP / f"{name_id}.html"
