"""The Processing parameters of the ``mew`` algorithms: one builder per kind, and reading the values they give.

Each builder makes one parameter from its name, its (translated) label and
what sets it apart, all by keyword after the label: ``optional``, a
``default``, a ``minimum``/``maximum``, the ``parent`` layer of a field or
band, ``advanced`` (shown under the dialog's "Advanced parameters") and a
``help`` text (QGIS shows it as the parameter's tooltip). A choice shows
words in the dialog and takes the option's number or its short name
(:class:`NamedChoice`). An algorithm's
``initAlgorithm`` is then a list of them, given to
:meth:`~.base.MewAlgorithm.add_parameters`.

The readers turn what was given into the plain values the engine takes, each
saying what to write when a value cannot be used.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, TypeVar

from qgis.core import (
    QgsProcessing,
    QgsProcessingAlgorithm,
    QgsProcessingContext,
    QgsProcessingOutputLayerDefinition,
    QgsProcessingParameterBand,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterDateTime,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterEnum,
    QgsProcessingParameterExtent,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterDestination,
    QgsProcessingParameterRasterLayer,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorLayer,
)
from qgis.PyQt.QtCore import QCoreApplication

from ..core.errors import MewError
from ..core.io import GEOTIFF_SUFFIXES, refuse_non_geotiff
from ..qgis_compat import (
    ProcessingDateTimeParameterDataType,
    ProcessingFieldParameterDataType,
    ProcessingFileParameterBehavior,
    ProcessingNumberParameterType,
    ProcessingParameterFlag,
    ProcessingSourceType,
)

Parameter = TypeVar("Parameter", bound=QgsProcessingParameterDefinition)


class GeoTiffDestination(QgsProcessingParameterRasterDestination):
    """A raster output written as GeoTIFF: the file dialog offers .tif only, other names are refused.

    The engine writes GeoTIFF whatever the name, so a ``.png`` or ``.img`` name
    would get GeoTIFF bytes. The dialog checks :meth:`isSupportedOutputValue`;
    ``processing.run`` and ``qgis_process`` meet the engine's own refusal.
    """

    def clone(self):
        copy = GeoTiffDestination(self.name(), self.description(), self.defaultValue(), False, self.createByDefault())
        copy.setFlags(self.flags())  # optional or not, advanced or not
        copy.setHelp(self.help())
        return copy

    def defaultFileExtension(self) -> str:  # noqa: N802 - QGIS API name
        return "tif"

    def supportedOutputRasterLayerExtensions(self) -> list[str]:  # noqa: N802
        return [suffix.lstrip(".") for suffix in GEOTIFF_SUFFIXES]

    def createFileFilter(self) -> str:  # noqa: N802
        patterns = " ".join(f"*{s} *{s.upper()}" for s in GEOTIFF_SUFFIXES)
        return f"{QCoreApplication.translate('MewAlgorithm', 'GeoTIFF files')} ({patterns})"

    def isSupportedOutputValue(self, value, context):  # noqa: N802
        definition = value if isinstance(value, QgsProcessingOutputLayerDefinition) else None
        text = definition.sink.staticValue() if definition is not None else value
        if not isinstance(text, str) or not text or text == QgsProcessing.TEMPORARY_OUTPUT:
            return True, ""
        try:
            refuse_non_geotiff([text])
        except MewError as error:
            return False, str(error)
        return True, ""


class NamedChoice(QgsProcessingParameterEnum):
    """A choice shown in words, given as the option's number or as its short name.

    The dialog lists words an officer reads (``Squares``); its value is the
    option's number, which ``qgis_process help`` lists. Scripts, models, the
    mission cases and the documentation name the option instead (``fishnet``):
    that is accepted too, in any letter case. :func:`parameter_as_choice` gives
    the algorithm the short name whichever form came in.
    """

    def __init__(
        self,
        name: str,
        description: str,
        short_names: Sequence[str],
        words: Sequence[str],
        default: int | None = 0,
        optional: bool = False,
    ) -> None:
        if len(short_names) != len(words):
            raise ValueError(f"{name}: {len(short_names)} short names for {len(words)} options")
        super().__init__(name, description, list(words), False, default, optional)
        self.short_names = tuple(short_names)

    def clone(self):
        copy = NamedChoice(self.name(), self.description(), self.short_names, self.options(), self.defaultValue())
        copy.setFlags(self.flags())  # optional or not, advanced or not
        copy.setHelp(self.help())
        copy.setMetadata(self.metadata())
        return copy

    def index_of(self, value: Any) -> int | None:
        """The option ``value`` stands for, by its short name or its number; ``None`` when it names none."""
        text = str(value).strip().lower() if isinstance(value, (str, int)) and not isinstance(value, bool) else ""
        names = [short_name.lower() for short_name in self.short_names]
        if text in names:
            return names.index(text)
        if text.isdigit() and int(text) < len(names):
            return int(text)
        return None

    def checkValueIsAcceptable(self, value, context=None):  # noqa: N802 - QGIS API name
        if isinstance(value, str) and self.index_of(value) is not None:
            return True
        return super().checkValueIsAcceptable(value, context)


# --- builders -----------------------------------------------------------------------------------
def _finished(parameter: Parameter, advanced: bool, help: str | None) -> Parameter:
    """The parameter, under "Advanced parameters" when ``advanced``, with its tooltip when ``help`` is given."""
    if advanced:
        parameter.setFlags(parameter.flags() | ProcessingParameterFlag.Advanced)
    if help:
        parameter.setHelp(help)
    return parameter


def _bounds(minimum: float | None, maximum: float | None) -> dict[str, float]:
    """The bound keywords QGIS takes, only those given: unset, QGIS's own (unbounded) stand."""
    bounds = {}
    if minimum is not None:
        bounds["minValue"] = minimum
    if maximum is not None:
        bounds["maxValue"] = maximum
    return bounds


