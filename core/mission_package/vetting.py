"""Vetting a package file before GDAL or QGIS opens it: :func:`vetted_source`.

A file is handed over only when it is a regular file inside the package, of a format
:data:`.datasets.ALLOWED_DRIVERS` allows for its kind, with nothing beside it or inside it that
would make GDAL read another file or the network. Nothing here reaches the network.
"""

from __future__ import annotations

import glob
import json
import mmap
import os
import re
from pathlib import Path
from typing import Any, Optional

from ..errors import MewError
from ..messages import message
from .containment import NOT_A_LOCAL_PATH, file_kind, is_inside, layer_name_problem
from .datasets import ALLOWED_DRIVERS, quiet_gdal_errors
from .package import LayerEntry

#: Every driver a package file may be read with, whatever its kind.
_PACKAGE_DRIVERS = frozenset(name for names in ALLOWED_DRIVERS.values() for name in names)
_FORMATS = {
    "raster": "a GeoTIFF",
    "vector": "a GeoPackage, shapefile, GeoJSON or GPX file",
    "table": "a delimited text (CSV) file",
}
#: Files GDAL opens beside a dataset as part of it (overviews, masks, auxiliary metadata), by suffix.
_SIDECAR_SUFFIXES = (".ovr", ".msk", ".aux", ".rrd", ".aux.xml", ".xml")
#: A GeoJSON "crs" member name, however its letters are written ("crs", "CRS", "\u0063rs"...).
_GEOJSON_CRS_KEY = re.compile(rb"""["'](?:[cC]|\\u00[46]3)(?:[rR]|\\u00[57]2)(?:[sS]|\\u00[57]3)["']""")
#: GeoJSON CRS types GDAL resolves locally; "link" and "URL" ones it fetches from the network.
_LOCAL_CRS_TYPES = frozenset({"name", "epsg", "ogc"})


class RefusedFile(MewError):
    """A package file that is not handed to GDAL or QGIS: ``str()`` says why and what to do."""

    def __init__(self, problem: str, action: str, /, **values: object) -> None:
        """``problem`` and ``action``: English templates (:mod:`..messages`) sharing ``values``."""
        self.message = message(problem, **values)
        self.action = message(action, **values)
        super().__init__(f"{self.message} {self.action}")


