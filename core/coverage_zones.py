"""The coverage zones: land within reach of the bases and counting patrols, and within each ring distance.

Zones are dissolved geodesic circles around bases and geodesic buffers of
tracks (see :mod:`.geodesic`), in the analysis CRS.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np
from pyproj import CRS, Transformer
from shapely import wkb as shapely_wkb
from shapely.ops import transform as shapely_transform
from shapely.ops import unary_union

from .coverage_model import CoverageModel
from .coverage_types import Zone
from .crs import transform_xy
from .errors import MewError
from .fractional import weighted_sums
from .geodesic import PARALLEL_MIN_LINES, ZoneError, buffer_lines
from .parallel import can_share, check_stopped
from .progress import SILENT, Progress

#: Vertices of a geodesic circle around a base: a 128-gon keeps the area within 0.04 % of the circle's.
CIRCLE_VERTICES = 128


@dataclass(frozen=True)
class ZoneStep:
    """One zone to build: the covered zone (``distance_m`` None) or one ring."""

    kind: str
    label: str
    distance_m: float | None


class CoverageZones:
    """The covered zone and one zone per ring of a model, built here or in the background.

    Buffering many tracks is GEOS work for the other cores: :attr:`in_background`
    says to build the zones in a thread or a forked process (which shares the
    work out again) while this thread measures the villages and incidents.
    """

    def __init__(self, model: CoverageModel, rings: Sequence[float]) -> None:
        self.model = model
        self.steps = [ZoneStep("covered", "covered", None)] + [ZoneStep("ring", f"within {d:g} m", d) for d in rings]
        self.in_background = len(model.patrol_lines) >= PARALLEL_MIN_LINES and can_share()

    def geometry(self, step: ZoneStep, progress: Progress) -> Any:
        """The polygon of one zone, None when it is empty."""
        model = self.model
        if step.distance_m is None:
            return self._within_reach(model.base_radius, model.settings.patrol_distance, progress)
        return self._within_reach(np.full(model.base_radius.size, step.distance_m), step.distance_m, progress)

    def geometries(self, progress: Progress) -> list[Any]:
        """Every zone's polygon, built in this thread; the zones share ``0.02..0.52`` of ``progress``."""
        count = len(self.steps)
        return [
            self.geometry(step, progress.sub(0.02 + 0.5 * number / count, 0.02 + 0.5 * (number + 1) / count))
            for number, step in enumerate(self.steps)
        ]

    def _within_reach(self, base_radius: np.ndarray, patrol_distance: float | None, progress: Progress) -> Any:
        """Dissolved polygon (analysis CRS) of land within the given reach of bases and counting patrols."""
        model = self.model
        parts = [
            model.geodesy.geodesic_circle(lo, la, r, CIRCLE_VERTICES)
            for lo, la, r in zip(model.base_lon, model.base_lat, base_radius)
            if r > 0
        ]
        counting_lines = [line for line, keep in zip(model.patrol_lines, model.counting) if keep]
        if counting_lines and patrol_distance and patrol_distance > 0:
            try:
                parts.append(
                    buffer_lines(
                        model.geodesy,
                        counting_lines,
                        patrol_distance,
                        model.settings.patrol_segments,
                        progress=progress,
                    )
                )
            except ZoneError as error:
                patrol = model.patrol_ids[model.counting_index[error.line]]
                raise MewError(
                    "The zone of {patrol_distance:,.0f} km around patrol {patrol} of '{patrols_name}' {why}.",
                    patrol_distance=patrol_distance / 1000,
                    patrol=patrol,
                    patrols_name=model.patrols_name,
                    why=error.why,
                ) from None
        parts = [p for p in parts if p is not None and not p.is_empty]
        if not parts:
            return None
        return unary_union(parts) if len(parts) > 1 else parts[0]

    def as_wkb(self, _share: int) -> list[bytes | None]:
        """Every zone's polygon as WKB, for :class:`.parallel.Background` (it reports no progress)."""
        geometries = []
        for step in self.steps:
            check_stopped()  # after a cancel here, the background ends instead of building the other zones
            geometries.append(self.geometry(step, SILENT))
        return [None if g is None else g.wkb for g in geometries]

    @staticmethod
    def from_wkb(zones_wkb: list[bytes | None]) -> list[Any]:
        """The polygons :meth:`as_wkb` gave."""
        return [None if data is None else shapely_wkb.loads(data) for data in zones_wkb]

    def zones(self, geometries: Sequence[Any]) -> list[Zone]:
        """The zones of these polygons, with their geodesic areas."""
        area = self.model.geodesy.polygon_area
        return [
            Zone(
                step.kind, step.label, step.distance_m, geometry, area(geometry) / 1e6 if geometry is not None else 0.0
            )
            for step, geometry in zip(self.steps, geometries)
        ]


def raster_people(
    zones: Sequence[Zone], crs: CRS, raster: str, raster_crs: CRS | None, progress: Progress
) -> tuple[list[float], float]:
    """People of the population raster within each zone (exact pixel shares) and in the whole raster."""
    return people_within([z.geometry for z in zones], crs, raster, raster_crs, progress)


def people_within(
    geometries: Sequence[Any], crs: CRS, raster: str, raster_crs: CRS | None, progress: Progress
) -> tuple[list[float], float]:
    """People of the population raster within each polygon given in ``crs`` (exact pixel shares; None: no
    polygon, no people) and in the whole raster."""
    raster_crs = raster_crs or crs
    to_raster = Transformer.from_crs(crs, raster_crs, always_xy=True)
    same = CRS.from_user_input(raster_crs) == CRS.from_user_input(crs)
    in_raster = [
        None
        if g is None
        else (g if same else shapely_transform(lambda x, y, zz=None: transform_xy(to_raster, x, y), g))
        for g in geometries
    ]
    return weighted_sums(raster, in_raster, progress=progress)
