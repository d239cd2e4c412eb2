"""The thin base every ``mew`` algorithm stands on.

An algorithm subclass sets ``name_id``, ``display``, ``group_name``/``group_key``
and implements ``initAlgorithm`` and :meth:`MewAlgorithm.run_engine`. The base gives
it translation, ``createInstance``, help text and a local help page from
``resources/help``, the toolbox tags of its ``TAGS``, the
icon, a :class:`~mission_early_warning.core.progress.Progress` wired to the
feedback, and, for every algorithm alike, before anything is written: numbers
that are not finite and layers of the wrong geometry type are refused, an
output into an input's file or two outputs into one file are refused, vector
outputs are set aside so they end whole or as they were (also after a killed
run); and after: every error reaches the user as a message saying what to do,
never as a traceback (that goes to the log).
"""

from __future__ import annotations

import errno
import math
import shutil
import traceback
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any, ClassVar, Iterable, Iterator

from qgis.core import (
    Qgis,
    QgsFeature,
    QgsMapLayer,
    QgsMessageLog,
    QgsProcessing,
    QgsProcessingAlgorithm,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingLayerPostProcessorInterface,
    QgsProcessingOutputLayerDefinition,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterFile,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterDestination,
    QgsProcessingParameterRasterLayer,
    QgsProcessingParameterVectorDestination,
    QgsProcessingParameterVectorLayer,
    QgsProcessingUtils,
    QgsProperty,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.PyQt import sip
from qgis.PyQt.QtCore import QCoreApplication, QUrl
from qgis.PyQt.QtGui import QIcon

from ..core.errors import MewError, OperationCancelled
from ..core.foreign_threads import hold_thread_state
from ..core.io import (
    VECTOR_SIDECARS,
    FileUse,
    SetAside,
    destination_file,
    is_spreadsheet_file,
    real_path,
    refuse_file_clashes,
    spreadsheet_safe,
)
from ..core.messages import message, speaking
from ..core.progress import Progress
from ..core.provenance import ProvenanceRecord, date_range, iso_day, now_utc, plugin_version
from ..language import officer_language
from ..paths import PLUGIN_DIR, STYLES, algorithm_icon_path, help_page
from ..qgis_compat import GeometryType, ProcessingSourceType, save_style_to_database
from .convert import layer_file, layer_name
from .parameters import NamedChoice
from .provenance_store import plain_value, record_of_layer, set_on_layer, write_to_file
from .styles import style_in_language

#: Where unexpected errors are logged with their traceback (QGIS's Log Messages panel).
LOG_TAG = "Mission Early Warning"
#: The outputs that are layers, and so carry a provenance record.
_LAYER_DESTINATIONS = (
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterVectorDestination,
    QgsProcessingParameterRasterDestination,
)


class _FinishOnLoading(QgsProcessingLayerPostProcessorInterface):
    """Finishes an output as Processing loads it into a project: its QML style and its provenance record.

    An output has one post-processor, so both go through this one. The context owns the C++ side but holds no
    reference to this Python object, which would otherwise be collected, and its postProcessLayer lost, before
    the layer is loaded. So each one keeps itself alive until it has finished its layer, its output is withdrawn
    from loading or its context is deleted (a script's run whose outputs are never loaded), and not after: runs
    must not pile them up.
    """

    _pending: ClassVar[list[_FinishOnLoading]] = []

    def __init__(self, qml: Path | None = None, provenance: ProvenanceRecord | None = None) -> None:
        super().__init__()
        self.qml = qml
        self.provenance = provenance
        # Those whose context has been deleted (and the C++ side with it) will never be called.
        _FinishOnLoading._pending[:] = [pending for pending in _FinishOnLoading._pending if not sip.isdeleted(pending)]
        _FinishOnLoading._pending.append(self)

    @classmethod
    def of_output(cls, context: QgsProcessingContext, output: str) -> _FinishOnLoading | None:
        """The post-processor of ``output`` (a layer id or a destination), made when it has none of ours; None
        when the output is not loaded on completion."""
        layer = QgsProcessingUtils.mapLayerFromString(output, context, False)
        for key in ([layer.id()] if layer is not None else []) + [output]:
            if not context.willLoadLayerOnCompletion(key):
                continue
            details = context.layerToLoadOnCompletionDetails(key)
            current = details.postProcessor()
            if isinstance(current, cls):
                return current
            finishing = cls()
            details.setPostProcessor(finishing)
            return finishing
        return None

    def postProcessLayer(self, layer, context, feedback):  # noqa: N802 - Qt API name
        try:
            if layer is not None and layer.isValid():
                if self.qml is not None:
                    layer.loadNamedStyle(str(self.qml))
                    layer.triggerRepaint()
                if self.provenance is not None:
                    set_on_layer(layer, self.provenance)
        finally:
            self.release()

    def release(self) -> None:
        """Processing is done with this post-processor: stop keeping it alive."""
        _FinishOnLoading._pending[:] = [pending for pending in _FinishOnLoading._pending if pending is not self]


def _withdraw_outputs_queued_since(context: QgsProcessingContext, queued_before: set[str]) -> None:
    """Take back the outputs a run queued for loading on completion, so that a run that wrote nothing does not
    have Processing report them as "not correctly generated"; outputs queued by earlier runs (a model's other
    steps) stay."""
    queued = context.layersToLoadOnCompletion()
    withdrawn = set(queued) - queued_before
    if not withdrawn:
        return
    for key in withdrawn:
        post_processor = queued[key].postProcessor()
        if isinstance(post_processor, _FinishOnLoading):
            post_processor.release()
    # The context deletes the post-processors of the entries it no longer holds.
    context.setLayersToLoadOnCompletion({key: details for key, details in queued.items() if key not in withdrawn})


def direct_geopackage_path(parameters: dict[str, Any], key: str) -> str | None:
    """The GeoPackage file an output goes to, when it is a plain ``.gpkg`` path; else None.

    Such a destination may be written in bulk by :mod:`core.gpkg` (atomically,
    with its spatial index) instead of feature by feature through a sink.
    """
    value = parameters.get(key)
    definition = value if isinstance(value, QgsProcessingOutputLayerDefinition) else None
    text = definition.sink.staticValue() if definition is not None else value
    if not isinstance(text, str) or text == QgsProcessing.TEMPORARY_OUTPUT or "|" in text:
        return None
    return text if text.lower().endswith(".gpkg") else None


def register_output(parameters: dict[str, Any], context: QgsProcessingContext, path: str, name: str, key: str) -> None:
    """Ask Processing to load a file we wrote ourselves, as a sink would."""
    value = parameters.get(key)
    if isinstance(value, QgsProcessingOutputLayerDefinition) and value.destinationProject is not None:
        details = QgsProcessingContext.LayerDetails(value.destinationName or name, value.destinationProject, key)
        context.addLayerToLoadOnCompletion(path, details)


@dataclass
class _Destination:
    """One output of a run, as given and as resolved to a file."""

    key: str
    what: str  # "the output 'Hot spots' (OUTPUT)"
    file: str | None  # absolute, links resolved; None for temporary, memory and database outputs
    layer: str | None  # the layer (table) named inside the file, if any
    vector: bool


class _GuardedVectorOutputs:
    """Vector outputs that are whole or absent: an error or a cancel restores what was there before.

    Processing's feature sinks write straight into the destination file, so
    each vector file output is set aside first (:class:`~..core.io.SetAside`,
    which also settles what a killed earlier run left, said in the log).
    Processing's own bookkeeping (layers to load, results) keeps the real path
    throughout.
    """

    def __init__(self, destinations: list[_Destination], feedback: QgsProcessingFeedback) -> None:
        self.feedback = feedback
        self.guarded: list[SetAside] = []
        try:
            for destination in destinations:
                if not destination.vector or destination.file is None:
                    continue
                if Path(destination.file).suffix.lower() not in VECTOR_SIDECARS:
                    continue
                guard = SetAside(destination.file, in_place=destination.layer is not None)
                self.guarded.append(guard)
                for message in guard.recovered:
                    feedback.pushWarning(message)
        except BaseException:
            self.restore()
            raise

    def restore(self) -> None:
        """Remove what the failed run wrote and put the previous files back."""
        for guard in self.guarded:
            try:
                guard.restore()
            except OSError as error:
                self.feedback.reportError(
                    f"The previous '{guard.final}' could not be put back ({error.strerror or error}): it is kept "
                    f"in the hidden folder '{guard.hidden}'; the next run on this output puts it back.",
                    False,
                )

    def keep(self) -> None:
        """The run finished: drop the previous files."""
        for guard in self.guarded:
            try:
                guard.drop()
            except OSError as error:
                self.feedback.reportError(
                    f"The previous '{guard.final}' could not be removed ({error.strerror or error}); the next run "
                    "on this output removes it.",
                    False,
                )


#: What each geometry type is called in messages.
_GEOMETRY_WORDS = {
    GeometryType.Point: "points",
    GeometryType.Line: "lines",
    GeometryType.Polygon: "polygons",
    GeometryType.Null: "no geometries (it is a table)",
}


def _accepted_geometries(data_types) -> set | None:
    """The geometry types a vector parameter's layer types accept; None when any will do."""
    accepted: set = set()
    for data_type in data_types:
        for source_type, geometry in (
            (ProcessingSourceType.VectorPoint, GeometryType.Point),
            (ProcessingSourceType.VectorLine, GeometryType.Line),
            (ProcessingSourceType.VectorPolygon, GeometryType.Polygon),
        ):
            if data_type == source_type:
                accepted.add(geometry)
        if data_type == ProcessingSourceType.VectorAnyGeometry:
            accepted |= {GeometryType.Point, GeometryType.Line, GeometryType.Polygon}
        elif data_type in (ProcessingSourceType.Vector, ProcessingSourceType.MapLayer):
            return None
    return accepted or None


def _ogr_table_destination(path: str, layer: str) -> str:
    """``ogr:dbname='path' table="layer"``: how Processing adds a layer to an existing GeoPackage."""
    quoted_path = path.replace("\\", "\\\\").replace("'", "\\'")
    quoted_layer = layer.replace("\\", "\\\\").replace('"', '\\"')
    return f"ogr:dbname='{quoted_path}' table=\"{quoted_layer}\""


def _release_frames(error: BaseException) -> None:
    """Let go of what the frames of a failed run hold (its layers, project, layout) now.

    An exception raised through a context manager (``contextlib.ExitStack``, say)
    sits in a reference cycle with the frames it passed; they would live until
    Python's cycle collector runs, possibly after QGIS has shut down, and QGIS
    objects deleted then crash it. The traceback text is in the log already.
    """
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        traceback.clear_frames(error.__traceback__)
        error = error.__cause__ or error.__context__


def _file_problem(error: OSError, destinations: list[_Destination]) -> str:
    """What went wrong with a file, which file, and what to do; said for the output it concerns when it is one."""
    path = error.filename or ""
    folder = Path(path).parent if path else None
    output = next(
        (
            d
            for d in destinations
            if d.file and path and (real_path(path) == d.file or real_path(folder) == real_path(Path(d.file).parent))
        ),
        None,
    )
    if output is not None:
        where = message(
            "{output} could not be written to '{file}' (folder '{folder}')",
            output=output.what,
            file=output.file,
            folder=Path(output.file).parent,
        )
    elif path:
        where = message("'{path}' could not be used", path=path)
    else:
        where = message("a file could not be read or written")
    reasons = {
        errno.EACCES: message("permission denied"),
        errno.EPERM: message("the system does not allow it"),
        errno.EROFS: message("the disk or share is read-only"),
        errno.ENOSPC: message("the disk is full"),
        errno.ENOENT: message("it does not exist"),
        errno.ENOTDIR: message("a part of the path is a file, not a folder"),
    }
    edquot = getattr(errno, "EDQUOT", None)
    if edquot is not None:
        reasons[edquot] = message("the disk quota is used up")
    reason = reasons.get(error.errno, error.strerror or str(error))
    if error.errno in (errno.ENOSPC, edquot):
        advice = message("Free some space or choose a folder on another disk.")
    elif output is not None or error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        advice = message(
            "Choose a folder you can write to (for instance in your home folder), or ask for write access."
        )
    else:
        advice = message("Check that the file exists and that its name and folder are right.")
    return message(
        "{where}: {reason}. {advice} Nothing was written; earlier outputs are as they were.",
        where=where[:1].upper() + where[1:],
        reason=reason,
        advice=advice,
    )


class _SpreadsheetSafeSink:
    """A feature sink writing a CSV or spreadsheet file: text a spreadsheet would run as a formula is written
    with a leading quote (:func:`core.io.spreadsheet_safe`); everything else passes through to the sink."""

    def __init__(self, sink) -> None:
        self._sink = sink

    def addFeature(self, feature, *args):  # noqa: N802 - QGIS API name
        return self._sink.addFeature(self._safe(feature), *args)

    def addFeatures(self, features, *args):  # noqa: N802 - QGIS API name
        return self._sink.addFeatures([self._safe(feature) for feature in features], *args)

    def __getattr__(self, name: str):
        return getattr(self._sink, name)

    @staticmethod
    def _safe(feature: QgsFeature) -> QgsFeature:
        attributes = feature.attributes()
        safe = [spreadsheet_safe(value) for value in attributes]
        if all(a is b for a, b in zip(attributes, safe)):
            return feature
        copy = QgsFeature(feature)  # the caller's feature stays as it is
        copy.setAttributes(safe)
        return copy


class MewAlgorithm(QgsProcessingAlgorithm):
    """Base class for the provider's algorithms."""

    name_id: str = ""
    display: str = ""
    group_name: str = ""
    group_key: str = ""
    #: Plain words the toolbox search finds the algorithm by.
    TAGS: tuple[str, ...] = ()

    def __init__(self) -> None:
        super().__init__()
        #: The periods of data the run used, by what they are (``"incidents"``): first and last ISO day.
        self._periods: dict[str, list[str]] = {}

    # --- identity -----------------------------------------------------------------
    def tr(self, text: str) -> str:
        # One context for every algorithm: the parameter builders they share are translated once.
        return QCoreApplication.translate("MewAlgorithm", text)

    def createInstance(self):  # noqa: N802 - QGIS API name
        return type(self)()

    def name(self) -> str:
        return self.name_id

    def displayName(self) -> str:  # noqa: N802
        return self.tr(self.display)

    def group(self) -> str:
        return self.tr(self.group_name)

    def groupId(self) -> str:  # noqa: N802
        return self.group_key

    def icon(self) -> QIcon:
        return QIcon(str(algorithm_icon_path(self.name_id)))

    def shortHelpString(self) -> str:  # noqa: N802
        help_file = help_page(self.name_id, officer_language())
        if help_file.exists():
            return help_file.read_text(encoding="utf-8")
        return self.tr(self.__doc__ or "")

    def helpUrl(self) -> str:  # noqa: N802
        """The algorithm's help page in the officer's language, shipped with the plugin: nothing is fetched."""
        return QUrl.fromLocalFile(str(help_page(self.name_id, officer_language()))).toString()

    def tags(self) -> list[str]:
        return list(self.TAGS)

    def add_parameters(self, *definitions: QgsProcessingParameterDefinition) -> None:
        """Add the parameters in the order given, which is the order the dialog shows them in.

        Build them with :mod:`.parameters`.
        """
        for definition in definitions:
            self.addParameter(definition)

    def parameterAsSink(self, parameters, name, context, *args, **kwargs):  # noqa: N802 - QGIS API name
        """QGIS's feature sink for an output; one that writes a CSV or spreadsheet file writes formula-safe text."""
        sink, destination = super().parameterAsSink(parameters, name, context, *args, **kwargs)
        if sink is not None and destination and is_spreadsheet_file(destination):
            sink = _SpreadsheetSafeSink(sink)
        return sink, destination

    # --- running ----------------------------------------------------------------------
    def run_engine(
        self,
        parameters: dict[str, Any],
        context: QgsProcessingContext,
        feedback: QgsProcessingFeedback,
        progress: Progress,
    ) -> dict[str, Any]:
        """Convert parameters, call the engine, return the outputs. Subclasses implement.

        Not named ``run``: that is QgsProcessingAlgorithm's own entry point,
        which ``processing.run`` and the toolbox call.
        """
        raise NotImplementedError

    def checkParameterValues(self, parameters, context):  # noqa: N802 - QGIS API name
        # Ours first: they name the parameter and say what to do, where Processing says "Incorrect parameter value".
        # In a context of their own: the layers they open are not left in the caller's.
        checking = QgsProcessingContext()
        checking.setProject(context.project())
        checking.setTransformContext(context.transformContext())
        try:
            with speaking(officer_language()):
                self.refuse_before_writing(parameters, checking)
        except MewError as error:
            _release_frames(error)
            return False, str(error)
        except Exception:  # processAlgorithm refuses again, and reports what went wrong
            pass
        finally:
            del checking
        return super().checkParameterValues(parameters, context)

    def record_period(self, what: str, first: date | str | None, last: date | str | None = None) -> None:
        """Say which period of data the run used (``"incidents"``, its first and last day; one day when ``last``
        is not given): the run's outputs carry it in their provenance and a briefing map prints it."""
        first_day, last_day = iso_day(first), iso_day(last if last is not None else first)
        if first_day or last_day:
            self._periods[what] = [first_day, last_day]

    def record_dates(self, what: str, dates: Iterable[date | str | None]) -> None:
        """:meth:`record_period` for the first and last of ``dates`` (missing ones left out)."""
        self.record_period(what, *date_range(dates))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        # The engine's messages and map words in QGIS's language, for this run only.
        with speaking(officer_language()):
            return self._process(parameters, context, feedback)

    def _process(self, parameters, context, feedback) -> dict[str, Any]:
        hold_thread_state()  # QGIS desktop runs algorithms on its pooled task threads
        feedback = feedback or QgsProcessingFeedback()
        given = parameters
        self._periods = {}
        destinations: list[_Destination] = []
        queued_before = set(context.layersToLoadOnCompletion())
        try:
            # Again here: a model runs its algorithms without checkParameterValues.
            parameters, destinations = self.refuse_before_writing(parameters, context)
            guarded = _GuardedVectorOutputs(destinations, feedback)
        except BaseException as error:
            shown = self.for_user(error, feedback, destinations)
            _release_frames(error)
            raise shown from error
        progress = Progress(report=feedback.setProgress, is_canceled=feedback.isCanceled)
        try:
            results = self.run_engine(parameters, context, feedback, progress)
        except OperationCancelled as cancelled:
            guarded.restore()
            _withdraw_outputs_queued_since(context, queued_before)
            _release_frames(cancelled)
            feedback.pushInfo(self.tr("Cancelled: nothing was written; earlier outputs are as they were."))
            return {}
        except BaseException as error:
            guarded.restore()
            _withdraw_outputs_queued_since(context, queued_before)
            shown = self.for_user(error, feedback, destinations)
            _release_frames(error)
            raise shown from error
        guarded.keep()
        self._record_provenance(given, context, feedback, results)
        return results

    def _recorded_value(self, key: str, value: Any) -> Any:
        """A parameter value as provenance keeps it: a choice by its short name (``vci``), whichever form came in
        (the dialog sends the option's number), so records and footers read the same from every caller."""
        definition = self.parameterDefinition(key)
        if isinstance(definition, NamedChoice):
            index = definition.index_of(value)
            if index is not None:
                return definition.short_names[index]
        return plain_value(value)

    def _record_provenance(
        self,
        given: dict[str, Any],
        context: QgsProcessingContext,
        feedback: QgsProcessingFeedback,
        results: dict[str, Any],
    ) -> None:
        """Every layer output of the run says how it was made: in its file when the format holds it (GeoTIFF,
        GeoPackage) and in the QGIS metadata of the layer Processing loads (a temporary layer's only record).

        The outputs are written by then: a record that cannot be stored is a warning, never a failed run.
        """
        layer_outputs = [d.name() for d in self.destinationParameterDefinitions() if isinstance(d, _LAYER_DESTINATIONS)]
        try:
            record = ProvenanceRecord(
                algorithm=self.id(),
                display_name=self.displayName(),
                parameters={key: self._recorded_value(key, value) for key, value in given.items()},
                inputs=self._input_sources(given, context),
                periods={**self._input_periods(given, context), **self._periods},
                results={
                    key: plain_value(value)
                    for key, value in results.items()
                    if key not in layer_outputs and isinstance(value, (bool, int, float, str))
                },
                plugin_version=plugin_version(PLUGIN_DIR / "metadata.txt"),
                created=now_utc(),
            )
            for key in layer_outputs:
                output = results.get(key)
                if not isinstance(output, str) or not output:
                    continue
                own = replace(record, output=key)
                write_to_file(output, own)
                layer = QgsProcessingUtils.mapLayerFromString(output, context, False)
                if layer is not None:
                    set_on_layer(layer, own)  # a temporary layer, or the one the style was read with
                finishing = _FinishOnLoading.of_output(context, output)
                if finishing is not None:
                    finishing.provenance = own
        except Exception:  # the outputs are whole; only their history is missing
            details = traceback.format_exc()
            QgsMessageLog.logMessage(f"{self.id()}: {details}", LOG_TAG, Qgis.MessageLevel.Warning)
            feedback.pushWarning(
                self.tr(
                    "The outputs were written, but how they were made could not be stored in them; a briefing map "
                    "will not describe them. Details are in the log (Log Messages panel, '{}')."
                ).format(LOG_TAG)
            )

    def _input_periods(self, parameters: dict[str, Any], context: QgsProcessingContext) -> dict[str, list[str]]:
        """The data periods the inputs carry from the runs that made them (the incidents an imported layer
        holds, the NDVI dates of an index): a run that does not read dates itself still says which data it used.
        Inputs with the same period give its whole span."""
        periods: dict[str, list[str]] = {}
        for _definition, given in self.input_layers(parameters, context):
            record = record_of_layer(given) if isinstance(given, QgsMapLayer) else None
            for what, span in (record.periods if record is not None else {}).items():
                periods[what] = list(date_range([*periods.get(what, []), *span]))
        return periods

    def _input_sources(self, parameters: dict[str, Any], context: QgsProcessingContext) -> dict[str, Any]:
        """The run's inputs by parameter: each layer's source or file (a list for several layers)."""
        sources: dict[str, list[str]] = {}
        for definition, given in self.input_layers(parameters, context):
            sources.setdefault(definition.name(), []).append(given if isinstance(given, str) else given.source())
        return {key: found[0] if len(found) == 1 else found for key, found in sources.items()}

    # --- before the run: what is refused --------------------------------------------------
    def refuse_before_writing(
        self, parameters: dict[str, Any], context: QgsProcessingContext
    ) -> tuple[dict[str, Any], list[_Destination]]:
        """Raise :class:`MewError` for what no run may do; else the parameters to run with and the outputs."""
        parameters = self.layer_destinations_as_tables(parameters)
        destinations = self.destinations(parameters)
        self.refuse_unusable_parameters(parameters, context)
        self.refuse_outputs_over_inputs(parameters, context, destinations)
        return parameters, destinations

    def input_name(self, parameters: dict[str, Any], key: str, context: QgsProcessingContext) -> str:
        """How messages name an input layer: ``'area' in data.gpkg (STUDY_AREA)``."""
        layer = self.parameterAsVectorLayer(parameters, key, context)
        return f"{layer_name(layer, str(parameters.get(key)))} ({key})"

    def layer_destinations_as_tables(self, parameters: dict[str, Any]) -> dict[str, Any]:
        """Vector outputs given as ``file.gpkg|layername=name`` written as that layer of the file.

        Processing takes that form for a file called ``file.gpkg|layername=name.gpkg``;
        ``ogr:dbname='file.gpkg' table="name"`` is how it adds a layer to a
        GeoPackage (its other layers kept), which is what the form means.
        """
        changed = dict(parameters)
        for definition in self.destinationParameterDefinitions():
            if not isinstance(definition, (QgsProcessingParameterFeatureSink, QgsProcessingParameterVectorDestination)):
                continue
            value = parameters.get(definition.name())
            text = value.sink.staticValue() if isinstance(value, QgsProcessingOutputLayerDefinition) else value
            if not isinstance(text, str) or "|" not in text or text.lower().startswith(("ogr:", "memory:")):
                continue
            path, layer = text.split("|")[0], destination_file(text)[1]
            if layer is None or Path(path).suffix.lower() not in (".gpkg", ".sqlite"):
                continue
            table = _ogr_table_destination(path, layer)
            if isinstance(value, QgsProcessingOutputLayerDefinition):
                value = QgsProcessingOutputLayerDefinition(value)
                value.sink = QgsProperty.fromValue(table)
                changed[definition.name()] = value
            else:
                changed[definition.name()] = table
        return changed

    def destinations(self, parameters: dict[str, Any]) -> list[_Destination]:
        """The run's outputs, each resolved to the file (and layer) it writes."""
        found = []
        for definition in self.destinationParameterDefinitions():
            value = parameters.get(definition.name())
            if value is None:
                continue
            sink = getattr(value, "sink", None)
            text = sink.staticValue() if sink is not None else value
            resolved = destination_file(text) if isinstance(text, str) else None
            found.append(
                _Destination(
                    definition.name(),
                    message("the output '{output}' ({key})", output=definition.description(), key=definition.name()),
                    resolved[0] if resolved else None,
                    resolved[1] if resolved else None,
                    isinstance(
                        definition, (QgsProcessingParameterFeatureSink, QgsProcessingParameterVectorDestination)
                    ),
                )
            )
        return found

    def refuse_unusable_parameters(self, parameters: dict[str, Any], context: QgsProcessingContext) -> None:
        """Stop before any work on a number that is not finite or a layer of the wrong geometry type.

        Processing's own checks let both through: NaN passes every bound, and a
        layer given by its path is not checked against the layer types asked for.
        """
        for definition in self.parameterDefinitions():
            key = definition.name()
            if parameters.get(key) in (None, ""):
                continue
            if isinstance(definition, QgsProcessingParameterNumber):
                number = self.parameterAsDouble(parameters, key, context)
                if not math.isfinite(number):
                    default = definition.defaultValue()
                    example = (
                        message(", e.g. {default:g}", default=default) if isinstance(default, (int, float)) else ""
                    )
                    raise MewError(
                        "'{definition}' ({key}) is {number}, not a number: give a finite number{example}.",
                        definition=definition.description(),
                        key=key,
                        number=number,
                        example=example,
                    )
            elif isinstance(definition, (QgsProcessingParameterFeatureSource, QgsProcessingParameterVectorLayer)):
                self._refuse_wrong_geometry(definition, parameters, context)

    def _refuse_wrong_geometry(self, definition, parameters, context) -> None:
        accepted = _accepted_geometries(definition.dataTypes())
        if accepted is None:
            return
        key = definition.name()
        if isinstance(definition, QgsProcessingParameterFeatureSource):
            source = self.parameterAsSource(parameters, key, context)
            geometry = QgsWkbTypes.geometryType(source.wkbType()) if source is not None else None
        else:
            layer = self.parameterAsVectorLayer(parameters, key, context)
            geometry = layer.geometryType() if layer is not None else None
        if geometry is None or geometry in accepted:
            return
        wanted = message(" or ").join(
            message(_GEOMETRY_WORDS[g]) for g in sorted(accepted, key=list(_GEOMETRY_WORDS).index)
        )
        holds = message(_GEOMETRY_WORDS.get(geometry, "geometries of an unknown type"))
        raise MewError(
            "The layer {layer} given as '{definition}' holds {holds}: choose a layer of {wanted}.",
            layer=self.input_name(parameters, key, context),
            definition=definition.description(),
            holds=holds,
            wanted=wanted,
        )

    def refuse_outputs_over_inputs(
        self, parameters: dict[str, Any], context: QgsProcessingContext, destinations: list[_Destination] | None = None
    ) -> None:
        """Stop before any work if an output goes into an input's file, or two outputs into one file."""
        inputs: list[FileUse] = []
        for definition, given in self.input_layers(parameters, context):
            if isinstance(given, str):
                what = message("the input '{input}' ({key})", input=definition.description(), key=definition.name())
                inputs.append(FileUse(what, real_path(given)))
                continue
            path, table = layer_file(given)
            if path:
                what = message(
                    "the input {layer} ('{input}', {key})",
                    layer=layer_name(given),
                    input=definition.description(),
                    key=definition.name(),
                )
                inputs.append(FileUse(what, real_path(path), table))
        if destinations is None:
            destinations = self.destinations(parameters)
        outputs = [FileUse(d.what, d.file, d.layer) for d in destinations if d.file is not None]
        refuse_file_clashes(outputs, inputs)

    def input_layers(
        self, parameters: dict[str, Any], context: QgsProcessingContext
    ) -> Iterator[tuple[QgsProcessingParameterDefinition, QgsMapLayer | str]]:
        """The run's inputs with the parameter that names each: layers, and files given by their path."""
        for definition in self.parameterDefinitions():
            key = definition.name()
            if key not in parameters or parameters[key] is None:
                continue
            if isinstance(definition, QgsProcessingParameterMultipleLayers):
                for layer in self.parameterAsLayerList(parameters, key, context) or []:
                    yield definition, layer
            elif isinstance(
                definition,
                (
                    QgsProcessingParameterFeatureSource,
                    QgsProcessingParameterRasterLayer,
                    QgsProcessingParameterVectorLayer,
                ),
            ):
                layer = self.parameterAsLayer(parameters, key, context)
                if layer is not None:
                    yield definition, layer
            elif isinstance(definition, QgsProcessingParameterFile):
                path = self.parameterAsFile(parameters, key, context)
                if path:
                    yield definition, path

    # --- after an error: what the user reads ------------------------------------------------
    def for_user(
        self, error: BaseException, feedback: QgsProcessingFeedback, destinations: list[_Destination]
    ) -> BaseException:
        """The exception Processing shows for ``error``: a message saying what to do, never a traceback.

        A traceback goes to the log only (Processing's log as debug information,
        and QGIS's Log Messages panel under "Mission Early Warning").
        """
        if isinstance(error, QgsProcessingException):
            return error
        if isinstance(error, MewError):
            return QgsProcessingException(str(error))
        if not isinstance(error, Exception):
            return error  # KeyboardInterrupt, SystemExit: not ours to reword
        details = "".join(traceback.format_exception(type(error), error, error.__traceback__))
        feedback.pushDebugInfo(details)
        QgsMessageLog.logMessage(f"{self.id()}: {details}", LOG_TAG, Qgis.MessageLevel.Critical)
        if isinstance(error, OSError):
            return QgsProcessingException(_file_problem(error, destinations))
        return QgsProcessingException(
            f"{self.displayName()} stopped on an unexpected problem ({type(error).__name__}: {error}). Nothing was "
            "written and earlier outputs are as they were. Check the inputs and settings; if it happens again, "
            f"send the details from the log (Log Messages panel, '{LOG_TAG}') to the plugin's maintainers."
        )

    # --- styling ----------------------------------------------------------------------
    def apply_style(self, output: str, style: str | Path, context: QgsProcessingContext) -> None:
        """Style an output with ``resources/styles/<style>.qml``, or with the QML file ``style`` when it is a path
        (a style made for this run's values).

        A file output gets the QML as a sidecar (a GeoPackage: as its default
        style inside), which QGIS loads whenever the file is opened (also after
        ``qgis_process`` or a batch run); an output
        Processing loads into the project is styled as it is loaded.
        """
        qml = style if isinstance(style, Path) else STYLES / f"{style}.qml"
        if not qml.exists():
            raise QgsProcessingException(f"Style '{style}' is missing from {qml.parent}.")
        qml = style_in_language(qml)
        path = Path(output.split("|")[0])
        sidecar = path.with_suffix(".qml")
        if path.suffix.lower() in (".tif", ".tiff", ".shp", ".geojson", ".csv", ".vrt") and path.exists():
            if not (sidecar.exists() and sidecar.samefile(qml)):
                shutil.copyfile(qml, sidecar)
        elif path.suffix.lower() == ".gpkg" and path.exists():
            # A GeoPackage carries its default style inside (layer_styles), so QGIS applies it on opening.
            stored = QgsVectorLayer(output, qml.stem, "ogr")
            if stored.isValid():
                stored.loadNamedStyle(str(qml))
                save_style_to_database(stored, qml.stem, "Mission Early Warning", True)
            del stored
        QgsProcessingUtils.mapLayerFromString(output, context)  # the layer Processing loads, in its store
        finishing = _FinishOnLoading.of_output(context, output)
        if finishing is not None:
            finishing.qml = qml
