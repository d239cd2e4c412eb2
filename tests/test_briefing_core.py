"""The briefing map's page plan, texts and sensitivity rule (no QGIS)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import numpy as np
import pytest

from mission_early_warning.core import briefing
from mission_early_warning.core import briefing_incidents as incidents
from mission_early_warning.core import briefing_provenance as provenance
from mission_early_warning.core.errors import MewError
from mission_early_warning.core.provenance import ProvenanceRecord


@pytest.mark.parametrize("name", briefing.TEMPLATE_NAMES)
def test_every_item_lies_on_the_page_and_the_body_items_do_not_overlap(name):
    width, height = briefing.template_page_size(name)
    plan = briefing.layout_plan(width, height)
    assert set(plan) == set(briefing.ITEM_IDS)
    for item_id, box in plan.items():
        assert box.width > 0 and box.height > 0, item_id
        assert 0 <= box.x and box.right <= width + 1e-9, item_id
        assert 0 <= box.y and box.bottom <= height + 1e-9, item_id
    body = ["main_map", "overview_map", "legend", "scalebar", "north_arrow", "sources", "disclaimer", "provenance"]
    for i, a in enumerate(body):
        for b in body[i + 1 :]:
            pa, pb = plan[a], plan[b]
            overlap = (
                min(pa.right, pb.right) - max(pa.x, pb.x) > 0.01 and min(pa.bottom, pb.bottom) - max(pa.y, pb.y) > 0.01
            )
            assert not overlap, (a, b)
    # banners frame the page: nothing above the top one or below the bottom one
    assert all(box.y >= plan["classification_top"].bottom for k, box in plan.items() if k != "classification_top")
    top_of_bottom = plan["classification_bottom"].y
    assert all(box.bottom <= top_of_bottom for k, box in plan.items() if k != "classification_bottom")


def test_page_sizes_are_iso_and_orientation_is_honoured():
    assert briefing.template_page_size("a4_landscape") == (297.0, 210.0)
    assert briefing.template_page_size("a3_portrait") == (297.0, 420.0)
    with pytest.raises(MewError, match="a4_landscape"):
        briefing.template_page_size("letter_landscape")


@pytest.mark.parametrize(
    ("value", "version", "expected"),
    [
        ("1", None, "MEW-0001 v1"),
        (42, 3, "MEW-0042 v3"),
        ("MEW-0001 v2", None, "MEW-0001 v2"),
        ("JOC-17", None, "JOC-17 v1"),
        ("MEW-0001 v2", 5, "MEW-0001 v5"),
    ],
)
def test_map_number_always_carries_a_version(value, version, expected):
    assert briefing.format_map_number(value, version) == expected


def test_map_number_must_not_be_empty():
    with pytest.raises(MewError, match="map number"):
        briefing.format_map_number("  ")


def test_date_line_names_the_time_zone_and_refuses_naive_times():
    moment = datetime(2026, 11, 21, 9, 5, tzinfo=timezone(timedelta(hours=1)))
    assert briefing.date_line(moment) == "Produced 21 Nov 2026 09:05 UTC+01:00"
    assert briefing.date_line(datetime(2026, 1, 2, 3, 4, tzinfo=timezone.utc)).endswith("03:04 UTC+00:00")
    with pytest.raises(MewError, match="time zone"):
        briefing.date_line(datetime(2026, 1, 1))


def test_classification_defaults_to_un_restricted_and_is_upper_case():
    assert briefing.classification_text("") == "UN RESTRICTED"
    assert briefing.classification_text("exercise —  synthetic data") == "EXERCISE — SYNTHETIC DATA"


def test_fit_extent_keeps_the_whole_extent_at_the_frame_aspect():
    xmin, ymin, xmax, ymax = briefing.fit_extent((0, 0, 100, 50), 100, 100)
    assert (xmin, xmax) == (0, 100)
    assert ymax - ymin == pytest.approx(100) and (ymin + ymax) / 2 == pytest.approx(25)
    xmin, ymin, xmax, ymax = briefing.fit_extent((0, 0, 10, 10), 200, 100, margin=0.1)
    assert (ymin, ymax) == pytest.approx((-1, 11))
    assert (xmax - xmin) == pytest.approx(24)
    with pytest.raises(MewError, match="empty"):
        briefing.fit_extent((5, 5, 5, 5), 100, 100)


def test_aggregate_points_counts_by_hand():
    xs = [0.5, 0.7, 1.5, 12.0, np.nan, -0.5]
    ys = [0.5, 0.2, 0.5, 12.0, 1.0, 0.5]
    cells = incidents.aggregate_points(xs, ys, cell_size=1.0)
    assert cells == [
        (-1.0, 0.0, 0.0, 1.0, 1),
        (0.0, 0.0, 1.0, 1.0, 2),
        (1.0, 0.0, 2.0, 1.0, 1),
        (12.0, 12.0, 13.0, 13.0, 1),
    ]
    assert incidents.aggregate_points(xs, ys, 1.0, minimum=2) == [(0.0, 0.0, 1.0, 1.0, 2)]
    assert incidents.aggregate_points([], [], 5.0) == []
    with pytest.raises(MewError, match="cell size"):
        incidents.aggregate_points(xs, ys, 0)


def test_aggregate_points_total_is_the_number_of_points():
    rng = np.random.default_rng(3)
    xs, ys = rng.uniform(0, 1000, 500), rng.uniform(0, 1000, 500)
    cells = incidents.aggregate_points(xs, ys, 50.0, origin=(-7.0, 3.0))
    assert sum(c[4] for c in cells) == 500
    for x0, y0, x1, y1, _count in cells:
        assert (x0 + 7.0) % 50 == pytest.approx(0) and x1 - x0 == 50 and y1 - y0 == 50


def test_aggregation_cell_size_is_round():
    assert incidents.aggregation_cell_size(200_000, 180_000) == 5000
    assert incidents.aggregation_cell_size(3.0, 1.0) == 0.1
    with pytest.raises(MewError, match="empty"):
        incidents.aggregation_cell_size(0, 0)


def test_count_classes_are_contiguous_and_cover_all_counts():
    counts = [1, 1, 1, 2, 2, 3, 5, 8, 11, 1, 1, 4, 30]
    classes = incidents.count_classes(counts, 5)
    assert classes[0][0] == 1 and classes[-1][1] == 30
    for (_low_a, high_a), (low_b, _high_b) in zip(classes, classes[1:]):
        assert low_b == high_a + 1
    assert incidents.count_classes([2, 2, 7]) == [(2, 2), (3, 7)]
    assert incidents.class_label(1, 1) == "1 incident"
    assert incidents.class_label(2, 5) == "2–5 incidents"


def test_incident_layers_are_recognised_by_fields_or_name():
    acled = ["event_id_cnty", "event_date", "event_type", "fatalities", "latitude"]
    assert incidents.is_incident_layer("whatever", acled, True)
    assert incidents.is_incident_layer("Mission incident reports", ["id"], True)
    assert not incidents.is_incident_layer("synthetic_incidents_grid", acled, False)  # polygons are aggregates
    assert not incidents.is_incident_layer("villages", ["village_id", "population"], True)
    assert incidents.is_incident_layer("ACLED_export_2026", ["id"], True)
    assert not incidents.is_incident_layer("Conflict prevention sites", ["id"], True)  # not "event"
    assert not incidents.is_incident_layer("hedged water points", ["id"], True)  # not "ged"


def test_sensitivity_note_says_what_is_shown():
    assert "aggregated to 5 km" in incidents.sensitivity_note([], ["incidents"], 5000)
    raw = incidents.sensitivity_note(["incidents"], [], None)
    assert raw.startswith("SENSITIVE") and "raw incident point locations are shown" in raw


def test_atlas_pages_in_natural_order_and_bad_zones_refused():
    assert briefing.plan_atlas_pages(["S10", "S2", "S1"], "sectors", "sector_id") == ["S1", "S2", "S10"]
    with pytest.raises(MewError, match="no features"):
        briefing.plan_atlas_pages([], "sectors", "sector_id")
    with pytest.raises(MewError, match=r"Zone number 2 .* 'sector_id'"):
        briefing.plan_atlas_pages(["S1", None], "sectors", "sector_id")
    with pytest.raises(MewError, match="repeats S1"):
        briefing.plan_atlas_pages(["S1", "S2", "S1"], "sectors", "sector_id")


def test_analysis_lines_come_from_the_layers_records_one_per_run():
    run = ProvenanceRecord(
        "mew:hotspots",
        "Hot spots (Getis-Ord Gi*)",
        parameters={"CELL_SIZE": 2000, "DISTANCE_BAND": 8000, "FDR": True},
        periods={"incidents": ["2023-11-02", "2026-10-30"]},
        created="2026-11-20T10:00:00+00:00",
    )
    hot = provenance.LayerRecord("Hot spots", record=replace(run, output="OUTPUT"))
    cells = provenance.LayerRecord("Cells", record=replace(run, output="OUTPUT_CELLS"))
    later = provenance.LayerRecord("Hot spots 2", record=replace(run, created="2026-11-21T10:00:00+00:00"))
    data = provenance.LayerRecord("Sectors", "/m/vectors.gpkg|layername=sectors")
    assert provenance.analysis_lines([hot, cells, data, later]) == [
        "Hot spots, Cells: Gi*, 2 km cells, 8 km band, FDR; incidents 2023-11 to 2026-10",
        "Hot spots 2: Gi*, 2 km cells, 8 km band, FDR; incidents 2023-11 to 2026-10",
    ]
    text = provenance.provenance_text([hot, data], "Incident locations are aggregated.")
    assert text == (
        "Provenance (Mission Early Warning): Hot spots: Gi*, 2 km cells, 8 km band, FDR; incidents 2023-11 to "
        "2026-10\nIncident locations are aggregated."
    )
    assert hot.data_dates() == "incidents 2023-11 to 2026-10"
    full = provenance.full_record([hot, data])
    assert full[0]["provenance"]["parameters"] == {"CELL_SIZE": 2000, "DISTANCE_BAND": 8000, "FDR": True}
    assert full[1]["provenance"] is None
    assert json.loads(provenance.map_keywords([hot, data])["MEW_PROVENANCE"][0])[0]["algorithm"] == "mew:hotspots"
    assert provenance.map_keywords([data]) == {}


def test_provenance_lines_name_layer_algorithm_parameters_and_date():
    record = provenance.LayerRecord(
        "Hot spots",
        "/out/hotspots.gpkg|layername=hot",
        history=[
            {
                "algorithm": "mew:hotspots",
                "parameters": {"INPUT": "/long/path/incidents.csv", "CELL_SIZE": 1000, "OUTPUT": "/x.gpkg"},
                "date": "2026-11-20",
            }
        ],
    )
    data = provenance.LayerRecord("Sectors", "/m/vectors.gpkg|layername=synthetic_sectors")
    assert provenance.provenance_lines([record, data]) == [
        "Hot spots ← mew:hotspots (INPUT=incidents.csv, CELL_SIZE=1000), 2026-11-20"
    ]
    same_run = provenance.LayerRecord("Cold spots", "/out/hotspots.gpkg|layername=cold", history=record.history)
    other = provenance.LayerRecord(
        "VCI", "/out/vci.tif", history=[{"algorithm": "mew:droughtindex", "parameters": {"STACK": ["/a/n.tif", "b"]}}]
    )
    assert provenance.provenance_lines([record, same_run, other]) == [
        "Hot spots, Cold spots ← mew:hotspots (INPUT=incidents.csv, CELL_SIZE=1000), 2026-11-20",
        "VCI ← mew:droughtindex (STACK=n.tif; b)",
    ]
    text = provenance.provenance_text([record, data], "Incident locations are aggregated.", "Analyst: J. Doe")
    assert "mew:hotspots" in text and "Analyst: J. Doe" in text and text.endswith("Incident locations are aggregated.")
    meta = provenance.provenance_from_metadata({"mew_algorithm": "mew:vci", "MEW_PARAMETERS": "{}", "other": "x"})
    assert meta == [{"algorithm": "mew:vci", "parameters": "{}", "date": ""}]
    assert provenance.provenance_from_metadata({"AREA_OR_POINT": "Area"}) == []
    density = provenance.provenance_from_metadata(
        {"AREA_OR_POINT": "Area", "MEW_ALGORITHM": "incidentdensity", "MEW_RADIUS_M": "5000", "MEW_KERNEL": "quartic"}
    )
    assert density == [
        {"algorithm": "mew:incidentdensity", "parameters": {"RADIUS_M": "5000", "KERNEL": "quartic"}, "date": ""}
    ]
    assert provenance.provenance_lines([provenance.LayerRecord("Density", history=density)]) == [
        "Density ← mew:incidentdensity (RADIUS_M=5000, KERNEL=quartic)"
    ]


def test_sources_text_lists_user_sources_then_layers_with_dates():
    modified = datetime(2026, 11, 2, tzinfo=timezone.utc)
    text = provenance.sources_text(
        "ACLED (synthetic),  2023–2026", [provenance.LayerRecord("Sectors", "/m/vectors.gpkg|layername=s", modified)]
    )
    assert text == "Sources: ACLED (synthetic), 2023–2026\nLayers: Sectors (vectors.gpkg, file dated 2026-11-02)."
    assert provenance.sources_text("", []) == "Sources: not stated."


def test_page_texts_print_as_written_and_the_banner_repeats():
    produced = datetime(2026, 11, 21, 21, 30, tzinfo=timezone.utc)
    texts = briefing.page_texts(
        title="Sector [% 1+1 %]",
        subtitle="",
        map_number="MEW-0001 v1",
        classification="exercise",
        sources="$CURRENT_DATE",
        layers=[],
        sensitivity="No raw incident point layers on this map.",
        further_provenance="",
        produced=produced,
    )
    assert set(texts) == set(briefing.ITEM_IDS) - {"main_map", "overview_map", "legend", "scalebar", "north_arrow"}
    assert texts["classification_top"] == texts["classification_bottom"] == "EXERCISE"
    assert texts["title"] == "Sector [\u2060% 1+1 %]"
    assert texts["sources"] == "Sources: $\u2060CURRENT_DATE"
    assert texts["date"] == "Produced 21 Nov 2026 21:30 UTC+00:00"
    assert texts["disclaimer"] == briefing.DISCLAIMER


def test_wrapped_lines_break_between_words_at_the_width():
    assert briefing.wrapped_lines("aa bb cc\ndd", 5, len) == ["aa bb", "cc", "dd"]
    assert briefing.wrapped_lines("longword x", 3, len) == ["longword", "x"]  # a long word stays whole
    assert briefing.with_typical_expression_values("Map — [% @atlas_pagename %]") == "Map — S99"


def test_atlas_page_names_make_safe_file_names():
    assert briefing.page_file_part("Sector 1/North") == "Sector_1_North"
    assert briefing.page_file_part("***") == "zone"


def test_incident_cells_are_named_and_shaded_by_size():
    assert incidents.cell_size_text(5000) == "5 km" and incidents.cell_size_text(500) == "500 m"
    assert incidents.aggregated_layer_name("ACLED incidents", 2000) == "Incidents per 2 km cell"
    assert incidents.aggregated_layer_name("Mission reports", 500) == "Mission reports: incidents per 500 m cell"
    assert incidents.class_colour_positions(3) == pytest.approx([0.15, 0.575, 1.0])
    assert incidents.class_colour_positions(1) == [0.15]
