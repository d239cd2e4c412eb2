"""Conversions between QGIS objects and the plain types the engine takes."""

from __future__ import annotations

from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from pyproj import CRS, Transformer
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeatureRequest,
    QgsFeatureSource,
    QgsMapLayer,
    QgsPoint,
    QgsProcessingContext,
    QgsProcessingFeatureSource,
    QgsProcessingFeedback,
    QgsProject,
    QgsProviderRegistry,
    QgsWkbTypes,
)
from shapely import wkb

from ..core.crs import transform_xy
from ..core.errors import MewError
from ..core.progress import Progress
from ..qgis_compat import CrsWktVariant, GeometryType, InvalidGeometryCheck, ProcessingFeatureSourceFlag, make_field


def pyproj_crs(crs: QgsCoordinateReferenceSystem, what: str = "layer") -> CRS:
    """The pyproj CRS of a QGIS CRS; a clear error when it is undefined."""
    if not crs.isValid():
        raise MewError(f"The {what} has no coordinate reference system: set one in its properties.")
    authid = crs.authid()
    if authid.upper().startswith("EPSG:"):
        return CRS.from_user_input(authid)
    return CRS.from_wkt(crs.toWkt(CrsWktVariant.Preferred))


def to_crs(xy, source_crs: CRS, target_crs: CRS):
    """Points ((n, 2) array) from one pyproj CRS in another; those that cannot be transformed become NaN."""
    import numpy as np

    if source_crs == target_crs or len(xy) == 0:
        return xy
    x, y = transform_xy(Transformer.from_crs(source_crs, target_crs, always_xy=True), xy[:, 0], xy[:, 1])
    out = np.column_stack([x, y])
    out[~np.isfinite(out).all(axis=1)] = np.nan
    return out


def qgis_crs(crs: CRS) -> QgsCoordinateReferenceSystem:
    """The QGIS CRS of a pyproj CRS."""
    epsg = crs.to_epsg()
    if epsg is not None:
        return QgsCoordinateReferenceSystem(f"EPSG:{epsg}")
    return QgsCoordinateReferenceSystem.fromWkt(crs.to_wkt())


def layer_file_path(layer: QgsMapLayer | None) -> str | None:
    """The file a layer reads from, or ``None`` for memory/database layers."""
    return layer_file(layer)[0]


def layer_file(layer: QgsMapLayer | None) -> tuple[str | None, str | None]:
    """The file a layer reads from and the layer (table) in it: ``(None, None)`` for memory/database layers."""
    if layer is None:
        return None, None
    parts = QgsProviderRegistry.instance().decodeUri(layer.providerType(), layer.source())
    path = parts.get("path")
    return (str(path), parts.get("layerName") or None) if path else (None, None)


def layer_name(layer: QgsMapLayer | None, fallback: str = "") -> str:
    """How the user knows a layer: its name in the project, else its table and file (``'area' in data.gpkg``)."""
    if layer is None:
        return f"'{fallback}'"
    path, table = layer_file(layer)
    if path and QgsProject.instance().mapLayer(layer.id()) is None:
        return f"'{table}' in {Path(path).name}" if table else f"'{Path(path).name}'"
    return f"'{layer.name()}'"


def table_name(layer: QgsMapLayer | None) -> str:
    """The table a layer given by its path reads (``patrols`` of ``data.gpkg|layername=patrols``), else "".

    Processing names such a layer after its file (``data``); messages name the table the user chose.
    """
    if layer is None or QgsProject.instance().mapLayer(layer.id()) is not None:
        return ""
    return layer_file(layer)[1] or ""


