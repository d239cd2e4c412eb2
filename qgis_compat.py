"""The QGIS API that differs between QGIS 3.22, 3.40/3.44 and QGIS 4 (Qt6), chosen once, here.

Everything else outside ``core/`` uses these names rather than spelling a
version's API itself (``tests/test_qt6_ready.py`` holds the rest of the code to
that):

- enums QGIS moved into ``Qgis`` after 3.22, as namespaces named after the new
  ``Qgis`` enum whose attributes are the new member names. On a QGIS that has
  the new enum they *are* its members; on an older one they are the same
  members of the old enum. When 3.22 is dropped, ``from ..qgis_compat import
  ProcessingSourceType`` becomes ``Qgis.ProcessingSourceType``, and nothing else
  changes;
- attribute field types: QGIS >= 3.38 takes a ``QMetaType.Type`` and deprecates
  ``QVariant.Type``, which QGIS 4 no longer has. Fields are made by :func:`make_field`
  and :func:`make_fields` from a kind name and read back by :func:`field_kind`;
- calls QGIS deprecated after 3.22 (the font and colour of layout labels,
  the font of legend styles, the band of a single-band raster renderer,
  storing a style in a GeoPackage), behind one function each.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any, Iterable, Optional, Union

import qgis.core as qgis_core
from qgis.core import (
    Qgis,
    QgsField,
    QgsFields,
    QgsLayerTreeModelLegendNode,
    QgsLayoutItemLabel,
    QgsLegendStyle,
    QgsMapLayer,
    QgsRasterRenderer,
    QgsSymbolLayer,
    QgsTextFormat,
)
from qgis.PyQt.QtCore import QMetaType, QVariant
from qgis.PyQt.QtGui import QColor, QFont

QGIS_VERSION_INT: int = Qgis.QGIS_VERSION_INT


def _members(new_enum: str, old_enum: str, **members: str) -> SimpleNamespace:
    """``Qgis.<new_enum>``'s members by their new names where this QGIS has them all, else the old ones.

    ``old_enum`` is the old enum's dotted name in ``qgis.core`` (``"QgsProcessing.SourceType"``);
    each keyword is a member's new name and, as its value, its name in the old
    enum. The old enum is only looked up on a QGIS without the new one, so a
    QGIS that dropped it never asks for it.
    """
    new = getattr(Qgis, new_enum, None)
    if new is not None and all(hasattr(new, name) for name in members):
        return SimpleNamespace(**{name: getattr(new, name) for name in members})
    old: Any = qgis_core
    for part in old_enum.split("."):
        old = getattr(old, part)
    return SimpleNamespace(**{name: getattr(old, old_name) for name, old_name in members.items()})


# --- Processing (moved into Qgis in 3.36) -------------------------------------------------------
ProcessingSourceType = _members(
    "ProcessingSourceType",
    "QgsProcessing.SourceType",
    MapLayer="TypeMapLayer",
    VectorAnyGeometry="TypeVectorAnyGeometry",
    VectorPoint="TypeVectorPoint",
    VectorLine="TypeVectorLine",
    VectorPolygon="TypeVectorPolygon",
    Raster="TypeRaster",
    Vector="TypeVector",
)
InvalidGeometryCheck = _members(
    "InvalidGeometryCheck",
    "QgsFeatureRequest.InvalidGeometryCheck",
    NoCheck="GeometryNoCheck",
    SkipInvalid="GeometrySkipInvalid",
    AbortOnInvalid="GeometryAbortOnInvalid",
)
ProcessingNumberParameterType = _members(
    "ProcessingNumberParameterType",
    "QgsProcessingParameterNumber.Type",
    Integer="Integer",
    Double="Double",
)
ProcessingFieldParameterDataType = _members(
    "ProcessingFieldParameterDataType",
    "QgsProcessingParameterField.DataType",
    Any="Any",
    Numeric="Numeric",
    String="String",
    DateTime="DateTime",
)
ProcessingDateTimeParameterDataType = _members(
    "ProcessingDateTimeParameterDataType",
    "QgsProcessingParameterDateTime.Type",
    DateTime="DateTime",
    Date="Date",
    Time="Time",
)
ProcessingFileParameterBehavior = _members(
    "ProcessingFileParameterBehavior",
    "QgsProcessingParameterFile.Behavior",
    File="File",
    Folder="Folder",
)
ProcessingParameterFlag = _members(
    "ProcessingParameterFlag",
    "QgsProcessingParameterDefinition.Flag",
    Advanced="FlagAdvanced",
    Hidden="FlagHidden",
    Optional="FlagOptional",
)
ProcessingFeatureSourceFlag = _members(
    "ProcessingFeatureSourceFlag",
    "QgsProcessingFeatureSource.Flag",
    SkipGeometryValidityChecks="FlagSkipGeometryValidityChecks",
)
ProcessingAlgorithmFlag = _members(
    "ProcessingAlgorithmFlag",
    "QgsProcessingAlgorithm.Flag",
    NoThreading="FlagNoThreading",
)

# --- Geometry, layers, units, CRS (moved into Qgis in 3.30 .. 3.36) ------------------------------
GeometryType = _members(
    "GeometryType",
    "QgsWkbTypes.GeometryType",
    Point="PointGeometry",
    Line="LineGeometry",
    Polygon="PolygonGeometry",
    Unknown="UnknownGeometry",
    Null="NullGeometry",
)
WkbType = _members(
    "WkbType",
    "QgsWkbTypes.Type",
    Unknown="Unknown",
    NoGeometry="NoGeometry",
    Point="Point",
    LineString="LineString",
    Polygon="Polygon",
    MultiPoint="MultiPoint",
    MultiLineString="MultiLineString",
    MultiPolygon="MultiPolygon",
)
LayerType = _members(
    "LayerType",
    "QgsMapLayerType",
    Vector="VectorLayer",
    Raster="RasterLayer",
)
LayoutUnit = _members(
    "LayoutUnit",
    "QgsUnitTypes.LayoutUnit",
    Millimeters="LayoutMillimeters",
    Points="LayoutPoints",
)
DistanceUnit = _members(
    "DistanceUnit",
    "QgsUnitTypes.DistanceUnit",
    Meters="DistanceMeters",
    Kilometers="DistanceKilometers",
)
RenderUnit = _members(
    "RenderUnit",
    "QgsUnitTypes.RenderUnit",
    Millimeters="RenderMillimeters",
    Points="RenderPoints",
)
LayerFilter = _members(
    "LayerFilter",
    "QgsMapLayerProxyModel.Filter",
    PolygonLayer="PolygonLayer",
)
CrsWktVariant = _members(
    "CrsWktVariant",
    "QgsCoordinateReferenceSystem.WktVariant",
    Preferred="WKT_PREFERRED",
)

# --- Symbology, labels and legends (moved into Qgis in 3.26 .. 3.44) --------------------------------
ShaderInterpolationMethod = _members(
    "ShaderInterpolationMethod",
    "QgsColorRampShader.Type",
    Linear="Interpolated",
    Discrete="Discrete",
    Exact="Exact",
)
ShaderClassificationMethod = _members(
    "ShaderClassificationMethod",
    "QgsColorRampShader.ClassificationMode",
    Continuous="Continuous",
    EqualInterval="EqualInterval",
    Quantile="Quantile",
)
#: The parts of a layout legend (``QgsLegendStyle.Style`` moved into Qgis in 3.44).
LegendComponent = _members(
    "LegendComponent",
    "QgsLegendStyle.Style",
    Title="Title",
    Group="Group",
    Subgroup="Subgroup",
    SymbolLabel="SymbolLabel",
    Symbol="Symbol",
)
#: How a layout scale bar sizes its segments: QGIS 3.40 refuses a plain int there.
ScaleBarSegmentSizeMode = _members(
    "ScaleBarSegmentSizeMode",
    "QgsScaleBarSettings.SegmentSizeMode",
    Fixed="SegmentSizeFixed",
    FitWidth="SegmentSizeFitWidth",
)
#: ``settings.placement``: QGIS 3.40 refuses the old ``QgsPalLayerSettings`` members there.
LabelPlacement = _members(
    "LabelPlacement",
    "QgsPalLayerSettings.Placement",
    AroundPoint="AroundPoint",
    OverPoint="OverPoint",
    Horizontal="Horizontal",
    OrderedPositionsAroundPoint="OrderedPositionsAroundPoint",
)
#: Where a point label's distance is measured from (``settings.offsetType``).
LabelOffsetType = _members("LabelOffsetType", "QgsPalLayerSettings.OffsetType", FromSymbolBounds="FromSymbolBounds")
#: The label placement engine of a project: QGIS 3.40 moved the version into ``Qgis``.
LabelPlacementEngineVersion = _members(
    "LabelPlacementEngineVersion",
    "QgsLabelingEngineSettings.PlacementEngineVersion",
    Version2="PlacementEngineVersion2",
)
#: Flags of the labelling engine: QGIS 3.40 moved them into ``Qgis``.
LabelingFlag = _members("LabelingFlag", "QgsLabelingEngineSettings.Flag", CollectUnplacedLabels="CollectUnplacedLabels")
#: The data role of a legend entry's class (rule key): ``CustomRole.RuleKey`` from QGIS 3.36, ``RuleKeyRole`` before.
LEGEND_RULE_KEY_ROLE: int = int(
    QgsLayerTreeModelLegendNode.CustomRole.RuleKey
    if hasattr(QgsLayerTreeModelLegendNode, "CustomRole")
    else QgsLayerTreeModelLegendNode.LegendNodeRoles.RuleKeyRole
)
#: Data-defined symbol layer properties: ``QgsSymbolLayer.Property`` lost its ``Property`` prefixes.
SymbolLayerProperty = SimpleNamespace(
    StrokeWidth=QgsSymbolLayer.Property.StrokeWidth
    if hasattr(QgsSymbolLayer.Property, "StrokeWidth")
    else QgsSymbolLayer.Property.PropertyStrokeWidth,
)


# --- Attribute fields -----------------------------------------------------------------------------
#: Whether QgsField takes (and returns) QMetaType.Type; QVariant.Type is deprecated there from 3.38.
FIELDS_USE_QMETATYPE: bool = QGIS_VERSION_INT >= 33800

#: Field kinds by name (the column kinds of ``core.gpkg``, plus ``datetime``) and the type QgsField takes.
if FIELDS_USE_QMETATYPE:
    FIELD_TYPES: dict[str, Any] = {
        "bool": QMetaType.Type.Bool,
        "int": QMetaType.Type.Int,
        "int64": QMetaType.Type.LongLong,
        "real": QMetaType.Type.Double,
        "text": QMetaType.Type.QString,
        "date": QMetaType.Type.QDate,
        "datetime": QMetaType.Type.QDateTime,
    }
else:
    FIELD_TYPES = {
        "bool": QVariant.Type.Bool,
        "int": QVariant.Type.Int,
        "int64": QVariant.Type.LongLong,
        "real": QVariant.Type.Double,
        "text": QVariant.Type.String,
        "date": QVariant.Type.Date,
        "datetime": QVariant.Type.DateTime,
    }

_PYTHON_KINDS = {bool: "bool", int: "int", float: "real", str: "text", dt.date: "date", dt.datetime: "datetime"}

FieldKind = Union[str, type]
FieldSpec = Union[tuple[str, FieldKind], tuple[str, FieldKind, int]]


def _kind_name(kind: FieldKind) -> str:
    name = _PYTHON_KINDS.get(kind, kind) if isinstance(kind, type) else kind
    if name not in FIELD_TYPES:
        raise ValueError(f"Unknown field kind {kind!r}: use one of {', '.join(FIELD_TYPES)}.")
    return name


def make_field(name: str, kind: FieldKind, length: int = 0, precision: int = 0) -> QgsField:
    """A new attribute field: ``kind`` is a name of :data:`FIELD_TYPES` or a Python type (``float``, ``dt.date``)."""
    return QgsField(name, FIELD_TYPES[_kind_name(kind)], len=length, prec=precision)


def make_fields(specs: Iterable[FieldSpec]) -> QgsFields:
    """A field list from ``(name, kind)`` or ``(name, kind, length)`` tuples, in order."""
    result = QgsFields()
    for spec in specs:
        result.append(make_field(*spec))
    return result


def _type_number(value: Any) -> int:
    return value.value if hasattr(value, "value") else int(value)


#: Type number of each kind: QVariant.Type and QMetaType.Type number the types they share alike.
_KIND_OF_TYPE = {_type_number(value): kind for kind, value in FIELD_TYPES.items()}


def field_kind(qgs_field: QgsField) -> Optional[str]:
    """The kind name (:data:`FIELD_TYPES`) of an existing field, or None for a type not listed there."""
    return _KIND_OF_TYPE.get(_type_number(qgs_field.type()))


# --- Calls deprecated after 3.22 ------------------------------------------------------------------
def _font_of(owner) -> QFont:
    if hasattr(owner, "textFormat"):
        return QFont(owner.textFormat().toQFont())
    return QFont(owner.font())


def _set_font_of(owner, font: QFont, color: Optional[QColor] = None) -> None:
    if hasattr(owner, "setTextFormat"):
        text_format: QgsTextFormat = owner.textFormat()
        text_format.setFont(font)
        text_format.setSize(font.pointSizeF())
        text_format.setSizeUnit(RenderUnit.Points)
        if color is not None:
            text_format.setColor(color)
        owner.setTextFormat(text_format)
    else:
        owner.setFont(font)
        if color is not None:
            owner.setFontColor(color)


def label_font(label: QgsLayoutItemLabel) -> QFont:
    """A layout label's font, its size in points (``font()`` is deprecated from 3.30 for ``textFormat()``)."""
    return _font_of(label)


