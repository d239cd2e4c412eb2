"""File output that never leaves a half-written file behind and never lands on an input; spreadsheet cells
that never run as formulas."""

from __future__ import annotations

import contextlib
import glob
import os
import re
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Iterable, Iterator

from .errors import MewError
from .messages import message

#: GDAL sidecars that travel with a raster or vector file.
_SIDECAR_SUFFIXES = (".aux.xml", ".ovr", ".qml", ".msk")

#: Files that spreadsheets open, whose text cells are written formula-safe (:func:`spreadsheet_safe`).
SPREADSHEET_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xls", ".ods")
#: First characters that make a spreadsheet read a cell as a formula (OWASP, "CSV injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """``value`` as it may go into a CSV or spreadsheet cell without a spreadsheet running it as a formula.

    Text starting with ``=``, ``@``, a tab or a carriage return, or with ``+``
    or ``-`` when it is not a number, gets a leading single quote, as OWASP
    advises (``=HYPERLINK(…)`` is shown as ``'=HYPERLINK(…)``, never run);
    numbers such as ``-4.25`` and all other values come back unchanged (the
    same object). GeoPackages keep the raw values: only files a spreadsheet
    opens are written this way.
    """
    if not isinstance(value, str) or not value.startswith(_FORMULA_STARTS):
        return value
    if value[0] in "+-":
        try:
            float(value)
        except ValueError:
            pass
        else:
            return value
    return "'" + value


def is_spreadsheet_file(path: str | os.PathLike[str]) -> bool:
    """True for a file path (an OGR ``path|layername=…`` too) that spreadsheets open: CSV, TSV, XLSX, ODS."""
    return Path(str(path).split("|")[0]).suffix.lower() in SPREADSHEET_SUFFIXES


def same_file(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """True when both paths name the same file (after links and case folding)."""
    pa, pb = Path(a), Path(b)
    if pa.exists() and pb.exists():
        return os.path.samefile(pa, pb)
    return os.path.normcase(os.path.realpath(pa)) == os.path.normcase(os.path.realpath(pb))


def refuse_output_over_inputs(
    outputs: Iterable[str | os.PathLike[str] | None], inputs: Iterable[str | os.PathLike[str] | None]
) -> None:
    """Raise :class:`MewError` if any output path names one of the inputs."""
    input_list = [i for i in inputs if i]
    for output in outputs:
        if not output:
            continue
        for source in input_list:
            if same_file(output, source):
                raise MewError(
                    "The output '{output}' is the same file as the input '{source}'. Inputs are never overwritten: "
                    "choose another output path.",
                    output=output,
                    source=source,
                )


#: The file name endings of GeoTIFF, the one format raster outputs are written in.
GEOTIFF_SUFFIXES = (".tif", ".tiff")


def refuse_non_geotiff(outputs: Iterable[str | os.PathLike[str] | None]) -> None:
    """Raise :class:`MewError` for a raster output whose name does not end in .tif or .tiff.

    Raster outputs are written as GeoTIFF: a name like ``vci.png`` would hold
    GeoTIFF bytes that other programs misread.
    """
    for output in outputs:
        if not output:
            continue
        path = Path(output)
        if path.suffix.lower() not in GEOTIFF_SUFFIXES:
            found = message("ends in '{suffix}'", suffix=path.suffix) if path.suffix else message("has no extension")
            raise MewError(
                "The raster output '{output}' {found}: raster outputs are written as GeoTIFF. Name it with "
                ".tif, e.g. '{path}', and convert it afterwards if another format is needed.",
                output=output,
                found=found,
                path=path.with_suffix(".tif"),
            )


#: Provider prefixes of destinations that name a database connection, not a file.
_DATABASE_PREFIXES = ("postgres", "postgis", "mssql", "oracle", "hana", "db2")
#: ``key=value`` pairs of a data source string; values quoted with ' or " (backslash escapes) or bare.
_URI_PAIR = re.compile(r"""(\w+)=('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|\S+)""")


def real_path(path: str | os.PathLike[str]) -> str:
    """``path`` absolute, with links resolved and case folded where the system folds it."""
    return os.path.normcase(os.path.realpath(os.path.abspath(os.fspath(path))))


def destination_file(text: str) -> tuple[str, str | None] | None:
    """The file (:func:`real_path`) and layer an output destination writes, or ``None`` if it writes no file.

    The forms Processing takes: a plain path; ``path|layername=name``;
    ``ogr:dbname='path' table="name"`` (quoted or not: how a layer is added to an
    existing GeoPackage); ``spatialite:`` likewise. Temporary outputs,
    ``memory:`` layers and database connections (``postgres:`` …) write no file.
    """
    text = (text or "").strip()
    if not text or text == "TEMPORARY_OUTPUT" or text.startswith("memory:"):
        return None
    prefix = re.match(r"^([A-Za-z][A-Za-z0-9_]+):(?!//|\\\\)", text)  # one letter would be a Windows drive
    if prefix:
        provider = prefix.group(1).lower()
        if provider in ("ogr", "spatialite"):
            pairs = {key.lower(): _unquoted(value) for key, value in _URI_PAIR.findall(text[prefix.end() :])}
            if pairs.get("dbname"):
                return real_path(pairs["dbname"]), pairs.get("table") or None
            return None
        if provider in _DATABASE_PREFIXES or provider == "memory":
            return None
    path, _, options = text.partition("|")
    layer = None
    for option in options.split("|") if options else ():
        key, _, value = option.partition("=")
        if key.strip().lower() == "layername" and value:
            layer = value
    return real_path(path), layer


def _unquoted(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return re.sub(r"\\(.)", r"\1", value[1:-1])
    return value


@dataclass(frozen=True)
class FileUse:
    """A file one run reads or writes: how the user knows it, the file (:func:`real_path`), the layer in it."""

    what: str  # e.g. "the output 'Hot spots' (OUTPUT)"
    path: str
    layer: str | None = None


def refuse_file_clashes(outputs: Iterable[FileUse], inputs: Iterable[FileUse]) -> None:
    """Raise :class:`MewError` when an output would write into an input's file, or two outputs into one file.

    Any output into an input's file is refused, also into another table of
    the input's GeoPackage: writing a file while reading from it risks both.
    Two outputs of one run into one file would overwrite each other (or
    fight over it), whatever layer names they give.
    """
    output_list, input_list = list(outputs), list(inputs)
    for output in output_list:
        for source in input_list:
            if not same_file(output.path, source.path):
                continue
            if output.layer is not None and source.layer is not None and output.layer != source.layer:
                raise MewError(
                    "{output} would write the layer '{layer}' into '{path}', the file {source} (layer "
                    "'{source_layer}') is read from. Inputs are never modified, and writing a file while reading it is "
                    "not safe: choose another file for the output.",
                    output=output.what[:1].upper() + output.what[1:],
                    layer=output.layer,
                    path=output.path,
                    source=source.what,
                    source_layer=source.layer,
                )
            raise MewError(
                "{output} would overwrite {source}: it is the same file as the input, '{path}'. Inputs are "
                "never overwritten: choose another file for the output.",
                output=output.what[:1].upper() + output.what[1:],
                source=source.what,
                path=source.path,
            )
    for index, output in enumerate(output_list):
        for earlier in output_list[:index]:
            if same_file(output.path, earlier.path):
                raise MewError(
                    "{earlier} and {output} both go to '{path}': one would overwrite or damage the other. Give "
                    "each output its own file.",
                    earlier=earlier.what[:1].upper() + earlier.what[1:],
                    output=output.what,
                    path=output.path,
                )


@contextlib.contextmanager
def atomic_path(final_path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``final_path``; move it into place on success.

    The temporary file keeps the final suffix so GDAL picks the same driver. On
    any exception (including cancellation) the temporary file and its sidecars
    are removed and ``final_path`` is left as it was. A writer killed outright
    cannot remove its temporary file: the next write to the same destination
    does (a lock file beside each temporary is held while its writer lives).
    """
    final = Path(final_path)
    final.parent.mkdir(parents=True, exist_ok=True)
    _remove_abandoned_temporaries(final)
    handle, name = tempfile.mkstemp(prefix=f".{final.stem}.", suffix=final.suffix, dir=final.parent)
    os.close(handle)
    temporary = Path(name)
    marker = Path(f"{temporary}{_WRITING}")
    lock = _locked(marker)
    temporary.unlink()
    try:
        try:
            yield temporary
        except BaseException:
            _remove_with_sidecars(temporary)
            raise
        if not temporary.exists():
            raise MewError("Nothing was written for '{final}'.", final=final)
        os.replace(temporary, final)
        for suffix in _SIDECAR_SUFFIXES:
            sidecar, old = Path(str(temporary) + suffix), Path(str(final) + suffix)
            if sidecar.exists():
                os.replace(sidecar, old)
            elif suffix != ".qml":  # statistics or overviews of the old file would describe the new one wrongly
                with contextlib.suppress(FileNotFoundError):
                    old.unlink()
    finally:
        if lock is not None:
            lock.close()
        with contextlib.suppress(OSError):
            marker.unlink()


#: Beside a temporary file of :func:`atomic_path`: held locked while its writer lives.
_WRITING = ".writing"


def _remove_abandoned_temporaries(final: Path) -> None:
    """Remove the temporary files of writers to ``final`` that were killed outright (their lock is free)."""
    pattern = f".{glob.escape(final.stem)}.*{glob.escape(final.suffix)}{_WRITING}"
    try:
        markers = list(final.parent.glob(pattern))
    except OSError:
        return
    for marker in markers:
        try:
            lock = _locked(marker)
        except OSError:
            continue
        if lock is None:
            continue  # its writer is still at work
        lock.close()
        _remove_with_sidecars(Path(str(marker)[: -len(_WRITING)]))
        with contextlib.suppress(OSError):
            marker.unlink()


#: Hidden folders beside an output, holding its previous files while a run writes it.
SET_ASIDE_PREFIX = ".mew-previous-"
#: Vector file formats whose outputs are set aside, with the files that travel with each.
VECTOR_SIDECARS = {
    ".gpkg": ("-wal", "-shm"),
    ".sqlite": ("-wal", "-shm"),
    ".shp": (".shx", ".dbf", ".prj", ".cpg", ".qix"),
    ".geojson": (),
    ".json": (),
    ".csv": (".csvt",),
    ".fgb": (),
    ".gml": (".xsd", ".gfs"),
    ".kml": (),
    ".tab": (".dat", ".map", ".id"),
    ".xlsx": (),
    ".ods": (),
}


def output_files(final: str | os.PathLike[str]) -> list[Path]:
    """The existing files of a vector output: the file and the sidecars its format keeps beside it."""
    final = Path(final)
    suffixes = VECTOR_SIDECARS.get(final.suffix.lower(), ())
    candidates = [final, final.with_suffix(".qml"), Path(f"{final}.aux.xml")]
    candidates += [final.with_suffix(s) if s.startswith(".") else Path(f"{final}{s}") for s in suffixes]
    return [p for p in candidates if p.exists()]


class SetAside:
    """An output's previous files kept aside while a run writes it, so the output ends whole or as it was.

    Before the run, the output's files (:func:`output_files`) move into a
    hidden folder beside it, or are copied there when the run adds a layer to
    a file that keeps its other layers (``in_place``). If the run fails or is
    cancelled, :meth:`restore` removes what it wrote and puts the previous
    files back; if it finishes, :meth:`drop` deletes them.

    A run killed outright (``kill -9``, a crash, a power cut) can do neither
    and leaves its hidden folder. The next run on the same output settles it
    first (:func:`recover_set_aside`), from the markers the folder holds. A
    run holds a lock on its folder's ``owner.lock`` while it lives (the system
    releases it however the process ends), so a folder of a run still going
    is never touched.
    """

    def __init__(self, final: str | os.PathLike[str], in_place: bool = False) -> None:
        self.final = Path(final)
        #: What settling earlier runs' leftovers did, one sentence each, for the log.
        self.recovered = recover_set_aside(self.final)
        self.hidden: Path | None = None
        self._lock: IO[bytes] | None = None
        if not self.final.parent.is_dir():
            return  # nothing can be there yet
        hidden = Path(tempfile.mkdtemp(prefix=SET_ASIDE_PREFIX, dir=self.final.parent))
        self.hidden = hidden
        try:
            self._lock = _locked(hidden / _LOCK)
            (hidden / _DESTINATION).write_text(
                f"{self.final.name}\n{_COPIED if in_place else _MOVED}\n", encoding="utf-8"
            )
            (hidden / _FILES).mkdir()
            for path in output_files(self.final):
                if in_place:
                    shutil.copy2(path, hidden / _FILES / path.name)
                else:
                    os.replace(path, hidden / _FILES / path.name)
            (hidden / _READY).touch()
        except BaseException:
            _settle(hidden, self.final)
            self._close()
            raise

    def restore(self) -> None:
        """The run failed or was cancelled: remove what it wrote and put the previous files back.

        If that fails (an OSError), the hidden folder stays for the next run on
        this output to settle.
        """
        try:
            _remove_outputs(self.final)
            if self.hidden is not None:
                (self.hidden / _RESTORING).touch()
                _settle(self.hidden, self.final)
        except BaseException:
            self._unlock()
            raise
        self._close()

    def drop(self) -> None:
        """The run finished: delete the previous files."""
        if self.hidden is None:
            return
        try:
            (self.hidden / _FINISHED).touch()
        except BaseException:
            self._unlock()
            raise
        self._close()

    def _unlock(self) -> None:
        if self._lock is not None:
            self._lock.close()
            self._lock = None

    def _close(self) -> None:
        self._unlock()
        if self.hidden is not None:
            shutil.rmtree(self.hidden, ignore_errors=True)
            self.hidden = None


# The hidden folder: the lock, which output it holds and how (moved or copied), the files, and markers of
# how far the run got (set-aside complete, putting back, finished).
_LOCK, _DESTINATION, _FILES = "owner.lock", "destination", "files"
_READY, _RESTORING, _FINISHED = "ready", "restoring", "finished"
_MOVED, _COPIED = "moved", "copied"
#: A folder with nothing in it yet is a leftover only once it is this old (seconds): its run may be starting.
_EMPTY_LEFTOVER_AGE = 60.0


def recover_set_aside(final: str | os.PathLike[str]) -> list[str]:
    """Settle what killed runs left while writing ``final``: put its previous files back, or drop them.

    Returns a sentence for the log for each folder settled. A folder whose run
    finished (marker "finished") only had its previous files left to delete;
    any other is put back as it was before that run (what the run wrote, once
    its set-aside was complete, is removed first). Folders of runs still going
    (their lock is held) and of other outputs are left alone.
    """
    final = Path(final)
    messages: list[str] = []
    try:
        candidates = sorted(final.parent.glob(f"{SET_ASIDE_PREFIX}*"))
    except OSError:
        return messages
    for hidden in candidates:
        if not hidden.is_dir() or not _holds(hidden, final):
            continue
        lock = _locked(hidden / _LOCK)
        if lock is None:
            continue  # its run is still going
        try:
            outcome = _settle(hidden, final)
        finally:
            lock.close()
        shutil.rmtree(hidden, ignore_errors=True)
        if outcome == "restored":
            messages.append(
                message(
                    "An earlier run writing '{final}' was stopped before it finished (killed, crashed or the power "
                    "went off): the output it was replacing has been put back.",
                    final=final,
                )
            )
        elif outcome == "removed":
            messages.append(
                message(
                    "An earlier run writing '{final}' was stopped before it finished (killed, crashed or the power "
                    "went off): the incomplete output it left has been removed.",
                    final=final,
                )
            )
        elif outcome == "dropped":
            messages.append(
                message(
                    "An earlier run writing '{final}' had finished but was stopped while tidying up: the copy of "
                    "the older output it left in a hidden folder has been removed.",
                    final=final,
                )
            )
    return messages


def _holds(hidden: Path, final: Path) -> bool:
    """Whether a hidden folder holds ``final``'s previous files (or is an empty leftover beside it)."""
    destination = hidden / _DESTINATION
    if destination.exists():
        try:
            return destination.read_text(encoding="utf-8").split("\n")[0] == final.name
        except OSError:
            return False
    if (hidden / final.name).exists():
        return True  # an earlier version's folder: the files directly inside, no markers
    try:
        empty = all(p.name == _LOCK for p in hidden.iterdir())
        return empty and time.time() - hidden.stat().st_mtime > _EMPTY_LEFTOVER_AGE
    except OSError:
        return False


def _settle(hidden: Path, final: Path) -> str | None:
    """Put a hidden folder's files back or drop them, as its markers say.

    Returns "dropped" (the run had finished), "restored" (previous files put
    back), "removed" (no previous files, but what the run wrote was removed)
    or None (nothing to do). The folder itself is left for the caller.
    """
    if (hidden / _FINISHED).exists():
        return "dropped"
    if (hidden / _DESTINATION).exists():
        files, ready = hidden / _FILES, (hidden / _READY).exists()
        copied = (hidden / _DESTINATION).read_text(encoding="utf-8").split("\n")[1:2] == [_COPIED]
    elif (hidden / final.name).exists():  # an earlier version's folder: the files directly inside, no markers
        files, ready, copied = hidden, True, False
    else:
        return None  # stopped before it set anything aside
    restoring = (hidden / _RESTORING).exists()
    if not ready and not restoring and copied:
        return None  # the output was not touched yet: the copies are simply dropped
    # Before "ready" the output is untouched, except for the files already moved aside: they go back.
    removed = _remove_outputs(final) if ready and not restoring else 0
    payload = [p for p in files.iterdir() if p.name != _LOCK] if files.is_dir() else []
    for path in payload:
        os.replace(path, final.parent / path.name)
    if payload:
        return "restored"
    return "removed" if removed else None


def _remove_outputs(final: Path) -> int:
    """Delete an output's files; how many there were."""
    files = output_files(final)
    for path in files:
        path.unlink(missing_ok=True)
    return len(files)


def _locked(path: Path) -> IO[bytes] | None:
    """``path`` opened and locked by this process, or None when another holder has it locked."""
    handle = open(path, "a+b")
    try:
        if sys.platform == "win32":  # spelled so that type checkers know msvcrt exists there
            import msvcrt

            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        return None
    return handle


def atomic_write_text(final_path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` (UTF-8) to ``final_path`` atomically."""
    with atomic_path(final_path) as temporary:
        temporary.write_text(text, encoding="utf-8")


def _remove_with_sidecars(path: Path) -> None:
    for candidate in [path, *(Path(str(path) + s) for s in _SIDECAR_SUFFIXES)]:
        with contextlib.suppress(FileNotFoundError):
            candidate.unlink()
