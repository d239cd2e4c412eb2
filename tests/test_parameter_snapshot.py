"""Every algorithm's parameters and outputs are those pinned in ``tests/testdata/parameter_definitions.json``.

The snapshot holds what a user, a model or a script depends on: each parameter's
name, kind, label, default, flags (optional, advanced), range, options,
parent layer and layer types, tooltip (help) and widget settings (metadata),
in order, and each declared output. A change to
any of them shows here as a difference to review. When the change is meant,
write the snapshot again and commit it with the change::

    MEW_WRITE_PARAMETER_SNAPSHOT=1 python -m pytest tests/test_parameter_snapshot.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from qgis.core import QgsApplication

from mission_early_warning.processing.provider import ALGORITHMS, PROVIDER_ID

SNAPSHOT = Path(__file__).resolve().parent / "testdata" / "parameter_definitions.json"

#: Getter name → snapshot key, read from a definition when it has the getter.
_DETAILS = {
    "dataType": "data_type",
    "minimum": "minimum",
    "maximum": "maximum",
    "options": "options",
    "usesStaticStrings": "static_strings",
    "allowMultiple": "multiple",
    "parentLayerParameterName": "parent",
    "dataTypes": "layer_types",
    "layerType": "layer_type",
    "behavior": "behavior",
    "extension": "extension",
    "fileFilter": "file_filter",
    "multiLine": "multiline",
    "createByDefault": "create_by_default",
    "defaultFileExtension": "default_extension",
    "help": "help",
    "metadata": "metadata",
}


def _plain(value: Any) -> Any:
    """A JSON value of a QGIS value: enum members and flags as numbers, lists element by element."""
    if value is None or isinstance(value, (bool, str, float)):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if hasattr(value, "isValid"):  # QDate, QDateTime: their text, none when unset
        return value.toString("yyyy-MM-ddTHH:mm:ss") if value.isValid() else None
    if hasattr(value, "value"):  # a Python enum member (PyQt6, newer QGIS enums)
        return int(value.value)
    try:
        return int(value)  # sip enums and QFlags
    except TypeError:
        return str(value)


def _parameter(definition) -> dict[str, Any]:
    described: dict[str, Any] = {
        "name": definition.name(),
        "class": type(definition).__name__,
        "type": definition.type(),
        "description": definition.description(),
        "default": _plain(definition.defaultValue()),
        "flags": _plain(definition.flags()),
    }
    for getter, key in _DETAILS.items():
        method = getattr(definition, getter, None)
        if callable(method):
            described[key] = _plain(method())
    return described


def described(module: str) -> dict[str, Any]:
    """The parameters and outputs of the registered algorithm ``mew:<module>``."""
    algorithm = QgsApplication.processingRegistry().algorithmById(f"{PROVIDER_ID}:{module}")
    assert algorithm is not None, f"{PROVIDER_ID}:{module} is not registered"
    return {
        "parameters": [_parameter(definition) for definition in algorithm.parameterDefinitions()],
        "outputs": [
            {"name": output.name(), "type": output.type(), "description": output.description()}
            for output in algorithm.outputDefinitions()
        ],
    }


def snapshot() -> dict[str, Any]:
    """The parameters and outputs of every ``mew`` algorithm, in the provider's order."""
    return {module: described(module) for module, _class_name in ALGORITHMS}


def write_snapshot() -> None:
    """Write the snapshot file from the algorithms as they are now (run it when a change is meant)."""
    SNAPSHOT.write_text(json.dumps(snapshot(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


@pytest.mark.parametrize("module", [module for module, _class in ALGORITHMS])
def test_parameters_are_as_pinned(mew_provider, module):
    if os.environ.get("MEW_WRITE_PARAMETER_SNAPSHOT"):
        write_snapshot()
    pinned = json.loads(SNAPSHOT.read_text(encoding="utf-8"))[module]
    live = json.loads(json.dumps(described(module)))  # through JSON, as the pinned side was
    assert [p["name"] for p in live["parameters"]] == [p["name"] for p in pinned["parameters"]]
    for live_parameter, pinned_parameter in zip(live["parameters"], pinned["parameters"]):
        assert live_parameter == pinned_parameter
    assert live["outputs"] == pinned["outputs"]


def test_builders_mark_advanced_parameters_and_carry_their_help(mew_provider):
    from mission_early_warning.processing.parameters import geotiff, integer
    from mission_early_warning.qgis_compat import ProcessingParameterFlag

    segments = integer("SEGMENTS", "Segments", default=8, minimum=1, maximum=64, advanced=True, help="More is rounder.")
    assert segments.flags() & ProcessingParameterFlag.Advanced
    assert segments.help() == "More is rounder."
    assert (segments.minimum(), segments.maximum(), segments.defaultValue()) == (1, 64, 8)
    output = geotiff("OUTPUT", "Index", optional=True, advanced=True, help="A GeoTIFF file.")
    copy = output.clone()
    assert type(copy) is type(output)
    assert copy.flags() == output.flags()
    assert copy.help() == "A GeoTIFF file."
    assert not integer("K", "Neighbours").flags() & ProcessingParameterFlag.Advanced
