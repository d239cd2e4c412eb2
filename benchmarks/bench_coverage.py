"""Benchmark: patrol coverage against the QGIS tools a user would chain instead.

Run: ``.venv/bin/python -P benchmarks/bench_coverage.py [--workdir DIR] [--only buffer|full] [--quick]
[--in-process-only | --no-in-process] [--repeat N]``

Data (synthetic, EPSG:32630, deterministic): 50 bases, 5,000 patrol tracks of
50 vertices (300 m steps) starting at the bases, 100,000 villages, 100,000
incidents and a 100 m population raster (2,000 × 2,000 pixels).

1. Buffer + dissolve, 2 km: ``mew:patrolcoverage`` (patrols only) against
   ``native:buffer DISSOLVE=true`` (same 8 segments per quarter circle), both
   through ``qgis_process.bin``.
2. Full run: ``mew:patrolcoverage`` with the tracks, the villages (geodesic
   distances, rings, recency), the population raster summed by fractional
   pixels and the incidents counted, against the chain
   ``native:buffer`` (dissolve) → ``native:joinattributesbylocation`` (villages)
   → ``native:zonalstatisticsfb`` (population; pixel centres only) →
   ``native:countpointsinpolygon`` (incidents) — which gives no distances.

Each side runs in its own process under ``/usr/bin/time -v`` (the peer tools in
a QGIS profile without this plugin); wall time and peak resident memory are
printed with the ratio.

Both comparisons also run in one warm QGIS process (what a desktop user feels):
the same algorithm steps through ``processing.run``, after a warm-up run of each
side (``benchmarks/in_process.py`` describes how time and memory are measured);
they are recorded in ``benchmarks/results/coverage.md``, below its hand-written
``qgis_process`` tables. ``--in-process-only`` runs only these, ``--no-in-process``
leaves them out, ``--repeat N`` times N rounds (the fastest counts). ``--quick``
uses 200 tracks, 5,000 villages and incidents and a 400 × 400 raster, and writes
the results only where ``--results`` says.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the benchmarks' own helpers (not the plugin root)
from common import ROOT, Step, qgis_home
from in_process import Comparison, Side, add_arguments, compare, record, results_file

CRS = "EPSG:32630"
N_BASES, N_VERTICES, STEP_M = 50, 50, 300.0
X0, Y0, SIZE = 300_000.0, 1_500_000.0, 200_000.0
DISTANCE = 2000
SEGMENTS = 8
RESULTS = ROOT / "benchmarks/results/coverage.md"


@dataclasses.dataclass(frozen=True)
class Sizes:
    """How much data: patrol tracks, villages, incidents, and the population raster's pixel (metres)."""

    tracks: int
    villages: int
    incidents: int
    pixel: float

    @property
    def label(self) -> str:
        return f"{self.tracks}-{self.villages}-{self.incidents}-{self.pixel:g}"


FULL = Sizes(tracks=5000, villages=100_000, incidents=100_000, pixel=100.0)
QUICK = Sizes(tracks=200, villages=5000, incidents=5000, pixel=500.0)


