"""Validating a mission package: every layer's file is vetted, then read by the check of its kind."""

from __future__ import annotations

from ..messages import message
from ..progress import SILENT, Progress
from .package import LayerEntry, MissionPackage
from .problems import ERROR, Problem
from .raster_check import check_ndvi_grids, check_raster
from .table_check import check_table
from .vector_check import check_vector
from .vetting import RefusedFile, vetted_source


def validate(package: MissionPackage, progress: Progress = SILENT) -> list[Problem]:
    """Every problem of the package: the manifest's, then each layer's, then across layers.

    Each layer takes an equal share of ``progress``; cancelling raises :class:`OperationCancelled`.
    """
    problems = list(package.manifest_problems)
    share = 1.0 / max(len(package.layers), 1)
    for index, entry in enumerate(package.layers):
        progress.step(index * share)
        problems.extend(validate_layer(entry, progress.sub(index * share, (index + 1) * share)))
    problems.extend(check_ndvi_grids(package))
    progress.step(1.0)
    return problems


def validate_layer(entry: LayerEntry, progress: Progress = SILENT) -> list[Problem]:
    """The problems of one layer's file (nothing if its path was already refused)."""
    if entry.source is None:
        return []
    if not entry.source.exists():
        return [
            Problem(
                ERROR,
                entry.id,
                message("File missing: '{path}' of layer '{id}' is not in the package.", path=entry.path, id=entry.id),
                message('Copy the file into the package or correct "path" in the manifest.'),
            )
        ]
    try:
        path = vetted_source(entry)
    except RefusedFile as error:
        return [Problem(ERROR, entry.id, error.message, error.action)]
    if entry.kind == "raster":
        return check_raster(entry, path)
    if entry.kind == "table":
        return check_table(entry, path, progress)
    return check_vector(entry, path)
