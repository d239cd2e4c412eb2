"""What validation finds: problems with a severity, the layer they concern and what to do."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Optional

ERROR = "error"
WARNING = "warning"
#: Worth knowing, not a fault of the layer (e.g. bad rows the importer will report): status stays OK.
NOTE = "note"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a package or one of its layers."""

    severity: str  # ERROR, WARNING or NOTE
    layer_id: Optional[str]  # None: the package as a whole
    message: str
    action: str

    @property
    def is_error(self) -> bool:
        """True for an error (the package does not load as it is)."""
        return self.severity == ERROR


def has_errors(problems: Iterable[Problem]) -> bool:
    """True when any of ``problems`` is an error."""
    return any(problem.is_error for problem in problems)


def layer_status(problems: Iterable[Problem], layer_id: str) -> str:
    """``"OK"``, ``"warning"`` or ``"error"`` for one layer."""
    severities = {problem.severity for problem in problems if problem.layer_id == layer_id}
    if ERROR in severities:
        return ERROR
    if WARNING in severities:
        return WARNING
    return "OK"
