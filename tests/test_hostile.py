"""Every row of tests/hostile_cases.py, run against its target, with the checks that hold for every case.

For each case, besides its own expected error or result:

- **the inputs are unchanged**: every file the case's input builder wrote keeps its sha256. QGIS may write
  GDAL's statistics beside a raster it opens (``<raster>.aux.xml``), as it does for any raster: such a *new*
  sidecar is not a modified input, but a sidecar that was there before (a package's own) must keep its hash,
  and no other new file may appear among the inputs;
- **nothing partial is left**: after an error, the case's output folder holds no file at all; after any run,
  neither the outputs nor the inputs hold a hidden file (``.name.XXXX.tif`` temporaries, ``.mew-previous-*``
  set-aside folders);
- **no child process survives** the case (read from ``/proc``: the test process's children after the case
  are among those before it);
- **no traceback reaches the user**: not in the error message, not in what the algorithm reported
  (errors, warnings, information), the command line's output or the dock's status line, message bar and
  problem list.

The inputs of each builder are written once per session and shared by the cases that use them (which is why
their hashes are checked after every case). Cases that need a process of their own are elsewhere:
a run killed with ``kill -9`` and the next run putting the previous output back, and the unexpected error
whose traceback goes to the log only, in tests/test_processing_guards.py; invalid geometries under each of
QGIS's three settings, run in fresh QGIS processes (QGIS 3.22 crashes on a later run after its own check
raised), in tests/test_invalid_geometries.py; the network watched with ``strace`` while packages are checked
and loaded, in tests/test_package_containment.py.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest
from qgis.core import (
    QgsProcessingContext,
    QgsProcessingException,
    QgsProject,
    QgsSettings,
)
from qgis.PyQt.QtCore import QCoreApplication, QEvent

from mission_early_warning.core.errors import MewError
from mission_early_warning.core.mission_package.package import open_package
from mission_early_warning.core.mission_package.problems import ERROR
from mission_early_warning.core.mission_package.validation import validate
from mission_early_warning.qgis_compat import InvalidGeometryCheck
from mission_early_warning.tests.hostile_cases import BUILDERS, CASES, Case, Outcome
from mission_early_warning.tests.hostile_inputs import UserMessages, unwritable


# --- the invariants ----------------------------------------------------------------------------------------------
def digests(folder: Path) -> dict[Path, str]:
    """sha256 of every regular file under ``folder`` (a FIFO is never opened)."""
    return {path: hashlib.sha256(path.read_bytes()).hexdigest() for path in sorted(folder.rglob("*")) if path.is_file()}


def hidden(folder: Path) -> list[Path]:
    return [path for path in folder.rglob(".*")]


def children() -> set[int]:
    """The ids of this process's children, as Linux lists them per thread."""
    found: set[int] = set()
    for listing in Path("/proc/self/task").glob("*/children"):
        found.update(int(pid) for pid in listing.read_text().split())
    return found


class Built:
    """A builder's inputs: their data sources, their folder and the hashes of the files it wrote."""

    def __init__(self, folder: Path, sources: dict[str, str]) -> None:
        self.folder, self.sources, self.written = folder, sources, digests(folder)

    def unchanged(self) -> None:
        now = digests(self.folder)
        changed = [str(path) for path, digest in self.written.items() if now.get(path) != digest]
        assert not changed, f"inputs modified or removed: {changed}"
        new = [path for path in now if path not in self.written]
        not_sidecars = [
            str(path)
            for path in new
            if not (path.name.endswith(".aux.xml") and path.with_name(path.name[:-8]).is_file())
        ]
        assert not not_sidecars, f"new files among the inputs: {not_sidecars}"
        assert hidden(self.folder) == [], hidden(self.folder)


@pytest.fixture(scope="session")
def built(tmp_path_factory, request):
    """The inputs of a builder (``"name"`` or ``"name:variant"``), written on first use."""
    cache: dict[str, Built] = {}

    class Get:
        def __call__(self, key: str) -> Built:
            return get(key)

        def forget(self, key: str) -> None:
            cache.pop(key, None)

    def get(key: str) -> Built:
        if key not in cache:
            name, _, variant = key.partition(":")
            folder = tmp_path_factory.mktemp(f"hostile-{name}-{variant}".rstrip("-"))
            options = {"damage": variant} if variant else {}
            sources = BUILDERS[name](folder, lambda: request.getfixturevalue("demo_mission").path, **options)
            cache[key] = Built(folder, sources)
        return cache[key]

    return Get()


def fill(value, places: dict[str, str]):
    if isinstance(value, str):
        return value.format_map(places)
    if isinstance(value, list):
        return [fill(item, places) for item in value]
    return value


# --- the targets -------------------------------------------------------------------------------------------------
def run_algorithm(mew, case: Case, parameters: dict) -> Outcome:
    context = QgsProcessingContext()
    context.setInvalidGeometryCheck(InvalidGeometryCheck.AbortOnInvalid)
    feedback = UserMessages()
    outcome = Outcome(log=feedback.log)
    try:
        outcome.results = dict(mew.run(case.target, parameters, context=context, feedback=feedback))
    except QgsProcessingException as error:
        outcome.error = str(error)  # the exception is not kept: its frames would hold layers past QGIS's exit
    del context
    return outcome


