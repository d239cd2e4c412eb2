"""Bad input refused in a French QGIS: the officer reads why in French, with the layer, field or row named.

Real cases of the hostile-input table (``tests/hostile_cases.py``), run as ``tests/test_hostile.py`` runs
them, with QGIS set to French and the plugin's translation installed as the plugin installs it.
"""

from __future__ import annotations

import pytest
from qgis.PyQt.QtCore import QCoreApplication

from mission_early_warning import plugin as plugin_module
from mission_early_warning.scripts import translations
from mission_early_warning.tests.hostile_cases import CASES
from mission_early_warning.tests.hostile_inputs import unwritable
from mission_early_warning.tests.test_hostile import built, fill, run_algorithm  # noqa: F401 - built: a fixture

#: Case id → (the names the message must give, what it must say in French).
FRENCH_REFUSALS = {
    "importincidents-binary-refused": (("binary.csv",), ("contient des données binaires", "à la ligne 3")),
    "droughtindex-one-band-stack": (
        ("ndvi_2024-09-14.tif",),
        ("La pile n'a qu'une bande", "(bande 1 de", "au moins 3 autres années"),
    ),
    "droughtindex-scale-zero": ((), ("SCALE vaut 0", "0,0001 pour MODIS")),
    "droughtindex-no-crs": (("no_crs.tif",), ("Le raster de la pile", "n'a pas de SCR", "Attribuez-lui son SCR")),
    "droughtchange-no-crs": (("no_crs.tif",), ("Le raster '", "n'a pas de SCR")),
    "incidentdensity-png-output": (("density.png", "density.tif"), ("se termine par '.png'", "écrites en GeoTIFF")),
    "incidentdensity-lines-as-input": (
        ("'patrols' dans inputs.gpkg (INPUT)",),
        ("n'a pas le bon type de géométrie (lignes)", "choisissez une couche de points"),
    ),
    "hotspots-over-input-plain": (("(OUTPUT)", "inputs.gpkg"), ("La sortie", "écraserait l'entrée")),
    "hotspots-read-only-folder": (
        ("locked", "hotspots.gpkg"),
        ("n'a pas pu être écrite dans", "Choisissez un dossier"),
    ),
    "importincidents-two-outputs-one-file": (
        ("(OUTPUT)", "(REJECTED)", "incidents.gpkg"),
        ("La sortie", "et la sortie", "vont tous deux dans", "Donnez à chaque sortie son propre fichier."),
    ),
    "forecastaccuracy-end-before-start": (
        (),
        ("END (2025-01-01) est avant START (2025-06-01)", "fenêtre d'évaluation"),
    ),
    "patrolvalidation-end-before-start": (
        (),
        ("END (2025-01-01) est avant START (2025-06-01)", "fenêtre d'évaluation"),
    ),
    "earlywarninggrid-patrols-without-dates": (
        ("'patrols_valid' dans inputs.gpkg (PATROLS)",),
        ("Les traces de patrouille", "ont besoin de leurs dates", "laissez PATROLS vide"),
    ),
    "warningsreport-register-missing": (
        ("no_register.gpkg", "(REGISTER)"),
        ("ne contient aucun registre d'alerte précoce", "l'onglet Alertes"),
    ),
}
CASES_BY_ID = {case.id: case for case in CASES}


@pytest.fixture()
def french_qgis(french_locale, tmp_path, monkeypatch):
    """QGIS in French with the plugin's translation installed, as the plugin does when QGIS starts."""
    monkeypatch.setattr(plugin_module, "I18N_DIR", tmp_path)
    translations.build(tmp_path)
    translator = plugin_module.install_translator()
    assert translator is not None
    yield
    QCoreApplication.removeTranslator(translator)


@pytest.mark.parametrize("case_id", FRENCH_REFUSALS)
def test_bad_input_is_refused_in_french_naming_what_is_wrong(case_id, built, mew, french_qgis, tmp_path):  # noqa: F811
    case = CASES_BY_ID[case_id]
    inputs = built(case.inputs)
    out = tmp_path / "out"
    out.mkdir()
    places = dict(inputs.sources, out=str(out), locked=str(out / "locked"))
    parameters = {key: fill(value, places) for key, value in case.parameters.items()}
    if "{locked}" in repr(case.parameters):
        with unwritable(out / "locked"):
            error = run_algorithm(mew, case, parameters).error
    else:
        error = run_algorithm(mew, case, parameters).error
    assert error is not None, f"{case_id} was not refused"
    names, french = FRENCH_REFUSALS[case_id]
    missing = [fragment for fragment in (*names, *french) if fragment not in error]
    assert not missing, f"{missing} not in: {error}"
    english = [fill(fragment, places) for fragment in case.error]
    phrases = [fragment for fragment in english if " " in fragment and not any(fragment in name for name in names)]
    left = [phrase for phrase in phrases if phrase in error]
    assert not left, f"English left in: {error}"
    assert not list(out.rglob("*.*")), "nothing is written after a refusal"


#: Damaged mission packages (``package:<damage>`` of the hostile-input table) → the layer and French words the
#: dock's problem list shows.
FRENCH_PACKAGE_PROBLEMS = {
    "geojson_link": ("wells", "donne son SCR sous forme de lien ou d'URL", "Retirez le membre"),
    "unknown_encoding": ("incidents", "n'est pas un encodage de texte", "il est ignoré"),
    "fifo_layer": ("pipe", "est un FIFO (tube nommé), pas un fichier ordinaire"),
    "vrt_tif": ("elevation", "est un jeu de données GDAL VRT, pas un GeoTIFF"),
}


@pytest.mark.parametrize("damage", FRENCH_PACKAGE_PROBLEMS)
def test_the_dock_lists_a_damaged_packages_problems_in_french(damage, built, french_qgis, desktop_iface):  # noqa: F811
    from qgis.PyQt.QtCore import QEvent

    import mission_early_warning
    from mission_early_warning.tests.hostile_cases import Case
    from mission_early_warning.tests.test_hostile import run_dock

    plugin = mission_early_warning.classFactory(desktop_iface)  # speaks QGIS's language from now on
    try:
        case = Case(f"dock-{damage}", "dock", f"package:{damage}", error=("-",))
        outcome = run_dock(desktop_iface, case, {}, built(case.inputs).sources)
    finally:
        plugin.unload()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    layer, *french = FRENCH_PACKAGE_PROBLEMS[damage]
    shown = [text for _severity, layer_id, text, _action in outcome.problems if layer_id == layer]
    assert shown, outcome.problems
    assert [text for text in shown if all(words in text for words in french)], shown


def test_the_validation_report_is_written_in_french(built):  # noqa: F811
    from mission_early_warning.core.messages import speaking
    from mission_early_warning.core.mission_package.package import open_package
    from mission_early_warning.core.mission_package.report import report_html, report_text
    from mission_early_warning.core.mission_package.validation import validate

    package = open_package(built("package:geojson_link").sources["package"])
    with speaking("fr"):
        problems = validate(package)
        text, html = report_text(package, problems), report_html(package, problems)
    assert text.startswith("Rapport de validation du paquet de mission — ")
    assert "Que faire : Retirez le membre" in text and "[wells]" in text
    assert "<th>Gravité</th>" in html and "donne son SCR sous forme de lien" in html
    assert not [words for words in ("What to do", "Problems:", "Layers:", "warning(s)") if words in text + html]
