"""Progress reporting and cancellation, independent of QGIS.

Long engine functions take a ``Progress`` and call ``progress.step(fraction)``
as they go. The Processing layer builds one from ``QgsProcessingFeedback``; a
script passes nothing and gets the silent default.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from .errors import OperationCancelled


def _ignore(_percent: float) -> None:
    return None


def _never() -> bool:
    return False


@dataclass(frozen=True)
class Progress:
    """Reports a percentage in ``[start, end]`` and checks for cancellation."""

    report: Callable[[float], None] = field(default=_ignore)
    is_canceled: Callable[[], bool] = field(default=_never)
    start: float = 0.0
    end: float = 100.0

    def step(self, fraction: float) -> None:
        """Report ``fraction`` (0..1) of this stage done; raise if cancelled."""
        self.check()
        fraction = min(max(fraction, 0.0), 1.0)
        self.report(self.start + (self.end - self.start) * fraction)

    def check(self) -> None:
        """Raise :class:`OperationCancelled` when the user has cancelled."""
        if self.is_canceled():
            raise OperationCancelled()

    def sub(self, first: float, last: float) -> Progress:
        """The share ``first..last`` (fractions 0..1) of this stage, as its own stage."""
        span = self.end - self.start
        return Progress(self.report, self.is_canceled, self.start + span * first, self.start + span * last)


SILENT = Progress()
