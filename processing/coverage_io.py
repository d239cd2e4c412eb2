"""Reading coverage inputs and the AS_OF date, shared by mew:patrolcoverage and mew:coveragegaps."""

from __future__ import annotations

import datetime as dt

import numpy as np

from ..core.coverage import Features
from ..core.errors import MewError
from .convert import (
    arrow_point_columns,
    iter_shapely,
    pyproj_crs,
    read_points,
    table_name,
    to_crs,
)


def parse_as_of(text: str | None) -> dt.date | None:
    """``AS_OF`` as a date (ISO ``YYYY-MM-DD``); empty means the latest patrol date."""
    if text is None or not str(text).strip():
        return None
    try:
        return dt.date.fromisoformat(str(text).strip()[:10])
    except ValueError:
        raise MewError(f"AS_OF: '{text}' is not a date. Write it as YYYY-MM-DD, e.g. 2026-10-31.") from None


def read_features(algorithm, parameters, key, context, feedback, crs, progress, fields=(), points=False, keep=None,
                  source=None):
    """Features of a source parameter in ``crs`` as (Features, attribute columns), or (None, None).

    ``points``: read coordinates only (fast path for big point layers; a plain
    OGR layer is read column by column). ``keep`` also keeps every feature's
    attributes for writing: "columns" asks for the columnar read (every field,
    in ``columns["__table__"]``), which falls back on "rows" (every feature's
    attribute list in ``columns["__rows__"]``) when the layer needs QGIS's reader.
    Invalid geometries are handled as Processing's setting says (:func:`checked_features`);
    those that reach the engine are repaired there or reported by id.
    """
    if source is None:
        source = algorithm.parameterAsSource(parameters, key, context)
    if source is None:
        return None, None
    layer = algorithm.parameterAsVectorLayer(parameters, key, context)
    name = table_name(layer) or source.sourceName() or key
    wanted = [f for f in fields if f]
    table = None
    if points and keep != "rows":
        table = arrow_point_columns(parameters.get(key), layer, None if keep else wanted)
        if table is not None and keep and any(f.name() not in table.columns and f.name().lower() != "fid"
                                              for f in source.fields()):
            table = None  # fields GDAL does not see (virtual or joined ones): QGIS reads them
            keep = "rows"
    if table is not None:
        xy = np.column_stack((table.x, table.y))
        if source.sourceCrs() != crs:
            xy = to_crs(xy, pyproj_crs(source.sourceCrs(), f"layer '{name}'"), pyproj_crs(crs))
        ids = table.fids.tolist()
        features = Features(ids, [], name, xy=xy)
        values = {f: table.columns[f] for f in wanted}
        if keep:
            values["__table__"] = table
        progress.step(1.0)
    elif points:
        ids, xy, values, rows = read_points(source, context, crs, progress, wanted, bool(keep))
        features = Features(ids, [], name, xy=xy)
        if keep:
            values["__rows__"] = rows
    else:
        ids, geometries, values = [], [], {f: [] for f in wanted}
        for fid, shape, attributes in iter_shapely(source, context, feedback,
                                                   algorithm.input_name(parameters, key, context), crs, progress,
                                                   wanted):
            ids.append(fid)
            geometries.append(shape)
            for f in values:
                values[f].append(attributes[f])
        features = Features(ids, geometries, name)
    if not ids:
        raise MewError(f"The layer '{name}' ({key}) has no features: choose a layer with data or leave it empty.")
    return features, values
