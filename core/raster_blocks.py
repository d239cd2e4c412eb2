"""Block-wise raster processing with bounded memory on all cores.

Rasters of any size are read, computed and written one window at a time. The
windows follow the output's internal tiles, so each write fills whole tiles
and memory depends on the window size, never on the raster size. With
compressed inputs or outputs, windows are computed on a thread pool (GDAL
releases the GIL while it reads and decompresses, numpy while it computes) and
GDAL compresses the output on all cores; uncompressed work is computed on one
thread, where a second one only fought over GDAL's block-cache lock (see
:func:`default_workers`). Writes happen in window order on the calling thread;
uncompressed tiles go straight into the file (:mod:`.geotiff_tiles`), and with
a second core the one worker then runs beside the writes, not between them.
"All cores" is :func:`.parallel.worker_count`: the ``MEW_WORKERS`` setting
when given (1 keeps all the work on the calling thread), else the cores.

The GDAL block cache is bounded deliberately (:data:`CACHE_MB`): with GDAL's
default (5 % of RAM) raster work here spent most of its time in the kernel
managing the cache and peaked above 1 GB.

Inputs on another CRS, resolution or extent are aligned onto the reference
:class:`Grid` through a ``WarpedVRT`` with a stated resampling.
"""

from __future__ import annotations

import json
import os
import queue
import threading
from collections import deque
from concurrent.futures import Future
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence, TypeVar

import numpy as np
import rasterio
from affine import Affine
from rasterio.crs import CRS
from rasterio.enums import Resampling
from rasterio.vrt import WarpedVRT
from rasterio.windows import Window

from .errors import MewError
from .geotiff_tiles import TileWriter, whole_tile
from .io import atomic_path
from .messages import message
from .parallel import worker_count
from .progress import SILENT, Progress

#: GDAL block cache in MB. Bounded on purpose; see the module docstring.
CACHE_MB = 64
#: Output tile size in pixels (square).
TILE = 512
#: Approximate bytes a window may hold per input band before it is split.
WINDOW_BYTES = 4 * TILE * TILE

RESAMPLING_NAMES = ("nearest", "bilinear", "cubic", "average", "mode", "min", "max", "sum")

T = TypeVar("T")


def default_workers(sources: Iterable[str], compress: str | None) -> int:
    """Threads worth using: all cores when inputs or outputs are compressed, else one.

    Measured on GDAL 3.6 (2 cores, shared): with uncompressed GeoTIFFs the
    work is memory copies through GDAL's block cache (one global lock), and a
    second reader thread gained nothing dependable: on a 6000² pair one thread
    took a steady 1.2× the read + write floor, two threads from 1.0× to 1.6×
    depending on other load; a 20-date VCI ran the same with one or two. With
    DEFLATE, decompression in two threads and GDAL's threaded compression make
    the work about twice as fast (1.6–2.0× single-threaded gdal_calc.py).
    """
    if compress or any(compression_of(path) for path in dict.fromkeys(sources)):
        return worker_count()
    return 1


@contextmanager
def gdal_env(**options: Any) -> Iterator[None]:
    """GDAL settings for block work: a bounded block cache.

    ``GDAL_NUM_THREADS`` is deliberately not set for reading: GDAL 3.6's
    multi-threaded TIFF decoding crashes on multiband band-interleaved files
    ("Bad value … for ExtraSamples", then a segfault). Reads are parallel
    through our own thread pool instead; writes compress on all cores through
    the ``NUM_THREADS`` creation option.
    """
    settings: dict[str, Any] = {"GDAL_CACHEMAX": CACHE_MB}
    settings.update(options)
    with rasterio.Env(**settings):
        yield


