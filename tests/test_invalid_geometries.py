"""Invalid geometries under each of Processing's three settings, every feature-reading algorithm run twice.

QGIS's own validity check raises its error inside the feature iterator; under
a Python algorithm that corrupts the interpreter and QGIS 3.22 crashes on a
later run (exit code 139, or "SystemError: unknown opcode"). Our algorithms
switch QGIS's check off and apply the setting themselves. Each setting runs
in a fresh process (tests/hostile_inputs.py), every algorithm twice:

- stop ("AbortOnInvalid", QGIS's default): a clear error naming the layer and
  the feature id, both times, and the process ends normally;
- skip ("SkipInvalid"): the result equals that of the same layer without the
  invalid features, and the log names the layer and the skipped ids;
- do not filter ("NoCheck"): the result equals that of the layer repaired by
  GEOS's make_valid (a bow-tie counts as its two triangles).
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest
from osgeo import ogr
from shapely import wkt
from shapely.ops import unary_union

from mission_early_warning.tests.hostile_inputs import DEGENERATE_TRACK, write_inputs

SCRIPT = Path(__file__).with_name("hostile_inputs.py")
#: The algorithms that read features, each on its invalid input: (id, algorithm, layer key, layer, invalid fid).
INVALID_INPUTS = [
    ("hotspots grid", "mew:hotspots", "STUDY_AREA", "area", 1),
    ("hotspots features", "mew:hotspots", "INPUT", "districts", 6),
    ("emerging hotspots", "mew:emerginghotspots", "STUDY_AREA", "area", 1),
    ("patrol coverage", "mew:patrolcoverage", "PATROLS", "patrols", 2),
    ("coverage gaps", "mew:coveragegaps", "COVERAGE", "coverage", 1),
    ("drought change", "mew:droughtchange", "ZONES", "area", 1),
]


def parameters(run_id: str, sources: dict[str, str], out: Path, variant: str = "") -> dict:
    """The parameters of one run; ``variant`` ("_repaired", "_valid") reads the oracle layer instead."""

    def vector(name: str) -> str:
        return str(out / f"{run_id.replace(' ', '_')}{variant}_{name}.gpkg")

    if run_id == "hotspots grid":
        return {
            "INPUT": sources["incidents"],
            "STUDY_AREA": sources[f"area{variant}"],
            "CELL_SIZE": 0,
            "OUTPUT": vector("cells"),
        }
    if run_id == "hotspots features":
        return {
            "INPUT": sources[f"districts{variant}"],
            "GRID": "none",
            "VALUE_FIELD": "events",
            "NEIGHBOURS": "distance",
            "DISTANCE_BAND": 3000,
            "OUTPUT": vector("districts"),
        }
    if run_id == "emerging hotspots":
        return {
            "INPUT": sources["incidents"],
            "DATE_FIELD": "event_date",
            "TIME_STEP": "2 months",
            "STUDY_AREA": sources[f"area{variant}"],
            "CELL_SIZE": 0,
            "OUTPUT": vector("cells"),
        }
    if run_id == "patrol coverage":
        patrols = sources["patrols_valid" if variant == "_valid" else "patrols"]
        return {
            "PATROLS": patrols,
            "PATROL_DISTANCE": 2000,
            "VILLAGES": sources["villages"],
            "OUTPUT_COVERAGE": vector("zones"),
            "OUTPUT_VILLAGES": vector("villages"),
        }
    if run_id == "coverage gaps":
        return {
            "VILLAGES": sources["villages"],
            "COVERAGE": sources[f"coverage{variant}"],
            "INCIDENTS": sources["incidents"],
            "INCIDENT_DATE_FIELD": "event_date",
            "OUTPUT": vector("gaps"),
        }
    if run_id == "drought change":
        stem = out / f"drought{variant}"
        return {
            "BEFORE": sources["before"],
            "AFTER": sources["after"],
            "ZONES": sources[f"area{variant}"],
            "ZONE_FIELD": "name",
            "MIN_AREA": 0,
            "OUTPUT_DELTA": f"{stem}_delta.tif",
            "OUTPUT_TRANSITIONS": f"{stem}_transitions.tif",
            "OUTPUT_POLYGONS": vector("new"),
            "OUTPUT_SUMMARY": vector("summary"),
        }
    if run_id == "incident density":
        return {"INPUT": sources["incidents"], "RADIUS": 2000, "PIXEL_SIZE": 200, "OUTPUT": str(out / "density.tif")}
    raise KeyError(run_id)


def run_fresh(setting: str, runs: list[dict], folder: Path) -> dict[str, list[dict]]:
    """Run ``runs`` twice each in a new process under ``setting``; each run's two records, by id."""
    spec = folder / f"{setting}.json"
    spec.write_text(json.dumps({"setting": setting, "runs": runs}), encoding="utf-8")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-P", str(SCRIPT), str(spec)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, f"exit code {done.returncode}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    records: dict[str, list[dict]] = {}
    for line in done.stdout.splitlines():
        if line.startswith("RESULT "):
            record = json.loads(line[len("RESULT ") :])
            records.setdefault(record["id"], []).append(record)
    assert all(len(records.get(run["id"], [])) == 2 for run in runs), done.stdout[-3000:]
    return records


