"""The algorithm dialogs speak to a GIS officer: words, tooltips, date pickers, short dialogs, readable help.

Labels carry no parameter keys; every parameter has a tooltip; choices show
words and take the option's number or its short name (``GRID=1`` or
``GRID=fishnet``) from ``processing.run`` and ``qgis_process`` alike; dates are
date pickers that still take ISO text; whole metres show no decimals; the help
pages say first what the officer gets, with no doubled title and no line
broken inside a sentence.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from qgis.core import (
    QgsApplication,
    QgsCoordinateTransformContext,
    QgsFeature,
    QgsGeometry,
    QgsPointXY,
    QgsProcessingContext,
    QgsProcessingParameterDateTime,
    QgsProcessingParameterEnum,
    QgsProcessingParameterNumber,
    QgsVectorFileWriter,
    QgsVectorLayer,
)

from mission_early_warning.paths import HELP
from mission_early_warning.processing.parameters import NamedChoice
from mission_early_warning.processing.provider import ALGORITHMS, PROVIDER_ID
from mission_early_warning.qgis_compat import ProcessingDateTimeParameterDataType, ProcessingParameterFlag

#: Text parameters that take a month or a year as well as a day, which a date picker cannot give.
PERIODS = {"TARGET", "BEFORE_DATE", "AFTER_DATE"}
#: Parameters named as a date (besides those ending in ``_DATE``).
DATE_NAMES = {"AS_OF", "START", "END"}

ACLED_CSV = (
    "event_id_cnty,event_date,event_type,actor1,country,admin1,location,latitude,longitude,fatalities\n"
    "MLI1001,31 December 2020,Battles,Military Forces of Mali,Mali,Mopti,Boni,15.0201,-1.9461,3\n"
    "MLI1002,2021-01-02,Violence against civilians,Unidentified Armed Group,Mali,Segou,Dogofry,14.8,-5.65,0\n"
)


def algorithms() -> list:
    registry = QgsApplication.processingRegistry()
    return [registry.algorithmById(f"{PROVIDER_ID}:{module}") for module, _class in ALGORITHMS]


def parameters_of_every_algorithm() -> list[tuple[str, object]]:
    return [
        (algorithm.id(), definition) for algorithm in algorithms() for definition in algorithm.parameterDefinitions()
    ]


def test_no_label_names_a_parameter_key(mew_provider):
    keys = {definition.name() for _id, definition in parameters_of_every_algorithm()}
    for algorithm_id, definition in parameters_of_every_algorithm():
        words = set(re.findall(r"[A-Za-z0-9_]+", definition.description()))
        assert not words & keys, f"{algorithm_id} {definition.name()}: '{definition.description()}' names a key"


def test_every_parameter_has_a_tooltip(mew_provider):
    for algorithm_id, definition in parameters_of_every_algorithm():
        assert definition.help().strip(), f"{algorithm_id} {definition.name()} has no help text"


def test_every_choice_is_shown_in_words_and_takes_its_number_or_its_short_name(mew_provider):
    context = QgsProcessingContext()
    choices = [(i, d) for i, d in parameters_of_every_algorithm() if isinstance(d, QgsProcessingParameterEnum)]
    assert len(choices) >= 10
    for algorithm_id, choice in choices:
        assert isinstance(choice, NamedChoice), f"{algorithm_id} {choice.name()} is not a NamedChoice"
        assert not choice.usesStaticStrings()
        assert isinstance(choice.clone(), NamedChoice) and choice.clone().short_names == choice.short_names
        for number, short_name in enumerate(choice.short_names):
            assert short_name not in choice.options(), f"{algorithm_id} {choice.name()} shows '{short_name}'"
            for given in (number, str(number), short_name, short_name.upper()):
                assert choice.checkValueIsAcceptable(given, context), (algorithm_id, choice.name(), given)
                assert choice.index_of(given) == number
        for refused in ("nonsense", len(choice.short_names), str(len(choice.short_names))):
            assert not choice.checkValueIsAcceptable(refused, context), (algorithm_id, choice.name(), refused)


def test_every_date_is_a_date_picker(mew_provider):
    dates = [
        (algorithm_id, d)
        for algorithm_id, d in parameters_of_every_algorithm()
        if (d.name() in DATE_NAMES or d.name().endswith("_DATE")) and d.name() not in PERIODS
    ]
    assert {d.name() for _id, d in dates} >= {"AS_OF", "START", "END", "LATEST_DATE"}
    context = QgsProcessingContext()
    for algorithm_id, definition in dates:
        assert isinstance(definition, QgsProcessingParameterDateTime), (algorithm_id, definition.name())
        assert definition.dataType() == ProcessingDateTimeParameterDataType.Date, (algorithm_id, definition.name())
        assert definition.checkValueIsAcceptable("2026-10-31", context)  # scripts and qgis_process give text


def test_whole_metres_show_no_decimals(mew_provider):
    metres = [
        (algorithm_id, d)
        for algorithm_id, d in parameters_of_every_algorithm()
        if isinstance(d, QgsProcessingParameterNumber) and "(metres" in d.description()
    ]
    assert len(metres) >= 8
    for algorithm_id, definition in metres:
        assert definition.metadata().get("widget_wrapper", {}).get("decimals") == 0, (algorithm_id, definition.name())


def test_drought_change_shows_a_short_dialog(mew_provider):
    algorithm = QgsApplication.processingRegistry().algorithmById(f"{PROVIDER_ID}:droughtchange")
    shown = [d.name() for d in algorithm.parameterDefinitions() if not d.flags() & ProcessingParameterFlag.Advanced]
    assert len(shown) <= 13, shown
    for algorithm_id, definition in parameters_of_every_algorithm():
        if definition.name() in ("PATROL_SEGMENTS", "RESAMPLING", "METHOD", "KERNEL", "DPI", "REFERENCE"):
            assert definition.flags() & ProcessingParameterFlag.Advanced, (algorithm_id, definition.name())


@pytest.mark.parametrize("module", [module for module, _class in ALGORITHMS])
def test_help_page_says_first_what_the_officer_gets(mew_provider, module):
    algorithm = QgsApplication.processingRegistry().algorithmById(f"{PROVIDER_ID}:{module}")
    page = (HELP / f"{module}.html").read_text(encoding="utf-8")
    assert algorithm.shortHelpString() == page
    headings = re.findall(r"<h\d>(.*?)</h\d>", page)
    assert headings[0] == "What you get" and page.startswith("<h3>What you get</h3>\n<p>")
    assert [h for h in headings if h in ("What you get", "Parameters", "Method")] == [
        "What you get",
        "Parameters",
        "Method",
    ]
    assert algorithm.displayName() not in headings  # the dialog shows the title already
    for number, line in enumerate(page.splitlines(), 1):
        assert line.startswith("<"), f"{module}.html line {number} continues a sentence: a hard line break"
    assert "hotspot" not in re.sub(r"<code>.*?</code>|mew:\w+", "", page).lower()


def test_choices_by_number_or_name_through_processing_run(mew, tmp_path):
    csv = tmp_path / "acled.csv"
    csv.write_text(ACLED_CSV, encoding="utf-8")
    for given in (1, "1", "acled", "ACLED"):
        result = mew.run(
            "mew:importincidents", {"INPUT": str(csv), "FORMAT": given, "OUTPUT": "memory:", "REJECTED": "memory:"}
        )
        assert result["FORMAT"] == "acled" and result["ACCEPTED_COUNT"] == 2, given
    counts = set()
    for given in (1, "hexagon"):
        result = mew.run(
            "mew:hotspots", {"INPUT": points_layer(), "GRID": given, "CELL_SIZE": 2000, "OUTPUT": "memory:"}
        )
        layer = result["OUTPUT"]
        layer = layer if isinstance(layer, QgsVectorLayer) else QgsProcessingContext().getMapLayer(layer)
        counts.add(layer.featureCount())
    assert len(counts) == 1


def test_choices_and_dates_by_number_or_name_through_qgis_process(run_qgis_process, tmp_path):
    csv = tmp_path / "acled.csv"
    csv.write_text(ACLED_CSV, encoding="utf-8")
    for given in ("1", "acled"):
        done = run_qgis_process(
            "run",
            "mew:importincidents",
            "--",
            f"INPUT={csv}",
            f"FORMAT={given}",
            "LATEST_DATE=2026-10-31",
            f"OUTPUT={tmp_path / f'incidents_{given}.gpkg'}",
            f"REJECTED={tmp_path / f'rejected_{given}.gpkg'}",
        )
        assert done.returncode == 0, done.stdout + done.stderr
        assert re.search(r"FORMAT:\s*acled", done.stdout), done.stdout
    points = tmp_path / "points.gpkg"
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    written = QgsVectorFileWriter.writeAsVectorFormatV3(
        points_layer(), str(points), QgsCoordinateTransformContext(), options
    )
    assert written[0] == QgsVectorFileWriter.WriterError.NoError, written
    cells = []
    for given in ("1", "hexagon"):
        out = tmp_path / f"hot_{given}.gpkg"
        done = run_qgis_process(
            "run", "mew:hotspots", "--", f"INPUT={points}", f"GRID={given}", "CELL_SIZE=2000", f"OUTPUT={out}"
        )
        assert done.returncode == 0, done.stdout + done.stderr
        cells.append(QgsVectorLayer(str(out), "cells", "ogr").featureCount())
    assert cells[0] == cells[1] > 0


def points_layer() -> QgsVectorLayer:
    """Incident points in UTM with a cluster: a few hundred, quick to analyse."""
    rng = np.random.default_rng(7)
    xy = np.vstack([rng.uniform(0, 30000, (250, 2)), rng.normal(15000, 1500, (100, 2))]) + np.array([400000, 1600000])
    layer = QgsVectorLayer("Point?crs=EPSG:32630", "incidents", "memory")
    features = []
    for x, y in xy:
        feature = QgsFeature()
        feature.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(float(x), float(y))))
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    return layer
