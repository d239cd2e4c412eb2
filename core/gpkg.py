"""Writing large point and polygon layers to GeoPackage fast: rows and a packed R-tree in bulk.

Feature-by-feature writing through OGR (or a QGIS feature sink) costs about
15 µs a feature, and the R-tree GDAL or SQLite builds one insert at a time
about 10 µs more. Here OGR creates the file, the layer, its metadata, R-tree
and triggers; the rows go in with one SQLite ``executemany``; the R-tree is
bulk-loaded (Sort-Tile-Recursive) straight into its shadow tables and checked
with SQLite's ``rtreecheck`` (with a fall-back to ordinary inserts). GDAL's own
triggers are set aside meanwhile and put back, so the file behaves exactly as
one GDAL wrote: edits keep the index up to date.

For small tables edited in place (the early-warning register) it also gives
single geometry blobs, a read-only connection, one write transaction per edit,
a new empty GeoPackage and the ``gpkg_spatial_ref_sys`` row of a CRS.
"""

from __future__ import annotations

import contextlib
import math
import sqlite3
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Sequence, cast

import numpy as np

from .errors import MewError
from .io import atomic_path

#: OGR field type and subtype of the column kinds this writer takes.
FIELD_TYPES = {
    "int": ("OFTInteger", None),
    "int64": ("OFTInteger64", None),
    "real": ("OFTReal", None),
    "text": ("OFTString", None),
    "date": ("OFTDate", None),
    "bool": ("OFTInteger", "OFSTBoolean"),
}


@dataclass
class Geometries:
    """GeoPackage geometry blobs (``None`` for a NULL geometry), their envelopes and the layer's extent."""

    blobs: Sequence[bytes | None]
    envelopes: np.ndarray  # (n, 4) minx, maxx, miny, maxy; rows of NULL geometries are ignored
    present: np.ndarray  # (n,) bool: the row has a geometry
    extent: tuple[float, float, float, float]  # xmin, ymin, xmax, ymax


def write_polygons(
    path: str | Path,
    crs_wkt: str,
    fields: Sequence[tuple[str, str]],
    rings: np.ndarray,
    columns: Sequence[Sequence],
) -> None:
    """Write single-ring polygons (n, k, 2 closed rings) and their columns to a new GeoPackage, atomically.

    ``fields`` are (name, kind) with kind in ``FIELD_TYPES``; ``columns`` the
    values, one sequence per field. The layer is named after the file.
    """
    _write_layer(path, crs_wkt, "wkbPolygon", fields, columns, lambda srs_id: polygon_blobs(rings, srs_id))


def write_points(
    path: str | Path,
    crs_wkt: str,
    fields: Sequence[tuple[str, str]],
    xy: np.ndarray,
    columns: Sequence[Sequence],
    fids: np.ndarray | None = None,
) -> None:
    """Write 2-D points ((n, 2); a NaN row is a feature without geometry) and their columns, atomically.

    Column values are plain Python values (``None`` for NULL; ``datetime.date``
    for "date" fields, ``bool`` for "bool" fields). ``fids``: the feature ids
    (unique integers; default 1..n). The layer is named after the file.
    """
    _write_layer(path, crs_wkt, "wkbPoint", fields, columns, lambda srs_id: point_blobs(xy, srs_id), fids)


def _write_layer(path, crs_wkt: str, geometry_type: str, fields, columns, make_geometries, fids=None) -> None:
    from osgeo import ogr, osr

    reference = osr.SpatialReference()
    reference.ImportFromWkt(crs_wkt)
    reference.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    name = Path(path).stem
    with atomic_path(path) as temporary:
        dataset = ogr.GetDriverByName("GPKG").CreateDataSource(str(temporary))
        layer = dataset.CreateLayer(name, reference, getattr(ogr, geometry_type), ["FID=fid", "GEOMETRY_NAME=geom"])
        for field_name, kind in fields:
            field_type, subtype = FIELD_TYPES[kind]
            definition = ogr.FieldDefn(field_name, getattr(ogr, field_type))
            if subtype:
                definition.SetSubType(getattr(ogr, subtype))
            layer.CreateField(definition)
        dataset = layer = None  # closing creates the (empty) R-tree index and its triggers
        rtree = f"rtree_{name}_geom"
        connection = sqlite3.connect(str(temporary))
        try:
            tables = {row[0].lower() for row in connection.execute("SELECT name FROM sqlite_master")}
            index = rtree if rtree.lower() in tables else None
            srs_id = connection.execute(
                "SELECT srs_id FROM gpkg_geometry_columns WHERE lower(table_name) = lower(?)", (name,)
            ).fetchone()[0]
            values = [_sqlite_values(column, kind) for column, (_, kind) in zip(columns, fields)]
            packed = _fill(connection, name, fields, make_geometries(srs_id), values, index, tables, fids)
            connection.commit()
        finally:
            connection.close()
        if packed is not None:
            _check_or_reindex(temporary, rtree, *packed)
        if rtree.lower() not in tables:  # a GDAL that defers the index until features exist
            dataset = ogr.Open(str(temporary), update=1)
            dataset.ExecuteSQL(f"SELECT CreateSpatialIndex('{name}', 'geom')")
            dataset = None


