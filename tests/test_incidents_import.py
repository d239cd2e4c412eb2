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
        {
            "INPUT": str(source),
            "OUTPUT": str(tmp_path / "incidents.gpkg"),
            "REJECTED": str(tmp_path / "rejected.gpkg"),
            **params,
        },
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
    assert result["DATA_LINES"] == truth["rows"] == result["ACCEPTED_COUNT"] + result["REJECTED_COUNT"]
    assert result["BLANK_LINES"] == 0
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
    "MLI1001,31 December 2020,2020,1,Political violence,Battles,Armed clash,Military Forces of Mali (2020-2021),,1,"
    "JNIM: Group for Support of Islam and Muslims,,2,12,,466,Western Africa,Mali,Mopti,Douentza,Boni,Boni,15.0201,"
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
    rows = [
        "MLI2001,2022-03-05,2022,Riots,Rioters (Mali),Mali,Bamako,Bamako,12.65,-8.0,1,0",
        "MLI2002,2022-03-06,2022,Protests,Protesters (Mali),Mali,Bamako,Bamako,12.64,-7.99,1,",
        "MLI2003,,2022,Protests,Protesters (Mali),Mali,Bamako,Bamako,12.64,-7.99,1,",
    ]
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
    "254771,MLI-2019-1-1234-1,2019,TRUE,Clear,1,11347,11347,Mali: Azawad,13002,13002,Government of Mali - JNIM,"
    '117,117,Government of Mali,1158,1158,JNIM,2,"AFP,2019-03-18",,2019-03-18,,,1,Dioura town,Dioura,'
    "Mopti region,Tenenkou cercle,14.83,-5.25,POINT (-5.25 14.83),163323,Mali,432,Africa,1,1,"
    "2019-03-17 00:00:00.000,2019-03-17 00:00:00.000,21,5,0,0,26,30,26,432,",
    "254772,MLI-2019-3-99-2,2019,TRUE,Clear,3,,,,,,JNIM - civilians,1158,1158,JNIM,1,1,Civilians,1,"
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
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [-4.0 + i / 100, 14.0]},
            "properties": {
                "event_id_cnty": f"G{i}",
                "event_date": f"2025-05-0{i + 1}",
                "fatalities": i,
                "event_type": "Battles",
            },
        }
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
    [
        ("31 December 2020", "2020-12-31"),
        ("2020-12-31", "2020-12-31"),
        ("1 Jan 2021", "2021-01-01"),
        ("2019-03-17 00:00:00.000", "2019-03-17"),
        ("31/12/2020", "2020-12-31"),
        ("December 31, 2020", "2020-12-31"),
        ("31-Dec-2020", "2020-12-31"),
        ("32 Octember 2025", None),
        ("31 February 2021", None),
        ("", None),
    ],
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
        ("S1", "swapped_lat_lon"),
        ("O1", "out_of_range"),
    ] or [(r.source_id, r.reason) for r in result.rejected] == [
        ("S1", "swapped_lat_lon"),
        ("S2", "out_of_range"),
        ("O1", "out_of_range"),
    ]
    assert "F1" in {i.source_id for i in result.incidents}  # a far but valid point is kept


def test_oversized_cells_are_refused_for_their_size_and_binary_lines_are_named(tmp_path):
    path = tmp_path / "broken.csv"
    huge = "x" * 10_000_000
    path.write_text(
        f'id,date,lat,lon,notes\nA,2024-01-01,14,-4,ok\nB,2024-01-02,14,-4,"{huge}"\nC,2024-01-03,14,-4,{huge}\n'
        "D,2024-01-04,14,-4,ok\n",
        encoding="utf-8",
    )
    result = import_incidents(path)
    assert [(r.row, r.source_id, r.reason) for r in result.rejected] == [
        (3, "", "cell_too_large"),
        (4, "", "cell_too_large"),
    ]
    assert "10,000,000 characters" in result.rejected[1].detail
    assert [i.source_id for i in result.incidents] == ["A", "D"]
    path.write_text("id,date,lat,lon\nA,2024-01-01,14,-4\nB,2024-01-02,14\x00,-4\n", encoding="utf-8")
    with pytest.raises(MewError, match="line 3"):
        import_incidents(path)


