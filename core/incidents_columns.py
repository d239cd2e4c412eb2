"""Which column of an incident export holds which incident field, for each format."""

from __future__ import annotations

from typing import Optional

from .errors import MewError

FORMATS = ("auto", "acled", "ucdp", "generic")

#: Column names per format: (id, date, latitude, longitude, fatalities, event type,
#: sub event type, precision, location, actor 1, actor 2, country, admin1, source).
_ACLED_COLUMNS = {
    "source_id": "event_id_cnty",
    "date": "event_date",
    "lat": "latitude",
    "lon": "longitude",
    "fatalities": "fatalities",
    "event_type": "event_type",
    "sub_event_type": "sub_event_type",
    "precision": "geo_precision",
    "location": "location",
    "actor1": "actor1",
    "actor2": "actor2",
    "country": "country",
    "admin1": "admin1",
    "source": "source",
}
_UCDP_COLUMNS = {
    "source_id": "id",
    "date": "date_start",
    "lat": "latitude",
    "lon": "longitude",
    "fatalities": "best",
    "event_type": "type_of_violence",
    "sub_event_type": "dyad_name",
    "precision": "where_prec",
    "location": "where_coordinates",
    "actor1": "side_a",
    "actor2": "side_b",
    "country": "country",
    "admin1": "adm_1",
    "source": "source_article",
}
#: HXL hashtags (lower case, attributes sorted) of ACLED's HDX exports and the fields they fill.
_HXL = {
    "#event+code": "source_id",
    "#event+id": "source_id",
    "#date": "date",
    "#date+occurred": "date",
    "#geo+lat": "lat",
    "#geo+lon": "lon",
    "#affected+killed": "fatalities",
    "#event+type": "event_type",
    "#event+subtype": "sub_event_type",
    "#event+type+sub": "sub_event_type",
    "#geo+precision": "precision",
    "#loc+name": "location",
    "#group+name+first": "actor1",
    "#group+first+name": "actor1",
    "#group+name+second": "actor2",
    "#group+name+second+x": "actor2",
    "#country+name": "country",
    "#adm1+name": "admin1",
    "#meta+source": "source",
}
_GENERIC_GUESSES = {
    "lat": ("latitude", "lat", "y", "lat_dd", "latitude_dd"),
    "lon": ("longitude", "lon", "lng", "long", "x", "lon_dd", "longitude_dd"),
    "date": ("event_date", "date", "date_start", "incident_date", "datetime", "timestamp_date"),
    "source_id": ("event_id_cnty", "id", "event_id", "incident_id", "fid"),
    "fatalities": ("fatalities", "deaths", "killed", "best"),
    "event_type": ("event_type", "type", "category"),
}


def _normalise(name: str) -> str:
    """A column name as compared: trimmed, without a byte-order mark, lower case."""
    return name.strip().lstrip("\ufeff").strip().lower()


def _hxl_key(tag: str) -> str:
    """An HXL hashtag as compared: lower case, attributes sorted; empty for a cell that is no hashtag."""
    parts = [p for p in tag.strip().lower().split("+") if p]
    if not parts or not parts[0].startswith("#"):
        return ""
    return "+".join([parts[0], *sorted(parts[1:])])


def column_map(
    header: list[str], hxl: Optional[list[str]], fmt: str, fields: dict[str, str], path: str
) -> tuple[str, dict[str, int]]:
    """The format and, for each incident field, the index of the column that holds it."""
    names = [_normalise(h) for h in header]
    index = {name: i for i, name in reversed(list(enumerate(names)))}  # first column of a name wins
    if fmt == "auto":
        if hxl is not None or {"event_id_cnty", "event_date"} <= index.keys():
            fmt = "acled"
        elif {"date_start", "best", "latitude", "longitude"} <= index.keys():
            fmt = "ucdp"
        else:
            fmt = "generic"
    mapping: dict[str, int] = {}
    if fmt == "acled" and hxl is not None and not {"event_date", "latitude"} <= index.keys():
        hxl_map = {_hxl_key(k): v for k, v in _HXL.items()}
        for i, tag in enumerate(hxl):
            target = hxl_map.get(_hxl_key(tag))
            if target and target not in mapping:
                mapping[target] = i
    else:
        columns = {"acled": _ACLED_COLUMNS, "ucdp": _UCDP_COLUMNS}.get(fmt, {})
        for target, column in columns.items():
            if column in index:
                mapping[target] = index[column]
        if fmt == "generic":
            for target, guesses in _GENERIC_GUESSES.items():
                for guess in guesses:
                    if guess in index and target not in mapping:
                        mapping[target] = index[guess]
                        break
    for target, column in fields.items():  # explicit choices win
        if not column:
            continue
        key = _normalise(column)
        if key not in index:
            raise MewError(
                "'{path}' has no column '{column}' (chosen as the {target} field). Its columns are: {h}.",
                path=path,
                column=column,
                target=target,
                h=", ".join(h.strip() for h in header),
            )
        mapping[target] = index[key]
    missing = [t for t in ("date", "lat", "lon") if t not in mapping]
    if missing:
        wanted = {"date": "DATE_FIELD", "lat": "LAT_FIELD", "lon": "LON_FIELD"}
        raise MewError(
            "'{path}' ({fmt} format): cannot find the {missing} column(s). Choose them with {wanted}, or "
            "pick the right FORMAT. Its columns are: {h}.",
            path=path,
            fmt=fmt,
            missing=", ".join(missing),
            wanted=", ".join(wanted[m] for m in missing),
            h=", ".join(h.strip() for h in header),
        )
    return fmt, mapping
