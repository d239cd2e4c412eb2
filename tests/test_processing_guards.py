"""Hostile input at the Processing layer: what every algorithm refuses before writing, and what reaches the user.

- an output into an input's file, in any destination form, is refused and the input stays as it was;
- two outputs of one run into one file are refused, naming both, before anything is written;
- numbers that are not finite and layers of the wrong geometry type are refused, naming the parameter;
- an output into a folder that cannot be written is a message naming it, never a traceback;
- an unexpected error is a message; its traceback goes to the log only;
- a run killed while writing leaves the previous output in a hidden folder, and the next run puts it back;
- a cancelled run leaves nothing queued for loading, and a style applied on loading is not kept alive after it.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from osgeo import ogr
from qgis.core import (
    QgsApplication,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingOutputLayerDefinition,
    QgsProject,
    QgsSingleBandPseudoColorRenderer,
)

from mission_early_warning.core.io import SET_ASIDE_PREFIX
from mission_early_warning.processing.base import LOG_TAG, MewAlgorithm, _FinishOnLoading
from mission_early_warning.tests.hostile_inputs import unwritable, write_inputs

SCRIPT = Path(__file__).with_name("hostile_inputs.py")


@pytest.fixture()
def inputs(tmp_path) -> dict[str, str]:
    return write_inputs(tmp_path / "inputs")


def digest(path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def layer_names(path) -> list[str]:
    dataset = ogr.Open(str(path))
    return sorted(dataset.GetLayer(i).GetName() for i in range(dataset.GetLayerCount()))


def hidden_folders(folder: Path) -> list[Path]:
    return sorted(folder.glob(f"{SET_ASIDE_PREFIX}*"))


def refused(mew, algorithm, parameters: dict, **options) -> str:
    """The message of the QgsProcessingException the run must raise (the exception itself is not kept)."""
    try:
        mew.run(algorithm, parameters, **options)
    except QgsProcessingException as error:
        message = str(error)
    else:
        pytest.fail(f"{algorithm} ran where it should have refused")
    assert "Traceback" not in message, message
    return message


# --- an output into an input's file -------------------------------------------------------------------------
@pytest.mark.parametrize(
    "form", ["plain path", "layername", "ogr quoted, same table", "ogr unquoted, other table", "through a link"]
)
def test_an_output_into_an_input_file_is_refused_in_every_destination_form(mew, inputs, form):
    gpkg = inputs["incidents"].split("|")[0]
    link = Path(gpkg).with_name("link.gpkg")
    link.symlink_to(gpkg)
    destination = {
        "plain path": gpkg,
        "layername": f"{gpkg}|layername=incidents",
        "ogr quoted, same table": f"ogr:dbname='{gpkg}' table=\"incidents\" (geom)",
        "ogr unquoted, other table": f"ogr:dbname={gpkg} table=hotspots",
        "through a link": str(link),
    }[form]
    before = digest(gpkg)
    message = refused(mew, "mew:hotspots", {"INPUT": inputs["incidents"], "CELL_SIZE": 1000, "OUTPUT": destination})
    assert "The output 'Hot spots' (OUTPUT)" in message and "'incidents' in inputs.gpkg" in message
    assert "choose another file for the output" in message
    if form == "ogr unquoted, other table":
        assert "would write the layer 'hotspots' into" in message
    else:
        assert "would overwrite the input" in message
    assert digest(gpkg) == before
    assert sorted(p.name for p in Path(gpkg).parent.iterdir()) == [
        "after.tif",
        "before.tif",
        "inputs.gpkg",
        "link.gpkg",
    ]


def test_a_raster_output_over_its_input_is_refused(mew, inputs):
    before = digest(inputs["after"])
    message = refused(
        mew,
        "mew:droughtchange",
        {"BEFORE": inputs["before"], "AFTER": inputs["after"], "OUTPUT_DELTA": inputs["after"]},
    )
    assert "The output 'Change of the index' (OUTPUT_DELTA) would overwrite the input" in message
    assert digest(inputs["after"]) == before


class CancelHalfWay(QgsProcessingFeedback):
    def setProgress(self, progress):
        super().setProgress(progress)
        if progress >= 30:
            self.cancel()


def test_a_layer_added_to_another_geopackage_keeps_its_layers_and_a_cancel_restores_the_file(mew, inputs, tmp_path):
    """``file.gpkg|layername=x`` adds the layer x to the file (Processing alone would write ``file.gpkg|layername=
    x.gpkg``, and the file would have been set aside and deleted); a cancelled run leaves the file as it was."""
    other = tmp_path / "mission.gpkg"
    shutil.copy(inputs["incidents"].split("|")[0], other)
    before, layers = digest(other), layer_names(other)
    parameters = {"INPUT": inputs["incidents"], "CELL_SIZE": 1000, "OUTPUT": f"{other}|layername=hotspots"}
    result = mew.run(
        "mew:emerginghotspots",
        dict(parameters, DATE_FIELD="event_date"),
        context=QgsProcessingContext(),
        feedback=CancelHalfWay(),
    )
    assert result == {} and digest(other) == before
    result = mew.run("mew:hotspots", parameters)
    assert result["OUTPUT"] == f"{other}|layername=hotspots"
    assert layer_names(other) == sorted([*layers, "hotspots", "layer_styles"])
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file() or p.name.startswith(".")) == ["mission.gpkg"]


# --- two outputs into one file -------------------------------------------------------------------------------
TWO_OUTPUTS = {
    "importincidents": ("mew:importincidents", "OUTPUT", "Incidents", "REJECTED", "Rejected rows", "gpkg"),
    "emerginghotspots": (
        "mew:emerginghotspots",
        "OUTPUT",
        "Emerging hot spots",
        "OUTPUT_CUBE",
        "Space-time cube (cell, step, count, z, p, bin)",
        "gpkg",
    ),
    "patrolcoverage": (
        "mew:patrolcoverage",
        "OUTPUT_COVERAGE",
        "Coverage (dissolved, per ring)",
        "OUTPUT_VILLAGES",
        "Villages with coverage",
        "gpkg",
    ),
    "droughtindex": ("mew:droughtindex", "OUTPUT", "Drought index", "OUTPUT_CLASSES", "Drought classes", "tif"),
}


@pytest.mark.parametrize(
    "case, layers",
    [(case, "same file") for case in TWO_OUTPUTS]
    + [(case, "one file, two layers") for case in TWO_OUTPUTS if TWO_OUTPUTS[case][-1] == "gpkg"],
)
def test_two_outputs_into_one_file_are_refused_before_anything_is_written(mew, inputs, tmp_path, case, layers):
    algorithm, first, first_label, second, second_label, suffix = TWO_OUTPUTS[case]
    target = tmp_path / f"shared.{suffix}"
    target.write_bytes(b"an earlier output")
    csv = tmp_path / "incidents.csv"
    csv.write_text("event_id_cnty,event_date,latitude,longitude\nX1,2025-01-02,9.5,12.5\n", encoding="utf-8")
    given = {
        "mew:importincidents": {"INPUT": str(csv)},
        "mew:emerginghotspots": {"INPUT": inputs["incidents"], "DATE_FIELD": "event_date"},
        "mew:patrolcoverage": {"PATROLS": inputs["patrols_valid"], "VILLAGES": inputs["villages"]},
        "mew:droughtindex": {"STACK": [inputs["before"]]},
    }[algorithm]
    if layers == "same file":
        given.update({first: str(target), second: str(target)})
    else:
        given.update({first: f"ogr:dbname='{target}' table=\"one\"", second: f"{target}|layername=two"})
    message = refused(mew, algorithm, given)
    assert f"The output '{first_label}' ({first}) and the output '{second_label}' ({second}) both go to" in message
    assert "Give each output its own file." in message
    assert target.read_bytes() == b"an earlier output"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["inputs", target.name, csv.name])


# --- numbers and layer types ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "algorithm, key, label",
    [
        ("mew:incidentdensity", "RADIUS", "Radius (metres)"),
        ("mew:incidentdensity", "PIXEL_SIZE", "Pixel size (metres)"),
        ("mew:hotspots", "CELL_SIZE", "Cell size (metres; 0 = chosen from the data)"),
    ],
)
@pytest.mark.parametrize(
    "value, shown", [(float("nan"), "nan"), ("nan", "nan"), (float("inf"), "inf"), ("-inf", "-inf")]
)
def test_a_number_that_is_not_finite_is_refused_with_the_parameters_label(
    mew, inputs, tmp_path, algorithm, key, label, value, shown
):
    output = tmp_path / ("out.tif" if algorithm == "mew:incidentdensity" else "out.gpkg")
    message = refused(mew, algorithm, {"INPUT": inputs["incidents"], key: value, "OUTPUT": str(output)})
    assert f"'{label}' ({key}) is {shown}, not a number: give a finite number" in message
    assert not output.exists()


@pytest.mark.parametrize(
    "algorithm, key, layer, holds, wanted",
    [
        ("mew:incidentdensity", "INPUT", "patrols", "lines", "points"),
        ("mew:hotspots", "INPUT", "patrols", "lines", "points or polygons"),
        ("mew:patrolcoverage", "VILLAGES", "area", "polygons", "points"),
        ("mew:coveragegaps", "COVERAGE", "villages", "points", "polygons"),
    ],
)
def test_a_layer_of_the_wrong_geometry_type_is_refused_with_its_name_and_the_type_wanted(
    mew, inputs, tmp_path, algorithm, key, layer, holds, wanted
):
    given = {
        "mew:incidentdensity": {"RADIUS": 1000},
        "mew:hotspots": {},
        "mew:patrolcoverage": {"PATROLS": inputs["patrols_valid"]},
        "mew:coveragegaps": {"VILLAGES": inputs["villages"]},
    }[algorithm]
    given[key] = inputs[layer]
    output_key = "OUTPUT_COVERAGE" if algorithm == "mew:patrolcoverage" else "OUTPUT"
    given[output_key] = str(tmp_path / ("out.tif" if algorithm == "mew:incidentdensity" else "out.gpkg"))
    message = refused(mew, algorithm, given)
    assert f"The layer '{layer}' in inputs.gpkg ({key}) given as " in message
    assert f"holds {holds}: choose a layer of {wanted}." in message


# --- folders that cannot be written ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "algorithm, key, name",
    [
        ("mew:incidentdensity", "OUTPUT", "density.tif"),
        ("mew:hotspots", "OUTPUT", "hotspots.gpkg"),
        ("mew:hotspots", "OUTPUT", "hotspots.shp"),
        ("mew:briefingmap", "OUTPUT_PDF", "briefing.pdf"),
    ],
)
def test_an_output_into_a_folder_that_cannot_be_written_is_a_message_naming_it(
    mew, inputs, tmp_path, algorithm, key, name
):
    given = {
        "mew:incidentdensity": {"INPUT": inputs["incidents"], "RADIUS": 2000},
        "mew:hotspots": {"INPUT": inputs["incidents"], "CELL_SIZE": 1000},
        "mew:briefingmap": {"LAYERS": [inputs["area_valid"]], "TITLE": "Sector", "DPI": 72},
    }[algorithm]
    with unwritable(tmp_path / "locked") as folder:
        message = refused(mew, algorithm, dict(given, **{key: str(folder / name)}))
        assert list(folder.iterdir()) == []
    assert f"could not be written to '{folder / name}' (folder '{folder}')" in message
    assert "Choose a folder you can write to" in message


# --- unexpected errors ------------------------------------------------------------------------------------------
class Broken(MewAlgorithm):
    """An algorithm on the base class whose engine fails in a way nobody planned for."""

    name_id = "broken"
    display = "Broken"

    def initAlgorithm(self, config=None):
        pass

    def run_engine(self, parameters, context, feedback, progress):
        return {"ratio": 1 / len(parameters)}


class Recording(QgsProcessingFeedback):
    def __init__(self):
        super().__init__()
        self.debug: list[str] = []

    def pushDebugInfo(self, info):
        self.debug.append(info)


def test_an_unexpected_error_is_a_message_and_its_traceback_goes_to_the_log(mew):
    logged: list[tuple[str, str]] = []

    def log(message, tag, level):
        logged.append((tag, message))

    QgsApplication.messageLog().messageReceived.connect(log)
    feedback = Recording()
    try:
        message = refused(mew, Broken(), {}, context=QgsProcessingContext(), feedback=feedback)
    finally:
        QgsApplication.messageLog().messageReceived.disconnect(log)
    assert message.startswith("Broken stopped on an unexpected problem (ZeroDivisionError: division by zero).")
    assert f"send the details from the log (Log Messages panel, '{LOG_TAG}')" in message
    assert any("Traceback (most recent call last)" in text and "ZeroDivisionError" in text for text in feedback.debug)
    assert any(tag == LOG_TAG and "Traceback (most recent call last)" in text for tag, text in logged)


def test_qgis_process_shows_the_message_not_a_traceback(run_qgis_process, inputs, tmp_path):
    done = run_qgis_process(
        "run",
        "mew:incidentdensity",
        "--",
        f"INPUT={inputs['patrols']}",
        "RADIUS=1000",
        f"OUTPUT={tmp_path / 'density.tif'}",
    )
    assert done.returncode != 0
    assert "The layer 'patrols' in inputs.gpkg (INPUT) given as 'Incidents (points)' holds lines" in done.stderr + (
        done.stdout
    )
    assert "Traceback" not in done.stderr + done.stdout
    assert not (tmp_path / "density.tif").exists()


# --- a run killed while writing --------------------------------------------------------------------------------
class CancelAtOnce(QgsProcessingFeedback):
    def __init__(self):
        super().__init__()
        self.warnings: list[str] = []

    def pushWarning(self, warning):
        self.warnings.append(warning)

    def setProgress(self, progress):
        super().setProgress(progress)
        self.cancel()


def _incident_csv(path: Path, rows: int) -> None:
    lines = ["event_id_cnty,event_date,latitude,longitude,fatalities"]
    lines += [
        f"E{i},2025-{1 + i % 12:02d}-{1 + i % 28:02d},{8 + (i % 997) / 500:.5f},{12 + (i % 991) / 500:.5f},{i % 3}"
        for i in range(rows)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_after_a_kill_while_writing_the_next_run_puts_the_previous_output_back(mew, tmp_path):
    csv, output, rejected = tmp_path / "incidents.csv", tmp_path / "incidents.gpkg", tmp_path / "rejected.csv"
    _incident_csv(csv, 30000)
    parameters = {"INPUT": str(csv), "OUTPUT": str(output), "REJECTED": str(rejected)}
    mew.run("mew:importincidents", parameters)
    previous = {path: digest(path) for path in (output, rejected)}

    # A run in another process, killed (kill -9) while it writes the features into the output.
    marker = tmp_path / "writing"
    spec = tmp_path / "spec.json"
    spec.write_text(
        json.dumps(
            {
                "runs": [{"id": "import", "algorithm": "mew:importincidents", "parameters": parameters}],
                "block": {"at": 80, "marker": str(marker)},
            }
        ),
        encoding="utf-8",
    )
    killed = subprocess.Popen(
        [sys.executable, "-P", str(SCRIPT), str(spec)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
    )
    try:
        deadline = time.perf_counter() + 120
        while not marker.exists() and killed.poll() is None and time.perf_counter() < deadline:
            time.sleep(0.1)
        assert marker.exists(), "the run never reached the writing stage"
        killed.send_signal(signal.SIGKILL)
        killed.wait(timeout=30)
    finally:
        if killed.poll() is None:
            killed.kill()
            killed.wait()
    assert len(hidden_folders(tmp_path)) == 2  # the previous outputs, set aside by the killed run
    assert not output.exists() or digest(output) != previous[output]

    feedback = CancelAtOnce()
    result = mew.run("mew:importincidents", parameters, context=QgsProcessingContext(), feedback=feedback)
    assert result == {} and feedback.isCanceled()
    assert {path: digest(path) for path in (output, rejected)} == previous
    assert hidden_folders(tmp_path) == []
    assert sorted(w for w in feedback.warnings if "was stopped before it finished" in w) == sorted(
        f"An earlier run writing '{path}' was stopped before it finished (killed, crashed or the power went off): "
        "the output it was replacing has been put back."
        for path in (output, rejected)
    )


def test_a_finished_run_and_a_cancelled_one_leave_no_hidden_folder(mew, tmp_path):
    csv, output = tmp_path / "incidents.csv", tmp_path / "incidents.gpkg"
    _incident_csv(csv, 500)
    parameters = {"INPUT": str(csv), "OUTPUT": str(output), "REJECTED": str(tmp_path / "rejected.csv")}
    mew.run("mew:importincidents", parameters)
    mew.run("mew:importincidents", parameters)
    mew.run("mew:importincidents", parameters, context=QgsProcessingContext(), feedback=CancelAtOnce())
    assert hidden_folders(tmp_path) == [] and output.exists()


# --- what Processing loads when the run is over ------------------------------------------------------------------
class RecordedFeedback(QgsProcessingFeedback):
    """Records the errors reported; cancels once the progress reaches ``cancel_from`` (percent), if given."""

    def __init__(self, cancel_from: float | None = None):
        super().__init__()
        self.cancel_from = cancel_from
        self.errors: list[str] = []

    def reportError(self, error, fatalError=False):
        self.errors.append(error)

    def setProgress(self, progress):
        super().setProgress(progress)
        if self.cancel_from is not None and progress >= self.cancel_from:
            self.cancel()


def _live_style_post_processors() -> int:
    gc.collect()
    return sum(isinstance(thing, _FinishOnLoading) for thing in gc.get_objects())


@pytest.fixture()
def project():
    """A project of its own for the outputs a run loads, as the desktop's Processing dialog loads them."""
    project = QgsProject()
    yield project
    project.clear()


