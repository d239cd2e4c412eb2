"""Benchmark: Gi* hot spots and emerging hot spots against esda + libpysal.

Run: ``.venv/bin/python -P benchmarks/bench_hotspots.py [--quick]``. Each measurement runs
in its own subprocess, which reports its time and its peak memory (``ru_maxrss``).

1. Gi* engine (count grid → z, p, FDR bins), 3-cell distance band, at 3 grid sizes;
   esda ``G_Local(star=True, transform="B")`` with libpysal ``DistanceBand`` weights
   (weights construction included) at the reference size of 100 000 cells; z compared.
2. ``mew:hotspots`` end to end (read incidents from a GeoPackage → written, styled
   GeoPackage grid) at 3 sizes up to 1M incidents / 100 000 cells, against esda
   weights + ``G_Local`` alone at 100 000 cells.
3. ``mew:emerginghotspots`` end to end, 48 monthly steps, at 3 sizes up to 1M incidents /
   100 000 cells, against esda ``G_Local`` on the 48 slices alone (weights built once,
   not timed) at 100 000 cells.
QGIS start-up (about 1.5 s, once per session) is excluded from the end-to-end times.
Times are wall-clock and process CPU; ratios are given for both (on a shared machine
the CPU times are the steadier measure).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the benchmark scripts' shared modules (not the plugin root)
from in_process import start_qgis

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "hotspots.md"
EXTENT = 200_000.0  # metres, square study area
MONTHS = 48


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def side_for(cells: int) -> int:
    return round(float(np.sqrt(cells)))


def counts_grid(cells: int) -> np.ndarray:
    side = side_for(cells)
    rng = np.random.default_rng(1)
    counts = rng.poisson(3, (side, side)).astype(float)
    counts[side // 4 : side // 4 + 12, side // 3 : side // 3 + 12] += 6  # a hot spot
    return counts


# --------------------------------------------------------------------------------------
# Parts (each runs in a child process)
# --------------------------------------------------------------------------------------
def part_engine_ours(cells: int, out: str) -> dict:
    from mission_early_warning.core import getis_ord as go

    counts = counts_grid(cells)
    side = counts.shape[0]
    grid = go.Grid("fishnet", 0.0, 0.0, 1.0, side, side)
    inside = np.ones(counts.shape, bool)
    times, cpus = [], []
    for _ in range(7):
        started, cpu = time.perf_counter(), time.process_time()
        result = go.gi_star_grid(counts, inside, grid, 3.0, fdr=True)
        times.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
    np.save(out, result.z.ravel())
    return {"seconds": float(np.median(times)), "cpu": float(np.median(cpus))}


def part_engine_esda(cells: int, out: str) -> dict:
    warnings.filterwarnings("ignore")
    import esda
    import libpysal

    counts = counts_grid(cells)
    side = counts.shape[0]
    rows, cols = np.mgrid[0:side, 0:side]
    points = np.column_stack([cols.ravel(), rows.ravel()]).astype(float)
    started, cpu = time.perf_counter(), time.process_time()
    weights = libpysal.weights.DistanceBand(points, threshold=3.0, binary=True, silence_warnings=True)
    built = time.process_time() - cpu
    result = esda.G_Local(counts.ravel(), weights, star=True, transform="B", permutations=0)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    np.save(out, result.Zs)
    return {"seconds": seconds, "cpu": cpu, "weights_cpu": built, "glocal_cpu": cpu - built}


def make_incidents(n: int, path: str, dated: bool) -> None:
    """n incidents (uniform background plus clusters) over the square, EPSG:32630, GeoPackage."""
    from osgeo import gdal

    rng = np.random.default_rng(7)
    n_hot = n // 5
    xy = rng.uniform(0, EXTENT, (n, 2))
    centres = rng.uniform(0.2 * EXTENT, 0.8 * EXTENT, (10, 2))
    xy[:n_hot] = centres[rng.integers(0, 10, n_hot)] + rng.normal(0, 3000, (n_hot, 2))
    xy = np.clip(xy, 1, EXTENT - 1) + np.array([300_000.0, 1_500_000.0])
    csv = path + ".csv"
    with open(csv, "w") as handle:
        if dated:
            months = rng.integers(0, MONTHS, n)
            days = (np.datetime64("2022-01", "M") + months).astype("datetime64[D]") + rng.integers(0, 28, n)
            handle.write("x,y,event_date\n")
            coordinates = np.char.add(np.char.add(np.char.mod("%.1f", xy[:, 0]), ","), np.char.mod("%.1f", xy[:, 1]))
            lines = np.char.add(np.char.add(coordinates, ","), days.astype(str))
        else:
            handle.write("x,y\n")
            lines = np.char.add(np.char.add(np.char.mod("%.1f", xy[:, 0]), ","), np.char.mod("%.1f", xy[:, 1]))
        handle.write("\n".join(lines.tolist()))
        handle.write("\n")
    gdal.UseExceptions()
    table = gdal.OpenEx(csv, open_options=["X_POSSIBLE_NAMES=x", "Y_POSSIBLE_NAMES=y", "AUTODETECT_TYPE=YES"])
    gdal.VectorTranslate(
        path, table, format="GPKG", layerName="incidents", dstSRS="EPSG:32630", srcSRS="EPSG:32630",
        geometryType="POINT",
    )  # fmt: skip
    table = None
    os.remove(csv)


def part_e2e(algorithm: str, incidents: int, cells: int, workdir: str) -> dict:
    qgis = start_qgis()  # noqa: F841 - keep the application and provider alive
    from qgis import processing

    source = str(Path(workdir) / f"incidents_{incidents}_{algorithm}.gpkg")
    if not Path(source).exists():
        make_incidents(incidents, source, dated=algorithm == "emerginghotspots")
    cell = EXTENT / side_for(cells)
    output = str(Path(workdir) / f"out_{algorithm}_{incidents}.gpkg")
    parameters = {"INPUT": source, "CELL_SIZE": cell, "DISTANCE_BAND": 3 * cell, "OUTPUT": output}
    if algorithm == "emerginghotspots":
        parameters.update({"DATE_FIELD": "event_date", "TIME_STEP": "1 month", "TIME_WINDOW": 1})
    started, cpu = time.perf_counter(), time.process_time()
    result = processing.run(f"mew:{algorithm}", parameters)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    from qgis.core import QgsVectorLayer

    written = QgsVectorLayer(result["OUTPUT"], "out", "ogr").featureCount()
    return {"seconds": seconds, "cpu": cpu, "cells_written": written, "steps": result.get("TIME_STEPS")}


def part_esda_slices(cells: int, slices: int) -> dict:
    warnings.filterwarnings("ignore")
    import esda
    import libpysal

    side = side_for(cells)
    rows, cols = np.mgrid[0:side, 0:side]
    points = np.column_stack([cols.ravel(), rows.ravel()]).astype(float)
    weights = libpysal.weights.DistanceBand(points, threshold=3.0, binary=True, silence_warnings=True)
    rng = np.random.default_rng(3)
    started, cpu = time.perf_counter(), time.process_time()
    for _ in range(slices):
        esda.G_Local(rng.poisson(0.2, side * side).astype(float), weights, star=True, transform="B", permutations=0)
    return {"seconds": time.perf_counter() - started, "cpu": time.process_time() - cpu}


# --------------------------------------------------------------------------------------
def child(args: list[str]) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", GDAL_CACHEMAX="64")
    done = subprocess.run(
        [sys.executable, "-P", __file__, "--part", *args], capture_output=True, text=True, env=env, check=False
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"part {args} failed:\n{done.stdout}\n{done.stderr}")
    return json.loads(lines[-1])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--part", nargs="+")
    parser.add_argument("--quick", action="store_true", help="smaller sizes, no 48-slice esda run")
    args = parser.parse_args()
    if args.part:
        name, *rest = args.part
        if name == "engine_ours":
            result = part_engine_ours(int(rest[0]), rest[1])
        elif name == "engine_esda":
            result = part_engine_esda(int(rest[0]), rest[1])
        elif name == "e2e":
            result = part_e2e(rest[0], int(rest[1]), int(rest[2]), rest[3])
        else:
            result = part_esda_slices(int(rest[0]), int(rest[1]))
        result["peak_mb"] = peak_mb()
        print(json.dumps(result))
        return 0

    reference = 10_000 if args.quick else 100_000
    sizes = [reference // 4, reference // 2, reference]
    incidents = [10 * s for s in sizes]
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    report = [f"# Hot spot benchmarks\n\n{time.strftime('%Y-%m-%d %H:%M')} — {os.uname().nodename}, "
              f"{os.cpu_count()} cores, Python {sys.version.split()[0]}, load average at start {load} "
              "(a shared machine: wall times vary with the load, CPU times much less).\n"]  # fmt: skip
    with tempfile.TemporaryDirectory() as workdir:
        lines = ["\n## 1. Gi* engine (count grid → z, p, FDR bins), band 3 cells (median of 7)\n",
                 "| cells | ours wall (s) | ours CPU (s) | peak MB |", "|---:|---:|---:|---:|"]  # fmt: skip
        ours = {}
        for size in sizes:
            ours[size] = child(["engine_ours", str(size), f"{workdir}/ours_{size}.npy"])
            lines.append(f"| {side_for(size) ** 2:,} | {ours[size]['seconds']:.4f} | {ours[size]['cpu']:.4f} | "
                         f"{ours[size]['peak_mb']:.0f} |")  # fmt: skip
        peer = child(["engine_esda", str(reference), f"{workdir}/esda.npy"])
        diff = float(np.nanmax(np.abs(np.load(f"{workdir}/ours_{reference}.npy") - np.load(f"{workdir}/esda.npy"))))
        ratio = peer["cpu"] / ours[reference]["cpu"]
        lines.append(
            f"\nesda + libpysal at {side_for(reference) ** 2:,} cells: {peer['seconds']:.2f} s wall, "
            f"{peer['cpu']:.2f} s CPU "
            f"(DistanceBand {peer['weights_cpu']:.2f} s + G_Local {peer['glocal_cpu']:.2f} s), "
            f"peak {peer['peak_mb']:.0f} MB. **Ratio {ratio:,.0f}× (CPU)**, "
            f"{peer['seconds'] / ours[reference]['seconds']:,.0f}× (wall); max |z difference| {diff:.1e}.\n"
        )
        print("\n".join(lines))
        report += lines

        lines = ["\n## 2. mew:hotspots end to end (GeoPackage in → styled GeoPackage grid out)\n",
                 "| incidents | cells | ours wall (s) | ours CPU (s) | peak MB |",
                 "|---:|---:|---:|---:|---:|"]  # fmt: skip
        e2e = {}
        for size, n in zip(sizes, incidents):
            e2e[size] = child(["e2e", "hotspots", str(n), str(size), workdir])
            lines.append(f"| {n:,} | {e2e[size]['cells_written']:,} | {e2e[size]['seconds']:.2f} | "
                         f"{e2e[size]['cpu']:.2f} | {e2e[size]['peak_mb']:.0f} |")  # fmt: skip
        lines.append(
            f"\nAgainst esda weights + G_Local alone ({peer['cpu']:.2f} s CPU, {peer['seconds']:.2f} s wall): "
            f"**{peer['cpu'] / e2e[reference]['cpu']:.1f}× faster (CPU)**, "
            f"{peer['seconds'] / e2e[reference]['seconds']:.1f}× (wall).\n"
        )
        print("\n".join(lines))
        report += lines

        lines = [f"\n## 3. mew:emerginghotspots end to end, {MONTHS} monthly steps\n",
                 "| incidents | cells | steps | ours wall (s) | ours CPU (s) | peak MB |",
                 "|---:|---:|---:|---:|---:|---:|"]  # fmt: skip
        emerging = {}
        for size, n in zip(sizes, incidents):
            emerging[size] = child(["e2e", "emerginghotspots", str(n), str(size), workdir])
            lines.append(f"| {n:,} | {emerging[size]['cells_written']:,} | {emerging[size]['steps']} | "
                         f"{emerging[size]['seconds']:.2f} | {emerging[size]['cpu']:.2f} | "
                         f"{emerging[size]['peak_mb']:.0f} |")  # fmt: skip
        slices = 4 if args.quick else MONTHS
        esda_slices = child(["esda_slices", str(reference), str(slices)])
        per_slice = esda_slices["cpu"] / slices
        lines.append(
            f"\nesda G_Local on {slices} slices of {side_for(reference) ** 2:,} cells: {esda_slices['cpu']:.1f} s CPU, "
            f"{esda_slices['seconds']:.1f} s wall ({per_slice:.2f} s CPU per slice; weights built once, untimed), "
            f"peak {esda_slices['peak_mb']:.0f} MB. **Ratio {per_slice * MONTHS / emerging[reference]['cpu']:.1f}× "
            f"(CPU)** for {MONTHS} slices, "
            f"{esda_slices['seconds'] / slices * MONTHS / emerging[reference]['seconds']:.1f}× (wall).\n"
        )
        print("\n".join(lines))
        report += lines
    if not args.quick:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text("\n".join(report), encoding="utf-8")
        print(f"written {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
