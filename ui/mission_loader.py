"""Load a validated mission package into a QGIS project: one group, theme subgroups, styled layers.

Every layer added carries two custom properties (``mew/mission`` = the
package's key, ``mew/layer_id`` = the manifest id), and so does the mission
group (``mew/mission``): loading the same package again finds them and adds
nothing that is already there.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Optional

from qgis.core import (
    QgsCategorizedSymbolRenderer,
    QgsColorRampShader,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsGraduatedSymbolRenderer,
    QgsLayerTreeGroup,
    QgsMapLayer,
    QgsProject,
    QgsProviderRegistry,
    QgsRasterLayer,
    QgsRasterRange,
    QgsRectangle,
    QgsSingleBandPseudoColorRenderer,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QTimer, QUrl, QUrlQuery

from ..core.errors import MewError
from ..core.mission_package.package import LayerEntry, MissionPackage
from ..core.mission_package.problems import Problem, has_errors
from ..core.mission_package.raster_check import raster_band_dates
from ..core.mission_package.schema import OTHER_THEME, THEMES
from ..core.mission_package.vetting import RefusedFile, vetted_source
from ..paths import STYLES
from ..qgis_compat import set_renderer_band

MISSION_PROPERTY = "mew/mission"
LAYER_PROPERTY = "mew/layer_id"
#: Subgroups from top (drawn last, on top) to bottom.
THEME_ORDER = ("operations", "incidents", "boundaries", "population", "environment", OTHER_THEME)
assert set(THEMES) <= set(THEME_ORDER)


@dataclass
class LoadResult:
    """What a load did: layers added, already present, skipped (not loadable or ``load: false``)."""

    group: Optional[QgsLayerTreeGroup] = None
    added: list[str] = field(default_factory=list)
    present: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)  # layer id -> reason


def loads_by_default(entry: LayerEntry) -> bool:
    """Layers marked ``"load": false`` in the manifest (e.g. a GPS duplicate, a mask) are not loaded."""
    return entry.options.get("load", True) is not False


def mission_layers(package: MissionPackage, project: QgsProject) -> dict[str, QgsMapLayer]:
    """The package's layers already in ``project``, by manifest id."""
    found: dict[str, QgsMapLayer] = {}
    for layer in project.mapLayers().values():
        if layer.customProperty(MISSION_PROPERTY) == package.key:
            found.setdefault(str(layer.customProperty(LAYER_PROPERTY)), layer)
    return found


def mission_group(package: MissionPackage, project: QgsProject) -> Optional[QgsLayerTreeGroup]:
    for group in project.layerTreeRoot().findGroups(True):
        if group.customProperty(MISSION_PROPERTY) == package.key:
            return group
    return None


def load_mission(
    package: MissionPackage,
    problems: list[Problem],
    project: Optional[QgsProject] = None,
    canvas=None,
    as_is: bool = False,
    only: Optional[set[str]] = None,
) -> LoadResult:
    """Add the package's layers to ``project`` grouped by theme and styled by role.

    A package with errors loads nothing unless ``as_is`` is true; then the
    layers that can be opened are loaded and the others are skipped. Sets the
    project CRS to the mission's and zooms ``canvas`` (if given) to the AO.
    ``only`` loads just those layer ids (including ones marked ``"load": false``).
    """
    project = project or QgsProject.instance()
    if has_errors(problems) and not as_is:
        count = sum(problem.is_error for problem in problems)
        raise MewError(
            "The package '{name}' has {count} error(s): nothing was loaded. Fix them (see the problems list "
            "or the validation report), or choose 'Load as is' to load what can be opened.",
            name=package.name,
            count=count,
        )
    result = LoadResult()
    present = mission_layers(package, project)
    group = mission_group(package, project)
    if group is None:
        group = project.layerTreeRoot().insertGroup(0, package.name)
        group.setCustomProperty(MISSION_PROPERTY, package.key)
    result.group = group

    if package.crs:
        crs = QgsCoordinateReferenceSystem(package.crs)
        if crs.isValid():
            project.setCrs(crs)

    ordered = sorted(package.layers, key=lambda e: (e.kind == "raster", e.theme))  # vectors above rasters
    for entry in ordered:
        if only is not None and entry.id not in only:
            continue
        if entry.id in present:
            result.present.append(entry.id)
            continue
        if not loads_by_default(entry) and only is None:
            result.skipped[entry.id] = 'not loaded by default ("load": false in the manifest)'
            continue
        if entry.source is None or not entry.source.exists():
            result.skipped[entry.id] = "file refused or missing"
            continue
        try:
            layer = make_layer(entry, package)
        except RefusedFile as error:  # also under "Load as is": a refused file never reaches QGIS
            result.skipped[entry.id] = error.message
            continue
        if layer is None or not layer.isValid():
            result.skipped[entry.id] = "QGIS cannot open it"
            continue
        apply_role_style(layer, entry, package)
        layer.setCustomProperty(MISSION_PROPERTY, package.key)
        layer.setCustomProperty(LAYER_PROPERTY, entry.id)
        project.addMapLayer(layer, False)
        _theme_group(group, entry.theme).addLayer(layer)
        result.added.append(entry.id)

    if canvas is not None:
        zoom_to_ao(package, project, canvas)
        # QGIS's layer-tree/canvas bridge zooms to the full extent of the first layers added to an empty
        # project, on a zero timer scheduled while we added them; zoom again after it.
        QTimer.singleShot(0, lambda: zoom_to_ao(package, project, canvas))
    return result


