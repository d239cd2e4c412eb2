"""The parameters of mew:patrolcoverage and mew:coveragegaps, as their dialogs show them."""

from __future__ import annotations

from qgis.core import QgsProcessingParameterDefinition

from ..core.coverage_gaps import DEFAULT_WEIGHTS, DROUGHT_KINDS
from ..qgis_compat import ProcessingSourceType
from .parameters import boolean, date, enum, feature_sink, feature_source, field, integer, number, raster_layer, string


def patrol_parameters(
    tr, tracks_help: str, distance_help: str, date_help: str, as_of_help: str
) -> list[QgsProcessingParameterDefinition]:
    """The dated patrol tracks, their reach and the situation date, with each algorithm's own tooltips."""
    return [
        feature_source(
            "PATROLS",
            tr("Patrol tracks (lines; GPX accepted)"),
            ProcessingSourceType.VectorLine,
            optional=True,
            help=tracks_help,
        ),
        number(
            "PATROL_DISTANCE",
            tr("Patrol reach either side of the track (metres)"),
            default=2000.0,
            minimum=0.0,
            decimals=0,
            help=distance_help,
        ),
        field("PATROL_DATE_FIELD", tr("Patrol date field"), "PATROLS", optional=True, help=date_help),
        date("AS_OF", tr("Situation on (empty: the latest patrol date)"), optional=True, help=as_of_help),
    ]


def patrol_coverage_parameters(tr) -> list[QgsProcessingParameterDefinition]:
    """mew:patrolcoverage's parameters, in the dialog's order."""
    points, polygons = ProcessingSourceType.VectorPoint, ProcessingSourceType.VectorPolygon
    return [
        feature_source(
            "BASES",
            tr("Bases (points)"),
            points,
            optional=True,
            help=tr("Team sites, camps or outposts; everything within their reach counts as covered."),
        ),
        field(
            "BASE_RADIUS_FIELD",
            tr("Reach of each base from a field (metres)"),
            "BASES",
            numeric=True,
            optional=True,
            help=tr("When bases reach different distances: the field holding each base's reach in metres."),
        ),
        number(
            "BASE_RADIUS",
            tr("Reach of a base (metres, when no field is chosen)"),
            default=10000.0,
            minimum=0.0,
            decimals=0,
            help=tr("How far from a base a place counts as covered, measured on the ground."),
        ),
        field(
            "BASE_ID_FIELD",
            tr("Base name field"),
            "BASES",
            optional=True,
            help=tr("Names the nearest base of each village (empty: the feature number)."),
        ),
        *patrol_parameters(
            tr,
            tr("The routes patrols drove or walked, e.g. GPS tracks."),
            tr("How far from a track a place counts as covered by the patrol."),
            tr("The date of each patrol: needed to count recent patrols only and the days since a patrol."),
            tr("The day the coverage is assessed: later patrols do not count, and are reported in the log."),
        ),
        integer(
            "WINDOW_DAYS",
            tr("Patrols count for this many days before the situation date (0: all patrols)"),
            default=0,
            minimum=0,
            help=tr("E.g. 30: only patrols of the last 30 days cover a place."),
        ),
        string(
            "RINGS",
            tr("Graded reach rings (metres, comma separated, e.g. 5000,10000,20000)"),
            default="",
            optional=True,
            help=tr("Distances from bases and tracks for zones of decreasing coverage (empty: covered or not)."),
        ),
        feature_source(
            "VILLAGES",
            tr("Villages (points)"),
            points,
            optional=True,
            help=tr("Places whose coverage is measured and counted."),
        ),
        field(
            "POPULATION_FIELD",
            tr("Village population field"),
            "VILLAGES",
            numeric=True,
            optional=True,
            help=tr("The number of people of each village, to count the people within reach."),
        ),
        raster_layer(
            "POPULATION",
            tr("Population raster (people per pixel)"),
            optional=True,
            help=tr("E.g. WorldPop: counts the people within reach over the whole area, not only in villages."),
        ),
        feature_source(
            "INCIDENTS",
            tr("Incidents (points)"),
            points,
            optional=True,
            help=tr("Counts the incidents that happened within reach and out of it."),
        ),
        integer(
            "PATROL_SEGMENTS",
            tr("Segments per quarter circle of track buffers"),
            default=8,
            minimum=1,
            maximum=64,
            advanced=True,
            help=tr("More segments draw rounder track ends at some cost in speed."),
        ),
        feature_sink(
            "OUTPUT_COVERAGE",
            tr("Coverage (dissolved, per ring)"),
            polygons,
            help=tr("The covered area, and one area per reach ring, with its area in square kilometres."),
        ),
        feature_sink(
            "OUTPUT_VILLAGES",
            tr("Villages with coverage"),
            points,
            optional=True,
            help=tr("Each village with covered or not, its distance to a base and a patrol, and days since a patrol."),
        ),
        feature_sink(
            "OUTPUT_SUMMARY",
            tr("Coverage summary"),
            ProcessingSourceType.Vector,
            optional=True,
            help=tr("A table: villages, people and incidents within each ring, as numbers and shares."),
        ),
    ]


