"""The one way algorithms read an input layer into columns, and the one way they write a vector output.

:func:`read_input` gives a :class:`FeatureColumns`: feature ids, points (an
``(n, 2)`` array) or shapely geometries in the CRS asked for, attribute columns
by field name as plain Python values, and counts of what was left out. A point
layer QGIS would read straight from an unedited file is read with GDAL's
columnar (Arrow) reader instead: a million points take a fraction of a second
instead of the several seconds a feature loop costs. Anything else a user can
see differently from the file (edits not yet saved, a filter, "selected
features only") is read through QGIS, so the analysis sees what the map shows.

:func:`write_output` writes a :class:`VectorOutput`: new columns, optionally
after the input features' own fields and geometries; a plain GeoPackage file
destination of points is written in bulk (:mod:`core.gpkg`), any other through
Processing's feature sink.
"""

from __future__ import annotations

from contextlib import closing
from dataclasses import dataclass
from enum import Enum
from typing import Any, Sequence

import numpy as np
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsFeatureSink,
    QgsFeatureSource,
    QgsFields,
    QgsGeometry,
    QgsPoint,
    QgsPointXY,
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsProviderRegistry,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QDate
from shapely import wkb

from ..core import gpkg
from ..core.coverage_types import Features
from ..core.crs import impossible_coordinates
from ..core.errors import MewError
from ..core.geodesic import repaired
from ..core.messages import message
from ..core.progress import Progress
from ..qgis_compat import CrsWktVariant, WkbType, field_kind, make_fields
from .base import direct_geopackage_path, register_output
from .convert import (
    checked_features,
    checks_geometries,
    extended_fields,
    pyproj_crs,
    qvariant_to_python,
    request_in,
    table_name,
    to_crs,
)


class Geometry(Enum):
    """What :func:`read_input` gives of each feature's geometry."""

    #: A shapely geometry per feature (``None`` when missing or unreadable); invalid polygons that Processing lets
    #: through ("do not filter") come repaired (:func:`.core.geodesic.repaired`).
    SHAPES = "shapes"
    #: One ``(x, y)`` row per feature: NaN without a geometry, the centroid of a multi-point.
    POINTS = "points"
    #: One row per point (the parts of a multi-point apart); features without a point are left out and counted.
    POINT_PARTS = "point parts"


class Carry(Enum):
    """Whether :func:`read_input` also keeps every field of every feature, to write the features back out."""

    NONE = "none"
    #: Every field as plain Python columns (:attr:`FeatureColumns.columns`) where the columnar reader serves the
    #: layer, as QGIS's attribute lists (:attr:`FeatureColumns.rows`) where it does not.
    COLUMNS = "columns"
    #: QGIS's attribute lists, as a feature sink takes them.
    ROWS = "rows"


@dataclass(frozen=True)
class ReadOptions:
    """How :func:`read_input` reads a layer."""

    geometry: Geometry = Geometry.SHAPES
    fields: Sequence[str | None] = ()  # the attribute columns wanted; empty names (unset parameters) are ignored
    crs: QgsCoordinateReferenceSystem | None = None  # the CRS of the coordinates; None: the layer's own
    carry: Carry = Carry.NONE
    progress: Progress | None = None
    refuse_empty: bool = False  # a layer without features is an error naming it (an optional input left empty)
    leave_out_impossible: bool = False  # points beyond ±180°/±90° are left out and reported
    what: str = "features"  # how warnings name the features (e.g. "incidents")


