"""The parameters of mew:earlywarninggrid, its output fields and the words of its reasons."""

from __future__ import annotations

from typing import Any, Callable

from qgis.core import QgsProcessingParameterDefinition
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QLocale

from ..core.early_warning import DEFAULT_WEIGHTS, WarningSettings
from ..qgis_compat import ProcessingSourceType
from .coverage_parameters import patrol_parameters
from .parameters import enum, feature_sink, feature_source, number, raster_layer

#: The grids a run can score: the emerging hot spot cells, or a fishnet over the study area.
GRIDS = ("hotspots", "fishnet")
#: The output's fields, in order. Their names and meanings are stable (docs/early_warning.md): other tools read them.
GRID_FIELDS = (
    ("cell_id", "int"),
    ("rank", "int"),
    ("score", "real"),
    ("reason", "text"),
    ("hs_category", "text"),
    ("hs_code", "int"),
    ("hs_trend_z", "real"),
    ("vci_mean", "real"),
    ("vci_pixels", "int"),
    ("dvci_mean", "real"),
    ("dvci_pixels", "int"),
    ("people", "real"),
    ("days_patrol", "int"),
    ("as_of", "date"),
    ("f_hotspot", "real"),
    ("f_drought", "real"),
    ("f_dvci", "real"),
    ("f_people", "real"),
    ("f_patrol", "real"),
    ("pts_hotspot", "real"),
    ("pts_drought", "real"),
    ("pts_dvci", "real"),
    ("pts_people", "real"),
    ("pts_patrol", "real"),
)
#: The reasons' words, translated in the context "EarlyWarning"; each ``{}`` is filled with a number.
REASON_TEMPLATES = {
    "hotspot": "{category}",
    "drought": QT_TRANSLATE_NOOP("EarlyWarning", "drought (VCI {vci})"),
    "vci_fell": QT_TRANSLATE_NOOP("EarlyWarning", "VCI fell {points} points"),
    "people": QT_TRANSLATE_NOOP("EarlyWarning", "{people} people"),
    "no_patrol": QT_TRANSLATE_NOOP("EarlyWarning", "no patrol on record"),
    "patrol_days": QT_TRANSLATE_NOOP("EarlyWarning", "no patrol for {days} days"),
    "quiet": QT_TRANSLATE_NOOP("EarlyWarning", "no warning sign"),
}
#: The hot spot categories as a reason names them (ArcGIS's CATEGORY codes).
CATEGORY_WORDS = {
    1: QT_TRANSLATE_NOOP("EarlyWarning", "new hot spot"),
    2: QT_TRANSLATE_NOOP("EarlyWarning", "consecutive hot spot"),
    3: QT_TRANSLATE_NOOP("EarlyWarning", "intensifying hot spot"),
    4: QT_TRANSLATE_NOOP("EarlyWarning", "persistent hot spot"),
    5: QT_TRANSLATE_NOOP("EarlyWarning", "diminishing hot spot"),
    6: QT_TRANSLATE_NOOP("EarlyWarning", "sporadic hot spot"),
    7: QT_TRANSLATE_NOOP("EarlyWarning", "oscillating hot spot"),
    8: QT_TRANSLATE_NOOP("EarlyWarning", "historical hot spot"),
}


def translated_words() -> tuple[dict[str, str], dict[int, str], Callable[[float], str]]:
    """The reason templates and category words in the user's language, and how it writes a count."""

    def translate(text: str) -> str:
        return QCoreApplication.translate("EarlyWarning", text)

    separator = QLocale().groupSeparator()

    def count(value: float) -> str:
        return f"{value:,.0f}".replace(",", str(separator))

    templates = {key: translate(text) for key, text in REASON_TEMPLATES.items()}
    return templates, {code: translate(text) for code, text in CATEGORY_WORDS.items()}, count


def warning_settings(algorithm, parameters: dict[str, Any], context) -> WarningSettings:
    """The weights and full-factor values given to the algorithm."""
    return WarningSettings(
        weights={k: algorithm.parameterAsDouble(parameters, f"W_{k.upper()}", context) for k in DEFAULT_WEIGHTS},
        vci_fall_full=algorithm.parameterAsDouble(parameters, "VCI_FALL_FULL", context),
        people_full=algorithm.parameterAsDouble(parameters, "PEOPLE_FULL", context),
        patrol_full_days=algorithm.parameterAsDouble(parameters, "PATROL_FULL_DAYS", context),
    )