def make_data(folder: Path, sizes: Sizes) -> dict[str, str]:
    """Write the benchmark layers once (kept between runs in ``folder``)."""
    from osgeo import gdal, ogr, osr

    folder.mkdir(parents=True, exist_ok=True)
    paths = {name: str(folder / f"{name}.gpkg") for name in ("tracks", "villages", "incidents")}
    paths["population"] = str(folder / "population.tif")
    if all(Path(p).exists() for p in paths.values()):
        return paths
    rng = np.random.default_rng(20261121)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(32630)
    margin = 25_000.0
    bases = np.column_stack(
        (rng.uniform(X0 + margin, X0 + SIZE - margin, N_BASES), rng.uniform(Y0 + margin, Y0 + SIZE - margin, N_BASES))
    )
    driver = ogr.GetDriverByName("GPKG")

    def layer(name: str, kind: int):
        dataset = driver.CreateDataSource(paths[name])
        lyr = dataset.CreateLayer(name, srs, kind)
        return dataset, lyr

    dataset, lyr = layer("tracks", ogr.wkbLineString)
    lyr.CreateField(ogr.FieldDefn("patrol_id", ogr.OFTInteger))
    lyr.CreateField(ogr.FieldDefn("patrol_date", ogr.OFTDate))
    lyr.StartTransaction()
    for i in range(sizes.tracks):
        heading = np.cumsum(rng.normal(0, 0.4, N_VERTICES - 1)) + rng.uniform(0, 2 * np.pi)
        steps = np.column_stack((np.cos(heading), np.sin(heading))) * STEP_M
        coords = np.vstack((bases[i % N_BASES], bases[i % N_BASES] + np.cumsum(steps, axis=0)))
        feature = ogr.Feature(lyr.GetLayerDefn())
        feature.SetField("patrol_id", i)
        feature.SetField("patrol_date", f"2026-{1 + i % 9:02d}-{1 + i % 28:02d}")
        line = ogr.Geometry(ogr.wkbLineString)
        for x, y in coords:
            line.AddPoint_2D(float(x), float(y))
        feature.SetGeometry(line)
        lyr.CreateFeature(feature)
    lyr.CommitTransaction()
    del lyr, dataset  # closes the file
    for name, count in (("villages", sizes.villages), ("incidents", sizes.incidents)):
        dataset, lyr = layer(name, ogr.wkbPoint)
        lyr.CreateField(ogr.FieldDefn("population", ogr.OFTInteger))
        lyr.StartTransaction()
        xs = rng.uniform(X0, X0 + SIZE, count)
        ys = rng.uniform(Y0, Y0 + SIZE, count)
        pops = rng.integers(50, 5000, count)
        for x, y, p in zip(xs, ys, pops):
            feature = ogr.Feature(lyr.GetLayerDefn())
            feature.SetField("population", int(p))
            point = ogr.Geometry(ogr.wkbPoint)
            point.AddPoint_2D(float(x), float(y))
            feature.SetGeometry(point)
            lyr.CreateFeature(feature)
        lyr.CommitTransaction()
        del lyr, dataset
    n = int(SIZE / sizes.pixel)
    raster = gdal.GetDriverByName("GTiff").Create(paths["population"], n, n, 1, gdal.GDT_Float32, ["TILED=YES"])
    raster.SetGeoTransform((X0, sizes.pixel, 0, Y0 + SIZE, 0, -sizes.pixel))
    raster.SetProjection(srs.ExportToWkt())
    band = raster.GetRasterBand(1)
    band.SetNoDataValue(-99999)
    band.WriteArray(rng.gamma(0.5, 10.0, (n, n)).astype(np.float32))
    raster = None
    return paths


def buffer_steps(data: dict[str, str], out: Path) -> tuple[Step, Step]:
    """Buffer + dissolve of the tracks: ours (patrols only) and ``native:buffer``."""
    ours = Step(
        "mew:patrolcoverage",
        {
            "PATROLS": data["tracks"],
            "PATROL_DISTANCE": DISTANCE,
            "PATROL_SEGMENTS": SEGMENTS,
            "OUTPUT_COVERAGE": out / "ours_buffer.gpkg",
        },
    )
    peer = Step(
        "native:buffer",
        {
            "INPUT": data["tracks"],
            "DISTANCE": DISTANCE,
            "SEGMENTS": SEGMENTS,
            "DISSOLVE": True,
            "OUTPUT": out / "peer_buffer.gpkg",
        },
    )
    return ours, peer


def full_steps(data: dict[str, str], out: Path) -> tuple[Step, list[Step]]:
    """The full coverage run: ours, and the QGIS chain buffer → join → zonal statistics → count points."""
    ours = Step(
        "mew:patrolcoverage",
        {
            "PATROLS": data["tracks"],
            "PATROL_DISTANCE": DISTANCE,
            "PATROL_SEGMENTS": SEGMENTS,
            "VILLAGES": data["villages"],
            "POPULATION_FIELD": "population",
            "POPULATION": data["population"],
            "INCIDENTS": data["incidents"],
            "PATROL_DATE_FIELD": "patrol_date",
            "AS_OF": "2026-10-01",
            "OUTPUT_COVERAGE": out / "ours_cov.gpkg",
            "OUTPUT_VILLAGES": out / "ours_villages.gpkg",
            "OUTPUT_SUMMARY": out / "ours_summary.csv",
        },
    )
    zones = out / "chain_buffer.gpkg"
    chain = [
        Step(
            "native:buffer",
            {"INPUT": data["tracks"], "DISTANCE": DISTANCE, "SEGMENTS": SEGMENTS, "DISSOLVE": True, "OUTPUT": zones},
        ),
        Step(
            "native:joinattributesbylocation",
            {
                "INPUT": data["villages"],
                "JOIN": zones,
                "PREDICATE": 0,
                "METHOD": 1,
                "DISCARD_NONMATCHING": False,
                "OUTPUT": out / "chain_villages.gpkg",
            },
        ),
        Step(
            "native:zonalstatisticsfb",
            {
                "INPUT": zones,
                "INPUT_RASTER": data["population"],
                "RASTER_BAND": 1,
                "STATISTICS": 1,
                "OUTPUT": out / "chain_zonal.gpkg",
            },
        ),
        Step(
            "native:countpointsinpolygon",
            {"POLYGONS": zones, "POINTS": data["incidents"], "FIELD": "incidents", "OUTPUT": out / "chain_counts.gpkg"},
        ),
    ]
    return ours, chain