def _load_into(project: QgsProject, *paths: Path) -> list[QgsProcessingOutputLayerDefinition]:
    return [QgsProcessingOutputLayerDefinition(str(path), project) for path in paths]


def test_a_cancelled_run_leaves_no_output_queued_for_loading(mew, tmp_path, project, load_results):
    """Processing would otherwise look for the outputs a cancelled run never wrote and report them as "not
    correctly generated"; the outputs a model's earlier steps queued stay queued."""
    csv = tmp_path / "incidents.csv"
    _incident_csv(csv, 500)
    output, rejected = _load_into(project, tmp_path / "incidents.gpkg", tmp_path / "rejected.csv")
    context = QgsProcessingContext()
    context.setProject(project)
    earlier = str(tmp_path / "an earlier step.gpkg")
    context.addLayerToLoadOnCompletion(earlier, QgsProcessingContext.LayerDetails("earlier", project, "OUTPUT"))
    feedback = RecordedFeedback(cancel_from=70)  # the import is read: cancelled while the outputs are written
    queued_when_loading: list[list[str]] = []

    def load(algorithm, context, feedback):
        queued_when_loading.append(sorted(context.layersToLoadOnCompletion()))
        context.setLayersToLoadOnCompletion({})  # the earlier step's file does not exist: not this test's subject
        load_results(algorithm, context, feedback)

    result = mew.run(
        "mew:importincidents",
        {"INPUT": str(csv), "OUTPUT": output, "REJECTED": rejected},
        context=context,
        feedback=feedback,
        onFinish=load,
    )
    assert result == {} and feedback.isCanceled()
    assert queued_when_loading == [[earlier]]
    assert not any("not correctly generated" in error for error in feedback.errors), feedback.errors
    assert not (tmp_path / "incidents.gpkg").exists()


