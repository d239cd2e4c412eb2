"""Checks every kind of layer shares: its CRS against the manifest's, and the fields its role needs."""

from __future__ import annotations

from typing import Iterable, Optional

from pyproj import CRS

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
                f"Layer '{entry.id}' has no CRS defined (undefined CRS).",
                f"Assign its CRS ({entry.crs or 'the right one'}) in the data file, e.g. with "
                "gdal_edit.py -a_srs / ogr2ogr -a_srs, or in QGIS with 'Assign projection'.",
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
            f"CRS mismatch: layer '{entry.id}' is in {crs_label(actual)} but the manifest says {entry.crs}.",
            'Reproject the file to the manifest\'s CRS, or correct "crs" in the manifest if the file is right.',
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
        what = FIELD_HELP.get(logical, f"a '{logical}' field")
        if column is None:
            problems.append(
                Problem(
                    severity,
                    entry.id,
                    f"Layer '{entry.id}' ({entry.role}) declares no {what}.",
                    f'Add "fields": {{"{logical}": "<column>"}} to the layer in the manifest.',
                )
            )
        elif column not in available and column.lower() not in lowered:
            problems.append(
                Problem(
                    severity,
                    entry.id,
                    f"Missing field: layer '{entry.id}' ({entry.role}) has no field '{column}' ({what}).",
                    f'Add the column \'{column}\' to the data, or point "fields"."{logical}" in the manifest to '
                    f"an existing one ({', '.join(available[:12]) or 'the layer has no fields'}).",
                )
            )
    return problems
