"""The bulk GeoPackage writer of hot spot grids: valid file, packed R-tree that SQLite and OGR accept."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import numpy as np
import pytest
from osgeo import ogr, osr

from mission_early_warning.core import gpkg
from mission_early_warning.core.getis_ord_grid import Grid


def write(path, grid: Grid):
    rows, cols = np.nonzero(np.ones(grid.shape, bool))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(32630)
    gpkg.write_polygons(
        path, srs.ExportToWkt(), [("cell_id", "int"), ("z", "real"), ("label", "text")],
        grid.cell_polygon_coords(rows, cols),
        [(rows * grid.cols + cols).tolist(), (rows * 0.5).tolist(), [f"r{r}" for r in rows]],
    )  # fmt: skip
    return rows, cols


@pytest.mark.parametrize(("kind", "side"), [("fishnet", 3), ("fishnet", 60), ("hexagon", 45)])
def test_written_layer_index_and_edits(tmp_path, kind, side):
    grid = Grid(kind, 300000.0, 1500000.0, 500.0, side, side)
    path = tmp_path / "cells.gpkg"
    rows, cols = write(path, grid)
    with closing(sqlite3.connect(path)) as connection, connection:
        assert connection.execute("SELECT rtreecheck('rtree_cells_geom')").fetchone()[0] == "ok"
    dataset = ogr.Open(str(path), update=1)
    layer = dataset.GetLayer(0)
    assert layer.GetFeatureCount() == side * side
    feature = layer.GetFeature(side + 2)
    assert feature["cell_id"] == rows[side + 1] * grid.cols + cols[side + 1]
    assert feature["label"] == f"r{rows[side + 1]}"
    window = (300000.0 + 1000, 300000.0 + 2600, 1500000.0 + 700, 1500000.0 + 2100)
    layer.SetSpatialFilterRect(window[0], window[2], window[1], window[3])
    found = {f.GetFID() for f in layer}
    rings = grid.cell_polygon_coords(rows, cols)
    xs, ys = rings[:, :, 0], rings[:, :, 1]
    hits = (xs.max(1) >= window[0]) & (xs.min(1) <= window[1]) & (ys.max(1) >= window[2]) & (ys.min(1) <= window[3])
    expected = set((np.nonzero(hits)[0] + 1).tolist())
    assert found == expected
    layer.SetSpatialFilter(None)
    moved = layer.GetFeature(1)
    moved.SetGeometry(ogr.CreateGeometryFromWkt("POLYGON ((0 0, 1 0, 1 1, 0 0))"))
    layer.SetFeature(moved)  # GDAL's triggers are back: the index follows edits
    layer.SetSpatialFilterRect(-1, -1, 2, 2)
    assert [f.GetFID() for f in layer] == [1]
    feature = moved = layer = None  # GDAL objects go before their dataset
    dataset = None


def test_failed_pack_falls_back_to_plain_inserts(tmp_path, monkeypatch):
    def broken(ids, boxes, node_size):
        nodes, parents, rowids = real(ids, boxes, node_size)
        return nodes[:1], parents, rowids  # children missing: rtreecheck must refuse it

    real = gpkg.packed_rtree
    monkeypatch.setattr(gpkg, "packed_rtree", broken)
    path = tmp_path / "cells.gpkg"
    write(path, Grid("fishnet", 0.0, 0.0, 10.0, 40, 40))
    with closing(sqlite3.connect(path)) as connection, connection:
        assert connection.execute("SELECT rtreecheck('rtree_cells_geom')").fetchone()[0] == "ok"
        assert connection.execute("SELECT count(*) FROM rtree_cells_geom").fetchone()[0] == 1600