@dataclass(frozen=True)
class Grid:
    """The pixel grid outputs are written on."""

    crs: CRS | None
    transform: Affine
    width: int
    height: int

    @classmethod
    def of(cls, path: str | os.PathLike[str], what: str = "raster") -> Grid:
        """The grid of the raster at ``path`` (the ``what`` of messages); a raster without a CRS is refused."""
        with rasterio.open(path) as dataset:
            refuse_without_crs(dataset, path, what)
            return cls(dataset.crs, dataset.transform, dataset.width, dataset.height)

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        left, top = self.transform * (0, 0)
        right, bottom = self.transform * (self.width, self.height)
        return min(left, right), min(top, bottom), max(left, right), max(top, bottom)

    @property
    def pixel_area(self) -> float:
        """Area of one pixel in squared CRS units."""
        return abs(self.transform.a * self.transform.e - self.transform.b * self.transform.d)

    def window_transform(self, window: Window) -> Affine:
        return rasterio.windows.transform(window, self.transform)

    def matches(self, dataset: Any) -> bool:
        """True when ``dataset`` lies on exactly this grid."""
        if (dataset.width, dataset.height) != (self.width, self.height):
            return False
        if (dataset.crs or None) != (self.crs or None):
            return False
        tolerance = 1e-6 * max(abs(self.transform.a), abs(self.transform.e))
        return all(abs(a - b) <= tolerance for a, b in zip(dataset.transform[:6], self.transform[:6]))


