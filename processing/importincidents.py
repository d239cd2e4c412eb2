"""``mew:importincidents``: ACLED / UCDP / GeoJSON / CSV incidents to typed points (engine: core.incidents)."""

from __future__ import annotations

from typing import Any

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsFeatureSink,
    QgsGeometry,
    QgsPointXY,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP, QDate

from ..core.errors import MewError
from ..core.incidents import FORMATS, REASONS, import_incidents
from ..qgis_compat import ProcessingSourceType, WkbType, make_fields
from .base import MewAlgorithm
from .parameters import date, enum, feature_sink, file, parameter_as_choice, parameter_as_date, string

#: (name, type, length) of the output fields, in order.
INCIDENT_FIELDS = (
    ("source_id", "text", 64),
    ("event_date", "date", 0),
    ("event_type", "text", 80),
    ("sub_event_type", "text", 120),
    ("fatalities", "int", 0),
    ("geo_precision", "int", 0),
    ("location", "text", 120),
    ("actor1", "text", 160),
    ("actor2", "text", 160),
    ("country", "text", 80),
    ("admin1", "text", 80),
    ("source", "text", 254),
    ("source_format", "text", 16),
    ("source_row", "int", 0),
)
REJECTED_FIELDS = (
    ("source_row", "int", 0),
    ("source_id", "text", 64),
    ("reason", "text", 32),
    ("explanation", "text", 120),
    ("detail", "text", 254),
)


