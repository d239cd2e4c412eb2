"""Take the documentation's screenshots: every analysis's dialog and the mission dock, in English and French.

Run from the repository root, offscreen or under Xvfb (``make screenshots`` does the latter when
``xvfb-run`` is installed)::

    xvfb-run -a .venv/bin/python -P scripts/screenshot_dialogs.py [--output docs/screenshots] [--language fr]

For each language (English, then each language of ``i18n/``) a QGIS process of its own starts in a
throw-away profile set to that language, generates the demo mission, loads it through the dock and opens
every registered ``mew:`` algorithm's Processing dialog as the dock's buttons open it (the mission's layers
and values prefilled). It writes ``<output>/<language>/<algorithm>.png``, ``dock.png`` (the dock's
layers tab, the mission loaded) and ``dock_analyses.png`` (its Analyses tab), in 256 colours to keep the
repository small.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
#: What each algorithm's dialog is saved as, in each language's folder: ``<name>.png``; then the dock's two tabs.
DOCK_SHOTS = ("dock.png", "dock_analyses.png")
ENGLISH = "en"


def _dock_script():
    """``scripts/screenshot_dock.py``, whose pieces (QGIS in a throw-away profile, the mission window) this
    script uses: loaded by path, since the script is run with the repository root off ``sys.path``."""
    if "screenshot_dock" not in sys.modules:
        spec = importlib.util.spec_from_file_location("screenshot_dock", Path(__file__).with_name("screenshot_dock.py"))
        module = importlib.util.module_from_spec(spec)
        sys.modules["screenshot_dock"] = module  # before it runs: its dataclasses look their module up
        spec.loader.exec_module(module)
    return sys.modules["screenshot_dock"]


def languages() -> tuple[str, ...]:
    """English, then every language the plugin is translated into."""
    _dock_script().import_plugin()
    from mission_early_warning.scripts.translations import LANGUAGES

    return (ENGLISH, *LANGUAGES)


def _locale(language: str) -> str:
    """The QGIS locale setting for a two-letter language: ``fr`` → ``fr_FR``."""
    from qgis.PyQt.QtCore import QLocale

    return "en_US" if language == ENGLISH else QLocale(language).name()


def shoot(language: str, output: Path, window_size: tuple[int, int], dialog_size: tuple[int, int]) -> list[Path]:
    """Every screenshot in one language, written under ``output``; the files written."""
    dock_script = _dock_script()
    dock_script.import_plugin()
    work = Path(tempfile.mkdtemp(prefix="mew-screenshots-"))
    session = dock_script.start_qgis(work / "profile", _locale(language))
    from mission_early_warning.demo.generate import DEFAULT_SEED, generate_mission

    # the folder the dialogs' output paths show: a name an officer could have chosen
    package = generate_mission(work / "missions" / "demo", DEFAULT_SEED)
    shot = dock_script.mission_window(*window_size)
    shot.load_mission(package)
    written = []
    for tab, name in enumerate(DOCK_SHOTS):
        shot.dock.tabs.setCurrentIndex(tab)
        shot.wait_for_map()
        written.append(dock_script.save_png(shot.dock, output / name, palette=True))
    for algorithm in sorted(session.provider.algorithms(), key=lambda a: a.name()):
        dialog = _open_dialog(shot.dock, algorithm)
        dialog.resize(*dialog_size)
        dock_script.settle(0.8)
        written.append(dock_script.save_png(dialog, output / f"{algorithm.name()}.png", palette=True))
        dialog.close()
        dock_script.settle(0.2)
    shot.close()
    session.close()
    shutil.rmtree(work, ignore_errors=True)
    return written


def _open_dialog(dock, algorithm):
    """The algorithm's dialog as the dock's button opens it (prefilled), or Processing's own when the dock
    offers no button for it."""
    dialog = dock.open_analysis(algorithm.id())
    if dialog is None:
        from processing.gui.AlgorithmDialog import AlgorithmDialog

        dialog = AlgorithmDialog(algorithm.create(), parent=dock.iface.mainWindow())
        dialog.show()
    return dialog


def _size(text: str) -> tuple[int, int]:
    width, height = (int(v) for v in text.lower().split("x"))
    return width, height


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "screenshots", help="one folder per language")
    parser.add_argument("--language", help="only this language (en, fr); each runs in a QGIS process of its own")
    parser.add_argument(
        "--window-size", type=_size, default=(1200, 760), help="the window holding the dock, WIDTHxHEIGHT"
    )
    parser.add_argument("--dialog-size", type=_size, default=(1100, 700), help="each dialog, WIDTHxHEIGHT")
    args = parser.parse_args(argv)
    if args.language:
        shoot(args.language, args.output / args.language, args.window_size, args.dialog_size)
        return 0
    # QGIS picks its language once, when it starts: one process per language
    for language in languages():
        command = [sys.executable, "-P", __file__, "--language", language, "--output", str(args.output)]
        command += [
            "--window-size",
            "{}x{}".format(*args.window_size),
            "--dialog-size",
            "{}x{}".format(*args.dialog_size),
        ]
        if subprocess.run(command, check=False).returncode != 0:
            print(f"The {language} screenshots failed.", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
