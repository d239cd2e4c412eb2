"""Path containment: a manifest path stays a plain local file inside its package.

The manifest is data, never code: paths must stay inside the package (``..`` escaping it, absolute
paths elsewhere, symbolic links out, URLs and GDAL virtual file systems are refused), and a table name
is a name, never data source options.
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from pathlib import Path
from typing import Optional

from ..errors import MewError
from ..messages import message

#: Bidirectional overrides and marks: they make a name read differently from what it is.
_BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
#: An absolute Windows path (``C:\\...``, ``C:/...``).
_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")
#: What GDAL reads as no local file: a virtual file system, a URL or a connection string ("PG:", "GPKG:x:t").
NOT_A_LOCAL_PATH = re.compile(r"^(?:/vsi|[A-Za-z][A-Za-z0-9+.-]+:|[A-Za-z]:(?![\\/]))", re.IGNORECASE)


def _holds_source_options(text: str) -> bool:
    """True when ``text`` holds ``|`` (QGIS reads what follows as data source options) or a control character."""
    return "|" in text or any(unicodedata.category(char) == "Cc" or char in _BIDI_CONTROLS for char in text)


def layer_name_problem(name: str) -> Optional[tuple[str, str]]:
    """Why ``name`` cannot be a table name inside a file (``(problem, what to do)``), or None.

    A layer name is a name and nothing else: QGIS reads ``|`` in a data source as the start of an option
    (``|subset=...`` filters the layer), and control characters or bidirectional overrides hide what is read.
    """
    if _holds_source_options(name):
        return (
            message(
                "{name!r} holds '|' or a control character, which QGIS would read as data source options", name=name
            ),
            message(
                "Write the name of the table as the file lists it (check with ogrinfo); rename the table if needed."
            ),
        )
    return None


def resolve_inside(root: str | os.PathLike[str], path_text: str) -> Path:
    """Resolve a manifest path against ``root``; raise :class:`MewError` if it leaves the package.

    ``..`` components that end up outside, absolute paths outside ``root``,
    symbolic links pointing outside, URLs, GDAL virtual file systems
    (``/vsicurl/``, ``/vsizip/``...) and connection strings (``GPKG:file:table``,
    ``PG:...``) are all refused, and so are ``|`` (QGIS
    reads what follows as data source options) and control characters.
    """
    text = path_text.strip()
    if not text:
        raise MewError("its path is empty.")
    if _holds_source_options(text):
        raise MewError(
            "the path {path_text!r} holds '|' or a control character, which QGIS would read as data source "
            "options; rename the file.",
            path_text=path_text,
        )
    if NOT_A_LOCAL_PATH.match(text):
        raise MewError(
            "the path '{path_text}' is a URL, a GDAL virtual path or a GDAL connection string; packages are "
            "plain local files.",
            path_text=path_text,
        )
    if _DRIVE.match(text) or text.startswith("\\\\"):
        raise MewError("the path '{path_text}' is an absolute Windows path outside the package.", path_text=path_text)
    text = text.replace("\\", "/")
    root_real = Path(os.path.realpath(root))
    candidate = Path(text)
    if not candidate.is_absolute():
        candidate = root_real / candidate
    real = Path(os.path.realpath(candidate))
    if not is_inside(real, root_real):
        how = message("is absolute and points") if Path(text).is_absolute() else message("leads")
        raise MewError(
            "the path '{path_text}' {how} outside the package folder '{root_real}'; it is refused.",
            path_text=path_text,
            how=how,
            root_real=root_real,
        )
    return real


def is_inside(path: Path, root: Path) -> bool:
    """True when ``path`` is ``root`` or lies below it (both already resolved)."""
    return path == root or root in path.parents


def file_kind(path: Path) -> str:
    """``"folder"``, ``"file"`` (a regular one), ``"missing"``, or what special file ``path`` is."""
    try:
        mode = os.stat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return "missing"
    except OSError as error:
        raise MewError(
            "Cannot read '{path}': {strerror}. Check its permissions.", path=path, strerror=error.strerror
        ) from error
    if stat.S_ISDIR(mode):
        return "folder"
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"
