"""Run the whole mission workflow on the demo mission, headless: ``make demo``.

Generates the synthetic demo package, starts QGIS without a GUI, registers the
``mew`` provider and runs each analysis step in turn through Processing, so the
demo exercises exactly what an officer runs from the toolbox or ``qgis_process``.
Each step is one function ``step_<area>(ctx)`` writing under ``ctx.output / <area>``
and recording the outputs later steps (briefing maps) use in ``ctx.results``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .briefings import HISTORY, step_briefings
from .forecast import step_forecast
from .generate import DEFAULT_SEED, generate_mission
from .warnings import step_warnings

QGIS_PYTHON_PLUGINS = "/usr/share/qgis/python/plugins"


@dataclass
class DemoContext:
    """What the steps share: the package, where outputs go, and what earlier steps produced."""

    package: Path
    output: Path
    manifest: dict[str, Any]
    truth: dict[str, Any]
    results: dict[str, str] = field(default_factory=dict)

    def layer(self, layer_id: str) -> str:
        """A data source string for a package layer (``path|layername=…`` for GeoPackage layers)."""
        entry = next(e for e in self.manifest["layers"] if e["id"] == layer_id)
        path = self.package / entry["path"]
        return f"{path}|layername={entry['layer']}" if entry.get("layer") else str(path)

    def folder(self, area: str) -> Path:
        path = self.output / area
        path.mkdir(parents=True, exist_ok=True)
        return path


def start_qgis():
    """A headless QGIS with Processing and the ``mew`` provider registered."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if QGIS_PYTHON_PLUGINS not in sys.path:
        sys.path.append(QGIS_PYTHON_PLUGINS)
    from processing.core.Processing import Processing
    from qgis.core import QgsApplication

    from ..processing.provider import MissionEarlyWarningProvider

    QgsApplication.setPrefixPath("/usr", True)
    app = QgsApplication([], False)
    app.initQgis()
    Processing.initialize()
    provider = MissionEarlyWarningProvider()
    QgsApplication.processingRegistry().addProvider(provider)
    return app, provider


def run_algorithm(algorithm_id: str, parameters: dict[str, Any]) -> dict[str, Any]:
    """Run a Processing algorithm, printing its messages as an officer would see them."""
    from qgis import processing
    from qgis.core import QgsProcessingFeedback

    class PrintingFeedback(QgsProcessingFeedback):
        def pushInfo(self, info):  # noqa: N802 - QGIS API name
            print(f"    {info}")

        def reportError(self, error, fatalError=False):  # noqa: N802, N803
            print(f"    ERROR: {error}")

    started = time.perf_counter()
    print(f"  {algorithm_id}")
    result = processing.run(algorithm_id, parameters, feedback=PrintingFeedback())
    HISTORY.append(
        {
            "algorithm": algorithm_id,
            "parameters": {k: v for k, v in parameters.items() if _plain(v)},
            "outputs": {k: v for k, v in result.items() if isinstance(v, str)},
            "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        }
    )
    print(f"  {algorithm_id} done in {time.perf_counter() - started:.1f} s")
    return result


def _plain(value: Any) -> bool:
    """Text, numbers and lists of them: what the history keeps (never QGIS objects, which must not
    outlive QGIS: a layer still referenced at interpreter exit crashes it)."""
    if isinstance(value, (list, tuple)):
        return all(isinstance(item, (str, int, float, bool)) for item in value)
    return isinstance(value, (str, int, float, bool))


def step_package(ctx: DemoContext) -> None:
    """Describe the package: every layer of the manifest with its role."""
    from qgis.core import QgsApplication

    provider = QgsApplication.processingRegistry().providerById("mew")
    summary = {
        "mission": ctx.manifest["mission"],
        "classification": ctx.manifest["classification"],
        "layers": {e["id"]: {"role": e["role"], "path": e["path"]} for e in ctx.manifest["layers"]},
        "algorithms": sorted(a.id() for a in provider.algorithms()),
    }
    (ctx.folder("package") / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False))
    print(f"  {len(summary['layers'])} layers; algorithms available: {', '.join(summary['algorithms']) or 'none yet'}")


def step_mission(ctx: DemoContext) -> None:
    """Validate the mission package as the dock does, and write its validation report."""
    from ..core.mission_package.package import open_package
    from ..core.mission_package.problems import has_errors
    from ..core.mission_package.report import report_html
    from ..core.mission_package.validation import validate

    package = open_package(ctx.package)
    problems = validate(package)
    report = ctx.folder("mission") / "validation_report.html"
    report.write_text(report_html(package, problems), encoding="utf-8")
    ctx.results.update(validation_report=str(report))
    print(f"  {len(package.layers)} layers, {'errors' if has_errors(problems) else 'no errors'}; report: {report}")


def import_incidents(ctx: DemoContext, folder: Path) -> dict[str, Any]:
    """The package's incident export imported into ``folder`` (bad rows to a rejected table)."""
    return run_algorithm(
        "mew:importincidents",
        {
            "INPUT": str(ctx.package / ctx.truth["incidents"]["csv"]),
            "OUTPUT": str(folder / "incidents.gpkg"),
            "REJECTED": str(folder / "rejected_rows.csv"),
        },
    )