def timed(steps: list[Step], home: Path) -> tuple[float, float, float]:
    """Wall seconds, the largest peak RSS (MB) and CPU seconds (user + system, with any child process) of steps
    run one after another through qgis_process.bin."""
    env = dict(os.environ, HOME=str(home), QT_QPA_PLATFORM="offscreen", GDAL_CACHEMAX="64")
    # Python caches compiled modules as it does on any QGIS install (this build VM turns that off)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    wall, peak, cpu = 0.0, 0.0, 0.0
    for command in (step.command() for step in steps):
        start = time.perf_counter()
        done = subprocess.run(["/usr/bin/time", "-v", *command], env=env, capture_output=True, text=True)
        wall += time.perf_counter() - start
        if done.returncode != 0:
            sys.exit(f"failed: {' '.join(command)}\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}")
        match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
        peak = max(peak, int(match.group(1)) / 1024 if match else float("nan"))
        seconds = re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", done.stderr)
        cpu += sum(float(value) for value in seconds) if len(seconds) == 2 else float("nan")
    return wall, peak, cpu


def report(title: str, ours: tuple[float, float, float], peer: tuple[float, float, float], peer_name: str) -> str:
    ratio, cpu_ratio = peer[0] / ours[0], peer[2] / ours[2]
    text = (
        f"{title}\n  ours (mew): {ours[0]:7.1f} s, cpu {ours[2]:6.1f} s, peak {ours[1]:6.0f} MB\n"
        f"  peer ({peer_name}): {peer[0]:7.1f} s, cpu {peer[2]:6.1f} s, peak {peer[1]:6.0f} MB\n"
        f"  speed-up: {ratio:.2f}x (wall), {cpu_ratio:.2f}x (CPU)\n"
    )
    print(text, flush=True)
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", default=str(Path(tempfile.gettempdir()) / "mew-bench-coverage"))
    parser.add_argument("--only", choices=("buffer", "full"))
    add_arguments(parser, RESULTS)
    args = parser.parse_args()
    sizes = QUICK if args.quick else FULL
    results = results_file(args, RESULTS)
    work = Path(args.workdir)
    data = make_data(work / f"data-{sizes.label}", sizes)
    home, peer_home = qgis_home(work), qgis_home(work, with_plugin=False)
    out = work / "out"
    out.mkdir(exist_ok=True)
    texts = []
    comparisons: list[Comparison] = []
    in_process = {"home": peer_home, "repeat": args.repeat, "env": dict(os.environ, GDAL_CACHEMAX="64")}
    if args.only in (None, "buffer"):
        title = f"Buffer + dissolve, {sizes.tracks} tracks x {N_VERTICES} vertices, {DISTANCE} m"
        ours_step, peer_step = buffer_steps(data, out)
        if not args.in_process_only:
            texts.append(
                report(title, timed([ours_step], home), timed([peer_step], peer_home), "native:buffer DISSOLVE=true")
            )
        if not args.no_in_process:
            comparisons.append(
                compare(
                    "buffer",
                    title,
                    Side("ours: mew:patrolcoverage (patrols only)", [ours_step]),
                    Side("peer: native:buffer DISSOLVE=true", [peer_step]),
                    **in_process,
                )
            )
    if args.only in (None, "full"):
        title = (
            f"Full coverage run (tracks + {sizes.villages:,} villages + population raster + "
            f"{sizes.incidents:,} incidents)"
        )
        ours_step, chain = full_steps(data, out)
        if not args.in_process_only:
            texts.append(
                report(
                    title,
                    timed([ours_step], home),
                    timed(chain, peer_home),
                    "buffer -> join -> zonalstatisticsfb -> countpointsinpolygon",
                )
            )
        if not args.no_in_process:
            comparisons.append(
                compare(
                    "full",
                    title,
                    Side("ours: mew:patrolcoverage", [ours_step]),
                    Side("peer: buffer → join → zonalstatisticsfb → countpointsinpolygon", chain),
                    target=2,
                    **in_process,
                )
            )
    print("".join(texts))
    if comparisons and results is not None:
        only = f" --only {args.only}" if args.only else ""
        record(results, comparisons, f".venv/bin/python -P benchmarks/bench_coverage.py --repeat {args.repeat}{only}")


if __name__ == "__main__":
    main()
