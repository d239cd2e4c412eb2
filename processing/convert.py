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
    QgsPoint,
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


def python_date(value: Any):
    """A ``datetime.date`` from a QGIS attribute value (QDate, QDateTime, ISO text), or ``None``."""
    import datetime as dt

    from qgis.PyQt.QtCore import QDate, QDateTime

    if value is None:
        return None
    if isinstance(value, QDateTime):
        value = value.date()
    if isinstance(value, QDate):
        return value.toPyDate() if value.isValid() and not value.isNull() else None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if not text or text.upper() == "NULL":
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        pass
    for pattern in ("%d %B %Y", "%d %b %Y", "%d/%m/%Y"):  # ACLED's "31 December 2025", and day-first forms
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def python_number(value: Any) -> float | None:
    """A float from a QGIS attribute value, or ``None`` for NULL/empty/non-numeric values."""
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

    request = QgsFeatureRequest()
    if target_crs is not None and target_crs != source.sourceCrs():
        request.setDestinationCrs(target_crs, context.transformContext())
    names = [a for a in (attributes or []) if a]
    if not keep_attributes:
        request.setSubsetOfAttributes(names, source.fields())
    total = max(source.featureCount(), 1)
    ids: list[int] = []
    coordinates: list[tuple[float, float]] = []
    columns: dict[str, list[Any]] = {name: [] for name in names}
    rows: list[list[Any]] = []
    nan = (float("nan"), float("nan"))
    for count, feature in enumerate(source.getFeatures(request)):
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
    xy = np.array(coordinates, dtype=float).reshape(-1, 2)
    return ids, xy, columns, rows


def extended_fields(source_fields, added) -> tuple[Any, list[int]]:
    """Output fields: the input's (minus any named like an added one, which it replaces) then ``added``.

    ``added`` is a sequence of (name, QVariant type). Returns the fields and the
    indices of the input fields kept, in order.
    """
    from qgis.core import QgsField, QgsFields

    names = {name for name, _ in added}
    fields = QgsFields()
    kept = [i for i, f in enumerate(source_fields) if f.name() not in names]
    for i in kept:
        fields.append(source_fields.at(i))
    for name, kind in added:
        fields.append(QgsField(name, kind))
    return fields, kept
