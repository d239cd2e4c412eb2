"""File output that never leaves a half-written file behind."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Iterable, Iterator

from .errors import MewError

#: GDAL sidecars that travel with a raster or vector file.
_SIDECAR_SUFFIXES = (".aux.xml", ".ovr", ".qml", ".msk")


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
            found = f"ends in '{path.suffix}'" if path.suffix else "has no extension"
            raise MewError(
                f"The raster output '{output}' {found}: raster outputs are written as GeoTIFF. Name it with .tif, "
                f"e.g. '{path.with_suffix('.tif')}', and convert it afterwards if another format is needed."
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