@dataclass
class FeatureColumns:
    """A layer read column by column; rows follow the layer's features (see :class:`Geometry` for points)."""

    name: str  # how messages name the layer
    source: QgsFeatureSource
    crs: QgsCoordinateReferenceSystem  # of ``xy`` and ``shapes``
    ids: np.ndarray  # int64 feature ids, one per row
    columns: dict[str, list[Any]]  # plain Python values (None for NULL) by field name
    xy: np.ndarray | None = None  # (n, 2), for points
    shapes: list[Any] | None = None  # shapely geometries, for Geometry.SHAPES
    rows: list[list[Any]] | None = None  # QGIS attribute lists of every feature (Carry.ROWS)
    features_read: int = 0
    without_geometry: int = 0  # features left out for want of a point (Geometry.POINT_PARTS)
    impossible: int = 0  # points left out for impossible coordinates
    columnar: bool = False  # read by GDAL's columnar reader: ``columns`` hold every field when carried

    def __len__(self) -> int:
        return int(self.ids.size)

    def features(self) -> Features:
        """The features as the engine takes them."""
        ids = self.ids.tolist()
        if self.xy is not None:
            return Features(ids, [], self.name, xy=self.xy)
        return Features(ids, list(self.shapes or []), self.name)


def read_input(
    algorithm,
    parameters: dict[str, Any],
    key: str,
    context: QgsProcessingContext,
    feedback: QgsProcessingFeedback,
    options: ReadOptions,
    source: QgsFeatureSource | None = None,
) -> FeatureColumns | None:
    """The features of the source parameter ``key`` as ``options`` say; ``None`` when it is not given.

    ``source``: the parameter's source when the algorithm has opened it already
    (opening a layer from its path costs a noticeable fraction of a second).
    """
    if source is None:
        source = algorithm.parameterAsSource(parameters, key, context)
    if source is None:
        return None
    layer = algorithm.parameterAsVectorLayer(parameters, key, context)
    table = read_source(
        source,
        layer,
        parameters.get(key),
        context,
        feedback,
        options,
        table_name(layer) or source.sourceName() or key,
        algorithm.input_name(parameters, key, context),
    )
    if options.refuse_empty and not len(table):
        raise MewError(
            "The layer '{name}' ({key}) has no features: choose a layer with data or leave it empty.",
            name=table.name,
            key=key,
        )
    return table


def read_source(
    source: QgsFeatureSource,
    layer: QgsVectorLayer | None,
    parameter_value: Any,
    context: QgsProcessingContext,
    feedback: QgsProcessingFeedback | None,
    options: ReadOptions,
    name: str,
    message_name: str | None = None,
) -> FeatureColumns:
    """:func:`read_input` for a source already opened: ``layer`` and ``parameter_value`` tell whether the
    columnar reader may serve it; ``message_name`` names the layer in messages about its geometries."""
    wanted = [f for f in options.fields if f]
    crs = options.crs if options.crs is not None else source.sourceCrs()
    table = None
    if options.geometry is not Geometry.SHAPES and options.carry is not Carry.ROWS:
        table = _columnar(source, layer, parameter_value, name, crs, None if options.carry is Carry.COLUMNS else wanted)
    if table is None:
        table = _read_with_qgis(source, context, feedback, options, wanted, name, crs, message_name or name)
    elif options.progress is not None:
        options.progress.step(1.0)
    if options.geometry is not Geometry.SHAPES:
        table = _placed(table, options, feedback)
    return table


def _placed(table: FeatureColumns, options: ReadOptions, feedback: QgsProcessingFeedback | None) -> FeatureColumns:
    """Point parts without coordinates, and with ``leave_out_impossible`` impossible ones, left out and reported."""
    assert table.xy is not None
    keep = np.ones(len(table), dtype=bool)
    if options.geometry is Geometry.POINT_PARTS:
        keep = np.isfinite(table.xy).all(axis=1)
        table.without_geometry = max(table.features_read - len(np.unique(table.ids[keep])), 0)
        if table.without_geometry and feedback is not None:
            feedback.pushWarning(
                message(
                    "{count} {what} without a location were left out.",
                    count=table.without_geometry,
                    what=message(options.what),
                )
            )
    if options.leave_out_impossible:
        crs = pyproj_crs(table.crs, "input layer")
        bad = impossible_coordinates(crs, table.xy[:, 0], table.xy[:, 1]) & keep
        if bad.any():
            ids = sorted(set(table.ids[bad].tolist()))
            shown = ", ".join(map(str, ids[:10])) + (", …" if len(ids) > 10 else "")
            table.impossible = int(bad.sum())
            if feedback is not None:
                feedback.pushWarning(
                    message(
                        "{count} {what} have impossible coordinates for {crs} (longitude beyond ±180° or latitude "
                        "beyond ±90°) and were left out: feature ids {ids}. Correct them, or check the layer's CRS.",
                        count=len(ids),
                        what=message(options.what),
                        crs=crs.name,
                        ids=shown,
                    )
                )
            keep &= ~bad
    if keep.all():
        return table
    kept = keep.tolist()
    table.ids, table.xy = table.ids[keep], table.xy[keep]
    table.columns = {f: [v for v, k in zip(values, kept) if k] for f, values in table.columns.items()}
    if table.rows is not None:
        table.rows = [row for row, k in zip(table.rows, kept) if k]
    return table


