"""The coverage summary: villages, people and incidents in each zone, outside them, and in total."""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from .coverage_types import Zone


def coverage_summary(
    zones: Sequence[Zone],
    villages: dict[str, np.ndarray],
    population: np.ndarray | None,
    incidents: dict[str, np.ndarray],
    raster_people: tuple[Sequence[float], float] | None,
) -> list[dict[str, Any]]:
    """One row per zone, then 'not covered', 'outside all rings' and 'total'.

    ``villages`` and ``incidents`` are the measures of :meth:`.CoverageModel.measure` (empty: not given),
    ``population`` the people of each measured village, ``raster_people`` the raster's people per zone and
    in all (:func:`.coverage_zones.raster_people`).
    """
    n_villages = villages["covered"].size if villages else 0
    n_incidents = incidents["covered"].size if incidents else 0
    people = np.nan_to_num(population) if population is not None else None
    masks_v: list[np.ndarray | None] = []
    masks_i: list[np.ndarray | None] = []
    for zone in zones:
        if zone.kind == "covered":
            masks_v.append(villages["covered"] if villages else None)
            masks_i.append(incidents["covered"] if incidents else None)
        else:
            masks_v.append(villages["ring"] <= zone.distance_m if villages else None)
            masks_i.append(incidents["ring"] <= zone.distance_m if incidents else None)
    rows = []
    raster_sums: list[float | None] = list(raster_people[0]) if raster_people else [None] * len(zones)
    grand = raster_people[1] if raster_people else None

    def row(
        zone: str,
        label: str,
        distance: float | None,
        mv: np.ndarray | None,
        mi: np.ndarray | None,
        raster_value: float | None,
    ) -> dict[str, Any]:
        record: dict[str, Any] = {"zone": zone, "label": label, "distance_m": distance}
        record["villages"] = int(mv.sum()) if mv is not None else None
        record["villages_share"] = _share(record["villages"], n_villages)
        record["people_field"] = float(people[mv].sum()) if (mv is not None and people is not None) else None
        record["people_field_share"] = _share(
            record["people_field"], float(people.sum()) if people is not None else None
        )
        record["people_raster"] = raster_value
        record["people_raster_share"] = _share(raster_value, grand)
        record["incidents"] = int(mi.sum()) if mi is not None else None
        record["incidents_share"] = _share(record["incidents"], n_incidents)
        return record

    for zone, mv, mi, rs in zip(zones, masks_v, masks_i, raster_sums):
        rows.append(row(zone.kind, zone.label, zone.distance_m, mv, mi, rs))

    def beyond(zone: str, label: str, index: int) -> dict[str, Any]:
        """The row of what lies outside zone number ``index``."""
        inside_v, inside_i, inside_r = masks_v[index], masks_i[index], raster_sums[index]
        return row(
            zone,
            label,
            None,
            None if inside_v is None else ~inside_v,
            None if inside_i is None else ~inside_i,
            None if inside_r is None or grand is None else grand - inside_r,
        )

    rows.append(beyond("not covered", "not covered", 0))
    if len(zones) > 1:
        rows.append(beyond("outside", "outside all rings", -1))
    rows.append(
        row(
            "total",
            "total",
            None,
            np.ones(n_villages, bool) if villages else None,
            np.ones(n_incidents, bool) if incidents else None,
            grand,
        )
    )
    return rows


def _share(value: float | None, total: float | None) -> float | None:
    """``value`` as a share of ``total``; None when either is unknown or the total is 0."""
    if value is None or total is None or not total:
        return None
    return float(value) / float(total)
