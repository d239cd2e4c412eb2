"""Uncompressed outputs written tile by tile straight into the file (core/geotiff_tiles.py): the same rasters as
GDAL writes, whatever the raster's size against the tiles, the data type, the inputs' layout or the threads."""

from __future__ import annotations

import threading

import numpy as np
import pytest
import rasterio
from osgeo import gdal
from rasterio.transform import from_origin
from rasterio.windows import Window

from mission_early_warning.core import geotiff_tiles, parallel
from mission_early_warning.core.drought import FLOAT_NODATA, drought_change
from mission_early_warning.core.errors import OperationCancelled
from mission_early_warning.core.geotiff_tiles import TileWriter, tiles_of
from mission_early_warning.core.progress import Progress
from mission_early_warning.core.raster_blocks import TILE, Grid, OutputSpec, windows_for, write_blocks

CRS = rasterio.crs.CRS.from_epsg(32630)
TRANSFORM = from_origin(300000, 1700000, 20, 20)
TAGS = {"MEW_KIND": "test", "MEW_NOTE": "tiles"}


def _planted(height: int, width: int, dtype: str) -> np.ndarray:
    """Distinct values everywhere (each pixel's own number), so a tile in the wrong place shows."""
    values = np.arange(height * width, dtype=np.int64).reshape(height, width) % 251 + 1
    return values.astype(dtype)


def _write_planted(path, height, width, dtype, nodata, *, without_tiles=False, colormap=None) -> None:
    grid = Grid(CRS, TRANSFORM, width, height)
    planted = _planted(height, width, dtype)
    spec = OutputSpec(str(path), dtype, nodata, "planted values", TAGS, colormap)
    windows = windows_for(grid)
    if without_tiles:  # through GDAL, as before the tiles were written directly
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(TileWriter, "attach", classmethod(lambda cls, *args: None))
            write_blocks(grid, {"out": spec}, windows, lambda w: {"out": planted[w.toslices()]})
    else:
        write_blocks(grid, {"out": spec}, windows, lambda w: {"out": planted[w.toslices()]})


