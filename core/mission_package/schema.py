"""The manifest schema: the keys a manifest and its layers may carry, the roles and themes the plugin knows.

A manifest is a JSON object::

    {
      "mission": "Name"  |  {"name": "Name", "id": "...", ...},
      "classification": "UN RESTRICTED",
      "crs": "EPSG:32630",                       # the mission's CRS (project CRS)
      "layers": [
        {"id": "incidents",                      # unique, used in messages
         "role": "incidents",                    # see ROLES
         "theme": "incidents",                   # operations|incidents|population|environment|boundaries
         "path": "incidents/acled.csv",          # relative to the package
         "layer": "synthetic_sectors",           # table inside a GeoPackage/GPX (optional)
         "type": "vector" | "raster" | "table",  # optional: guessed from the file name
         "crs": "EPSG:4326",                     # optional: defaults to the mission's
         "fields": {"date": "event_date", "lat": "latitude", "lon": "longitude", ...},
         "title": "Incidents (ACLED)",           # optional display name
         "scale": 0.0001, "offset": 0, "nodata": -3000, "dates": [...]}   # rasters, optional
      ]
    }

Unknown keys are reported as warnings and otherwise ignored (see :mod:`.manifest`).
"""

from __future__ import annotations

from dataclasses import dataclass

#: The manifest file of a folder package.
MANIFEST_NAME = "manifest.json"
#: Attribute table of a GeoPackage package holding the manifest (one row, JSON text in ``manifest``).
MANIFEST_TABLE = "mew_manifest"
MANIFEST_COLUMN = "manifest"

THEMES = ("operations", "incidents", "population", "environment", "boundaries")
OTHER_THEME = "other"

#: The JSON types a manifest value may take, in the words messages use for them.
JSON_TEXT, JSON_NUMBER, JSON_BOOL, JSON_LIST, JSON_OBJECT = "text", "a number", "true or false", "a list", "an object"
#: The keys a manifest may carry and the JSON types each may take; anything else is warned about and ignored.
TOP_LEVEL_TYPES: dict[str, tuple[str, ...]] = {
    "format": (JSON_TEXT,),
    "format_version": (JSON_TEXT, JSON_NUMBER),
    "version": (JSON_TEXT, JSON_NUMBER),
    "mission": (JSON_TEXT, JSON_OBJECT),
    "mission_id": (JSON_TEXT, JSON_NUMBER),
    "name": (JSON_TEXT,),
    "title": (JSON_TEXT,),
    "synthetic": (JSON_BOOL,),
    "classification": (JSON_TEXT,),
    "crs": (JSON_TEXT,),
    "ao": (JSON_TEXT,),
    "area_of_operations": (JSON_TEXT,),
    "extent": (JSON_LIST, JSON_OBJECT),
    "layers": (JSON_LIST,),
    "description": (JSON_TEXT,),
    "created": (JSON_TEXT,),
    "generator": (JSON_TEXT, JSON_OBJECT),
    "seed": (JSON_NUMBER,),
    "period": (JSON_TEXT, JSON_LIST, JSON_OBJECT),
    "as_of": (JSON_TEXT,),
    "sources": (JSON_TEXT, JSON_LIST, JSON_OBJECT),
    "notes": (JSON_TEXT, JSON_LIST),
}
#: The keys a layer of the manifest may carry and the JSON types each may take.
LAYER_TYPES: dict[str, tuple[str, ...]] = {
    "id": (JSON_TEXT,),
    "role": (JSON_TEXT,),
    "theme": (JSON_TEXT,),
    "path": (JSON_TEXT,),
    "layer": (JSON_TEXT,),
    "type": (JSON_TEXT,),
    "crs": (JSON_TEXT,),
    "fields": (JSON_OBJECT,),
    "title": (JSON_TEXT,),
    "name": (JSON_TEXT,),
    "description": (JSON_TEXT,),
    "source": (JSON_TEXT, JSON_LIST, JSON_OBJECT),
    "sources": (JSON_TEXT, JSON_LIST, JSON_OBJECT),
    "scale": (JSON_NUMBER,),
    "offset": (JSON_NUMBER,),
    "nodata": (JSON_NUMBER,),
    "dates": (JSON_LIST,),
    "band_dates": (JSON_LIST,),
    "geometry": (JSON_TEXT,),
    "format": (JSON_TEXT,),
    "units": (JSON_TEXT,),
    "resolution_m": (JSON_NUMBER,),
    "date_format": (JSON_TEXT,),
    "values": (JSON_LIST, JSON_OBJECT),
    "mask_values": (JSON_LIST,),
    "mask": (JSON_TEXT,),
    "bad_values": (JSON_LIST,),
    "valid_range": (JSON_LIST,),
    "load": (JSON_BOOL,),
    "delimiter": (JSON_TEXT,),
    "encoding": (JSON_TEXT,),
}
TOP_LEVEL_KEYS = frozenset(TOP_LEVEL_TYPES)
LAYER_KEYS = frozenset(LAYER_TYPES)