def early_warning_parameters(tr) -> list[QgsProcessingParameterDefinition]:
    """mew:earlywarninggrid's parameters, in the dialog's order."""
    polygons = ProcessingSourceType.VectorPolygon
    weight_words = (
        (tr("Weight of the emerging hot spot"), tr("How much the hot spot category counts in the score.")),
        (tr("Weight of drought (VCI)"), tr("How much the drought level of the cell counts in the score.")),
        (tr("Weight of the fall of VCI"), tr("How much the fall of VCI since the earlier date counts.")),
        (tr("Weight of people"), tr("How much the number of people living in the cell counts.")),
        (tr("Weight of the patrol gap"), tr("How much the days since the last patrol count.")),
    )
    return [
        feature_source(
            "HOTSPOTS",
            tr("Emerging hot spots (output of Emerging hot spots)"),
            polygons,
            optional=True,
            help=tr("The cells of an Emerging hot spots run: their category and trend go into the score."),
        ),
        enum(
            "GRID",
            tr("Grid"),
            GRIDS,
            (tr("The emerging hot spot cells"), tr("A fishnet of the cell size below over the study area")),
            help=tr("Score the hot spot cells themselves, or square cells of a size you choose."),
        ),
        number(
            "CELL_SIZE",
            tr("Fishnet cell size (map units, e.g. metres)"),
            default=5000.0,
            minimum=0.0,
            decimals=0,
            help=tr("The side of a fishnet cell; used only with the fishnet grid."),
        ),
        feature_source(
            "STUDY_AREA",
            tr("Study area (for the fishnet; empty: the emerging hot spots' cells)"),
            polygons,
            optional=True,
            help=tr("Fishnet cells whose centre lies in these polygons are scored."),
        ),
        _raster("DROUGHT_INDEX", tr("Drought index: VCI raster (output of Drought index)"), tr),
        _raster("DROUGHT_CHANGE", tr("Drought change: change of VCI raster (output of Drought change)"), tr),
        _raster("POPULATION", tr("Population raster (people per pixel)"), tr),
        *patrol_parameters(
            tr,
            tr("The routes patrols drove or walked, with their dates: a cell long without a patrol scores."),
            tr("A patrol passing this close to a cell counts as a patrol of the cell."),
            tr("The date of each patrol (needed with patrol tracks)."),
            tr("The day the days since the last patrol are counted to: later patrols do not count."),
        ),
        *(
            number(f"W_{key.upper()}", label, default=weight, minimum=0.0, advanced=True, help=text)
            for (key, weight), (label, text) in zip(DEFAULT_WEIGHTS.items(), weight_words, strict=True)
        ),
        number(
            "VCI_FALL_FULL",
            tr("A fall of VCI of this many points scores fully"),
            default=40.0,
            minimum=1.0,
            advanced=True,
            help=tr("40: a fall from a normal year (VCI 50) to extreme drought (VCI 10)."),
        ),
        number(
            "PEOPLE_FULL",
            tr("This many people in a cell score fully"),
            default=10000.0,
            minimum=1.0,
            decimals=0,
            advanced=True,
            help=tr("A cell with this many people or more gets the full people points."),
        ),
        number(
            "PATROL_FULL_DAYS",
            tr("This many days without a patrol score fully"),
            default=60.0,
            minimum=1.0,
            decimals=0,
            advanced=True,
            help=tr("60: two missed monthly patrol cycles. A cell never patrolled scores fully."),
        ),
        feature_sink(
            "OUTPUT",
            tr("Early-warning grid"),
            polygons,
            help=tr("One cell per row, highest score first: the score (0–100), each factor's points and the reason."),
        ),
    ]


def _raster(name: str, label: str, tr) -> QgsProcessingParameterDefinition:
    helps = {
        "DROUGHT_INDEX": tr("Its mean over each cell: the lower, the drier."),
        "DROUGHT_CHANGE": tr("Its mean over each cell: a fall of VCI is a drought setting in."),
        "POPULATION": tr("E.g. WorldPop: the people living in each cell, counted as Patrol coverage counts them."),
    }
    return raster_layer(name, label, optional=True, help=helps[name])
