"""``mew:briefingmap``: a briefing map (PDF, optionally PNG) from a layout template.

The algorithm owns a private project: the layers are cloned into it (or
loaded there when given as file paths), so the user's project is never
changed and the export works the same from the desktop, a batch run and
``qgis_process``. Texts, the sensitivity rule and the page plan come from
:mod:`mission_early_warning.core.briefing`.
"""

from __future__ import annotations

import contextlib
import math
import os
import re
from datetime import datetime, timezone
from pathlib import Path

from osgeo import gdal
from qgis.core import (
    Qgis,
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsCsException,
    QgsExpression,
    QgsFeature,
    QgsFillSymbol,
    QgsGeometry,
    QgsGraduatedSymbolRenderer,
    QgsLayoutExporter,
    QgsLayoutItemLabel,
    QgsLayoutItemLegend,
    QgsLayoutItemMap,
    QgsLayoutItemPicture,
    QgsLayoutItemScaleBar,
    QgsLayoutUtils,
    QgsLegendRenderer,
    QgsMapLayer,
    QgsMapLayerLegendUtils,
    QgsPrintLayout,
    QgsProcessingOutputMultipleLayers,
    QgsProcessingOutputNumber,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterEnum,
    QgsProcessingParameterExtent,
    QgsProcessingParameterField,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorLayer,
    QgsProcessingUtils,
    QgsProject,
    QgsProperty,
    QgsProviderRegistry,
    QgsReadWriteContext,
    QgsRectangle,
    QgsRendererRange,
    QgsSingleSymbolRenderer,
    QgsStyle,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QFont
from qgis.PyQt.QtXml import QDomDocument

from ..core import briefing, briefing_incidents, briefing_provenance
from ..core.briefing import literal_text
from ..core.crs import metric_crs_for
from ..core.errors import MewError, OperationCancelled
from ..core.io import atomic_path
from ..paths import ICONS, TEMPLATES
from ..qgis_compat import (
    DistanceUnit,
    GeometryType,
    LayerType,
    LegendComponent,
    ProcessingAlgorithmFlag,
    ProcessingNumberParameterType,
    ProcessingParameterFlag,
    ProcessingSourceType,
    SymbolLayerProperty,
    label_font,
    legend_style_font,
    set_label_font,
    set_legend_style_font,
)
from .base import MewAlgorithm
from .convert import layer_file_path, pyproj_crs, qgis_crs

NORTH_ARROW = ICONS / "north_arrow.svg"


class BriefingMapAlgorithm(MewAlgorithm):
    """Export a briefing map (PDF, optional PNG) with banners, legend, scale bar and provenance."""

    name_id = "briefingmap"
    display = "Briefing map (PDF/PNG)"
    group_name = "Mission and briefing"
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
        self.addParameter(
            QgsProcessingParameterMultipleLayers(
                self.LAYERS, self.tr("Layers (in drawing order: first at the bottom)"), ProcessingSourceType.MapLayer
            )
        )
        self.addParameter(
            QgsProcessingParameterExtent(self.EXTENT, self.tr("Map extent (default: all layers)"), optional=True)
        )
        self.addParameter(
            QgsProcessingParameterVectorLayer(
                self.ZONES,
                self.tr("Zones for an atlas (one page per zone, e.g. sectors)"),
                [ProcessingSourceType.VectorPolygon],
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterField(
                self.ZONE_FIELD, self.tr("Zone name field"), parentLayerParameterName=self.ZONES, optional=True
            )
        )
        self.addParameter(QgsProcessingParameterString(self.TITLE, self.tr("Title")))
        self.addParameter(QgsProcessingParameterString(self.SUBTITLE, self.tr("Subtitle"), optional=True))
        self.addParameter(
            QgsProcessingParameterString(self.MAP_NUMBER, self.tr("Map number and version"), "MEW-0001 v1")
        )
        self.addParameter(
            QgsProcessingParameterString(
                self.CLASSIFICATION, self.tr("Classification (banner top and bottom)"), briefing.DEFAULT_CLASSIFICATION
            )
        )
        self.addParameter(
            QgsProcessingParameterString(
                self.SOURCES, self.tr("Data sources and dates"), multiLine=True, optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterEnum(
                self.TEMPLATE,
                self.tr("Layout template"),
                options=list(briefing.TEMPLATE_NAMES),
                defaultValue=briefing.TEMPLATE_NAMES[0],
                usesStaticStrings=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                self.DPI, self.tr("Resolution (dpi)"), ProcessingNumberParameterType.Integer, 300, minValue=72,
                maxValue=1200,
            )
        )
        self.addParameter(
            QgsProcessingParameterBoolean(
                self.RAW_INCIDENTS,
                self.tr("Show raw incident points (sensitive; default: aggregated to grid cells)"),
                False,
            )
        )
        advanced = [
            QgsProcessingParameterString(
                self.PROVENANCE, self.tr("Further provenance lines"), multiLine=True, optional=True
            ),
            QgsProcessingParameterFile(
                self.TEMPLATE_FILE,
                self.tr("Custom layout template (.qpt with the same item ids; overrides the template)"),
                extension="qpt",
                optional=True,
            ),
            QgsProcessingParameterNumber(
                self.INCIDENT_CELL_SIZE,
                self.tr("Incident aggregation cell size (map units; 0 = automatic)"),
                ProcessingNumberParameterType.Double,
                0.0,
                minValue=0.0,
            ),
        ]
        for parameter in advanced:
            parameter.setFlags(parameter.flags() | ProcessingParameterFlag.Advanced)
            self.addParameter(parameter)
        self.addParameter(
            QgsProcessingParameterFileDestination(self.OUTPUT_PDF, self.tr("Briefing map (PDF)"), "PDF files (*.pdf)")
        )
        self.addParameter(
            QgsProcessingParameterFileDestination(
                self.OUTPUT_PNG,
                self.tr("Briefing map (PNG; an atlas writes one per zone)"),
                "PNG files (*.png)",
                optional=True,
                createByDefault=False,
            )
        )
        self.addOutput(QgsProcessingOutputNumber("PAGES", self.tr("Number of pages")))
        self.addOutput(QgsProcessingOutputMultipleLayers("PNG_FILES", self.tr("PNG files written (one per page)")))

    def checkParameterValues(self, parameters, context):  # noqa: N802 - QGIS API name
        # Processing's own check only says "Incorrect parameter value for LAYERS"; name the layer instead.
        try:
            self._layers(parameters, context)
            self._zones(parameters, context)
        except MewError as error:
            return False, str(error)
        return super().checkParameterValues(parameters, context)

    # --- run -------------------------------------------------------------------------------
    def run_engine(self, parameters, context, feedback, progress):
        layers = self._layers(parameters, context)
        zones = self._zones(parameters, context)
        zone_field = self.parameterAsString(parameters, self.ZONE_FIELD, context)
        output_pdf = self.parameterAsFileOutput(parameters, self.OUTPUT_PDF, context)
        output_png = self.parameterAsFileOutput(parameters, self.OUTPUT_PNG, context) if parameters.get(
            self.OUTPUT_PNG
        ) else ""
        if not output_pdf:
            raise MewError("Choose a PDF file for the briefing map (OUTPUT_PDF).")
        raw_incidents = self.parameterAsBoolean(parameters, self.RAW_INCIDENTS, context)
        dpi = self.parameterAsInt(parameters, self.DPI, context)
        map_number = briefing.format_map_number(self.parameterAsString(parameters, self.MAP_NUMBER, context))

        pages: list[str] = []
        if zones is not None:
            if not zone_field:
                raise MewError(f"Choose the zone name field (ZONE_FIELD) of the zones layer '{zones.name()}'.")
            if zones.fields().indexOf(zone_field) < 0:
                raise MewError(f"The zones layer '{zones.name()}' has no field '{zone_field}'.")
            pages = briefing.plan_atlas_pages(
                [f[zone_field] for f in zones.getFeatures()], zones.name(), zone_field
            )
        progress.step(0.05)

        map_crs = self._map_crs(layers, zones, parameters, context)
        # Incident records often hold stray coordinates (swapped lat/lon …): the other layers set the area.
        area_layers = [layer for layer in layers if not _is_incident_points(layer)] or layers
        full_extent = self._layers_extent(area_layers + ([zones] if zones is not None else []), map_crs, context)
        extent = full_extent
        if zones is None and parameters.get(self.EXTENT) not in (None, ""):
            extent = self._user_extent(parameters, context, map_crs, full_extent)
        elif zones is not None:
            extent = self._layers_extent([zones], map_crs, context)
            if parameters.get(self.EXTENT) not in (None, ""):
                feedback.pushWarning("The map extent is ignored for an atlas: each page shows its zone.")

        project = QgsProject()
        project.setCrs(map_crs)
        records: list[briefing_provenance.LayerRecord] = []
        drawn: list[QgsMapLayer] = []
        raw_names: list[str] = []
        aggregated_names: list[str] = []
        cell_size = self.parameterAsDouble(parameters, self.INCIDENT_CELL_SIZE, context) or None
        if cell_size is None:
            cell_size = briefing_incidents.aggregation_cell_size(full_extent.width(), full_extent.height())
        log_text = _processing_log()
        for layer in layers:
            progress.check()
            records.append(_layer_record(layer, log_text))
            if _is_incident_points(layer):
                if raw_incidents:
                    raw_names.append(layer.name())
                else:
                    drawn.append(self._aggregate(layer, map_crs, cell_size, context, feedback))
                    aggregated_names.append(layer.name())
                    continue
            drawn.append(layer.clone())
        in_legend = list(drawn)
        zone_layer = None
        if zones is not None:
            # Zone outlines always on top, the page's zone heavier; in the legend unless already listed.
            zone_layer = _zone_outline_layer(zones)
            drawn.append(zone_layer)
            if not any(_same_source(zones, layer) for layer in layers):
                in_legend.append(zone_layer)
        for layer in drawn:
            layer.setName(literal_text(layer.name()))  # our copies: the legend prints their names as written
            project.addMapLayer(layer)
        progress.step(0.2)

        layout = self._layout(parameters, context, project)
        texts = {
            "classification_top": briefing.classification_text(
                self.parameterAsString(parameters, self.CLASSIFICATION, context)
            ),
            "title": self.parameterAsString(parameters, self.TITLE, context),
            "subtitle": self.parameterAsString(parameters, self.SUBTITLE, context),
            "map_number": map_number,
            "date": briefing.date_line(datetime.now(timezone.utc).astimezone()),
            "sources": briefing_provenance.sources_text(
                self.parameterAsString(parameters, self.SOURCES, context), records
            ),
            "disclaimer": briefing.DISCLAIMER,
            "provenance": briefing_provenance.provenance_text(
                records,
                briefing_incidents.sensitivity_note(raw_names, aggregated_names, cell_size),
                self.parameterAsString(parameters, self.PROVENANCE, context),
            ),
        }
        texts["classification_bottom"] = texts["classification_top"]
        # Every text so far comes from the user, the package or the data: printed as written, never evaluated.
        texts = {item_id: literal_text(text) for item_id, text in texts.items()}
        if zones is not None:
            zone_expression = f"[% attribute(@atlas_feature, {QgsExpression.quotedString(zone_field)}) %]"
            texts["title"] = f"{texts['title']} — {zone_expression}"
            texts["map_number"] = briefing.sheet_map_number(
                map_number, "[% @atlas_featurenumber %]", "[% @atlas_totalfeatures %]", zone_expression
            )
        self._fill(layout, texts, drawn, in_legend, map_crs, extent, full_extent)
        if zones is not None:
            self._atlas(layout, zone_layer, zone_field, pages)
        progress.step(0.3)

        written_png = self._export(layout, output_pdf, output_png, dpi, zones is not None, pages, feedback, progress)
        feedback.pushInfo(f"Briefing map written: {output_pdf} ({max(len(pages), 1)} page(s))")
        return {self.OUTPUT_PDF: output_pdf, self.OUTPUT_PNG: written_png[0] if written_png else None,
                "PAGES": max(len(pages), 1), "PNG_FILES": written_png}

    # --- inputs -----------------------------------------------------------------------------
    def _layers(self, parameters, context) -> list[QgsMapLayer]:
        """The layers in drawing order; any entry that does not load is an error naming it."""
        raw = parameters.get(self.LAYERS)
        entries = raw if isinstance(raw, (list, tuple)) else [raw] if raw not in (None, "") else []
        if not entries:
            raise MewError("Give at least one layer to draw (LAYERS).")
        layers = []
        for entry in entries:
            layer = entry if isinstance(entry, QgsMapLayer) else None
            if layer is None and isinstance(entry, str) and entry:
                layer = QgsProcessingUtils.mapLayerFromString(entry, context)
                if layer is not None and layer.isValid() and QgsProject.instance().mapLayer(layer.id()) is None:
                    _prepare_file_layer(layer)
            if layer is None or not layer.isValid():
                where = entry.name() if isinstance(entry, QgsMapLayer) else str(entry)
                raise MewError(
                    f"The layer '{where}' could not be loaded: check that the file or project layer exists "
                    "(a GeoPackage layer is written 'file.gpkg|layername=name')."
                )
            layers.append(layer)
        return layers

    def _zones(self, parameters, context) -> QgsVectorLayer | None:
        """The atlas zones, or None; zones that were asked for but do not load are an error."""
        raw = parameters.get(self.ZONES)
        if raw in (None, ""):
            return None
        zones = self.parameterAsVectorLayer(parameters, self.ZONES, context)
        if zones is None or not zones.isValid():
            raise MewError(
                f"The zones layer '{raw}' could not be loaded: check that it exists and is a polygon layer "
                "(a GeoPackage layer is written 'file.gpkg|layername=name')."
            )
        if zones.geometryType() != GeometryType.Polygon:
            raise MewError(f"The zones layer '{zones.name()}' must contain polygons (one per atlas page).")
        return zones

    def _map_crs(self, layers, zones, parameters, context) -> QgsCoordinateReferenceSystem:
        """The CRS of the map: the zones' or first layer's, replaced by a local metric one if geographic."""
        candidates = ([zones] if zones is not None else []) + layers
        valid = [layer.crs() for layer in candidates if layer.crs().isValid()]
        crs = next((c for c in valid if not c.isGeographic()), valid[0] if valid else None)
        if crs is None:
            raise MewError("None of the layers has a coordinate reference system: set one in the layer properties.")
        if not crs.isGeographic():
            return crs
        lonlat = self._layers_extent(candidates, QgsCoordinateReferenceSystem("EPSG:4326"), context)
        bounds = (lonlat.xMinimum(), lonlat.yMinimum(), lonlat.xMaximum(), lonlat.yMaximum())
        return qgis_crs(metric_crs_for(pyproj_crs(crs), bounds))

    def _layers_extent(self, layers, crs, context) -> QgsRectangle:
        extent = QgsRectangle()  # null: the first combineExtentWith() takes the other rectangle whole
        for layer in layers:
            layer_extent = layer.extent()
            if layer_extent.isNull() or (layer_extent.isEmpty() and layer.type() != LayerType.Vector):
                continue
            if isinstance(layer, QgsVectorLayer) and layer.featureCount() == 0:
                continue
            transform = QgsCoordinateTransform(layer.crs(), crs, context.transformContext())
            try:
                projected = transform.transformBoundingBox(layer_extent)
            except QgsCsException:
                continue
            if all(math.isfinite(v) for v in (projected.xMinimum(), projected.xMaximum(), projected.yMinimum(),
                                               projected.yMaximum())):
                extent.combineExtentWith(projected)
        if extent.isNull() or not (extent.width() > 0 or extent.height() > 0):
            names = ", ".join(f"'{layer.name()}'" for layer in layers)
            raise MewError(f"The layers {names} have nothing to draw (no features or an empty extent).")
        if extent.width() == 0 or extent.height() == 0:  # a single point or a straight line
            extent.grow(max(extent.width(), extent.height(), 1000.0) * 0.1)
        return extent

    def _user_extent(self, parameters, context, map_crs, full_extent) -> QgsRectangle:
        extent = self.parameterAsExtent(parameters, self.EXTENT, context, map_crs)
        if extent.isNull() or extent.width() <= 0 or extent.height() <= 0:
            raise MewError(
                f"The map extent '{parameters.get(self.EXTENT)}' is empty (no width or height): "
                "give xmin,xmax,ymin,ymax with xmin < xmax and ymin < ymax, or leave it out to show all layers."
            )
        if not extent.intersects(full_extent):
            raise MewError(
                f"The map extent '{parameters.get(self.EXTENT)}' contains none of the layers: "
                "check its coordinates and CRS, or leave it out to show all layers."
            )
        return extent

    # --- the layout -------------------------------------------------------------------------------
    def _layout(self, parameters, context, project) -> QgsPrintLayout:
        custom = self.parameterAsFile(parameters, self.TEMPLATE_FILE, context)
        if custom:
            path = Path(custom)
        else:
            name = self.parameterAsEnumString(parameters, self.TEMPLATE, context) or briefing.TEMPLATE_NAMES[0]
            if name not in briefing.TEMPLATE_NAMES:
                briefing.template_page_size(name)  # raises the clear error
            path = TEMPLATES / f"{name}.qpt"
        if not path.is_file():
            raise MewError(f"The layout template '{path}' does not exist.")
        document = QDomDocument()
        ok = document.setContent(path.read_text(encoding="utf-8"))
        if isinstance(ok, tuple):
            ok = ok[0]
        if not ok:
            raise MewError(f"The layout template '{path}' is not a readable .qpt (XML) file.")
        layout = QgsPrintLayout(project)
        layout.initializeDefaults()
        _items, loaded = layout.loadFromTemplate(document, QgsReadWriteContext())
        if not loaded:
            raise MewError(f"QGIS could not load the layout template '{path}'.")
        missing = [item_id for item_id in briefing.REQUIRED_ITEM_IDS if layout.itemById(item_id) is None]
        if missing:
            raise MewError(
                f"The layout template '{path.name}' lacks the items {', '.join(missing)}: give the map item and "
                "labels these ids (Item properties → Item ID)."
            )
        return layout

    def _fill(self, layout, texts, drawn, in_legend, map_crs, extent, full_extent) -> None:
        for item_id, text in texts.items():
            item = layout.itemById(item_id)
            if isinstance(item, QgsLayoutItemLabel):
                item.setMode(QgsLayoutItemLabel.Mode.ModeFont)  # plain text: a template's HTML label would load URLs
                item.setText(text)
                _fit_label(item)
        top_first = list(reversed(drawn))
        main_map = layout.itemById("main_map")
        if not isinstance(main_map, QgsLayoutItemMap):
            raise MewError("The layout template's 'main_map' item is not a map.")
        main_map.setCrs(map_crs)
        main_map.setLayers(top_first)
        main_map.setKeepLayerSet(True)
        _fit(main_map, extent)

        overview = layout.itemById("overview_map")
        if isinstance(overview, QgsLayoutItemMap):
            context_layers = [layer for layer in top_first if _is_area_or_raster(layer)] or top_first
            overview.setCrs(map_crs)
            overview.setLayers(context_layers)
            overview.setKeepLayerSet(True)
            _fit(overview, full_extent, margin=0.08)
            overview.overview().setLinkedMap(main_map)

        legend = layout.itemById("legend")
        if isinstance(legend, QgsLayoutItemLegend):
            legend.setLinkedMap(main_map)
            legend.setAutoUpdateModel(False)
            root = legend.model().rootGroup()
            root.removeAllChildren()
            for layer in reversed(in_legend):
                _literal_legend_entries(legend.model(), root.addLayer(layer))
            legend.setLegendFilterByMapEnabled(True)  # only the classes visible on the map
            legend.updateLegend()
            _fit_legend(legend)

        arrow = layout.itemById("north_arrow")
        if isinstance(arrow, QgsLayoutItemPicture):
            arrow.setPicturePath(str(NORTH_ARROW))
            arrow.setLinkedMap(main_map)
        scalebar = layout.itemById("scalebar")
        if isinstance(scalebar, QgsLayoutItemScaleBar):
            scalebar.setLinkedMap(main_map)
            scalebar.setUnits(DistanceUnit.Kilometers)
            scalebar.setUnitLabel("km")
            scalebar.setMapUnitsPerScaleBarUnit(1.0)
            scalebar.setSegmentSizeMode(scalebar.segmentSizeMode())  # recompute the segments for this extent
            scalebar.update()

    def _atlas(self, layout, zone_layer, zone_field, pages) -> None:
        atlas = layout.atlas()
        atlas.setCoverageLayer(zone_layer)
        atlas.setEnabled(True)
        atlas.setHideCoverage(False)
        atlas.setPageNameExpression(QgsExpression.quotedColumnRef(zone_field))
        order = ",".join(QgsExpression.quotedString(page) for page in pages)
        atlas.setSortFeatures(True)
        atlas.setSortAscending(True)
        atlas.setSortExpression(f"array_find(array({order}), to_string({QgsExpression.quotedColumnRef(zone_field)}))")
        main_map = layout.itemById("main_map")
        main_map.setAtlasDriven(True)
        main_map.setAtlasScalingMode(QgsLayoutItemMap.AtlasScalingMode.Auto)
        main_map.setAtlasMargin(0.08)

    def _export(self, layout, output_pdf, output_png, dpi, is_atlas, pages, feedback, progress) -> list[str]:
        pdf_settings = QgsLayoutExporter.PdfExportSettings()
        pdf_settings.dpi = dpi
        pdf_settings.rasterizeWholeImage = False
        pdf_settings.textRenderFormat = Qgis.TextRenderFormat.AlwaysText
        pdf_settings.exportMetadata = True
        pdf_settings.appendGeoreference = True
        image_settings = QgsLayoutExporter.ImageExportSettings()
        image_settings.dpi = dpi
        image_settings.exportMetadata = False  # GDAL cannot update a PNG in place; the PDF carries the metadata
        png_targets: list[Path] = []
        if output_png:
            base = Path(output_png)
            if is_atlas:
                png_targets = [base.with_name(f"{base.stem}_{_safe_file_part(page)}{base.suffix}") for page in pages]
            else:
                png_targets = [base]
        with contextlib.ExitStack() as stack:
            pdf_temp = stack.enter_context(atomic_path(output_pdf))
            png_temps = [stack.enter_context(atomic_path(target)) for target in png_targets]
            if is_atlas:
                result, error = QgsLayoutExporter.exportToPdf(layout.atlas(), str(pdf_temp), pdf_settings, feedback)
            else:
                result = QgsLayoutExporter(layout).exportToPdf(str(pdf_temp), pdf_settings)
                error = ""
            self._check(result, error, output_pdf, feedback)
            progress.step(0.75)
            if png_temps:
                exporter = QgsLayoutExporter(layout)
                if is_atlas:
                    atlas = layout.atlas()
                    atlas.beginRender()
                    try:
                        for index, temp in enumerate(png_temps):
                            progress.check()
                            atlas.seekTo(index)
                            self._check(_export_png(exporter, temp, image_settings), "", temp, feedback)
                    finally:
                        atlas.endRender()
                else:
                    self._check(_export_png(exporter, png_temps[0], image_settings), "", output_png, feedback)
            progress.step(1.0)
        return [str(p) for p in png_targets]

    @staticmethod
    def _check(result, error, path, feedback) -> None:
        if feedback is not None and feedback.isCanceled():
            raise OperationCancelled()
        if result == QgsLayoutExporter.ExportResult.Canceled:
            raise OperationCancelled()
        if result != QgsLayoutExporter.ExportResult.Success:
            raise MewError(
                f"QGIS could not write the briefing map '{path}' (layout export result {result}). {error} "
                "Check that the folder exists and is writable and the file is not open elsewhere."
            )

    def _aggregate(self, layer, map_crs, cell_size, context, feedback) -> QgsVectorLayer:
        """Incident points → a layer of grid cells with counts (the default on exported maps)."""
        transform = QgsCoordinateTransform(layer.crs(), map_crs, context.transformContext())
        xs, ys = [], []
        unplaced = 0
        for feature in layer.getFeatures():
            geometry = feature.geometry()
            if geometry.isNull() or geometry.isEmpty():
                unplaced += 1
                continue
            try:
                geometry.transform(transform)
            except QgsCsException:  # e.g. latitude 95: the record cannot be placed on the map
                unplaced += 1
                continue
            for point in geometry.vertices():
                xs.append(point.x())
                ys.append(point.y())
        if unplaced:
            feedback.pushWarning(
                f"{unplaced} record(s) of '{layer.name()}' have no usable location and are not counted on the map."
            )
        cells = briefing_incidents.aggregate_points(xs, ys, cell_size)
        size = f"{cell_size / 1000:g} km" if cell_size >= 1000 else f"{cell_size:g} m"
        grid = QgsVectorLayer(
            f"Polygon?crs={map_crs.authid() or 'EPSG:4326'}&field=incidents:integer",
            _aggregate_name(layer.name(), size),
            "memory",
        )
        if not map_crs.authid():
            grid.setCrs(map_crs)
        features = []
        for x0, y0, x1, y1, count in cells:
            feature = QgsFeature(grid.fields())
            feature.setGeometry(QgsGeometry.fromRect(QgsRectangle(x0, y0, x1, y1)))
            feature.setAttributes([count])
            features.append(feature)
        grid.dataProvider().addFeatures(features)
        grid.updateExtents()
        if features:
            ramp = QgsStyle.defaultStyle().colorRamp("Reds")
            classes = briefing_incidents.count_classes([cell[4] for cell in cells])
            ranges = []
            for index, (low, high) in enumerate(classes):
                symbol = QgsFillSymbol.createSimple({"outline_style": "no"})
                symbol.setColor(ramp.color(0.15 + 0.85 * index / max(len(classes) - 1, 1)))
                label = briefing_incidents.class_label(low, high)
                ranges.append(QgsRendererRange(low - 0.5, high + 0.5, symbol, label))
            grid.setRenderer(QgsGraduatedSymbolRenderer("incidents", ranges))
            grid.setOpacity(0.85)
        return grid


# --- helpers ------------------------------------------------------------------------------------


def _fit(map_item: QgsLayoutItemMap, extent: QgsRectangle, margin: float = 0.02) -> None:
    size = map_item.sizeWithUnits()
    bounds = (extent.xMinimum(), extent.yMinimum(), extent.xMaximum(), extent.yMaximum())
    map_item.setExtent(QgsRectangle(*briefing.fit_extent(bounds, size.width(), size.height(), margin)))


def _safe_file_part(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("_") or "zone"


def _aggregate_name(name: str, size: str) -> str:
    if "incident" in name.lower():
        return f"Incidents per {size} cell"
    return f"{name}: incidents per {size} cell"


def _export_png(exporter: QgsLayoutExporter, path: Path, settings) -> int:
    # QGIS tries to georeference the PNG in place, which GDAL's PNG driver refuses with a
    # harmless "ERROR 6"; keep it off the user's console.
    gdal.PushErrorHandler("CPLQuietErrorHandler")
    try:
        return exporter.exportToImage(str(path), settings)
    finally:
        gdal.PopErrorHandler()


def _wrapped_lines(text: str, font: QFont, width: float) -> list[str]:
    """Greedy word wrap of ``text`` to ``width`` mm, as a label lays it out."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if line and QgsLayoutUtils.textWidthMM(font, candidate) > width:
                lines.append(line)
                line = word
            else:
                line = candidate
        lines.append(line)
    return lines


def _literal_legend_entries(model, node) -> None:
    """Print the legend entries of a layer (class labels, band names: text from the data) as written."""
    for index, legend_node in enumerate(model.layerOriginalLegendNodes(node)):
        text = legend_node.data(Qt.ItemDataRole.EditRole) or legend_node.data(Qt.ItemDataRole.DisplayRole)
        if isinstance(text, str) and literal_text(text) != text:
            QgsMapLayerLegendUtils.setLegendNodeUserLabel(node, index, literal_text(text))
    model.refreshLayerLegend(node)


def _fit_label(label: QgsLayoutItemLabel) -> None:
    """Shrink a label's font (to 60 % at most) until its wrapped text fits its frame."""
    box = label.sizeWithUnits()
    width = box.width() - 2 * label.marginX()
    height = box.height() - 2 * label.marginY()
    original = label_font(label)
    text = re.sub(r"\[%.*?%\]", "S99", label.text())  # atlas expressions print as short zone names/numbers
    for scale in (1.0, 0.92, 0.85, 0.78, 0.72, 0.66, 0.6):
        font = QFont(original)
        font.setPointSizeF(original.pointSizeF() * scale)
        lines = _wrapped_lines(text, font, width)
        if QgsLayoutUtils.textHeightMM(font, "\n".join(lines)) <= height:
            break
    set_label_font(label, font)


def _fit_legend(legend: QgsLayoutItemLegend) -> None:
    """Keep the legend inside its frame: two columns, then smaller text and symbols.

    When nothing fits, the smallest setting that is not wider than the frame is kept.
    """
    box = legend.sizeWithUnits()
    styles = (LegendComponent.Title, LegendComponent.Group, LegendComponent.Subgroup, LegendComponent.SymbolLabel)
    fonts = {style: legend_style_font(legend.rstyle(style)) for style in styles}
    symbol = (legend.symbolWidth(), legend.symbolHeight())
    context = QgsLayoutUtils.createRenderContextForLayout(legend.layout(), None)

    def apply(shrink: float, columns: int):
        for style, font in fonts.items():
            smaller = QFont(font)
            smaller.setPointSizeF(font.pointSizeF() * shrink)
            set_legend_style_font(legend.rstyle(style), smaller)
        legend.setSymbolWidth(symbol[0] * max(shrink, 0.7))
        legend.setSymbolHeight(symbol[1] * shrink)
        legend.setColumnCount(columns)
        return QgsLegendRenderer(legend.model(), legend.legendSettings()).minimumSize(context)

    best = None
    for shrink in (1.0, 0.9, 0.8, 0.7, 0.6, 0.5):
        for columns in (1, 2):
            needed = apply(shrink, columns)
            if needed.width() > box.width():
                continue
            if needed.height() <= box.height():
                legend.refresh()
                return
            if best is None or needed.height() < best[0]:
                best = (needed.height(), shrink, columns)
    if best is not None:
        apply(best[1], best[2])
    legend.refresh()


def _prepare_file_layer(layer: QgsMapLayer) -> None:
    """A layer we loaded from a path: name it as a reader would, and keep unstyled areas see-through.

    A polygon layer with no saved style (no .qml beside it, none in its
    GeoPackage) would get a random opaque fill that hides every layer under
    it; it is drawn as an outline instead.
    """
    layer.setName(_display_name(layer))
    if isinstance(layer, QgsVectorLayer) and layer.geometryType() == GeometryType.Polygon:
        _message, styled = layer.loadDefaultStyle()
        if not styled:
            layer.setRenderer(
                QgsSingleSymbolRenderer(
                    QgsFillSymbol.createSimple({"style": "no", "outline_color": "#303030", "outline_width": "0.4"})
                )
            )


def _display_name(layer: QgsMapLayer) -> str:
    """The name a reader should see: a GeoPackage layer's own name rather than its file's."""
    name = layer.name()
    path = layer_file_path(layer)
    sublayer = QgsProviderRegistry.instance().decodeUri(layer.providerType(), layer.source()).get("layerName")
    if path and sublayer and name in (Path(path).stem, Path(path).name):
        name = sublayer
    return name.replace("_", " ")


def _same_source(a: QgsMapLayer, b: QgsMapLayer) -> bool:
    return a.source() == b.source() and a.providerType() == b.providerType()


def _is_point_layer(layer: QgsMapLayer) -> bool:
    return isinstance(layer, QgsVectorLayer) and layer.geometryType() == GeometryType.Point


def _is_incident_points(layer: QgsMapLayer) -> bool:
    return _is_point_layer(layer) and briefing_incidents.is_incident_layer(layer.name(), layer.fields().names(), True)


def _is_area_or_raster(layer: QgsMapLayer) -> bool:
    if isinstance(layer, QgsVectorLayer):
        return layer.geometryType() == GeometryType.Polygon and layer.providerType() != "memory"
    return layer.type() == LayerType.Raster


def _zone_outline_layer(zones: QgsVectorLayer) -> QgsVectorLayer:
    """The zones drawn as outlines, the atlas page's zone heavier."""
    layer = zones.clone()
    symbol = QgsFillSymbol.createSimple(
        {"style": "no", "outline_color": "#202020", "outline_width": "0.3", "outline_width_unit": "MM"}
    )
    symbol.symbolLayer(0).setDataDefinedProperty(
        SymbolLayerProperty.StrokeWidth,
        QgsProperty.fromExpression("if(@atlas_featureid = $id, 0.9, 0.3)"),
    )
    layer.setRenderer(QgsSingleSymbolRenderer(symbol))
    return layer


def _processing_log() -> str:
    path = Path(QgsApplication.qgisSettingsDirPath()) / "processing" / "processing.log"
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _layer_record(layer: QgsMapLayer, log_text: str) -> briefing_provenance.LayerRecord:
    """The footer's facts about a layer: its file and date and how it was made."""
    path = layer_file_path(layer) or ""
    modified = None
    if path and os.path.exists(path):
        modified = datetime.fromtimestamp(os.path.getmtime(path), tz=timezone.utc)
    history = briefing_provenance.provenance_from_metadata(_metadata_items(layer, path))
    if not history:
        history = briefing_provenance.provenance_from_processing_log(log_text, path)
    return briefing_provenance.LayerRecord(layer.name(), layer.source() if path else "", modified, history)


def _metadata_items(layer: QgsMapLayer, path: str) -> dict[str, str]:
    """Key/value metadata an output may carry: GDAL metadata items and QGIS layer keywords."""
    items: dict[str, str] = {}
    if path and os.path.exists(path):
        try:
            dataset = gdal.OpenEx(path, gdal.OF_RASTER | gdal.OF_VECTOR | gdal.OF_READONLY)
            if dataset is not None:
                items.update(dataset.GetMetadata() or {})
                layer_name = dict(
                    part.split("=", 1) for part in layer.source().split("|")[1:] if "=" in part
                ).get("layername")
                if layer_name and dataset.GetLayerCount():
                    ogr_layer = dataset.GetLayerByName(layer_name)
                    if ogr_layer is not None:
                        items.update(ogr_layer.GetMetadata() or {})
            dataset = None
        except RuntimeError:
            pass
    for vocabulary, words in layer.metadata().keywords().items():
        if vocabulary.upper().startswith("MEW_") and words:
            items[vocabulary] = ", ".join(words)
    return items
