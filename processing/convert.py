"""Conversions between QGIS objects and the plain types the engine takes."""

from __future__ import annotations

from typing import Any, Iterator

from pyproj import CRS
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeatureRequest,
    QgsFeatureSource,
    QgsMapLayer,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProviderRegistry,
)
from shapely import wkb

from ..core.errors import MewError
from ..core.progress import Progress


def pyproj_crs(crs: QgsCoordinateReferenceSystem, what: str = "layer") -> CRS:
    """The pyproj CRS of a QGIS CRS; a clear error when it is undefined."""
    if not crs.isValid():
        raise MewError(f"The {what} has no coordinate reference system: set one in its properties.")
    authid = crs.authid()
    if authid.upper().startswith("EPSG:"):
        return CRS.from_user_input(authid)
    return CRS.from_wkt(crs.toWkt(QgsCoordinateReferenceSystem.WKT_PREFERRED))


def qgis_crs(crs: CRS) -> QgsCoordinateReferenceSystem:
    """The QGIS CRS of a pyproj CRS."""
    epsg = crs.to_epsg()
    if epsg is not None:
        return QgsCoordinateReferenceSystem(f"EPSG:{epsg}")
    return QgsCoordinateReferenceSystem.fromWkt(crs.to_wkt())


def layer_file_path(layer: QgsMapLayer | None) -> str | None:
    """The file a layer reads from, or ``None`` for memory/database layers."""
    if layer is None:
        return None
    parts = QgsProviderRegistry.instance().decodeUri(layer.providerType(), layer.source())
    path = parts.get("path")
    return str(path) if path else None


def iter_shapely(
    source: QgsFeatureSource,
    context: QgsProcessingContext,
    target_crs: QgsCoordinateReferenceSystem | None = None,
    progress: Progress | None = None,
    attributes: list[str] | None = None,
) -> Iterator[tuple[int, Any, dict[str, Any]]]:
    """Yield ``(feature id, shapely geometry or None, attributes)`` for each feature.

    Geometries are transformed to ``target_crs`` when given. Empty or missing
    geometries come through as ``None`` so callers can report them by id.
    """
    request = QgsFeatureRequest()
    if target_crs is not None and target_crs != source.sourceCrs():
        request.setDestinationCrs(target_crs, context.transformContext())
    total = max(source.featureCount(), 1)
    names = attributes if attributes is not None else [f.name() for f in source.fields()]
    for count, feature in enumerate(source.getFeatures(request)):
        if progress is not None and count % 1000 == 0:
            progress.step(count / total)
        geometry = feature.geometry()
        shape = None
        if not geometry.isNull() and not geometry.isEmpty():
            shape = wkb.loads(bytes(geometry.asWkb()))
        yield feature.id(), shape, {name: feature[name] for name in names}


def transform_to(
    crs_from: QgsCoordinateReferenceSystem, crs_to: QgsCoordinateReferenceSystem, context: QgsProcessingContext
) -> QgsCoordinateTransform:
    """A coordinate transform using the project's transform context."""
    return QgsCoordinateTransform(crs_from, crs_to, context.transformContext())


def as_processing_error(error: Exception) -> QgsProcessingException:
    """Wrap an engine error so Processing shows its message to the user."""
    return QgsProcessingException(str(error))


def qvariant_to_python(value: Any) -> Any:
    """A plain Python value of a QGIS attribute (NULL → None, QDate → date, QDateTime → datetime)."""
    if value is None:
        return None
    if hasattr(value, "isNull") and value.isNull():
        return None
    if hasattr(value, "toPyDateTime"):
        return value.toPyDateTime()
    if hasattr(value, "toPyDate"):
        return value.toPyDate()
    return value