def _read_with_qgis(
    source: QgsFeatureSource,
    context: QgsProcessingContext,
    feedback: QgsProcessingFeedback | None,
    options: ReadOptions,
    wanted: list[str],
    name: str,
    crs: QgsCoordinateReferenceSystem,
    message_name: str,
) -> FeatureColumns:
    """The features as QGIS delivers them (edits, filters and selections applied), one Python step each."""
    request = request_in(source, crs, context)
    if options.carry is Carry.NONE:
        request.setSubsetOfAttributes(wanted, source.fields())
    geometry = options.geometry
    repair = geometry is Geometry.SHAPES and not checks_geometries(context)
    progress, total = options.progress, max(source.featureCount(), 1)
    ids: list[int] = []
    coordinates: list[tuple[float, float]] = []
    shapes: list[Any] = []
    columns: dict[str, list[Any]] = {f: [] for f in wanted}
    rows: list[list[Any]] | None = [] if options.carry is not Carry.NONE else None
    count = 0
    nan = (float("nan"), float("nan"))
    with closing(checked_features(source, request, context, feedback, message_name)) as features:
        for count, feature in enumerate(features, 1):
            if progress is not None and count % 2000 == 0:
                progress.step(count / total)
            values = [qvariant_to_python(feature[f]) for f in wanted]
            parts = 1
            if geometry is Geometry.SHAPES:
                shapes.append(_shape(feature.geometry(), repair))
            elif geometry is Geometry.POINTS:
                coordinates.append(_feature_point(feature.geometry(), nan))
            else:
                points = _point_parts(feature.geometry(), nan)
                coordinates.extend(points)
                parts = len(points)
            ids.extend([feature.id()] * parts)
            for f, value in zip(wanted, values):
                columns[f].extend([value] * parts)
            if rows is not None:
                rows.extend([feature.attributes()] * parts)
    return FeatureColumns(
        name,
        source,
        crs,
        np.asarray(ids, dtype=np.int64),
        columns,
        xy=None if geometry is Geometry.SHAPES else np.array(coordinates, dtype=float).reshape(-1, 2),
        shapes=shapes if geometry is Geometry.SHAPES else None,
        rows=rows,
        features_read=count,
    )


def _shape(geometry: QgsGeometry, repair: bool):
    """A feature's geometry in shapely, or None when it is missing, empty or GEOS refuses it."""
    if geometry.isNull() or geometry.isEmpty():
        return None
    try:
        shape = wkb.loads(bytes(geometry.asWkb()))
    except Exception:  # GEOS refuses it (e.g. a one-vertex line): callers report the feature by id
        return None
    return repaired(shape) if repair else shape


def _feature_point(geometry: QgsGeometry, nan: tuple[float, float]) -> tuple[float, float]:
    shape = geometry.constGet()  # None for a null geometry; one call less per feature than asPoint checks
    if shape is None:
        return nan
    if isinstance(shape, QgsPoint):
        return shape.x(), shape.y()
    if geometry.isEmpty():
        return nan
    point = geometry.centroid().asPoint()
    return point.x(), point.y()