def feature_source(
    name: str,
    label: str,
    *layer_types: Any,
    optional: bool = False,
    advanced: bool = False,
    help: str | None = None,
) -> QgsProcessingParameterFeatureSource:
    """A vector input of the given ``ProcessingSourceType`` layer types (none given: any geometry)."""
    types = list(layer_types) or [ProcessingSourceType.VectorAnyGeometry]
    return _finished(QgsProcessingParameterFeatureSource(name, label, types, optional=optional), advanced, help)


def vector_layer(
    name: str,
    label: str,
    *layer_types: Any,
    optional: bool = False,
    advanced: bool = False,
    help: str | None = None,
) -> QgsProcessingParameterVectorLayer:
    """A vector layer input (the layer itself, not its features) of the given layer types."""
    types = list(layer_types) or [ProcessingSourceType.VectorAnyGeometry]
    return _finished(QgsProcessingParameterVectorLayer(name, label, types, optional=optional), advanced, help)


def field(
    name: str,
    label: str,
    parent: str,
    *,
    numeric: bool = False,
    optional: bool = False,
    advanced: bool = False,
    help: str | None = None,
) -> QgsProcessingParameterField:
    """A field of the layer given as ``parent``; ``numeric`` offers number fields only."""
    data_type = ProcessingFieldParameterDataType.Numeric if numeric else ProcessingFieldParameterDataType.Any
    parameter = QgsProcessingParameterField(name, label, None, parent, data_type, optional=optional)
    return _finished(parameter, advanced, help)


def _number(
    name: str,
    label: str,
    kind: Any,
    default: float | None,
    minimum: float | None,
    maximum: float | None,
    optional: bool,
    advanced: bool,
    help: str | None,
    decimals: int | None = None,
) -> QgsProcessingParameterNumber:
    parameter = QgsProcessingParameterNumber(name, label, kind, default, optional=optional, **_bounds(minimum, maximum))
    if decimals is not None:  # how many decimals the dialog's number box shows
        parameter.setMetadata({"widget_wrapper": {"decimals": decimals}})
    return _finished(parameter, advanced, help)


