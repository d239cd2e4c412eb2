"""CSV and spreadsheet outputs never carry a formula a spreadsheet would run; GeoPackages keep the raw values."""

from __future__ import annotations

import csv

import pytest
from qgis.core import QgsFeature, QgsGeometry, QgsVectorLayer

from mission_early_warning.core.io import is_spreadsheet_file, spreadsheet_safe

ATTACKS = {
    "=cmd|'/c calc'!A1": "'=cmd|'/c calc'!A1",
    "@SUM(1+1)": "'@SUM(1+1)",
    '=HYPERLINK("http://evil.example","click")': '\'=HYPERLINK("http://evil.example","click")',
    "+cmd|' /C notepad'!'B1'": "'+cmd|' /C notepad'!'B1'",
    "-2+3+cmd|' /C calc'!A0": "'-2+3+cmd|' /C calc'!A0",
    "\t=1+1": "'\t=1+1",
    "\r=1+1": "'\r=1+1",
    "-": "'-",
}
HARMLESS = ["-4.25", "+3", "-1e5", "14.5", "Boni", "", "e=mc2", "a-b", " =1"]


@pytest.mark.parametrize(("text", "safe"), ATTACKS.items())
def test_formulas_get_a_leading_quote(text, safe):
    assert spreadsheet_safe(text) == safe


@pytest.mark.parametrize("value", [*HARMLESS, 3, -4.5, None, b"=1+1"])
def test_numbers_and_plain_text_are_left_as_they_are(value):
    assert spreadsheet_safe(value) is value


def test_which_files_spreadsheets_open():
    assert all(is_spreadsheet_file(p) for p in ("a.csv", "/x/B.CSV", "c.xlsx", "d.ods", "e.tsv", "r.xlsx|layername=r"))
    assert not any(is_spreadsheet_file(p) for p in ("a.gpkg", "b.shp", "c.geojson", "memory:", "d.gpkg|layername=x"))


def _read_csv(path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_imported_incidents_and_rejected_rows_are_formula_safe_in_csv_and_xlsx_and_raw_in_geopackages(mew, tmp_path):
    source = tmp_path / "reports.csv"
    with open(source, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["event_id_cnty", "event_date", "latitude", "longitude", "location", "actor1", "actor2", "source", "admin1"]
        )
        writer.writerow(
            [
                "MLI1",
                "2024-03-01",
                "14.1",
                "-4.1",
                "=cmd|'/c calc'!A1",
                "@SUM(1+1)",
                '=HYPERLINK("http://evil.example","click")',
                "+cmd|' /C notepad'!'B1'",
                "-4.25",
            ]
        )
        writer.writerow(["=1+1", "=NOW()", "14.2", "-4.2", "Boni", "", "", "", ""])  # refused: no date
    outputs = {}
    for suffix in ("csv", "xlsx", "gpkg"):
        outputs[suffix] = mew.run(
            "mew:importincidents",
            {
                "INPUT": str(source),
                "OUTPUT": str(tmp_path / f"incidents.{suffix}"),
                "REJECTED": str(tmp_path / f"rejected.{suffix}"),
            },
        )
        assert (outputs[suffix]["ACCEPTED_COUNT"], outputs[suffix]["REJECTED_COUNT"]) == (1, 1)

    incident = _read_csv(tmp_path / "incidents.csv")[0]
    assert incident["location"] == "'=cmd|'/c calc'!A1"
    assert incident["actor1"] == "'@SUM(1+1)"
    assert incident["actor2"] == '\'=HYPERLINK("http://evil.example","click")'
    assert incident["source"] == "'+cmd|' /C notepad'!'B1'"
    assert incident["admin1"] == "-4.25" and incident["source_id"] == "MLI1"
    rejected = _read_csv(tmp_path / "rejected.csv")[0]
    assert rejected["source_id"] == "'=1+1" and rejected["reason"] == "unparseable_date"

    for suffix, quote in (("xlsx", "'"), ("gpkg", "")):
        layer = QgsVectorLayer(outputs[suffix]["OUTPUT"], "incidents", "ogr")
        feature = next(layer.getFeatures())
        assert feature["location"] == quote + "=cmd|'/c calc'!A1"
        assert feature["actor1"] == quote + "@SUM(1+1)"
        refused = next(QgsVectorLayer(outputs[suffix]["REJECTED"], "rejected", "ogr").getFeatures())
        assert refused["source_id"] == quote + "=1+1"


def test_every_algorithm_writing_a_csv_is_formula_safe_hot_spots_on_features(mew, tmp_path):
    """Hot spots on features copy the input's attributes: the base class guards their CSV too."""
    layer = QgsVectorLayer("Point?crs=EPSG:32630&field=name:string&field=events:double", "districts", "memory")
    features = []
    for k in range(30):
        feature = QgsFeature(layer.fields())
        feature.setGeometry(QgsGeometry.fromWkt(f"POINT({400000 + 1000 * (k % 6)} {1600000 + 1000 * (k // 6)})"))
        feature.setAttributes(["=cmd|'/c calc'!A1" if k == 0 else f"district {k}", float(k % 7 + (k > 20) * 9)])
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    names = {}
    for suffix in ("csv", "gpkg"):
        out = mew.run(
            "mew:hotspots",
            {
                "INPUT": layer,
                "GRID": "none",
                "VALUE_FIELD": "events",
                "NEIGHBOURS": "knn",
                "K": 4,
                "OUTPUT": str(tmp_path / f"gi.{suffix}"),
            },
        )
        names[suffix] = sorted(f["name"] for f in QgsVectorLayer(out["OUTPUT"], "gi", "ogr").getFeatures())
    assert names["csv"][0] == "'=cmd|'/c calc'!A1" and names["gpkg"][0] == "=cmd|'/c calc'!A1"
    assert names["csv"][1:] == names["gpkg"][1:]
    assert layer.getFeature(1)["name"] == "=cmd|'/c calc'!A1"  # the input is never modified