def _ogr_points_fast(layer: QgsMapLayer, fields: list[str]) -> tuple[Any, dict[str, Any]] | None:
    """Point coordinates and fields of a plain OGR file layer, read in bulk (GDAL ≥ 3.6 Arrow stream).

    ``None`` when the layer is not a plain single-part 2-D point file layer; the
    caller then iterates features. Reading 1M points this way takes about 0.5 s
    instead of about 5 s feature by feature.
    """
    import numpy as np
    from osgeo import ogr

    if layer is None or layer.providerType() != "ogr" or layer.subsetString():
        return None
    parts = QgsProviderRegistry.instance().decodeUri("ogr", layer.source())
    path, name = parts.get("path"), parts.get("layerName")
    dataset = ogr.Open(str(path)) if path else None
    if dataset is None:
        return None
    ogr_layer = dataset.GetLayerByName(name) if name else dataset.GetLayer(parts.get("layerId") or 0)
    if ogr_layer is None or not hasattr(ogr_layer, "GetArrowStreamAsNumPy"):
        return None
    if ogr.GT_Flatten(ogr_layer.GetGeomType()) != ogr.wkbPoint or ogr_layer.GetGeomType() != ogr.wkbPoint:
        return None
    definition = ogr_layer.GetLayerDefn()
    available = [definition.GetFieldDefn(i).GetName() for i in range(definition.GetFieldCount())]
    if any(f not in available for f in fields):
        return None
    ogr_layer.SetIgnoredFields([f for f in available if f not in fields])
    xy_parts, columns = [], {f: [] for f in fields}
    stream = ogr_layer.GetArrowStreamAsNumPy(options=["USE_MASKED_ARRAYS=NO", "GEOMETRY_ENCODING=WKB"])
    for batch in stream:
        geometry_key = next(k for k in batch if k not in ("fid", "OGC_FID", *fields))
        blobs = batch[geometry_key]
        if blobs.dtype != np.dtype("V21"):
            if not all(b is not None and len(b) == 21 for b in blobs):
                return None
            blobs = np.frombuffer(b"".join(blobs), dtype="V21")
        raw = np.frombuffer(blobs.tobytes(), dtype=np.uint8).reshape(-1, 21)
        if not (raw[:, 0] == 1).all() or not (raw[:, 1] == 1).all():  # little-endian 2-D points only
            return None
        xy_parts.append(raw[:, 5:21].copy().view("<f8").reshape(-1, 2))
        for f in fields:
            columns[f].append(np.asarray(batch[f]))
    xy = np.concatenate(xy_parts) if xy_parts else np.zeros((0, 2))
    return xy, {f: (np.concatenate(v) if v else np.zeros(0)) for f, v in columns.items()}


def read_points(
    source: QgsFeatureSource,
    layer: QgsMapLayer | None,
    context: QgsProcessingContext,
    fields: list[str],
    progress: Progress | None = None,
) -> tuple[Any, dict[str, list[Any]], int]:
    """``(xy array in the source CRS, {field: values}, features without a point)`` of a point source.

    Uses the bulk OGR reader for plain file layers (values then come as numpy
    arrays: numbers, datetime64 for dates, objects for text), else iterates
    features (values as lists of Python values).
    Multi-points count once each part; empty geometries are skipped and counted.
    """
    import numpy as np

    whole_layer = layer is not None and layer.featureCount() == source.featureCount()
    fast = _ogr_points_fast(layer, fields) if whole_layer else None
    if fast is not None:
        xy, columns = fast
        finite = np.isfinite(xy).all(axis=1)
        return xy[finite], {f: v[finite] for f, v in columns.items()}, int((~finite).sum())
    request = QgsFeatureRequest()
    request.setSubsetOfAttributes(fields, source.fields())
    xs, ys, columns, skipped = [], [], {f: [] for f in fields}, 0
    total = max(source.featureCount(), 1)
    for count, feature in enumerate(source.getFeatures(request)):
        if progress is not None and count % 5000 == 0:
            progress.step(count / total)
        geometry = feature.geometry()
        if geometry.isNull() or geometry.isEmpty():
            skipped += 1
            continue
        points = geometry.asMultiPoint() if geometry.isMultipart() else [geometry.asPoint()]
        for point in points:
            xs.append(point.x())
            ys.append(point.y())
            for f in fields:
                columns[f].append(qvariant_to_python(feature[f]))
    return np.column_stack([np.asarray(xs, float), np.asarray(ys, float)]), columns, skipped
