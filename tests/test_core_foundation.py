"""The engine's shared pieces: atomic outputs, the output-over-input guard, progress, metric CRS choice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pytest
from pyproj import CRS, Transformer

from mission_early_warning.core.crs import (
    is_mercator,
    is_metric,
    is_true_to_scale,
    local_metric_crs,
    metric_crs_for,
    metric_crs_for_points,
    transform_xy,
    utm_crs,
)
from mission_early_warning.core.errors import MewError, OperationCancelled
from mission_early_warning.core.io import (
    SET_ASIDE_PREFIX,
    FileUse,
    SetAside,
    atomic_path,
    atomic_write_text,
    destination_file,
    real_path,
    recover_set_aside,
    refuse_file_clashes,
    refuse_output_over_inputs,
)
from mission_early_warning.core.progress import Progress


def test_atomic_path_moves_into_place_only_on_success(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old")
    with pytest.raises(RuntimeError), atomic_path(target) as temporary:
        temporary.write_text("half")
        raise RuntimeError("boom")
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]
    atomic_write_text(target, "new")
    assert target.read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


def test_a_rewrite_drops_the_old_files_statistics_sidecar(tmp_path):
    target = tmp_path / "grid.tif"
    target.write_bytes(b"old")
    stale = tmp_path / "grid.tif.aux.xml"
    stale.write_text("<PAMDataset>old statistics</PAMDataset>")
    with atomic_path(target) as temporary:
        temporary.write_bytes(b"new")
    assert target.read_bytes() == b"new"
    assert not stale.exists()


def test_atomic_path_keeps_the_suffix_for_gdal_and_cleans_up_on_cancel(tmp_path):
    with pytest.raises(OperationCancelled), atomic_path(tmp_path / "grid.tif") as temporary:
        assert temporary.suffix == ".tif" and temporary.parent == tmp_path
        temporary.write_bytes(b"x")
        raise OperationCancelled()
    assert list(tmp_path.iterdir()) == []


def test_output_over_input_is_refused_even_through_a_link(tmp_path):
    source = tmp_path / "in.tif"
    source.write_bytes(b"x")
    link = tmp_path / "link.tif"
    link.symlink_to(source)
    with pytest.raises(MewError, match="same file as the input"):
        refuse_output_over_inputs([link], [source])
    refuse_output_over_inputs([tmp_path / "other.tif"], [source])


@pytest.mark.parametrize(
    "form, layer",
    [
        ("plain path", None),
        ("layername", "hot spots"),
        ("ogr quoted", "hot spots"),
        ("ogr bare", "hotspots"),
        ("spatialite", "t"),
    ],
)
def test_every_destination_form_names_its_file_and_layer(tmp_path, form, layer):
    gpkg = tmp_path / "mission o'clock.gpkg"
    quoted = str(gpkg).replace("'", "\\'")
    bare = tmp_path / "mission.gpkg"
    text = {
        "plain path": str(gpkg),
        "layername": f"{gpkg}|layername=hot spots",
        "ogr quoted": f"ogr:dbname='{quoted}' table=\"hot spots\" (geom) sql=",
        "ogr bare": f"ogr:dbname={bare} table=hotspots",
        "spatialite": f"spatialite:dbname='{quoted}' table=\"t\"",
    }[form]
    assert destination_file(text) == (real_path(bare if form == "ogr bare" else gpkg), layer)


@pytest.mark.parametrize(
    "text", ["TEMPORARY_OUTPUT", "memory:", "memory:hot spots", "postgres:dbname='m' table=t", "", "ogr:table=t"]
)
def test_temporary_memory_and_database_outputs_name_no_file(text):
    assert destination_file(text) is None


def test_an_output_into_an_input_file_is_refused_whatever_the_layer_and_two_outputs_into_one_file_too(tmp_path):
    gpkg = real_path(tmp_path / "mission.gpkg")
    source = FileUse("the input 'villages' (VILLAGES)", gpkg, "villages")
    with pytest.raises(MewError, match="would overwrite the input 'villages'"):
        refuse_file_clashes([FileUse("the output 'Gaps' (OUTPUT)", gpkg, "villages")], [source])
    with pytest.raises(MewError, match=r"would write the layer 'gaps' into .* the file the input 'villages'"):
        refuse_file_clashes([FileUse("the output 'Gaps' (OUTPUT)", gpkg, "gaps")], [source])
    with pytest.raises(MewError, match=r"The output 'A' \(A\) and the output 'B' \(B\) both go to .* its own file"):
        refuse_file_clashes([FileUse("the output 'A' (A)", gpkg, "a"), FileUse("the output 'B' (B)", gpkg, "b")], [])
    refuse_file_clashes([FileUse("the output 'A' (A)", real_path(tmp_path / "a.gpkg"))], [source])


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def _abandon(guard: SetAside) -> None:
    """What ``kill -9`` does to a run: its lock is released by the system, nothing else happens."""
    guard._lock.close()


def test_set_aside_restores_on_failure_and_drops_on_success(tmp_path):
    final = _write(tmp_path / "out.geojson", "old")
    _write(tmp_path / "out.qml", "old style")
    guard = SetAside(final)
    assert not final.exists() and len(list(tmp_path.glob(f"{SET_ASIDE_PREFIX}*"))) == 1
    _write(final, "half")
    guard.restore()
    assert final.read_text() == "old" and (tmp_path / "out.qml").read_text() == "old style"
    guard = SetAside(final)
    _write(final, "new")
    guard.drop()
    assert final.read_text() == "new" and not (tmp_path / "out.qml").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.geojson"]


def test_a_killed_run_is_settled_by_the_next_one_from_what_its_folder_says(tmp_path):
    final = _write(tmp_path / "out.geojson", "old")
    killed = SetAside(final)
    _write(final, "half written")
    _abandon(killed)
    assert recover_set_aside(final) == [
        f"An earlier run writing '{final}' was stopped before it finished (killed, crashed or the power went "
        "off): the output it was replacing has been put back."
    ]
    assert final.read_text() == "old" and sorted(p.name for p in tmp_path.iterdir()) == ["out.geojson"]

    finished = SetAside(final)
    _write(final, "new")
    (finished.hidden / "finished").touch()  # killed while deleting the previous files
    _abandon(finished)
    assert "had finished" in recover_set_aside(final)[0]
    assert final.read_text() == "new" and sorted(p.name for p in tmp_path.iterdir()) == ["out.geojson"]

    final.unlink()
    first = SetAside(final)  # nothing there before: the killed run's partial file is removed
    _write(final, "half")
    _abandon(first)
    assert "the incomplete output it left has been removed" in recover_set_aside(final)[0]
    assert list(tmp_path.iterdir()) == []


def test_a_layer_written_into_a_kept_file_is_copied_aside_and_the_copy_put_back(tmp_path):
    final = _write(tmp_path / "mission.gpkg", "villages and sectors")
    guard = SetAside(final, in_place=True)
    assert final.read_text() == "villages and sectors"  # the run writes into the file itself
    _write(final, "villages, sectors and half a layer")
    _abandon(guard)
    SetAside(final, in_place=True).drop()  # the next run settles the killed one first
    assert final.read_text() == "villages and sectors"


def test_a_folder_whose_run_still_goes_is_left_alone_and_setting_aside_cut_short_loses_nothing(tmp_path):
    final = _write(tmp_path / "out.shp", "shapes")
    sidecar = _write(tmp_path / "out.dbf", "table")
    running = SetAside(final)
    assert recover_set_aside(final) == [] and not final.exists()  # its lock is held: a run is writing
    running.restore()
    # Killed while moving the files aside: one moved, one still in place; nothing was written yet.
    cut_short = SetAside(final)
    (cut_short.hidden / "ready").unlink()
    os.replace(cut_short.hidden / "files" / "out.dbf", sidecar)
    _abandon(cut_short)
    assert "has been put back" in recover_set_aside(final)[0]
    assert final.read_text() == "shapes" and sidecar.read_text() == "table"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.dbf", "out.shp"]


_KILLED_WRITER = """
import sys, time
from pathlib import Path
from mission_early_warning.core.io import atomic_path

