"""The thin base every ``mew`` algorithm stands on.

An algorithm subclass sets ``name_id``, ``display``, ``group_name``/``group_key``
and implements ``initAlgorithm`` and :meth:`MewAlgorithm.run_engine`. The base gives
it translation, ``createInstance``, help text from ``resources/help``, the
icon, the check that no output overwrites an input, a
:class:`~mission_early_warning.core.progress.Progress` wired to the feedback,
and turns engine errors into messages Processing shows.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any, ClassVar

from qgis.core import (
    QgsFeature,
    QgsProcessing,
    QgsProcessingAlgorithm,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingLayerPostProcessorInterface,
    QgsProcessingOutputLayerDefinition,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterFile,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterRasterLayer,
    QgsProcessingParameterVectorDestination,
    QgsProcessingParameterVectorLayer,
    QgsProcessingUtils,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtGui import QIcon

from ..core.errors import MewError, OperationCancelled
from ..core.io import is_spreadsheet_file, refuse_output_over_inputs, spreadsheet_safe
from ..core.progress import Progress
from ..paths import HELP, ICON_PATH, STYLES
from .convert import layer_file_path


class _StyleFromQml(QgsProcessingLayerPostProcessorInterface):
    """Applies a QML style to an output when Processing loads it into a project."""

    _alive: ClassVar[list[_StyleFromQml]] = []  # Processing keeps no reference; we must

    def __init__(self, qml: Path) -> None:
        super().__init__()
        self.qml = qml
        _StyleFromQml._alive.append(self)

    def postProcessLayer(self, layer, context, feedback):  # noqa: N802 - Qt API name
        if layer is not None and layer.isValid():
            layer.loadNamedStyle(str(self.qml))
            layer.triggerRepaint()


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


#: Vector file formats whose outputs are guarded, with the files that travel with each.
_VECTOR_SIDECARS = {
    ".gpkg": ("-wal", "-shm"), ".sqlite": ("-wal", "-shm"), ".shp": (".shx", ".dbf", ".prj", ".cpg", ".qix"),
    ".geojson": (), ".json": (), ".csv": (".csvt",), ".fgb": (), ".gml": (".xsd", ".gfs"), ".kml": (),
    ".tab": (".dat", ".map", ".id"), ".xlsx": (), ".ods": (),
}


def _vector_files(final: Path) -> list[Path]:
    """The file of a vector output and the sidecars a format keeps beside it (existing ones)."""
    suffixes = _VECTOR_SIDECARS.get(final.suffix.lower(), ())
    candidates = [final, final.with_suffix(".qml"), Path(f"{final}.aux.xml")]
    candidates += [final.with_suffix(s) if s.startswith(".") else Path(f"{final}{s}") for s in suffixes]
    return [p for p in candidates if p.exists()]


class _GuardedVectorOutputs:
    """Vector outputs that are whole or absent: an error or a cancel restores what was there before.

    Processing's feature sinks write straight into the destination file. Before
    the run, an existing destination (and its sidecars) is moved aside into a
    hidden folder beside it; if the run fails or is cancelled, the partial file
    is removed and the previous one moved back; if it finishes, the old copy
    is dropped. Processing's own bookkeeping (layers to load, results) keeps
    the real path throughout.
    """

    def __init__(self, algorithm: QgsProcessingAlgorithm, parameters: dict[str, Any]) -> None:
        self.guarded: list[tuple[Path, Path | None]] = []  # (destination, hidden folder holding the old files)
        for definition in algorithm.destinationParameterDefinitions():
            if not isinstance(definition, (QgsProcessingParameterFeatureSink, QgsProcessingParameterVectorDestination)):
                continue
            value = parameters.get(definition.name())
            text = value.sink.staticValue() if isinstance(value, QgsProcessingOutputLayerDefinition) else value
            if not isinstance(text, str) or not text:
                continue
            final = Path(text.split("|")[0])
            if final.suffix.lower() not in _VECTOR_SIDECARS or not final.is_absolute():
                continue
            previous = _vector_files(final)
            hidden = None
            if previous:
                hidden = Path(tempfile.mkdtemp(prefix=".mew-previous-", dir=final.parent))
                for path in previous:
                    os.replace(path, hidden / path.name)
            self.guarded.append((final, hidden))

    def restore(self) -> None:
        """Remove what the failed run wrote and put the previous files back."""
        for final, hidden in self.guarded:
            for path in _vector_files(final):
                path.unlink(missing_ok=True)
            if hidden is not None:
                for path in hidden.iterdir():
                    os.replace(path, final.parent / path.name)
                hidden.rmdir()

    def keep(self) -> None:
        """The run finished: drop the previous files."""
        for _final, hidden in self.guarded:
            if hidden is not None:
                shutil.rmtree(hidden, ignore_errors=True)


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

    # --- identity -----------------------------------------------------------------
    def tr(self, text: str) -> str:
        return QCoreApplication.translate(type(self).__name__, text)

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
        return QIcon(str(ICON_PATH))

    def shortHelpString(self) -> str:  # noqa: N802
        help_file = HELP / f"{self.name_id}.html"
        if help_file.exists():
            return help_file.read_text(encoding="utf-8")
        return self.tr(self.__doc__ or "")

    def parameter_as_date(self, parameters: dict[str, Any], key: str, context: QgsProcessingContext):
        """A date parameter as ``datetime.date``, ``None`` when left empty; a clear error when it is not a date."""
        value = parameters.get(key)
        if value in (None, ""):
            return None
        moment = self.parameterAsDateTime(parameters, key, context)
        if moment is None or not moment.isValid():
            raise MewError(f"{key} is not a date: give it as YYYY-MM-DD.")
        return moment.date().toPyDate()

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

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        feedback = feedback or QgsProcessingFeedback()
        self.refuse_outputs_over_inputs(parameters, context)
        progress = Progress(report=feedback.setProgress, is_canceled=feedback.isCanceled)
        guarded = _GuardedVectorOutputs(self, parameters)
        try:
            results = self.run_engine(parameters, context, feedback, progress)
        except MewError as error:
            guarded.restore()
            raise QgsProcessingException(str(error)) from error
        except OperationCancelled:
            guarded.restore()
            feedback.pushInfo(self.tr("Cancelled: nothing was written; earlier outputs are as they were."))
            return {}
        except BaseException:
            guarded.restore()
            raise
        guarded.keep()
        return results

    def refuse_outputs_over_inputs(self, parameters: dict[str, Any], context: QgsProcessingContext) -> None:
        """Stop before any work if an output file is one of the input files."""
        inputs: list[str] = []
        for definition in self.parameterDefinitions():
            key = definition.name()
            if key not in parameters or parameters[key] is None:
                continue
            if isinstance(definition, QgsProcessingParameterMultipleLayers):
                layers = self.parameterAsLayerList(parameters, key, context) or []
                inputs.extend(p for p in map(layer_file_path, layers) if p)
            elif isinstance(
                definition,
                (
                    QgsProcessingParameterFeatureSource,
                    QgsProcessingParameterRasterLayer,
                    QgsProcessingParameterVectorLayer,
                ),
            ):
                path = layer_file_path(self.parameterAsLayer(parameters, key, context))
                if path:
                    inputs.append(path)
            elif isinstance(definition, QgsProcessingParameterFile):
                path = self.parameterAsFile(parameters, key, context)
                if path:
                    inputs.append(path)
        outputs = []
        for definition in self.destinationParameterDefinitions():
            value = parameters.get(definition.name())
            if value is None:
                continue
            sink = getattr(value, "sink", None)
            text = sink.staticValue() if sink is not None else value
            if isinstance(text, str) and text and not text.startswith(("memory:", "TEMPORARY_OUTPUT")):
                outputs.append(text.split("|")[0])
        try:
            refuse_output_over_inputs(outputs, inputs)
        except MewError as error:
            raise QgsProcessingException(str(error)) from error

    # --- styling ----------------------------------------------------------------------
    def apply_style(self, output: str, style: str, context: QgsProcessingContext) -> None:
        """Style an output with ``resources/styles/<style>.qml``.

        A file output gets the QML as a sidecar (a GeoPackage: as its default
        style inside), which QGIS loads whenever the file is opened (also after
        ``qgis_process`` or a batch run); an output
        Processing loads into the project is styled as it is loaded.
        """
        qml = STYLES / f"{style}.qml"
        if not qml.exists():
            raise QgsProcessingException(f"Style '{style}' is missing from {STYLES}.")
        path = Path(output.split("|")[0])
        if path.suffix.lower() in (".tif", ".tiff", ".shp", ".geojson", ".csv", ".vrt") and path.exists():
            shutil.copyfile(qml, path.with_suffix(".qml"))
        elif path.suffix.lower() == ".gpkg" and path.exists():
            # A GeoPackage carries its default style inside (layer_styles), so QGIS applies it on opening.
            stored = QgsVectorLayer(output, style, "ogr")
            if stored.isValid():
                stored.loadNamedStyle(str(qml))
                stored.saveStyleToDatabase(style, "Mission Early Warning", True, "")
            del stored
        layer = QgsProcessingUtils.mapLayerFromString(output, context)
        if layer is not None and context.willLoadLayerOnCompletion(layer.id()):
            context.layerToLoadOnCompletionDetails(layer.id()).setPostProcessor(_StyleFromQml(qml))
        elif context.willLoadLayerOnCompletion(output):
            context.layerToLoadOnCompletionDetails(output).setPostProcessor(_StyleFromQml(qml))