def _sqlite_values(column: Sequence, kind: str) -> Sequence:
    """Values as GDAL stores them in a GeoPackage: dates as ISO text, booleans as 0/1."""
    if kind == "date":
        return [None if v is None else v.isoformat()[:10] for v in column]
    if kind == "bool":
        return [None if v is None else int(bool(v)) for v in column]
    return column


def _fill(
    connection,
    name,
    fields,
    geometries: Geometries,
    columns,
    rtree: str | None,
    tables: set[str],
    fids: np.ndarray | None = None,
):
    """Rows, packed R-tree, triggers and metadata; returns (ids, boxes, node size) of the packed R-tree."""
    # The file is a temporary until moved into place: no need for a journal on disk.
    connection.execute("PRAGMA journal_mode = MEMORY")
    connection.execute("PRAGMA synchronous = OFF")
    # GDAL's triggers (R-tree upkeep with GDAL's own SQL functions, unknown to plain SQLite, and a
    # per-row feature count) are set aside while the table is filled, then put back as they were.
    triggers = connection.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND lower(tbl_name) = lower(?)", (name,)
    ).fetchall()
    for trigger, _ in triggers:
        connection.execute(f'DROP TRIGGER "{trigger}"')
    names = "".join(f', "{field_name}"' for field_name, _ in fields)
    marks = ", ".join("?" * (len(columns) + 2))
    count = len(geometries.blobs)
    fids = np.arange(1, count + 1) if fids is None else np.asarray(fids, dtype=np.int64)
    connection.executemany(
        f'INSERT INTO "{name}" (fid, geom{names}) VALUES ({marks})', zip(fids.tolist(), geometries.blobs, *columns)
    )
    packed = None
    present = geometries.present
    if rtree is not None and present.any():
        indexed, boxes = fids[present], geometries.envelopes[present]
        packed = (indexed, boxes, load_rtree(connection, rtree, indexed, boxes))
    for _, sql in triggers:
        connection.execute(sql)
    if "gpkg_ogr_contents" in tables:
        connection.execute(
            "UPDATE gpkg_ogr_contents SET feature_count = ? WHERE lower(table_name) = lower(?)", (count, name)
        )
    if present.any():
        connection.execute(
            "UPDATE gpkg_contents SET min_x = ?, min_y = ?, max_x = ?, max_y = ? WHERE lower(table_name) = lower(?)",
            (*geometries.extent, name),
        )
    return packed


def _extent(envelopes: np.ndarray) -> tuple[float, float, float, float]:
    if envelopes.shape[0] == 0:
        return (0.0, 0.0, 0.0, 0.0)
    return (float(envelopes[:, 0].min()), float(envelopes[:, 2].min()), float(envelopes[:, 1].max()),
            float(envelopes[:, 3].max()))  # fmt: skip


