"""The demo's early warnings: two issued from the hot spot cells, one acted upon, and the register's annex.

The warnings go into the demo package's own register (its ``vectors.gpkg``, as the mission dock keeps it),
dated before the end of the demo period so the annex has response times and incidents that followed.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .run import DemoContext

#: Days before the demo's "as of" date the warnings were issued, and after issue the first one was acted upon.
ISSUED_DAYS_BEFORE = (60, 40)
ACTION_AFTER = timedelta(days=2, hours=12)


def step_warnings(ctx: DemoContext) -> None:
    """Early warnings over the two hottest hot spot cells, one acted upon, and the register's annex (PDF)."""
    from qgis.core import QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsProject, QgsVectorLayer
    from shapely import wkb

    from ..core.mission_package.package import open_package
    from ..core.warnings_register import THREAT_BY_ALGORITHM, issue_warning, register_location, update_warning
    from ..processing.provenance_store import record_of_layer
    from .run import run_algorithm

    if "hotspots" not in ctx.results:
        print("  no hot spot cells: no warnings")
        return
    package = open_package(ctx.package)
    register = register_location(package)
    cells = QgsVectorLayer(ctx.results["hotspots"], "Hot spots", "ogr")
    record = record_of_layer(cells)
    transform = QgsCoordinateTransform(cells.crs(), QgsCoordinateReferenceSystem(package.crs), QgsProject.instance())
    hottest = sorted(cells.getFeatures(), key=lambda cell: -(cell["GiZScore"] or 0))[: len(ISSUED_DAYS_BEFORE)]
    as_of = datetime.combine(datetime.fromisoformat(ctx.truth["period"]["as_of"]).date(), time(8), timezone.utc)
    issued = []
    for cell, days_before in zip(hottest, ISSUED_DAYS_BEFORE):
        geometry = cell.geometry()
        geometry.transform(transform)
        issued.append(
            issue_warning(
                register,
                package.crs,
                wkb.loads(bytes(geometry.asWkb())),
                THREAT_BY_ALGORITHM["mew:hotspots"],
                source_layer="Hot spots",
                source_algorithm="mew:hotspots",
                source_provenance=record.to_json() if record else "",
                confidence="high",
                recommended_action="Day and night patrols through the cell",
                responsible_unit="Sector East battalion",
                issued=as_of - timedelta(days=days_before),
                by="demo",
            )
        )
    first = issued[0]
    acted = first.issued + ACTION_AFTER
    update_warning(register, first.id, {"action_taken": "Two patrols a day", "action_date": acted,
                                        "status": "actioned"}, by="demo", when=acted)  # fmt: skip
    annex = run_algorithm(
        "mew:warningsreport",
        {
            "REGISTER": str(register),
            "INCIDENTS": ctx.results.get("incidents"),
            "DATE_FIELD": "event_date" if ctx.results.get("incidents") else None,
            "CLASSIFICATION": ctx.manifest["classification"],
            "OUTPUT_PDF": str(ctx.folder("warnings") / "early_warning_annex.pdf"),
        },
    )
    ctx.results.update(warnings_register=str(register), warnings_annex=annex["OUTPUT_PDF"])
    print(f"  {len(issued)} warnings in {register}; annex: {annex['OUTPUT_PDF']}")