def _point_parts(geometry: QgsGeometry, nan: tuple[float, float]) -> list[tuple[float, float]]:
    if geometry.isNull() or geometry.isEmpty():
        return [nan]
    points = geometry.asMultiPoint() if geometry.isMultipart() else [geometry.asPoint()]
    return [(point.x(), point.y()) for point in points]


def _columnar(
    source: QgsFeatureSource,
    layer: QgsVectorLayer | None,
    parameter_value: Any,
    name: str,
    crs: QgsCoordinateReferenceSystem,
    fields: list[str] | None,
) -> FeatureColumns | None:
    """The points read by GDAL's columnar reader in ``crs``, or None when it cannot give what QGIS shows."""
    read = arrow_point_columns(parameter_value, layer, fields)
    if read is None:
        return None
    fids, xy, columns = read
    if fields is None and any(f.name() not in columns and f.name().lower() != "fid" for f in source.fields()):
        return None  # fields GDAL does not see (virtual or joined ones): QGIS reads them
    if source.sourceCrs() != crs:
        xy = to_crs(xy, pyproj_crs(source.sourceCrs(), f"layer '{name}'"), pyproj_crs(crs))
    return FeatureColumns(name, source, crs, fids, columns, xy=xy, features_read=int(fids.size), columnar=True)


def shows_the_file(layer: QgsVectorLayer | None, parameter_value: Any) -> bool:
    """Whether the features of ``layer`` as Processing gives them are exactly those of its file.

    Not so for a layer being edited (changes not saved yet), with a subset
    filter, read as "selected features only", with a feature limit or a filter
    expression on the parameter, or not read by OGR.
    """
    if layer is None or layer.providerType() != "ogr" or layer.subsetString():
        return False
    if layer.isEditable() or layer.isModified():
        return False
    if getattr(parameter_value, "selectedFeaturesOnly", False):
        return False
    if getattr(parameter_value, "featureLimit", -1) not in (-1, None):
        return False
    return not getattr(parameter_value, "filterExpression", "")


def arrow_point_columns(parameter_value: Any, layer: QgsVectorLayer | None, fields: list[str] | None):
    """``(ids, xy, columns)`` of a point layer read by GDAL's columnar (Arrow) reader, in the layer's CRS;
    ``None`` when that reader cannot serve it exactly (see :func:`shows_the_file`; multi-part or 3-D points,
    boolean fields, a GDAL without Arrow), so that QGIS reads it.

    ``fields``: the attribute columns wanted (``None``: all). Missing points have NaN coordinates.
    """
    try:
        from osgeo import gdal, ogr
    except ImportError:
        return None
    if layer is None or not shows_the_file(layer, parameter_value) or not hasattr(ogr.Layer, "GetArrowStreamAsNumPy"):
        return None
    parts = QgsProviderRegistry.instance().decodeUri("ogr", layer.source())
    path = parts.get("path")
    if not path or parts.get("subset"):
        return None
    with gdal.ExceptionMgr(useExceptions=True) if hasattr(gdal, "ExceptionMgr") else _NoContext():
        try:
            dataset = gdal.OpenEx(path, gdal.OF_VECTOR | gdal.OF_READONLY)
            if parts.get("layerName"):
                ogr_layer = dataset.GetLayerByName(parts["layerName"])
            else:
                ogr_layer = dataset.GetLayer(int(parts.get("layerId") or 0))
            return _arrow_points(ogr, ogr_layer, fields)
        except (RuntimeError, StopIteration, KeyError):
            return None


