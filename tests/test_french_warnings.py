"""The early-warning algorithms in a French QGIS: the warnings annex, the early-warning grid and its briefing
map, the forecast's hit-rate chart and the styles' classes speak French; the register keeps its codes.

Each is a real run with QGIS set to French and the plugin's translation installed as the plugin installs it
(``tests/test_french_refusals.py``), its PDF read back with poppler.
"""

from __future__ import annotations

import re
import sqlite3
from contextlib import closing
from datetime import date

import pytest

from mission_early_warning.core import messages
from mission_early_warning.core.warnings_register import WARNINGS_TABLE
from mission_early_warning.paths import STYLES
from mission_early_warning.processing import forecastaccuracy
from mission_early_warning.processing.styles import style_in_language
from mission_early_warning.tests.hostile_inputs import UserMessages
from mission_early_warning.tests.test_briefing_cartography import pdftext
from mission_early_warning.tests.test_french_refusals import french_qgis  # noqa: F401 - a fixture
from mission_early_warning.tests.test_hostile import built  # noqa: F401 - a fixture
from mission_early_warning.tests.test_warnings_report import annex_parameters, register, write_incidents  # noqa: F401 - a fixture

#: What the plugin writes on the annex in English: none may be left on the French one. The register's own
#: texts (threat "Incident hot spot", action "Two patrols a day", title "Sector East early warnings") are data.
ENGLISH_ANNEX = (
    "UN RESTRICTED",
    "Legend",
    "Produced",
    "Sources:",
    "register",
    "Register as of",
    "Early-warning register",
    "Early warnings",
    "warning(s)",
    "Warning",
    "Issued",
    "Threat",
    "Confidence",
    "Responsible unit",
    "Action taken",
    "Action date",
    "Response",
    "Incidents after",
    "Outcome",
    "Status",
    "overdue",
    "actioned",
    "closed",
    "median",
    "days",
    "with action",
    "without action",
)
#: What the French annex says instead (the two warnings of ``tests/test_warnings_report.py``'s register).
FRENCH_ANNEX = (
    "ONU – DIFFUSION RESTREINTE",
    "Sector East early warnings — registre",
    "Registre au",
    "Registre d'alerte précoce : mission.gpkg",
    "fenêtre de 30 jours",
    "Alertes précoces",
    "2 alerte(s) : 1 ouverte(s), 0 traitée(s), 1 close(s) ; 1 en retard",
    "Délai de réponse, de l'émission à l'action : médiane 2,5 jours, le plus long 2,5 jours",
    "avec action, 1 alerte(s) sur 1 suivie(s) d'incidents ; sans action, 1 sur 1.",
    "Alerte",
    "Émise le",
    "Menace",
    "Unité responsable",
    "Action menée",
    "Résultat",
    "ouverte (en retard)",
)


def _english_left(text: str, words: tuple[str, ...]) -> list[str]:
    return [word for word in words if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text)]


def test_the_warnings_annex_reads_in_french(mew, poppler, french_qgis, tmp_path, register):  # noqa: F811
    incidents = write_incidents(
        tmp_path / "incidents.gpkg",
        [(501000, 1501000, date(2026, 3, 5)), (511000, 1501000, date(2026, 3, 10))],
    )
    feedback = UserMessages()
    parameters = annex_parameters(register, incidents, tmp_path / "annexe.pdf")
    result = mew.run("mew:warningsreport", parameters, feedback=feedback)
    text = pdftext(result["OUTPUT_PDF"])
    data = text.replace("Sector East early warnings", "").replace("Mission Early Warning", "")
    assert not _english_left(data, ENGLISH_ANNEX), text
    missing = [words for words in FRENCH_ANNEX if words not in text]
    assert not missing, f"{missing}\n{text}"
    assert re.search(r"EW-2026-001 .*?close", text) and " 2,5 " in text
    assert any("Annexe d'alerte précoce écrite" in line for line in feedback.log), feedback.log
    with closing(sqlite3.connect(register)) as connection:  # what is shown is translated, what is kept is not
        kept = {row[0] for row in connection.execute(f'SELECT status FROM "{WARNINGS_TABLE}"')}
    assert kept == {"open", "closed"}


