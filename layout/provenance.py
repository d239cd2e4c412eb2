"""What the footer says about each layer, read from QGIS: its file, its date and how it was made."""

from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path

from osgeo import gdal
from qgis.core import QgsApplication, QgsMapLayer

from ..core.briefing_provenance import LayerRecord, provenance_from_metadata, provenance_from_processing_log
from ..processing.convert import layer_file, layer_file_path


def processing_log() -> str:
    """The text of QGIS's Processing history (``processing.log``), or "" when there is none."""
    path = Path(QgsApplication.qgisSettingsDirPath()) / "processing" / "processing.log"
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def layer_record(layer: QgsMapLayer, log_text: str) -> LayerRecord:
    """The footer's facts about a layer: its file and date and how it was made.

    The layer's own metadata wins over the Processing history ``log_text``.
    """
    path = layer_file_path(layer) or ""
    modified = None
    if path and os.path.exists(path):
        modified = datetime.fromtimestamp(os.path.getmtime(path), tz=timezone.utc)
    history = provenance_from_metadata(metadata_items(layer))
    if not history:
        history = provenance_from_processing_log(log_text, path)
    return LayerRecord(layer.name(), layer.source() if path else "", modified, history)


def describes_itself(layer: QgsMapLayer) -> bool:
    """Whether a layer's own metadata says how it was made (a briefing map then prints that)."""
    return bool(provenance_from_metadata(metadata_items(layer)))


def metadata_items(layer: QgsMapLayer) -> dict[str, str]:
    """Key/value metadata an output may carry: GDAL metadata items and QGIS layer keywords."""
    items: dict[str, str] = {}
    path, table = layer_file(layer)
    if path and os.path.exists(path):
        try:
            dataset = gdal.OpenEx(path, gdal.OF_RASTER | gdal.OF_VECTOR | gdal.OF_READONLY)
            if dataset is not None:
                items.update(dataset.GetMetadata() or {})
                if table and dataset.GetLayerCount():
                    ogr_layer = dataset.GetLayerByName(table)
                    if ogr_layer is not None:
                        items.update(ogr_layer.GetMetadata() or {})
            dataset = None
        except RuntimeError:
            pass
    for vocabulary, words in layer.metadata().keywords().items():
        if vocabulary.upper().startswith("MEW_") and words:
            items[vocabulary] = ", ".join(words)
    return items
