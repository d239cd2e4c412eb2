"""The early-warning grid's score: where an emerging hot spot, drought, people and a patrol gap meet.

Each cell gets five factors, each scaled to 0–1 by a fixed rule (the same
value gives the same factor in every run, so scores of two runs compare):

``hotspot``  the emerging hot spot category of the cell (:data:`HOTSPOT_FACTOR`):
             new and intensifying hot spots 1, consecutive 0.9, persistent 0.7,
             sporadic and oscillating 0.5, diminishing 0.3, historical 0.2; no
             pattern and every cold spot 0. Early warning looks for violence that
             starts or grows, so the categories of change weigh most.
``drought``  the mean VCI of the cell: ``(40 − VCI) / 40`` clipped to 0–1 (Kogan:
             below 40 is drought; 0 at VCI 40 or more, 1 at VCI 0).
``dvci``     the mean change of VCI: a fall of ``vci_fall_full`` points (40 by
             default, from a normal year's 50 to extreme drought's 10) or more
             is 1; no fall or a rise is 0.
``people``   the people living in the cell over ``people_full`` (10,000 by
             default: a small town), capped at 1.
``patrol``   the days since the last patrol within the patrol distance of the
             cell over ``patrol_full_days`` (60 by default: two missed monthly
             cycles), capped at 1; a cell no patrol reached up to the situation
             date is 1.

Score = 100 × Σ wₖ·fₖ / Σ wₖ, summed over the factors whose input was given;
each factor's points ``100·wₖ/Σw·fₖ`` are kept, so the score is their sum. A
factor whose input is not given is left out for every cell and the weights of
the others count in full (the score stays 0–100). A cell the given input says
nothing about (no valid VCI pixel in it, outside every hot spot cell) has that
factor 0: no evidence is no warning, and cells stay comparable.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

import numpy as np

from .drought.classes import vci_drought_share
from .errors import MewError
from .messages import message

FACTORS = ("hotspot", "drought", "dvci", "people", "patrol")
#: Violence that starts or grows is the closest sign of what comes next (0.30); drought, its level and its fall
#: (0.20 + 0.15), multiplies the risk of communal violence; a patrol gap (0.20) decides whether the mission
#: would see it coming; the people (0.15) say how many it would touch.
DEFAULT_WEIGHTS: dict[str, float] = {"hotspot": 0.30, "drought": 0.20, "dvci": 0.15, "people": 0.15, "patrol": 0.20}
#: The factor of each emerging hot spot category code (ArcGIS's CATEGORY; cold spots are negative: 0).
HOTSPOT_FACTOR: dict[int, float] = {1: 1.0, 3: 1.0, 2: 0.9, 4: 0.7, 6: 0.5, 7: 0.5, 5: 0.3, 8: 0.2}
#: A factor at or above this share names its sign in the reason (the hot spot does when it is any hot spot).
REASON_SHARE = 0.25
#: The people are named when they are at least this share of ``people_full``.
REASON_PEOPLE_SHARE = 0.1


@dataclass
class WarningSettings:
    """The weights of the factors and the values at which a factor is full."""

    weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    vci_fall_full: float = 40.0
    people_full: float = 10000.0
    patrol_full_days: float = 60.0


@dataclass
class CellMeasures:
    """What was measured in each cell; a factor whose input was not given is ``None``.

    NaN in a given measure: nothing measured there (no valid pixel, no hot spot
    cell, no patrol within reach up to the situation date).
    """

    count: int
    hotspot_code: np.ndarray | None = None
    vci_mean: np.ndarray | None = None
    dvci_mean: np.ndarray | None = None
    people: np.ndarray | None = None
    days_since_patrol: np.ndarray | None = None


@dataclass
class WarningScores:
    """Factors (``f_*``), points (``pts_*``), ``score`` and ``rank`` per cell, in the cells' order."""

    table: dict[str, np.ndarray]
    order: np.ndarray  # cell indices, highest score first
    factors: tuple[str, ...]  # the factors scored (their input given)


def factors_of(measures: CellMeasures, settings: WarningSettings) -> dict[str, np.ndarray]:
    """Each given factor of every cell, 0–1 (see the module's rules)."""
    factors: dict[str, np.ndarray] = {}
    if measures.hotspot_code is not None:
        codes = np.asarray(measures.hotspot_code, dtype=float)
        factors["hotspot"] = np.array(
            [HOTSPOT_FACTOR.get(int(c), 0.0) if np.isfinite(c) else 0.0 for c in codes], dtype=float
        )
    if measures.vci_mean is not None:
        factors["drought"] = np.nan_to_num(vci_drought_share(measures.vci_mean), nan=0.0)
    if measures.dvci_mean is not None:
        fall = -np.asarray(measures.dvci_mean, dtype=float) / _positive(settings.vci_fall_full, "VCI fall")
        factors["dvci"] = np.nan_to_num(np.clip(fall, 0.0, 1.0), nan=0.0)
    if measures.people is not None:
        share = np.asarray(measures.people, dtype=float) / _positive(settings.people_full, "people")
        factors["people"] = np.nan_to_num(np.clip(share, 0.0, 1.0), nan=0.0)
    if measures.days_since_patrol is not None:
        days = np.asarray(measures.days_since_patrol, dtype=float)
        late = np.clip(days / _positive(settings.patrol_full_days, "patrol days"), 0.0, 1.0)
        factors["patrol"] = np.where(np.isfinite(days), late, 1.0)
    return factors