def _notes_csv(rows: list[str]) -> str:
    return "\n".join(["id,date,lat,lon,notes", *rows]) + "\n"


def test_an_unclosed_quote_costs_its_own_line_not_the_rest_of_the_file(tmp_path):
    rows = [f'E{i},2024-01-{i % 28 + 1:02d},{14 + i / 1000},{-4 - i / 1000},"note {i}, checked"' for i in range(100)]
    rows[49] = 'E49,2024-01-22,14.049,-4.049,"the patrol report was cut here'
    path = tmp_path / "notes.csv"
    path.write_text(_notes_csv(rows), encoding="utf-8")
    result = import_incidents(path)
    assert result.data_lines == 100
    assert [(r.row, r.reason) for r in result.rejected] == [(51, "unclosed_quote")]
    assert "line 51" in result.rejected[0].detail
    assert len(result.incidents) == 99
    assert {i.source_id for i in result.incidents} == {f"E{i}" for i in range(100)} - {"E49"}
    assert all(i.row == int(i.source_id[1:]) + 2 for i in result.incidents)
    assert "100 data lines, 99 accepted, 1 rejected (1 unclosed_quote)" in result.summary()

    # a stray quote that a later stray quote closes: the lines between are rows, not one cell
    rows[49] = 'E49,2024-01-22,14.049,-4.049,"cut'
    rows[50] = 'E50,2024-01-23,14.05,-4.05,5" mortar, no quote opens here'
    rows[51] = "E51,2024-01-24,14.051,-4.051,plain"
    rows[52] = 'E52,2024-01-25,14.052,-4.052,"heavy'
    path.write_text(_notes_csv(rows), encoding="utf-8")
    result = import_incidents(path)
    assert [(r.row, r.reason) for r in result.rejected] == [
        (51, "unclosed_quote"),
        (52, "malformed_row"),
        (54, "unclosed_quote"),
    ]
    assert len(result.incidents) == 97 and result.lines_accounted == result.data_lines == 100


def test_a_quoted_cell_with_line_breaks_is_one_record_that_counts_its_lines(tmp_path):
    rows = [
        'A,2024-01-01,14,-4,"first paragraph\nsecond, with ""quotes""\n\nlast"',
        "B,2024-01-02,14.1,-4.1,plain",
        "",
        ",,,,",
        'C,2024-01-03,14.2,-4.2,"one line"',
    ]
    path = tmp_path / "multiline.csv"
    path.write_bytes(_notes_csv(rows).replace("\n", "\r\n").encode("utf-8"))
    result = import_incidents(path)
    assert result.rejected == [] and result.data_lines == 8 and result.blank_lines == [7, 8]
    assert [(i.source_id, i.row, i.lines) for i in result.incidents] == [("A", 2, 4), ("B", 6, 1), ("C", 9, 1)]
    assert "1 records span several lines" in result.summary()


def test_a_quote_open_at_the_end_of_the_file_is_refused_and_the_lines_after_it_are_read(tmp_path):
    rows = ['A,2024-01-01,14,-4,"never closed', "B,2024-01-02,14.1,-4.1,plain", "C,2024-01-03,14.2,-4.2,plain"]
    path = tmp_path / "open.csv"
    path.write_text(_notes_csv(rows), encoding="utf-8")
    result = import_incidents(path)
    assert [(r.row, r.reason) for r in result.rejected] == [(2, "unclosed_quote")]
    assert "before the end of the file" in result.rejected[0].detail
    assert [i.source_id for i in result.incidents] == ["B", "C"]


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
        "run",
        "mew:importincidents",
        "--json",
        "--",
        f"INPUT={demo_mission.path / truth['csv']}",
        f"OUTPUT={tmp_path / 'incidents.gpkg'}",
        f"REJECTED={tmp_path / 'rejected.gpkg'}",
    )
    assert done.returncode == 0, done.stderr + done.stdout
    results = json.loads(done.stdout[done.stdout.index("{") :])["results"]
    assert results["ACCEPTED_COUNT"] == truth["valid"]
    assert results["REJECTED_COUNT"] == len(truth["bad_rows"])
    assert QgsVectorLayer(str(tmp_path / "rejected.gpkg"), "r", "ogr").featureCount() == len(truth["bad_rows"])


