"""The hit-rate chart of mew:forecastaccuracy: painted with Qt into a PNG, no plotting library needed."""

from __future__ import annotations

from typing import Any, Sequence

from qgis.PyQt.QtCore import QPointF, QRectF, Qt
from qgis.PyQt.QtGui import QColor, QFont, QImage, QPainter, QPen

from ..core.io import atomic_path

WIDTH, HEIGHT = 900, 640
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 90, 30, 60, 100
#: Where the area axis may end: forecasts cover from a fraction of a percent of the study area to all of it.
AXIS_TOPS = (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0)
#: The forecast's curve dark red, the baseline's grey and dashed: they stay apart in black and white prints.
CURVE_STYLES = {"forecast": ("#b2182b", Qt.PenStyle.SolidLine), "baseline": ("#636363", Qt.PenStyle.DashLine)}


def write_hit_rate_chart(path: str, curve: Sequence[dict[str, Any]], words: dict[str, str]) -> None:
    """Draw the hit-rate curves (share of incidents caught against share of area) into the PNG ``path``.

    ``words`` holds the texts shown (``title``, ``x``, ``y``, ``forecast``, ``baseline``), already translated.
    The area axis ends at the first of :data:`AXIS_TOPS` beyond the largest share of area on the curves.
    """
    image = QImage(WIDTH, HEIGHT, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        largest = max(row["area_share"] for row in curve)
        x_top = next(top for top in AXIS_TOPS if top >= largest * 1.05 or top == AXIS_TOPS[-1])
        x_decimals = 1 if x_top < 0.1 else 0
        plot = QRectF(MARGIN_LEFT, MARGIN_TOP, WIDTH - MARGIN_LEFT - MARGIN_RIGHT, HEIGHT - MARGIN_TOP - MARGIN_BOTTOM)

        def at(area_share: float, hit_rate: float) -> QPointF:
            return QPointF(plot.left() + plot.width() * area_share / x_top, plot.bottom() - plot.height() * hit_rate)

        font = QFont()
        font.setPointSize(10)
        painter.setFont(font)
        for tick in range(11):
            share = tick / 10.0
            painter.setPen(QPen(QColor("#dddddd"), 1))
            painter.drawLine(at(0.0, share), at(x_top, share))
            painter.drawLine(at(x_top * share, 0.0), at(x_top * share, 1.0))
            painter.setPen(QPen(QColor("black"), 1))
            left = at(0.0, share)
            painter.drawText(QRectF(left.x() - 60, left.y() - 10, 52, 20), _right_aligned(), f"{share * 100:.0f} %")
            below = at(x_top * share, 0.0)
            label = f"{x_top * share * 100:.{x_decimals}f} %"
            painter.drawText(QRectF(below.x() - 30, below.y() + 6, 60, 20), _centred(), label)
        painter.setPen(QPen(QColor("black"), 1.5))
        painter.drawRect(plot)
        for row_label, (colour, style) in CURVE_STYLES.items():
            points = [at(r["area_share"], r["hit_rate"] or 0.0) for r in curve if r["forecast"] == row_label]
            if len(points) < 2:
                continue
            pen = QPen(QColor(colour), 3)
            pen.setStyle(style)
            painter.setPen(pen)
            for first, second in zip(points, points[1:]):
                painter.drawLine(first, second)
            pen.setStyle(Qt.PenStyle.SolidLine)  # the step markers whole, on a dashed curve too
            painter.setPen(pen)
            for point in points[1:]:
                painter.drawEllipse(point, 3.5, 3.5)
        _legend(painter, plot, curve, words)
        title = QFont()
        title.setPointSize(13)
        title.setBold(True)
        painter.setFont(title)
        painter.drawText(QRectF(0, 10, WIDTH, 34), _centred(), words["title"])
        painter.setFont(font)
        painter.drawText(QRectF(plot.left(), HEIGHT - 62, plot.width(), 24), _centred(), words["x"])
        painter.save()
        painter.translate(22, plot.center().y())
        painter.rotate(-90)
        painter.drawText(QRectF(-plot.height() / 2, -12, plot.height(), 24), _centred(), words["y"])
        painter.restore()
    finally:
        painter.end()
    with atomic_path(path) as temporary:
        if not image.save(str(temporary), "PNG"):
            raise OSError(f"The chart could not be written to '{path}'.")


def _legend(painter: QPainter, plot: QRectF, curve: Sequence[dict[str, Any]], words: dict[str, str]) -> None:
    """A key under the plot, one entry beside the other, for the curves drawn: it never hides a curve."""
    shown = [label for label in CURVE_STYLES if sum(1 for r in curve if r["forecast"] == label) > 1]
    y = HEIGHT - 20
    for number, label in enumerate(shown):
        colour, style = CURVE_STYLES[label]
        x = plot.left() + number * plot.width() / 2
        pen = QPen(QColor(colour), 3)
        pen.setStyle(style)
        painter.setPen(pen)
        painter.drawLine(QPointF(x, y), QPointF(x + 40, y))
        painter.setPen(QPen(QColor("black"), 1))
        painter.drawText(QRectF(x + 48, y - 10, plot.width() / 2 - 56, 20), _left_aligned(), words[label])


def _centred() -> Qt.AlignmentFlag:
    return Qt.AlignmentFlag.AlignCenter


def _right_aligned() -> Qt.AlignmentFlag:
    return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def _left_aligned() -> Qt.AlignmentFlag:
    return Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