def _arrow_points(ogr, ogr_layer, fields: list[str] | None):
    if ogr_layer is None or ogr_layer.GetGeomType() not in (
        ogr.wkbPoint,
        ogr.wkbPoint25D,
        ogr.wkbPointM,
        ogr.wkbPointZM,
    ):
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
    fids: list[np.ndarray] = []
    xys: list[np.ndarray] = []
    columns: dict[str, list[Any]] = {name: [] for name in wanted}
    for batch in ogr_layer.GetArrowStreamAsNumPy(options=["USE_MASKED_ARRAYS=YES", "INCLUDE_FID=YES"]):
        blobs = batch.get(geometry_name)
        if blobs is None:
            blobs = next(
                v
                for k, v in batch.items()
                if k not in wanted and k != fid_name and getattr(v, "dtype", None) is not None and v.dtype.kind in "VO"
            )
        xy = _wkb_points(blobs)
        if xy is None:
            return None  # 3-D or multi-part points: let QGIS read them
        xys.append(xy)
        fid = batch.get(fid_name)
        fids.append(
            np.asarray(fid, dtype=np.int64)
            if fid is not None
            else np.arange(len(xy), dtype=np.int64) + sum(len(f) for f in fids)
        )
        for name in wanted:
            columns[name].extend(_plain_values(batch[name]))
    if not xys:
        return np.zeros(0, np.int64), np.zeros((0, 2)), columns
    return np.concatenate(fids), np.concatenate(xys), columns


#: A 2-D little-endian WKB point: GDAL's Arrow stream hands points as such blobs. Read as a numpy record
#: array they cost no Python per point, on every shapely: 1.8 has no vectorised WKB reader, and GDAL 3.6
#: offers no coordinate columns (GeoArrow encoding) in its Arrow stream.
_WKB_POINT = np.dtype([("order", "u1"), ("type", "<u4"), ("x", "<f8"), ("y", "<f8")])


def _wkb_points(blobs) -> np.ndarray | None:
    """(n, 2) coordinates of 2-D little-endian WKB points (NaN for missing geometries), or None for others."""
    if blobs.dtype.kind == "V":
        if blobs.dtype.itemsize != _WKB_POINT.itemsize:
            return None
        raw = np.ascontiguousarray(blobs).view(_WKB_POINT)
    else:  # an object column: some geometries are NULL
        values = _with_none(blobs)
        present = np.array([v is not None for v in values], dtype=bool)
        if any(len(v) != _WKB_POINT.itemsize for v in values[present]):
            return None
        raw = np.zeros(values.size, dtype=_WKB_POINT)
        raw["order"], raw["type"] = 1, 1
        raw["x"] = raw["y"] = np.nan
        if present.any():
            raw[present] = np.frombuffer(b"".join(values[present]), dtype=_WKB_POINT)
    if (raw["order"] != 1).any() or (raw["type"] != 1).any():
        return None
    return np.column_stack((raw["x"].astype(float), raw["y"].astype(float)))


def _with_none(column) -> np.ndarray:
    """An object array of a (masked) column with None where masked; ``filled(None)`` would give '?'."""
    values = np.asarray(np.ma.getdata(column)).astype(object)
    if np.ma.isMaskedArray(column):
        values[np.ma.getmaskarray(column)] = None
    return values


def _plain_values(column) -> list[Any]:
    """A column of an Arrow batch as Python values: NULL as None, text decoded, dates as ``datetime.date``."""
    values = _with_none(column).tolist()
    if column.dtype.kind in "SO":
        values = [v.decode("utf-8", "replace") if isinstance(v, bytes) else v for v in values]
    return values


class _NoContext:
    """``contextlib.nullcontext`` for GDAL bindings without ``ExceptionMgr``."""

    def __enter__(self):
        return self

    def __exit__(self, *args):
        return False


# --- Writing ---------------------------------------------------------------------------------------------------


@dataclass
class VectorOutput:
    """What an algorithm writes to one vector output parameter.

    ``fields`` are the columns it adds (``(name, kind)``, kinds of
    :data:`qgis_compat.FIELD_TYPES`) and ``columns`` their values, one sequence
    per field and one value per row (None or NaN for NULL). With ``carried``,
    each row starts with an input feature (``carried_rows`` picks which, in
    order; all by default): its fields (those not named like an added one) and
    its geometry. Otherwise ``shapes`` gives each row's shapely geometry.
    """

    key: str
    title: str
    fields: Sequence[tuple[str, str]]
    columns: Sequence[Sequence[Any]]
    wkb_type: Any = WkbType.NoGeometry
    crs: QgsCoordinateReferenceSystem | None = None
    shapes: Sequence[Any] | None = None
    carried: FeatureColumns | None = None
    carried_rows: np.ndarray | None = None


