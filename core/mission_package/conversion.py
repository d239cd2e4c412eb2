"""Converting a folder package into a GeoPackage package (manifest in its ``mew_manifest`` table)."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from pathlib import Path
from typing import Any

from ..errors import MewError
from ..io import atomic_path
from .datasets import close_dataset, open_vector, quiet_gdal_errors, source_layer
from .package import LayerEntry, layer_id_of, open_package
from .schema import MANIFEST_COLUMN, MANIFEST_TABLE
from .vetting import RefusedFile, vetted_source


def package_to_geopackage(folder: str | os.PathLike[str], gpkg_path: str | os.PathLike[str]) -> Path:
    """Convert a folder package into a GeoPackage package.

    Vector layers (GeoPackage tables, GPX tracks, shapefiles...) are copied
    into ``gpkg_path`` and their manifest entries point to it (``path`` ""),
    the manifest goes into the ``mew_manifest`` table, and the other files
    (CSV tables, rasters) are copied beside the GeoPackage under the same
    relative paths. ``gpkg_path`` must be a new file outside ``folder``, and
    none of those copies may exist yet.

    The GeoPackage is written to a temporary file and moved into place only
    when every layer was copied: after an error (an unreadable layer, a full
    disk) neither it nor any copied file is left behind, so the conversion
    can simply be run again.
    """
    from osgeo import ogr

    package = open_package(folder)
    if package.is_geopackage:
        raise MewError("'{folder}' is already a GeoPackage package.", folder=folder)
    target = Path(gpkg_path)
    if target.exists():
        raise MewError("'{target}' exists already: choose a new file name.", target=target)
    root = Path(os.path.realpath(package.root))
    if Path(os.path.realpath(target.parent)) == root:
        raise MewError("Write the GeoPackage package into another folder than the source package.")
    manifest = json.loads(json.dumps(package.manifest))
    raw_by_id = {layer_id_of(raw, index): raw for index, raw in enumerate(manifest.get("layers", []), 1)}
    present = [
        (entry, raw_by_id[entry.id])
        for entry in package.layers
        if entry.source is not None and entry.id in raw_by_id and entry.source.exists()
    ]
    sources: dict[str, Path] = {}
    for entry, _raw in present:
        try:
            sources[entry.id] = vetted_source(entry)
        except RefusedFile as error:
            raise MewError(
                "{message} The GeoPackage package was not written: {action} Then convert again.",
                message=error.message,
                action=error.action,
            ) from error
    copies = {
        entry.id: target.parent / sources[entry.id].relative_to(root)
        for entry, _raw in present
        if entry.kind != "vector"
    }
    taken = [str(path) for path in copies.values() if path.exists()]
    if taken:
        raise MewError(
            "Converting would overwrite {taken}: write the GeoPackage package into an empty folder.",
            taken=", ".join(taken),
        )
    created = [d for d in reversed([target.parent, *target.parent.parents]) if not d.exists()]
    try:
        with atomic_path(target) as temporary:
            output = ogr.GetDriverByName("GPKG").CreateDataSource(str(temporary))
            if output is None:
                raise MewError(
                    "Cannot create '{target}': check that its folder is writable and has space.", target=target
                )
            try:
                for entry, raw in present:
                    if entry.kind == "vector":
                        raw["path"], raw["layer"] = "", _copy_vector_layer(entry, output)
                        continue
                    destination = copies[entry.id]
                    created += [d for d in reversed(destination.parents) if not d.exists()]
                    destination.parent.mkdir(parents=True, exist_ok=True)
                    with atomic_path(destination) as partial:
                        shutil.copy2(sources[entry.id], partial)
                    created.append(destination)
                    raw["path"] = destination.relative_to(target.parent).as_posix()
                table = output.CreateLayer(MANIFEST_TABLE, geom_type=ogr.wkbNone)
                table.CreateField(ogr.FieldDefn(MANIFEST_COLUMN, ogr.OFTString))
                feature = ogr.Feature(table.GetLayerDefn())
                feature.SetField(MANIFEST_COLUMN, json.dumps(manifest, ensure_ascii=False, indent=1))
                if table.CreateFeature(feature) != ogr.OGRERR_NONE:
                    raise MewError("Cannot write the manifest into '{target}': check the disk space.", target=target)
                feature = None
            finally:
                # Closed now, before it is moved into place or removed: an error's traceback may still hold
                # it, and closing later would write to a removed file (and on Windows keep it from removal).
                close_dataset(output)
    except BaseException:
        for path in reversed(created):  # files, then the folders made for them, deepest first
            with contextlib.suppress(OSError):
                path.rmdir() if path.is_dir() else path.unlink()
        raise
    return target


def _copy_vector_layer(entry: LayerEntry, output: Any) -> str:
    """Copy a vector entry's layer into the open GeoPackage ``output``; returns the table name."""
    from osgeo import gdal

    not_written = "The GeoPackage package was not written"
    source = open_vector(str(entry.source))
    if source is None:
        raise MewError(
            "Layer '{id}': '{path}' cannot be opened as vector data. {not_written}: re-export the file (a "
            "complete GeoPackage, shapefile, GPX or GeoJSON) or remove the layer from the manifest, then "
            "convert again.",
            id=entry.id,
            path=entry.path,
            not_written=not_written,
        )
    layer = source_layer(source, entry)
    if layer is None:
        raise MewError(
            "Layer '{id}': '{path}' holds no layer '{value}'. {not_written}: correct \"layer\" in the "
            "manifest (check the package first), then convert again.",
            id=entry.id,
            path=entry.path,
            value=entry.layer or "",
            not_written=not_written,
        )
    name = entry.layer or entry.id
    if output.GetLayerByName(name) is not None:
        name = entry.id
    gdal.ErrorReset()
    with quiet_gdal_errors():
        try:
            # The table's own identifier: GDAL would copy the source's, and a second layer copied from one
            # source then breaks gpkg_contents' unique identifier (GDAL 3.10 then never returns).
            copied = output.CopyLayer(layer, name, [f"IDENTIFIER={name}"])
        except RuntimeError:  # when GDAL exceptions are switched on
            copied = None
    if copied is None:
        reason = gdal.GetLastErrorMsg() or "GDAL gave no reason"
        raise MewError(
            "Layer '{id}': copying '{path}' into the GeoPackage failed ({reason}). {not_written}: check the "
            "file (re-export it) and the free disk space, then convert again.",
            id=entry.id,
            path=entry.path,
            reason=reason,
            not_written=not_written,
        )
    return name