def test_the_early_warning_grid_and_its_briefing_map_read_in_french(
    mew,
    poppler,
    french_qgis,  # noqa: F811
    built,  # noqa: F811
    tmp_path,
):
    sources = built("geo").sources
    feedback = UserMessages()
    grid = mew.run(
        "mew:earlywarninggrid",
        {
            "GRID": "fishnet",
            "STUDY_AREA": sources["area_valid"],
            "CELL_SIZE": 2000,
            "DROUGHT_INDEX": sources["after"],
            "OUTPUT": str(tmp_path / "grille.gpkg"),
        },
        feedback=feedback,
    )
    assert any(re.match(r"\d+ cellules notées sur ", line) for line in feedback.log), feedback.log
    assert any(line.startswith("Rang 1 : cellule ") for line in feedback.log), feedback.log
    from qgis.core import QgsVectorLayer

    layer = QgsVectorLayer(grid["OUTPUT"], "grille", "ogr")
    reasons = {feature["reason"] for feature in layer.getFeatures()}
    assert reasons and not [r for r in reasons if re.search(r"\b(drought|people|patrol|hot spot|quiet)\b", r)]
    briefing = mew.run(
        "mew:briefingmap",
        {"LAYERS": [grid["OUTPUT"]], "TITLE": "Alerte précoce", "DPI": 72, "OUTPUT_PDF": str(tmp_path / "carte.pdf")},
    )
    text = pdftext(briefing["OUTPUT_PDF"])
    assert "Alerte très faible (score 0–20)" in text, text  # the legend shows the classes the grid holds
    left = _english_left(text.replace("Mission Early Warning", ""), ("warning", "Legend", "Produced", "Sources:"))
    assert not left, text


def test_the_hit_rate_chart_is_labelled_in_french(mew, french_qgis, built, tmp_path, monkeypatch):  # noqa: F811
    sources = built("geo").sources
    drawn: list[dict[str, str]] = []
    draw = forecastaccuracy.write_hit_rate_chart

    def drawing(path, curve, words):  # the real chart, its words kept to be read
        drawn.append(dict(words))
        draw(path, curve, words)

    monkeypatch.setattr(forecastaccuracy, "write_hit_rate_chart", drawing)
    feedback = UserMessages()
    result = mew.run(
        "mew:forecastaccuracy",
        {
            "FORECAST": sources["districts_valid"],
            "RANK_FIELD": "events",
            "INCIDENTS": sources["incidents"],
            "DATE_FIELD": "event_date",
            "START": "2025-07-01",
            "END": "2025-12-31",
            "STUDY_AREA": sources["area_valid"],
            "OUTPUT_MEASURES": str(tmp_path / "mesures.gpkg"),
            "OUTPUT_CHART": str(tmp_path / "courbe.png"),
        },
        feedback=feedback,
    )
    assert drawn and (tmp_path / "courbe.png").stat().st_size > 0 and result["OUTPUT_CHART"]
    words = drawn[0]
    assert words["title"] == "Part des incidents saisis selon la part de surface, du 2025-07-01 au 2025-12-31"
    assert words["y"] == "Part des incidents saisis (taux de réussite)"
    assert words["baseline"] == "Là où c'est arrivé la dernière fois"
    assert not _english_left(" ".join(words.values()), ("Share", "incidents caught", "Forecast", "Where it happened"))
    assert any(" incidents sur " in line and "taux de réussite" in line for line in feedback.log), feedback.log


@pytest.mark.parametrize(
    ("style", "english", "french"),
    [
        ("early_warning_grid", "Elevated warning (40–60)", "Alerte accrue (40–60)"),
        ("forecast_cells", "More than 10 incidents", "Plus de 10 incidents"),
        ("patrol_validation", "Visited, not confirmed", "Visitée, non confirmée"),
    ],
)
def test_the_early_warning_styles_name_their_classes_in_french(qgis_app, style, english, french):
    qml = STYLES / f"{style}.qml"
    with messages.speaking("fr"):
        said = style_in_language(qml).read_text(encoding="utf-8")
    assert f'label="{french}"' in said and english not in said
    assert style_in_language(qml) == qml  # English: the plugin's own file, as it is


def test_the_warnings_tab_tells_a_warnings_history_in_french(french_qgis, register):  # noqa: F811
    from mission_early_warning.core.warnings_register import read_history
    from mission_early_warning.ui.warnings_tab import WarningsTab

    tab = WarningsTab()
    try:
        lines = [tab.change_text(change) for change in read_history(register, "EW-2026-001")]
        assert [tab.filterCombo.itemText(i) for i in range(tab.filterCombo.count())][1] != "Open warnings"
    finally:
        tab.deleteLater()
    assert any(re.search(r" statut : ouverte → traitée$", line) for line in lines), lines
    assert any(re.search(r" statut : traitée → close$", line) for line in lines), lines
    assert any(" action menée : - → Two patrols a day" in line for line in lines), lines  # the officer's text
    said = " ".join(lines)
    assert not _english_left(said, ("status", "open", "actioned", "closed", "action_taken", "outcome", "by")), lines