def step_incidents(ctx: DemoContext) -> None:
    """Import the incident export (bad rows to a rejected table) and map incident density."""
    folder = ctx.folder("incidents")
    imported = import_incidents(ctx, folder)
    density = run_algorithm(
        "mew:incidentdensity",
        {
            "INPUT": imported["OUTPUT"],
            "RADIUS": 5000,
            "PIXEL_SIZE": 100,
            "OUTPUT_VALUE": 2,
            "OUTPUT": str(folder / "incident_density.tif"),
        },
    )
    recent = run_algorithm(
        "mew:incidentdensity",
        {
            "INPUT": imported["OUTPUT"],
            "RADIUS": 5000,
            "PIXEL_SIZE": 100,
            "OUTPUT_VALUE": 2,
            "DATE_FIELD": "event_date",
            "START": "2026-05-01",
            "END": ctx.truth["period"]["as_of"],
            "OUTPUT": str(folder / "incident_density_last_6_months.tif"),
        },
    )
    ctx.results.update(
        incidents=imported["OUTPUT"],
        rejected_rows=imported["REJECTED"],
        incident_density=density["OUTPUT"],
        incident_density_recent=recent["OUTPUT"],
    )


def step_hotspots(ctx: DemoContext) -> None:
    """Hot spots (Gi*, FDR) and emerging hot spots (space-time Gi*, Mann-Kendall) of the incidents."""
    from qgis.core import QgsVectorLayer

    fields = next(e for e in ctx.manifest["layers"] if e["id"] == "incidents")["fields"]
    incidents = ctx.results.get("incidents")
    if incidents is None:  # without mew:importincidents: QGIS's CSV reader, readable rows only
        uri = (f"file://{ctx.layer('incidents')}?type=csv&delimiter=,&xField={fields['longitude']}"
               f"&yField={fields['latitude']}&crs=EPSG:4326&detectTypes=yes&geomType=point")  # fmt: skip
        incidents = QgsVectorLayer(uri, "incidents", "delimitedtext")
        incidents.setSubsetString(f'"{fields["latitude"]}" BETWEEN -90 AND 90 AND "{fields["date"]}" IS NOT NULL')
    folder = ctx.folder("hotspots")
    common = {"INPUT": incidents, "STUDY_AREA": ctx.layer("ao_boundary")}
    hot = run_algorithm("mew:hotspots", {**common, "GRID": "fishnet", "OUTPUT": str(folder / "hotspots.gpkg")})
    emerging = run_algorithm(
        "mew:emerginghotspots",
        {**common, "DATE_FIELD": fields["date"], "TIME_STEP": "1 month",
         "OUTPUT": str(folder / "emerging_hotspots.gpkg")},
    )  # fmt: skip
    ctx.results.update(hotspots=hot["OUTPUT"], emerging_hotspots=emerging["OUTPUT"])


def step_drought(ctx: DemoContext) -> None:
    """Drought: VCI of the latest September, its classes, and the change since the year before, per sector."""
    folder, ndvi = ctx.folder("drought"), ctx.truth["ndvi"]
    stack = {
        "STACK": [ctx.layer("ndvi")],
        "MASK": ctx.layer("ndvi_cloudmask"),
        "MASK_VALUES": "1",
        "BASELINE_START": ndvi["baseline_years"][0],
        "BASELINE_END": ndvi["baseline_years"][1],
    }
    index = run_algorithm(
        "mew:droughtindex",
        {
            **stack,
            "TARGET": ndvi["after_date"],
            "OUTPUT": str(folder / "vci.tif"),
            "OUTPUT_CLASSES": str(folder / "vci_classes.tif"),
        },
    )
    change = run_algorithm(
        "mew:droughtchange",
        {
            **stack,
            "BEFORE_DATE": ndvi["before_date"],
            "AFTER_DATE": ndvi["after_date"],
            "MIN_AREA": 100,
            "ZONES": ctx.layer("sectors"),
            "ZONE_FIELD": "sector_id",
            "POPULATION": ctx.layer("population"),
            "OUTPUT_DELTA": str(folder / "delta_vci.tif"),
            "OUTPUT_TRANSITIONS": str(folder / "transitions.tif"),
            "OUTPUT_POLYGONS": str(folder / "new_drought.gpkg"),
            "OUTPUT_SUMMARY": str(folder / "drought_by_sector.gpkg"),
        },
    )
    ctx.results.update(
        {
            "drought_vci": index["OUTPUT"],
            "drought_classes": index["OUTPUT_CLASSES"],
            "drought_delta": change["OUTPUT_DELTA"],
            "drought_transitions": change["OUTPUT_TRANSITIONS"],
            "drought_new_areas": change["OUTPUT_POLYGONS"],
            "drought_summary": change["OUTPUT_SUMMARY"],
        }
    )


