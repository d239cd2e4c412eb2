"""Writing a briefing map: the PDF (every atlas page), PNGs (one per page) and the provenance beside them.

Every file is written atomically, and all of them together: an error or a
cancel leaves none of the new files behind.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from osgeo import gdal
from qgis.core import Qgis, QgsLayoutExporter, QgsPrintLayout, QgsProcessingFeedback

from ..core.briefing import page_file_part
from ..core.errors import MewError, OperationCancelled
from ..core.io import atomic_path
from ..core.progress import Progress

#: The name of the JSON file beside a map holding its full provenance: ``map.pdf`` → ``map.provenance.json``.
PROVENANCE_SUFFIX = ".provenance.json"


@dataclass
class MapDescription:
    """What a map's files say about it besides the page: the PDF's metadata and the provenance file's content.

    ``subject`` is the PDF's subject (every analysis with all its parameters),
    ``keywords`` its keywords, ``record`` the JSON document written beside
    the PDF and each PNG.
    """

    title: str
    subject: str
    keywords: dict[str, list[str]] = field(default_factory=dict)
    record: dict[str, Any] = field(default_factory=dict)


def provenance_file(map_file: str | Path) -> Path:
    """The provenance JSON beside a PDF or PNG."""
    path = Path(map_file)
    return path.with_name(path.stem + PROVENANCE_SUFFIX)


def _describe_in_project(layout: QgsPrintLayout, description: MapDescription) -> None:
    """The layout's project metadata, which QGIS writes into the PDF's title, subject and keywords."""
    project = layout.project()
    metadata = project.metadata()
    metadata.setTitle(description.title)
    metadata.setAbstract(description.subject)
    metadata.setKeywords(description.keywords)
    project.setMetadata(metadata)


def export_layout(
    layout: QgsPrintLayout,
    output_pdf: str,
    output_png: str,
    dpi: int,
    atlas_pages: Sequence[str],
    description: MapDescription,
    feedback: QgsProcessingFeedback,
    progress: Progress,
) -> tuple[list[str], list[str]]:
    """Write the PDF, the PNGs when ``output_png`` is given and the provenance JSON beside each.

    With ``atlas_pages`` the layout's atlas is exported: the PDF has one page
    per zone and each PNG is named after its page (``map_S1.png``). The PDF's
    metadata holds ``description``. Nothing is left half-written after an
    error or a cancel. Returns the PNG files and the provenance files written.
    """
    is_atlas = bool(atlas_pages)
    _describe_in_project(layout, description)
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
            png_targets = [base.with_name(f"{base.stem}_{page_file_part(page)}{base.suffix}") for page in atlas_pages]
        else:
            png_targets = [base]
    provenance_targets = list(dict.fromkeys(provenance_file(target) for target in [Path(output_pdf), *png_targets]))
    with contextlib.ExitStack() as stack:
        pdf_temp = stack.enter_context(atomic_path(output_pdf))
        png_temps = [stack.enter_context(atomic_path(target)) for target in png_targets]
        record_text = json.dumps(description.record, ensure_ascii=False, indent=2)
        for target in provenance_targets:
            stack.enter_context(atomic_path(target)).write_text(record_text, encoding="utf-8")
        if is_atlas:
            result, error = QgsLayoutExporter.exportToPdf(layout.atlas(), str(pdf_temp), pdf_settings, feedback)
        else:
            result = QgsLayoutExporter(layout).exportToPdf(str(pdf_temp), pdf_settings)
            error = ""
        _check(result, error, output_pdf, feedback)
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
                        _check(_export_png(exporter, temp, image_settings), "", temp, feedback)
                finally:
                    atlas.endRender()
            else:
                _check(_export_png(exporter, png_temps[0], image_settings), "", output_png, feedback)
        progress.step(1.0)
    return [str(p) for p in png_targets], [str(p) for p in provenance_targets]


def _check(result: int, error: str, path: str | Path, feedback: QgsProcessingFeedback) -> None:
    """Raise on a cancel or a failed export; the message says what to check."""
    if feedback is not None and feedback.isCanceled():
        raise OperationCancelled()
    if result == QgsLayoutExporter.ExportResult.Canceled:
        raise OperationCancelled()
    if result != QgsLayoutExporter.ExportResult.Success:
        raise MewError(
            "QGIS could not write the briefing map '{path}' (layout export result {result}). {error} Check "
            "that the folder exists and is writable and the file is not open elsewhere.",
            path=path,
            result=result,
            error=error,
        )


def _export_png(exporter: QgsLayoutExporter, path: Path, settings: QgsLayoutExporter.ImageExportSettings) -> int:
    # QGIS tries to georeference the PNG in place, which GDAL's PNG driver refuses with a
    # harmless "ERROR 6"; keep it off the user's console.
    gdal.PushErrorHandler("CPLQuietErrorHandler")
    try:
        return exporter.exportToImage(str(path), settings)
    finally:
        gdal.PopErrorHandler()