class ImportIncidentsAlgorithm(MewAlgorithm):
    """Reads incident exports into a typed point layer and a table of refused rows."""

    name_id = "importincidents"
    display = QT_TRANSLATE_NOOP("MewAlgorithm", "Import incidents (ACLED, UCDP, CSV, GeoJSON)")
    group_name = QT_TRANSLATE_NOOP("MewAlgorithm", "Incidents and hot spots")
    group_key = "incidents"
    TAGS = ("incidents", "import", "acled", "ucdp", "ged", "csv", "geojson", "events", "points")

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API name
        tr = self.tr
        self.add_parameters(
            file(
                "INPUT",
                tr("Incident export (CSV or GeoJSON)"),
                file_filter="Incident exports (*.csv *.txt *.tsv *.geojson *.json);;All files (*.*)",
                help=tr("The file downloaded from ACLED, HDX or UCDP, or any table of incidents with coordinates."),
            ),
            enum(
                "FORMAT",
                tr("Format of the export"),
                FORMATS,
                (
                    tr("Recognise it from the columns"),
                    tr("ACLED (also HDX with HXL tags)"),
                    tr("UCDP GED"),
                    tr("Other table (columns named below or found by their names)"),
                ),
                help=tr("Leave it to be recognised unless the log says the format was not recognised."),
            ),
            string(
                "LAT_FIELD",
                tr("Latitude column (other tables; empty: found by its name)"),
                optional=True,
                advanced=True,
                help=tr("The column of latitudes in decimal degrees, e.g. lat or latitude."),
            ),
            string(
                "LON_FIELD",
                tr("Longitude column (other tables; empty: found by its name)"),
                optional=True,
                advanced=True,
                help=tr("The column of longitudes in decimal degrees, e.g. lon or longitude."),
            ),
            string(
                "DATE_FIELD",
                tr("Date column (other tables; empty: found by its name)"),
                optional=True,
                advanced=True,
                help=tr("The column of incident dates, e.g. 2026-10-31 or 31 October 2026."),
            ),
            string(
                "ID_FIELD",
                tr("Event identifier column (finds duplicates; empty: found by its name)"),
                optional=True,
                advanced=True,
                help=tr("Rows with the same identifier are imported once; the others are listed as duplicates."),
            ),
            date(
                "LATEST_DATE",
                tr("Latest plausible incident date (empty: a year from today)"),
                optional=True,
                advanced=True,
                help=tr("Rows dated after this day are refused as implausible and listed in the rejected rows."),
            ),
            feature_sink(
                "OUTPUT",
                tr("Incidents"),
                ProcessingSourceType.VectorPoint,
                help=tr("One point per accepted incident, with its date, type, fatalities, actors and place."),
            ),
            feature_sink(
                "REJECTED",
                tr("Rejected rows"),
                ProcessingSourceType.Vector,
                help=tr("One row per refused line of the file, with the reason in words."),
            ),
        )
        self.addOutput(QgsProcessingOutputNumber("ACCEPTED_COUNT", self.tr("Incidents accepted")))
        self.addOutput(QgsProcessingOutputNumber("REJECTED_COUNT", self.tr("Rows rejected")))
        self.addOutput(QgsProcessingOutputNumber("DATA_LINES", self.tr("Data lines read (GeoJSON: features)")))
        self.addOutput(QgsProcessingOutputNumber("BLANK_LINES", self.tr("Blank lines")))
        self.addOutput(QgsProcessingOutputString("FORMAT", self.tr("Format read")))
        self.addOutput(QgsProcessingOutputString("ENCODING", self.tr("Encoding read")))

    def run_engine(self, parameters, context, feedback, progress) -> dict[str, Any]:
        path = self.parameterAsFile(parameters, "INPUT", context)
        if not path:
            raise MewError("Choose the incident file to import (INPUT).")
        result = import_incidents(
            path,
            parameter_as_choice(self, parameters, "FORMAT", context),
            self.parameterAsString(parameters, "LAT_FIELD", context).strip(),
            self.parameterAsString(parameters, "LON_FIELD", context).strip(),
            self.parameterAsString(parameters, "DATE_FIELD", context).strip(),
            self.parameterAsString(parameters, "ID_FIELD", context).strip(),
            progress.sub(0, 0.7),
            latest_date=parameter_as_date(self, parameters, "LATEST_DATE", context),
        )
        for warning in result.warnings:
            feedback.reportError(warning, fatalError=False)
        self.record_dates("incidents", (incident.event_date for incident in result.incidents))

        # computing is done: now the outputs
        fields = make_fields(INCIDENT_FIELDS)
        sink, output_id = self.parameterAsSink(
            parameters, "OUTPUT", context, fields, WkbType.Point, QgsCoordinateReferenceSystem("EPSG:4326")
        )
        rejected_sink, rejected_id = self.parameterAsSink(
            parameters,
            "REJECTED",
            context,
            make_fields(REJECTED_FIELDS),
            WkbType.NoGeometry,
            QgsCoordinateReferenceSystem(),
        )
        if sink is None or rejected_sink is None:
            raise MewError("The output layers could not be created: check the output paths.")
        total = max(result.records, 1)
        for count, incident in enumerate(result.incidents):
            if count % 2000 == 0:
                progress.sub(0.7, 1.0).step(count / total)
            feature = QgsFeature(fields)
            feature.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(incident.longitude, incident.latitude)))
            feature.setAttributes(
                [
                    incident.source_id or None,
                    QDate(incident.event_date.year, incident.event_date.month, incident.event_date.day),
                    incident.event_type or None,
                    incident.sub_event_type or None,
                    incident.fatalities,
                    incident.precision,
                    incident.location or None,
                    incident.actor1 or None,
                    incident.actor2 or None,
                    incident.country or None,
                    incident.admin1 or None,
                    incident.source[:254] or None,
                    result.format,
                    incident.row,
                ]
            )
            sink.addFeature(feature, QgsFeatureSink.Flag.FastInsert)
        rejected_fields = make_fields(REJECTED_FIELDS)
        for rejection in result.rejected:
            feature = QgsFeature(rejected_fields)
            feature.setAttributes(
                [
                    rejection.row,
                    rejection.source_id or None,
                    rejection.reason,
                    rejection.explanation if rejection.reason in REASONS else "",
                    rejection.detail[:254],
                ]
            )
            rejected_sink.addFeature(feature, QgsFeatureSink.Flag.FastInsert)
        feedback.pushInfo(result.summary())
        for rejection in result.rejected[:50]:
            feedback.pushInfo(self.tr("  rejected {}").format(rejection.message))
        if len(result.rejected) > 50:
            feedback.pushInfo(self.tr("  … and {} more: see the REJECTED table.").format(len(result.rejected) - 50))
        progress.step(1.0)
        del sink, rejected_sink  # flush file outputs before they are styled
        self.apply_style(output_id, "incidents_by_event_type", context)
        return {
            "OUTPUT": output_id,
            "REJECTED": rejected_id,
            "ACCEPTED_COUNT": len(result.incidents),
            "REJECTED_COUNT": len(result.rejected),
            "DATA_LINES": result.data_lines,
            "BLANK_LINES": len(result.blank_lines),
            "FORMAT": result.format,
            "ENCODING": result.encoding,
        }