def test_cancel_writes_nothing(mew, demo_mission, tmp_path):
    from qgis.core import QgsProcessingFeedback

    feedback = QgsProcessingFeedback()
    feedback.cancel()
    mew.run(
        "mew:importincidents",
        {
            "INPUT": str(demo_mission.path / demo_mission.truth["incidents"]["csv"]),
            "OUTPUT": str(tmp_path / "incidents.gpkg"),
            "REJECTED": str(tmp_path / "rejected.gpkg"),
        },
        feedback=feedback,
    )
    assert not list(tmp_path.iterdir())


# --- every data line is accounted for, whatever the file ---------------------------------------------------------
_TEXT = st.text(alphabet=st.sampled_from(list("abc XYZ019éüß€-.,;|\t\"'")), max_size=12)
_WORDS = st.text(alphabet=st.sampled_from(list("abc XYZ019éüß€-.'")), max_size=12)  # no separator, no quote
_HUGE = "<huge cell>"


@st.composite
def _csv_lines(draw):
    """(lines, expectations): a CSV's data lines and what must become of each planted kind of row."""
    sep = draw(st.sampled_from([",", ";", "\t", "|"]))

    def cell(text: str, quoted: bool) -> str:
        return '"' + text.replace('"', '""') + '"' if quoted else text

    lines: list[str] = []
    expected: list[tuple[str, int, int, str]] = []  # (kind, first line, lines, id)
    for number in range(draw(st.integers(0, 25))):
        kind = draw(
            st.sampled_from(["valid", "valid", "multiline", "blank", "truncated", "unclosed", "huge", "garbage"])
        )
        ident = f"R{number}"
        line_no = len(lines) + 2  # the header is line 1
        values = [
            ident,
            f"20{number % 20:02d}-0{number % 9 + 1}-1{number % 10}",
            f"10.{number:02d}",
            f"20.{number:02d}",
        ]
        cells = [cell(v, draw(st.booleans())) for v in values]
        if kind in ("valid", "truncated"):
            note = draw(_TEXT)
            quoted = draw(st.booleans()) or any(c in note for c in f'{sep}"') or note != note.strip()
            row = sep.join([*cells, cell(note, quoted)])
            if kind == "truncated":
                row = row[: draw(st.integers(0, max(len(row) - 1, 0)))]
            lines.append(row)
        elif kind == "multiline":
            pieces = draw(st.lists(_WORDS, min_size=2, max_size=4))
            lines.extend(sep.join([*cells, '"' + pieces[0]]).split("\n") + pieces[1:-1] + [pieces[-1] + '"'])
        elif kind == "blank":
            lines.append(draw(st.sampled_from(["", "  ", sep * 4, " " + sep + " "])))
        elif kind == "unclosed":
            lines.append(sep.join([*cells, '"' + draw(_WORDS)]))
        elif kind == "huge":
            lines.append(sep.join([*cells, cell(_HUGE, draw(st.booleans()))]))  # written as 140,000 characters
        else:
            lines.append(draw(_TEXT))
        expected.append((kind, line_no, len(lines) + 2 - line_no, ident))
    return sep, lines, expected