def coverage_gaps_parameters(tr) -> list[QgsProcessingParameterDefinition]:
    """mew:coveragegaps's parameters, in the dialog's order."""
    points = ProcessingSourceType.VectorPoint
    return [
        feature_source(
            "VILLAGES",
            tr("Villages (points)"),
            points,
            help=tr("The places to rank; those inside the coverage are left out unless asked for."),
        ),
        field(
            "POPULATION_FIELD",
            tr("Village population field"),
            "VILLAGES",
            numeric=True,
            optional=True,
            help=tr("The number of people of each village: larger villages rank higher."),
        ),
        feature_source(
            "COVERAGE",
            tr("Coverage polygons (e.g. the output of Patrol coverage)"),
            ProcessingSourceType.VectorPolygon,
            help=tr(
                "The area already covered. From Patrol coverage, only its area marked covered is used; any "
                "other polygons (an area of responsibility) are used whole."
            ),
        ),
        feature_source(
            "INCIDENTS",
            tr("Incidents (points)"),
            points,
            optional=True,
            help=tr("Recent incidents near a village, and their increase, raise its rank."),
        ),
        field(
            "INCIDENT_DATE_FIELD",
            tr("Incident date field"),
            "INCIDENTS",
            optional=True,
            help=tr("The date of each incident (dates or text such as 31 December 2025), to tell recent ones."),
        ),
        date(
            "AS_OF",
            tr("Situation on (empty: the latest incident date)"),
            optional=True,
            help=tr("The day the ranking is made for: incidents up to it count."),
        ),
        integer(
            "RECENT_DAYS",
            tr("Recent incidents: days before the situation date"),
            default=180,
            minimum=1,
            help=tr("Incidents within this many days are recent; earlier ones give the usual rate to compare with."),
        ),
        number(
            "INCIDENT_RADIUS",
            tr("Incidents counted within (metres)"),
            default=10000.0,
            minimum=1.0,
            decimals=0,
            help=tr("Incidents closer than this to a village count for it."),
        ),
        raster_layer(
            "HOTSPOTS",
            tr("Hot spot raster (incident density or Gi* z-score; used when no incidents are given)"),
            optional=True,
            help=tr("Without incident points, the value of this raster at each village stands for its incidents."),
        ),
        raster_layer(
            "DROUGHT",
            tr("Drought raster"),
            optional=True,
            help=tr("E.g. an output of Drought index: villages in drought rank higher."),
        ),
        enum(
            "DROUGHT_KIND",
            tr("Drought raster holds"),
            DROUGHT_KINDS,
            (tr("VCI 0–100 (lower is drier)"), tr("Drought class codes (higher is worse)")),
            help=tr("What the drought raster's values are: a VCI, or drought classes numbered worst highest."),
        ),
        number(
            "DISTANCE_SCALE",
            tr("Distance from coverage that scores fully (metres)"),
            default=30000.0,
            minimum=1.0,
            decimals=0,
            advanced=True,
            help=tr("A village this far or farther from the coverage gets the full distance points."),
        ),
        *(
            number(f"W_{key.upper()}", label, default=weight, minimum=0.0, advanced=True, help=help_text)
            for (key, weight), label, help_text in zip(
                DEFAULT_WEIGHTS.items(),
                (
                    tr("Weight of recent incidents"),
                    tr("Weight of the increase of incidents"),
                    tr("Weight of drought"),
                    tr("Weight of population"),
                    tr("Weight of distance from coverage"),
                ),
                (
                    tr("How much recent incidents count in the score, relative to the other weights."),
                    tr("How much an increase of incidents over their earlier rate counts in the score."),
                    tr("How much drought at the village counts in the score."),
                    tr("How much the number of people counts in the score."),
                    tr("How much the distance from the coverage counts in the score."),
                ),
                strict=True,
            )
        ),
        boolean(
            "INCLUDE_COVERED",
            tr("Rank covered villages too"),
            default=False,
            help=tr("Also rank the villages inside the coverage, e.g. to compare all villages."),
        ),
        feature_sink(
            "OUTPUT",
            tr("Coverage gaps ranked"),
            points,
            help=tr("The villages, highest risk first, with their score (0–100) and the reasons in words."),
        ),
    ]