@dataclass(frozen=True)
class RoleRule:
    """What a role needs: its default theme, geometry and the logical fields it must declare."""

    theme: str
    kind: str  # "vector" | "raster" | "table" (points from a delimited text file)
    geometry: str = ""  # "point" | "line" | "polygon" | "" (any)
    required: tuple[str, ...] = ()
    recommended: tuple[str, ...] = ()
    needs_nodata: bool = True


#: Roles the plugin knows; an unknown role is loaded unstyled under its theme.
ROLES: dict[str, RoleRule] = {
    "ao": RoleRule("boundaries", "vector", "polygon"),
    "sectors": RoleRule("boundaries", "vector", "polygon", recommended=("id",)),
    "bases": RoleRule("operations", "vector", "point", recommended=("radius",)),
    "patrol_tracks": RoleRule("operations", "vector", "line", required=("date",)),
    "patrol_gpx": RoleRule("operations", "vector", "line"),
    "villages": RoleRule("population", "vector", "point", recommended=("population",)),
    "incidents": RoleRule("incidents", "table", "point", required=("date", "lat", "lon"), recommended=("type",)),
    "population": RoleRule("population", "raster"),
    "ndvi": RoleRule("environment", "raster"),
    "ndvi_mask": RoleRule("environment", "raster", needs_nodata=False),
}
#: Other spellings of roles seen in manifests.
ROLE_ALIASES = {
    "ao_boundary": "ao",
    "area_of_operations": "ao",
    "boundary": "ao",
    "base": "bases",
    "patrols": "patrol_tracks",
    "patrol_track": "patrol_tracks",
    "tracks": "patrol_tracks",
    "patrol_tracks_gpx": "patrol_gpx",
    "patrol_tracks_gps": "patrol_gpx",
    "gpx": "patrol_gpx",
    "village": "villages",
    "settlements": "villages",
    "incident": "incidents",
    "population_raster": "population",
    "ndvi_stack": "ndvi",
    "cloud_mask": "ndvi_mask",
    "ndvi_cloudmask": "ndvi_mask",
    "cloudmask": "ndvi_mask",
    "mask": "ndvi_mask",
}
#: Other spellings of the logical field names in a layer's ``fields`` mapping.
FIELD_ALIASES = {
    "date": ("date", "date_field", "event_date", "patrol_date"),
    "lat": ("lat", "latitude", "lat_field", "y"),
    "lon": ("lon", "longitude", "lon_field", "lng", "x"),
    "type": ("type", "event_type", "type_field", "category"),
    "id": ("id", "sector_id", "base_id", "village_id", "event_id", "zone_id", "name"),
    "radius": ("radius", "patrol_radius", "patrol_radius_m", "radius_m", "radius_field"),
    "population": ("population", "population_field", "pop"),
}
#: How messages name each logical field.
FIELD_HELP = {
    "date": "a date field",
    "lat": "a latitude field",
    "lon": "a longitude field",
    "type": "an event-type field",
    "id": "an identifier field",
    "radius": "a reach (radius in metres) field",
    "population": "a population field",
}