def polygon_blobs(rings: np.ndarray, srs_id: int) -> Geometries:
    """GeoPackage geometry blobs (header with envelope + polygon WKB) of (n, k, 2) closed rings."""
    n = rings.shape[0]
    if n == 0:
        return Geometries([], np.zeros((0, 4)), np.zeros(0, bool), _extent(np.zeros((0, 4))))
    envelope = np.stack(
        [rings[:, :, 0].min(1), rings[:, :, 0].max(1), rings[:, :, 1].min(1), rings[:, :, 1].max(1)], axis=1
    )
    header = b"GP\x00\x03" + struct.pack("<i", srs_id)  # version 0, little-endian, xy envelope
    wkb = polygon_wkb_array(rings)
    blob = np.empty((n, 8 + 32 + wkb.shape[1]), dtype=np.uint8)
    blob[:, :8] = np.frombuffer(header, dtype=np.uint8)
    blob[:, 8:40] = np.ascontiguousarray(envelope, dtype="<f8").view(np.uint8).reshape(n, 32)
    blob[:, 40:] = wkb
    return Geometries(as_bytes(blob), envelope, np.ones(n, bool), _extent(envelope))


def point_blobs(xy: np.ndarray, srs_id: int) -> Geometries:
    """GeoPackage geometry blobs of 2-D points (no envelope, as GDAL writes points); NaN rows are NULL."""
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    n = xy.shape[0]
    present = np.isfinite(xy).all(axis=1)
    header = b"GP\x00\x01" + struct.pack("<i", srs_id)  # version 0, little-endian, no envelope
    point = struct.pack("<BI", 1, 1)  # little-endian WKB point
    blob = np.empty((n, 8 + 5 + 16), dtype=np.uint8)
    blob[:, :8] = np.frombuffer(header, dtype=np.uint8)
    blob[:, 8:13] = np.frombuffer(point, dtype=np.uint8)
    blob[:, 13:] = np.ascontiguousarray(xy, dtype="<f8").view(np.uint8).reshape(n, 16)
    # A list of our own, so widening its items to admit NULL geometries is safe.
    blobs = cast("list[bytes | None]", as_bytes(blob)) if n else []
    if not present.all():
        for row in np.flatnonzero(~present):
            blobs[int(row)] = None
    envelope = np.column_stack((xy[:, 0], xy[:, 0], xy[:, 1], xy[:, 1]))
    return Geometries(blobs, envelope, present, _extent(envelope[present]))


def polygon_wkb_array(rings: np.ndarray) -> np.ndarray:
    """Little-endian WKB of single-ring polygons from (n, k, 2) closed rings, one row of bytes each."""
    n, k, _ = rings.shape
    header = struct.pack("<BIII", 1, 3, 1, k)  # little-endian, polygon, one ring of k points
    wkb = np.empty((n, len(header) + 16 * k), dtype=np.uint8)
    wkb[:, : len(header)] = np.frombuffer(header, dtype=np.uint8)
    wkb[:, len(header) :] = np.ascontiguousarray(rings, dtype="<f8").reshape(n, 2 * k).view(np.uint8)
    return wkb


def as_bytes(rows: np.ndarray) -> list[bytes]:
    """Each row of a uint8 array as a bytes object, in one call."""
    return rows.view(f"V{rows.shape[1]}").ravel().tolist()


def load_rtree(connection: sqlite3.Connection, rtree: str, ids: np.ndarray, boxes: np.ndarray) -> int:
    """Write a packed R-tree of ``boxes`` (minx, maxx, miny, maxy) into an empty R-tree's shadow tables.

    Returns the node size. The caller checks the tree on a new connection (:func:`_check_or_reindex`).
    """
    node_size = connection.execute(f'SELECT length(data) FROM "{rtree}_node" WHERE nodeno = 1').fetchone()[0]
    nodes, parents, rowids = packed_rtree(ids, boxes, node_size)
    for table in ("node", "parent", "rowid"):
        connection.execute(f'DELETE FROM "{rtree}_{table}"')
    connection.executemany(f'INSERT INTO "{rtree}_node" VALUES (?, ?)', nodes)
    connection.executemany(f'INSERT INTO "{rtree}_parent" VALUES (?, ?)', parents)
    connection.executemany(f'INSERT INTO "{rtree}_rowid" (rowid, nodeno) VALUES (?, ?)', rowids)
    return node_size


