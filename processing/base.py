"""The thin base every ``mew`` algorithm stands on.

An algorithm subclass sets ``name_id``, ``display``, ``group_name``/``group_key``
and implements ``initAlgorithm`` and :meth:`MewAlgorithm.run`. The base gives
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
    QgsProperty,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtGui import QIcon

from ..core.errors import MewError, OperationCancelled
from ..core.io import refuse_output_over_inputs
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


def _qgis_run(self, *args: Any, **kwargs: Any):
    """QgsProcessingAlgorithm.run, bound as a Python method (sip's own does not bind when reassigned)."""
    return QgsProcessingAlgorithm.run(self, *args, **kwargs)


#: File formats a vector output may be staged in (written beside, moved into place at the end).
_STAGEABLE_SUFFIXES = {".gpkg", ".shp", ".geojson", ".json", ".csv", ".fgb", ".sqlite", ".gml", ".kml", ".tab",
                       ".xlsx", ".ods"}


class _StagedVectorOutputs:
    """Vector outputs written in a hidden folder beside their destination, moved into place on success.

    Processing's feature sinks write straight into the destination file, so an
    error or a cancel half-way would leave a half-written file, or destroy the
    previous result. The algorithm is handed the same file name inside a
    hidden folder next to the destination instead (same file system, and a
    GeoPackage's layer takes its name from the file); only a run that finishes
    moves the file and its sidecars over the real one.
    """

    def __init__(self, algorithm: QgsProcessingAlgorithm, parameters: dict[str, Any]) -> None:
        self.parameters = dict(parameters)
        self.staged: list[tuple[Path, Path]] = []  # (hidden folder, final folder)
        for definition in algorithm.destinationParameterDefinitions():
            if not isinstance(definition, (QgsProcessingParameterFeatureSink, QgsProcessingParameterVectorDestination)):
                continue
            value = parameters.get(definition.name())
            is_definition = isinstance(value, QgsProcessingOutputLayerDefinition)
            text = value.sink.staticValue() if is_definition else value
            if not isinstance(text, str) or not text:
                continue
            path_text, bar, options = text.partition("|")
            final = Path(path_text)
            if final.suffix.lower() not in _STAGEABLE_SUFFIXES or not final.is_absolute():
                continue
            final.parent.mkdir(parents=True, exist_ok=True)
            hidden = Path(tempfile.mkdtemp(prefix=".mew-partial-", dir=final.parent))
            staged_text = str(hidden / final.name) + bar + options
            if is_definition:
                staged_value = QgsProcessingOutputLayerDefinition(value)
                staged_value.sink = QgsProperty.fromValue(staged_text)
            else:
                staged_value = staged_text
            self.parameters[definition.name()] = staged_value
            self.staged.append((hidden, final.parent))

    def _forget_layers(self, context: QgsProcessingContext) -> None:
        store = context.temporaryLayerStore()
        for hidden, _final in self.staged:
            for layer_id, layer in list(store.mapLayers().items()):
                if str(hidden) in layer.source():
                    store.removeMapLayer(layer_id)

    def discard(self, context: QgsProcessingContext) -> None:
        self._forget_layers(context)
        for hidden, _final in self.staged:
            shutil.rmtree(hidden, ignore_errors=True)

    def commit(self, results: dict[str, Any], context: QgsProcessingContext) -> dict[str, Any]:
        self._forget_layers(context)
        for hidden, final in self.staged:
            for path in hidden.iterdir():
                os.replace(path, final / path.name)
            hidden.rmdir()
        renames = [(str(hidden), str(final)) for hidden, final in self.staged]

        def renamed(value: Any) -> Any:
            if isinstance(value, str):
                for old, new in renames:
                    value = value.replace(old, new)
                return value
            if isinstance(value, (list, tuple)):
                return type(value)(renamed(v) for v in value)
            return value

        to_load = context.layersToLoadOnCompletion()
        if any(renamed(key) != key for key in to_load):
            context.setLayersToLoadOnCompletion({renamed(key): details for key, details in to_load.items()})
        return {key: renamed(value) for key, value in (results or {}).items()}


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

    # --- running ----------------------------------------------------------------------
    def __init_subclass__(cls, **kwargs: Any) -> None:
        # ``run`` is also QgsProcessingAlgorithm's public entry point, which
        # ``processing.run`` and the toolbox call as run(parameters, context,
        # feedback, configuration, catchExceptions). A subclass's ``run`` (our
        # engine hook) is moved aside so QGIS's entry point stays callable.
        super().__init_subclass__(**kwargs)
        hook = cls.__dict__.get("run")
        if hook is not None:
            cls.run_engine = hook
            cls.run = _qgis_run

    def run_engine(
        self,
        parameters: dict[str, Any],
        context: QgsProcessingContext,
        feedback: QgsProcessingFeedback,
        progress: Progress,
    ) -> dict[str, Any]:
        """Convert parameters, call the engine, return the outputs. Subclasses implement."""
        raise NotImplementedError

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        feedback = feedback or QgsProcessingFeedback()
        self.refuse_outputs_over_inputs(parameters, context)
        progress = Progress(report=feedback.setProgress, is_canceled=feedback.isCanceled)
        staged = _StagedVectorOutputs(self, parameters)
        try:
            results = self.run_engine(staged.parameters, context, feedback, progress)
        except MewError as error:
            staged.discard(context)
            raise QgsProcessingException(str(error)) from error
        except OperationCancelled:
            staged.discard(context)
            feedback.pushInfo(self.tr("Cancelled: nothing was written."))
            return {}
        except BaseException:
            staged.discard(context)
            raise
        return staged.commit(results, context)

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
