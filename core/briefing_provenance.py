"""Briefing maps: the sources block, the provenance footer and the full record, free of QGIS.

A briefing map names the data of the layers it shows (file and the dates the
data stand for) and says in one plain line per analysis how each analysis
layer was made. That comes from the provenance record each ``mew`` output
carries (:mod:`.provenance`), read from the layer on the map; outputs of
earlier versions describe themselves with ``MEW_*`` metadata items, which are
read too. The full record (every parameter) goes into the PDF's metadata and
a JSON file beside each map.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import PurePath
from typing import Any, Mapping, Sequence

from .messages import message
from .provenance import PROVENANCE_KEY, ProvenanceRecord, data_dates_text, footer_line


@dataclass
class LayerRecord:
    """What the footer says about one layer on the map.

    ``record`` is how the layer was made, when it is an analysis output;
    ``history`` holds provenance entries in the older form: dicts with
    ``algorithm`` and optionally ``parameters`` (dict or text), ``date`` and
    ``note``. ``modified`` is the file's date, the last resort for its dates.
    """

    name: str
    source: str = ""
    modified: datetime | None = None
    history: list[Mapping[str, object]] = field(default_factory=list)
    record: ProvenanceRecord | None = None

    def data_dates(self) -> str:
        """The dates the layer's data stand for: its periods, when it was made, else its file's date, said so."""
        if self.record is not None and (dates := data_dates_text(self.record)):
            return dates
        made = next((str(entry["date"]).strip() for entry in self.history if entry.get("date")), "")
        if made:
            return message("made {day}", day=made)
        return message("file dated {day}", day=f"{self.modified:%Y-%m-%d}") if self.modified is not None else ""


def sources_text(sources: str, layers: Sequence[LayerRecord]) -> str:
    """The data sources block: what the user wrote, then each layer on the map with its file and data dates."""
    stated = " ".join(sources.split())
    lines = [message("Sources: {sources}", sources=stated) if stated else message("Sources: not stated.")]
    groups: dict[str, list[str]] = {}  # layers from the same file and dates are named together
    for layer in layers:
        file_name = _file_name(layer.source) if layer.source else ""
        detail = ", ".join(part for part in (file_name, layer.data_dates()) if part)
        groups.setdefault(detail, []).append(layer.name)
    described = [f"{', '.join(names)} ({detail})" if detail else ", ".join(names) for detail, names in groups.items()]
    if described:
        lines.append(message("Layers: {layers}.", layers="; ".join(described)))
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


def analysis_lines(layers: Sequence[LayerRecord]) -> list[str]:
    """One plain line per analysis run: ``Hot spots: Gi*, 2 km cells, 8 km band, FDR; incidents 2023-11 to 2026-10``.

    Layers made by the same run share its line; layers without a record are not listed.
    """
    runs: dict[tuple[str, str, str], tuple[ProvenanceRecord, list[str]]] = {}
    for layer in layers:
        if layer.record is None:
            continue
        _record, names = runs.setdefault(layer.record.run_key(), (layer.record, []))
        if layer.name not in names:
            names.append(layer.name)
    return [footer_line(names, record) for record, names in runs.values()]


def provenance_lines(layers: Sequence[LayerRecord]) -> list[str]:
    """One line per analysis run of the older form: ``Layer, Layer ← algorithm (PARAM=value, …), date``.

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
    lines = analysis_lines(layers) + provenance_lines(layers)
    if extra.strip():
        lines.extend(line.strip() for line in extra.strip().splitlines() if line.strip())
    head = message("Provenance ({software}): ", software=software)
    body = " | ".join(lines) if lines else message("no analysis layers; data layers as listed in the sources.")
    return f"{head}{body}\n{sensitivity}"


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
            if key.startswith("MEW_") and key not in ("MEW_ALGORITHM", "MEW_CREATED", "MEW_PARAMETERS", PROVENANCE_KEY)
        }
    return [{"algorithm": algorithm, "parameters": parameters, "date": upper.get("MEW_CREATED", "").strip()}]


def full_record(layers: Sequence[LayerRecord]) -> list[dict[str, Any]]:
    """Every layer on the map with its file, data dates and how it was made, every parameter included."""
    return [
        {
            "layer": layer.name,
            "source": layer.source,
            "data_dates": layer.data_dates(),
            "provenance": asdict(layer.record) if layer.record is not None else None,
            "history": [dict(entry) for entry in layer.history],
        }
        for layer in layers
    ]


def full_record_text(layers: Sequence[LayerRecord]) -> str:
    """The analyses of the map with all their parameters, one line each (the PDF's subject)."""
    lines = []
    for layer in layers:
        if layer.record is not None:
            record = layer.record
            lines.append(
                f"{layer.name}: {record.algorithm} ({record.display_name}) {record.created}, "
                f"plugin {record.plugin_version}; parameters {json.dumps(record.parameters, ensure_ascii=False)}; "
                f"periods {json.dumps(record.periods, ensure_ascii=False)}"
            )
        for entry in layer.history:
            said = (entry.get(key) for key in ("algorithm", "parameters", "date"))
            lines.append(f"{layer.name}: " + " ".join(str(part) for part in said if part))
    return "\n".join(lines)


#: Marks the provenance file written beside a briefing map.
MAP_RECORD_FORMAT = "mission-early-warning-briefing-provenance/1"


def map_record(title: str, map_number: str, produced: datetime, layers: Sequence[LayerRecord]) -> dict[str, Any]:
    """The provenance file of a briefing map: the map, when it was made, and every layer on it in full."""
    return {
        "format": MAP_RECORD_FORMAT,
        "title": title,
        "map_number": map_number,
        "produced": produced.isoformat(),
        "layers": full_record(layers),
    }


def map_keywords(layers: Sequence[LayerRecord]) -> dict[str, list[str]]:
    """The PDF's keywords: the analyses' records as one JSON list under ``MEW_PROVENANCE`` (none for plain data)."""
    records = [asdict(layer.record) for layer in layers if layer.record is not None]
    return {PROVENANCE_KEY: [json.dumps(records, ensure_ascii=False)]} if records else {}
