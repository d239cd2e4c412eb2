"""The demo's forecast step: judge the forecast planted in ``truth.json`` against what happened and what patrols did.

The forecast (the planted hot spots with a history in months 1..30, as squares) is an officer's input, not an
analysis output: it is written from ``truth.json`` to ``forecast/forecast_areas.gpkg`` and then judged with
``mew:forecastaccuracy`` (against the imported incidents of months 31..36) and ``mew:patrolvalidation`` (against
the patrol tracks of those months).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def write_forecast_areas(truth: dict[str, Any], path: Path) -> str:
    """The planted forecast areas as a GeoPackage layer (EPSG:32630): ``name``, ``incidents_before`` (the rank)."""
    from osgeo import ogr, osr

    srs = osr.SpatialReference()
    srs.ImportFromEPSG(int(truth["crs"].split(":")[-1]))
    path.unlink(missing_ok=True)
    source = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    layer = source.CreateLayer("forecast_areas", srs, ogr.wkbPolygon)
    layer.CreateField(ogr.FieldDefn("name", ogr.OFTString))
    layer.CreateField(ogr.FieldDefn("incidents_before", ogr.OFTInteger))
    for area in truth["forecast"]["areas"]:
        feature = ogr.Feature(layer.GetLayerDefn())
        feature.SetGeometry(ogr.CreateGeometryFromWkt(area["wkt"]))
        feature.SetField("name", area["name"])
        feature.SetField("incidents_before", area["incidents_before"])
        layer.CreateFeature(feature)
    source = None
    return f"{path}|layername=forecast_areas"


def step_forecast(ctx: Any) -> None:
    """Forecast accuracy (hit rate, PAI, PEI, RRI, chart) and patrol validation of the planted forecast."""
    from .run import import_incidents, run_algorithm

    folder, forecast = ctx.folder("forecast"), ctx.truth["forecast"]
    areas = write_forecast_areas(ctx.truth, folder / "forecast_areas.gpkg")
    window = {"START": forecast["start"], "END": forecast["end"]}
    incidents = ctx.results.get("incidents")
    if incidents is None:  # without the import step: import here, the accuracy needs dated points
        incidents = import_incidents(ctx, folder)["OUTPUT"]
    accuracy = run_algorithm(
        "mew:forecastaccuracy",
        {
            "FORECAST": areas,
            "RANK_FIELD": "incidents_before",
            "INCIDENTS": incidents,
            "DATE_FIELD": "event_date",
            **window,
            "STUDY_AREA": ctx.layer("ao_boundary"),
            "OUTPUT_MEASURES": str(folder / "forecast_accuracy.csv"),
            "OUTPUT_CURVE": str(folder / "hit_rate_curve.csv"),
            "OUTPUT_CELLS": str(folder / "forecast_areas_incidents.gpkg"),
            "OUTPUT_CHART": str(folder / "hit_rate_chart.png"),
        },
    )
    validation = run_algorithm(
        "mew:patrolvalidation",
        {
            "AREAS": areas,
            "PATROLS": ctx.layer("patrol_tracks"),
            "PATROL_DATE_FIELD": "patrol_date",
            **window,
            "PATROL_DISTANCE": forecast["patrol_distance_m"],
            "POPULATION": ctx.layer("population"),
            "OUTPUT_AREAS": str(folder / "forecast_areas_visited.gpkg"),
            "OUTPUT_SUMMARY": str(folder / "patrol_validation.csv"),
        },
    )
    ctx.results.update(
        forecast_accuracy=accuracy["OUTPUT_MEASURES"],
        hit_rate_chart=accuracy["OUTPUT_CHART"],
        # Names no briefing map picks up (see briefings.BRIEFINGS): these are read as tables and a chart.
        forecast_areas_visited=validation["OUTPUT_AREAS"],
        forecast_visits_summary=validation["OUTPUT_SUMMARY"],
    )