def step_coverage(ctx: DemoContext) -> None:
    """Patrol coverage from bases and tracks, and the uncovered villages ranked by risk."""
    from qgis.core import QgsVectorLayer

    out = ctx.folder("coverage")
    incidents = ctx.results.get("incidents")  # the imported incidents (step_incidents), else the raw CSV
    if incidents is None:
        entry = next(e for e in ctx.manifest["layers"] if e["id"] == "incidents")
        incidents = QgsVectorLayer(
            f"file://{ctx.package / entry['path']}?type=csv&xField={entry['fields']['longitude']}"
            f"&yField={entry['fields']['latitude']}&crs=EPSG:4326&detectTypes=yes&geomType=point",
            "incidents",
            "delimitedtext",
        )
    coverage = run_algorithm(
        "mew:patrolcoverage",
        {
            "BASES": ctx.layer("bases"),
            "BASE_RADIUS_FIELD": "patrol_radius_m",
            "BASE_ID_FIELD": "base_id",
            "PATROLS": ctx.layer("patrol_tracks"),
            "PATROL_DISTANCE": 2000,
            "PATROL_DATE_FIELD": "patrol_date",
            "AS_OF": ctx.truth["patrols"]["as_of"],
            "RINGS": "5000,10000,20000",
            "VILLAGES": ctx.layer("villages"),
            "POPULATION_FIELD": "population",
            "POPULATION": ctx.layer("population"),
            "INCIDENTS": incidents,
            "OUTPUT_COVERAGE": str(out / "coverage.gpkg"),
            "OUTPUT_VILLAGES": str(out / "villages_coverage.gpkg"),
            "OUTPUT_SUMMARY": str(out / "coverage_summary.csv"),
        },
    )
    gaps = run_algorithm(
        "mew:coveragegaps",
        {
            "VILLAGES": ctx.layer("villages"),
            "POPULATION_FIELD": "population",
            "COVERAGE": coverage["OUTPUT_COVERAGE"],
            "INCIDENTS": incidents,
            "INCIDENT_DATE_FIELD": "event_date",
            "AS_OF": ctx.truth["period"]["as_of"],
            "DROUGHT": ctx.results.get("drought_vci"),
            "OUTPUT": str(out / "coverage_gaps.gpkg"),
        },
    )
    ctx.results.update(
        coverage=coverage["OUTPUT_COVERAGE"],
        villages_coverage=coverage["OUTPUT_VILLAGES"],
        coverage_summary=coverage["OUTPUT_SUMMARY"],
        coverage_gaps=gaps["OUTPUT"],
    )


def step_early_warning(ctx: DemoContext) -> None:
    """The early-warning grid: emerging hot spots, drought and its fall, people and patrol gaps in one grid."""
    hotspots = ctx.results.get("emerging_hotspots")
    grid = {"HOTSPOTS": hotspots} if hotspots else {"GRID": "fishnet", "STUDY_AREA": ctx.layer("ao_boundary")}
    result = run_algorithm(
        "mew:earlywarninggrid",
        {
            **grid,
            "DROUGHT_INDEX": ctx.results.get("drought_vci"),
            "DROUGHT_CHANGE": ctx.results.get("drought_delta"),
            "POPULATION": ctx.layer("population"),
            "PATROLS": ctx.layer("patrol_tracks"),
            "PATROL_DATE_FIELD": "patrol_date",
            "AS_OF": ctx.truth["patrols"]["as_of"],
            "PATROL_DISTANCE": ctx.truth["patrols"]["patrol_distance_m"],
            "OUTPUT": str(ctx.folder("early_warning") / "early_warning_grid.gpkg"),
        },
    )
    ctx.results.update(early_warning_grid=result["OUTPUT"])


STEPS: list[Callable[[DemoContext], None]] = [
    step_package,
    step_mission,
    step_incidents,
    step_hotspots,
    step_drought,
    step_coverage,
    step_forecast,
    step_early_warning,
    step_briefings,
    step_warnings,
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run the Mission Early Warning workflow on the demo mission.")
    parser.add_argument("--output", type=Path, default=Path("demo-output"))
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    output = args.output.resolve()
    print(f"Generating the demo mission (synthetic exercise data, seed {args.seed}) …")
    package = generate_mission(output / "mission", args.seed)
    ctx = DemoContext(
        package=package,
        output=output,
        manifest=json.loads((package / "manifest.json").read_text(encoding="utf-8")),
        truth=json.loads((package / "truth.json").read_text(encoding="utf-8")),
    )
    app, _provider = start_qgis()
    for step in STEPS:
        print(f"{step.__name__.removeprefix('step_')}: {(step.__doc__ or '').strip().splitlines()[0]}")
        step(ctx)
    print(f"\nDemo mission package: {package}")
    for name, path in ctx.results.items():
        print(f"  {name}: {path}")
    print(f"All demo outputs are under {output}")
    app.exitQgis()
    return 0


if __name__ == "__main__":
    sys.exit(main())