@settings(
    max_examples=60,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    planted=_csv_lines(),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "cp1252"]),
    newline=st.sampled_from(["\n", "\r\n", "\r"]),
    final_newline=st.booleans(),
)
def test_every_data_line_is_accepted_rejected_or_blank(tmp_path_factory, planted, encoding, newline, final_newline):
    sep, lines, expected = planted
    final_newline = final_newline or lines[-1:] == [""]  # else that empty line is no line at all
    text = newline.join([sep.join(["id", "date", "lat", "lon", "notes"]), *lines]) + (newline if final_newline else "")
    text = text.replace(_HUGE, "x" * 140_000)
    path = tmp_path_factory.mktemp("lines") / "lines.csv"
    path.write_bytes(text.encode(encoding, errors="replace"))

    result = import_incidents(path)

    # the data lines, counted here from the bytes: every physical line after the header
    physical = re.split(r"\r\n|\n|\r", text)
    if physical[-1] == "":
        physical.pop()
    assert result.data_lines == len(physical) - 1 == len(lines)
    covered: list[int] = list(result.blank_lines)
    for record in (*result.incidents, *result.rejected):
        covered.extend(range(record.row, record.row + record.lines))
    assert sorted(covered) == list(range(2, len(lines) + 2))  # each line exactly once
    for line in result.blank_lines:
        assert not physical[line - 1].replace(sep, "").strip()

    accepted = {i.row: i for i in result.incidents}
    refused = {r.row: r for r in result.rejected}
    for kind, line, span, ident in expected:
        if kind in ("valid", "multiline"):  # a whole row is never lost to its neighbours' quotes
            assert line in accepted, (kind, line, physical[line - 1][:80], result.rejected)
            assert (accepted[line].source_id, accepted[line].lines) == (ident, span)
        elif kind == "huge":
            assert refused[line].reason == "cell_too_large"
        elif kind == "blank":
            assert line in result.blank_lines


def test_implausible_dates_are_refused_with_their_row_and_the_limit(mew, tmp_path):
    from datetime import date, timedelta

    today = date.today()
    ahead = {days: (today + timedelta(days=days)).isoformat() for days in (365, 366)}
    dated = {
        "Y1": "0001-01-01",
        "Y1899": "1899-12-31",
        "Y1900": "1900-01-01",
        "NOW": today.isoformat(),
        "AHEAD365": ahead[365],
        "AHEAD366": ahead[366],
        "Y2099": "2099-01-01",
        "Y9999": "9999-12-31",
    }
    path = tmp_path / "dates.csv"
    path.write_text("id,date,lat,lon\n" + "".join(f"{k},{v},14,-4\n" for k, v in dated.items()), encoding="utf-8")

    result = import_incidents(path)
    assert {i.source_id for i in result.incidents} == {"Y1900", "NOW", "AHEAD365"}
    refused = {r.source_id: r for r in result.rejected}
    assert {k: (r.row, r.reason) for k, r in refused.items()} == {
        "Y1": (2, "implausible_date"),
        "Y1899": (3, "implausible_date"),
        "AHEAD366": (7, "implausible_date"),
        "Y2099": (8, "implausible_date"),
        "Y9999": (9, "implausible_date"),
    }
    assert "0001-01-01 is before 1900-01-01" in refused["Y1"].detail
    assert f"9999-12-31 is after {today + timedelta(days=365)}" in refused["Y9999"].detail

    later = import_incidents(path, latest_date=date(2100, 1, 1))
    assert {r.source_id for r in later.rejected} == {"Y1", "Y1899", "Y9999"}

    result, incidents, rejected = run_import(mew, tmp_path, path, LATEST_DATE="2100-01-01")
    assert result["ACCEPTED_COUNT"] == 5
    assert sorted((f["source_row"], f["reason"]) for f in rejected.getFeatures()) == [
        (2, "implausible_date"),
        (3, "implausible_date"),
        (9, "implausible_date"),
    ]
    assert {f["source_id"] for f in incidents.getFeatures()} >= {"Y2099", "AHEAD366"}


def test_a_record_without_a_date_whose_notes_span_lines_is_refused_with_all_its_lines(tmp_path):
    rows = ['A,,14,-4,"first paragraph\nsecond\nlast"', "B,2024-01-02,14.1,-4.1,plain"]
    path = tmp_path / "undated.csv"
    path.write_text(_notes_csv(rows), encoding="utf-8")
    result = import_incidents(path)
    assert [(r.row, r.reason, r.lines) for r in result.rejected] == [(2, "missing_date", 3)]
    assert [i.source_id for i in result.incidents] == ["B"]
    assert result.lines_accounted == result.data_lines == 4
