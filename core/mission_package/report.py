"""Validation reports: plain text for the command line, a standalone HTML page for the dock and the demo."""

from __future__ import annotations

import datetime as dt

from .package import MissionPackage
from .problems import WARNING, Problem, layer_status


def report_text(package: MissionPackage, problems: list[Problem]) -> str:
    """A plain-text validation report."""
    errors = sum(p.is_error for p in problems)
    lines = [
        f"Mission package validation report — {package.name}",
        f"Classification: {package.classification or '(none given)'}",
        f"Package: {package.location}",
        f"Mission CRS: {package.crs or '(none)'}",
        f"Checked: {dt.datetime.now().astimezone().isoformat(timespec='seconds')}",
        f"Result: {errors} error(s), {sum(p.severity == WARNING for p in problems)} warning(s)",
        "",
        "Layers:",
    ]
    for entry in package.layers:
        lines.append(f"  [{layer_status(problems, entry.id)}] {entry.id} ({entry.role}, {entry.theme}) — {entry.path}")
    lines += ["", "Problems:" if problems else "No problems found."]
    for problem in problems:
        lines.append(f"  {problem.severity.upper()} [{problem.layer_id or 'package'}] {problem.message}")
        lines.append(f"      What to do: {problem.action}")
    return "\n".join(lines) + "\n"


def report_html(package: MissionPackage, problems: list[Problem]) -> str:
    """The validation report as a standalone HTML page."""
    from html import escape

    errors = sum(p.is_error for p in problems)
    rows = "".join(
        f"<tr><td>{escape(entry.id)}</td><td>{escape(entry.role)}</td><td>{escape(entry.theme)}</td>"
        f"<td>{escape(entry.path)}</td><td class='{layer_status(problems, entry.id)}'>"
        f"{escape(layer_status(problems, entry.id))}</td></tr>"
        for entry in package.layers
    )
    problem_rows = "".join(
        f"<tr><td class='{p.severity}'>{escape(p.severity)}</td><td>{escape(p.layer_id or 'package')}</td>"
        f"<td>{escape(p.message)}</td><td>{escape(p.action)}</td></tr>"
        for p in problems
    )
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        f"<title>Validation report — {escape(package.name)}</title>"
        "<style>body{font-family:sans-serif}table{border-collapse:collapse}td,th{border:1px solid #999;"
        "padding:2px 6px}.error{color:#b00020;font-weight:bold}.warning{color:#a15c00}.OK{color:#1b7a1b}"
        ".banner{background:#444;color:#fff;text-align:center;padding:2px}</style></head><body>"
        f"<div class='banner'>{escape(package.classification)}</div>"
        f"<h1>{escape(package.name)}</h1>"
        f"<p>Package: {escape(str(package.location))}<br>Mission CRS: {escape(package.crs or '(none)')}<br>"
        f"Checked: {escape(dt.datetime.now().astimezone().isoformat(timespec='seconds'))}<br>"
        f"<b>{errors} error(s), {sum(p.severity == WARNING for p in problems)} warning(s)</b></p>"
        "<h2>Layers</h2><table><tr><th>Id</th><th>Role</th><th>Theme</th><th>Path</th><th>Status</th></tr>"
        f"{rows}</table><h2>Problems</h2>"
        + (
            f"<table><tr><th>Severity</th><th>Layer</th><th>Problem</th><th>What to do</th></tr>{problem_rows}</table>"
            if problems
            else "<p>No problems found.</p>"
        )
        + f"<div class='banner'>{escape(package.classification)}</div></body></html>"
    )