def _check_or_reindex(path: Path, rtree: str, ids: np.ndarray, boxes: np.ndarray, node_size: int) -> None:
    """SQLite's ``rtreecheck`` on the packed tree; if it fails, empty the tree and insert entry by entry."""
    connection = sqlite3.connect(str(path))
    try:
        try:
            ok = connection.execute("SELECT rtreecheck(?)", (rtree,)).fetchone()[0] == "ok"
        except sqlite3.Error:
            ok = False
        if not ok:
            for table in ("node", "parent", "rowid"):
                connection.execute(f'DELETE FROM "{rtree}_{table}"')
            connection.execute(f'INSERT INTO "{rtree}_node" VALUES (1, ?)', (bytes(node_size),))
            connection.commit()
    finally:
        connection.close()
    if ok:
        return
    connection = sqlite3.connect(str(path))  # a new connection: the R-tree module must not see the old nodes
    try:
        connection.executemany(
            f'INSERT INTO "{rtree}" VALUES (?, ?, ?, ?, ?)', zip(ids.tolist(), *(b.tolist() for b in boxes.T))
        )
        connection.commit()
    finally:
        connection.close()


def _round_outwards(low: np.ndarray, high: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """float32 bounds that contain the float64 ones (as SQLite's R-tree stores them)."""
    low32 = low.astype(np.float32)
    below = low32.astype(np.float64) > low
    low32[below] = np.nextafter(low32[below], np.float32(-np.inf))
    high32 = high.astype(np.float32)
    above = high32.astype(np.float64) < high
    high32[above] = np.nextafter(high32[above], np.float32(np.inf))
    return low32, high32


def _sort_tile(boxes: np.ndarray, capacity: int) -> list[np.ndarray]:
    """Sort-Tile-Recursive grouping of boxes (minx, maxx, miny, maxy) into runs of at most ``capacity``."""
    n = len(boxes)
    slices = math.ceil(math.sqrt(math.ceil(n / capacity)))
    cx = (boxes[:, 0] + boxes[:, 1]) / 2.0
    cy = (boxes[:, 2] + boxes[:, 3]) / 2.0
    by_x = np.argsort(cx, kind="stable")
    per_slice = slices * capacity
    groups: list[np.ndarray] = []
    for start in range(0, n, per_slice):
        part = by_x[start : start + per_slice]
        part = part[np.argsort(cy[part], kind="stable")]
        groups.extend(part[k : k + capacity] for k in range(0, len(part), capacity))
    return groups


def packed_rtree(
    ids: np.ndarray, boxes: np.ndarray, node_size: int
) -> tuple[list[tuple[int, bytes]], list[tuple[int, int]], list[tuple[int, int]]]:
    """Rows of the ``_node``, ``_parent`` and ``_rowid`` shadow tables of a 2-D SQLite R-tree.

    Node format (sqlite3 rtree.c): 2-byte depth (root only), 2-byte cell count,
    cells of an 8-byte id and four 4-byte floats, all big-endian, zero-padded
    to the node size; the root is node 1.
    """
    capacity = (node_size - 4) // 24
    low_x, high_x = _round_outwards(boxes[:, 0], boxes[:, 1])
    low_y, high_y = _round_outwards(boxes[:, 2], boxes[:, 3])
    entries = np.column_stack([low_x, high_x, low_y, high_y]).astype(np.float64)
    levels = []
    while True:
        groups = _sort_tile(entries, capacity) if len(entries) > capacity else [np.arange(len(entries))]
        levels.append((groups, entries))
        if len(groups) == 1:
            break
        entries = np.array(
            [[entries[g, 0].min(), entries[g, 1].max(), entries[g, 2].min(), entries[g, 3].max()] for g in groups]
        )
    numbers, first = [], 1  # root = 1, then level by level downwards
    for groups, _ in reversed(levels):
        numbers.append(np.arange(first, first + len(groups)))
        first += len(groups)
    numbers.reverse()
    depth = len(levels) - 1
    cell = np.dtype([("id", ">i8"), ("box", ">f4", 4)])
    nodes: list[tuple[int, bytes]] = []
    parents: list[tuple[int, int]] = []
    rowids: list[tuple[int, int]] = []
    for level, (groups, level_entries) in enumerate(levels):
        child_ids = np.asarray(ids, dtype=np.int64) if level == 0 else numbers[level - 1]
        for k, group in enumerate(groups):
            nodeno = int(numbers[level][k])
            cells = np.zeros(len(group), dtype=cell)
            cells["id"] = child_ids[group]
            cells["box"] = level_entries[group].astype(np.float32)
            blob = np.array([depth if nodeno == 1 else 0, len(group)], dtype=">u2").tobytes() + cells.tobytes()
            nodes.append((nodeno, blob + bytes(node_size - len(blob))))
            pairs = zip(child_ids[group].tolist(), [nodeno] * len(group))
            (rowids if level == 0 else parents).extend(pairs)
    return nodes, parents, rowids


# --- single geometries and transactions, for tables edited in place ---------------------------------

#: Envelope sizes (bytes) by the envelope code of a GeoPackage geometry header.
_ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}


