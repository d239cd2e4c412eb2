"""``mew:briefingmap``: a briefing map (PDF, optionally PNG) from a layout template.

The parameters become a :class:`~mission_early_warning.layout.briefing_map.BriefingMapRequest`;
:mod:`mission_early_warning.layout` lays the map out in a private project (the
user's project is never changed) and writes the files. Texts, the sensitivity
rule and the page plan come from :mod:`mission_early_warning.core.briefing`.
"""

from __future__ import annotations

from qgis.core import (
    QgsMapLayer,
    QgsProcessingOutputFile,
    QgsProcessingOutputMultipleLayers,
    QgsProcessingOutputNumber,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..core import briefing
from ..core.errors import MewError
from ..layout.atlas import checked_zones
from ..layout.briefing_map import AskedExtent, BriefingMapRequest, export_briefing_map
from ..layout.layers import load_map_layers
from ..qgis_compat import ProcessingAlgorithmFlag
from .base import MewAlgorithm
from .briefing_parameters import briefing_map_parameters
from .parameters import (
    parameter_as_choice,
)


class BriefingMapAlgorithm(MewAlgorithm):
    """Export a briefing map (PDF, optional PNG) with banners, legend, scale bar and provenance."""

    name_id = "briefingmap"
    display = QT_TRANSLATE_NOOP("MewAlgorithm", "Briefing map (PDF/PNG)")
    group_name = QT_TRANSLATE_NOOP("MewAlgorithm", "Mission and briefing")
    group_key = "mission"
    TAGS = ("briefing", "map", "layout", "export", "pdf", "png", "atlas", "print")

    LAYERS = "LAYERS"
    EXTENT = "EXTENT"
    ZONES = "ZONES"
    ZONE_FIELD = "ZONE_FIELD"
    TITLE = "TITLE"
    SUBTITLE = "SUBTITLE"
    MAP_NUMBER = "MAP_NUMBER"
    CLASSIFICATION = "CLASSIFICATION"
    SOURCES = "SOURCES"
    PROVENANCE = "PROVENANCE"
    TEMPLATE = "TEMPLATE"
    TEMPLATE_FILE = "TEMPLATE_FILE"
    DPI = "DPI"
    RAW_INCIDENTS = "RAW_INCIDENTS"
    INCIDENT_CELL_SIZE = "INCIDENT_CELL_SIZE"
    OUTPUT_PDF = "OUTPUT_PDF"
    OUTPUT_PNG = "OUTPUT_PNG"

    def flags(self):
        # Layout rendering builds a project and QObjects: keep it on the main thread.
        return super().flags() | ProcessingAlgorithmFlag.NoThreading

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API name
        self.add_parameters(*briefing_map_parameters(self.tr))
        self.addOutput(QgsProcessingOutputNumber("PAGES", self.tr("Number of pages")))
        self.addOutput(QgsProcessingOutputMultipleLayers("PNG_FILES", self.tr("PNG files written (one per page)")))
        self.addOutput(
            QgsProcessingOutputFile("PROVENANCE_JSON", self.tr("Provenance of the map (JSON beside the PDF)"))
        )

    def checkParameterValues(self, parameters, context):  # noqa: N802 - QGIS API name
        # Processing's own check only says "Incorrect parameter value for LAYERS"; name the layer instead.
        try:
            self._layers(parameters, context)
            self._zones(parameters, context)
        except MewError as error:
            return False, str(error)
        return super().checkParameterValues(parameters, context)

    def run_engine(self, parameters, context, feedback, progress):
        layers, zones = self._layers(parameters, context), self._zones(parameters, context)
        output_pdf = self.parameterAsFileOutput(parameters, self.OUTPUT_PDF, context)
        if not output_pdf:
            raise MewError("Choose a PDF file for the briefing map (OUTPUT_PDF).")

        def text(key: str) -> str:
            return self.parameterAsString(parameters, key, context)

        request = BriefingMapRequest(
            layers=layers,
            title=text(self.TITLE),
            map_number=briefing.format_map_number(text(self.MAP_NUMBER)),
            output_pdf=output_pdf,
            output_png=self.parameterAsFileOutput(parameters, self.OUTPUT_PNG, context)
            if parameters.get(self.OUTPUT_PNG)
            else "",
            subtitle=text(self.SUBTITLE),
            classification=text(self.CLASSIFICATION),
            sources=text(self.SOURCES),
            further_provenance=text(self.PROVENANCE),
            template=parameter_as_choice(self, parameters, self.TEMPLATE, context),
            template_file=self.parameterAsFile(parameters, self.TEMPLATE_FILE, context),
            dpi=self.parameterAsInt(parameters, self.DPI, context),
            extent=self._extent(parameters, context),
            zones=zones,
            zone_field=text(self.ZONE_FIELD),
            raw_incidents=self.parameterAsBoolean(parameters, self.RAW_INCIDENTS, context),
            incident_cell_size=self.parameterAsDouble(parameters, self.INCIDENT_CELL_SIZE, context) or None,
        )
        result = export_briefing_map(request, context.transformContext(), feedback, progress)
        feedback.pushInfo(self.tr("Briefing map written: {} ({} page(s))").format(output_pdf, result.pages))
        return {
            self.OUTPUT_PDF: output_pdf,
            self.OUTPUT_PNG: result.png_files[0] if result.png_files else None,
            "PAGES": result.pages,
            "PNG_FILES": result.png_files,
            "PROVENANCE_JSON": result.provenance_files[0],
        }

    def _layers(self, parameters, context) -> list[QgsMapLayer]:
        """The layers in drawing order (first at the bottom)."""
        return load_map_layers(parameters.get(self.LAYERS), context)

    def _zones(self, parameters, context) -> QgsVectorLayer | None:
        """The atlas zones, or None; zones that were asked for but do not load are an error."""
        given = parameters.get(self.ZONES)
        if given in (None, ""):
            return None
        return checked_zones(self.parameterAsVectorLayer(parameters, self.ZONES, context), given)

    def _extent(self, parameters, context) -> AskedExtent | None:
        """The map extent asked for, converted by Processing into whichever CRS the map gets."""
        raw = parameters.get(self.EXTENT)
        if raw in (None, ""):
            return None
        return AskedExtent(str(raw), lambda crs: self.parameterAsExtent(parameters, self.EXTENT, context, crs))
