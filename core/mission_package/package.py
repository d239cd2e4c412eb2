"""An opened mission package: its layers, each with its path resolved inside the package.

A mission package is either

* a **folder** holding ``manifest.json`` and the data files it lists, or
* a **GeoPackage** (``*.gpkg``) holding the manifest as JSON text in the single
  row of the attribute table ``mew_manifest`` (column ``manifest``; see
  :data:`.schema.MANIFEST_TABLE`). Layers whose ``path`` is empty or ``"."`` are
  tables of that GeoPackage; other paths are files relative to the folder the
  GeoPackage sits in.

:func:`open_package` reads the manifest and checks its structure; no data file is opened
(:mod:`.validation` does that).
"""

from __future__ import annotations

import glob
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from ..errors import MewError
from ..messages import message
from .containment import resolve_inside
from .declared_crs import parse_crs
from .manifest import checked_layer_values, manifest_text, read_manifest, typed_values
from .problems import ERROR, WARNING, Problem
from .schema import (
    FIELD_ALIASES,
    JSON_NUMBER,
    JSON_TEXT,
    LAYER_KEYS,
    LAYER_TYPES,
    MANIFEST_NAME,
    OTHER_THEME,
    ROLE_ALIASES,
    ROLES,
    THEMES,
    TOP_LEVEL_KEYS,
    TOP_LEVEL_TYPES,
    RoleRule,
)


@dataclass
class LayerEntry:
    """One layer of the manifest, with its path checked and resolved."""

    id: str
    role: str  # canonical role (see ROLES), or the manifest's own if unknown
    theme: str
    kind: str  # "vector" | "raster" | "table"
    path: str  # as written in the manifest
    source: Optional[Path]  # resolved file inside the package; None when refused
    layer: Optional[str] = None
    crs: Optional[str] = None  # declared CRS (the layer's, or the mission's)
    fields: dict[str, str] = field(default_factory=dict)
    title: str = ""
    options: dict[str, Any] = field(default_factory=dict)  # scale, offset, dates, ...
    root: Optional[Path] = None  # the folder every file of the package lies in (see vetted_source)

    def field_name(self, logical: str) -> Optional[str]:
        """The layer's column for a logical field (``date``, ``lat``, ...), per the manifest."""
        for key in FIELD_ALIASES.get(logical, (logical,)):
            value = self.fields.get(key)
            if isinstance(value, str) and value:
                return value
        return None

    @property
    def display_name(self) -> str:
        """The layer's title, else its id."""
        return self.title or self.id


@dataclass
class MissionPackage:
    """An opened package: its manifest, layers and the problems found while reading the manifest."""

    location: Path  # the folder, or the .gpkg file
    root: Path  # folder every relative path starts from
    manifest: dict[str, Any]
    name: str
    classification: str
    crs: Optional[str]
    layers: list[LayerEntry]
    manifest_problems: list[Problem]

    @property
    def is_geopackage(self) -> bool:
        """True for a GeoPackage package, False for a folder."""
        return self.location.is_file()

    def by_role(self, role: str) -> list[LayerEntry]:
        """Layers of a role (canonical or alias), in manifest order."""
        role = ROLE_ALIASES.get(role, role)
        return [entry for entry in self.layers if entry.role == role]

    def first(self, role: str) -> Optional[LayerEntry]:
        """The first layer of a role, if any."""
        found = self.by_role(role)
        return found[0] if found else None

    def entry(self, layer_id: str) -> Optional[LayerEntry]:
        """The layer with id ``layer_id``, if any."""
        return next((entry for entry in self.layers if entry.id == layer_id), None)

    @property
    def key(self) -> str:
        """A stable identity: the same package opened twice has the same key."""
        return str(self.location.resolve())

    def files(self) -> list[Path]:
        """The files the package is made of, which nothing may overwrite.

        Its manifest (or its GeoPackage), each layer's file inside the package
        and the files beside it sharing its name (shapefile parts, GDAL sidecars).
        """
        found = [self.location if self.is_geopackage else self.location / MANIFEST_NAME]
        for entry in self.layers:
            if entry.source is None:
                continue
            found.append(entry.source)
            if entry.source.parent.is_dir():
                found += sorted(entry.source.parent.glob(glob.escape(entry.source.stem) + ".*"))
        return list(dict.fromkeys(found))