def geometry_blob(wkb: bytes, bounds: tuple[float, float, float, float], srs_id: int) -> bytes:
    """A GeoPackage geometry blob: header with the xy envelope of ``bounds`` (minx, miny, maxx, maxy) + ``wkb``."""
    min_x, min_y, max_x, max_y = bounds
    return b"GP\x00\x03" + struct.pack("<i4d", srs_id, min_x, max_x, min_y, max_y) + bytes(wkb)


def wkb_of_blob(blob: bytes) -> bytes:
    """The WKB inside a GeoPackage geometry blob; ValueError when ``blob`` is not one."""
    if len(blob) < 8 or blob[:2] != b"GP":
        raise ValueError("not a GeoPackage geometry")
    envelope = (blob[3] >> 1) & 0b111
    if envelope not in _ENVELOPE_BYTES:
        raise ValueError(f"unknown envelope code {envelope}")
    return bytes(blob[8 + _ENVELOPE_BYTES[envelope] :])


@contextlib.contextmanager
def write_transaction(path: str | Path) -> Iterator[sqlite3.Connection]:
    """A connection to an existing GeoPackage inside one write transaction: committed whole when the block
    ends, rolled back whole when it raises, so a reader never sees half of what it wrote."""
    connection = sqlite3.connect(str(path), timeout=10.0, isolation_level=None)
    try:
        connection.execute("BEGIN IMMEDIATE")  # takes the write lock now, not half-way through
        try:
            yield connection
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")
    finally:
        connection.close()


class read_only:  # noqa: N801 - used as a function: `with read_only(path) as connection`
    """A read-only connection to a GeoPackage, closed on leaving the block."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def __enter__(self) -> sqlite3.Connection:
        try:
            self.connection = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True, timeout=10.0)
            self.connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.Error as error:
            raise MewError(
                "'{path}' cannot be read as a GeoPackage ({error}). Check the file.", path=self.path, error=error
            ) from error
        return self.connection

    def __exit__(self, *_exc: object) -> None:
        self.connection.close()


def new_geopackage(path: Path) -> None:
    """An empty GeoPackage at ``path``, written whole or not at all."""
    from osgeo import ogr

    with atomic_path(path) as temporary:
        dataset = ogr.GetDriverByName("GPKG").CreateDataSource(str(temporary))
        if dataset is None:
            raise MewError("Cannot create the GeoPackage '{path}': check that the folder is writable.", path=path)
        dataset = None


def srs_id_of(connection: sqlite3.Connection, crs: str) -> int:
    """The ``gpkg_spatial_ref_sys`` id of ``crs``, added to the table when the file lacks it."""
    from pyproj import CRS
    from pyproj.exceptions import CRSError

    try:
        parsed = CRS.from_user_input(crs)
    except CRSError as error:
        raise MewError("The mission CRS '{crs}' is not a CRS: correct \"crs\" in the manifest.", crs=crs) from error
    authority = parsed.to_authority()
    if authority is not None:
        row = connection.execute(
            "SELECT srs_id FROM gpkg_spatial_ref_sys WHERE upper(organization) = ? AND organization_coordsys_id = ?",
            (authority[0].upper(), int(authority[1]) if authority[1].isdigit() else -1),
        ).fetchone()
        if row is not None:
            return int(row[0])
    taken = {int(row[0]) for row in connection.execute("SELECT srs_id FROM gpkg_spatial_ref_sys")}
    code = int(authority[1]) if authority is not None and authority[1].isdigit() else None
    srs_id = code if code is not None and code not in taken else max(taken | {100000}) + 1
    connection.execute(
        "INSERT INTO gpkg_spatial_ref_sys (srs_name, srs_id, organization, organization_coordsys_id, definition) "
        "VALUES (?, ?, ?, ?, ?)",
        (parsed.name, srs_id, authority[0] if authority else "NONE", code if code is not None else srs_id,
         parsed.to_wkt("WKT1_GDAL")),
    )  # fmt: skip
    return srs_id
