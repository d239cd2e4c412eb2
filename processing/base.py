"""The thin base every ``mew`` algorithm stands on.

An algorithm subclass sets ``name_id``, ``display``, ``group_name``/``group_key``
and implements ``initAlgorithm`` and :meth:`MewAlgorithm.run`. The base gives
it translation, ``createInstance``, help text from ``resources/help``, the
icon, the check that no output overwrites an input, a
:class:`~mission_early_warning.core.progress.Progress` wired to the feedback,
and turns engine errors into messages Processing shows.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any, ClassVar

from qgis.core import (
    QgsProcessingAlgorithm,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingLayerPostProcessorInterface,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterFile,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterRasterLayer,
    QgsProcessingParameterVectorLayer,
    QgsProcessingUtils,
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
        try:
            return self.run_engine(parameters, context, feedback, progress)
        except MewError as error:
            raise QgsProcessingException(str(error)) from error
        except OperationCancelled:
            feedback.pushInfo(self.tr("Cancelled: nothing was written."))
            return {}

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

        A file output gets the QML as a sidecar, which QGIS loads whenever the
        file is opened (also after ``qgis_process`` or a batch run); an output
        Processing loads into the project is styled as it is loaded.
        """
        qml = STYLES / f"{style}.qml"
        if not qml.exists():
            raise QgsProcessingException(f"Style '{style}' is missing from {STYLES}.")
        path = Path(output.split("|")[0])
        if path.suffix.lower() in (".tif", ".tiff", ".shp", ".geojson", ".csv", ".vrt") and path.exists():
            shutil.copyfile(qml, path.with_suffix(".qml"))
        layer = QgsProcessingUtils.mapLayerFromString(output, context)
        if layer is not None and context.willLoadLayerOnCompletion(layer.id()):
            context.layerToLoadOnCompletionDetails(layer.id()).setPostProcessor(_StyleFromQml(qml))
        elif context.willLoadLayerOnCompletion(output):
            context.layerToLoadOnCompletionDetails(output).setPostProcessor(_StyleFromQml(qml))
