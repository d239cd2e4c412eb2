"""CRSs as a manifest declares them: parsed with pyproj and compared with the ones files carry."""

from __future__ import annotations

from typing import Optional

from pyproj import CRS


def parse_crs(text: Optional[str]) -> Optional[CRS]:
    """The CRS ``text`` names (``EPSG:<code>``, WKT, PROJ), or None when it names none."""
    if not text:
        return None
    try:
        return CRS.from_user_input(text)
    except Exception:  # pyproj raises CRSError and, for odd input, others
        return None


def same_crs(a: CRS, b: CRS) -> bool:
    """True when two CRSs are the same coordinate system (axis order and naming aside)."""
    if a.equals(b, ignore_axis_order=True):
        return True
    code_a, code_b = a.to_epsg(min_confidence=70), b.to_epsg(min_confidence=70)
    return code_a is not None and code_a == code_b


def crs_label(crs: CRS) -> str:
    """How a message names a CRS: its EPSG code, else its name."""
    code = crs.to_epsg(min_confidence=70)
    return f"EPSG:{code}" if code else (crs.name or "an unnamed CRS")
