"""What every ``mew`` algorithm owes the officer: registered, help, icon, group, and inputs never overwritten."""

from __future__ import annotations

import ast
import hashlib
import importlib
import inspect
import shutil
from pathlib import Path

import pytest
from qgis.core import QgsApplication, QgsProcessingException
from qgis.PyQt.QtCore import QUrl

from mission_early_warning.paths import HELP
from mission_early_warning.processing.provider import ALGORITHMS, PROVIDER_ID
from mission_early_warning.tests.hostile_cases import BUILDERS, NINE, RUNS

#: The groups of the house conventions: group key → display name.
GROUPS = {
    "incidents": "Incidents and hot spots",
    "drought": "Drought",
    "coverage": "Patrol coverage",
    "mission": "Mission and briefing",
}
NAMES = [module for module, _class in ALGORITHMS]


def _algorithm(name: str):
    algorithm = QgsApplication.processingRegistry().algorithmById(f"{PROVIDER_ID}:{name}")
    assert algorithm is not None, f"{PROVIDER_ID}:{name} is not registered"
    return algorithm


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_provider_registers_every_algorithm_it_lists(mew_provider):
    assert mew_provider.unavailable == {}, f"algorithms left out (import failed): {mew_provider.unavailable}"
    registered = {algorithm.name() for algorithm in mew_provider.algorithms()}
    assert registered == set(NAMES)
    for module, class_name in ALGORITHMS:
        algorithm = _algorithm(module)
        assert type(algorithm).__name__ == class_name
        assert algorithm.provider().id() == PROVIDER_ID


@pytest.mark.parametrize("name", NAMES)
def test_every_algorithm_has_its_help_file(mew_provider, name):
    help_file = HELP / f"{name}.html"
    assert help_file.is_file(), f"resources/help/{name}.html is missing"
    text = help_file.read_text(encoding="utf-8")
    assert len(text) > 500, f"resources/help/{name}.html is only {len(text)} characters"
    assert _algorithm(name).shortHelpString() == text


@pytest.mark.parametrize("name", NAMES)
def test_every_algorithm_links_its_shipped_help_page_and_has_tags(mew_provider, name):
    algorithm = _algorithm(name)
    url = QUrl(algorithm.helpUrl())
    assert url.isLocalFile(), f"{algorithm.helpUrl()!r} is not a local file: help must work offline"
    page = Path(url.toLocalFile())
    assert page == HELP / f"{name}.html" and page.is_file(), page
    tags = algorithm.tags()
    assert tags and all(isinstance(tag, str) and tag.strip() == tag and tag for tag in tags), tags
    assert len(set(tags)) == len(tags), f"a tag given twice: {tags}"


@pytest.mark.parametrize("name", NAMES)
def test_every_algorithm_has_an_icon_a_group_and_a_name(mew_provider, name):
    algorithm = _algorithm(name)
    assert not algorithm.icon().isNull()
    assert GROUPS.get(algorithm.groupId()) == algorithm.group(), (algorithm.groupId(), algorithm.group())
    assert algorithm.displayName() and algorithm.displayName() != name
    assert algorithm.destinationParameterDefinitions(), "every algorithm writes something"


# --- an output path equal to an input file is refused, for each destination parameter ----------


@pytest.fixture(scope="module")
def inputs(demo_mission, tmp_path_factory) -> dict[str, Path]:
    """Copies of demo files: if a refusal ever failed, only these copies could be damaged."""
    folder = tmp_path_factory.mktemp("contract")
    files = {
        "gpkg": demo_mission.path / "vectors.gpkg",
        "csv": demo_mission.file("incidents"),
        "ndvi": demo_mission.file("ndvi"),
        "population": demo_mission.file("population"),
    }
    return {key: Path(shutil.copy2(source, folder / source.name)) for key, source in files.items()}


#: One algorithm per group, and each of its destination parameters.
REPRESENTATIVES = {
    "incidents": ("importincidents", ("OUTPUT", "REJECTED")),
    "drought": ("droughtindex", ("OUTPUT", "OUTPUT_CLASSES")),
    "coverage": ("patrolcoverage", ("OUTPUT_COVERAGE", "OUTPUT_VILLAGES", "OUTPUT_SUMMARY")),
    "mission": ("briefingmap", ("OUTPUT_PDF", "OUTPUT_PNG")),
}