def carry_for(parameters: dict[str, Any], key: str, source: QgsFeatureSource | None) -> Carry:
    """How to read features that are written back out to the output ``key``: as columns when the output can be
    written in bulk (see :func:`write_output`), as QGIS's attribute lists when it goes through a sink."""
    if parameters.get(key) is None or source is None:
        return Carry.NONE
    bulk = direct_geopackage_path(parameters, key) is not None and _bulk_kinds(source.fields()) is not None
    return Carry.COLUMNS if bulk else Carry.ROWS


def write_output(
    algorithm, parameters: dict[str, Any], context: QgsProcessingContext, output: VectorOutput
) -> str | None:
    """Write ``output``; returns its destination (None when the optional output was not asked for)."""
    if parameters.get(output.key) is None:
        return None
    carried = output.carried
    if carried is not None and _bulk_ready(carried):
        path = direct_geopackage_path(parameters, output.key)
        if path is not None:
            _write_in_bulk(path, output, carried)
            register_output(parameters, context, path, algorithm.tr(output.title), output.key)
            return path
    if carried is not None:
        fields, kept = extended_fields(carried.source.fields(), output.fields)
        wkb_type = carried.source.wkbType()
    else:
        fields, kept = make_fields(output.fields), []
        wkb_type = output.wkb_type
    crs = output.crs if output.crs is not None else QgsCoordinateReferenceSystem()
    sink, dest = algorithm.parameterAsSink(parameters, output.key, context, fields, wkb_type, crs)
    if sink is None:
        return None
    added = [_sink_values(values, kind) for (_, kind), values in zip(output.fields, output.columns)]
    count = len(added[0]) if added else 0
    geometries = _geometries(output, context, count, QgsWkbTypes.isMultiType(wkb_type))
    rows = None
    if carried is not None:
        assert carried.rows is not None, "features written back out through a sink are read with Carry.ROWS"
        order = _carried_rows(output, carried)
        rows = [carried.rows[int(i)] for i in order]
    batch = []
    for row in range(count):
        feature = QgsFeature(fields)
        geometry = geometries[row]
        if geometry is not None:
            feature.setGeometry(geometry)
        record = [] if rows is None else [rows[row][k] for k in kept]
        record += [values[row] for values in added]
        feature.setAttributes(record)
        batch.append(feature)
        if len(batch) >= 5000:
            sink.addFeatures(batch, QgsFeatureSink.Flag.FastInsert)
            batch = []
    sink.addFeatures(batch, QgsFeatureSink.Flag.FastInsert)
    del sink  # closes the file before it is styled
    return dest


def _carried_rows(output: VectorOutput, carried: FeatureColumns) -> np.ndarray:
    return np.arange(len(carried)) if output.carried_rows is None else np.asarray(output.carried_rows, np.int64)


def _geometries(output: VectorOutput, context: QgsProcessingContext, count: int, multi: bool) -> list[Any]:
    """Each row's QGIS geometry (None for none): the carried feature's, or the row's shape."""
    carried = output.carried
    if carried is None:
        if output.shapes is None:
            return [None] * count
        geometries = []
        for shape in output.shapes:
            geometry = None
            if shape is not None:
                geometry = QgsGeometry()
                geometry.fromWkb(shape.wkb)
                if multi and not geometry.isMultipart():
                    geometry = QgsGeometry.collectGeometry([geometry])
            geometries.append(geometry)
        return geometries
    order = _carried_rows(output, carried)
    source = carried.source
    crs = output.crs if output.crs is not None else carried.crs
    if source.wkbType() != WkbType.Point or carried.xy is None or crs != carried.crs:
        # multi-part or 3-D points, other shapes, another CRS: the features' own geometries
        request = request_in(source, crs, context).setNoAttributes()
        ids = carried.ids[order].tolist()
        request.setFilterFids(ids)
        with closing(checked_features(source, request, context, None, carried.name)) as read:
            by_id = {f.id(): f.geometry() for f in read}
        return [by_id.get(fid) for fid in ids]
    xy = carried.xy[order].tolist()
    return [QgsGeometry.fromPointXY(QgsPointXY(x, y)) if x == x else None for x, y in xy]


