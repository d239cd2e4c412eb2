"""A briefing map made in a French QGIS speaks French: banners, labels, legend classes, sources and footer.

The demo's briefing maps are drawn as ``tests/test_briefing_cartography.py`` draws them (same stand-ins
for the analysis outputs, here with the provenance records the algorithms write and a hot spot layer),
with QGIS set to French, and read back with poppler. What the demo itself writes (titles, layer names,
its sources, its own legend words) is data: the map prints it as given.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from osgeo import gdal, ogr

from mission_early_warning.core.provenance import ProvenanceRecord
from mission_early_warning.demo.briefings import step_briefings
from mission_early_warning.demo.run import DemoContext
from mission_early_warning.tests.test_briefing_cartography import MAP_STEMS, _stand_ins, pdftext

pytestmark = pytest.mark.usefixtures("poppler")

#: The incidents every stand-in analysis used, as the algorithms record it.
INCIDENT_PERIOD = ["2023-11-01", "2026-10-31"]

#: Words the plugin prints on a map in English: none may be left on a French map.
ENGLISH_FURNITURE = (
    "Legend",
    "Produced",
    "Sources:",
    "Layers:",
    "file dated",
    "not stated",
    "Provenance (Mission Early Warning):",
    "no analysis layers",
    "The boundaries and names shown",
    "United Nations",
    "UN RESTRICTED",
    "raw incident point",
    "Hot spot",
    "Cold spot",
    "Not significant",
    "confidence",
    "No data (cloud or mask)",
    "New drought",
    "Persistent drought",
    "Recovered",
    "No drought",
    "Covered",
    "kernel density",
    "weighted incidents",
    "radius",
    "drought change",
    "areas of at least",
    "cells",
    "band",
    "sheet",
)
#: Their French counterparts, by the map that prints them.
FRENCH_FURNITURE = {
    # The hot-spot map's legend is the fullest: where a QGIS release sets it wider, its title is the first thing
    # left out to make room (layout/legend.py), and its entries wrap, so pdftotext reads them in pieces.
    "briefing_hotspots": (
        "Produite le",
        "Sources :",
        "Couches :",
        "fichier daté du",
        "Provenance (Mission Early Warning) :",
        "Les frontières et les noms indiqués",
        "Organisation des Nations Unies",
        "Point chaud – confiance 99 %",
        "Point froid – confiance 90 %",
        "Non significatif",
        "hotspots : Gi*, cellules de 2 km, bande de 8 km, FDR ; incidents de 2023-11 à 2026-10",
        "pondérés par",
        "km2)",  # NFKC: ² read as 2
        "densité par noyau, noyau quartic, rayon de 1,5 km, pixels de 250 m ; incidents de 2023-11 à 2026-10",
    ),
    "briefing_coverage": ("Légende", "Couvert", "Sources :"),
    "briefing_drought": (
        "Nouvelle sécheresse",
        "Sécheresse persistante",
        "Rétablissement",
        "Pas de données (nuage ou masque)",
        "évolution de la sécheresse, zones d'au moins 100 ha",
    ),
}


def _record(algorithm: str, parameters: dict, **periods: list[str]) -> str:
    return ProvenanceRecord(
        algorithm=algorithm,
        display_name=algorithm,
        parameters=parameters,
        periods={what.replace("_", " "): span for what, span in periods.items()},
        created="2026-11-02T08:00:00+00:00",
    ).to_json()


def _with_record(raster: str, record: str) -> None:
    dataset = gdal.Open(raster, gdal.GA_Update)
    dataset.SetMetadataItem("MEW_PROVENANCE", record)
    dataset = None


def _hot_spot_cells(package_layer: str, path: Path) -> str:
    """4 km cells around the bases, one of each Gi* bin in turn, as ``mew:hotspots`` writes them."""
    gpkg, table = package_layer.split("|layername=")
    package = ogr.Open(gpkg)  # kept open while its layer is read
    bases = package.GetLayerByName(table)
    data = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    layer = data.CreateLayer("hotspots", bases.GetSpatialRef(), ogr.wkbPolygon)
    layer.CreateField(ogr.FieldDefn("Gi_Bin", ogr.OFTInteger))
    bins = [3, 2, 1, 0, -1, -2, -3]
    index = 0
    for base in bases:
        point = base.GetGeometryRef()
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                x, y = point.GetX() + dx * 4000, point.GetY() + dy * 4000
                ring = f"POLYGON(({x - 2000} {y - 2000},{x + 2000} {y - 2000},{x + 2000} {y + 2000},"
                ring += f"{x - 2000} {y + 2000},{x - 2000} {y - 2000}))"
                feature = ogr.Feature(layer.GetLayerDefn())
                feature.SetField("Gi_Bin", bins[index % len(bins)])
                feature.SetGeometry(ogr.CreateGeometryFromWkt(ring))
                layer.CreateFeature(feature)
                index += 1
    layer.SetMetadataItem(
        "MEW_PROVENANCE",
        _record("mew:hotspots", {"CELL_SIZE": 2000, "DISTANCE_BAND": 8000, "FDR": True}, incidents=INCIDENT_PERIOD),
    )
    data = None
    return f"{path}|layername=hotspots"


def _read(path: str) -> str:
    """The PDF's text as a reader sees it: ligatures (ﬁ) as their letters."""
    return unicodedata.normalize("NFKC", pdftext(path))


