"""Patrol coverage: who is within reach of a base or a recent patrol, and since when.

All distances are geodesic (see :mod:`.geodesic`), whatever the CRS of the
input; population from a raster is summed by the exact share of each pixel
inside a zone (see :mod:`.fractional`).

Definitions
-----------
* A village is **covered** when it lies within its base's reach (per-base
  radius) of a base, or within ``patrol_distance`` of a patrol track that
  counts (dated within ``window_days`` up to ``as_of``, when dates are used).
* **Rings** are graded reach distances measured the same way from bases and
  counting patrols; a village's ``ring`` is the smallest ring distance it lies
  within. Ring zones are cumulative ("within 10 km" contains "within 5 km").
* ``days_since_patrol`` counts days from the last patrol (any date up to
  ``as_of``) passing within ``patrol_distance`` of the village to ``as_of``.

The engine is split by concept: :mod:`.coverage_types` (what it takes and
gives), :mod:`.coverage_model` (bases and patrols, and points measured against
them), :mod:`.coverage_zones` (the zones and the people of a raster in them)
and :mod:`.coverage_summary`.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
from pyproj import CRS

from .coverage_model import CoverageModel, point_coordinates
from .coverage_summary import coverage_summary
from .coverage_types import CoverageResult, CoverageSettings, Features
from .coverage_zones import CoverageZones, raster_people
from .errors import MewError
from .parallel import Background
from .progress import SILENT, Progress


def analyse_coverage(
    crs: CRS,
    bases: Features | None,
    patrols: Features | None,
    villages: Features | None,
    incidents: Features | None,
    settings: CoverageSettings,
    progress: Progress = SILENT,
    points_measured: Callable[[CoverageResult], None] | None = None,
) -> CoverageResult:
    """Coverage zones, per-village reach and recency, incident counts and a summary.

    All geometries are in ``crs`` (any CRS with an ellipsoid); the zones come
    back in ``crs`` too. ``points_measured``, when given, receives the result
    as soon as the villages and incidents are measured (its zones and summary
    still empty): a caller can write them out while the zones are being built.
    """
    warnings: list[str] = []
    if villages is not None and not len(villages):
        raise MewError("The villages layer '{name}' is empty.", name=villages.name)
    if incidents is not None and not len(incidents):
        raise MewError("The incidents layer '{name}' is empty.", name=incidents.name)
    model = CoverageModel(crs, bases, patrols, settings, warnings)
    rings = list(settings.rings)
    progress.step(0.02)

    zone_builder = CoverageZones(model, rings)
    in_background = zone_builder.in_background
    with Background(zone_builder.as_wkb, [0], side_by_side=in_background) as zones_later:
        geometries: list[Any] = [] if in_background else zone_builder.geometries(progress)
        points_stage = progress.sub(0.52, 0.9) if not in_background else progress.sub(0.02, 0.6)
        village_table: dict[str, np.ndarray] = {}
        village_rows = np.zeros(0, np.int64)
        population = None
        if villages is not None:
            lon, lat, village_rows = point_coordinates(model.geodesy, villages, warnings, "villages")
            village_table = model.measure(lon, lat, rings, points_stage.sub(0.0, 0.6), recency=True)
            village_table["lon"], village_table["lat"] = lon, lat
            if settings.population is not None:
                population = np.array(settings.population, dtype=float)[village_rows]  # None -> NaN
        incident_table: dict[str, np.ndarray] = {}
        if incidents is not None:
            lon, lat, _ = point_coordinates(model.geodesy, incidents, warnings, "incidents")
            incident_table = model.measure(lon, lat, rings, points_stage.sub(0.6, 1.0), exact_beyond_reach=False)
        if points_measured is not None:
            points_measured(
                CoverageResult(
                    [], village_table, village_rows, incident_table, [], model.as_of, model.base_rows, warnings
                )
            )
        if in_background:
            geometries = zone_builder.from_wkb(zones_later.results(progress.check)[0])
            progress.step(0.9)
    zones = zone_builder.zones(geometries)

    people_in_raster = None
    if settings.population_raster:
        people_in_raster = raster_people(
            zones, crs, settings.population_raster, settings.population_raster_crs, progress.sub(0.9, 0.99)
        )
    summary = coverage_summary(zones, village_table, population, incident_table, people_in_raster)
    progress.step(1.0)
    return CoverageResult(
        zones,
        village_table,
        village_rows,
        incident_table,
        summary,
        model.as_of,
        model.base_rows,
        warnings,
        model.patrol_period,
    )
