"""Where the dock's runs write: the mission's outputs folder, one new file per output, named in words.

A run started from the dock writes files, never temporary layers (closing QGIS would lose them): into
``<package>/outputs/`` for a folder package, into an ``outputs`` folder beside a GeoPackage package. The
folder never holds a file of the package itself (what the package checker vets as its data): when the
manifest places a layer there, the next free ``outputs 2``, ``outputs 3``... is taken instead. A name is the
output's description with the date and time of the run, ``Hot spots 2026-12-03 0915.gpkg``, and never the
name of a file that exists or that the dock has already handed out.
"""

from __future__ import annotations

import datetime as dt
import glob
import os
import re
from pathlib import Path
from typing import Any, Optional

from qgis.core import QgsProcessingAlgorithm, QgsProcessingDestinationParameter

from ..core.mission_package.package import MissionPackage
from ..qgis_compat import ProcessingParameterFlag

OUTPUTS_FOLDER = "outputs"
#: Characters a file name cannot hold on one of the systems QGIS runs on (Windows is the strictest).
_NOT_IN_FILE_NAMES = re.compile(r'[<>:"/\\|?*\x00-\x1f]+')


def outputs_folder(package: MissionPackage) -> Path:
    """The folder the dock's runs write into for ``package`` (not created here)."""
    base = package.location.parent if package.is_geopackage else package.location
    package_files = [Path(os.path.realpath(path)) for path in package.files()]
    number = 1
    while True:
        folder = base / (OUTPUTS_FOLDER if number == 1 else f"{OUTPUTS_FOLDER} {number}")
        real = Path(os.path.realpath(folder))
        if not any(path == real or real in path.parents for path in package_files):
            return folder
        number += 1


def words_name(description: str, when: dt.datetime) -> str:
    """``Hot spots 2026-12-03 0915``: what the output is and when it was made, as a file name can hold it."""
    return f"{_words(description)} {when:%Y-%m-%d %H%M}"


def _words(description: str) -> str:
    """The description as a file name can hold it: no character one of the systems refuses, spaces kept single."""
    words = _NOT_IN_FILE_NAMES.sub(" ", description)
    return " ".join(words.split()).strip(" .") or "Output"


def latest_output(folder: Path, description: str, extension: str, newer_than: float) -> Optional[Path]:
    """The newest file the dock named for an output of ``description`` in ``folder``, if one was written after
    ``newer_than`` (a file modification time): what an earlier session made from the package as it is now."""
    named = re.compile(re.escape(_words(description)) + r" \d{4}-\d\d-\d\d \d{4}( \(\d+\))?\." + re.escape(extension))
    found = []
    for path in folder.glob(f"*.{extension}"):
        try:
            modified = path.stat().st_mtime
        except OSError:
            continue
        if named.fullmatch(path.name) and modified > newer_than:
            found.append((modified, path))
    return max(found)[1] if found else None


def free_path(folder: Path, name: str, extension: str, taken: set[Path]) -> Path:
    """``folder/name.extension``, or ``name (2).extension``... : a path no file has (nor a sidecar of the same
    stem, such as a style) and that is not in ``taken`` (handed out to a dialog not run yet)."""
    number = 1
    while True:
        stem = name if number == 1 else f"{name} ({number})"
        path = folder / f"{stem}.{extension}"
        if path not in taken and not path.exists() and not any(folder.glob(glob.escape(stem) + ".*")):
            return path
        number += 1


def output_destinations(
    algorithm: QgsProcessingAlgorithm, folder: Path, when: dt.datetime, taken: set[Path]
) -> dict[str, Any]:
    """A new file in ``folder`` for each output the algorithm makes by default; the paths go into ``taken``.

    Outputs the algorithm leaves off unless asked (an optional PNG, a space-time cube) stay off.
    """
    destinations: dict[str, Any] = {}
    for definition in algorithm.destinationParameterDefinitions():
        if not isinstance(definition, QgsProcessingDestinationParameter) or not _made_by_default(definition):
            continue
        path = free_path(folder, words_name(definition.description(), when), output_extension(definition), taken)
        taken.add(path)
        destinations[definition.name()] = str(path)
    return destinations


def output_extension(definition: QgsProcessingDestinationParameter) -> str:
    """The extension of the files an output is written to (QGIS's default format for it)."""
    return definition.defaultFileExtension() or "gpkg"


def _made_by_default(definition: QgsProcessingDestinationParameter) -> bool:
    optional = bool(definition.flags() & ProcessingParameterFlag.Optional)
    return definition.createByDefault() or not optional