def number(
    name: str,
    label: str,
    *,
    default: float | None = None,
    minimum: float | None = None,
    maximum: float | None = None,
    optional: bool = False,
    advanced: bool = False,
    help: str | None = None,
    decimals: int | None = None,
) -> QgsProcessingParameterNumber:
    """A decimal number; ``decimals`` is how many the dialog shows (``0`` for whole metres), QGIS's choice if unset."""
    kind = ProcessingNumberParameterType.Double
    return _number(name, label, kind, default, minimum, maximum, optional, advanced, help, decimals)


def integer(
    name: str,
    label: str,
    *,
    default: int | None = None,
    minimum: int | None = None,
    maximum: int | None = None,
    optional: bool = False,
    advanced: bool = False,
    help: str | None = None,
) -> QgsProcessingParameterNumber:
    """A whole number."""
    kind = ProcessingNumberParameterType.Integer
    return _number(name, label, kind, default, minimum, maximum, optional, advanced, help)


def string(
    name: str,
    label: str,
    *,
    default: str | None = None,
    multiline: bool = False,
    optional: bool = False,
    advanced: bool = False,
    help: str | None = None,
) -> QgsProcessingParameterString:
    """A text."""
    parameter = QgsProcessingParameterString(name, label, default, multiline, optional)
    return _finished(parameter, advanced, help)


def boolean(
    name: str, label: str, *, default: bool = False, advanced: bool = False, help: str | None = None
) -> QgsProcessingParameterBoolean:
    """A yes/no check box."""
    return _finished(QgsProcessingParameterBoolean(name, label, default), advanced, help)


def enum(
    name: str,
    label: str,
    short_names: Sequence[str],
    words: Sequence[str],
    *,
    default: str | None = None,
    advanced: bool = False,
    help: str | None = None,
) -> NamedChoice:
    """A choice among options shown as ``words``, each also given by its short name (:class:`NamedChoice`);
    ``default`` is a short name (none given: the first option). Read it with :func:`parameter_as_choice`."""
    default_index = list(short_names).index(default) if default is not None else 0
    return _finished(NamedChoice(name, label, short_names, words, default_index), advanced, help)


def date(
    name: str, label: str, *, optional: bool = False, advanced: bool = False, help: str | None = None
) -> QgsProcessingParameterDateTime:
    """A calendar date (no time of day); read it with :func:`parameter_as_date`."""
    kind = ProcessingDateTimeParameterDataType.Date
    return _finished(QgsProcessingParameterDateTime(name, label, kind, optional=optional), advanced, help)


def raster_layer(
    name: str, label: str, *, optional: bool = False, advanced: bool = False, help: str | None = None
) -> QgsProcessingParameterRasterLayer:
    """A raster input."""
    return _finished(QgsProcessingParameterRasterLayer(name, label, optional=optional), advanced, help)


def multiple_layers(
    name: str,
    label: str,
    layer_type: Any,
    *,
    optional: bool = False,
    advanced: bool = False,
    help: str | None = None,
) -> QgsProcessingParameterMultipleLayers:
    """Several layers of one ``ProcessingSourceType``, in the order given."""
    parameter = QgsProcessingParameterMultipleLayers(name, label, layer_type, optional=optional)
    return _finished(parameter, advanced, help)


def band(
    name: str, label: str, parent: str, *, optional: bool = False, advanced: bool = False, help: str | None = None
) -> QgsProcessingParameterBand:
    """A band of the raster given as ``parent``."""
    parameter = QgsProcessingParameterBand(name, label, parentLayerParameterName=parent, optional=optional)
    return _finished(parameter, advanced, help)