@pytest.fixture(scope="module")
def french_briefings(mew_provider, demo_mission, tmp_path_factory) -> dict[str, str]:
    """The text of each demo briefing map drawn in a French QGIS, by PDF stem."""
    from mission_early_warning.tests.conftest import qgis_language

    folder = tmp_path_factory.mktemp("french_briefings")
    ctx = DemoContext(demo_mission.path, folder, demo_mission.manifest, demo_mission.truth)
    stand_ins = _stand_ins(demo_mission, folder)
    density = {"KERNEL": "quartic", "RADIUS": 1500, "PIXEL_SIZE": 250}
    _with_record(stand_ins["incident_density"], _record("mew:incidentdensity", density, incidents=INCIDENT_PERIOD))
    _with_record(stand_ins["drought_transitions"], _record("mew:droughtchange", {"MIN_AREA": 100}))
    stand_ins["hotspots"] = _hot_spot_cells(demo_mission.vector("bases"), folder / "hotspots.gpkg")
    ctx.results.update(stand_ins)
    with qgis_language("fr_FR"):
        step_briefings(ctx)
    texts = {stem: _read(ctx.results[f"{stem} (PDF)"]) for stem in MAP_STEMS}
    texts["atlas"] = _read(ctx.results["briefing_hotspots_by_sector (PDF atlas)"])
    return texts


@pytest.mark.parametrize("stem", [*MAP_STEMS, "atlas"])
def test_no_english_word_of_the_plugin_is_left_on_a_french_map(french_briefings, stem):
    text = french_briefings[stem]
    left = [word for word in ENGLISH_FURNITURE if re.search(rf"(?<!\w){re.escape(word.strip())}(?!\w)", text)]
    assert not left, f"{stem}: {left}"
    # The demo's own sources say "2023-11 to 2026-10": the provenance footer must not.
    footers = re.findall(r"Provenance \(Mission Early Warning\) : (.*?) Aucune couche de points", text)
    assert footers
    assert not [footer for footer in footers if re.search(r"\d to \d", footer)], footers


@pytest.mark.parametrize("stem", MAP_STEMS)
def test_a_french_map_says_it_in_french(french_briefings, stem):
    text = french_briefings[stem]
    missing = [words for words in FRENCH_FURNITURE[stem] if words not in text]
    assert not missing, f"{stem}: {missing}\n{text}"
    assert re.search(r"Produite le \d{1,2}(er)? [a-zéû]+\.? \d{4} à \d\d:\d\d UTC", text)


def test_the_atlas_numbers_its_sheets_in_french(french_briefings):
    assert re.search(r"MEW-0004 v1 · feuille 1/\d+ \(S1\)", french_briefings["atlas"])


def test_the_engine_speaks_english_again_after_a_french_run(french_briefings):
    from datetime import datetime, timezone

    from mission_early_warning.core.briefing import date_line
    from mission_early_warning.core.messages import current_language

    assert current_language() == "en"
    assert date_line(datetime(2026, 11, 1, 9, 5, tzinfo=timezone.utc)) == "Produced 01 Nov 2026 09:05 UTC+00:00"