def _parameters(group: str, inputs: dict[str, Path]) -> tuple[dict, Path]:
    """A group's representative's parameters without outputs, and the input file an output will name."""
    if group == "incidents":
        return {"INPUT": str(inputs["csv"])}, inputs["csv"]
    if group == "drought":
        return {"STACK": [str(inputs["ndvi"])], "SCALE": 0.0001}, inputs["ndvi"]
    if group == "coverage":
        bases = f"{inputs['gpkg']}|layername=synthetic_bases"  # the whole GeoPackage is the input file
        return {"BASES": bases, "BASE_RADIUS_FIELD": "patrol_radius_m"}, inputs["gpkg"]
    population = inputs["population"]
    return {"LAYERS": [str(population)], "TITLE": "Contract", "MAP_NUMBER": "MEW-1", "CLASSIFICATION": "X"}, population


def test_the_representatives_cover_each_group_and_all_their_destinations(mew_provider):
    assert set(REPRESENTATIVES) == set(GROUPS)
    for group, (name, destinations) in REPRESENTATIVES.items():
        algorithm = _algorithm(name)
        assert algorithm.groupId() == group
        assert {d.name() for d in algorithm.destinationParameterDefinitions()} == set(destinations)


@pytest.mark.parametrize(
    ("group", "destination"),
    [(group, destination) for group, (_name, destinations) in REPRESENTATIVES.items() for destination in destinations],
)
def test_an_output_over_an_input_file_is_refused_and_the_input_kept(mew, inputs, tmp_path, group, destination):
    name = REPRESENTATIVES[group][0]
    parameters, victim = _parameters(group, inputs)
    algorithm = _algorithm(name)
    for definition in algorithm.destinationParameterDefinitions():
        file_name = f"{definition.name().lower()}.{definition.defaultFileExtension()}"
        parameters[definition.name()] = str(tmp_path / file_name)
    parameters[destination] = str(victim)
    before = {path: _sha256(path) for path in inputs.values()}
    with pytest.raises(QgsProcessingException, match="same file"):
        mew.run(f"{PROVIDER_ID}:{name}", parameters)
    assert {path: _sha256(path) for path in inputs.values()} == before
    assert list(tmp_path.iterdir()) == [], "nothing is written when the run is refused"


# --- every value a run returns is a declared output, so the graphical modeler can wire it -----------------------


def _declared(algorithm) -> set[str]:
    return {output.name() for output in algorithm.outputDefinitions()}


def _returned_keys(name: str) -> set[str]:
    """The keys of the dicts ``run_engine`` (and the ``run_*`` methods it hands over to) return, read from the source.

    A dict literal that is returned, a name bound to a dict literal and returned, and ``name["KEY"] = ...`` on such
    a name all count; a key given as ``self.CONSTANT`` is the class's constant.
    """
    module = importlib.import_module(f"mission_early_warning.processing.{name}")
    class_name = dict(ALGORITHMS)[name]
    tree = ast.parse(inspect.getsource(module))
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == class_name)
    constants = {
        target.id: statement.value.value
        for statement in cls.body
        if isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Constant)
        for target in statement.targets
        if isinstance(target, ast.Name)
    }

    def key(node) -> str:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self":
            return constants[node.attr]
        raise AssertionError(f"{name}: a returned key that is not a plain name: {ast.dump(node)}")

    keys: set[str] = set()
    runners = [f for f in cls.body if isinstance(f, ast.FunctionDef) and f.name.startswith("run")]
    assert any(f.name == "run_engine" for f in runners), name
    for function in runners:
        returned = {
            n.value.id for n in ast.walk(function) if isinstance(n, ast.Return) and isinstance(n.value, ast.Name)
        }
        for node in ast.walk(function):
            if isinstance(node, ast.Return) and isinstance(node.value, ast.Dict):
                keys |= {key(k) for k in node.value.keys}
            elif isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    if isinstance(target, ast.Name) and target.id in returned and isinstance(node.value, ast.Dict):
                        keys |= {key(k) for k in node.value.keys}
                    elif (
                        isinstance(target, ast.Subscript)
                        and isinstance(target.value, ast.Name)
                        and target.value.id in returned
                    ):
                        keys.add(key(target.slice.value if isinstance(target.slice, ast.Index) else target.slice))
    return keys


@pytest.mark.parametrize("name", NAMES)
def test_every_key_a_run_engine_returns_is_a_declared_output(mew_provider, name):
    returned = _returned_keys(name)
    assert returned, f"no returned keys found in {name}.py: the scan no longer reads it"
    assert returned - _declared(_algorithm(name)) == set(), "returned but not declared"