def set_label_font(label: QgsLayoutItemLabel, font: QFont, color: Optional[QColor] = None) -> None:
    """Set a layout label's font, its size in points and, when given, its colour (``setFontColor`` is deprecated
    from 3.30 too); the label's other text settings are kept."""
    _set_font_of(label, font, color)


def legend_style_font(style: QgsLegendStyle) -> QFont:
    """A legend style's font, its size in points (``font()`` is deprecated from 3.30 for ``textFormat()``)."""
    return _font_of(style)


def set_legend_style_font(style: QgsLegendStyle, font: QFont) -> None:
    """Set a legend style's font and its size in points, keeping its other text settings."""
    _set_font_of(style, font)


def save_style_to_database(layer: QgsMapLayer, name: str, description: str, use_as_default: bool) -> str:
    """Store the layer's style in its data source (a GeoPackage's ``layer_styles``); the error text, "" if none.

    ``saveStyleToDatabase()`` is deprecated from 3.44 for ``saveStyleToDatabaseV2()``.
    """
    if hasattr(layer, "saveStyleToDatabaseV2"):
        _saved, error = layer.saveStyleToDatabaseV2(name, description, use_as_default, "")
        return error
    return layer.saveStyleToDatabase(name, description, use_as_default, "")


def renderer_band(renderer: QgsRasterRenderer) -> int:
    """The band a single-band renderer draws: ``band()`` (``grayBand()`` for grey) became ``inputBand()`` in 3.38."""
    if hasattr(renderer, "inputBand"):
        return renderer.inputBand()
    return renderer.grayBand() if hasattr(renderer, "grayBand") else renderer.band()


def set_renderer_band(renderer: QgsRasterRenderer, band: int) -> None:
    """Make a single-band renderer draw ``band``."""
    if hasattr(renderer, "setInputBand"):
        renderer.setInputBand(band)
    else:
        renderer.setBand(band)
