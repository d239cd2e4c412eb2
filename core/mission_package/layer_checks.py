"""Checks every kind of layer shares: its CRS against the manifest's, and the fields its role needs."""

from __future__ import annotations

from typing import Iterable, Optional

from pyproj import CRS

from ..messages import message
from .declared_crs import crs_label, parse_crs, same_crs
from .package import LayerEntry
from .problems import ERROR, WARNING, Problem
from .schema import FIELD_HELP, ROLES


def crs_problems(entry: LayerEntry, actual: Optional[CRS]) -> list[Problem]:
    """The layer's file has no CRS (``actual`` None), or not the one the manifest declares for it."""
    if actual is None:
        return [
            Problem(
                ERROR,
                entry.id,
                message("Layer '{id}' has no CRS defined (undefined CRS).", id=entry.id),
                message(
                    "Assign its CRS ({value}) in the data file, e.g. with gdal_edit.py -a_srs / ogr2ogr -a_srs, or "
                    "in QGIS with 'Assign projection'.",
                    value=entry.crs or "the right one",
                ),
            )
        ]
    declared = parse_crs(entry.crs) if entry.crs else None
    if declared is None:
        return []
    if same_crs(declared, actual):
        return []
    return [
        Problem(
            ERROR,
            entry.id,
            message(
                "CRS mismatch: layer '{id}' is in {actual} but the manifest says {crs}.",
                id=entry.id,
                actual=crs_label(actual),
                crs=entry.crs,
            ),
            message(
                'Reproject the file to the manifest\'s CRS, or correct "crs" in the manifest if the file is right.'
            ),
        )
    ]


def field_problems(entry: LayerEntry, columns: Iterable[str]) -> list[Problem]:
    """The logical fields the layer's role needs (or recommends) that the manifest does not name or the data lacks."""
    rule = ROLES.get(entry.role)
    if rule is None:
        return []
    available = list(columns)
    lowered = {c.lower(): c for c in available}
    problems: list[Problem] = []
    for logical, severity in [(f, ERROR) for f in rule.required] + [(f, WARNING) for f in rule.recommended]:
        column = entry.field_name(logical)
        what = (
            message(FIELD_HELP[logical]) if logical in FIELD_HELP else message("a '{logical}' field", logical=logical)
        )
        if column is None:
            problems.append(
                Problem(
                    severity,
                    entry.id,
                    message("Layer '{id}' ({role}) declares no {what}.", id=entry.id, role=entry.role, what=what),
                    message('Add "fields": {{"{logical}": "<column>"}} to the layer in the manifest.', logical=logical),
                )
            )
        elif column not in available and column.lower() not in lowered:
            problems.append(
                Problem(
                    severity,
                    entry.id,
                    message(
                        "Missing field: layer '{id}' ({role}) has no field '{column}' ({what}).",
                        id=entry.id,
                        role=entry.role,
                        column=column,
                        what=what,
                    ),
                    message(
                        'Add the column \'{column}\' to the data, or point "fields"."{logical}" in the manifest to an '
                        "existing one ({value}).",
                        column=column,
                        logical=logical,
                        value=", ".join(available[:12]) or "the layer has no fields",
                    ),
                )
            )
    return problems
