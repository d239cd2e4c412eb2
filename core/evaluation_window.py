"""The evaluation window of a forecast: its days, and the window of the same length just before it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from .errors import MewError


@dataclass
class Window:
    """An evaluation window, first and last day included, and the window of the same length just before it."""

    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise MewError(
                "END ({end}) is before START ({start}): give an evaluation window.", end=self.end, start=self.start
            )

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def previous(self) -> Window:
        return Window(self.start - dt.timedelta(days=self.days), self.start - dt.timedelta(days=1))

    def contains(self, day_numbers: np.ndarray) -> np.ndarray:
        """Which day numbers (``date.toordinal()``, NaN for undated) fall in the window."""
        return (day_numbers >= self.start.toordinal()) & (day_numbers <= self.end.toordinal())