with atomic_path(sys.argv[1]) as temporary:
    temporary.write_bytes(b"half a raster")
    Path(sys.argv[2]).write_text(str(temporary))
    time.sleep(120)
"""


def test_the_temporary_file_of_a_writer_killed_outright_goes_with_the_next_write_not_before(tmp_path):
    final, started = tmp_path / "density.tif", tmp_path / "started"
    writer = subprocess.Popen([sys.executable, "-P", "-c", _KILLED_WRITER, str(final), str(started)])
    try:
        deadline = time.perf_counter() + 30
        while not started.exists() and time.perf_counter() < deadline:
            time.sleep(0.05)
        temporary = Path(started.read_text())
        atomic_write_text(final, "another run's output")  # the writer still works: its file stays
        assert temporary.exists()
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=10)
    finally:
        if writer.poll() is None:
            writer.kill()
            writer.wait()
    started.unlink()
    assert temporary.exists()  # what kill -9 leaves
    atomic_write_text(final, "the next output")
    assert final.read_text() == "the next output"
    assert [p.name for p in tmp_path.iterdir()] == ["density.tif"]


def test_progress_scales_sub_stages_and_raises_on_cancel():
    seen: list[float] = []
    cancelled = [False]
    progress = Progress(report=seen.append, is_canceled=lambda: cancelled[0])
    progress.sub(0.5, 1.0).step(0.5)
    assert seen == [75.0]
    cancelled[0] = True
    with pytest.raises(OperationCancelled):
        progress.step(0.9)


def test_metric_crs_choice():
    assert utm_crs(-4.2, 14.5).to_epsg() == 32630
    assert utm_crs(20.0, -10.0).to_epsg() == 32734
    assert local_metric_crs(-4.9, 13.5, -3.0, 15.4).to_epsg() == 32630
    wide = local_metric_crs(-20.0, 0.0, 40.0, 60.0)
    assert wide.to_epsg() is None and "Lambert Azimuthal Equal Area" in wide.coordinate_operation.method_name
    assert is_metric(CRS.from_epsg(32630)) and not is_metric(CRS.from_epsg(4326))
    assert metric_crs_for(CRS.from_epsg(32630), (0, 0, 1, 1)).to_epsg() == 32630
    # Web Mercator's metres stretch by 1/cos(latitude): not used for distances
    assert is_mercator(CRS.from_epsg(3857)) and not is_true_to_scale(CRS.from_epsg(3857))
    assert not is_mercator(CRS.from_epsg(32630)) and is_true_to_scale(CRS.from_epsg(32630))
    assert metric_crs_for(CRS.from_epsg(3857), (-4.9, 13.5, -3.0, 15.4)).to_epsg() == 32630
    with pytest.raises(MewError):
        utm_crs(200.0, 0.0)


def test_one_bad_coordinate_does_not_move_the_analysis_crs():
    rng = np.random.default_rng(1)
    lon, lat = rng.uniform(-4.9, -3.0, 400), rng.uniform(13.5, 15.4, 400)
    wgs84 = CRS.from_epsg(4326)
    assert metric_crs_for_points(wgs84, lon, lat).to_epsg() == 32630
    typo = metric_crs_for_points(wgs84, np.append(lon, -4.0), np.append(lat, 95.0))  # latitude out of range
    swapped = metric_crs_for_points(wgs84, np.append(lon, 14.2), np.append(lat, -4.1))  # a swapped pair
    assert typo.to_epsg() == swapped.to_epsg() == 32630
    mercator = CRS.from_epsg(3857)
    x, y = Transformer.from_crs(wgs84, mercator, always_xy=True).transform(lon, lat)
    assert metric_crs_for_points(mercator, x, y).to_epsg() == 32630
    with pytest.raises(MewError, match="usable location"):
        metric_crs_for_points(wgs84, np.array([500.0]), np.array([100.0]))


@pytest.mark.parametrize("size", [0, 1, 3])
def test_transform_xy_gives_arrays_of_the_input_shape_without_pyproj_scalar_fast_path(size):
    lon, lat = np.linspace(-3.0, -2.0, size), np.linspace(14.0, 15.0, size)
    to_utm = Transformer.from_crs("EPSG:4326", "EPSG:32630", always_xy=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        x, y = transform_xy(to_utm, lon, lat)
    assert x.shape == y.shape == (size,)
    for i in range(size):  # each point transformed alone, as a scalar, gives the same
        assert (x[i], y[i]) == pytest.approx(to_utm.transform(float(lon[i]), float(lat[i])), abs=1e-6)