def run_checker(case: Case, parameters: dict, sources: dict) -> Outcome:
    outcome = Outcome()
    try:
        problems = validate(open_package(sources["package"]))
    except MewError as error:
        outcome.error = str(error)
        return outcome
    outcome.problems = [(p.severity.lower(), p.layer_id, p.message, p.action) for p in problems]
    errors = [f"{p.layer_id}: {p.message} → {p.action}" for p in problems if p.severity == ERROR]
    outcome.error = "\n".join(errors) or None
    return outcome


def run_checker_cli(case: Case, parameters: dict, sources: dict) -> Outcome:
    done = subprocess.run(
        [sys.executable, "-P", "-m", "mission_early_warning.core.mission_package", "check", sources["package"]],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    outcome = Outcome(
        returncode=done.returncode, stdout=done.stdout, stderr=done.stderr, log=[done.stdout, done.stderr]
    )
    if done.returncode != 0:
        outcome.error = done.stdout + done.stderr
    return outcome


def run_dock(desktop_iface, case: Case, parameters: dict, sources: dict) -> Outcome:
    from mission_early_warning.ui.mission_dock import SETTINGS_PREFIX, MissionDock

    settings = QgsSettings()
    settings.remove(SETTINGS_PREFIX.rstrip("/"))
    QgsProject.instance().clear()
    bar = desktop_iface.messageBar()
    pushed_before = {level: len(messages) for level, messages in bar.messages.items()}
    dock = MissionDock(desktop_iface, desktop_iface.mainWindow())
    outcome = Outcome()
    try:
        if not dock.open_package(sources["package"], remember=False):
            outcome.error = dock.statusLabel.text()
        else:
            outcome.problems = [(severity.lower(), layer, text, "") for severity, layer, text in dock.problem_rows()]
            result = dock.load(as_is=parameters.get("as_is", False))
            if result is not None:
                outcome.added, outcome.skipped = tuple(result.added), dict(result.skipped)
        pushed = [message for level, messages in bar.messages.items() for message in messages[pushed_before[level] :]]
        outcome.log = [
            dock.statusLabel.text(),
            *pushed,
            *(f"{layer}: {text}" for _, layer, text, _ in outcome.problems),
            *outcome.skipped.values(),
        ]
    finally:
        for dialog in list(dock.dialogs):
            dialog.close()
        dock.close()
        dock.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QgsProject.instance().clear()
        settings.remove(SETTINGS_PREFIX.rstrip("/"))
    return outcome


# --- the runner ----------------------------------------------------------------------------------------------------
def _run(case: Case, parameters: dict, sources: dict, mew, desktop_iface) -> Outcome:
    if case.target.startswith("mew:"):
        return run_algorithm(mew, case, parameters)
    if case.target == "checker":
        return run_checker(case, parameters, sources)
    if case.target == "checker-cli":
        return run_checker_cli(case, parameters, sources)
    if case.target == "dock":
        return run_dock(desktop_iface, case, parameters, sources)
    raise AssertionError(f"unknown target {case.target}")


def test_the_table_covers_every_target():
    targets = {case.target for case in CASES}
    assert {
        f"mew:{name}"
        for name in (
            "importincidents",
            "incidentdensity",
            "hotspots",
            "emerginghotspots",
            "droughtindex",
            "droughtchange",
            "patrolcoverage",
            "coveragegaps",
            "briefingmap",
            "forecastaccuracy",
            "patrolvalidation",
            "earlywarninggrid",
            "warningsreport",
        )
    } | {"checker", "checker-cli", "dock"} == targets
    assert len({case.id for case in CASES}) == len(CASES), "case ids must be unique"
    assert len(CASES) >= 80


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_hostile_case(case: Case, built, mew, desktop_iface, tmp_path):
    inputs = built(case.inputs)
    out = tmp_path / "out"
    out.mkdir()
    places = dict(inputs.sources, out=str(out), locked=str(out / "locked"))
    parameters = {key: fill(value, places) for key, value in case.parameters.items()}
    before = children()
    if "{locked}" in repr(case.parameters):
        with unwritable(out / "locked"):
            outcome = _run(case, parameters, inputs.sources, mew, desktop_iface)
    else:
        outcome = _run(case, parameters, inputs.sources, mew, desktop_iface)
    outcome.out, outcome.inputs = out, inputs.sources

    seen = "\n".join([outcome.error or "", *outcome.log])
    assert "Traceback" not in seen, seen
    if case.error:
        assert outcome.error is not None, f"{case.id} did not fail: {outcome.results or outcome.log}"
        expected = [fill(fragment, places) for fragment in case.error]
        missing = [fragment for fragment in expected if fragment not in outcome.error]
        assert not missing, f"{missing} not in: {outcome.error}"
        written = [str(path) for path in out.rglob("*") if path.is_file()]
        assert not written, f"output left after an error: {written}"
    else:
        assert outcome.error is None, outcome.error
        assert case.result(outcome), f"{case.id}: {outcome.results} {outcome.log} {outcome.problems}"
    assert hidden(out) == [], hidden(out)
    try:
        inputs.unchanged()
    except AssertionError:
        built.forget(case.inputs)  # the next case gets its inputs written again, not this case's damage
        raise
    survivors = children() - before
    assert not survivors, f"child processes left running: {survivors}"
