"""Drought classes: tables of index thresholds, their defaults per index, colours and metadata."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import rasterio

from ..errors import MewError

INDICES = ("vci", "ndvi_anomaly", "standardized_anomaly")
CLASS_NODATA = 0


@dataclass(frozen=True)
class DroughtClass:
    """One class of a table: its code in the class raster (1 = worst), its name and its upper bound."""

    code: int
    name: str
    upper: float | None  # exclusive upper bound of the index; None = unbounded


#: How CLASSES is written, for messages.
CLASSES_FORM = (
    "Write 'upper bound:name' pairs, worst first, separated by ';', and end with the name of the class "
    "without drought, e.g. '10:extreme; 20:severe; 30:moderate; 40:mild; none'."
)
#: Class codes are written as bytes, 0 being nodata.
MAX_CLASSES = 255


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class ClassTable:
    """Drought classes by index thresholds, worst first; the last class is "no drought"."""

    classes: tuple[DroughtClass, ...]

    @classmethod
    def parse(cls, text: str) -> ClassTable:
        """``"10:extreme; 20:severe; 30:moderate; 40:mild; none"`` (upper bounds, exclusive, ascending).

        Each class but the last is ``upper bound:name`` (a finite number, then a
        name that is neither a number nor holds a colon); the last may be a name
        alone. Anything else is refused with the expected form.
        """
        parts = [p.strip() for p in re.split(r"[;\n]+", text or "") if p.strip()]

        def refuse(problem: str) -> MewError:
            return MewError(
                "CLASSES '{text}' is not a class table: {problem}. {classes_form}",
                text=text,
                problem=problem,
                classes_form=CLASSES_FORM,
            )

        if not parts or (len(parts) == 1 and ":" not in parts[0]):
            raise refuse("it needs at least two classes")
        classes = []
        previous = -math.inf
        for code, part in enumerate(parts, 1):
            bound: float | None
            if ":" in part:
                bound_text, name = (s.strip() for s in part.split(":", 1))
                try:
                    upper = float(bound_text)
                except ValueError:
                    raise refuse(f"'{bound_text}' in '{part}' is not a number") from None
                if not math.isfinite(upper):
                    raise refuse(f"the bound '{bound_text}' in '{part}' is not a finite number")
                if ":" in name:
                    raise refuse(f"'{part}' has more than one ':'")
                if upper <= previous:
                    raise refuse(f"the bounds must increase and '{part}' does not")
                previous = bound = upper
            else:
                bound, name = None, part
                if code != len(parts):
                    raise refuse(f"only the last class may have no upper bound, and '{part}' has none")
            if _is_number(name):
                raise refuse(f"'{name}' in '{part}' is a number where a class name belongs")
            classes.append(DroughtClass(code, name or f"class {code}", bound))
        if classes[-1].upper is not None:
            classes.append(DroughtClass(len(classes) + 1, "none", None))
        if len(classes) > MAX_CLASSES:
            raise refuse(f"it has {len(classes)} classes and at most {MAX_CLASSES} fit the class raster")
        return cls(tuple(classes))

    @property
    def text(self) -> str:
        return "; ".join(f"{c.upper:g}:{c.name}" if c.upper is not None else c.name for c in self.classes)

    @property
    def drought_below(self) -> float:
        """Index values below this are drought: every class but the last."""
        return float(self.classes[-2].upper)  # type: ignore[arg-type]

    def classify(self, values: np.ndarray) -> np.ndarray:
        """Class codes (1 = worst) as uint8; :data:`CLASS_NODATA` where ``values`` is NaN."""
        bounds = np.array([c.upper for c in self.classes[:-1]], dtype=np.float32)
        codes = (np.searchsorted(bounds, values, side="right") + 1).astype(np.uint8)
        codes[np.isnan(values)] = CLASS_NODATA
        return codes

    def as_metadata(self) -> list[dict[str, Any]]:
        rows = []
        lower = None
        for c in self.classes:
            rows.append({"code": c.code, "name": c.name, "min": lower, "max_exclusive": c.upper})
            lower = c.upper
        return rows

    def colormap(self) -> dict[int, tuple[int, int, int, int]]:
        palette = _ramp(len(self.classes))
        cmap = {CLASS_NODATA: (0, 0, 0, 0)}
        cmap.update({c.code: palette[i] for i, c in enumerate(self.classes)})
        return cmap


def _ramp(count: int) -> list[tuple[int, int, int, int]]:
    """Dark red (worst) through orange and yellow to green (no drought)."""
    stops = [(115, 0, 0), (230, 0, 0), (255, 170, 0), (255, 255, 115), (56, 168, 0)]
    if count <= 1:
        return [(*stops[-1], 255)]
    result = []
    for i in range(count):
        position = i / (count - 1) * (len(stops) - 1)
        low = min(int(position), len(stops) - 2)
        t = position - low
        red, green, blue = (round(stops[low][k] * (1 - t) + stops[low + 1][k] * t) for k in range(3))
        result.append((red, green, blue, 255))
    return result


#: Kogan's drought threshold: a VCI below 40 is drought, and the drier the closer to 0.
VCI_DROUGHT = 40.0


def vci_drought_share(vci: np.ndarray) -> np.ndarray:
    """How deep in drought a VCI (0–100) is, 0–1: ``(40 − VCI) / 40`` clipped (0 at VCI 40 or more, 1 at 0)."""
    return np.clip((VCI_DROUGHT - np.asarray(vci, dtype=float)) / VCI_DROUGHT, 0.0, 1.0)


DEFAULT_CLASSES = {
    "vci": "10:extreme; 20:severe; 30:moderate; 40:mild; none",
    "ndvi_anomaly": "-0.2:extreme; -0.15:severe; -0.1:moderate; -0.05:mild; none",
    "standardized_anomaly": "-2:extreme; -1.5:severe; -1:moderate; -0.5:mild; none",
}


def default_classes(index: str) -> ClassTable:
    """The class table used for ``index`` when none is given."""
    return ClassTable.parse(DEFAULT_CLASSES[check_index(index)])


def check_index(index: str) -> str:
    """``index`` if it is one of :data:`INDICES`, else an error listing them."""
    if index not in INDICES:
        raise MewError("INDEX '{index}' is not known: use one of {indices}.", index=index, indices=", ".join(INDICES))
    return index


def classes_of(path: str, fallback: str = "vci") -> ClassTable:
    """The class table written into an index raster by :func:`.index.drought_index`, else the default."""
    with rasterio.open(path) as dataset:
        tags = dataset.tags()
    text = tags.get("MEW_CLASSES")
    if text:
        try:
            rows = json.loads(text)
            return ClassTable(tuple(DroughtClass(int(r["code"]), str(r["name"]), r["max_exclusive"]) for r in rows))
        except (ValueError, KeyError, TypeError):
            pass
    return default_classes(tags.get("MEW_INDEX", fallback))
