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
