"""The early-warning register (core): stored in the package, every change in its history, reviewed by hand."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pytest
from osgeo import ogr
from shapely.geometry import MultiPolygon, Polygon, box

from mission_early_warning.core.errors import MewError
from mission_early_warning.core.mission_package.package import open_package
from mission_early_warning.core.warnings_register import (
    ACTIONED,
    CLOSED,
    HISTORY_TABLE,
    REGISTER_FILE,
    WARNINGS_TABLE,
    create_register,
    has_register,
    issue_warning,
    overdue_warnings,
    read_history,
    read_warnings,
    register_crs,
    register_location,
    update_warning,
)
from mission_early_warning.core.warnings_review import followed_summary, median_response_days, review_warnings

TESTDATA = Path(__file__).parent / "testdata"
UTM = "EPSG:32633"
ISSUED = datetime(2026, 3, 1, 8, 0, tzinfo=timezone.utc)


def table_fingerprints(path: Path, skip: tuple[str, ...] = ()) -> dict[str, tuple[int, str]]:
    """Row count and a checksum of every row of every table (sorted), but the ``skip`` ones (and SQLite's
    counter of their row ids)."""
    connection = sqlite3.connect(str(path))
    try:
        names = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        found = {}
        for name in names:
            if name in skip:
                continue
            rows = sorted(repr(row) for row in connection.execute(f'SELECT * FROM "{name}"'))
            if name == "sqlite_sequence":
                rows = [row for row in rows if not any(repr(table) in row for table in skip)]
            found[name] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
        return found
    finally:
        connection.close()


def contents_rows(path: Path) -> dict[str, tuple]:
    connection = sqlite3.connect(str(path))
    try:
        return {row[0]: row for row in connection.execute("SELECT * FROM gpkg_contents")}
    finally:
        connection.close()


@pytest.fixture()
def layers_gpkg(tmp_path) -> Path:
    """A copy of the cases GeoPackage: eleven layers of other analyses, none of them a register."""
    target = tmp_path / "vectors.gpkg"
    shutil.copyfile(TESTDATA / "cases.gpkg", target)
    return target


def test_creating_the_register_adds_its_tables_only(layers_gpkg):
    before_tables = table_fingerprints(layers_gpkg)
    before_contents = contents_rows(layers_gpkg)
    assert not has_register(layers_gpkg)
    create_register(layers_gpkg, UTM)
    assert has_register(layers_gpkg)
    # gpkg_contents and gpkg_geometry_columns gain the register's rows; every other table is as it was.
    after_tables = table_fingerprints(layers_gpkg, skip=(WARNINGS_TABLE, HISTORY_TABLE))
    changed = {name for name in before_tables if before_tables[name] != after_tables[name]}
    assert changed == {"gpkg_contents", "gpkg_geometry_columns"}
    assert set(after_tables) == set(before_tables)
    after_contents = contents_rows(layers_gpkg)
    assert {name: after_contents[name] for name in before_contents} == before_contents
    assert set(after_contents) - set(before_contents) == {WARNINGS_TABLE, HISTORY_TABLE}
    # The mission CRS was already in the file: no new spatial reference row.
    assert register_crs(layers_gpkg)[0] == "EPSG:32633"
    # GDAL opens the register as two ordinary layers, the warnings with polygon areas.
    dataset = ogr.Open(str(layers_gpkg))
    warnings_layer = dataset.GetLayerByName(WARNINGS_TABLE)
    assert warnings_layer is not None and dataset.GetLayerByName(HISTORY_TABLE) is not None
    assert ogr.GT_Flatten(warnings_layer.GetGeomType()) == ogr.wkbMultiPolygon
    dataset = None
    create_register(layers_gpkg, UTM)  # a second time: nothing changes
    assert table_fingerprints(layers_gpkg, skip=(WARNINGS_TABLE, HISTORY_TABLE)) == after_tables


def test_a_warning_issued_updated_and_closed_reads_back_with_its_whole_history(layers_gpkg):
    before = table_fingerprints(layers_gpkg)
    provenance = json.dumps({"algorithm": "mew:hotspots", "parameters": {"CELL_SIZE": 2000}})
    area = box(500000, 1500000, 502000, 1502000)
    issued = issue_warning(
        layers_gpkg,
        UTM,
        area,
        "Incident hot spot",
        source_layer="Hot spots",
        source_algorithm="mew:hotspots",
        source_provenance=provenance,
        confidence="high",
        recommended_action="Patrol the market road",
        responsible_unit="BANBAT Coy B",
        issued=ISSUED,
        by="GIS officer",
    )
    assert issued.id == "EW-2026-001"
    action = ISSUED + timedelta(days=2, hours=12)
    update_warning(
        layers_gpkg,
        issued.id,
        {"action_taken": "Two patrols a day", "action_date": action, "status": ACTIONED},
        by="U2",
        when=action,
    )
    update_warning(layers_gpkg, issued.id, {"outcome": "No incident", "status": CLOSED}, by="U2", when=action)

    (warning,) = read_warnings(layers_gpkg)
    assert (warning.id, warning.status, warning.threat_type) == ("EW-2026-001", CLOSED, "Incident hot spot")
    assert warning.issued == ISSUED and warning.action_date == action
    assert warning.response_days() == 2.5
    assert warning.provenance()["parameters"] == {"CELL_SIZE": 2000}
    assert warning.area.equals(MultiPolygon([area]))
    history = read_history(layers_gpkg, issued.id)
    issued_fields = {change.field: change.new for change in history if change.changed == ISSUED}
    assert issued_fields["status"] == "open" and issued_fields["responsible_unit"] == "BANBAT Coy B"
    assert all(change.old == "" and change.by == "GIS officer" for change in history if change.changed == ISSUED)
    later = [(change.field, change.old, change.new, change.by) for change in history if change.changed != ISSUED]
    assert later == [
        ("action_taken", "", "Two patrols a day", "U2"),
        ("action_date", "", "2026-03-03T20:00:00.000Z", "U2"),
        ("status", "open", "actioned", "U2"),
        ("outcome", "", "No incident", "U2"),
        ("status", "actioned", "closed", "U2"),
    ]
    with pytest.raises(MewError, match="closed"):
        update_warning(layers_gpkg, issued.id, {"outcome": "Changed my mind"})
    # Only the register's own tables and rows changed.
    after = table_fingerprints(layers_gpkg, skip=(WARNINGS_TABLE, HISTORY_TABLE))
    assert {name for name in before if before[name] != after[name]} == {"gpkg_contents", "gpkg_geometry_columns"}


def test_a_refused_update_writes_nothing(layers_gpkg):
    warning = issue_warning(layers_gpkg, UTM, box(0, 0, 10, 10), "Patrol coverage gap", issued=ISSUED)
    before = table_fingerprints(layers_gpkg)
    with pytest.raises(MewError, match="action taken and its date"):
        update_warning(layers_gpkg, warning.id, {"outcome": "x", "status": ACTIONED})
    with pytest.raises(MewError, match="before the warning was issued"):
        update_warning(layers_gpkg, warning.id, {"action_taken": "x", "action_date": ISSUED - timedelta(days=1)})
    with pytest.raises(MewError, match="cannot be changed"):
        update_warning(layers_gpkg, warning.id, {"issued": ISSUED})
    with pytest.raises(MewError, match="no warning"):
        update_warning(layers_gpkg, "EW-1999-001", {"outcome": "x"})
    assert table_fingerprints(layers_gpkg) == before


def test_ids_count_within_the_year_and_areas_must_be_polygons(layers_gpkg):
    first = issue_warning(layers_gpkg, UTM, box(0, 0, 1, 1), "Other threat", issued=ISSUED)
    second = issue_warning(layers_gpkg, UTM, box(0, 0, 1, 1), "Other threat", issued=ISSUED + timedelta(hours=1))
    next_year = issue_warning(layers_gpkg, UTM, box(0, 0, 1, 1), "Other threat", issued=datetime(2027, 1, 2))
    assert [first.id, second.id, next_year.id] == ["EW-2026-001", "EW-2026-002", "EW-2027-001"]
    from shapely.geometry import Point

    with pytest.raises(MewError, match="polygons"):
        issue_warning(layers_gpkg, UTM, Point(0, 0), "Other threat")
    with pytest.raises(MewError, match="threat type"):
        issue_warning(layers_gpkg, UTM, box(0, 0, 1, 1), " ")
    assert len(read_warnings(layers_gpkg)) == 3


def test_a_table_named_warnings_that_is_not_a_register_is_refused(layers_gpkg):
    connection = sqlite3.connect(str(layers_gpkg))
    connection.execute("CREATE TABLE warnings (fid INTEGER PRIMARY KEY, note TEXT)")
    connection.commit()
    connection.close()
    with pytest.raises(MewError, match="not an early-warning register"):
        create_register(layers_gpkg, UTM)


def test_where_the_register_lives(tmp_path, layers_gpkg):
    folder = tmp_path / "mission"
    folder.mkdir()
    manifest = {"mission": "M", "crs": UTM, "layers": [{"id": "incidents", "role": "incidents", "path": "i.csv"}]}
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert register_location(open_package(folder)) == folder / REGISTER_FILE
    shutil.copyfile(layers_gpkg, folder / "vectors.gpkg")
    manifest["layers"].append({"id": "zones", "role": "sectors", "path": "vectors.gpkg", "layer": "zones"})
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert register_location(open_package(folder)) == (folder / "vectors.gpkg").resolve()


def test_a_folder_package_without_geopackage_gets_a_new_one(tmp_path):
    target = tmp_path / REGISTER_FILE
    issue_warning(target, "EPSG:32630", box(0, 0, 5, 5), "Other threat", issued=ISSUED)
    assert register_crs(target)[0] == "EPSG:32630"
    assert [warning.id for warning in read_warnings(target)] == ["EW-2026-001"]
    assert not list(tmp_path.glob("*.tmp*"))


def test_overdue_is_open_without_action_for_more_than_n_days(layers_gpkg):
    old = issue_warning(layers_gpkg, UTM, box(0, 0, 1, 1), "Other threat", issued=ISSUED)
    recent = issue_warning(layers_gpkg, UTM, box(0, 0, 1, 1), "Other threat", issued=ISSUED + timedelta(days=8))
    acted = issue_warning(layers_gpkg, UTM, box(0, 0, 1, 1), "Other threat", issued=ISSUED)
    update_warning(layers_gpkg, acted.id, {"action_taken": "x", "action_date": ISSUED + timedelta(days=1)})
    now = ISSUED + timedelta(days=10)
    warnings = read_warnings(layers_gpkg)
    assert [w.id for w in overdue_warnings(warnings, 7, now)] == [old.id]
    assert [w.id for w in overdue_warnings(warnings, 1, now)] == [old.id, recent.id]
    assert recent.id not in [w.id for w in overdue_warnings(warnings, 2, now)]


def test_response_times_and_incidents_that_followed_by_hand(layers_gpkg):
    """Three warnings on squares of 10 m; incidents placed and dated by hand.

    A, issued 1 March 08:00, acted upon 3 March 20:00 (2.5 days): incidents inside on 1 March (issue day: not
    counted), 2 March and 31 March (day 30: counted), 1 April (day 31: outside a 30-day window), one on
    5 March outside the square -> 2 followed.
    B, issued 1 March, acted upon 8 March 08:00 (7.0 days): no incident inside -> 0.
    C, issued 10 March, no action: one incident on its boundary on 12 March -> 1 (the boundary counts).
    With action: A and B, one followed (A). Without action: C, followed. Median response 4.8 days.
    """
    a = issue_warning(layers_gpkg, UTM, box(0, 0, 10, 10), "Incident hot spot", issued=ISSUED)
    b = issue_warning(layers_gpkg, UTM, box(100, 0, 110, 10), "Incident hot spot", issued=ISSUED)
    c = issue_warning(layers_gpkg, UTM, Polygon([(200, 0), (210, 0), (210, 10), (200, 10)]), "Other threat",
                      issued=datetime(2026, 3, 10, tzinfo=timezone.utc))  # fmt: skip
    update_warning(layers_gpkg, a.id, {"action_taken": "patrols", "action_date": ISSUED + timedelta(days=2.5)})
    update_warning(layers_gpkg, b.id, {"action_taken": "patrols", "action_date": ISSUED + timedelta(days=7)})
    xy = np.array([[5, 5], [5, 5], [5, 5], [5, 5], [50, 5], [210, 5], [105, 5]], dtype=float)
    days = [date(2026, 3, 1), date(2026, 3, 2), date(2026, 3, 31), date(2026, 4, 1), date(2026, 3, 5),
            date(2026, 3, 12), None]  # fmt: skip
    reviews = review_warnings(read_warnings(layers_gpkg), xy, days, window_days=30, overdue_days=7,
                              now=datetime(2026, 3, 20, tzinfo=timezone.utc))  # fmt: skip
    by_id = {review.warning.id: review for review in reviews}
    assert [by_id[w.id].response_days for w in (a, b, c)] == [2.5, 7.0, None]
    assert [by_id[w.id].incidents_after for w in (a, b, c)] == [2, 0, 1]
    assert [by_id[w.id].overdue for w in (a, b, c)] == [False, False, True]
    summary = followed_summary(reviews)
    assert (summary.with_action, summary.with_action_followed) == (2, 1)
    assert (summary.without_action, summary.without_action_followed) == (1, 1)
    assert median_response_days(reviews) == 4.8
    # Without incidents the review still gives the response times, and no count.
    assert [r.incidents_after for r in review_warnings(read_warnings(layers_gpkg))] == [None, None, None]