def open_package(location: str | os.PathLike[str]) -> MissionPackage:
    """Read a package's manifest and check its structure (no data file is opened yet)."""
    manifest, location, root = read_manifest(location)
    problems: list[Problem] = []

    for key in sorted(set(manifest) - TOP_LEVEL_KEYS):
        problems.append(
            Problem(
                WARNING,
                None,
                message("Unknown manifest key '{key}' is ignored.", key=key),
                message("Remove it or check its spelling."),
            )
        )
    manifest = typed_values(manifest, TOP_LEVEL_TYPES, None, problems)
    if isinstance(manifest.get("mission"), dict):
        mission = typed_values(
            manifest["mission"],
            {"name": (JSON_TEXT,), "title": (JSON_TEXT,), "id": (JSON_TEXT, JSON_NUMBER)},
            None,
            problems,
            prefix="mission.",
        )
        manifest["mission"] = mission
    name, classification = _mission_name(manifest, location), manifest_text(manifest.get("classification"))
    if not classification:
        problems.append(
            Problem(
                WARNING,
                None,
                message("The manifest gives no classification."),
                message('Add "classification" (e.g. "UN RESTRICTED") so maps and reports carry it.'),
            )
        )
    crs = manifest_text(manifest.get("crs")) or None
    if crs is None:
        problems.append(
            Problem(
                ERROR, None, message("The manifest gives no mission CRS."), message('Add "crs", e.g. "EPSG:32630".')
            )
        )
    elif parse_crs(crs) is None:
        problems.append(
            Problem(
                ERROR,
                None,
                message("The mission CRS '{crs}' is not a CRS.", crs=crs),
                message('Write it as "EPSG:<code>" or WKT.'),
            )
        )
        crs = None

    raw_layers = manifest.get("layers")
    layers: list[LayerEntry] = []
    if not isinstance(raw_layers, list) or not raw_layers:
        problems.append(
            Problem(
                ERROR,
                None,
                message("The manifest lists no layers."),
                message('Add a "layers" list describing each file.'),
            )
        )
        raw_layers = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_layers, start=1):
        entry = _layer_entry(raw, index, root, location, crs, problems)
        if entry is None:
            continue
        if entry.id in seen:
            problems.append(
                Problem(
                    ERROR,
                    entry.id,
                    message("Layer id '{id}' is used twice.", id=entry.id),
                    message("Give every layer its own id."),
                )
            )
            continue
        seen.add(entry.id)
        layers.append(entry)
    return MissionPackage(location, root, manifest, name, classification, crs, layers, problems)


def _mission_name(manifest: dict[str, Any], location: Path) -> str:
    """The mission's name as the manifest gives it, else the package's file or folder name."""
    mission = manifest.get("mission")
    if isinstance(mission, dict):
        mission = mission.get("name") or mission.get("title") or mission.get("id")
    name = manifest_text(mission) or manifest_text(manifest.get("name"))
    return name or location.stem


def layer_id_of(raw: dict[str, Any], index: int) -> str:
    """The id of the manifest's layer number ``index`` (from 1): its own, else ``layer<index>``."""
    return manifest_text(raw.get("id")) or f"layer{index}"


