"""qgis_compat gives the same behaviour on every QGIS this suite runs on, without deprecated calls."""

from __future__ import annotations

import datetime as dt
import warnings

import pytest
from qgis.core import (
    QgsCoordinateTransformContext,
    QgsFeature,
    QgsLayout,
    QgsLayoutItemLabel,
    QgsLegendStyle,
    QgsPalLayerSettings,
    QgsProject,
    QgsSingleBandPseudoColorRenderer,
    QgsVectorFileWriter,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QDate
from qgis.PyQt.QtGui import QColor, QFont

from mission_early_warning import qgis_compat as compat

NAMESPACES = [name for name, value in vars(compat).items() if type(value).__name__ == "SimpleNamespace"]


@pytest.mark.parametrize("name", NAMESPACES)
def test_each_enum_namespace_holds_members_of_one_enum(name):
    members = list(vars(getattr(compat, name)).values())
    assert members
    assert len({type(member) for member in members}) == 1, name
    assert len({int(getattr(m, "value", m)) for m in members}) == len(members), f"{name}: two names, one member"


def test_label_placement_is_what_the_label_settings_take():
    """QGIS 3.40 refuses the old QgsPalLayerSettings members in ``placement``."""
    settings = QgsPalLayerSettings()
    settings.placement = compat.LabelPlacement.OverPoint
    assert settings.placement == compat.LabelPlacement.OverPoint


@pytest.mark.parametrize("kind", sorted(compat.FIELD_TYPES))
def test_a_field_is_made_and_read_back_as_its_kind_without_deprecation(kind):
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        made = compat.make_field("value", kind, 12 if kind == "text" else 0)
        assert compat.field_kind(made) == kind
    assert made.name() == "value"
    assert made.length() == (12 if kind == "text" else 0)


def test_python_types_name_field_kinds_and_unknown_kinds_are_refused():
    made = compat.make_fields([("n", int), ("x", float), ("s", str, 8), ("b", bool), ("d", dt.date)])
    assert [(f.name(), compat.field_kind(f)) for f in made] == [
        ("n", "int"),
        ("x", "real"),
        ("s", "text"),
        ("b", "bool"),
        ("d", "date"),
    ]
    assert made.field("s").length() == 8
    with pytest.raises(ValueError, match="Unknown field kind 'float64'"):
        compat.make_field("x", "float64")


def test_fields_carry_values_through_a_layer_and_keep_their_kinds():
    layer = QgsVectorLayer("Point?crs=EPSG:4326", "kinds", "memory")
    spec = [("n", "int"), ("big", "int64"), ("x", "real"), ("s", "text"), ("d", "date")]
    assert layer.dataProvider().addAttributes(list(compat.make_fields(spec)))
    layer.updateFields()
    feature = QgsFeature(layer.fields())
    feature.setAttributes([7, 2**40, 2.5, "Kidal", QDate(2026, 9, 14)])
    assert layer.dataProvider().addFeatures([feature])
    assert [compat.field_kind(f) for f in layer.fields()] == [kind for _, kind in spec]
    stored = next(layer.getFeatures())
    assert stored.attributes()[:4] == [7, 2**40, 2.5, "Kidal"]
    assert stored["d"] == QDate(2026, 9, 14)


def test_label_and_legend_fonts_round_trip_with_their_point_size():
    font = QFont("DejaVu Sans")
    font.setPointSizeF(13.5)
    font.setBold(True)
    label = QgsLayoutItemLabel(QgsLayout(QgsProject.instance()))
    style = QgsLegendStyle()
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        compat.set_label_font(label, font, QColor("#444444"))
        compat.set_legend_style_font(style, font)
        read = [compat.label_font(label), compat.legend_style_font(style)]
        colour = label.textFormat().color() if hasattr(label, "textFormat") else label.fontColor()
    for got in read:
        assert (got.family(), got.pointSizeF(), got.bold()) == ("DejaVu Sans", 13.5, True)
    assert colour.name() == "#444444"


def test_renderer_band_round_trips():
    renderer = QgsSingleBandPseudoColorRenderer(None, 1)
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        compat.set_renderer_band(renderer, 3)
        assert compat.renderer_band(renderer) == 3


def test_a_style_saved_in_a_geopackage_is_listed_there_and_applied_on_opening(tmp_path):
    memory = QgsVectorLayer("Point?crs=EPSG:4326", "points", "memory")
    path = tmp_path / "points.gpkg"
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    error = QgsVectorFileWriter.writeAsVectorFormatV3(memory, str(path), QgsCoordinateTransformContext(), options)
    assert error[0] == QgsVectorFileWriter.WriterError.NoError, error
    layer = QgsVectorLayer(str(path), "points", "ogr")
    layer.renderer().symbol().setColor(QColor("#7b3294"))
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        assert compat.save_style_to_database(layer, "mew_test", "a test style", True) == ""
    reopened = QgsVectorLayer(str(path), "points", "ogr")
    assert "mew_test" in reopened.listStylesInDatabase()[2]
    assert reopened.renderer().symbol().color().name() == "#7b3294"
