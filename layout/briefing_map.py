"""One briefing map (or atlas) from start to finish: layers in a private project, a filled layout, the files.

The map owns a private project: the layers are cloned into it, so the user's
project is never changed and the export works the same from the desktop, a
batch run and ``qgis_process``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Callable

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransformContext,
    QgsMapLayer,
    QgsPrintLayout,
    QgsProcessingFeedback,
    QgsProject,
    QgsRectangle,
    QgsVectorLayer,
)

from ..core.briefing import TEMPLATE_NAMES, literal_text, page_texts
from ..core.briefing_incidents import aggregation_cell_size, sensitivity_note
from ..core.briefing_provenance import full_record_text, map_keywords, map_record
from ..core.errors import MewError
from ..core.messages import message
from ..core.progress import Progress
from .atlas import atlas_page_texts, atlas_pages, set_up_atlas, zone_outline_layer
from .export import MapDescription, export_layout
from .frame import checked_extent, layers_extent, map_crs
from .incident_grid import incident_grid_layer
from .label_leaders import lead_out_unplaced_point_labels
from .labels import fill_labels
from .layers import is_incident_points, same_source
from .legend import fill_legend
from .main_map import fill_main_map, link_north_arrow_and_scale_bar
from .map_labels import arrange_map_labels
from .overview import fill_overview
from .provenance import layer_record
from .template import load_template, template_path


@dataclass(frozen=True)
class AskedExtent:
    """The map extent the user asked for: as written (for messages), and in any CRS (the map's, once known)."""

    written: str
    in_crs: Callable[[QgsCoordinateReferenceSystem], QgsRectangle]


@dataclass
class BriefingMapRequest:
    """What a briefing map shows and where it is written.

    ``layers`` are in drawing order (first at the bottom). With ``zones`` the
    map is an atlas: one page per zone, named by ``zone_field``.
    """

    layers: list[QgsMapLayer]
    title: str
    map_number: str
    output_pdf: str
    output_png: str = ""
    subtitle: str = ""
    classification: str = ""
    sources: str = ""
    further_provenance: str = ""
    template: str = TEMPLATE_NAMES[0]
    template_file: str = ""
    dpi: int = 300
    extent: AskedExtent | None = None
    zones: QgsVectorLayer | None = None
    zone_field: str = ""
    raw_incidents: bool = False
    incident_cell_size: float | None = None  # map units; None chooses a round size for the map's extent


@dataclass
class BriefingMapResult:
    """What was written: the number of pages of the PDF, the PNG files and the provenance files beside them."""

    pages: int
    png_files: list[str] = field(default_factory=list)
    provenance_files: list[str] = field(default_factory=list)


@dataclass
class _MapLayers:
    """The copies a map draws."""

    drawn: list[QgsMapLayer] = field(default_factory=list)  # bottom first
    in_legend: list[QgsMapLayer] = field(default_factory=list)
    raw_incidents: list[str] = field(default_factory=list)
    aggregated_incidents: list[str] = field(default_factory=list)
    zone_outlines: QgsVectorLayer | None = None


@dataclass
class BriefingLayout:
    """A filled briefing-map layout, ready to export or to take further pages.

    ``project`` is the private project the layout draws: it must live as long as the layout.
    """

    layout: QgsPrintLayout
    project: QgsProject
    pages: list[str]  # atlas pages; [] for a single map
    texts: dict[str, str]  # the labels' texts (banners, title, footer ...)
    description: MapDescription


def export_briefing_map(
    request: BriefingMapRequest,
    transform_context: QgsCoordinateTransformContext,
    feedback: QgsProcessingFeedback,
    progress: Progress,
) -> BriefingMapResult:
    """Lay out and write the briefing map of ``request``; errors are :class:`MewError` saying what to do."""
    built = build_briefing_layout(request, transform_context, feedback, progress)
    png_files, provenance_files = export_layout(
        built.layout,
        request.output_pdf,
        request.output_png,
        request.dpi,
        built.pages,
        built.description,
        feedback,
        progress,
    )
    return BriefingMapResult(max(len(built.pages), 1), png_files, provenance_files)


def build_briefing_layout(
    request: BriefingMapRequest,
    transform_context: QgsCoordinateTransformContext,
    feedback: QgsProcessingFeedback,
    progress: Progress,
) -> BriefingLayout:
    """The briefing map of ``request`` laid out in its private project, not yet written (``output_*`` unused)."""
    zones = request.zones
    pages = atlas_pages(zones, request.zone_field) if zones is not None else []
    progress.step(0.05)

    crs = map_crs(request.layers, zones, transform_context)
    # Incident records often hold stray coordinates (swapped lat/lon …): the other layers set the area.
    area_layers = [layer for layer in request.layers if not is_incident_points(layer)] or request.layers
    layers_area = layers_extent(area_layers + ([zones] if zones is not None else []), crs, transform_context)
    extent = layers_area
    if zones is None and request.extent is not None:
        extent = checked_extent(request.extent.in_crs(crs), request.extent.written, layers_area)
    elif zones is not None:
        extent = layers_extent([zones], crs, transform_context)
        if request.extent is not None:
            feedback.pushWarning(message("The map extent is ignored for an atlas: each page shows its zone."))
    cell_size = request.incident_cell_size or aggregation_cell_size(layers_area.width(), layers_area.height())

    project = QgsProject()
    project.setCrs(crs)
    records = [layer_record(layer) for layer in request.layers if _on_map(layer, crs, extent, transform_context)]
    content = _map_layers(request, crs, cell_size, transform_context, feedback, progress)
    for layer in content.drawn:
        layer.setName(literal_text(layer.name()))  # our copies: the legend prints their names as written
        project.addMapLayer(layer)
    arrange_map_labels(project, content.drawn)
    progress.step(0.2)

    produced = datetime.now(timezone.utc).astimezone()
    layout = load_template(template_path(request.template, request.template_file), project)
    texts = page_texts(
        title=request.title,
        subtitle=request.subtitle,
        map_number=request.map_number,
        classification=request.classification,
        sources=request.sources,
        layers=records,
        sensitivity=sensitivity_note(content.raw_incidents, content.aggregated_incidents, cell_size),
        further_provenance=request.further_provenance,
        produced=produced,
    )
    if zones is not None:
        texts = atlas_page_texts(texts, request.zone_field)
    fill_labels(layout, texts)
    main_map = fill_main_map(layout, content.drawn[::-1], crs, extent)
    if zones is None:  # an atlas page has its own extent: its labels are left to the engine
        lead_out_unplaced_point_labels(main_map, content.drawn, request.dpi)
    fill_overview(layout, main_map, content.drawn[::-1], crs, layers_area)
    fill_legend(layout, main_map, content.in_legend[::-1], texts["classification_top"])
    link_north_arrow_and_scale_bar(layout, main_map)
    if content.zone_outlines is not None:
        set_up_atlas(layout, content.zone_outlines, request.zone_field, pages)
    progress.step(0.3)

    description = MapDescription(
        title=request.title,
        subject=full_record_text(records),
        keywords=map_keywords(records),
        record=map_record(request.title, request.map_number, produced, records),
    )
    return BriefingLayout(layout, project, pages, texts, description)


def _on_map(
    layer: QgsMapLayer,
    crs: QgsCoordinateReferenceSystem,
    extent: QgsRectangle,
    transform_context: QgsCoordinateTransformContext,
) -> bool:
    """Whether a layer draws anything within the map's extent: one that does not is not among its sources."""
    try:
        return layers_extent([layer], crs, transform_context).intersects(extent)
    except MewError:  # nothing to draw
        return False


def _map_layers(
    request: BriefingMapRequest,
    crs: QgsCoordinateReferenceSystem,
    cell_size: float,
    transform_context: QgsCoordinateTransformContext,
    feedback: QgsProcessingFeedback,
    progress: Progress,
) -> _MapLayers:
    """Copies of the layers to draw: incident points as counts per cell unless raw points are asked for.

    Zone outlines go on top, in the legend unless the zones are already one of the layers.
    """
    content = _MapLayers()
    for layer in request.layers:
        progress.check()
        if is_incident_points(layer):
            if request.raw_incidents:
                content.raw_incidents.append(layer.name())
            else:
                content.drawn.append(incident_grid_layer(layer, crs, cell_size, transform_context, feedback))
                content.aggregated_incidents.append(layer.name())
                continue
        content.drawn.append(layer.clone())
    content.in_legend = list(content.drawn)
    if request.zones is not None:
        content.zone_outlines = zone_outline_layer(request.zones)
        content.drawn.append(content.zone_outlines)
        if not any(same_source(request.zones, layer) for layer in request.layers):
            content.in_legend.append(content.zone_outlines)
    return content
