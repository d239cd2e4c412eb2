"""The labels of a briefing map: their texts set as plain text, and shrunk to fit their frames."""

from __future__ import annotations

from typing import Mapping

from qgis.core import QgsLayout, QgsLayoutItemLabel, QgsLayoutUtils
from qgis.PyQt.QtGui import QFont

from ..core.briefing import with_typical_expression_values, wrapped_lines
from ..qgis_compat import label_font, set_label_font

#: Font scales tried, largest first, until a label's text fits its frame.
FONT_SCALES = (1.0, 0.92, 0.85, 0.78, 0.72, 0.66, 0.6)


def fill_labels(layout: QgsLayout, texts: Mapping[str, str]) -> None:
    """Put each text into the label with its item id (labels the template lacks are skipped)."""
    for item_id, text in texts.items():
        item = layout.itemById(item_id)
        if isinstance(item, QgsLayoutItemLabel):
            item.setMode(QgsLayoutItemLabel.Mode.ModeFont)  # plain text: a template's HTML label would load URLs
            item.setText(text)
            fit_label(item)


def fit_label(label: QgsLayoutItemLabel) -> None:
    """Shrink a label's font (to 60 % at most) until its wrapped text fits its frame."""
    box = label.sizeWithUnits()
    width = box.width() - 2 * label.marginX()
    height = box.height() - 2 * label.marginY()
    original = label_font(label)
    text = with_typical_expression_values(label.text())
    for scale in FONT_SCALES:
        font = QFont(original)
        font.setPointSizeF(original.pointSizeF() * scale)
        lines = wrapped_lines(text, width, lambda line, font=font: QgsLayoutUtils.textWidthMM(font, line))
        if QgsLayoutUtils.textHeightMM(font, "\n".join(lines)) <= height:
            break
    set_label_font(label, font)