def iter_shapely(
    source: QgsFeatureSource,
    context: QgsProcessingContext,
    feedback: QgsProcessingFeedback,
    name: str,
    target_crs: QgsCoordinateReferenceSystem | None = None,
    progress: Progress | None = None,
    attributes: list[str] | None = None,
) -> Iterator[tuple[int, Any, dict[str, Any]]]:
    """Yield ``(feature id, shapely geometry or None, attributes)`` for each feature (see :func:`checked_features`).

    Geometries are transformed to ``target_crs`` when given. Empty or missing
    geometries come through as ``None`` so callers can report them by id.
    Invalid polygons, which come through only when Processing is set not to
    filter them, are repaired (:func:`repaired`).
    """
    repair = not checks_geometries(context)
    request = request_in(source, target_crs, context)
    total = max(source.featureCount(), 1)
    names = attributes if attributes is not None else [f.name() for f in source.fields()]
    with closing(checked_features(source, request, context, feedback, name)) as features:
        for count, feature in enumerate(features):
            if progress is not None and count % 1000 == 0:
                progress.step(count / total)
            geometry = feature.geometry()
            shape = None
            if not geometry.isNull() and not geometry.isEmpty():
                try:
                    shape = wkb.loads(bytes(geometry.asWkb()))
                except Exception:  # GEOS refuses it (e.g. a one-vertex line): callers report the feature by id
                    shape = None
                if repair and shape is not None:
                    shape = repaired(shape)
            yield feature.id(), shape, {field: feature[field] for field in names}


def request_in(source: QgsFeatureSource, target_crs: QgsCoordinateReferenceSystem | None,
               context: QgsProcessingContext) -> QgsFeatureRequest:
    """A feature request giving geometries in ``target_crs`` (the project's datum transforms), when it differs."""
    request = QgsFeatureRequest()
    if target_crs is not None and target_crs != source.sourceCrs():
        request.setDestinationCrs(target_crs, context.transformContext())
    return request


def checks_geometries(context: QgsProcessingContext) -> bool:
    """Whether Processing is set to skip or stop on invalid geometries (not "do not filter")."""
    return context.invalidGeometryCheck() != InvalidGeometryCheck.NoCheck


def repaired(shape):
    """An invalid polygon as GEOS's make_valid repairs it; any other shape as it is.

    The repair keeps every area the rings enclose (a self-intersecting
    "bow-tie" becomes its two triangles, where the ring as it is counts one
    triangle's area against the other's, 0 when they are equal, and can have
    its centroid outside both) and drops only parts collapsed to lines or
    points, which cover no area: areas, cells, centroids and zones measured on
    the repaired polygon are those the polygon was drawn to mean.
    """
    if shape.geom_type not in ("Polygon", "MultiPolygon") or shape.is_valid:
        return shape
    from shapely.geometry import MultiPolygon
    from shapely.validation import make_valid

    fixed = make_valid(shape)
    if fixed.geom_type == "GeometryCollection":
        polygons = [p for part in fixed.geoms if part.geom_type in ("Polygon", "MultiPolygon")
                    for p in getattr(part, "geoms", [part])]
        fixed = MultiPolygon(polygons)
    return fixed


def checked_features(
    source: QgsFeatureSource,
    request: QgsFeatureRequest,
    context: QgsProcessingContext,
    feedback: QgsProcessingFeedback | None,
    name: str,
) -> Iterator[Any]:
    """The features of ``source`` for ``request``, with Processing's invalid-geometry setting applied here.

    QGIS's own check raises its error from inside the feature iterator; under
    a Python algorithm that corrupts the interpreter (QGIS 3.22 crashes on a
    later run). So QGIS's check is off for every read, and each geometry is
    tested here, as the setting (``context.invalidGeometryCheck()``) says:

    - do not filter: every feature as it is;
    - skip invalid features: they are left out and listed (layer and
      feature ids) in the log once the layer is read;
    - stop: a :class:`MewError` naming the layer (``name``), the feature and
      the problem, saying what to do.

    Points are not tested: a point is always valid. Loop over it inside
    ``with contextlib.closing(...)``: the QGIS iterator is then closed
    whatever ends the loop, and never outlives its source (QGIS crashes when
    an iterator kept alive by a traceback is deleted after its source).
    """
    check = context.invalidGeometryCheck()
    testing = checks_geometries(context) and QgsWkbTypes.geometryType(source.wkbType()) not in (
        GeometryType.Point, GeometryType.Null, GeometryType.Unknown)
    stop = check == InvalidGeometryCheck.AbortOnInvalid
    request.setInvalidGeometryCheck(InvalidGeometryCheck.NoCheck)
    if isinstance(source, QgsProcessingFeatureSource):
        iterator = source.getFeatures(request, ProcessingFeatureSourceFlag.SkipGeometryValidityChecks)
    else:
        iterator = source.getFeatures(request)
    skipped: list[int] = []
    try:
        for feature in iterator:
            if testing:
                geometry = feature.geometry()
                if not geometry.isNull() and not geometry.isGeosValid():
                    if stop:
                        raise MewError(
                            f"Feature {feature.id()} of the layer {name} has an invalid geometry"
                            f"{_why_invalid(geometry)}. Repair the layer (Processing: 'Fix geometries'; "
                            "'Check validity' lists every problem), or set Processing's 'Invalid features "
                            "filtering' option to skip invalid features or not to filter them."
                        )
                    skipped.append(feature.id())
                    continue
            yield feature
    finally:
        iterator.close()
    if skipped and feedback is not None:
        shown = ", ".join(map(str, skipped[:20])) + (f" and {len(skipped) - 20} more" if len(skipped) > 20 else "")
        feedback.reportError(
            f"{len(skipped)} feature(s) of the layer {name} have an invalid geometry and were skipped, as "
            f"Processing's 'Invalid features filtering' option says: feature id(s) {shown}. Repair them "
            "(Processing: 'Fix geometries') to include them.",
            False,
        )


