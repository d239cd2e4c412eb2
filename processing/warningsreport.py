"""``mew:warningsreport``: the early-warning register as a briefing annex (PDF).

A map of the warned areas (the briefing map's page: banners, legend, scale bar, sources), then a table of
every warning with its response time (issue to action, in days) and, when an incidents layer is given, how
many incidents followed inside the warned area within the window, with and without action. The register is
read from the mission package's GeoPackage (:mod:`mission_early_warning.core.warnings_register`); the
review is :mod:`mission_early_warning.core.warnings_review`; the pages are laid out by
:mod:`mission_early_warning.layout.warnings_annex`.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from qgis.core import QgsCoordinateReferenceSystem, QgsProcessingOutputNumber
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..core import briefing
from ..core.errors import MewError
from ..core.warnings_register import has_register, read_warnings, register_crs
from ..core.warnings_review import ANNEX_HEADERS, annex_rows, annex_summary, median_response_days, review_warnings
from ..layout.briefing_map import BriefingMapRequest
from ..layout.warnings_annex import WarningsAnnexRequest, export_warnings_annex, warned_areas_layer
from ..qgis_compat import ProcessingAlgorithmFlag, ProcessingSourceType
from .base import MewAlgorithm
from .briefing_parameters import briefing_map_parameters
from .convert import python_date
from .feature_io import Geometry, ReadOptions, read_input
from .parameters import feature_source, field, file, file_destination, integer, parameter_as_choice, string

#: The briefing map's parameters the annex takes as they are.
SHARED_WITH_BRIEFING = ("MAP_NUMBER", "CLASSIFICATION", "TEMPLATE")


class WarningsReportAlgorithm(MewAlgorithm):
    """Export the early-warning register as a briefing annex: map of warned areas, table, response times."""

    name_id = "warningsreport"
    display = QT_TRANSLATE_NOOP("MewAlgorithm", "Early-warning register annex (PDF)")
    group_name = QT_TRANSLATE_NOOP("MewAlgorithm", "Mission and briefing")
    group_key = "mission"
    TAGS = ("early warning", "register", "tracking", "response", "annex", "briefing", "pdf", "warnings")

    def flags(self):
        # Layout rendering builds a project and QObjects: keep it on the main thread.
        return super().flags() | ProcessingAlgorithmFlag.NoThreading

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API name
        tr = self.tr
        shared = {p.name(): p for p in briefing_map_parameters(tr) if p.name() in SHARED_WITH_BRIEFING}
        self.add_parameters(
            file(
                "REGISTER",
                tr("Early-warning register (the mission's GeoPackage holding it)"),
                extension="gpkg",
                help=tr("The GeoPackage the mission dock's Warnings tab keeps the warnings in."),
            ),
            feature_source(
                "INCIDENTS",
                tr("Incidents (to see whether incidents followed the warnings)"),
                ProcessingSourceType.VectorPoint,
                optional=True,
                help=tr("Incident points with a date; leave empty for response times only."),
            ),
            field(
                "DATE_FIELD",
                tr("Incident date field"),
                "INCIDENTS",
                optional=True,
                help=tr("The field holding each incident's date; needed with an incidents layer."),
            ),
            integer(
                "WINDOW_DAYS",
                tr("Days after a warning in which incidents count as having followed it"),
                default=30,
                minimum=1,
                maximum=3650,
                help=tr("Incidents inside the warned area from the day after issue to this many days after."),
            ),
            integer(
                "OVERDUE_DAYS",
                tr("A warning without action is overdue after (days)"),
                default=7,
                minimum=1,
                maximum=3650,
                help=tr("Open warnings without action issued longer ago than this are marked overdue."),
            ),
            string(
                "TITLE",
                tr("Title"),
                default="Early warnings: response and follow-up",
                help=tr("The annex's title, on the map page and above the table."),
            ),
            *[shared[name] for name in SHARED_WITH_BRIEFING],
            file_destination(
                "OUTPUT_PDF",
                tr("Annex (PDF)"),
                "PDF files (*.pdf)",
                help=tr("The PDF: a map of the warned areas, then the table of warnings."),
            ),
        )
        self.addOutput(QgsProcessingOutputNumber("WARNINGS", tr("Warnings in the register")))
        self.addOutput(QgsProcessingOutputNumber("OPEN_WARNINGS", tr("Open warnings")))
        self.addOutput(QgsProcessingOutputNumber("OVERDUE_WARNINGS", tr("Overdue warnings")))
        self.addOutput(QgsProcessingOutputNumber("MEDIAN_RESPONSE_DAYS", tr("Median response time (days)")))
        self.addOutput(QgsProcessingOutputNumber("PAGES", tr("Number of pages")))

    def run_engine(self, parameters, context, feedback, progress):
        register = self.parameterAsFile(parameters, "REGISTER", context)
        if not register or not has_register(register):
            raise MewError(
                "'{register}' holds no early-warning register (REGISTER): issue a warning from the mission dock's "
                "Warnings tab first, or choose the mission's GeoPackage that holds it.",
                register=register,
            )
        warnings = read_warnings(register)
        if not warnings:
            raise MewError(
                "The early-warning register in '{register}' holds no warning yet: nothing to report.", register=register
            )
        authority, wkt = register_crs(register)
        crs = QgsCoordinateReferenceSystem(authority) if authority else QgsCoordinateReferenceSystem.fromWkt(wkt)
        window = self.parameterAsInt(parameters, "WINDOW_DAYS", context)
        overdue_days = self.parameterAsInt(parameters, "OVERDUE_DAYS", context)
        xy, days = self._incidents(parameters, context, feedback, crs, progress)
        reviews = review_warnings(warnings, xy, days, window, overdue_days, datetime.now(timezone.utc),
                                  progress.sub(0.2, 0.3))  # fmt: skip
        self.record_dates("warnings issued", [warning.issued.date() for warning in warnings])
        output_pdf = self.parameterAsFileOutput(parameters, "OUTPUT_PDF", context)
        title = self.parameterAsString(parameters, "TITLE", context)
        sources = self.tr("Early-warning register: {}").format(Path(register).name)
        if days is not None:
            incidents = self.input_name(parameters, "INCIDENTS", context)
            sources += self.tr("; incidents: {}, window {} days").format(incidents, window)
        map_request = BriefingMapRequest(
            layers=[warned_areas_layer(register, self.tr("Early warnings"))],
            title=title,
            subtitle=self.tr("Register as of {} UTC").format(f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M}"),
            map_number=briefing.format_map_number(self.parameterAsString(parameters, "MAP_NUMBER", context)),
            output_pdf=output_pdf,
            classification=self.parameterAsString(parameters, "CLASSIFICATION", context),
            sources=sources,
            template=parameter_as_choice(self, parameters, "TEMPLATE", context),
        )
        annex = WarningsAnnexRequest(map_request, ANNEX_HEADERS, annex_rows(reviews),
                                     annex_summary(reviews, window, overdue_days))  # fmt: skip
        pages = export_warnings_annex(annex, context.transformContext(), feedback, progress.sub(0.3, 1.0))
        median = median_response_days(reviews)
        feedback.pushInfo(
            self.tr("Early-warning annex written: {} ({} page(s), {} warnings)").format(
                output_pdf, pages, len(warnings)
            )
        )
        return {
            "OUTPUT_PDF": output_pdf,
            "WARNINGS": len(warnings),
            "OPEN_WARNINGS": sum(1 for warning in warnings if warning.status == "open"),
            "OVERDUE_WARNINGS": sum(1 for review in reviews if review.overdue),
            "MEDIAN_RESPONSE_DAYS": median if median is not None else None,
            "PAGES": pages,
        }

    def _incidents(self, parameters, context, feedback, crs, progress):
        """The incidents' points in the register's CRS and their days; (None, None) when none are given."""
        if parameters.get("INCIDENTS") in (None, ""):
            return None, None
        date_field = self.parameterAsString(parameters, "DATE_FIELD", context)
        if not date_field:
            raise MewError(
                "Choose the incidents' date field (DATE_FIELD): it tells which incidents followed a warning."
            )
        options = ReadOptions(Geometry.POINTS, (date_field,), crs, progress=progress.sub(0.0, 0.2), what="incidents")
        incidents = read_input(self, parameters, "INCIDENTS", context, feedback, options)
        days = [python_date(value) for value in incidents.columns[date_field]]
        self.record_dates("incidents", days)
        return incidents.xy, days
