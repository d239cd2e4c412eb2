"""The cases of ``algorithm_cases.yaml`` and the parameters to run one with, shared by the tests that run them."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml

TESTS = Path(__file__).parent
TESTDATA = TESTS / "testdata"
CASES = yaml.safe_load((TESTS / "algorithm_cases.yaml").read_text(encoding="utf-8"))["tests"]

#: The file each kind of result is written to, when the case names no ``ext``.
OUTPUT_SUFFIX = {"vector": "gpkg", "raster": "tif", "pdf": "pdf"}


def input_value(spec: Any, inputs: Path, outputs: Path) -> Any:
    """A parameter value from the case: ``{type: vector|raster|file, name: ...}`` becomes a path in ``inputs``,
    ``{type: output, name: ...}`` a path in ``outputs``."""
    if isinstance(spec, list):
        return [input_value(item, inputs, outputs) for item in spec]
    if not isinstance(spec, dict):
        return spec
    return str((outputs if spec["type"] == "output" else inputs) / spec["name"])


def case_parameters(case: dict[str, Any], inputs: Path, outputs: Path) -> dict[str, Any]:
    """The case's parameters, its inputs in ``inputs`` and its file outputs in ``outputs``."""
    parameters = {key: input_value(value, inputs, outputs) for key, value in case.get("params", {}).items()}
    for key, expected in case["results"].items():
        suffix = expected.get("ext", OUTPUT_SUFFIX.get(expected["type"]))
        if suffix is not None:
            parameters[key] = str(outputs / f"{key.lower()}.{suffix}")
    return parameters


def copy_testdata(folder: Path) -> tuple[Path, Path]:
    """The fixtures copied into ``folder/inputs`` and an empty ``folder/outputs``.

    Copied: QGIS may open a GeoPackage for writing and GDAL may leave statistics beside a raster.
    """
    inputs, outputs = folder / "inputs", folder / "outputs"
    shutil.copytree(TESTDATA, inputs, ignore=shutil.ignore_patterns("*.py", "ndvi_16day_*", "__pycache__"))
    outputs.mkdir()
    return inputs, outputs