def test_a_style_applied_on_loading_is_not_kept_alive_after_it(mew, inputs, tmp_path, project, load_results):
    before = _live_style_post_processors()
    output = tmp_path / "density.tif"
    (definition,) = _load_into(project, output)
    context = QgsProcessingContext()
    context.setProject(project)
    feedback = RecordedFeedback()
    waiting_to_load: list[int] = []

    def load(algorithm, context, feedback):
        waiting_to_load.append(_live_style_post_processors() - before)
        load_results(algorithm, context, feedback)

    mew.run(
        "mew:incidentdensity",
        {"INPUT": inputs["incidents"], "RADIUS": 2000, "OUTPUT": definition},
        context=context,
        feedback=feedback,
        onFinish=load,
    )
    assert waiting_to_load == [1], "the run's style should wait, alive, for its layer to be loaded"
    (layer,) = project.mapLayers().values()
    assert layer.source() == str(output) and not feedback.errors
    assert isinstance(layer.renderer(), QgsSingleBandPseudoColorRenderer)  # the density's own style was applied
    assert _live_style_post_processors() == before
    del context
    assert _live_style_post_processors() == before


def test_a_style_whose_output_is_never_loaded_is_let_go_with_its_context(mew, inputs, tmp_path, project):
    """A script's run into a project it never loads: once its context is deleted, its style is not kept."""
    before = _live_style_post_processors()
    (definition,) = _load_into(project, tmp_path / "density.tif")
    context = QgsProcessingContext()
    context.setProject(project)
    mew.run(
        "mew:incidentdensity",
        {"INPUT": inputs["incidents"], "RADIUS": 2000, "OUTPUT": definition},
        context=context,
        feedback=RecordedFeedback(),
        onFinish=lambda *never_loaded: None,
    )
    assert _live_style_post_processors() == before + 1
    del context
    following = _FinishOnLoading(tmp_path / "density.qml")  # the next run's style
    assert _live_style_post_processors() == before + 1
    following.release()