def table(path: str) -> list[tuple]:
    """A vector output's attribute rows (fid left out), sorted, numbers to 9 significant digits."""
    dataset = ogr.Open(path.split("|")[0])
    layer = dataset.GetLayer(0)
    rows = []
    for feature in layer:
        values = []
        for key in feature.keys():
            value = feature.GetField(key)
            values.append(float(f"{value:.9g}") if isinstance(value, float) else value)
        rows.append(tuple(values))
    return sorted(rows, key=repr)


def outcome(record: dict) -> dict:
    """What a finished run gave: its numeric outputs and the tables of its vector outputs."""
    assert record["error"] is None, record["error"]
    result = {}
    for key, value in sorted(record["outputs"].items()):
        if isinstance(value, str) and ".gpkg" in value:
            result[key] = table(value)
        elif isinstance(value, (int, float)):
            result[key] = value
    return result


@pytest.fixture(scope="module")
def sources(tmp_path_factory) -> dict[str, str]:
    return write_inputs(tmp_path_factory.mktemp("invalid-geometries"))


def all_runs(sources, out: Path, variant: str = "") -> list[dict]:
    ids = [run_id for run_id, *_ in INVALID_INPUTS]
    algorithms = {run_id: algorithm for run_id, algorithm, *_ in INVALID_INPUTS}
    runs = [
        {
            "id": run_id + variant,
            "algorithm": algorithms[run_id],
            "parameters": parameters(run_id, sources, out, variant),
        }
        for run_id in ids
    ]
    if not variant:
        runs.append(
            {
                "id": "incident density",
                "algorithm": "mew:incidentdensity",
                "parameters": parameters("incident density", sources, out),
            }
        )
    return runs


@pytest.mark.slow
def test_stop_on_invalid_names_the_layer_and_feature_and_never_crashes(sources, tmp_path):
    records = run_fresh("GeometryAbortOnInvalid", all_runs(sources, tmp_path), tmp_path)
    for run_id, _algorithm, key, layer, fid in INVALID_INPUTS:
        for record in records[run_id]:
            assert record["error"] is not None, f"{run_id} ran on an invalid geometry under 'stop'"
            assert (
                f"Feature {fid} of the layer '{layer}' in inputs.gpkg ({key}) has an invalid geometry"
                in (record["error"])
            ), record["error"]
            assert "Fix geometries" in record["error"] and "Traceback" not in record["error"]
    assert all(record["error"] is None for record in records["incident density"])  # points are never invalid


@pytest.mark.slow
def test_skip_invalid_leaves_the_features_out_and_says_which(sources, tmp_path):
    runs = all_runs(sources, tmp_path / "invalid") + all_runs(sources, tmp_path / "valid", "_valid")
    for folder in ("invalid", "valid"):
        (tmp_path / folder).mkdir()
    records = run_fresh("GeometrySkipInvalid", runs, tmp_path)
    for run_id, _algorithm, key, layer, fid in INVALID_INPUTS:
        expected = outcome(records[f"{run_id}_valid"][1])
        for record in records[run_id]:
            said = [line for line in record["log"] if "were skipped" in line]
            assert said == [
                f"1 feature(s) of the layer '{layer}' in inputs.gpkg ({key}) have an invalid geometry "
                "and were skipped, as Processing's 'Invalid features filtering' option says: feature "
                f"id(s) {fid}. Repair them (Processing: 'Fix geometries') to include them."
            ], record["log"]
        assert outcome(records[run_id][1]) == expected, run_id
    assert all(record["error"] is None for record in records["incident density"])


@pytest.mark.slow
def test_no_filtering_uses_invalid_polygons_as_make_valid_repairs_them(sources, tmp_path):
    runs = all_runs(sources, tmp_path / "invalid") + all_runs(sources, tmp_path / "repaired", "_repaired")
    for folder in ("invalid", "repaired"):
        (tmp_path / folder).mkdir()
    records = run_fresh("GeometryNoCheck", [run for run in runs if run["id"] != "patrol coverage_repaired"], tmp_path)
    for run_id, *_ in INVALID_INPUTS:
        for record in records[run_id]:
            assert record["error"] is None, f"{run_id}: {record['error']}"
            assert not [line for line in record["log"] if "skipped" in line], record["log"]
        if run_id == "patrol coverage":
            continue  # a degenerate track has no repaired form: checked against its buffer below
        assert outcome(records[run_id][1]) == outcome(records[f"{run_id}_repaired"][1]), run_id
    # The one-point track counts as a patrol at that point: the covered area is the union of the buffers.
    tracks = [
        wkt.loads(t)
        for t in (
            "LINESTRING (500000 1001000, 508000 1001000)",
            DEGENERATE_TRACK,
            "LINESTRING (512000 1009000, 519000 1009000)",
        )
    ]
    oracle = unary_union([track.buffer(2000, 8) for track in tracks]).area / 1e6
    dataset = ogr.Open(records["patrol coverage"][1]["outputs"]["OUTPUT_COVERAGE"].split("|")[0])
    covered = [f.GetField("area_km2") for f in dataset.GetLayer(0) if f.GetField("kind") == "covered"]
    assert len(covered) == 1 and math.isclose(covered[0], oracle, rel_tol=0.01), (covered, oracle)
    assert all(record["error"] is None for record in records["incident density"])
