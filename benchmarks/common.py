"""What the benchmark scripts share: the private QGIS profiles ``qgis_process.bin`` runs in.

Our algorithms run in a profile with this plugin installed and enabled (as the
tests' fixture does); the peer tools run in one without it, so they do not pay
for loading our plugin at start-up.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QGIS_PROCESS = "/usr/bin/qgis_process.bin"


def qgis_home(folder: Path, with_plugin: bool = True) -> Path:
    """A private HOME under ``folder`` whose default QGIS profile has (or lacks) this plugin."""
    home = Path(folder) / ("qgis-home" if with_plugin else "qgis-home-peer")
    profile = home / ".local/share/QGIS/QGIS3/profiles/default"
    plugins = profile / "python/plugins"
    plugins.mkdir(parents=True, exist_ok=True)
    link = plugins / "mission_early_warning"
    if with_plugin and not link.exists():
        link.symlink_to(ROOT, target_is_directory=True)
    (profile / "QGIS").mkdir(exist_ok=True)
    enabled = "mission_early_warning=true\n" if with_plugin else ""
    (profile / "QGIS/QGIS3.ini").write_text(f"[PythonPlugins]\n{enabled}processing=true\n")
    return home
