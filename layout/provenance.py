"""What the briefing map says about each layer, read from QGIS: its file, its data dates and how it was made."""

from __future__ import annotations

import os
from datetime import datetime, timezone

from qgis.core import QgsMapLayer

from ..core.briefing_provenance import LayerRecord, provenance_from_metadata
from ..processing.convert import layer_file_path
from ..processing.provenance_store import file_metadata_items, layer_metadata_items, record_of_layer


def layer_record(layer: QgsMapLayer) -> LayerRecord:
    """The map's facts about a layer: its file, the file's date (the last resort for its dates) and how it was made.

    How it was made comes from the layer itself: the provenance record in its
    file, else in its QGIS layer metadata (a temporary layer's only record),
    else the ``MEW_*`` items outputs of earlier versions carry.
    """
    path = layer_file_path(layer) or ""
    modified = None
    if path and os.path.exists(path):
        modified = datetime.fromtimestamp(os.path.getmtime(path), tz=timezone.utc)
    record = record_of_layer(layer)
    history = [] if record is not None else provenance_from_metadata(metadata_items(layer))
    return LayerRecord(layer.name(), layer.source() if path else "", modified, history, record)


def describes_itself(layer: QgsMapLayer) -> bool:
    """Whether a layer's own metadata says how it was made (a briefing map then prints that)."""
    return record_of_layer(layer) is not None or bool(provenance_from_metadata(metadata_items(layer)))


def metadata_items(layer: QgsMapLayer) -> dict[str, str]:
    """Key/value metadata an output may carry: GDAL metadata items and QGIS layer keywords."""
    return {**file_metadata_items(layer), **layer_metadata_items(layer)}