@pytest.mark.parametrize(
    "height, width",
    [(2 * TILE, 3 * TILE), (700, 900), (TILE + 1, 1), (10, 10), (1, 2 * TILE + 7)],
    ids=["whole tiles", "part tiles at the edges", "one column", "smaller than a tile", "one row"],
)
@pytest.mark.parametrize("dtype, nodata", [("float32", -9999.0), ("uint8", 0), ("int16", -32768)])
def test_tiles_written_directly_read_back_as_gdal_writes_them(tmp_path, height, width, dtype, nodata):
    direct, through_gdal = tmp_path / "direct.tif", tmp_path / "gdal.tif"
    _write_planted(direct, height, width, dtype, nodata)
    _write_planted(through_gdal, height, width, dtype, nodata, without_tiles=True)
    tiles = tiles_of(direct)
    assert len(tiles) == -(-height // TILE) * -(-width // TILE)
    assert all(offset > 0 and count == TILE * TILE * np.dtype(dtype).itemsize for offset, count in tiles)
    assert len({offset for offset, _ in tiles}) == len(tiles)  # each tile in its own place
    assert all(offset % 4096 == 0 for offset, _ in tiles)  # where this writer puts them (GDAL packs them)
    assert not all(offset % 4096 == 0 for offset, _ in tiles_of(through_gdal))
    with rasterio.open(direct) as ours, rasterio.open(through_gdal) as theirs:
        assert ours.profile == theirs.profile
        assert ours.profile["blockxsize"] == TILE and ours.profile.get("compress") is None
        assert (ours.crs, ours.transform, ours.nodata) == (CRS, TRANSFORM, nodata)
        assert ours.tags() == theirs.tags() and ours.tags()["MEW_NOTE"] == "tiles"
        assert ours.descriptions == theirs.descriptions == ("planted values",)
        assert np.array_equal(ours.read(1), _planted(height, width, dtype))
        assert np.array_equal(ours.read(1), theirs.read(1))
    assert (
        gdal.Open(str(direct)).GetRasterBand(1).Checksum() == gdal.Open(str(through_gdal)).GetRasterBand(1).Checksum()
    )


def test_colour_map_and_later_metadata_keep_the_tiles(tmp_path):
    """GDAL writes the colour map; provenance added later in update mode rewrites the directory, not the tiles."""
    path = tmp_path / "classes.tif"
    colours = {0: (0, 0, 0, 0), 1: (215, 25, 28, 255), 2: (43, 131, 186, 255)}
    _write_planted(path, 700, 900, "uint8", 0, colormap=colours)
    before = tiles_of(path)
    assert all(offset > 0 for offset, _ in before)
    dataset = gdal.OpenEx(str(path), gdal.OF_RASTER | gdal.OF_UPDATE)
    dataset.SetMetadataItem("MEW_PROVENANCE", "x" * 100_000)  # far larger than the directory GDAL wrote
    dataset = None
    with rasterio.open(path) as written:
        assert written.colormap(1)[1] == colours[1]
        assert written.tags()["MEW_PROVENANCE"] == "x" * 100_000
        assert np.array_equal(written.read(1), _planted(700, 900, "uint8"))


@pytest.mark.parametrize(
    "profile",
    [{"compress": "DEFLATE"}, {"blockxsize": 256, "blockysize": 256}, {"tiled": False, "blockysize": 16}],
    ids=["compressed", "other tile size", "striped"],
)
def test_a_file_laid_out_otherwise_is_left_to_gdal(tmp_path, profile):
    path = tmp_path / "other.tif"
    options = {"tiled": True, "blockxsize": TILE, "blockysize": TILE, **profile}
    if not options["tiled"]:
        options.pop("blockxsize")
    with rasterio.open(
        path, "w", driver="GTiff", width=600, height=600, count=1, dtype="float32", crs=CRS,
        transform=TRANSFORM, SPARSE_OK=True, **options,
    ):  # fmt: skip
        pass
    assert TileWriter.attach(path, (600, 600), TILE, "float32") is None
    assert TileWriter.attach(tmp_path / "other.tif", (600, 601), TILE, "float32") is None
    (tmp_path / "text.tif").write_text("not a TIFF at all")
    assert TileWriter.attach(tmp_path / "text.tif", (600, 600), TILE, "float32") is None


def test_a_file_with_pixels_already_is_left_to_gdal(tmp_path):
    path = tmp_path / "full.tif"
    _write_planted(path, 600, 600, "float32", -9999.0, without_tiles=True)
    assert all(offset > 0 for offset, _ in tiles_of(path))
    assert TileWriter.attach(path, (600, 600), TILE, "float32") is None
    assert TileWriter.attach(path, (600, 600), TILE, "uint8") is None


def _pair(folder, name, values_before, values_after, **layout):
    paths = []
    for which, values in (("before", values_before), ("after", values_after)):
        path = folder / f"{name}_{which}.tif"
        with rasterio.open(
            path, "w", driver="GTiff", width=values.shape[1], height=values.shape[0], count=1, dtype="float32",
            crs=CRS, transform=TRANSFORM, nodata=-1.0, **layout,
        ) as dataset:  # fmt: skip
            dataset.write(values, 1)
        paths.append(str(path))
    return paths


@pytest.mark.parametrize("workers", ["1", "2"])
def test_the_difference_is_the_same_whatever_the_inputs_tiles_and_threads(tmp_path, monkeypatch, workers):
    """B − A of one pair stored with tiles smaller than, equal to and not dividing the output's, and in strips:
    the same output as a whole-array reference, on one thread or with the writer beside a worker."""
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, workers)
    rng = np.random.default_rng(5)
    height, width = 1100, 1300
    before = rng.uniform(0, 100, (height, width)).astype(np.float32)
    after = rng.uniform(0, 100, (height, width)).astype(np.float32)
    before[3, 4], after[5, 6], after[700, 1200] = -1.0, -1.0, np.nan  # nodata in each, NaN in one
    expected = after - before
    expected[np.isnan(expected) | (before == -1.0) | (after == -1.0)] = FLOAT_NODATA
    layouts = {
        "tiles256": {"tiled": True, "blockxsize": 256, "blockysize": 256},
        "tiles512": {"tiled": True, "blockxsize": 512, "blockysize": 512},
        "tiles384": {"tiled": True, "blockxsize": 384, "blockysize": 384},
        "strips": {"tiled": False, "blockysize": 8},
    }
    for name, layout in layouts.items():
        old, new = _pair(tmp_path, name, before, after, **layout)
        output = tmp_path / f"{name}_delta.tif"
        result = drought_change(old, new, output_delta=str(output))
        assert result.valid_pixels == int(np.count_nonzero(expected != FLOAT_NODATA))
        with rasterio.open(output) as written:
            assert written.nodata == FLOAT_NODATA and written.crs == CRS and written.transform == TRANSFORM
            assert np.array_equal(written.read(1), expected), name
            striped = name == "strips"
            assert written.profile["tiled"] is not striped
            assert all(offset % 4096 == 0 for offset, _ in tiles_of(output)) or striped  # written directly


def test_the_writer_overlaps_a_worker_thread_only_with_a_second_core(tmp_path, monkeypatch):
    grid = Grid(CRS, TRANSFORM, 1100, 700)
    seen: list[int] = []

    def work(window: Window) -> dict:
        seen.append(threading.get_ident())
        return {"out": np.full((int(window.height), int(window.width)), 1.5, np.float32)}

    for workers, elsewhere in (("1", False), ("2", True)):
        monkeypatch.setenv(parallel.WORKERS_VARIABLE, workers)
        seen.clear()
        spec = OutputSpec(str(tmp_path / f"out{workers}.tif"), "float32", -9999.0)
        write_blocks(grid, {"out": spec}, windows_for(grid), work, workers=1)
        assert len(seen) == 6
        assert (threading.get_ident() not in seen) is elsewhere
        with rasterio.open(spec.path) as written:
            assert (written.read(1) == 1.5).all()