def vetted_source(entry: LayerEntry) -> Path:
    """The layer's file, once it is known to be safe to hand to GDAL and QGIS; else :class:`RefusedFile`.

    Safe means: a regular file (no FIFO, device or socket) inside the package; recognised by GDAL
    as one of :data:`ALLOWED_DRIVERS` for the layer's kind and by no other driver first (an XML
    virtual dataset named ``.gpkg`` or ``.tif`` is refused); no file beside it that GDAL would read
    along with it (overview, mask, auxiliary file) of any other format, special, or leading out of
    the package; every file GDAL lists for the opened dataset inside the package; no external
    overview file named by a raster (``OVERVIEW_FILE``); no GeoJSON CRS GDAL would fetch from a URL;
    and its table name (``layer``) a plain name.
    Nothing here reaches the network: only local files are opened, with the allowed drivers.
    """
    refused = message("Refused file: '{path}' of layer '{layer}'", path=entry.path, layer=entry.id)
    if entry.source is None:
        raise RefusedFile("{refused} lies outside the package.", 'Correct "path" in the manifest.', refused=refused)
    if entry.layer is not None:
        problem = layer_name_problem(entry.layer)
        if problem is not None:
            raise RefusedFile(
                '{refused}: its "layer" {problem}.', "{action}", refused=refused, problem=problem[0], action=problem[1]
            )
    root = Path(os.path.realpath(entry.root if entry.root is not None else entry.source.parent))
    path = Path(os.path.realpath(entry.source))
    if not is_inside(path, root):
        raise RefusedFile(
            "{refused} leads outside the package folder '{root}'.",
            "Keep the file inside the package.",
            refused=refused,
            root=root,
        )
    kind = file_kind(path)
    if kind == "missing":
        raise RefusedFile("{refused} is not in the package.", "Copy the file into the package.", refused=refused)
    if kind != "file":
        raise RefusedFile(
            "{refused} is {kind}, not a regular file.",
            "Replace it with the data file itself.",
            refused=refused,
            kind=message(kind),
        )
    wanted = message(_FORMATS.get(entry.kind, _FORMATS["vector"]))
    allowed = ALLOWED_DRIVERS.get(entry.kind, ALLOWED_DRIVERS["vector"])
    if path.suffix.lower() == ".vrt":
        raise RefusedFile(
            "{refused} is a GDAL virtual dataset (.vrt), which can read any file or URL.",
            "Package the data itself as {wanted} (gdal_translate -of COG / ogr2ogr -f GPKG).",
            refused=refused,
            wanted=wanted,
        )
    found = _identify(path, entry.kind)
    if entry.kind == "table" and found in (None, "CSV"):
        pass
    elif found is None:
        raise RefusedFile(
            "Unreadable file: '{path}' of layer '{id}' is not {wanted} GDAL recognises.",
            "Re-export it as {wanted}.",
            path=entry.path,
            id=entry.id,
            wanted=wanted,
        )
    elif found not in allowed:
        raise RefusedFile(
            "{refused} is a GDAL {found} dataset, not {wanted}: such files can make GDAL read other files "
            "or the network.",
            "Package the data itself as {wanted}.",
            refused=refused,
            found=found,
            wanted=wanted,
        )
    if found == "GeoJSON" and _geojson_fetches_crs(path):
        raise RefusedFile(
            '{refused} gives its CRS as a link or URL (a "crs" member GDAL would download).',
            'Remove the "crs" member (GeoJSON is longitude/latitude WGS 84) or name the CRS ("type": '
            '"name"), or package the layer as a GeoPackage.',
            refused=refused,
        )
    for beside in _files_beside(path):
        _vet_beside(beside, root, refused)
    if entry.kind != "table":
        listed, overview = _gdal_file_list(path, entry.kind)
        for name in listed:
            if NOT_A_LOCAL_PATH.match(name) or not is_inside(Path(os.path.realpath(name)), root):
                raise RefusedFile(
                    "{refused} makes GDAL read '{name}', outside the package.",
                    "Package the data itself as {wanted}.",
                    refused=refused,
                    name=name,
                    wanted=wanted,
                )
        if overview:
            raise RefusedFile(
                "{refused} names '{overview}' as its overview file (OVERVIEW_FILE), which GDAL would read, "
                "whatever its format or place, when the map is zoomed out.",
                "Re-export the raster without it (gdal_translate -of COG), with a .aux.xml beside it removed.",
                refused=refused,
                overview=overview,
            )
    return path


def _identify(path: Path, kind: Optional[str] = None) -> Optional[str]:
    """The short name of the GDAL driver that would open ``path`` as the kind's data (any data without a kind),
    or None."""
    from osgeo import gdal

    flags = 0 if kind is None else gdal.OF_RASTER if kind == "raster" else gdal.OF_VECTOR
    with quiet_gdal_errors():
        try:
            driver = gdal.IdentifyDriverEx(str(path), flags)
        except RuntimeError:  # when GDAL exceptions are switched on
            driver = None
    return driver.ShortName if driver is not None else None


def _files_beside(path: Path) -> list[Path]:
    """The other files of the folder that share the file's name: the ones GDAL may read along with it."""
    return sorted(other for other in path.parent.glob(glob.escape(path.stem) + ".*") if other.name != path.name)


