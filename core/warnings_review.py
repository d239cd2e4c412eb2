"""How the mission responded to its early warnings: response times, overdue warnings, incidents that followed.

For each warning of the register (:mod:`.warnings_register`):

* **response time**: days from issue to the action date (one decimal), none while no action is recorded;
* **overdue**: still open, no action, issued more than N days before the review;
* **incidents that followed**: incidents inside the warned area (on its boundary included) dated from the day
  after the warning's issue day to ``window`` days after it. Incident records carry a day, not a time: an
  incident of the issue day itself may have come before the warning, so it is not counted.

The summary sets the warnings acted upon (an action date recorded) against those that were not: how many of
each were followed by at least one incident within the window. It says what happened, not why.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone
from statistics import median
from typing import Optional, Sequence

import numpy as np

from .messages import message, number_text
from .points_in_area import covered_points
from .progress import SILENT, Progress
from .warnings_register import EarlyWarning, overdue_warnings


@dataclass(frozen=True)
class WarningReview:
    """One warning as the review sees it; ``incidents_after`` is None when no incidents were given."""

    warning: EarlyWarning
    response_days: Optional[float]
    incidents_after: Optional[int]
    overdue: bool

    @property
    def acted_upon(self) -> bool:
        """An action (and its date) is recorded."""
        return self.warning.action_date is not None


@dataclass(frozen=True)
class FollowedSummary:
    """Warnings with and without action, and how many of each were followed by incidents in the window."""

    with_action: int
    with_action_followed: int
    without_action: int
    without_action_followed: int


def review_warnings(
    warnings: Sequence[EarlyWarning],
    incident_xy: Optional[np.ndarray] = None,
    incident_days: Optional[Sequence[Optional[date]]] = None,
    window_days: int = 30,
    overdue_days: float = 7,
    now: Optional[datetime] = None,
    progress: Progress = SILENT,
) -> list[WarningReview]:
    """Review each warning; incidents are (n, 2) coordinates in the register's CRS with their days (None: undated,
    left out)."""

    now = now or datetime.now(timezone.utc)
    overdue = {warning.id for warning in overdue_warnings(warnings, overdue_days, now)}
    have_incidents = incident_xy is not None and incident_days is not None
    xy = np.asarray(incident_xy if incident_xy is not None else np.zeros((0, 2)), dtype=float).reshape(-1, 2)
    days = np.array(
        [np.datetime64(day, "D") if day is not None else np.datetime64("NaT") for day in incident_days or []],
        dtype="datetime64[D]",
    )
    reviews = []
    for index, warning in enumerate(warnings):
        progress.step(index / max(len(warnings), 1))
        followed: Optional[int] = None
        if have_incidents:
            issue_day = np.datetime64(warning.issued.date(), "D")
            in_window = (days > issue_day) & (days <= issue_day + np.timedelta64(int(window_days), "D"))
            followed = int(covered_points(warning.area, xy, np.flatnonzero(in_window)).size)
        reviews.append(WarningReview(warning, warning.response_days(), followed, warning.id in overdue))
    progress.step(1.0)
    return reviews


def followed_summary(reviews: Sequence[WarningReview]) -> FollowedSummary:
    """Counts of warnings with and without action, and of those followed by at least one incident."""
    acted = [review for review in reviews if review.acted_upon]
    not_acted = [review for review in reviews if not review.acted_upon]
    return FollowedSummary(
        len(acted),
        sum(1 for review in acted if review.incidents_after),
        len(not_acted),
        sum(1 for review in not_acted if review.incidents_after),
    )


def median_response_days(reviews: Sequence[WarningReview]) -> Optional[float]:
    """The median response time of the warnings acted upon (days, one decimal); None when none was."""
    times = [review.response_days for review in reviews if review.response_days is not None]
    return round(float(median(times)), 1) if times else None


#: The columns of the annex's table of warnings, in English: the layout shows them in the reader's language.
ANNEX_HEADERS = (
    "Warning",
    "Issued",
    "Threat",
    "Source",
    "Confidence",
    "Responsible unit",
    "Action taken",
    "Action date",
    "Response (days)",
    "Status",
    "Incidents after",
    "Outcome",
)


def annex_rows(reviews: Sequence[WarningReview]) -> list[list[str]]:
    """One row of plain text per warning, in :data:`ANNEX_HEADERS` order (an overdue one says so in its status)."""
    rows = []
    for review in reviews:
        warning = review.warning
        status = message(warning.status)  # the register keeps its codes; the reader reads words
        if review.overdue:
            status = message("{status} (overdue)", status=status)
        rows.append(
            [
                warning.id,
                _moment(warning.issued),
                warning.threat_type,
                warning.source_layer or warning.source_algorithm,
                message(warning.confidence),
                warning.responsible_unit,
                warning.action_taken,
                _moment(warning.action_date) if warning.action_date is not None else "",
                number_text(f"{review.response_days:.1f}") if review.response_days is not None else "",
                status,
                str(review.incidents_after) if review.incidents_after is not None else "",
                warning.outcome,
            ]
        )
    return rows


def annex_summary(reviews: Sequence[WarningReview], window_days: int, overdue_days: float) -> list[str]:
    """The lines above the annex's table: counts, response times, overdue warnings, incidents that followed."""
    by_status = {
        status: sum(1 for r in reviews if r.warning.status == status) for status in ("open", "actioned", "closed")
    }
    lines = [
        message(
            "{count} warning(s): {open} open, {actioned} actioned, {closed} closed; {overdue} overdue (open "
            "without action for more than {overdue_days:g} days).",
            count=len(reviews),
            overdue=sum(r.overdue for r in reviews),
            overdue_days=overdue_days,
            **by_status,
        )
    ]
    middle = median_response_days(reviews)
    acted = [r.response_days for r in reviews if r.response_days is not None]
    if middle is not None:
        lines.append(
            message(
                "Response time, issue to action: median {median:.1f} days, longest {longest:.1f} days "
                "({count} warning(s) acted upon).",
                median=middle,
                longest=max(acted),
                count=len(acted),
            )
        )
    else:
        lines.append(message("Response time: no action recorded yet."))
    if reviews and all(r.incidents_after is not None for r in reviews):
        summary = followed_summary(reviews)
        lines.append(
            message(
                "Incidents in the warned area within {window_days} days after issue: with action, "
                "{with_action_followed} of {with_action} warning(s) followed by incidents; without action, "
                "{without_action_followed} of {without_action}.",
                window_days=window_days,
                with_action_followed=summary.with_action_followed,
                with_action=summary.with_action,
                without_action_followed=summary.without_action_followed,
                without_action=summary.without_action,
            )
        )
    return lines


def _moment(moment: datetime) -> str:
    """A time in the table: ``2026-03-01 08:00 UTC``."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
