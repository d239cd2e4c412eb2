"""Vector outputs appear whole or not at all: an error or a cancel leaves the previous file untouched."""

from __future__ import annotations

import hashlib

import pytest
from qgis.core import (
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsVectorLayer,
)


class CancelHalfWay(QgsProcessingFeedback):
    """Cancels once the algorithm reports 30 % progress, as a user pressing Cancel would."""

    def setProgress(self, progress):
        super().setProgress(progress)
        if progress >= 30:
            self.cancel()


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_finished_run_writes_the_final_file_with_its_own_layer_name(mew, demo_mission, tmp_path):
    output = tmp_path / "incidents.gpkg"
    result = mew.run(
        "mew:importincidents",
        {
            "INPUT": str(demo_mission.file("incidents")),
            "OUTPUT": str(output),
            "REJECTED": str(tmp_path / "rejected.csv"),
        },
    )
    assert result["OUTPUT"].split("|")[0] == str(output)
    layer = QgsVectorLayer(f"{output}|layername=incidents", "incidents", "ogr")
    assert layer.isValid() and layer.featureCount() == demo_mission.truth["incidents"]["valid"]
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_cancel_leaves_the_previous_output_untouched_and_no_partial_file(mew, demo_mission, tmp_path):
    output, rejected = tmp_path / "incidents.gpkg", tmp_path / "rejected.csv"
    parameters = {"INPUT": str(demo_mission.file("incidents")), "OUTPUT": str(output), "REJECTED": str(rejected)}
    mew.run("mew:importincidents", parameters)
    before = {path.name: digest(path) for path in (output, rejected)}

    feedback = CancelHalfWay()
    result = mew.run("mew:importincidents", parameters, context=QgsProcessingContext(), feedback=feedback)
    assert feedback.isCanceled() and result == {}
    assert {path.name: digest(path) for path in (output, rejected)} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["incidents.gpkg", "rejected.csv"]


def test_an_error_leaves_no_partial_file(mew, tmp_path):
    source = tmp_path / "broken.csv"
    source.write_bytes(b"\x00\x01\x02 not a table \xff\xfe")
    with pytest.raises(QgsProcessingException):
        mew.run(
            "mew:importincidents",
            {"INPUT": str(source), "OUTPUT": str(tmp_path / "out.gpkg"), "REJECTED": str(tmp_path / "rejected.csv")},
        )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.csv"]
