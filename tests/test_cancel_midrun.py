"""Every algorithm stops when the user cancels after its first progress report, and leaves nothing behind.

Each algorithm runs its first case of ``algorithm_cases.yaml``; the feedback
cancels as soon as the algorithm reports progress, as a user pressing Cancel
while the bar moves. The run must end as a cancel (no results, the
"Cancelled" message of :class:`~mission_early_warning.processing.base.MewAlgorithm`),
report no further progress, write nothing at any output path and leave its
input files as they were.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from qgis.core import QgsProcessingContext, QgsProcessingFeedback

from mission_early_warning.tests.algorithm_cases import CASES, case_parameters, copy_testdata

FIRST_CASE = {case["algorithm"]: case for case in reversed(CASES)}


class CancelAtProgress(QgsProcessingFeedback):
    """Cancels at a given progress report (0: the first; None: never) and records every report and message."""

    def __init__(self, report: int | None = 0) -> None:
        super().__init__()
        self.cancel_at = report
        self.reports: list[float] = []
        self.messages: list[str] = []

    def setProgress(self, progress: float) -> None:
        super().setProgress(progress)
        self.reports.append(progress)
        if self.cancel_at is not None and len(self.reports) > self.cancel_at:
            self.cancel()

    def pushInfo(self, info: str) -> None:
        self.messages.append(info)


def digests(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def run_cancelled(mew, folder: Path, algorithm: str, report: int) -> None:
    """Run the algorithm's first case, cancelled at its ``report``-th progress report, and check what it left."""
    inputs, outputs = copy_testdata(folder)
    parameters = case_parameters(FIRST_CASE[algorithm], inputs, outputs)
    before = digests(inputs)
    feedback = CancelAtProgress(report)

    results = mew.run(algorithm, parameters, context=QgsProcessingContext(), feedback=feedback)

    where = f"{algorithm} cancelled at report {report} ({feedback.reports[report : report + 1]} %)"
    assert feedback.isCanceled(), f"{algorithm} made only {len(feedback.reports)} progress reports"
    assert results == {}, f"{where} went on and returned {results}"
    assert "Cancelled: nothing was written; earlier outputs are as they were." in feedback.messages
    assert len(feedback.reports) == report + 1, f"{where} reported progress after the cancel: {feedback.reports}"
    assert sorted(p.name for p in outputs.iterdir()) == [], f"{where} left files at its outputs"
    after = digests(inputs)
    assert {name: after.get(name) for name in before} == before, f"{where} changed its inputs"
    # QGIS itself leaves GDAL's statistics sidecar beside a raster it opens as a layer, cancelled run or not.
    assert all(name.endswith(".aux.xml") for name in set(after) - set(before)), f"{where} wrote into its inputs"


@pytest.mark.parametrize("algorithm", sorted(FIRST_CASE))
def test_a_cancel_at_the_first_progress_report_stops_the_run_and_writes_nothing(mew, tmp_path, algorithm):
    run_cancelled(mew, tmp_path, algorithm, 0)


@pytest.mark.parametrize("algorithm", sorted(FIRST_CASE))
def test_a_cancel_at_any_later_progress_report_but_the_last_writes_nothing(mew, tmp_path, algorithm):
    """The last report may come when the outputs are in place; any earlier one must still undo everything."""
    inputs, outputs = copy_testdata(tmp_path / "whole run")
    whole_run = CancelAtProgress(None)
    mew.run(
        algorithm,
        case_parameters(FIRST_CASE[algorithm], inputs, outputs),
        context=QgsProcessingContext(),
        feedback=whole_run,
    )
    for report in range(1, len(whole_run.reports) - 1):
        run_cancelled(mew, tmp_path / f"cancelled at report {report}", algorithm, report)
