"""The parameters of mew:briefingmap, as its dialog shows them."""

from __future__ import annotations

from qgis.core import QgsProcessingParameterDefinition

from ..core import briefing
from ..qgis_compat import ProcessingSourceType
from .parameters import (
    boolean,
    enum,
    extent,
    field,
    file,
    file_destination,
    integer,
    multiple_layers,
    number,
    string,
    vector_layer,
)


def briefing_map_parameters(tr) -> list[QgsProcessingParameterDefinition]:
    """mew:briefingmap's parameters, in the dialog's order."""
    return [
        multiple_layers(
            "LAYERS",
            tr("Layers (in drawing order: first at the bottom)"),
            ProcessingSourceType.MapLayer,
            help=tr("The layers shown on the map; incident points are drawn aggregated unless asked otherwise."),
        ),
        extent(
            "EXTENT",
            tr("Map extent (empty: all layers)"),
            optional=True,
            help=tr("The area the map shows, e.g. the area of operations."),
        ),
        vector_layer(
            "ZONES",
            tr("Zones for an atlas (one page per zone, e.g. sectors)"),
            ProcessingSourceType.VectorPolygon,
            optional=True,
            help=tr("Polygons to make one page each, zoomed on the zone."),
        ),
        field(
            "ZONE_FIELD",
            tr("Zone name field"),
            "ZONES",
            optional=True,
            help=tr("The field that names each zone on its page."),
        ),
        string("TITLE", tr("Title"), help=tr("The map's title, at the top of the page.")),
        string("SUBTITLE", tr("Subtitle"), optional=True, help=tr("A line under the title, e.g. the period.")),
        string(
            "MAP_NUMBER",
            tr("Map number and version"),
            default="MEW-0001 v1",
            help=tr("The reference printed on the map, to cite it in reports."),
        ),
        string(
            "CLASSIFICATION",
            tr("Classification (banner top and bottom)"),
            default=briefing.DEFAULT_CLASSIFICATION,
            help=tr("The handling caveat printed in the banners, e.g. UN RESTRICTED."),
        ),
        string(
            "SOURCES",
            tr("Data sources and dates"),
            multiline=True,
            optional=True,
            help=tr("Printed on the map, e.g. ACLED export of 2026-10-31; one source per line."),
        ),
        enum(
            "TEMPLATE",
            tr("Page size and orientation"),
            briefing.TEMPLATE_NAMES,
            (tr("A4 landscape"), tr("A4 portrait"), tr("A3 landscape"), tr("A3 portrait")),
            help=tr("The layout the map is placed on."),
        ),
        integer(
            "DPI",
            tr("Resolution (dpi)"),
            default=300,
            minimum=72,
            maximum=1200,
            advanced=True,
            help=tr("Dots per inch of the PDF's images and of the PNG: 300 prints well, 150 makes smaller files."),
        ),
        boolean(
            "RAW_INCIDENTS",
            tr("Show raw incident points (sensitive; default: aggregated to grid cells)"),
            default=False,
            help=tr(
                "Exact incident locations may expose sources and victims: they are counted in grid cells "
                "unless this is ticked."
            ),
        ),
        string(
            "PROVENANCE",
            tr("Further provenance lines"),
            multiline=True,
            optional=True,
            advanced=True,
            help=tr("Lines added to the provenance block, after those read from the layers."),
        ),
        file(
            "TEMPLATE_FILE",
            tr("Own layout template (.qpt file with the same item ids; replaces the page size above)"),
            extension="qpt",
            optional=True,
            advanced=True,
            help=tr("A layout saved from QGIS's layout designer with the item ids the plugin's templates use."),
        ),
        number(
            "INCIDENT_CELL_SIZE",
            tr("Incident aggregation cell size (map units; 0 = automatic)"),
            default=0.0,
            minimum=0.0,
            advanced=True,
            help=tr("The size of the grid cells incident points are counted in on the map."),
        ),
        file_destination(
            "OUTPUT_PDF",
            tr("Briefing map (PDF)"),
            "PDF files (*.pdf)",
            help=tr("The PDF to print or send; an atlas writes one page per zone."),
        ),
        file_destination(
            "OUTPUT_PNG",
            tr("Briefing map (PNG; an atlas writes one per zone)"),
            "PNG files (*.png)",
            optional=True,
            create_by_default=False,
            help=tr("An image for a slide or a message."),
        ),
    ]
