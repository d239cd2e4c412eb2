"""Validation reports: plain text for the command line, a standalone HTML page for the dock and the demo."""

from __future__ import annotations

import datetime as dt

from ..messages import message
from .package import MissionPackage
from .problems import WARNING, Problem, layer_status


def _heads(*heads: str) -> str:
    """A table's header row."""
    from html import escape

    return "<tr>" + "".join(f"<th>{escape(head)}</th>" for head in heads) + "</tr>"


def _checked() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def _result(problems: list[Problem]) -> str:
    """``2 error(s), 1 warning(s)``."""
    errors = sum(p.is_error for p in problems)
    warnings = sum(p.severity == WARNING for p in problems)
    return message("{errors} error(s), {warnings} warning(s)", errors=errors, warnings=warnings)


def report_text(package: MissionPackage, problems: list[Problem]) -> str:
    """A plain-text validation report."""
    lines = [
        message("Mission package validation report — {name}", name=package.name),
        message("Classification: {classification}", classification=package.classification or message("(none given)")),
        message("Package: {location}", location=package.location),
        message("Mission CRS: {crs}", crs=package.crs or message("(none)")),
        message("Checked: {moment}", moment=_checked()),
        message("Result: {result}", result=_result(problems)),
        "",
        message("Layers:"),
    ]
    for entry in package.layers:
        lines.append(f"  [{layer_status(problems, entry.id)}] {entry.id} ({entry.role}, {entry.theme}) — {entry.path}")
    lines += ["", message("Problems:") if problems else message("No problems found.")]
    for problem in problems:
        lines.append(f"  {problem.severity.upper()} [{problem.layer_id or message('package')}] {problem.message}")
        lines.append("      " + message("What to do: {action}", action=problem.action))
    return "\n".join(lines) + "\n"


def report_html(package: MissionPackage, problems: list[Problem]) -> str:
    """The validation report as a standalone HTML page."""
    from html import escape

    rows = "".join(
        f"<tr><td>{escape(entry.id)}</td><td>{escape(entry.role)}</td><td>{escape(entry.theme)}</td>"
        f"<td>{escape(entry.path)}</td><td class='{layer_status(problems, entry.id)}'>"
        f"{escape(layer_status(problems, entry.id))}</td></tr>"
        for entry in package.layers
    )
    problem_rows = "".join(
        f"<tr><td class='{p.severity}'>{escape(p.severity)}</td><td>{escape(p.layer_id or message('package'))}</td>"
        f"<td>{escape(p.message)}</td><td>{escape(p.action)}</td></tr>"
        for p in problems
    )
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        f"<title>{escape(message('Validation report — {name}', name=package.name))}</title>"
        "<style>body{font-family:sans-serif}table{border-collapse:collapse}td,th{border:1px solid #999;"
        "padding:2px 6px}.error{color:#b00020;font-weight:bold}.warning{color:#a15c00}.OK{color:#1b7a1b}"
        ".banner{background:#444;color:#fff;text-align:center;padding:2px}</style></head><body>"
        f"<div class='banner'>{escape(package.classification)}</div>"
        f"<h1>{escape(package.name)}</h1>"
        f"<p>{escape(message('Package: {location}', location=package.location))}<br>"
        f"{escape(message('Mission CRS: {crs}', crs=package.crs or message('(none)')))}<br>"
        f"{escape(message('Checked: {moment}', moment=_checked()))}<br>"
        f"<b>{escape(_result(problems))}</b></p>"
        f"<h2>{escape(message('Layers'))}</h2><table>"
        + _heads(message("Id"), message("Role"), message("Theme"), message("Path"), message("Status"))
        + f"{rows}</table><h2>{escape(message('Problems'))}</h2>"
        + (
            "<table>"
            + _heads(message("Severity"), message("Layer"), message("Problem"), message("What to do"))
            + f"{problem_rows}</table>"
            if problems
            else f"<p>{escape(message('No problems found.'))}</p>"
        )
        + f"<div class='banner'>{escape(package.classification)}</div></body></html>"
    )
