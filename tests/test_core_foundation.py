"""The engine's shared pieces: atomic outputs, the output-over-input guard, progress, metric CRS choice."""

from __future__ import annotations

import warnings

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
from mission_early_warning.core.io import atomic_path, atomic_write_text, refuse_output_over_inputs
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
