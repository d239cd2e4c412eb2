"""mew:importincidents and core.incidents: demo bad rows, real export column sets, encodings, fuzzing."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from qgis.core import NULL, QgsProcessingException, QgsVectorLayer

from mission_early_warning.core.errors import MewError
from mission_early_warning.core.incidents import import_incidents, parse_date
from mission_early_warning.qgis_compat import field_kind


def run_import(mew, tmp_path, source, **params):
    result = mew.run(
        "mew:importincidents",
        {"INPUT": str(source), "OUTPUT": str(tmp_path / "incidents.gpkg"), "REJECTED": str(tmp_path / "rejected.gpkg"),
         **params},
    )
    incidents = QgsVectorLayer(result["OUTPUT"], "incidents", "ogr")
    rejected = QgsVectorLayer(result["REJECTED"], "rejected", "ogr")
    assert incidents.isValid() and rejected.isValid()
    return result, incidents, rejected


def test_every_planted_bad_row_of_the_demo_csv_is_rejected_with_its_row_and_reason(mew, demo_mission, tmp_path):
    truth = demo_mission.truth["incidents"]
    result, incidents, rejected = run_import(mew, tmp_path, demo_mission.path / truth["csv"])

    got = sorted((int(f["source_row"]), f["reason"]) for f in rejected.getFeatures())
    assert got == sorted((b["line"], b["reason"]) for b in truth["bad_rows"])
    assert result["REJECTED_COUNT"] == len(truth["bad_rows"])
    assert incidents.featureCount() == truth["valid"] == result["ACCEPTED_COUNT"]
    accepted_rows = {int(f["source_row"]) for f in incidents.getFeatures()}
    assert not accepted_rows & {b["line"] for b in truth["bad_rows"]}
    ids = [f["source_id"] for f in incidents.getFeatures()]
    assert len(ids) == len(set(ids))
    for bad in truth["bad_rows"]:
        if bad["reason"] != "duplicate_id":  # its first occurrence is rightly kept
            assert bad["event_id_cnty"] not in ids

    fields = incidents.fields()
    assert field_kind(fields.field("event_date")) == "date"
    assert field_kind(fields.field("fatalities")) in ("int", "int64")
    assert field_kind(fields.field("geo_precision")) in ("int", "int64")
    assert incidents.crs().authid() == "EPSG:4326"
    lon_lat = [(f.geometry().asPoint().x(), f.geometry().asPoint().y()) for f in incidents.getFeatures()]
    assert all(-6 < lon < -1 and 12 < lat < 17 for lon, lat in lon_lat)


ACLED_HEADER = (
    "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,"
    "inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,"
    "location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp"
)
ACLED_ROWS = [
    'MLI1001,31 December 2020,2020,1,Political violence,Battles,Armed clash,Military Forces of Mali (2020-2021),,1,'
    'JNIM: Group for Support of Islam and Muslims,,2,12,,466,Western Africa,Mali,Mopti,Douentza,Boni,Boni,15.0201,'
    '-1.9461,1,Studio Tamani,National,"Clash near Boni, 3 killed",3,,1609804800',
    "MLI1002,2021-01-02,2021,1,Political violence,Violence against civilians,Attack,Unidentified Armed Group (Mali),,"
    "3,Civilians (Mali),,7,37,Civilian targeting,466,Western Africa,Mali,Segou,Niono,Dogofry,Dogofry,14.8,-5.65,2,"
    "RFI,International,Attack on village,0,,1609891200",
]


def test_acled_sample_imports_with_the_right_types(mew, tmp_path):
    path = tmp_path / "acled.csv"
    path.write_text("\n".join([ACLED_HEADER, *ACLED_ROWS]) + "\n", encoding="utf-8")
    result, incidents, rejected = run_import(mew, tmp_path, path)
    assert result["FORMAT"] == "acled" and rejected.featureCount() == 0
    features = {f["source_id"]: f for f in incidents.getFeatures()}
    first = features["MLI1001"]
    assert first["event_date"].toPyDate().isoformat() == "2020-12-31"
    assert first["fatalities"] == 3 and first["geo_precision"] == 1
    assert first["event_type"] == "Battles" and first["location"] == "Boni"
    assert first.geometry().asPoint().y() == pytest.approx(15.0201)
    assert features["MLI1002"]["event_date"].toPyDate().isoformat() == "2021-01-02"


def test_acled_hdx_sample_with_hxl_tag_row(mew, tmp_path):
    header = (
        "event_id_cnty,event_date,year,event_type,actor1,country,admin1,location,latitude,longitude,geo_precision,"
        "fatalities"
    )
    hxl = (
        "#event+code,#date+occurred,#date+year,#event+type,#group+name+first,#country+name,#adm1+name,#loc+name,"
        "#geo+lat,#geo+lon,#geo+precision,#affected+killed"
    )
    rows = ["MLI2001,2022-03-05,2022,Riots,Rioters (Mali),Mali,Bamako,Bamako,12.65,-8.0,1,0",
            "MLI2002,2022-03-06,2022,Protests,Protesters (Mali),Mali,Bamako,Bamako,12.64,-7.99,1,",
            "MLI2003,,2022,Protests,Protesters (Mali),Mali,Bamako,Bamako,12.64,-7.99,1,"]
    path = tmp_path / "acled_hdx.csv"
    path.write_text("\n".join([header, hxl, *rows]) + "\n", encoding="utf-8")
    result, incidents, rejected = run_import(mew, tmp_path, path)
    assert result["FORMAT"] == "acled"
    assert incidents.featureCount() == 2
    assert [(f["source_row"], f["reason"]) for f in rejected.getFeatures()] == [(5, "missing_date")]
    by_id = {f["source_id"]: f for f in incidents.getFeatures()}
    assert by_id["MLI2001"]["source_row"] == 3  # the HXL row is row 2
    assert by_id["MLI2002"]["fatalities"] is None or by_id["MLI2002"]["fatalities"] == NULL


UCDP_HEADER = (
    "id,relid,year,active_year,code_status,type_of_violence,conflict_dset_id,conflict_new_id,conflict_name,"
    "dyad_dset_id,dyad_new_id,dyad_name,side_a_dset_id,side_a_new_id,side_a,side_b_dset_id,side_b_new_id,side_b,"
    "number_of_sources,source_article,source_office,source_date,source_headline,source_original,where_prec,"
    "where_coordinates,where_description,adm_1,adm_2,latitude,longitude,geom_wkt,priogrid_gid,country,country_id,"
    "region,event_clarity,date_prec,date_start,date_end,deaths_a,deaths_b,deaths_civilians,deaths_unknown,best,"
    "high,low,gwnoa,gwnob"
)
UCDP_ROWS = [
    '254771,MLI-2019-1-1234-1,2019,TRUE,Clear,1,11347,11347,Mali: Azawad,13002,13002,Government of Mali - JNIM,'
    '117,117,Government of Mali,1158,1158,JNIM,2,"AFP,2019-03-18",,2019-03-18,,,1,Dioura town,Dioura,'
    'Mopti region,Tenenkou cercle,14.83,-5.25,POINT (-5.25 14.83),163323,Mali,432,Africa,1,1,'
    "2019-03-17 00:00:00.000,2019-03-17 00:00:00.000,21,5,0,0,26,30,26,432,",
    '254772,MLI-2019-3-99-2,2019,TRUE,Clear,3,,,,,,JNIM - civilians,1158,1158,JNIM,1,1,Civilians,1,'
    '"Reuters,2019-03-24",,2019-03-24,,,2,Ogossagou village,Ogossagou,Mopti region,Bankass cercle,14.41,-3.27,'
    "POINT (-3.27 14.41),162607,Mali,432,Africa,1,1,2019-03-23,2019-03-23,0,0,157,0,157,160,150,,",
]


def test_ucdp_ged_sample_imports_with_the_right_types(mew, tmp_path):
    path = tmp_path / "ged.csv"
    path.write_text("\n".join([UCDP_HEADER, *UCDP_ROWS]) + "\n", encoding="utf-8")
    result, incidents, rejected = run_import(mew, tmp_path, path)
    assert result["FORMAT"] == "ucdp" and rejected.featureCount() == 0
    by_id = {f["source_id"]: f for f in incidents.getFeatures()}
    dioura, ogossagou = by_id["254771"], by_id["254772"]
    assert dioura["event_date"].toPyDate().isoformat() == "2019-03-17"
    assert dioura["fatalities"] == 26 and ogossagou["fatalities"] == 157
    assert dioura["event_type"] == "State-based conflict" and ogossagou["event_type"] == "One-sided violence"
    assert dioura["geo_precision"] == 1 and ogossagou["geo_precision"] == 2
    assert dioura["actor1"] == "Government of Mali" and dioura["actor2"] == "JNIM"


def test_semicolon_windows_1252_csv_with_chosen_fields(mew, tmp_path):
    text = "Réf;Quand;Lat;Long;Type\nA1;03/02/2024;14,5;-4,1;Enlèvement\nA2;2024-02-04;14.6;-4.2;Attaque\nA3;x;1;2;z\n"
    path = tmp_path / "mission_reports.csv"
    path.write_bytes(text.encode("cp1252"))
    result, incidents, rejected = run_import(
        mew, tmp_path, path, FORMAT=3, LAT_FIELD="Lat", LON_FIELD="Long", DATE_FIELD="Quand", ID_FIELD="Réf"
    )
    assert result["ENCODING"] == "windows-1252" and result["FORMAT"] == "generic"
    by_id = {f["source_id"]: f for f in incidents.getFeatures()}
    assert by_id["A1"]["event_date"].toPyDate().isoformat() == "2024-02-03"  # day first
    assert by_id["A1"].geometry().asPoint().x() == pytest.approx(-4.1)
    assert [(f["source_row"], f["reason"]) for f in rejected.getFeatures()] == [(4, "unparseable_date")]


def test_geojson_points_import(mew, tmp_path):
    features = [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [-4.0 + i / 100, 14.0]},
         "properties": {"event_id_cnty": f"G{i}", "event_date": f"2025-05-0{i + 1}", "fatalities": i,
                        "event_type": "Battles"}}
        for i in range(3)
    ]
    features.append(
        {"type": "Feature", "geometry": None, "properties": {"event_id_cnty": "G9", "event_date": "2025-05-09"}}
    )
    path = tmp_path / "events.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    _, incidents, rejected = run_import(mew, tmp_path, path)
    assert incidents.featureCount() == 3
    assert [(f["source_row"], f["reason"]) for f in rejected.getFeatures()] == [(4, "missing_coordinate")]


def test_missing_columns_and_binary_files_are_refused_with_a_clear_message(mew, tmp_path):
    path = tmp_path / "no_coords.csv"
    path.write_text("event_id_cnty,event_date,notes\nX,2020-01-01,n\n", encoding="utf-8")
    with pytest.raises(QgsProcessingException, match="LAT_FIELD"):
        run_import(mew, tmp_path, path)
    binary = tmp_path / "report.xlsx.csv"
    binary.write_bytes(b"PK\x03\x04\x00\x00binary")
    with pytest.raises(QgsProcessingException, match="binary"):
        run_import(mew, tmp_path, binary)
    assert not (tmp_path / "incidents.gpkg").exists()


@pytest.mark.parametrize(
    ("text", "iso"),
    [("31 December 2020", "2020-12-31"), ("2020-12-31", "2020-12-31"), ("1 Jan 2021", "2021-01-01"),
     ("2019-03-17 00:00:00.000", "2019-03-17"), ("31/12/2020", "2020-12-31"), ("December 31, 2020", "2020-12-31"),
     ("31-Dec-2020", "2020-12-31"), ("32 Octember 2025", None), ("31 February 2021", None), ("", None)],
)
def test_date_forms(text, iso):
    parsed = parse_date(text)
    assert (parsed.isoformat() if parsed else None) == iso


def test_swapped_coordinates_use_the_dominant_extent(tmp_path):
    rows = [f"E{i},2024-01-{i % 28 + 1:02d},{14 + (i % 7) / 10},{-4 - (i % 5) / 10}" for i in range(30)]
    rows += ["S1,2024-02-01,-4.2,14.1", "S2,2024-02-01,95.0,-4.0", "O1,2024-02-01,14.2,-200", "F1,2024-02-01,40.0,40.0"]
    path = tmp_path / "points.csv"
    path.write_text("id,date,lat,lon\n" + "\n".join(rows) + "\n", encoding="utf-8")
    result = import_incidents(path)
    assert [(r.source_id, r.reason) for r in result.rejected] == [
        ("S1", "swapped_lat_lon"), ("O1", "out_of_range")] or [(r.source_id, r.reason) for r in result.rejected] == [
        ("S1", "swapped_lat_lon"), ("S2", "out_of_range"), ("O1", "out_of_range")]
    assert "F1" in {i.source_id for i in result.incidents}  # a far but valid point is kept


def test_unreadable_rows_are_named(tmp_path):
    path = tmp_path / "broken.csv"
    path.write_text('id,date,lat,lon\nA,2024-01-01,14,-4\nB,2024-01-02,"' + "x" * 200_000 + '",-4\n', encoding="utf-8")
    with pytest.raises(MewError, match="row 3"):
        import_incidents(path)
    path.write_text("id,date,lat,lon\nA,2024-01-01,14,-4\nB,2024-01-02,14\x00,-4\n", encoding="utf-8")
    with pytest.raises(MewError, match="line 3"):
        import_incidents(path)


VALID = [ACLED_HEADER, *ACLED_ROWS, *ACLED_ROWS]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    edits=st.lists(
        st.tuples(st.integers(0, 10_000), st.integers(0, 6), st.text(alphabet=st.characters(), max_size=8)),
        max_size=6,
    ),
    raw=st.binary(max_size=40),
    encoding=st.sampled_from(["utf-8", "cp1252", "utf-16"]),
)
def test_malformed_csvs_raise_only_clear_errors_naming_the_row(tmp_path_factory, edits, raw, encoding):
    text = "\n".join(VALID) + "\n"
    for position, length, replacement in edits:  # cut, splice and garble the text anywhere
        position %= len(text) + 1
        text = text[:position] + replacement + text[position + length :]
    data = text.encode(encoding, errors="replace")
    if raw:
        cut = len(data) // 2
        data = data[:cut] + raw + data[cut:]
    path = tmp_path_factory.mktemp("fuzz") / "fuzz.csv"
    path.write_bytes(data)
    try:
        result = import_incidents(path)
    except MewError as error:
        message = str(error)
        assert "fuzz.csv" in message
        assert re.search(r"\b(row|line) \d+", message) or "column" in message or "header" in message, message
    else:
        for rejection in result.rejected:
            assert rejection.row >= 2 and rejection.reason
        assert all(-90 <= i.latitude <= 90 and -180 <= i.longitude <= 180 for i in result.incidents)


def test_import_through_qgis_process(run_qgis_process, demo_mission, tmp_path):
    truth = demo_mission.truth["incidents"]
    done = run_qgis_process(
        "run", "mew:importincidents", "--json", "--", f"INPUT={demo_mission.path / truth['csv']}",
        f"OUTPUT={tmp_path / 'incidents.gpkg'}", f"REJECTED={tmp_path / 'rejected.gpkg'}",
    )
    assert done.returncode == 0, done.stderr + done.stdout
    results = json.loads(done.stdout[done.stdout.index("{"):])["results"]
    assert results["ACCEPTED_COUNT"] == truth["valid"]
    assert results["REJECTED_COUNT"] == len(truth["bad_rows"])
    assert QgsVectorLayer(str(tmp_path / "rejected.gpkg"), "r", "ogr").featureCount() == len(truth["bad_rows"])


def test_cancel_writes_nothing(mew, demo_mission, tmp_path):
    from qgis.core import QgsProcessingFeedback

    feedback = QgsProcessingFeedback()
    feedback.cancel()
    mew.run("mew:importincidents", {
        "INPUT": str(demo_mission.path / demo_mission.truth["incidents"]["csv"]),
        "OUTPUT": str(tmp_path / "incidents.gpkg"), "REJECTED": str(tmp_path / "rejected.gpkg")}, feedback=feedback)
    assert not list(tmp_path.iterdir())