def score_cells(measures: CellMeasures, settings: WarningSettings) -> WarningScores:
    """The factors, their points, the score and the rank of every cell."""
    factors = factors_of(measures, settings)
    if not factors:
        raise MewError(
            "Nothing to score: give at least one of the emerging hot spots, the VCI, the VCI change, the "
            "population raster or the patrol tracks."
        )
    weights = {key: float(settings.weights.get(key, 0.0)) for key in factors}
    negative = [key for key, weight in weights.items() if not weight >= 0]
    if negative:
        raise MewError("The weight of {factors} must be 0 or more.", factors=", ".join(negative))
    total = sum(weights.values())
    if total <= 0:
        raise MewError(
            "The weights of the factors given ({factors}) are all 0: give one a weight.", factors=", ".join(factors)
        )
    table: dict[str, np.ndarray] = {}
    score: np.ndarray = np.zeros(measures.count)
    for key in FACTORS:
        if key not in factors:
            continue
        points = 100.0 * weights[key] / total * factors[key]
        table[f"f_{key}"] = factors[key]
        table[f"pts_{key}"] = points
        score = score + points
    table["score"] = score
    order = np.argsort(-score, kind="stable")
    rank = np.empty(measures.count, dtype=np.int64)
    rank[order] = np.arange(1, measures.count + 1)
    table["rank"] = rank
    return WarningScores(table, order, tuple(k for k in FACTORS if k in factors))


ReasonPart = tuple[str, dict[str, Any]]


def reason_parts(
    measures: CellMeasures, scores: WarningScores, cell: int, settings: WarningSettings
) -> list[ReasonPart]:
    """The signs of one cell, in a fixed order (hot spot, drought, its fall, people, patrol), as template keys
    and values: :func:`reason_text` puts them in words. A cell without a sign gets ``quiet``."""
    table = scores.table
    parts: list[ReasonPart] = []
    if "f_hotspot" in table and table["f_hotspot"][cell] > 0:
        parts.append(("hotspot", {"code": int(measures.hotspot_code[cell])}))  # type: ignore[index]
    if "f_drought" in table and table["f_drought"][cell] >= REASON_SHARE:
        parts.append(("drought", {"vci": round(float(measures.vci_mean[cell]))}))  # type: ignore[index]
    if "f_dvci" in table and table["f_dvci"][cell] >= REASON_SHARE:
        parts.append(("vci_fell", {"points": round(-float(measures.dvci_mean[cell]))}))  # type: ignore[index]
    if "f_people" in table and table["f_people"][cell] >= REASON_PEOPLE_SHARE:
        parts.append(("people", {"people": rounded_people(float(measures.people[cell]))}))  # type: ignore[index]
    if "f_patrol" in table and table["f_patrol"][cell] >= REASON_SHARE:
        days = float(measures.days_since_patrol[cell])  # type: ignore[index]
        parts.append(("no_patrol", {}) if not math.isfinite(days) else ("patrol_days", {"days": int(days)}))
    return parts or [("quiet", {})]


def rounded_people(people: float) -> int:
    """People as a reason says them: to the hundred from 1,000, to the ten below."""
    step = 100 if people >= 1000 else 10
    return int(math.floor(people / step + 0.5) * step)  # halves up, as people read them (not to even)


def reason_text(
    parts: list[ReasonPart],
    templates: Mapping[str, str],
    categories: Mapping[int, str],
    number: Callable[[float], str] = lambda value: f"{value:,.0f}",
    separator: str = "; ",
) -> str:
    """The reason of one cell in words: each part's template (``{}`` placeholders filled) joined by
    ``separator``. ``templates`` hold a text per part key, ``categories`` the words of each hot spot code;
    ``number`` writes a count as the reader's language does (translated templates give other languages)."""
    words = []
    for key, values in parts:
        if key == "hotspot":
            words.append(templates[key].format(category=categories[values["code"]]))
        else:
            words.append(templates[key].format(**{name: number(value) for name, value in values.items()}))
    return separator.join(words)


def _positive(value: float, what: str) -> float:
    if not value > 0:
        raise MewError(
            "The {what} at which a factor is full must be positive (got {value}).", what=message(what), value=value
        )
    return float(value)
