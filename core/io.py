"""File output that never leaves a half-written file behind, and cells a spreadsheet never runs as formulas."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Iterable, Iterator

from .errors import MewError

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
    outputs: Iterable[str | os.PathLike[str]], inputs: Iterable[str | os.PathLike[str]]
) -> None:
    """Raise :class:`MewError` if any output path names one of the inputs."""
    input_list = [i for i in inputs if i]
    for output in outputs:
        if not output:
            continue
        for source in input_list:
            if same_file(output, source):
                raise MewError(
                    f"The output '{output}' is the same file as the input '{source}'. "
                    "Inputs are never overwritten: choose another output path."
                )


@contextlib.contextmanager
def atomic_path(final_path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``final_path``; move it into place on success.

    The temporary file keeps the final suffix so GDAL picks the same driver. On
    any exception (including cancellation) the temporary file and its sidecars
    are removed and ``final_path`` is left as it was.
    """
    final = Path(final_path)
    final.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{final.stem}.", suffix=final.suffix, dir=final.parent)
    os.close(handle)
    temporary = Path(name)
    temporary.unlink()
    try:
        yield temporary
    except BaseException:
        _remove_with_sidecars(temporary)
        raise
    if not temporary.exists():
        raise MewError(f"Nothing was written for '{final}'.")
    os.replace(temporary, final)
    for suffix in _SIDECAR_SUFFIXES:
        sidecar, old = Path(str(temporary) + suffix), Path(str(final) + suffix)
        if sidecar.exists():
            os.replace(sidecar, old)
        elif suffix != ".qml":  # statistics or overviews of the old file would describe the new one wrongly
            with contextlib.suppress(FileNotFoundError):
                old.unlink()


def atomic_write_text(final_path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` (UTF-8) to ``final_path`` atomically."""
    with atomic_path(final_path) as temporary:
        temporary.write_text(text, encoding="utf-8")


def _remove_with_sidecars(path: Path) -> None:
    for candidate in [path, *(Path(str(path) + s) for s in _SIDECAR_SUFFIXES)]:
        with contextlib.suppress(FileNotFoundError):
            candidate.unlink()