def _vet_beside(beside: Path, root: Path, refused: str) -> None:
    """A file beside a layer's must stay inside, be a regular file or folder, and be no other format's."""
    if not is_inside(Path(os.path.realpath(beside)), root):
        raise RefusedFile(
            "{refused}: the file '{name}' beside it leads outside the package.",
            "Remove that link from the package.",
            refused=refused,
            name=beside.name,
        )
    kind = file_kind(beside)
    sidecar = beside.name.lower().endswith(_SIDECAR_SUFFIXES)
    if kind == "missing" or (kind == "folder" and not sidecar):
        return
    if kind != "file":
        raise RefusedFile(
            "{refused}: '{name}' beside it is {kind}, which GDAL may try to read with it.",
            "Remove '{name}' from the package.",
            refused=refused,
            name=beside.name,
            kind=message(kind),
        )
    driver = _identify(beside)
    if driver is not None and driver not in _PACKAGE_DRIVERS:
        raise RefusedFile(
            "{refused}: '{name}' beside it is a {driver} dataset, which GDAL reads along with the layer (as "
            "its overviews, mask or metadata) and which can make it read other files or the network.",
            "Remove '{name}' from the package.",
            refused=refused,
            name=beside.name,
            driver=driver,
        )


def _gdal_file_list(path: Path, kind: str) -> tuple[list[str], Optional[str]]:
    """Every file GDAL reads for the dataset, opened with the allowed drivers only ([] if it does not open),
    and the external overview file it names in its metadata, if any (``OVERVIEW_FILE``)."""
    from osgeo import gdal

    flags = (gdal.OF_RASTER if kind == "raster" else gdal.OF_VECTOR) | gdal.OF_READONLY
    with quiet_gdal_errors():
        try:
            dataset = gdal.OpenEx(str(path), flags, allowed_drivers=list(ALLOWED_DRIVERS[kind]))
        except RuntimeError:
            dataset = None
        # GDAL opens this file, with any driver, as soon as overviews are looked for (GetFileList does, and so does
        # a map zoomed out); the name may sit in the GeoTIFF's own metadata or in the .aux.xml beside it.
        overview = dataset.GetMetadataItem("OVERVIEW_FILE", "OVERVIEWS") if dataset is not None else None
        listed = list(dataset.GetFileList() or []) if dataset is not None and not overview else []
        dataset = None  # closed now, not when the collector gets to it
    return listed, overview


def _geojson_fetches_crs(path: Path) -> bool:
    """True when a GeoJSON file has a ``crs`` member GDAL could fetch from the network.

    GDAL downloads a CRS of type ``link`` or ``URL`` wherever a "crs" member
    appears (the collection, a feature's geometry); names (``"type": "name"``)
    are resolved locally. Every member named crs (matched as GDAL matches it:
    any case, escaped letters too) must hold a named CRS or null; one that
    cannot be read here (a comment, a value too long) counts as fetched.
    """
    if path.stat().st_size == 0:
        return False
    with open(path, "rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
        for match in _GEOJSON_CRS_KEY.finditer(data):
            after = data[match.end() : match.end() + 65536].decode("utf-8", "replace").lstrip(" \t\r\n")
            if after.startswith("/"):  # a comment, which GDAL's JSON reader skips
                return True
            if not after.startswith(":"):
                continue  # the text "crs" as a value, not a member name
            try:
                value, _end = json.JSONDecoder(object_pairs_hook=_Members).raw_decode(after[1:].lstrip(" \t\r\n"))
            except ValueError:
                return True
            if value is not None and not _is_named_crs(value):
                return True
    return False


class _Members(list[tuple[str, Any]]):
    """A JSON object as its list of (name, value) members, repeated names kept."""


def _is_named_crs(value: Any) -> bool:
    """True for a GeoJSON CRS object whose every ``type`` member names a CRS GDAL resolves locally."""
    if not isinstance(value, _Members):
        return False
    types = [member for name, member in value if name.casefold() == "type"]
    return bool(types) and all(isinstance(kind, str) and kind.casefold() in _LOCAL_CRS_TYPES for kind in types)
