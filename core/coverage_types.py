"""What the coverage engine takes and gives: features, settings, zones and the result.

See :mod:`.coverage` for the definitions (covered, rings, days since patrol).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np
from pyproj import CRS

from .errors import MewError
from .messages import message


@dataclass
class Features:
    """Features handed to the engine: ids (for messages) and shapely geometries in the analysis CRS.

    Point layers may come as coordinates instead: ``xy`` (n, 2) with NaN rows for
    features without a geometry, and ``geometries`` left empty. That path skips
    one Python object per point, which matters for 100,000 villages.
    """

    ids: list[Any]
    geometries: list[Any]
    name: str = "layer"
    xy: np.ndarray | None = None

    def __post_init__(self) -> None:
        if self.xy is None and len(self.ids) != len(self.geometries):
            raise ValueError("ids and geometries differ in length")
        if self.xy is not None and len(self.ids) != len(self.xy):
            raise ValueError("ids and coordinates differ in length")

    def __len__(self) -> int:
        return len(self.ids)


@dataclass
class CoverageSettings:
    """How far bases and patrols reach, which patrols count, the rings, and where the people are."""

    #: Reach of each base in metres: one value for all, or one per base (None: no valid reach).
    base_radius: Sequence[float] | float | None = None
    #: Reach either side of a patrol track, in metres.
    patrol_distance: float = 0.0
    #: Date of each patrol (None: undated); without dates every patrol counts.
    patrol_dates: Sequence[dt.date | None] | None = None
    #: The day coverage is measured on; by default the date of the latest patrol.
    as_of: dt.date | None = None
    #: Patrols older than this many days before ``as_of`` do not count; 0: every patrol up to ``as_of`` counts.
    window_days: int = 0
    #: Graded reach distances in metres (see :func:`parse_rings`).
    rings: Sequence[float] = ()
    #: People living in each village (None: unknown).
    population: Sequence[float | None] | None = None
    #: A population raster whose pixels are summed inside each zone.
    population_raster: str | None = None
    #: The raster's CRS when it differs from the analysis CRS.
    population_raster_crs: CRS | None = None
    #: Segments per quarter circle of track buffers.
    patrol_segments: int = 8


@dataclass
class Zone:
    """One coverage zone: the covered land, or the land within one ring distance."""

    kind: str  # "covered" or "ring"
    label: str
    distance_m: float | None
    geometry: Any
    area_km2: float


@dataclass
class CoverageResult:
    """Zones, the measures of each village and incident, and the summary of one coverage analysis."""

    zones: list[Zone]
    villages: dict[str, np.ndarray]
    village_rows: np.ndarray  # index into the input villages of each row of ``villages``
    incidents: dict[str, np.ndarray]
    summary: list[dict[str, Any]]
    as_of: dt.date | None
    base_rows: np.ndarray  # input row of each base the ``nearest_base`` indices refer to
    warnings: list[str] = field(default_factory=list)
    patrol_period: tuple[dt.date | None, dt.date | None] = (None, None)  # first and last patrol day counted

    def per_input_village(self, count: int, base_names: Sequence[str] | None) -> list[np.ndarray]:
        """The measures of each of ``count`` input villages: covered (1/0), ring, distance to a base and to a
        patrol, days since a patrol (floats), and the nearest base's name (``base_names`` follow
        ``base_rows``); NaN, or None for the name, for a village not measured (e.g. without a geometry)."""
        measured = np.full(count, -1, dtype=np.int64)
        measured[self.village_rows] = np.arange(self.village_rows.size)
        missing = measured < 0
        columns = []
        for key in ("covered", "ring", "dist_base_m", "dist_patrol_m", "days_since_patrol"):
            column = self.villages[key][measured].astype(float)
            column[missing] = np.nan
            columns.append(column)
        names = np.array([*(base_names or []), None], dtype=object)  # index -1: no base
        nearest = names[self.villages["nearest_base"]][measured]
        nearest[missing] = None
        return [*columns, nearest]

    def describe(self, row: dict[str, Any]) -> str:
        """One line of the summary for the log: ``within 5000 m: 12 villages (40.0 %) 3,400 people (field)``."""
        parts = [message("{label}:", label=row["label"])]
        if row["villages"] is not None:
            share = 100 * (row["villages_share"] or 0)
            parts.append(message("{villages} villages ({share:.1f} %)", villages=row["villages"], share=share))
        if row["people_field"] is not None:
            parts.append(message("{people:,.0f} people (field)", people=row["people_field"]))
        if row["people_raster"] is not None:
            parts.append(message("{people:,.0f} people (raster)", people=row["people_raster"]))
        if row["incidents"] is not None:
            share = 100 * (row["incidents_share"] or 0)
            parts.append(message("{incidents} incidents ({share:.1f} %)", incidents=row["incidents"], share=share))
        return " ".join(parts)


def parse_rings(text: str | None) -> list[float]:
    """Ring distances from a comma list like ``"5000, 10000,20000"`` (metres, ascending, > 0)."""
    if text is None or not str(text).strip():
        return []
    rings = []
    for item in str(text).replace(";", ",").split(","):
        item = item.strip()
        if not item:
            continue
        try:
            value = float(item)
        except ValueError:
            raise MewError(
                "RINGS: '{item}' is not a distance in metres. Give a comma list like 5000,10000,20000.", item=item
            ) from None
        if not np.isfinite(value) or value <= 0:
            raise MewError("RINGS: {item} must be a positive distance in metres.", item=item)
        rings.append(value)
    return sorted(set(rings))


def first_ids(ids: Sequence[Any], count: int = 20) -> str:
    """The first ``count`` ids for a message, with … when there are more."""
    return ", ".join(map(str, ids[:count])) + (" …" if len(ids) > count else "")