def test_a_failure_or_cancel_while_writing_tiles_leaves_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "2")
    grid = Grid(CRS, TRANSFORM, 1100, 700)
    spec = OutputSpec(str(tmp_path / "out.tif"), "float32", -9999.0)

    def failing(window: Window) -> dict:
        if window.col_off == 1024:
            raise ValueError("planted failure")
        return {"out": np.ones((int(window.height), int(window.width)), np.float32)}

    with pytest.raises(ValueError, match="planted failure"):
        write_blocks(grid, {"out": spec}, windows_for(grid), failing)
    reports: list[float] = []
    cancelling = Progress(report=reports.append, is_canceled=lambda: len(reports) >= 3)
    with pytest.raises(OperationCancelled):
        write_blocks(
            grid, {"out": spec}, windows_for(grid), lambda w: {"out": np.ones((w.height, w.width))}, cancelling
        )
    assert list(tmp_path.iterdir()) == []


def test_tiles_go_out_in_whole_write_calls_of_the_set_size(tmp_path, monkeypatch):
    """The point of the module: 8 calls per 1 MB tile (GDAL made 32, after two copies), then the tile index."""
    calls: list[int] = []
    real = geotiff_tiles.os.pwrite
    monkeypatch.setattr(geotiff_tiles.os, "pwrite", lambda fd, data, at: calls.append(len(data)) or real(fd, data, at))
    _write_planted(tmp_path / "out.tif", 2 * TILE, 2 * TILE, "float32", -9999.0)
    per_tile = TILE * TILE * 4 // geotiff_tiles.WRITE_BYTES
    assert calls[: 4 * per_tile] == [geotiff_tiles.WRITE_BYTES] * 4 * per_tile
    assert len(calls) == 4 * per_tile + 2  # then the tile offsets and byte counts


def test_windows_that_are_not_the_output_tiles_go_through_gdal_with_the_same_result(tmp_path):
    shape = (700, 900)
    assert geotiff_tiles.whole_tile(shape, TILE, (512, 700), (512, 900))  # the corner part tile
    assert not geotiff_tiles.whole_tile(shape, TILE, (512, 700), (512, 800))  # short of the edge
    assert not geotiff_tiles.whole_tile(shape, TILE, (0, 256), (0, 256))  # a quarter tile
    assert not geotiff_tiles.whole_tile(shape, TILE, (1, 513), (0, 512))  # off the tile grid
    grid = Grid(CRS, TRANSFORM, shape[1], shape[0])
    planted = _planted(*shape, "float32")
    quarters = [Window(col, row, min(256, 900 - col), min(256, 700 - row)) for row in range(0, 700, 256)
                for col in range(0, 900, 256)]  # fmt: skip
    spec = OutputSpec(str(tmp_path / "quarters.tif"), "float32", -9999.0)
    write_blocks(grid, {"out": spec}, quarters, lambda w: {"out": planted[w.toslices()]})
    assert not any(offset % 4096 == 0 for offset, _ in tiles_of(spec.path))  # GDAL wrote them
    with rasterio.open(spec.path) as written:
        assert np.array_equal(written.read(1), planted)


def test_without_positioned_writes_gdal_writes_the_tiles(tmp_path, monkeypatch):
    """Python on Windows has no os.pwrite: the same raster, written through GDAL."""
    monkeypatch.delattr(geotiff_tiles.os, "pwrite")
    _write_planted(tmp_path / "out.tif", 700, 900, "float32", -9999.0)
    assert not any(offset % 4096 == 0 for offset, _ in tiles_of(tmp_path / "out.tif"))
    with rasterio.open(tmp_path / "out.tif") as written:
        assert np.array_equal(written.read(1), _planted(700, 900, "float32"))


@pytest.mark.parametrize("options", [{"BIGTIFF": "YES"}, {"ENDIANNESS": "BIG"}], ids=["BigTIFF", "big-endian"])
def test_bigtiff_and_big_endian_files_get_their_tiles_in_their_own_layout(tmp_path, options):
    path = tmp_path / "layout.tif"
    height, width = 700, 1100
    with rasterio.open(
        path, "w", driver="GTiff", width=width, height=height, count=1, dtype="int16", crs=CRS, transform=TRANSFORM,
        nodata=-1, tiled=True, blockxsize=TILE, blockysize=TILE, SPARSE_OK=True, **options,
    ):  # fmt: skip
        pass
    planted = _planted(height, width, "int16") * -3  # negative values: the sign survives the byte order
    writer = TileWriter.attach(path, (height, width), TILE, "int16")
    assert writer is not None
    with writer:
        for window in reversed(windows_for(Grid(CRS, TRANSFORM, width, height))):  # any order will do
            writer.write(planted[window.toslices()], int(window.row_off), int(window.col_off))
    with rasterio.open(path) as written:
        assert np.array_equal(written.read(1), planted)