def _why_invalid(geometry) -> str:
    """`` (self-intersection near 505000 1005000)``, as GEOS explains it, or nothing."""
    try:
        from shapely.validation import explain_validity

        reason = explain_validity(wkb.loads(bytes(geometry.asWkb())))
    except Exception:  # a geometry GEOS cannot even read: its id says enough
        return ""
    match = reason.replace("[", " near ").rstrip("]")
    return f" ({match[:1].lower()}{match[1:]})" if reason and reason != "Valid Geometry" else ""


def point_arrays(
    parameter_value: Any,
    source: QgsFeatureSource,
    layer: QgsMapLayer | None,
    context: QgsProcessingContext,
    fields: list[str],
    progress: Progress | None = None,
) -> PointColumns:
    """Feature ids, coordinates (numpy arrays, source CRS) of every point (parts of multipoints apart) and
    field values; features without a point (no geometry, NaN coordinates) are left out.

    A plain OGR layer (no subset, not "selected features only") is read with
    GDAL's columnar (Arrow) reader: a million points take a fraction of a
    second instead of the several seconds a feature loop costs. Field values
    come back as one list per field (NULL as ``None``), aligned with the points.
    """
    import numpy as np

    fast = _arrow_point_arrays(parameter_value, layer, fields)
    if fast is not None:
        return fast
    request = QgsFeatureRequest().setSubsetOfAttributes(fields, source.fields())
    fids: list[int] = []
    xs: list[float] = []
    ys: list[float] = []
    columns: dict[str, list[Any]] = {name: [] for name in fields}
    total = max(source.featureCount(), 1)
    with closing(checked_features(source, request, context, None, source.sourceName())) as features:
        for count, feature in enumerate(features):
            if progress is not None and count % 5000 == 0:
                progress.step(count / total)
            geometry = feature.geometry()
            if geometry.isNull() or geometry.isEmpty():
                continue
            points = geometry.asMultiPoint() if geometry.isMultipart() else [geometry.asPoint()]
            values = [qvariant_to_python(feature[name]) for name in fields]
            for point in points:
                fids.append(feature.id())
                xs.append(point.x())
                ys.append(point.y())
                for name, value in zip(fields, values):
                    columns[name].append(value)
    table = PointColumns(np.asarray(fids, dtype=np.int64), np.asarray(xs, dtype=float), np.asarray(ys, dtype=float),
                         columns)
    return _usable(table)


def qvariant_to_python(value: Any) -> Any:
    """A plain Python value of a QGIS attribute (NULL → None, QDate → date, QDateTime → datetime)."""
    if value is None:
        return None
    if hasattr(value, "isNull") and value.isNull():
        return None
    for method in ("toPyDateTime", "toPyDate"):
        if hasattr(value, method):
            return getattr(value, method)()
    return value