def zoom_to_ao(package: MissionPackage, project: QgsProject, canvas) -> None:
    """Show the AO on ``canvas`` in the project CRS."""
    extent = ao_extent(package, project)
    if extent is not None:
        canvas.setDestinationCrs(project.crs())
        canvas.setExtent(extent)
        canvas.refresh()


def _theme_group(mission: QgsLayerTreeGroup, theme: str) -> QgsLayerTreeGroup:
    existing = mission.findGroup(theme)
    if existing is not None:
        return existing
    order = THEME_ORDER.index(theme) if theme in THEME_ORDER else len(THEME_ORDER)
    position = 0
    for child in mission.children():
        name = child.name() if isinstance(child, QgsLayerTreeGroup) else ""
        if name in THEME_ORDER and THEME_ORDER.index(name) < order:
            position = mission.children().index(child) + 1
    return mission.insertGroup(position, theme)


def layer_uri(entry: LayerEntry) -> tuple[str, str]:
    """(data source, provider key) QGIS opens the layer with: the vetted file, by the provider its kind allows.

    Raises :class:`RefusedFile` for a file that is not safe to open (see ``vetted_source``). The
    table name is passed to QGIS as a name, never pasted into the data source.
    """
    path = str(vetted_source(entry))
    registry = QgsProviderRegistry.instance()
    if entry.kind == "raster":
        return registry.encodeUri("gdal", {"path": path}), "gdal"
    if entry.kind == "table":
        query = QUrlQuery()
        query.addQueryItem("type", "csv")
        query.addQueryItem("delimiter", str(entry.options.get("delimiter") or ","))
        query.addQueryItem("xField", entry.field_name("lon") or "longitude")
        query.addQueryItem("yField", entry.field_name("lat") or "latitude")
        query.addQueryItem("crs", entry.crs or "EPSG:4326")
        query.addQueryItem("geomType", "point")
        query.addQueryItem("detectTypes", "yes")
        query.addQueryItem("spatialIndex", "yes")
        query.addQueryItem("subsetIndex", "no")
        query.addQueryItem("watchFile", "no")
        if entry.options.get("encoding"):
            query.addQueryItem("encoding", str(entry.options["encoding"]))
        url = QUrl.fromLocalFile(path)
        url.setQuery(query)
        return url.toString(QUrl.ComponentFormattingOption.FullyEncoded), "delimitedtext"
    parts = {"path": path}
    if entry.layer or entry.source.suffix.lower() == ".gpx":
        parts["layerName"] = entry.layer or "tracks"
    return registry.encodeUri("ogr", parts), "ogr"


def make_layer(entry: LayerEntry, package: MissionPackage) -> Optional[QgsMapLayer]:
    """The QGIS layer of an entry; raises :class:`RefusedFile` for a file that is not safe to open."""
    uri, provider = layer_uri(entry)
    name = entry.display_name
    # No style from the package (a .qml beside the file, a GeoPackage's layer_styles): a style can draw SVG
    # markers and images from URLs and labels from expressions. The plugin's role styles are applied instead.
    if entry.kind == "raster":
        raster_options = QgsRasterLayer.LayerOptions()
        raster_options.loadDefaultStyle = False
        layer = QgsRasterLayer(uri, name, provider, raster_options)
        nodata = entry.options.get("nodata")
        if layer.isValid() and isinstance(nodata, (int, float)):
            data = layer.dataProvider()
            for band in range(1, layer.bandCount() + 1):
                if not data.sourceHasNoDataValue(band):
                    data.setUserNoDataValue(band, [QgsRasterRange(float(nodata), float(nodata))])
        return layer
    vector_options = QgsVectorLayer.LayerOptions()
    vector_options.loadDefaultStyle = False
    return QgsVectorLayer(uri, name, provider, vector_options)


def style_path(role: str):
    path = STYLES / f"mission_{role}.qml"
    return path if path.exists() else None


