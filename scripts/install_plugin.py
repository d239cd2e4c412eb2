"""Link this working copy into a QGIS profile as the plugin ``mission_early_warning`` and enable it.

For development: edits show up after a QGIS restart (or Plugin Reloader), and
``qgis_process.bin`` offers the ``mew`` provider. Default: the ``default``
profile of the current user.
"""

from __future__ import annotations

import argparse
import configparser
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "mission_early_warning"


def profile_dir(profile: str = "default", home: Path | None = None) -> Path:
    return (home or Path.home()) / ".local/share/QGIS/QGIS3/profiles" / profile


def install(profile: Path) -> Path:
    plugins = profile / "python" / "plugins"
    plugins.mkdir(parents=True, exist_ok=True)
    link = plugins / PACKAGE
    if link.is_symlink() or link.exists():
        if link.resolve() != ROOT:
            raise SystemExit(f"{link} exists and is not a link to {ROOT}: remove it first.")
    else:
        link.symlink_to(ROOT, target_is_directory=True)
    ini_path = profile / "QGIS" / "QGIS3.ini"
    ini_path.parent.mkdir(parents=True, exist_ok=True)
    ini = configparser.RawConfigParser()
    ini.optionxform = str  # QGIS keys are case-sensitive
    if ini_path.exists():
        ini.read(ini_path, encoding="utf-8")
    if not ini.has_section("PythonPlugins"):
        ini.add_section("PythonPlugins")
    ini.set("PythonPlugins", PACKAGE, "true")
    ini.set("PythonPlugins", "processing", "true")
    with open(ini_path, "w", encoding="utf-8") as handle:
        ini.write(handle, space_around_delimiters=False)
    return link


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--profile", default="default")
    args = parser.parse_args(argv)
    link = install(profile_dir(args.profile))
    print(f"Linked {link} -> {ROOT} and enabled it in the '{args.profile}' profile.")
    print("Check with: QT_QPA_PLATFORM=offscreen qgis_process.bin list | grep mew")
    return 0


if __name__ == "__main__":
    sys.exit(main())