def extent(
    name: str, label: str, *, optional: bool = False, advanced: bool = False, help: str | None = None
) -> QgsProcessingParameterExtent:
    """A map extent."""
    return _finished(QgsProcessingParameterExtent(name, label, optional=optional), advanced, help)


def file(
    name: str,
    label: str,
    *,
    extension: str = "",
    file_filter: str = "",
    optional: bool = False,
    advanced: bool = False,
    help: str | None = None,
) -> QgsProcessingParameterFile:
    """An input file: of one ``extension`` (without the dot), or of those a ``file_filter`` offers."""
    parameter = QgsProcessingParameterFile(
        name,
        label,
        ProcessingFileParameterBehavior.File,
        extension,
        optional=optional,
        fileFilter=file_filter,
    )
    return _finished(parameter, advanced, help)


def file_destination(
    name: str,
    label: str,
    file_filter: str,
    *,
    optional: bool = False,
    create_by_default: bool = True,
    advanced: bool = False,
    help: str | None = None,
) -> QgsProcessingParameterFileDestination:
    """An output file of the kinds ``file_filter`` offers (``"PDF files (*.pdf)"``)."""
    parameter = QgsProcessingParameterFileDestination(
        name, label, file_filter, optional=optional, createByDefault=create_by_default
    )
    return _finished(parameter, advanced, help)


def feature_sink(
    name: str,
    label: str,
    layer_type: Any = ProcessingSourceType.VectorAnyGeometry,
    *,
    optional: bool = False,
    create_by_default: bool = True,
    advanced: bool = False,
    help: str | None = None,
) -> QgsProcessingParameterFeatureSink:
    """A vector output of one ``ProcessingSourceType`` (``Vector`` for a table without geometries)."""
    parameter = QgsProcessingParameterFeatureSink(
        name, label, layer_type, optional=optional, createByDefault=create_by_default
    )
    return _finished(parameter, advanced, help)


def geotiff(
    name: str,
    label: str,
    *,
    optional: bool = False,
    create_by_default: bool = True,
    advanced: bool = False,
    help: str | None = None,
) -> GeoTiffDestination:
    """A raster output written as GeoTIFF (:class:`GeoTiffDestination`)."""
    parameter = GeoTiffDestination(name, label, optional=optional, createByDefault=create_by_default)
    return _finished(parameter, advanced, help)


# --- readers ------------------------------------------------------------------------------------
def parameter_as_date(
    algorithm: QgsProcessingAlgorithm, parameters: dict[str, Any], key: str, context: QgsProcessingContext
) -> dt.date | None:
    """A date parameter as ``datetime.date``, ``None`` when left empty; a clear error when it is not a date."""
    value = parameters.get(key)
    if value in (None, ""):
        return None
    moment = algorithm.parameterAsDateTime(parameters, key, context)
    if moment is None or not moment.isValid():
        raise MewError("{key} is not a date: give it as YYYY-MM-DD.", key=key)
    return moment.date().toPyDate()


def parameter_as_choice(
    algorithm: QgsProcessingAlgorithm, parameters: dict[str, Any], key: str, context: QgsProcessingContext
) -> str:
    """The short name of the option chosen for a :class:`NamedChoice`, given by its number or its short name."""
    definition = algorithm.parameterDefinition(key)
    index = definition.index_of(algorithm.parameterAsString(parameters, key, context))
    if index is None:
        index = algorithm.parameterAsEnum(parameters, key, context)
    return definition.short_names[index]


def optional_number(
    algorithm: QgsProcessingAlgorithm,
    parameters: dict[str, Any],
    key: str,
    context: QgsProcessingContext,
    integer: bool = False,
) -> float | int | None:
    """The number given for an optional parameter, or ``None`` when it was left empty."""
    value = parameters.get(key)
    if value is None or value == "":
        return None
    if integer:
        return algorithm.parameterAsInt(parameters, key, context)
    return algorithm.parameterAsDouble(parameters, key, context)