def apply_role_style(layer: QgsMapLayer, entry: LayerEntry, package: MissionPackage) -> bool:
    """Apply ``resources/styles/mission_<role>.qml`` and point it at the manifest's fields and scale."""
    qml = style_path(entry.role)
    if qml is None:
        return False
    _message, ok = layer.loadNamedStyle(str(qml))
    if not ok:
        return False
    if isinstance(layer, QgsVectorLayer):
        _adapt_vector(layer, entry, package)
    elif isinstance(layer, QgsRasterLayer) and entry.role == "ndvi":
        _adapt_ndvi(layer, entry)
    layer.triggerRepaint()
    return True


def _adapt_vector(layer: QgsVectorLayer, entry: LayerEntry, package: MissionPackage) -> None:
    renderer = layer.renderer()
    columns = layer.fields()
    # Only a column the layer has: a renderer reads any other text as an expression, and the manifest is data.
    if entry.role == "incidents" and isinstance(renderer, QgsCategorizedSymbolRenderer):
        if columns.indexOf(entry.field_name("type") or "event_type") >= 0:
            renderer.setClassAttribute(entry.field_name("type") or "event_type")
    elif entry.role == "villages" and isinstance(renderer, QgsGraduatedSymbolRenderer):
        if columns.indexOf(entry.field_name("population") or "population") >= 0:
            renderer.setClassAttribute(entry.field_name("population") or "population")
    elif entry.role == "patrol_tracks" and isinstance(renderer, QgsGraduatedSymbolRenderer):
        renderer.setClassAttribute(patrol_age_expression(entry, package))
    labeling = layer.labeling()
    if labeling is not None and layer.labelsEnabled():
        settings = labeling.settings()
        wanted = entry.fields.get("name") if entry.role == "bases" else entry.field_name("id")
        if wanted and layer.fields().indexOf(wanted) >= 0:
            settings.fieldName = wanted
            labeling.setSettings(settings)


def patrol_age_expression(entry: LayerEntry, package: MissionPackage) -> str:
    """Age of each track in days, counted back from the mission's ``as_of`` date (else the newest track)."""
    date_field = (entry.field_name("date") or "patrol_date").replace('"', '""')
    as_of = package.manifest.get("as_of")
    try:
        reference = f"to_date('{dt.date.fromisoformat(str(as_of)).isoformat()}')"
    except ValueError:
        reference = f'maximum("{date_field}")'
    return f'day(age({reference}, "{date_field}"))'


def _adapt_ndvi(layer: QgsRasterLayer, entry: LayerEntry) -> None:
    """Show the latest dated band with the vegetation ramp in NDVI units.

    GDAL hands QGIS physical values when the file carries a scale/offset; when
    it does not, the manifest's ``scale``/``offset`` say how stored values map
    to NDVI, and the ramp is moved onto the stored values instead.
    """
    renderer = layer.renderer()
    if not isinstance(renderer, QgsSingleBandPseudoColorRenderer):
        return
    provider = layer.dataProvider()
    file_scaled = provider.bandScale(1) != 1.0 or provider.bandOffset(1) != 0.0
    scale = 1.0 if file_scaled else float(entry.options.get("scale") or 1.0)
    offset = 0.0 if file_scaled else float(entry.options.get("offset") or 0.0)
    shader_function = renderer.shader().rasterShaderFunction()
    items = [
        QgsColorRampShader.ColorRampItem((item.value - offset) / scale, item.color, item.label)
        for item in shader_function.colorRampItemList()
    ]
    shader_function.setColorRampItemList(items)
    shader_function.setMinimumValue(items[0].value)
    shader_function.setMaximumValue(items[-1].value)
    renderer.setClassificationMin(items[0].value)
    renderer.setClassificationMax(items[-1].value)
    dates, undated = raster_band_dates(entry)
    band = layer.bandCount()
    if dates and not undated:
        band = max(range(len(dates)), key=dates.__getitem__) + 1
        layer.setName(f"{entry.display_name} — {dates[band - 1].isoformat()}")
    set_renderer_band(renderer, band)


def ao_extent(package: MissionPackage, project: QgsProject) -> Optional[QgsRectangle]:
    """The AO's extent in the project CRS: the AO layer's (``area_of_operations`` or role ``ao``), else all."""
    loaded = mission_layers(package, project)
    ao_id = package.manifest.get("area_of_operations")
    candidates = [ao_id] if isinstance(ao_id, str) else []
    candidates += [entry.id for entry in package.by_role("ao")]
    layers = [loaded[i] for i in candidates if i in loaded] or list(loaded.values())
    extent = QgsRectangle()
    for layer in layers:
        transform = QgsCoordinateTransform(layer.crs(), project.crs(), project)
        try:
            extent.combineExtentWith(transform.transformBoundingBox(layer.extent()))
        except Exception:  # a layer whose extent cannot be transformed does not stop the zoom
            continue
    if extent.isEmpty():
        return None
    extent.scale(1.05)
    return extent