def _layer_entry(
    raw: Any, index: int, root: Path, location: Path, mission_crs: Optional[str], problems: list[Problem]
) -> Optional[LayerEntry]:
    """The manifest's layer number ``index``, its path resolved inside ``root``; None when it is no object.

    What is wrong with it is added to ``problems``.
    """
    if not isinstance(raw, dict):
        problems.append(
            Problem(
                ERROR,
                None,
                message("Layer #{index} of the manifest is not an object.", index=index),
                message('Describe it as {{"id": ...}}.'),
            )
        )
        return None
    layer_id = layer_id_of(raw, index)
    given = raw
    raw = typed_values(raw, LAYER_TYPES, layer_id, problems)
    raw = checked_layer_values(raw, layer_id, problems)
    if not manifest_text(raw.get("id")):
        problems.append(
            Problem(
                WARNING,
                layer_id,
                message("Layer #{index} has no id.", index=index),
                message('Add a short unique "id".'),
            )
        )
    for key in sorted(set(raw) - LAYER_KEYS):
        problems.append(
            Problem(
                WARNING,
                layer_id,
                message("Unknown key '{key}' of layer '{layer_id}' is ignored.", key=key, layer_id=layer_id),
                message("Remove it or fix it."),
            )
        )
    declared_role = manifest_text(raw.get("role"))
    role = ROLE_ALIASES.get(declared_role, declared_role)
    rule = ROLES.get(role)
    if rule is None:
        problems.append(
            Problem(
                WARNING,
                layer_id,
                message(
                    "Layer '{layer_id}' has {value}: it is loaded unstyled and offered to no analysis.",
                    layer_id=layer_id,
                    value=message("no role")
                    if not declared_role
                    else message("the unknown role {role!r}", role=declared_role),
                ),
                message('Set "role" to one of: {roles}.', roles=", ".join(ROLES)),
            )
        )
    theme = manifest_text(raw.get("theme")) or (rule.theme if rule else OTHER_THEME)
    if theme not in THEMES and theme != OTHER_THEME:
        problems.append(
            Problem(
                WARNING,
                layer_id,
                message(
                    "Layer '{layer_id}' has the unknown theme '{theme}'; it goes into '{other_theme}'.",
                    layer_id=layer_id,
                    theme=theme,
                    other_theme=OTHER_THEME,
                ),
                message("Use one of: {themes}.", themes=", ".join(THEMES)),
            )
        )
        theme = OTHER_THEME
    path_text = raw.get("path", "")
    source: Optional[Path] = None
    if "path" in given and "path" not in raw:  # not text: already reported
        path_text = str(given["path"])
    elif location.is_file() and path_text.strip() in ("", "."):
        source = location  # a table of the GeoPackage package itself
    else:
        try:
            source = resolve_inside(root, path_text)
        except MewError as error:
            problems.append(
                Problem(
                    ERROR,
                    layer_id,
                    message("Layer '{layer_id}': {error}", layer_id=layer_id, error=error),
                    message("Put the file inside the package folder and write its path relative to it."),
                )
            )
    declared_kind = manifest_text(raw.get("type")).lower()
    kind = _kind(declared_kind, source or Path(path_text), rule)
    fields = raw.get("fields") or {}
    crs = manifest_text(raw.get("crs")) or mission_crs
    # A name that is not text is kept as text, so that the layer is refused (see vetted_source), never
    # replaced by the file's first table.
    sublayer = manifest_text(raw["layer"] if "layer" in raw else str(given.get("layer") or "")) or None
    options = {key: raw[key] for key in raw if key not in ("id", "role", "theme", "path", "layer", "type", "crs")}
    return LayerEntry(
        id=layer_id,
        role=role,
        theme=theme,
        kind=kind,
        path=path_text,
        source=source,
        layer=sublayer,
        crs=crs,
        fields=dict(fields),
        title=manifest_text(raw.get("title")) or manifest_text(raw.get("name")),
        options=options,
        root=Path(os.path.realpath(root)),
    )


def _kind(declared: str, path: Path, rule: Optional[RoleRule]) -> str:
    """``"vector"``, ``"raster"`` or ``"table"``: the file's suffix first, then the declared type, then the role's."""
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt", ".tsv"):
        return "table"
    if suffix in (".tif", ".tiff", ".vrt", ".img", ".jp2", ".nc"):
        return "raster"
    if declared in ("raster", "vector", "table"):
        return declared
    if declared in ("csv", "delimitedtext", "points"):
        return "table"
    if rule is not None:
        return rule.kind
    return "vector"
