"""Whole tiles of an uncompressed tiled GeoTIFF written straight into the file GDAL created.

GDAL writes each tile of a GeoTIFF through its block cache and then through
libtiff's 64 KB append buffer: every pixel is copied twice in memory and the
kernel is called twice per 64 KB (about 15 000 calls for a 10980² float32
output), which made writing the largest part of a block-wise run on
uncompressed rasters. Here GDAL still creates the file and writes everything
but the pixels (georeferencing, nodata, tags, colour map), as an empty sparse
file (``SPARSE_OK``); :class:`TileWriter` then appends each tile from the
caller's array, without a copy, and fills in the tile offsets and byte counts
GDAL left at zero.

The writer only takes a file it fully understands: a single-band, uncompressed,
tiled TIFF of the expected size, data type and tile size, whose tile offsets
are all still zero. For anything else :meth:`TileWriter.attach` returns
``None`` and the caller writes through GDAL as before, so a GDAL release that
lays the file out differently costs speed, never correctness.
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, Literal

import numpy as np

#: TIFF tags read or written here (TIFF 6.0 and BigTIFF).
IMAGE_WIDTH, IMAGE_LENGTH, BITS_PER_SAMPLE, COMPRESSION = 256, 257, 258, 259
SAMPLES_PER_PIXEL, PLANAR_CONFIGURATION = 277, 284
TILE_WIDTH, TILE_LENGTH, TILE_OFFSETS, TILE_BYTE_COUNTS, SAMPLE_FORMAT = 322, 323, 324, 325, 339
#: struct code and size of the TIFF field types that hold the numbers read here.
_FIELD_TYPES = {1: ("B", 1), 3: ("H", 2), 4: ("I", 4), 16: ("Q", 8)}
#: TIFF SampleFormat of each numpy kind (1 unsigned, 2 signed, 3 floating point).
_SAMPLE_FORMATS = {"u": 1, "i": 2, "f": 3}
#: The byte orders of a TIFF: little-endian (``II``) or big-endian (``MM``).
ByteOrder = Literal["<", ">"]
#: Bytes per write call. Measured on Linux 6.18 (ext4, in a VM), writing a 10980² float32 output: 128 KB calls
#: cost the least (64 KB, what GDAL makes, about 5 % more CPU); from 256 KB up the kernel puts the page cache in
#: larger folios of fresh memory, slow to touch there, and whole 1 MB tiles took up to 1.6 times as long.
WRITE_BYTES = 128 * 1024
#: Tiles start on a page boundary, so the kernel copies each without a partial page at either end.
_ALIGNMENT = 4096


@dataclass(frozen=True)
class _Field:
    """One directory entry: where its values lie in the file, as what, and how many."""

    code: str
    size: int
    count: int
    at: int


def _directory(fd: int) -> tuple[ByteOrder, dict[int, _Field]] | None:
    """(byte order, entries of the first directory), or ``None`` for what is not a TIFF (or BigTIFF)."""
    header = os.pread(fd, 16, 0)
    if header[:2] not in (b"II", b"MM"):
        return None
    order: ByteOrder = "<" if header[:2] == b"II" else ">"
    (magic,) = struct.unpack(order + "H", header[2:4])
    if magic not in (42, 43):
        return None
    big = magic == 43
    word, word_size = ("Q", 8) if big else ("I", 4)
    (first,) = struct.unpack(order + word, header[8:16] if big else header[4:8])
    count_code, count_size = ("Q", 8) if big else ("H", 2)
    (entries,) = struct.unpack(order + count_code, os.pread(fd, count_size, first))
    entry_size = 20 if big else 12
    table = os.pread(fd, entries * entry_size, first + count_size)
    fields = {}
    for number in range(entries):
        entry = table[number * entry_size : (number + 1) * entry_size]
        tag, kind = struct.unpack(order + "HH", entry[:4])
        if kind not in _FIELD_TYPES:
            continue
        (count,) = struct.unpack(order + word, entry[4 : 4 + word_size])
        code, size = _FIELD_TYPES[kind]
        value_at = first + count_size + number * entry_size + 4 + word_size
        if count * size > word_size:  # the values lie elsewhere; the entry holds their offset
            (value_at,) = struct.unpack(order + word, entry[4 + word_size : 4 + 2 * word_size])
        fields[tag] = _Field(code, size, count, value_at)
    return order, fields


def _values(fd: int, order: ByteOrder, field: _Field) -> tuple[int, ...]:
    return struct.unpack(f"{order}{field.count}{field.code}", os.pread(fd, field.count * field.size, field.at))


def whole_tile(shape: tuple[int, int], tile: int, rows: tuple[float, float], cols: tuple[float, float]) -> bool:
    """True when the window of ``rows`` and ``cols`` (each ``(start, stop)``) of a raster of ``shape`` is exactly
    one of its tiles (a part tile at the right and bottom edges)."""
    (top, bottom), (left, right) = rows, cols
    return (
        top % tile == 0
        and left % tile == 0
        and (bottom, right) == (min(top + tile, shape[0]), min(left + tile, shape[1]))
    )


class TileWriter:
    """Appends whole tiles to an empty tiled GeoTIFF (see the module's description); a context manager.

    Tiles may come in any order, each once. On leaving the ``with`` block
    without an error the tile offsets and byte counts are written and the
    file is complete; with an error the file is left incomplete, for the
    caller to remove.
    """

    def __init__(
        self, fd: int, order: ByteOrder, fields: dict[int, _Field], shape: tuple[int, int], tile: int, dtype: Any
    ):
        self._fd = fd
        self._order = order
        self._offsets_field = fields[TILE_OFFSETS]
        self._counts_field = fields[TILE_BYTE_COUNTS]
        self._tile = tile
        self._dtype = np.dtype(dtype).newbyteorder(order)
        self._tile_bytes = tile * tile * self._dtype.itemsize
        self._tiles_across = -(-shape[1] // tile)
        self._offsets = np.zeros(self._offsets_field.count, dtype=np.uint64)
        self._end = -(-os.fstat(fd).st_size // _ALIGNMENT) * _ALIGNMENT
        self._edge = np.zeros((tile, tile), dtype=self._dtype)  # GDAL pads edge tiles with zeros too

    @classmethod
    def attach(cls, path: str | os.PathLike[str], shape: tuple[int, int], tile: int, dtype: Any) -> TileWriter | None:
        """A writer for the empty GeoTIFF at ``path`` (``shape`` rows × columns, square ``tile``, ``dtype``), or
        ``None`` when the file is not laid out as this writer expects or the system has no positioned writes."""
        if not hasattr(os, "pwrite"):  # Windows: GDAL writes the tiles
            return None
        fd = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0))
        try:
            writer = cls._checked(fd, shape, tile, np.dtype(dtype))
        except (OSError, struct.error):
            writer = None
        if writer is None:
            os.close(fd)
        return writer

    @classmethod
    def _checked(cls, fd: int, shape: tuple[int, int], tile: int, dtype: np.dtype) -> TileWriter | None:
        found = _directory(fd)
        if found is None:
            return None
        order, fields = found
        if dtype.kind not in _SAMPLE_FORMATS or not {TILE_OFFSETS, TILE_BYTE_COUNTS} <= fields.keys():
            return None

        def first(tag: int, default: int | None = None) -> int | None:
            field = fields.get(tag)
            return _values(fd, order, field)[0] if field is not None and field.count >= 1 else default

        tiles = -(-shape[0] // tile) * -(-shape[1] // tile)
        expected = {
            IMAGE_WIDTH: shape[1],
            IMAGE_LENGTH: shape[0],
            TILE_WIDTH: tile,
            TILE_LENGTH: tile,
            BITS_PER_SAMPLE: 8 * dtype.itemsize,
            COMPRESSION: 1,
            SAMPLES_PER_PIXEL: 1,
            PLANAR_CONFIGURATION: 1,
            SAMPLE_FORMAT: _SAMPLE_FORMATS[dtype.kind],
        }
        defaults = {COMPRESSION: 1, SAMPLES_PER_PIXEL: 1, PLANAR_CONFIGURATION: 1, SAMPLE_FORMAT: 1}
        if any(first(tag, defaults.get(tag)) != value for tag, value in expected.items()):
            return None
        offsets, counts = fields[TILE_OFFSETS], fields[TILE_BYTE_COUNTS]
        if offsets.count != tiles or counts.count != tiles or offsets.code not in "IQ" or counts.code not in "IQ":
            return None
        if any(_values(fd, order, offsets)) or any(_values(fd, order, counts)):
            return None  # not the empty file GDAL creates with SPARSE_OK
        largest = min(256**offsets.size, 256**counts.size) - 1
        tile_bytes = tile * tile * dtype.itemsize
        if os.fstat(fd).st_size + _ALIGNMENT + tiles * tile_bytes > largest:
            return None
        return cls(fd, order, fields, shape, tile, dtype)

    def write(self, values: np.ndarray, row: int, col: int) -> None:
        """Write the tile whose top-left pixel is at ``row``, ``col``: ``values`` holds its pixels inside the
        raster (a part tile at the right and bottom edges)."""
        index = (row // self._tile) * self._tiles_across + col // self._tile
        if values.shape == (self._tile, self._tile):
            data = np.ascontiguousarray(values, dtype=self._dtype)
        else:
            data = self._edge
            data[...] = 0
            data[: values.shape[0], : values.shape[1]] = values
        offset = int(self._offsets[index]) or self._end
        if offset == self._end:
            self._end += self._tile_bytes
        view = data.data.cast("B")
        written = 0
        while written < len(view):
            written += os.pwrite(self._fd, view[written : written + WRITE_BYTES], offset + written)
        self._offsets[index] = offset

    def __enter__(self) -> TileWriter:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        try:
            if kind is None:
                self._write_index()
        finally:
            os.close(self._fd)

    def _write_index(self) -> None:
        counts = np.where(self._offsets > 0, self._tile_bytes, 0)
        for field, numbers in ((self._offsets_field, self._offsets), (self._counts_field, counts)):
            os.pwrite(self._fd, numbers.astype(f"{self._order}{field.code}").tobytes(), field.at)


def tiles_of(path: str | os.PathLike[str]) -> list[tuple[int, int]]:
    """(offset, byte count) of every tile of a tiled TIFF, in the order of its directory (for checks)."""
    fd = os.open(Path(path), os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        found = _directory(fd)
        if found is None:
            return []
        order, fields = found
        if TILE_OFFSETS not in fields:
            return []
        return list(zip(_values(fd, order, fields[TILE_OFFSETS]), _values(fd, order, fields[TILE_BYTE_COUNTS])))
    finally:
        os.close(fd)