def windows_for(grid: Grid, sources: Sequence[str] = ()) -> list[Window]:
    """Windows that cover ``grid``, row by row, in whole output tiles where the inputs allow.

    Normally a window is one :data:`TILE` square: the tile is the unit of
    writing and bounds memory at about 1 MB per band read per window in
    flight. When a source on the grid is striped (GDAL's default GeoTIFF
    layout: one block per row or few rows), square windows would make GDAL
    read each full-width strip once per window column, and with many bands
    the bounded cache could not keep the strips: windows then are full-width
    strips, about :data:`WINDOW_BYTES` per band high.
    """
    if _striped(grid, sources):
        rows = max(8, min(TILE, WINDOW_BYTES // max(4 * grid.width, 1)))
        return [Window(0, row, grid.width, min(rows, grid.height - row)) for row in range(0, grid.height, rows)]
    windows = []
    for row in range(0, grid.height, TILE):
        for col in range(0, grid.width, TILE):
            windows.append(Window(col, row, min(TILE, grid.width - col), min(TILE, grid.height - row)))
    return windows


def _striped(grid: Grid, sources: Sequence[str]) -> bool:
    for path in dict.fromkeys(sources):
        with rasterio.open(path) as dataset:
            if not grid.matches(dataset):
                continue
            block_height, block_width = dataset.block_shapes[0]
            if block_width >= dataset.width and block_height < TILE and dataset.width > TILE:
                return True
    return False


@dataclass(frozen=True)
class BandRef:
    """One band of one file (band numbers start at 1, as in GDAL)."""

    path: str
    band: int

    @property
    def label(self) -> str:
        return message("band {band} of '{path}'", band=self.band, path=self.path)


class AlignedReader:
    """Reads bands of files as windows of one grid, with one handle per thread.

    A rasterio dataset must not be shared between threads, so each worker
    opens its own handles (and ``WarpedVRT`` where a file is not on the grid).
    Invalid pixels come back as NaN: the band's nodata, NaN, pixels outside
    the file's coverage, and, when given, values outside ``valid_range``.
    """

    def __init__(
        self, grid: Grid, resampling: Mapping[str, Resampling] | None = None, default: Resampling = Resampling.bilinear
    ) -> None:
        self.grid = grid
        self.resampling = dict(resampling or {})
        self.default = default
        self._local = threading.local()
        self._lock = threading.Lock()
        self._stacks: list[ExitStack] = []

    def _handles(self) -> dict[str, tuple[Any, bool]]:
        handles = getattr(self._local, "handles", None)
        if handles is None:
            handles = {}
            self._local.handles = handles
            self._local.stack = ExitStack()
            # rasterio ties each dataset to the GDAL environment of the thread that opened it, and
            # closing it elsewhere fails (rasterio >= 1.4) or tears down that thread's environment:
            # every thread holds its own environment and closes its own handles (release_thread).
            self._local.stack.enter_context(gdal_env())
            with self._lock:
                self._stacks.append(self._local.stack)
        return handles

    def dataset(self, path: str) -> tuple[Any, bool]:
        """(dataset on the grid, whether a coverage alpha band was added) for this thread."""
        handles = self._handles()
        if path not in handles:
            stack: ExitStack = self._local.stack
            source = stack.enter_context(rasterio.open(path))
            if self.grid.matches(source):
                handles[path] = (source, False)
            else:
                add_alpha = source.nodata is None
                vrt = stack.enter_context(
                    WarpedVRT(
                        source,
                        crs=self.grid.crs,
                        transform=self.grid.transform,
                        width=self.grid.width,
                        height=self.grid.height,
                        resampling=self.resampling.get(path, self.default),
                        add_alpha=add_alpha,
                    )
                )
                handles[path] = (vrt, add_alpha)
        return handles[path]

    def read(
        self,
        ref: BandRef,
        window: Window,
        scale: float = 1.0,
        offset: float = 0.0,
        valid_range: tuple[float | None, float | None] = (None, None),
        out: np.ndarray | None = None,
    ) -> np.ndarray:
        """The window of ``ref`` as float32, scaled, with NaN where invalid (into ``out`` when given)."""
        values, invalid = self.read_masked(ref, window, scale, offset, out)
        if invalid is not None:
            values[invalid] = np.nan
        low, high = valid_range
        if low is not None:
            values[values < low] = np.nan
        if high is not None:
            values[values > high] = np.nan
        return values

    def read_masked(
        self, ref: BandRef, window: Window, scale: float = 1.0, offset: float = 0.0, out: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray | None]:
        """(float32 scaled values, mask of nodata/uncovered pixels or ``None``); NaN values are left as they are."""
        dataset, has_alpha = self.dataset(ref.path)
        if out is not None and dataset.dtypes[ref.band - 1] == "float32":
            raw = values = dataset.read(ref.band, window=window, out=out)
        else:
            raw = dataset.read(ref.band, window=window)
            values = raw.astype(np.float32, copy=False)
            if out is not None:
                out[...] = values
                values = out
        invalid = None
        nodata = dataset.nodata
        if nodata is not None and not np.isnan(nodata):
            invalid = raw == np.asarray(nodata).astype(raw.dtype)
        if has_alpha:
            outside = dataset.read(dataset.count, window=window) == 0
            invalid = outside if invalid is None else invalid | outside
        if scale != 1.0 or offset != 0.0:
            values *= np.float32(scale)
            values += np.float32(offset)
        return values, invalid

    def read_raw(self, ref: BandRef, window: Window) -> tuple[np.ndarray, np.ndarray]:
        """(values as stored, coverage) of a window; coverage is False outside the file or on nodata."""
        dataset, has_alpha = self.dataset(ref.path)
        raw = dataset.read(ref.band, window=window)
        covered = np.ones(raw.shape, dtype=bool)
        if dataset.nodata is not None and not np.isnan(dataset.nodata):
            covered &= raw != np.asarray(dataset.nodata).astype(raw.dtype)
        if has_alpha:
            covered &= dataset.read(dataset.count, window=window) != 0
        return raw, covered

    def release_thread(self) -> None:
        """Close the handles the calling thread opened (each thread must close its own)."""
        stack = getattr(self._local, "stack", None)
        if stack is None:
            return
        with self._lock:
            self._stacks.remove(stack)
        del self._local.stack, self._local.handles
        stack.close()

    def close(self) -> None:
        """Close the calling thread's handles; worker threads closed theirs as they ended."""
        self.release_thread()


def map_windows(
    windows: Sequence[Window],
    work: Callable[[Window], T],
    progress: Progress = SILENT,
    workers: int | None = None,
    thread_exit: Callable[[], None] | None = None,
    overlap: bool = False,
) -> Iterator[tuple[Window, T]]:
    """Yield ``(window, work(window))`` in window order, computed on ``workers`` threads.

    At most ``2 × workers`` windows are in flight, so memory stays bounded.
    Cancellation is checked between windows. ``thread_exit`` runs on each
    worker thread as it ends (for example :meth:`AlignedReader.release_thread`);
    all of them have run when the iteration is over, however it ends. One
    worker runs on the calling thread, unless ``overlap`` asks for a thread of
    its own, so that what the caller does with each result (writing it)
    overlaps the work on the next windows.
    """
    workers = workers or worker_count()
    total = max(len(windows), 1)
    # The start is reported before the first window (the check before each window follows), so a cancel from
    # here on stops the loop before any block is computed, also when the raster is a single window, whose own
    # report only comes once it is done.
    progress.report(progress.start)
    if workers == 1 and not overlap:
        for done, window in enumerate(windows, 1):
            progress.check()
            result = work(window)
            yield window, result
            progress.step(done / total)
        return
    jobs: queue.SimpleQueue[tuple[Future, Window] | None] = queue.SimpleQueue()

    def serve() -> None:
        try:
            while (job := jobs.get()) is not None:
                future, window = job
                if future.set_running_or_notify_cancel():
                    try:
                        future.set_result(work(window))
                    except BaseException as error:
                        future.set_exception(error)
        finally:
            if thread_exit is not None:
                thread_exit()

    def submit(window: Window) -> Future:
        future: Future = Future()
        jobs.put((future, window))
        return future

    threads = [threading.Thread(target=serve, name=f"mew-block-{n}", daemon=True) for n in range(workers)]
    for thread in threads:
        thread.start()
    pending: deque = deque()
    iterator = iter(windows)
    try:
        for window in iterator:
            pending.append((window, submit(window)))
            if len(pending) >= 2 * workers:
                break
        done = 0
        while pending:
            window, future = pending.popleft()
            result = future.result()
            progress.check()
            nxt = next(iterator, None)
            if nxt is not None:
                pending.append((nxt, submit(nxt)))
            yield window, result
            done += 1
            progress.step(done / total)
    finally:
        for _, future in pending:
            future.cancel()
        for _ in threads:
            jobs.put(None)
        for thread in threads:
            thread.join()


@dataclass(frozen=True)
class OutputSpec:
    """A single-band GeoTIFF output on the grid."""

    path: str
    dtype: str
    nodata: float | int
    description: str = ""
    tags: Mapping[str, str] | None = None
    colormap: Mapping[int, tuple[int, int, int, int]] | None = None
    compress: str | None = None


def output_profile(grid: Grid, spec: OutputSpec, strip_rows: int | None = None) -> dict[str, Any]:
    """GeoTIFF creation options: 512-pixel tiles, or strips of ``strip_rows`` when the windows are strips."""
    profile: dict[str, Any] = {
        "driver": "GTiff",
        "width": grid.width,
        "height": grid.height,
        "count": 1,
        "dtype": spec.dtype,
        "crs": grid.crs,
        "transform": grid.transform,
        "nodata": spec.nodata,
        "tiled": True,
        "blockxsize": TILE,
        "blockysize": TILE,
        "BIGTIFF": "IF_SAFER",
    }
    if strip_rows:
        # Each window write then fills whole strips: no partly written tile is evicted from the bounded cache
        # and read back (or recompressed).
        profile.update(tiled=False, blockysize=strip_rows)
        del profile["blockxsize"]
    if spec.compress:
        profile.update(compress=spec.compress, NUM_THREADS=str(worker_count()))
        if spec.compress.upper() in ("DEFLATE", "LZW", "ZSTD") and spec.dtype in ("uint8", "int16", "uint16"):
            profile["predictor"] = 2
    return profile


def compression_of(path: str) -> str | None:
    """The compression of a GeoTIFF input (``None`` when uncompressed), to follow on outputs."""
    with rasterio.open(path) as dataset:
        method = dataset.compression
    if method is None:
        return None
    return "DEFLATE" if method.name.upper() not in ("JPEG",) else None


def write_blocks(
    grid: Grid,
    outputs: Mapping[str, OutputSpec | None],
    windows: Sequence[Window],
    work: Callable[[Window], Mapping[str, Any]],
    progress: Progress = SILENT,
    workers: int | None = None,
    on_result: Callable[[Window, Mapping[str, Any]], None] | None = None,
    before_commit: Callable[[], None] | None = None,
    reader: AlignedReader | None = None,
) -> None:
    """Compute ``work`` per window and write its named arrays to the outputs, atomically.

    ``outputs`` maps a name in ``work``'s result to an :class:`OutputSpec`
    (``None`` skips it); other names in the result (counts, partial sums) go
    to ``on_result``, called in window order on this thread. ``before_commit``
    may raise to refuse the result. ``reader``, the one ``work`` reads
    through, is closed on every thread before anything is committed. Nothing
    is left at any output path if anything raises or the user cancels.
    Uncompressed outputs, one whole tile per window, bypass GDAL's writing
    (:mod:`.geotiff_tiles`); one worker then computes beside the writes.
    """
    chosen = {name: spec for name, spec in outputs.items() if spec is not None}
    strips = bool(windows) and windows[0].width == grid.width and grid.width > TILE
    strip_rows = int(windows[0].height) if strips else None
    with ExitStack() as stack:
        writers = {}
        for name, spec in chosen.items():
            temporary = stack.enter_context(atomic_path(spec.path))
            writers[name] = _output_writer(stack, temporary, grid, spec, strip_rows, windows)
        release = reader.release_thread if reader is not None else None
        workers = workers or worker_count()
        direct = bool(writers) and all(straight for _, straight in writers.values())
        overlap = direct and workers == 1 and worker_count() > 1
        for window, result in map_windows(windows, work, progress, workers, release, overlap):
            for name, (write, _) in writers.items():
                write(result[name], window)
            if on_result is not None:
                on_result(window, result)
        if reader is not None:
            reader.close()
        if before_commit is not None:
            before_commit()


def _output_writer(
    stack: ExitStack, path: Path, grid: Grid, spec: OutputSpec, strip_rows: int | None, windows: Sequence[Window]
) -> tuple[Callable[[np.ndarray, Window], None], bool]:
    """(how a window's array is written to the output at ``path``, whether straight into its tiles)."""
    profile = output_profile(grid, spec, strip_rows)
    shape = (grid.height, grid.width)
    if not spec.compress and not strip_rows and all(whole_tile(shape, TILE, *w.toranges()) for w in windows):
        with _created(path, profile, spec, SPARSE_OK=True):  # everything but the pixels, by GDAL
            pass
        tiles = TileWriter.attach(path, shape, TILE, spec.dtype)
        if tiles is not None:
            stack.enter_context(tiles)
            return lambda values, window: tiles.write(values, int(window.row_off), int(window.col_off)), True
    dataset = stack.enter_context(_created(path, profile, spec))
    return lambda values, window: dataset.write(values, 1, window=window), False


def _created(path: Path, profile: Mapping[str, Any], spec: OutputSpec, **options: Any) -> Any:
    """The output dataset, created with its band description, tags and colour map."""
    dataset = rasterio.open(path, "w", **profile, **options)
    try:
        if spec.description:
            dataset.set_band_description(1, spec.description)
        if spec.tags:
            dataset.update_tags(**spec.tags)
        if spec.colormap:
            dataset.write_colormap(1, dict(spec.colormap))
    except BaseException:
        dataset.close()
        raise
    return dataset


def refuse_without_crs(dataset: Any, path: str | os.PathLike[str], what: str) -> None:
    """Raise :class:`MewError` when an open raster has no CRS: its pixels have no place on the ground."""
    if not dataset.crs:
        raise MewError(
            "The {what} '{path}' has no CRS, so its pixels cannot be placed on the ground (and the outputs "
            "would have no CRS either). Assign its CRS (in QGIS: Raster > Projections > Assign Projection, "
            "or gdal_edit.py -a_srs EPSG:<code> '{path}') and run again.",
            what=message(what),
            path=path,
        )


def tags_json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def resampling_named(name: str) -> Resampling:
    try:
        return Resampling[name]
    except KeyError as error:
        raise MewError(
            "Unknown resampling '{name}': use one of {resampling_names}.",
            name=name,
            resampling_names=", ".join(RESAMPLING_NAMES),
        ) from error