def _arrow_point_arrays(parameter_value: Any, layer: QgsMapLayer | None, fields: list[str]):
    table = arrow_point_columns(parameter_value, layer, fields)
    return None if table is None else _usable(table)


def _usable(table: PointColumns) -> PointColumns:
    """The points of a table that have finite coordinates."""
    import numpy as np

    usable = np.isfinite(table.x) & np.isfinite(table.y)
    if usable.all():
        return table
    keep = usable.tolist()
    columns = {name: [v for v, k in zip(values, keep) if k] for name, values in table.columns.items()}
    return PointColumns(table.fids[usable], table.x[usable], table.y[usable], columns)


def leave_out_impossible(table: PointColumns, crs: CRS, feedback, what: str = "incidents") -> PointColumns:
    """The points of ``table`` that can be places (:func:`core.crs.impossible_coordinates`); the others
    are reported by feature id and left out, so that they never shape an extent or a projection."""
    from ..core.crs import impossible_coordinates

    bad = impossible_coordinates(crs, table.x, table.y)
    if not bad.any():
        return table
    ids = sorted(set(table.fids[bad].tolist()))
    shown = ", ".join(map(str, ids[:10])) + (", …" if len(ids) > 10 else "")
    feedback.pushWarning(
        f"{len(ids)} {what} have impossible coordinates for {crs.name} (longitude beyond ±180° or latitude beyond "
        f"±90°) and were left out: feature ids {shown}. Correct them, or check the layer's CRS."
    )
    keep = (~bad).tolist()
    columns = {name: [v for v, k in zip(values, keep) if k] for name, values in table.columns.items()}
    return PointColumns(table.fids[~bad], table.x[~bad], table.y[~bad], columns)


@dataclass
class PointColumns:
    """A point layer read column by column: one row per feature, in the layer's own CRS."""

    fids: Any  # int64 array
    x: Any  # float arrays, NaN where the feature has no geometry (or an empty one)
    y: Any
    columns: dict[str, list[Any]]  # plain Python values (None for NULL), one list per field


def arrow_point_columns(parameter_value: Any, layer: QgsMapLayer | None, fields: list[str] | None):
    """A plain OGR point layer read with GDAL's columnar (Arrow) reader, or ``None`` when that does not apply.

    ``fields``: the attribute columns wanted (``None``: all). ``None`` comes back
    for layers the columnar reader cannot serve exactly (not OGR, a subset or a
    selection, multi-part or 3-D points, a GDAL without Arrow), so callers fall
    back on a QGIS feature loop.
    """
    import numpy as np

    try:
        from osgeo import gdal, ogr
    except ImportError:
        return None
    if layer is None or layer.providerType() != "ogr" or layer.subsetString():
        return None
    definition = getattr(parameter_value, "selectedFeaturesOnly", False) or getattr(
        parameter_value, "featureLimit", -1
    ) not in (-1, None)
    if definition or not hasattr(ogr.Layer, "GetArrowStreamAsNumPy"):
        return None
    parts = QgsProviderRegistry.instance().decodeUri("ogr", layer.source())
    path = parts.get("path")
    if not path or parts.get("subset"):
        return None
    point = np.dtype([("order", "u1"), ("type", "<u4"), ("x", "<f8"), ("y", "<f8")])
    with gdal.ExceptionMgr(useExceptions=True) if hasattr(gdal, "ExceptionMgr") else _null_context():
        try:
            dataset = gdal.OpenEx(path, gdal.OF_VECTOR | gdal.OF_READONLY)
            if parts.get("layerName"):
                ogr_layer = dataset.GetLayerByName(parts["layerName"])
            else:
                ogr_layer = dataset.GetLayer(int(parts.get("layerId") or 0))
            if ogr_layer is None or ogr_layer.GetGeomType() not in (ogr.wkbPoint, ogr.wkbPoint25D, ogr.wkbPointM,
                                                                      ogr.wkbPointZM):
                return None
            definition = ogr_layer.GetLayerDefn()
            names = [definition.GetFieldDefn(i).GetName() for i in range(definition.GetFieldCount())]
            wanted = names if fields is None else list(fields)
            if any(name not in names for name in wanted):
                return None
            if any(definition.GetFieldDefn(names.index(name)).GetSubType() == ogr.OFSTBoolean for name in wanted):
                return None  # GDAL 3.6 unpacks Arrow's bit-packed booleans wrongly
            ogr_layer.SetIgnoredFields([name for name in names if name not in wanted])
            geometry_name = ogr_layer.GetGeometryColumn() or "wkb_geometry"
            fid_name = ogr_layer.GetFIDColumn() or "OGC_FID"
            fids, xs, ys = [], [], []
            columns: dict[str, list[Any]] = {name: [] for name in wanted}
            for batch in ogr_layer.GetArrowStreamAsNumPy(options=["USE_MASKED_ARRAYS=YES", "INCLUDE_FID=YES"]):
                blobs = batch.get(geometry_name)
                if blobs is None:
                    blobs = next(v for k, v in batch.items() if k not in wanted and k != fid_name and
                                 getattr(v, "dtype", None) is not None and v.dtype.kind in "VO")
                x, y = _wkb_points(blobs, point)
                if x is None:
                    return None  # 3-D or multi-part points: let QGIS read them
                xs.append(x)
                ys.append(y)
                fid = batch.get(fid_name)
                fids.append(np.asarray(fid, dtype=np.int64) if fid is not None
                            else np.arange(x.size, dtype=np.int64) + sum(len(f) for f in fids))
                for name in wanted:
                    columns[name].extend(_plain_values(batch[name]))
        except (RuntimeError, StopIteration, KeyError):
            return None
    if not xs:
        empty = np.zeros(0)
        return PointColumns(np.zeros(0, np.int64), empty, empty, {name: [] for name in wanted})
    return PointColumns(np.concatenate(fids), np.concatenate(xs), np.concatenate(ys), columns)


