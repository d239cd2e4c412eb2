"""Where an output's provenance record is kept: in its file and in the QGIS layer, and reading it back.

A GeoTIFF keeps the record as the GDAL metadata item ``MEW_PROVENANCE``; a
GeoPackage layer as GDAL layer metadata (GDAL stores it in ``gpkg_metadata``
and ``gpkg_metadata_reference``), so the record survives a restart of QGIS and
travels with the file. The QGIS layer gets it in its layer metadata (the
abstract in words, the JSON in its history and under the keyword vocabulary
``MEW_PROVENANCE``), which is all a temporary (memory) layer has.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from osgeo import gdal
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsMapLayer,
    QgsProcessingFeatureSourceDefinition,
    QgsProcessingOutputLayerDefinition,
    QgsProperty,
    QgsRectangle,
)
from qgis.PyQt.QtCore import QDate, QDateTime, Qt, QVariant

from ..core.io import destination_file
from ..core.provenance import (
    PROVENANCE_KEY,
    ProvenanceRecord,
    footer_line,
    json_safe,
    record_from_items,
    record_from_json,
)
from .convert import layer_file

#: Outputs whose files can hold the record.
_RASTER_FILES = (".tif", ".tiff")
_VECTOR_FILES = (".gpkg",)


def write_to_file(output: str, record: ProvenanceRecord) -> bool:
    """Store ``record`` in the file of ``output`` (any destination form Processing takes); False when it cannot.

    Only GeoTIFF and GeoPackage files hold it; other outputs (CSV, memory) do not.
    """
    resolved = destination_file(output)
    if resolved is None:
        return False
    path, table = resolved
    suffix = Path(path).suffix.lower()
    if suffix not in _RASTER_FILES + _VECTOR_FILES or not os.path.isfile(path):
        return False
    flags = (gdal.OF_RASTER if suffix in _RASTER_FILES else gdal.OF_VECTOR) | gdal.OF_UPDATE
    try:
        dataset = gdal.OpenEx(path, flags)
        if dataset is None:
            return False
        target = dataset
        if suffix in _VECTOR_FILES:
            target = _table_of(dataset, table, path)
            if target is None:
                return False
        written = target.SetMetadataItem(PROVENANCE_KEY, record.to_json()) == gdal.CE_None
        target = dataset = None  # closing writes the metadata
        return written
    except RuntimeError:  # GDAL raises instead of returning None when its exceptions are on
        return False


def _table_of(dataset: gdal.Dataset, table: str | None, path: str):
    """The table of a vector dataset an output names; without a name, the one named after the file (as
    Processing names it) or its only data table (QGIS's ``layer_styles`` is no data); else None."""
    if table:
        return dataset.GetLayerByName(table)
    named = dataset.GetLayerByName(Path(path).stem)
    if named is not None:
        return named
    data = [dataset.GetLayer(i) for i in range(dataset.GetLayerCount())]
    data = [layer for layer in data if layer.GetName() != "layer_styles"]
    return data[0] if len(data) == 1 else None


def set_on_layer(layer: QgsMapLayer, record: ProvenanceRecord) -> None:
    """Put ``record`` into the QGIS layer metadata of ``layer`` (kept by the project; a memory layer's only copy)."""
    metadata = layer.metadata()
    text = record.to_json()
    metadata.setAbstract(f"Made by {record.display_name} ({record.algorithm}), {record.created}. "
                         f"{footer_line([layer.name()], record)}")  # fmt: skip
    metadata.setHistory([entry for entry in metadata.history() if record_from_json(entry) is None] + [text])
    keywords = dict(metadata.keywords())
    keywords[PROVENANCE_KEY] = [text]
    metadata.setKeywords(keywords)
    layer.setMetadata(metadata)


def file_metadata_items(layer: QgsMapLayer) -> dict[str, str]:
    """The GDAL metadata items of a layer's file (dataset, then its table's): ``{}`` without a readable file."""
    items: dict[str, str] = {}
    path, table = layer_file(layer)
    if not path or not os.path.exists(path):
        return items
    try:
        dataset = gdal.OpenEx(path, gdal.OF_RASTER | gdal.OF_VECTOR | gdal.OF_READONLY)
        if dataset is not None:
            items.update(dataset.GetMetadata() or {})
            ogr_layer = _table_of(dataset, table, path) if dataset.GetLayerCount() else None
            if ogr_layer is not None:
                items.update(ogr_layer.GetMetadata() or {})
        dataset = None
    except RuntimeError:
        pass
    return items


def layer_metadata_items(layer: QgsMapLayer) -> dict[str, str]:
    """The ``MEW_*`` keyword vocabularies of a layer's QGIS metadata, as key/value items."""
    return {
        vocabulary: ", ".join(words)
        for vocabulary, words in layer.metadata().keywords().items()
        if vocabulary.upper().startswith("MEW_") and words
    }


def record_of_layer(layer: QgsMapLayer) -> ProvenanceRecord | None:
    """How ``layer`` was made: the record in its file, else in its QGIS layer metadata; None for plain data."""
    return record_from_items(file_metadata_items(layer)) or record_from_items(layer_metadata_items(layer))


def plain_value(value: Any) -> Any:
    """A parameter value as given, made JSON-safe: layers as their source, definitions as their value."""
    if isinstance(value, QgsProcessingOutputLayerDefinition):
        return plain_value(value.sink)
    if isinstance(value, QgsProcessingFeatureSourceDefinition):
        source = plain_value(value.source)
        return {"source": source, "selected_only": True} if value.selectedFeaturesOnly else source
    if isinstance(value, QgsProperty):
        dynamic = value.field() or value.expressionString()
        return str(value.asExpression()) if dynamic else plain_value(value.staticValue())
    if isinstance(value, QgsMapLayer):
        return value.source()
    if isinstance(value, QgsCoordinateReferenceSystem):
        return value.authid() or value.toWkt()
    if isinstance(value, QgsRectangle):
        return value.toString()
    if isinstance(value, (QDate, QDateTime)):
        return value.toString(Qt.DateFormat.ISODate) if value.isValid() else None
    if isinstance(value, dict):
        return {str(key): plain_value(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain_value(item) for item in value]
    if isinstance(value, QVariant):
        return None if value.isNull() else json_safe(value.value())
    return json_safe(value)
