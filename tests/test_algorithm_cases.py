"""Runs the cases of ``algorithm_cases.yaml`` as QGIS's Processing tests run theirs: one ``processing.run`` each.

A case names the algorithm, its parameters and what each result must be.
Inputs come from ``tests/testdata`` (rebuilt by ``make_fixtures.py``), copied
into the test's own folder so no run can touch the committed files; every
output named under ``results`` is written there too (see :mod:`algorithm_cases`).
Result types:

``number`` / ``string``
    a value the algorithm returns (``precision``: decimal places for numbers).
``vector``
    ``feature_count``; ``features``: the expected attributes of each feature
    (only the fields listed), in ``order_by`` order; ``precision``: decimal
    places per field (fields not listed compare exactly); ``sums``: the sum of
    a field over the features an expression selects.
``raster``
    ``array``: the pixels row by row (``null`` for nodata); ``precision``.
``pdf``
    ``pages`` and the texts it must ``contain``.
``png_files``
    ``count`` of PNG files returned, each present and a PNG.
"""

from __future__ import annotations

import math
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from osgeo import gdal
from qgis.core import QgsFeatureRequest, QgsProcessingContext, QgsProcessingFeedback, QgsVectorLayer

from mission_early_warning.processing.provider import ALGORITHMS
from mission_early_warning.tests.algorithm_cases import CASES, case_parameters, copy_testdata


def close_to(actual: Any, expected: Any, precision: int | None) -> bool:
    if expected is None or actual is None:
        return actual is None and expected is None
    if isinstance(expected, float) or (precision is not None and isinstance(expected, (int, float))):
        if not isinstance(actual, (int, float)) or math.isnan(actual):
            return False
        return abs(actual - expected) <= 10.0 ** -(precision if precision is not None else 9)
    return actual == expected


def plain(value: Any) -> Any:
    """A feature attribute as YAML writes it: dates as ISO text, NULL as None."""
    if value is None or (hasattr(value, "isNull") and value.isNull()):
        return None
    if hasattr(value, "toString") and hasattr(value, "year"):
        return value.toString("yyyy-MM-dd")
    return value


def check_number(actual: Any, expected: dict[str, Any]) -> None:
    assert close_to(actual, expected["value"], expected.get("precision")), f"{actual!r} != {expected['value']!r}"


def read_vector(path: str, expected: dict[str, Any]) -> tuple[int, list[float], list[dict[str, Any]]]:
    """The feature count, the ``sums`` asked for and every feature's attributes as plain values.

    Read first and checked after: a failed check must not keep the layer alive past QGIS's exit.
    """
    layer = QgsVectorLayer(path, "result", "ogr")
    assert layer.isValid(), f"the output {path} does not open"
    sums = []
    for total in expected.get("sums", []):
        request = QgsFeatureRequest()
        if "where" in total:
            request.setFilterExpression(total["where"])
        sums.append(float(sum(feature[total["field"]] for feature in layer.getFeatures(request))))
    names = layer.fields().names()
    rows = [dict(zip(names, (plain(value) for value in feature.attributes()))) for feature in layer.getFeatures()]
    count = layer.featureCount()
    del layer
    return count, sums, rows


def check_vector(path: str, expected: dict[str, Any]) -> None:
    count, sums, rows = read_vector(path, expected)
    if "feature_count" in expected:
        assert count == expected["feature_count"]
    for total, found in zip(expected.get("sums", []), sums):
        assert close_to(found, float(total["sum"]), total.get("precision", 6)), f"{total}: {found}"
    if "features" not in expected:
        return
    order_by = expected.get("order_by")
    if order_by:
        rows.sort(key=lambda row: row[order_by])
    assert len(rows) == len(expected["features"])
    precision = expected.get("precision", {})
    for number, (row, wanted) in enumerate(zip(rows, expected["features"])):
        for field, value in wanted.items():
            assert field in row, f"the output has no field {field}: {sorted(row)}"
            assert close_to(row[field], value, precision.get(field)), (
                f"feature {number} ({order_by} = {row[order_by] if order_by else '-'}), field {field}: "
                f"{row[field]!r}, expected {value!r}"
            )


def check_raster(path: str, expected: dict[str, Any]) -> None:
    dataset = gdal.Open(path)
    assert dataset is not None, f"the output {path} does not open"
    band = dataset.GetRasterBand(1)
    values = band.ReadAsArray().astype(np.float64)
    nodata = band.GetNoDataValue()
    dataset = None
    wanted = np.array([[np.nan if v is None else v for v in row] for row in expected["array"]], dtype=np.float64)
    assert values.shape == wanted.shape
    if nodata is not None:
        values[values == nodata] = np.nan
    tolerance = 10.0 ** -expected.get("precision", 6)
    assert np.array_equal(np.isnan(values), np.isnan(wanted)), f"nodata pixels differ:\n{values}"
    assert np.allclose(values, wanted, rtol=0.0, atol=tolerance, equal_nan=True), f"pixels differ:\n{values}"


def check_pdf(path: str, expected: dict[str, Any]) -> None:
    info = subprocess.run(["pdfinfo", path], capture_output=True, text=True, check=True).stdout
    pages = next(int(line.split(":")[1]) for line in info.splitlines() if line.startswith("Pages:"))
    assert pages == expected["pages"]
    text = subprocess.run(["pdftotext", path, "-"], capture_output=True, text=True, check=True).stdout
    for wanted in expected.get("contains", []):
        assert wanted in text, f"'{wanted}' is not in the PDF's text:\n{text}"


def check_png_files(paths: list[str], expected: dict[str, Any]) -> None:
    assert len(paths) == expected["count"]
    for path in paths:
        assert Path(path).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"


CHECKS = {
    "number": check_number,
    "string": check_number,
    "vector": check_vector,
    "raster": check_raster,
    "pdf": check_pdf,
    "png_files": check_png_files,
}


def test_every_algorithm_has_at_least_two_cases():
    counts = Counter(case["algorithm"] for case in CASES)
    algorithms = {f"mew:{module}" for module, _ in ALGORITHMS}
    assert {name: counts[name] for name in algorithms if counts[name] < 2} == {}
    assert set(counts) <= algorithms, "a case names an algorithm the provider does not have"


@pytest.mark.parametrize("case", CASES, ids=[f"{c['algorithm']}: {c['name']}" for c in CASES])
def test_algorithm_case(mew, request, tmp_path, case):
    assert case.get("description"), "each case says where its expected values come from"
    if any(expected["type"] == "pdf" for expected in case["results"].values()):
        request.getfixturevalue("poppler")  # the PDF is read back with poppler-utils
    parameters = case_parameters(case, *copy_testdata(tmp_path))
    results = mew.run(case["algorithm"], parameters, context=QgsProcessingContext(), feedback=QgsProcessingFeedback())
    for key, expected in case["results"].items():
        assert key in results, f"{case['algorithm']} returned no {key}: {sorted(results)}"
        CHECKS[expected["type"]](results[key], expected)
