"""Briefing maps: the sources block and the provenance footer, free of QGIS.

A briefing map names its data (file and date of every layer) and says how
each analysis layer was made: which algorithm, with which parameters, when.
That history is read from the output's own metadata (``MEW_*`` items) or,
failing that, from QGIS's Processing log, matched as text and never evaluated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import PurePath
from typing import Mapping, Sequence


@dataclass
class LayerRecord:
    """What the footer says about one layer on the map.

    ``history`` holds provenance entries: dicts with ``algorithm`` and
    optionally ``parameters`` (dict or text), ``date`` and ``note``.
    """

    name: str
    source: str = ""
    modified: datetime | None = None
    history: list[Mapping[str, object]] = field(default_factory=list)


def sources_text(sources: str, layers: Sequence[LayerRecord]) -> str:
    """The data sources block: what the user wrote, then each layer's file and date."""
    lines = [f"Sources: {' '.join(sources.split())}" if sources.strip() else "Sources: not stated."]
    groups: dict[str, list[str]] = {}  # layers from the same file and date are named together
    for layer in layers:
        detail = _file_name(layer.source) if layer.source else ""
        if layer.modified is not None:
            detail = f"{detail}, {layer.modified:%Y-%m-%d}" if detail else f"{layer.modified:%Y-%m-%d}"
        groups.setdefault(detail, []).append(layer.name)
    described = [f"{', '.join(names)} ({detail})" if detail else ", ".join(names) for detail, names in groups.items()]
    if described:
        lines.append("Layers: " + "; ".join(described) + ".")
    return "\n".join(lines)


def _file_name(source: str) -> str:
    """The file name of a data source (``path|layername=…`` or a ``file://…?options`` URI)."""
    path = source.split("|")[0].split("?")[0]
    return PurePath(path.removeprefix("file://")).name


def _short_value(value: object, limit: int = 40) -> str:
    if isinstance(value, (list, tuple)):
        return "; ".join(_short_value(item, limit) for item in value)
    text = str(value)
    if ("/" in text or "\\" in text) and len(text) > 3:
        text = PurePath(text.split("|")[0]).name + ("|" + text.split("|", 1)[1] if "|" in text else "")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _parameter_text(parameters: object) -> str:
    if isinstance(parameters, Mapping):
        shown = [
            f"{key}={_short_value(value)}"
            for key, value in parameters.items()
            if value not in (None, "") and not str(key).upper().startswith("OUTPUT")
        ]
        return ", ".join(shown)
    return _short_value(parameters, 160) if parameters else ""


def provenance_lines(layers: Sequence[LayerRecord]) -> list[str]:
    """One line per analysis run: ``Layer, Layer ← algorithm (PARAM=value, …), date``.

    Layers made by the same run share its line. Layers without history are
    not listed (they are data, named in the sources).
    """
    runs: dict[tuple[str, str, str, str], list[str]] = {}
    for layer in layers:
        for entry in layer.history:
            algorithm = str(entry.get("algorithm", "")).strip()
            if not algorithm:
                continue
            key = (
                algorithm,
                _parameter_text(entry.get("parameters")),
                str(entry.get("date") or ""),
                str(entry.get("note") or ""),
            )
            runs.setdefault(key, [])
            if layer.name not in runs[key]:
                runs[key].append(layer.name)
    lines = []
    for (algorithm, parameters, date, note), names in runs.items():
        text = f"{', '.join(names)} ← {algorithm}"
        if parameters:
            text += f" ({parameters})"
        if date:
            text += f", {date}"
        if note:
            text += f"; {note}"
        lines.append(text)
    return lines


def provenance_text(
    layers: Sequence[LayerRecord], sensitivity: str, extra: str = "", software: str = "Mission Early Warning"
) -> str:
    """The provenance footer: how the analysis layers were made, and the sensitivity handling."""
    lines = provenance_lines(layers)
    if extra.strip():
        lines.extend(line.strip() for line in extra.strip().splitlines() if line.strip())
    head = f"Provenance ({software}): "
    body = " | ".join(lines) if lines else "no analysis layers; data layers as listed in the sources."
    return f"{head}{body}\n{sensitivity}"


_LOG_SEPARATOR = "|~|"
_RUN_CALL = re.compile(
    r"processing\.run(?:AndLoadResults)?\(\s*['\"](?P<algorithm>[^'\"]+)['\"]\s*,\s*(?P<rest>.*)\)\s*$"
)


def provenance_from_processing_log(log_text: str, layer_path: str) -> list[dict[str, str]]:
    """The Processing history entries (QGIS ``processing.log``) that wrote ``layer_path``.

    QGIS logs each algorithm run from its dialog as
    ``ALGORITHM|~|<date>|~|processing.run("provider:alg", {...})``. The call is
    matched as text (never evaluated); the latest entry naming the file as an
    output wins.
    """
    if not layer_path:
        return []
    wanted = PurePath(layer_path.split("|")[0]).as_posix()
    found: list[dict[str, str]] = []
    for line in log_text.splitlines():
        if not line.startswith("ALGORITHM"):
            continue
        parts = line.split(_LOG_SEPARATOR)
        if len(parts) < 3:
            continue
        call = _LOG_SEPARATOR.join(parts[2:]).strip()
        match = _RUN_CALL.search(call)
        if match is None or wanted not in call.replace("\\\\", "/").replace("\\", "/"):
            continue
        outputs = re.findall(r"['\"](OUTPUT[A-Z_]*)['\"]\s*:\s*['\"]([^'\"]*)['\"]", match.group("rest"))
        if outputs and not any(wanted in value.replace("\\", "/") for _key, value in outputs):
            continue  # the file was an input of this run, not its output
        parameters = re.sub(r"\s+", " ", match.group("rest")).strip()
        found.append({"algorithm": match.group("algorithm"), "parameters": parameters, "date": parts[1].strip()})
    return found[-1:]


def provenance_from_metadata(items: Mapping[str, str]) -> list[dict[str, object]]:
    """Provenance an output carries in its own metadata.

    Reads ``MEW_ALGORITHM`` (the algorithm id; ``mew:`` is added when it has
    no provider), ``MEW_CREATED`` and the parameters either as one
    ``MEW_PARAMETERS`` text or as further ``MEW_<NAME>`` items (GDAL metadata
    of a raster or GeoPackage layer), any case. Algorithms that write them
    make their outputs self-describing on a briefing map.
    """
    upper = {str(key).upper(): str(value) for key, value in items.items()}
    algorithm = upper.get("MEW_ALGORITHM", "").strip()
    if not algorithm:
        return []
    if ":" not in algorithm:
        algorithm = f"mew:{algorithm}"
    parameters: object = upper.get("MEW_PARAMETERS", "").strip()
    if not parameters:
        parameters = {
            key[len("MEW_") :]: value
            for key, value in upper.items()
            if key.startswith("MEW_") and key not in ("MEW_ALGORITHM", "MEW_CREATED", "MEW_PARAMETERS")
        }
    return [{"algorithm": algorithm, "parameters": parameters, "date": upper.get("MEW_CREATED", "").strip()}]