def _sink_values(values: Sequence[Any], kind: str) -> list[Any]:
    """A column as a feature sink takes it: NULL as None, numbers as Python numbers, dates as QDate."""
    column = _plain_column(values, kind)
    if kind == "date":
        return [None if v is None else QDate(v) for v in column]
    return column


def _plain_column(values: Sequence[Any], kind: str) -> list[Any]:
    """A column as plain Python values of its kind; None, NaN and infinities (numbers) become None."""
    if kind in ("real", "int") and isinstance(values, np.ndarray) and values.dtype.kind in "fiub":
        numbers = values.astype(float)
        unknown = ~np.isfinite(numbers)
        column = (np.where(unknown, 0, numbers).astype(np.int64) if kind == "int" else numbers).astype(object)
        column[unknown] = None
        return column.tolist()
    if kind == "bool" and isinstance(values, np.ndarray) and values.dtype.kind in "fiub":
        numbers = values.astype(float)
        column = (numbers != 0).astype(object)
        column[~np.isfinite(numbers)] = None
        return column.tolist()
    plain = values.tolist() if isinstance(values, np.ndarray) else list(values)
    if kind == "real":
        return [None if v is None or not np.isfinite(v) else float(v) for v in plain]
    if kind == "int":
        return [None if v is None or v != v else int(v) for v in plain]
    if kind == "bool":
        return [None if v is None else bool(v) for v in plain]
    return plain


def _bulk_kinds(fields: QgsFields) -> list[tuple[str, str]] | None:
    """(name, kind) of each field for :mod:`core.gpkg`, or None when one has a type it does not write."""
    kinds = [(f.name(), field_kind(f)) for f in fields]
    return None if any(kind not in gpkg.FIELD_TYPES for _, kind in kinds) else kinds  # type: ignore[misc]


def _bulk_ready(carried: FeatureColumns) -> bool:
    """Whether the carried features can be written in bulk: points read column by column, every field with them."""
    kinds = _bulk_kinds(carried.source.fields())
    return (
        carried.columnar
        and carried.xy is not None
        and kinds is not None
        and all(name in carried.columns or name.lower() == "fid" for name, _ in kinds)
    )


def _write_in_bulk(path: str, output: VectorOutput, carried: FeatureColumns) -> None:
    """Carried points with their input columns, then the added ones, to a GeoPackage file in one go."""
    assert carried.xy is not None
    input_fields = _bulk_kinds(carried.source.fields()) or []
    added = {name for name, _ in output.fields}
    # GDAL shows a GeoPackage's id column as a field; it stays the id column here.
    fid_name = "fid" if any(name.lower() == "fid" for name, _ in input_fields) else None
    fields = [(name, kind) for name, kind in input_fields if name not in added and name != fid_name]
    order = _carried_rows(output, carried)
    every_row = output.carried_rows is None
    columns = [
        carried.columns[name] if every_row else [carried.columns[name][i] for i in order.tolist()] for name, _ in fields
    ]
    columns += [_plain_column(values, kind) for (_, kind), values in zip(output.fields, output.columns)]
    crs = output.crs if output.crs is not None else carried.crs
    gpkg.write_points(
        path,
        crs.toWkt(CrsWktVariant.Preferred),
        [*fields, *output.fields],
        carried.xy[order],
        columns,
        fids=carried.ids[order] if fid_name else None,
    )
