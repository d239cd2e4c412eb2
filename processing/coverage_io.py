"""The AS_OF date, as mew:patrolcoverage and mew:coveragegaps read it."""

from __future__ import annotations

import datetime as dt

from ..core.errors import MewError


def parse_as_of(text: str | None) -> dt.date | None:
    """``AS_OF`` as a date (ISO ``YYYY-MM-DD``); empty means the latest patrol date."""
    if text is None or not str(text).strip():
        return None
    try:
        return dt.date.fromisoformat(str(text).strip()[:10])
    except ValueError:
        raise MewError(f"AS_OF: '{text}' is not a date. Write it as YYYY-MM-DD, e.g. 2026-10-31.") from None
