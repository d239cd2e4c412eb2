"""Validating a vector layer (GeoPackage, shapefile, GeoJSON, GPX) of a mission package."""

from __future__ import annotations

from pathlib import Path

from ..messages import message
from .datasets import open_vector, source_layer
from .declared_crs import parse_crs
from .layer_checks import crs_problems, field_problems
from .package import LayerEntry
from .problems import ERROR, WARNING, Problem
from .schema import ROLES


def check_vector(entry: LayerEntry, path: Path) -> list[Problem]:
    """The problems of a vector layer's file at ``path``: unreadable, missing table, CRS, no features, fields,
    geometry."""
    from osgeo import osr

    dataset = open_vector(str(path))
    if dataset is None:
        return [
            Problem(
                ERROR,
                entry.id,
                message(
                    "Unreadable file: '{path}' of layer '{id}' cannot be opened as vector data.",
                    path=entry.path,
                    id=entry.id,
                ),
                message("Check the file is a complete GeoPackage, shapefile, GPX or GeoJSON (re-export it)."),
            )
        ]
    names = [dataset.GetLayerByIndex(i).GetName() for i in range(dataset.GetLayerCount())]
    layer = source_layer(dataset, entry)
    if layer is None and entry.layer:
        return [
            Problem(
                ERROR,
                entry.id,
                message(
                    "Layer '{layer}' is not in '{path}' (it holds: {value}).",
                    layer=entry.layer,
                    path=entry.path,
                    value=", ".join(names) or "nothing",
                ),
                message('Correct "layer" in the manifest.'),
            )
        ]
    if layer is None:
        return [
            Problem(
                ERROR, entry.id, message("'{path}' holds no layer.", path=entry.path), message("Re-export the data.")
            )
        ]
    problems: list[Problem] = []
    srs = layer.GetSpatialRef()
    actual = None
    if srs is not None:
        srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
        actual = parse_crs(srs.ExportToWkt())
    problems += crs_problems(entry, actual)
    count = layer.GetFeatureCount()
    if count == 0:
        problems.append(
            Problem(
                WARNING,
                entry.id,
                message("Empty layer: '{id}' has no features.", id=entry.id),
                message("Check that the right layer was exported; analyses using it will have nothing to work on."),
            )
        )
    definition = layer.GetLayerDefn()
    columns = [definition.GetFieldDefn(i).GetName() for i in range(definition.GetFieldCount())]
    problems += field_problems(entry, columns)
    rule = ROLES.get(entry.role)
    if rule is not None and rule.geometry and count:
        family = _geometry_family(layer.GetGeomType())
        if family and family != rule.geometry:
            problems.append(
                Problem(
                    WARNING,
                    entry.id,
                    message(
                        "Layer '{id}' holds {family}s where the role '{role}' expects {geometry}s.",
                        id=entry.id,
                        family=message(family),
                        role=entry.role,
                        geometry=message(rule.geometry),
                    ),
                    message("Check the role in the manifest or the exported geometry."),
                )
            )
    return problems


def _geometry_family(geometry_type: int) -> str:
    """``"point"``, ``"line"`` or ``"polygon"`` for an OGR geometry type (multi-part too); "" for others."""
    from osgeo import ogr

    flat = ogr.GT_Flatten(geometry_type)
    if flat in (ogr.wkbPoint, ogr.wkbMultiPoint):
        return "point"
    if flat in (ogr.wkbLineString, ogr.wkbMultiLineString):
        return "line"
    if flat in (ogr.wkbPolygon, ogr.wkbMultiPolygon):
        return "polygon"
    return ""