def _wkb_points(blobs, point_dtype):
    """x, y arrays of 2-D little-endian WKB points (NaN for missing geometries), or (None, None)."""
    import numpy as np

    if blobs.dtype.kind == "V":
        if blobs.dtype.itemsize != point_dtype.itemsize:
            return None, None
        raw = np.ascontiguousarray(blobs).view(point_dtype)
    else:  # an object column: some geometries are NULL
        values = _with_none(blobs)
        present = np.array([v is not None for v in values], dtype=bool)
        if any(len(v) != point_dtype.itemsize for v in values[present]):
            return None, None
        raw = np.zeros(values.size, dtype=point_dtype)
        raw["order"], raw["type"] = 1, 1
        raw["x"] = raw["y"] = np.nan
        if present.any():
            raw[present] = np.frombuffer(b"".join(values[present]), dtype=point_dtype)
    if (raw["order"] != 1).any() or (raw["type"] != 1).any():
        return None, None
    return raw["x"].astype(float), raw["y"].astype(float)


def _with_none(column):
    """An object array of a (masked) column with None where masked; ``filled(None)`` would give '?'."""
    import numpy as np

    values = np.asarray(np.ma.getdata(column)).astype(object)
    if np.ma.isMaskedArray(column):
        values[np.ma.getmaskarray(column)] = None
    return values


def _plain_values(column) -> list[Any]:
    """A column of an Arrow batch as Python values: NULL as None, text decoded, dates as ``datetime.date``."""

    values = _with_none(column).tolist()
    if column.dtype.kind == "S" or column.dtype.kind == "O":
        values = [v.decode("utf-8", "replace") if isinstance(v, bytes) else v for v in values]
    return values


class _null_context:  # noqa: N801 - used like contextlib.nullcontext on old GDAL bindings
    def __enter__(self):
        return self

    def __exit__(self, *args):
        return False


