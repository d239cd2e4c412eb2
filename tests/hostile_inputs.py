"""Small hostile inputs for the Processing-layer guards, and a script that runs algorithms in a fresh QGIS.

Run as ``python -P tests/hostile_inputs.py SPEC.json`` with the project's
venv: it starts QGIS headless with Processing and the ``mew`` provider (as
``make demo`` does), runs each algorithm of the spec with the given
invalid-geometry setting, each twice, and prints one JSON line per run: its
outputs, its error message, and what it logged. A crash shows as the exit code.
With ``"block": {"at": percent, "marker": path}`` a run stops where its
progress reaches ``percent``: it writes ``marker`` and waits, to be killed.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import struct
import sys
from pathlib import Path

from qgis.core import QgsProcessingFeedback


class UserMessages(QgsProcessingFeedback):
    """What an algorithm tells the user (not its debug information, where tracebacks belong)."""

    def __init__(self):
        super().__init__()
        self.log: list[str] = []

    def reportError(self, error, fatalError=False):
        self.log.append(error)

    def pushWarning(self, warning):
        self.log.append(warning)

    def pushInfo(self, info):
        self.log.append(info)

    def pushCommandInfo(self, info):
        self.log.append(info)

    def pushConsoleInfo(self, info):
        self.log.append(info)


#: A metric CRS (UTM 33N) and the corner the inputs are drawn from.
CRS = "EPSG:32633"
X0, Y0 = 500000.0, 1000000.0
#: The study-area square (5 km) and the self-intersecting "bow-tie" beside it: two unequal triangles crossing,
#: so the ring as it is has neither their area nor their centroid (its corners are off the 1 km and 200 m
#: lattices, so no cell or pixel centre lies on an edge).
SQUARE = f"POLYGON (({X0} {Y0}, {X0 + 5000} {Y0}, {X0 + 5000} {Y0 + 5000}, {X0} {Y0 + 5000}, {X0} {Y0}))"
BOW_TIE = (
    f"POLYGON (({X0 + 10137} {Y0 + 211}, {X0 + 19911} {Y0 + 9827}, {X0 + 19911} {Y0 + 4211}, "
    f"{X0 + 10137} {Y0 + 9827}, {X0 + 10137} {Y0 + 211}))"
)
#: A patrol track of two identical points: GEOS calls a line with fewer than two distinct points invalid.
DEGENERATE_TRACK = f"LINESTRING ({X0 + 3000} {Y0 + 3000}, {X0 + 3000} {Y0 + 3000})"


def write_inputs(folder: Path) -> dict[str, str]:
    """Write the inputs into ``folder``; returns their data sources by name.

    ``inputs.gpkg`` holds: ``incidents`` (300 dated points with a value),
    ``area`` (fid 1: the bow-tie, fid 2: the square), ``districts`` (a 4 × 4
    grid of 2.5 km squares with a value; fid 6 is a bow-tie inside its own
    cell), ``patrols`` (three tracks; fid 2 is degenerate), ``villages``
    (points), ``coverage`` (kind = covered; fid 1 the bow-tie, fid 2 the
    square). Each polygon layer also comes as ``<name>_repaired`` (every
    polygon through GEOS's make_valid) and ``<name>_valid`` (the invalid
    features left out), and the patrols as ``patrols_valid``: the runs on those
    are what the runs on the invalid layers must give when invalid features are
    used (repaired) or skipped. ``before.tif``/``after.tif`` are VCI rasters.
    """
    import numpy as np
    from osgeo import gdal, ogr, osr

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "inputs.gpkg"
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(32633)
    dataset = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    rng = np.random.default_rng(7)

    def layer(name, kind, fields, rows, variants=False):
        if variants:  # the oracles: repaired, and without the invalid features
            from shapely import wkt as shapely_wkt
            from shapely.validation import make_valid

            shapes = [shapely_wkt.loads(w) for w, _ in rows]
            layer(
                f"{name}_repaired",
                ogr.wkbMultiPolygon,
                fields,
                [(make_valid(g).wkb, values) for g, (_, values) in zip(shapes, rows)],
            )
            layer(f"{name}_valid", kind, fields, [row for g, row in zip(shapes, rows) if g.is_valid])
        table = dataset.CreateLayer(name, srs, kind)
        for field, field_kind in fields:
            table.CreateField(ogr.FieldDefn(field, field_kind))
        for wkt, values in rows:  # WKT, or WKB (exact coordinates)
            feature = ogr.Feature(table.GetLayerDefn())
            geometry = ogr.CreateGeometryFromWkb(wkt) if isinstance(wkt, bytes) else ogr.CreateGeometryFromWkt(wkt)
            if kind == ogr.wkbMultiPolygon:
                geometry = ogr.ForceToMultiPolygon(geometry)
            feature.SetGeometry(geometry)
            for (field, _), value in zip(fields, values):
                feature.SetField(field, value)
            table.CreateFeature(feature)

    points = rng.uniform([X0, Y0], [X0 + 20000, Y0 + 10000], size=(300, 2))
    days = rng.integers(0, 365, size=300)
    layer(
        "incidents",
        ogr.wkbPoint,
        [("value", ogr.OFTReal), ("event_date", ogr.OFTString)],
        [
            (f"POINT ({x} {y})", (float(v), str(np.datetime64("2025-01-01") + int(d))))
            for (x, y), v, d in zip(points, rng.uniform(0, 10, 300), days)
        ],
    )
    layer(
        "area",
        ogr.wkbPolygon,
        [("name", ogr.OFTString)],
        [(BOW_TIE, ("bow-tie",)), (SQUARE, ("square",))],
        variants=True,
    )
    districts = []
    for k in range(16):
        x, y = X0 + 2500 * (k % 4), Y0 + 2500 * (k // 4)
        cell = f"POLYGON (({x} {y}, {x + 2500} {y}, {x + 2500} {y + 2500}, {x} {y + 2500}, {x} {y}))"
        if k == 5:  # fid 6, an unequal bow-tie: its centroid as it is lies outside the cell
            cell = f"POLYGON (({x} {y}, {x + 2500} {y + 2500}, {x + 2500} {y + 1000}, {x} {y + 2500}, {x} {y}))"
        districts.append((cell, (float((k * 7) % 5), f"d{k + 1}")))
    layer("districts", ogr.wkbPolygon, [("events", ogr.OFTReal), ("name", ogr.OFTString)], districts, variants=True)
    tracks = [
        (f"LINESTRING ({X0} {Y0 + 1000}, {X0 + 8000} {Y0 + 1000})", ("2025-06-01",)),
        (DEGENERATE_TRACK, ("2025-06-02",)),
        (f"LINESTRING ({X0 + 12000} {Y0 + 9000}, {X0 + 19000} {Y0 + 9000})", ("2025-06-03",)),
    ]
    layer("patrols", ogr.wkbLineString, [("patrol_date", ogr.OFTString)], tracks)
    layer("patrols_valid", ogr.wkbLineString, [("patrol_date", ogr.OFTString)], [tracks[0], tracks[2]])
    village_xy = rng.uniform([X0, Y0], [X0 + 20000, Y0 + 10000], size=(40, 2))
    layer(
        "villages",
        ogr.wkbPoint,
        [("population", ogr.OFTInteger)],
        [(f"POINT ({x} {y})", (int(p),)) for (x, y), p in zip(village_xy, rng.integers(50, 5000, 40))],
    )
    layer(
        "coverage",
        ogr.wkbPolygon,
        [("kind", ogr.OFTString)],
        [(BOW_TIE, ("covered",)), (SQUARE, ("covered",))],
        variants=True,
    )
    dataset = None

    for name, level in (("before", 60.0), ("after", 15.0)):
        raster = gdal.GetDriverByName("GTiff").Create(str(folder / f"{name}.tif"), 100, 50, 1, gdal.GDT_Float32)
        raster.SetGeoTransform((X0, 200.0, 0.0, Y0 + 10000, 0.0, -200.0))
        raster.SetProjection(srs.ExportToWkt())
        values = np.full((50, 100), level, dtype=np.float32)
        values[:, :50] = 60.0  # the drought is in the eastern half only, where the bow-tie is
        raster.GetRasterBand(1).WriteArray(values)
        raster.GetRasterBand(1).SetNoDataValue(-9999)
        raster = None
    names = ["incidents", "patrols", "patrols_valid", "villages"]
    names += [
        f"{name}{variant}" for name in ("area", "districts", "coverage") for variant in ("", "_repaired", "_valid")
    ]
    sources = {name: f"{path}|layername={name}" for name in names}
    sources.update(before=str(folder / "before.tif"), after=str(folder / "after.tif"))
    return sources


_FS_IOC_GETFLAGS, _FS_IOC_SETFLAGS, _FS_IMMUTABLE_FL = 0x80086601, 0x40086602, 0x10


@contextlib.contextmanager
def unwritable(folder: Path):
    """A folder nobody may write into, root included: immutable (``chattr +i``) for root, else read-only."""
    folder.mkdir()
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield folder
        finally:
            folder.chmod(0o755)
        return
    handle = os.open(folder, os.O_RDONLY)
    try:
        flags = struct.unpack("l", fcntl.ioctl(handle, _FS_IOC_GETFLAGS, struct.pack("l", 0)))[0]
        try:
            fcntl.ioctl(handle, _FS_IOC_SETFLAGS, struct.pack("l", flags | _FS_IMMUTABLE_FL))
        except OSError as error:
            import pytest

            pytest.skip(f"this machine cannot make a folder unwritable for root ({error.strerror})")
        try:
            yield folder
        finally:
            fcntl.ioctl(handle, _FS_IOC_SETFLAGS, struct.pack("l", flags))
    finally:
        os.close(handle)


def _start_qgis():
    """QGIS headless with Processing and the ``mew`` provider, as ``make demo`` starts it."""
    from mission_early_warning.demo.run import start_qgis

    return start_qgis()


def main(spec_path: str) -> int:
    """Run a spec: ``{"setting": "GeometryNoCheck"|…, "runs": [{"id":, "algorithm":, "parameters":}]}``."""
    import time as clock

    spec = json.loads(Path(spec_path).read_text(encoding="utf-8"))
    app, _provider = _start_qgis()
    from qgis import processing
    from qgis.core import QgsProcessingContext, QgsProcessingException

    from mission_early_warning.qgis_compat import InvalidGeometryCheck

    class Recording(UserMessages):
        def setProgress(self, progress):
            super().setProgress(progress)
            block = spec.get("block")
            if block and progress >= block["at"]:
                Path(block["marker"]).write_text(str(progress), encoding="utf-8")
                clock.sleep(600)

    for run in spec["runs"]:
        for time in range(2):
            context = QgsProcessingContext()
            setting = spec.get("setting", "GeometryAbortOnInvalid").removeprefix("Geometry")
            context.setInvalidGeometryCheck(getattr(InvalidGeometryCheck, setting))
            feedback = Recording()
            context.setFeedback(feedback)
            record = {"id": run["id"], "time": time, "error": None, "outputs": {}}
            try:
                results = processing.run(run["algorithm"], run["parameters"], context=context, feedback=feedback)
                record["outputs"] = {k: v for k, v in results.items() if isinstance(v, (str, int, float))}
            except QgsProcessingException as error:
                record["error"] = str(error)
            record["log"] = feedback.log
            print("RESULT " + json.dumps(record), flush=True)
            del context, feedback
    app.exitQgis()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
