"""Conversions between QGIS objects and the plain types the engine takes."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Generator

from pyproj import CRS, Transformer
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeatureRequest,
    QgsFeatureSource,
    QgsMapLayer,
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
from ..core.messages import message
from ..qgis_compat import CrsWktVariant, GeometryType, InvalidGeometryCheck, ProcessingFeatureSourceFlag, make_field


def pyproj_crs(crs: QgsCoordinateReferenceSystem, what: str = "layer") -> CRS:
    """The pyproj CRS of a QGIS CRS; a clear error when it is undefined."""
    if not crs.isValid():
        raise MewError("The {what} has no coordinate reference system: set one in its properties.", what=message(what))
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
        return message("'{table}' in {file}", table=table, file=Path(path).name) if table else f"'{Path(path).name}'"
    return f"'{layer.name()}'"


def table_name(layer: QgsMapLayer | None) -> str:
    """The table a layer given by its path reads (``patrols`` of ``data.gpkg|layername=patrols``), else "".

    Processing names such a layer after its file (``data``); messages name the table the user chose.
    """
    if layer is None or QgsProject.instance().mapLayer(layer.id()) is not None:
        return ""
    return layer_file(layer)[1] or ""


def request_in(
    source: QgsFeatureSource, target_crs: QgsCoordinateReferenceSystem | None, context: QgsProcessingContext
) -> QgsFeatureRequest:
    """A feature request giving geometries in ``target_crs`` (the project's datum transforms), when it differs."""
    request = QgsFeatureRequest()
    if target_crs is not None and target_crs != source.sourceCrs():
        request.setDestinationCrs(target_crs, context.transformContext())
    return request


def checks_geometries(context: QgsProcessingContext) -> bool:
    """Whether Processing is set to skip or stop on invalid geometries (not "do not filter")."""
    return context.invalidGeometryCheck() != InvalidGeometryCheck.NoCheck


def checked_features(
    source: QgsFeatureSource,
    request: QgsFeatureRequest,
    context: QgsProcessingContext,
    feedback: QgsProcessingFeedback | None,
    name: str,
) -> Generator[Any, None, None]:
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
        GeometryType.Point,
        GeometryType.Null,
        GeometryType.Unknown,
    )
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
                            "Feature {feature} of the layer {name} has an invalid geometry{geometry}. Repair the layer "
                            "(Processing: 'Fix geometries'; 'Check validity' lists every problem), or set Processing's "
                            "'Invalid features filtering' option to skip invalid features or not to filter them.",
                            feature=feature.id(),
                            name=name,
                            geometry=_why_invalid(geometry),
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