def point_table(
    parameter_value: Any,
    source: QgsFeatureSource,
    layer: QgsMapLayer | None,
    context: QgsProcessingContext,
    fields: list[str],
    progress: Progress | None = None,
    feedback=None,
) -> tuple[Any, dict[str, list[Any]], int, Any]:
    """:func:`point_arrays` as an ``(n, 2)`` array, the fields, how many features had no point, and the
    feature ids; points with impossible coordinates are left out and, with ``feedback``, reported."""
    import numpy as np

    table = point_arrays(parameter_value, source, layer, context, fields, progress)
    skipped = max(source.featureCount() - len(np.unique(table.fids)), 0)
    if feedback is not None:
        table = leave_out_impossible(table, pyproj_crs(source.sourceCrs(), "input layer"), feedback)
    xy = np.column_stack([table.x, table.y]) if len(table.x) else np.zeros((0, 2))
    return xy, table.columns, skipped, table.fids


def python_date(value: Any):
    """A ``datetime.date`` from a QGIS attribute value (QDate, QDateTime, ISO or ACLED-style text), or ``None``."""
    from ..core.timesteps import parse_date

    day = parse_date(qvariant_to_python(value))
    return None if day is None else day.astype(object)


def python_number(value: Any) -> float | None:
    """A float from a QGIS attribute value, or ``None`` for NULL/empty/non-numeric values."""
    if type(value) is int or type(value) is float:  # most values, e.g. all from the columnar reader
        return float(value) if value == value else None
    value = qvariant_to_python(value)
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number == number else None


def read_points(
    source: QgsFeatureSource,
    context: QgsProcessingContext,
    target_crs: QgsCoordinateReferenceSystem | None = None,
    progress: Progress | None = None,
    attributes: list[str] | None = None,
    keep_attributes: bool = False,
):
    """Coordinates of a point layer without one Python geometry object per feature.

    Returns ``(ids, xy, columns, rows)``: feature ids, an (n, 2) array (NaN for
    features without a geometry; centroids of multi-points), the requested
    attribute columns, and — with ``keep_attributes`` — every feature's full
    attribute list (for writing the features back out).
    """
    import numpy as np

    request = request_in(source, target_crs, context)
    names = [a for a in (attributes or []) if a]
    if not keep_attributes:
        request.setSubsetOfAttributes(names, source.fields())
    total = max(source.featureCount(), 1)
    ids: list[int] = []
    coordinates: list[tuple[float, float]] = []
    columns: dict[str, list[Any]] = {name: [] for name in names}
    rows: list[list[Any]] = []
    with closing(checked_features(source, request, context, None, source.sourceName())) as features:
        _collect_points(features, progress, total, ids, coordinates, columns, rows, names, keep_attributes)
    xy = np.array(coordinates, dtype=float).reshape(-1, 2)
    return ids, xy, columns, rows


def _collect_points(iterator, progress, total, ids, coordinates, columns, rows, names, keep_attributes) -> None:
    nan = (float("nan"), float("nan"))
    for count, feature in enumerate(iterator):
        if progress is not None and count % 5000 == 0:
            progress.step(count / total)
        geometry = feature.geometry()
        shape = geometry.constGet()  # None for a null geometry; one call less per feature than asPoint checks
        if shape is None:
            coordinates.append(nan)
        elif isinstance(shape, QgsPoint):
            coordinates.append((shape.x(), shape.y()))
        elif geometry.isEmpty():
            coordinates.append(nan)
        else:
            point = geometry.centroid().asPoint()
            coordinates.append((point.x(), point.y()))
        ids.append(feature.id())
        for name in names:
            columns[name].append(feature[name])
        if keep_attributes:
            rows.append(feature.attributes())


def extended_fields(source_fields, added) -> tuple[Any, list[int]]:
    """Output fields: the input's (minus any named like an added one, which it replaces) then ``added``.

    ``added`` is a sequence of (name, kind), kinds as in :func:`qgis_compat.make_field`.
    Returns the fields and the indices of the input fields kept, in order.
    """
    from qgis.core import QgsFields

    names = {name for name, _ in added}
    fields = QgsFields()
    kept = [i for i, f in enumerate(source_fields) if f.name() not in names]
    for i in kept:
        fields.append(source_fields.at(i))
    for name, kind in added:
        fields.append(make_field(name, kind))
    return fields, kept