def test_the_static_scan_sees_the_numbers_the_grid_algorithms_return():
    assert {"OUTPUT", "CELL_SIZE", "DISTANCE_BAND"} <= _returned_keys("hotspots")
    assert {"CELL_SIZE", "DISTANCE_BAND", "TIME_STEPS", "OUTPUT_CUBE"} <= _returned_keys("emerginghotspots")
    assert {"OUTPUT_PDF", "OUTPUT_PNG", "PAGES", "PNG_FILES"} <= _returned_keys("briefingmap")
    assert {"OUTPUT_COVERAGE", "OUTPUT_VILLAGES", "OUTPUT_SUMMARY"} <= _returned_keys("patrolcoverage")


def _fill(value, places: dict[str, str]):
    if isinstance(value, str):
        return value.format_map(places)
    if isinstance(value, list):
        return [_fill(item, places) for item in value]
    return value


@pytest.mark.parametrize("name", NINE)
def test_every_value_a_real_run_returns_is_a_declared_output(mew, demo_mission, tmp_path, name):
    builder, base, output_key, file_name = RUNS[name]
    sources = BUILDERS[builder](tmp_path / "inputs", lambda: demo_mission.path)
    out = tmp_path / "out"
    out.mkdir()
    parameters = {key: _fill(value, dict(sources, out=str(out))) for key, value in base.items()}
    parameters[output_key] = str(out / file_name)
    results = mew.run(f"{PROVIDER_ID}:{name}", parameters)
    assert results.get(output_key), name
    assert set(results) - _declared(_algorithm(name)) == set(), "returned but not declared"


# --- a Processing model wires one algorithm's number into the next ------------------------------------------------


def test_a_model_hands_the_hot_spot_cell_size_to_the_emerging_hot_spots(mew, tmp_path):
    from qgis.core import (
        QgsProcessingModelAlgorithm,
        QgsProcessingModelChildAlgorithm,
        QgsProcessingModelChildParameterSource,
        QgsProcessingModelOutput,
        QgsProcessingModelParameter,
        QgsProcessingParameterFeatureSource,
        QgsVectorLayer,
    )

    from mission_early_warning.tests.hostile_inputs import write_inputs

    incidents = write_inputs(tmp_path / "inputs")["incidents"]
    cell = 1234.0  # not a size either algorithm would choose from the data
    model = QgsProcessingModelAlgorithm("hot then emerging", "tests")
    model.addModelParameter(
        QgsProcessingParameterFeatureSource("incidents", "Incidents"), QgsProcessingModelParameter("incidents")
    )
    from_input = QgsProcessingModelChildParameterSource.fromModelParameter("incidents")

    hot = QgsProcessingModelChildAlgorithm(f"{PROVIDER_ID}:hotspots")
    hot.setChildId("hot")
    hot.addParameterSources("INPUT", [from_input])
    hot.addParameterSources("CELL_SIZE", [QgsProcessingModelChildParameterSource.fromStaticValue(cell)])
    model.addChildAlgorithm(hot)

    emerging = QgsProcessingModelChildAlgorithm(f"{PROVIDER_ID}:emerginghotspots")
    emerging.setChildId("emerging")
    emerging.addParameterSources("INPUT", [from_input])
    emerging.addParameterSources("DATE_FIELD", [QgsProcessingModelChildParameterSource.fromStaticValue("event_date")])
    emerging.addParameterSources(
        "CELL_SIZE", [QgsProcessingModelChildParameterSource.fromChildOutput("hot", "CELL_SIZE")]
    )
    cells_out = QgsProcessingModelOutput("cells")
    cells_out.setChildOutputName("OUTPUT")
    emerging.setModelOutputs({"cells": cells_out})
    model.addChildAlgorithm(emerging)
    model.updateDestinationParameters()

    assert model.dependsOnChildAlgorithms("emerging") == {"hot"}
    [destination] = [d.name() for d in model.destinationParameterDefinitions()]
    written = str(tmp_path / "emerging.gpkg")
    results = mew.run(model, {"incidents": incidents, destination: written})

    layer = QgsVectorLayer(results[destination], "emerging", "ogr")
    assert layer.isValid() and layer.featureCount() > 0, results
    widths = {round(f.geometry().boundingBox().width(), 6) for f in layer.getFeatures()}
    assert widths == {cell}, f"the emerging hot spot cells are {widths} m wide, not the {cell} m hot spot cells"
