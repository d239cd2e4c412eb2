"""Benchmark the drought engine against the peers a GIS officer would use, in one run.

    .venv/bin/python -P benchmarks/bench_drought.py [--pair-size 10980] [--stack-size 5000] [--dates 20]
        [--quick] [--only pair|vci|deflate] [--in-process-only | --no-in-process] [--repeat N]

Scenarios (each command runs in its own process under ``/usr/bin/time -v``: wall time and peak RSS):

1. ``pair``: B − A of a float32 pair (tiled GeoTIFF, uncompressed). Ours (the core step in Python, and
   ``mew:droughtchange`` through ``qgis_process.bin``) against ``gdal_calc.py`` with its defaults and
   ``qgis:rastercalculator`` through ``qgis_process.bin``; and the read + write floor: the same windows of the same
   files read and written with no arithmetic (rasterio, bounded cache, one thread).
2. ``vci``: VCI of a stack of ``--dates`` float32 rasters. Ours against the QGIS chain (``native:cellstatistics``
   minimum, maximum, then ``qgis:rastercalculator``) and a whole-stack numpy script.
3. ``deflate``: the pair DEFLATE-compressed, DEFLATE output. Ours against single-threaded ``gdal_calc.py``.

In one warm QGIS process (what a desktop user feels; ``benchmarks/in_process.py`` describes how time and memory
are measured): ``mew:droughtchange`` against ``qgis:rastercalculator`` on the same pair, and ``mew:droughtindex``
against the same QGIS chain on the same stack, after a warm-up run of each side. ``--in-process-only`` runs these
alone and replaces only their section of the results; ``--no-in-process`` leaves them out. ``--quick`` runs small
sizes (a 1000² pair, 5 dates of 500²) and writes the results only where ``--results`` says.

Peers run with GDAL's defaults (``GDAL_CACHEMAX`` and ``GDAL_NUM_THREADS`` removed from their environment), as a
user runs them; in the one QGIS process both sides share those defaults. The big rasters are generated in a
temporary folder and deleted afterwards. Results are printed and written to ``benchmarks/results/drought.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import numpy as np
import rasterio
from rasterio.transform import from_origin
from rasterio.windows import Window

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the benchmarks' own helpers (not the plugin root)
from common import ROOT, Step, qgis_home
from in_process import Comparison, Side, add_arguments, compare, record, results_file

PYTHON = sys.executable
RESULTS = ROOT / "benchmarks" / "results" / "drought.md"
FULL_SIZES = {"pair_size": 10980, "stack_size": 5000, "dates": 20}
QUICK_SIZES = {"pair_size": 1000, "stack_size": 500, "dates": 5}


# --- running and measuring ------------------------------------------------------------------


def peer_env() -> dict[str, str]:
    # PYTHONDONTWRITEBYTECODE goes too: Python caches compiled modules on any QGIS install (this build VM turns it off)
    env = {
        k: v for k, v in os.environ.items() if k not in ("GDAL_CACHEMAX", "GDAL_NUM_THREADS", "PYTHONDONTWRITEBYTECODE")
    }
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env


REPEAT = 1  # runs per command; the fastest counts (set by --repeat)


def measure(name: str, command: list[str], env: dict[str, str] | None = None) -> dict[str, float | str]:
    """Run ``command`` REPEAT times and keep the fastest run (a shared machine only ever slows a run down)."""
    runs = [_measure_once(name, command, env) for _ in range(REPEAT)]
    return min(runs, key=lambda r: r["seconds"])


def _measure_once(name: str, command: list[str], env: dict[str, str] | None = None) -> dict[str, float | str]:
    os.sync()  # the previous command's half-gigabyte output is flushed now, not during this one
    load = os.getloadavg()[0]
    started = time.perf_counter()
    completed = subprocess.run(
        ["/usr/bin/time", "-v", *command], env=env or peer_env(), capture_output=True, text=True, check=False
    )
    wall = time.perf_counter() - started
    if completed.returncode != 0:
        raise SystemExit(f"{name} failed:\n{completed.stdout[-3000:]}\n{completed.stderr[-3000:]}")
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", completed.stderr)
    peak_mb = int(rss.group(1)) / 1024 if rss else float("nan")
    cpu = sum(float(m) for m in re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", completed.stderr))
    inner = re.search(r"ELAPSED ([\d.]+)", completed.stdout)
    inner_s = float(inner.group(1)) if inner else None
    timed = f"  (call {inner_s:.2f} s)" if inner_s is not None else ""
    print(f"  {name:<58} {wall:8.2f} s  cpu {cpu:7.2f} s  peak {peak_mb:7.0f} MB  (load {load:.1f}){timed}", flush=True)
    return {"name": name, "seconds": wall, "cpu": cpu, "peak_mb": peak_mb, "load": load, "inner": inner_s}


def python_step(code: str) -> list[str]:
    """A Python process running ``code``; it prints the time of the work itself (after its imports) as ELAPSED."""
    lines = textwrap.dedent(code).strip("\n").splitlines()
    first_work = next(i for i, line in enumerate(lines) if not line.startswith(("import ", "from ")))
    timed = [
        *lines[:first_work],
        "import time as _time",
        "_started = _time.perf_counter()",
        *lines[first_work:],
        "print(f'ELAPSED {_time.perf_counter() - _started:.3f}')",
    ]
    return [PYTHON, "-P", "-c", "\n".join(timed) + "\n"]


def qgis_run(home: Path, step: Step) -> tuple[list[str], dict[str, str]]:
    """The command and environment of a qgis_process.bin run; peer algorithms run in a profile without our plugin."""
    env = peer_env()
    env["HOME"] = str(home if step.algorithm.startswith("mew:") else qgis_home(home.parent, with_plugin=False))
    return step.command(), env


def remove(*paths: Path) -> None:
    for path in paths:
        for candidate in (path, path.with_suffix(".qml"), Path(str(path) + ".aux.xml")):
            candidate.unlink(missing_ok=True)


# --- test data ------------------------------------------------------------------------------


def write_field(path: Path, size: int, seed: int, compress: str | None = None) -> None:
    """A float32 NDVI-like field (smooth pattern + noise, 4 decimals), tiled, written block by block."""
    rng = np.random.default_rng(seed)
    profile = {
        "driver": "GTiff",
        "width": size,
        "height": size,
        "count": 1,
        "dtype": "float32",
        "crs": "EPSG:32630",
        "transform": from_origin(300000, 1700000, 10, 10),
        "nodata": -9999.0,
        "tiled": True,
        "blockxsize": 256,
        "blockysize": 256,
        "BIGTIFF": "IF_SAFER",
    }
    if compress:
        profile.update(compress=compress, NUM_THREADS="ALL_CPUS")
    phase = seed * 0.37
    with rasterio.Env(GDAL_CACHEMAX=64), rasterio.open(path, "w", **profile) as dataset:
        for row in range(0, size, 1024):
            height = min(1024, size - row)
            ys = (np.arange(row, row + height, dtype=np.float32) / 700.0)[:, None]
            xs = (np.arange(size, dtype=np.float32) / 900.0)[None, :]
            values = 0.45 + 0.2 * np.sin(xs + phase) * np.cos(ys - phase)
            values += rng.normal(0, 0.03, values.shape).astype(np.float32)
            dataset.write(np.round(values, 4).astype(np.float32), 1, window=Window(0, row, size, height))


def pair_files(folder: Path, size: int) -> tuple[Path, Path]:
    """The uncompressed pair (before, after), written unless it is already there."""
    a, b = folder / "before.tif", folder / "after.tif"
    if not (a.exists() and b.exists()):
        print(f"Generating a {size}² float32 pair (tiled, uncompressed) …", flush=True)
        write_field(a, size, 1)
        write_field(b, size, 2)
    return a, b


def stack_files(folder: Path, size: int, dates: int) -> tuple[list[Path], list[int]]:
    """The NDVI stack (one date a year, the last one assessed) and its years, written unless already there."""
    years = list(range(2024 - dates + 1, 2025))
    files = [folder / f"ndvi_{year}-09-14.tif" for year in years]
    if not all(path.exists() for path in files):
        print(f"Generating a {dates}-date stack of {size}² float32 rasters …", flush=True)
        for seed, path in enumerate(files, 10):
            write_field(path, size, seed)
    return files, years


# --- the algorithms compared (the same steps through qgis_process.bin and in one QGIS process) -----


def pair_steps(a: Path, b: Path, ours_out: Path, peer_out: Path) -> tuple[Step, Step]:
    """B − A by ``mew:droughtchange`` and by QGIS's raster calculator."""
    ours = Step("mew:droughtchange", {"BEFORE": a, "AFTER": b, "OUTPUT_DELTA": ours_out})
    peer = Step(
        "qgis:rastercalculator", {"EXPRESSION": f'"{b.stem}@1" - "{a.stem}@1"', "LAYERS": [a, b], "OUTPUT": peer_out}
    )
    return ours, peer


def vci_steps(files: list[Path], years: list[int], ours_out: Path, peer_out: Path) -> tuple[Step, list[Step]]:
    """VCI of the last date by ``mew:droughtindex``, and by the QGIS chain: cell minimum, maximum, calculator."""
    baseline, target = files[:-1], files[-1]
    minimum, maximum = peer_out.with_name("min.tif"), peer_out.with_name("max.tif")
    ours = Step(
        "mew:droughtindex", {"STACK": files, "BASELINE_START": years[0], "BASELINE_END": years[-2], "OUTPUT": ours_out}
    )
    statistics = {"INPUT": baseline, "IGNORE_NODATA": 1, "REFERENCE_LAYER": baseline[0]}
    low, high = (f'"{path.stem}@1"' for path in (minimum, maximum))
    chain = [
        Step("native:cellstatistics", {**statistics, "STATISTIC": 6, "OUTPUT": minimum}),
        Step("native:cellstatistics", {**statistics, "STATISTIC": 7, "OUTPUT": maximum}),
        Step(
            "qgis:rastercalculator",
            {
                "EXPRESSION": f'100 * ("{target.stem}@1" - {low}) / ({high} - {low})',
                "LAYERS": [target, minimum, maximum],
                "OUTPUT": peer_out,
            },
        ),
    ]
    return ours, chain


# --- scenarios ------------------------------------------------------------------------------


def bench_pair(folder: Path, size: int, home: Path, with_qgis_calculator: bool) -> list[dict]:
    a, b = pair_files(folder, size)
    out = folder / "out.tif"
    ours_step, calculator = pair_steps(a, b, out, out)
    rows = []
    rows.append(
        measure(
            "floor: read A and B, write A (rasterio, 1 thread, no arithmetic)",
            python_step(f"""
        import rasterio
        from rasterio.windows import Window
        with rasterio.Env(GDAL_CACHEMAX=64), rasterio.open({str(a)!r}) as a, rasterio.open({str(b)!r}) as b:
            profile = dict(a.profile, blockxsize=512, blockysize=512, tiled=True)
            with rasterio.open({str(out)!r}, "w", **profile) as out:
                for row in range(0, a.height, 512):
                    for col in range(0, a.width, 512):
                        w = Window(col, row, min(512, a.width - col), min(512, a.height - row))
                        x = a.read(1, window=w)
                        b.read(1, window=w)
                        out.write(x, 1, window=w)
        """),
        )
    )
    remove(out)
    rows.append(
        measure(
            "ours: core step (drought_change, Python)",
            python_step(f"""
        from mission_early_warning.core.drought import drought_change
        drought_change({str(a)!r}, {str(b)!r}, output_delta={str(out)!r})
        """),
        )
    )
    remove(out)
    rows.append(measure("ours: mew:droughtchange via qgis_process.bin", *qgis_run(home, ours_step)))
    remove(out)
    rows.append(
        measure(
            "peer: gdal_calc.py B-A, defaults",
            ["gdal_calc.py", "-A", str(a), "-B", str(b), f"--outfile={out}", "--calc=B-A", "--quiet", "--overwrite"],
        )
    )
    remove(out)
    if with_qgis_calculator:
        rows.append(measure("peer: qgis:rastercalculator via qgis_process.bin", *qgis_run(home, calculator)))
        remove(out)
    return rows


def available_parallelism() -> float:
    """Speed-up two threads of zlib get over one right now: what the shared machine lets any program reach."""
    import threading
    import zlib

    data = os.urandom(1 << 20) * 8

    def burn() -> None:
        for _ in range(4):
            zlib.compress(data, 6)

    def timed(threads: int) -> float:
        started = time.perf_counter()
        workers = [threading.Thread(target=burn) for _ in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        return time.perf_counter() - started

    return min(2 * timed(1) / timed(2) for _ in range(2))


def bench_deflate(folder: Path, size: int) -> list[dict]:
    a, b = folder / "before_deflate.tif", folder / "after_deflate.tif"
    print(f"Generating a {size}² float32 pair (tiled, DEFLATE) …", flush=True)
    write_field(a, size, 1, compress="DEFLATE")
    write_field(b, size, 2, compress="DEFLATE")
    out = folder / "out_deflate.tif"
    rows = []
    speedup = available_parallelism()
    print(f"  control: 2 zlib threads run {speedup:.2f}× faster than 1 on this machine right now", flush=True)
    rows.append(
        {
            "name": "control: speed-up of 2 zlib threads over 1 (what the machine allows now)",
            "seconds": speedup,
            "cpu": float("nan"),
            "peak_mb": float("nan"),
            "load": os.getloadavg()[0],
            "inner": None,
        }
    )
    rows.append(
        measure(
            "ours: core step, DEFLATE in and out",
            python_step(f"""
        from mission_early_warning.core.drought import drought_change
        drought_change({str(a)!r}, {str(b)!r}, output_delta={str(out)!r})
        """),
        )
    )
    with rasterio.open(out) as dataset:
        assert dataset.compression is not None, "our output should follow the input's compression"
    remove(out)
    rows.append(
        measure(
            "peer: gdal_calc.py B-A, DEFLATE out, single-threaded",
            [
                "gdal_calc.py",
                "-A",
                str(a),
                "-B",
                str(b),
                f"--outfile={out}",
                "--calc=B-A",
                "--quiet",
                "--overwrite",
                "--co=COMPRESS=DEFLATE",
                "--co=TILED=YES",
            ],
        )
    )
    remove(out, a, b)
    return rows


def bench_vci(folder: Path, size: int, dates: int, home: Path) -> list[dict]:
    files, years = stack_files(folder, size, dates)
    out = folder / "vci.tif"
    ours_step, chain_steps = vci_steps(files, years, out, out)
    rows = []
    rows.append(
        measure(
            f"ours: core step (drought_index VCI, {dates} dates, Python)",
            python_step(f"""
        from mission_early_warning.core.drought import drought_index
        drought_index({[str(f) for f in files]!r}, {str(out)!r}, baseline_start={years[0]},
                      baseline_end={years[-2]})
        """),
        )
    )
    ours_vci = folder / "ours_vci.tif"
    out.rename(ours_vci)
    rows.append(measure("ours: mew:droughtindex via qgis_process.bin", *qgis_run(home, ours_step)))
    remove(out)
    names = (
        "peer: native:cellstatistics minimum",
        "peer: native:cellstatistics maximum",
        "peer: qgis:rastercalculator VCI",
    )
    chain = [measure(name, *qgis_run(home, step)) for name, step in zip(names, chain_steps)]
    rows.extend(chain)
    rows.append(
        {
            "name": "peer: QGIS chain total (cellstatistics ×2 + rastercalculator)",
            "seconds": sum(r["seconds"] for r in chain),
            "cpu": sum(r["cpu"] for r in chain),
            "peak_mb": max(r["peak_mb"] for r in chain),
            "inner": None,
            "load": chain[0]["load"],
        }
    )
    print(f"  {'peer: QGIS chain total':<58} {rows[-1]['seconds']:8.2f} s", flush=True)
    with rasterio.open(out) as peer, rasterio.open(ours_vci) as ours:
        a, b = peer.read(1, window=Window(0, 0, 512, 512)), ours.read(1, window=Window(0, 0, 512, 512))
        agree = np.nanmax(np.abs(np.clip(a, 0, 100) - b))
    print(f"  check: ours vs QGIS chain, max |ΔVCI| on a 512² sample = {agree:.4f}")
    remove(out, *(step.parameters["OUTPUT"] for step in chain_steps[:2]))
    rows.append(
        measure(
            f"peer: whole-stack numpy script ({dates} dates in memory)",
            python_step(f"""
        import numpy as np, rasterio
        files = {[str(f) for f in files]!r}
        with rasterio.Env(GDAL_CACHEMAX=64):
            def load(path):
                with rasterio.open(path) as d:
                    a = d.read(1)
                    a[a == d.nodata] = np.nan
                    return a, d.profile
            stack = np.stack([load(f)[0] for f in files[:-1]])
            target, profile = load(files[-1])
            low, high = np.nanmin(stack, axis=0), np.nanmax(stack, axis=0)
            vci = np.clip(100 * (target - low) / (high - low), 0, 100)
            vci[~np.isfinite(vci)] = -9999
            with rasterio.open({str(out)!r}, "w", **profile) as d:
                d.write(vci.astype("float32"), 1)
        """),
            env=dict(peer_env(), GDAL_CACHEMAX="64"),
        )
    )
    remove(out, ours_vci)
    return rows


def ratio(rows: list[dict], slow: str, fast: str) -> float:
    by_name = {r["name"]: r for r in rows}
    return by_name[slow]["seconds"] / by_name[fast]["seconds"]


def in_process_pair(folder: Path, size: int, repeat: int) -> Comparison:
    """B − A by ours and by QGIS's raster calculator in one warm QGIS process."""
    a, b = pair_files(folder, size)
    ours, calculator = pair_steps(a, b, folder / "in_process_ours.tif", folder / "in_process_qgis.tif")
    return compare(
        "pair",
        f"B − A, {size}² float32",
        Side("ours: mew:droughtchange", [ours]),
        Side("peer: qgis:rastercalculator", [calculator]),
        target=4,
        repeat=repeat,
        home=qgis_home(folder, with_plugin=False),
        env=peer_env(),
    )


def in_process_vci(folder: Path, size: int, dates: int, repeat: int) -> Comparison:
    """VCI by ours and by the QGIS chain in one warm QGIS process."""
    files, years = stack_files(folder, size, dates)
    ours, chain = vci_steps(files, years, folder / "in_process_ours_vci.tif", folder / "in_process_qgis_vci.tif")
    return compare(
        "vci",
        f"VCI of the last of {dates} dates × {size}² float32",
        Side("ours: mew:droughtindex", [ours]),
        Side("peer: QGIS chain (cellstatistics ×2 + rastercalculator)", chain),
        target=8,
        repeat=repeat,
        home=qgis_home(folder, with_plugin=False),
        env=peer_env(),
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--pair-size",
        type=int,
        help=f"pixels a side ({FULL_SIZES['pair_size']}; {QUICK_SIZES['pair_size']} with --quick)",
    )
    parser.add_argument(
        "--stack-size",
        type=int,
        help=f"pixels a side ({FULL_SIZES['stack_size']}; {QUICK_SIZES['stack_size']} with --quick)",
    )
    parser.add_argument(
        "--dates", type=int, help=f"dates in the stack ({FULL_SIZES['dates']}; {QUICK_SIZES['dates']} with --quick)"
    )
    parser.add_argument("--only", choices=("pair", "vci", "deflate"), action="append")
    parser.add_argument("--workdir", type=Path, default=None, help="folder for the generated rasters (a temp dir)")
    parser.add_argument("--no-qgis-calculator", action="store_true", help="skip qgis:rastercalculator on the pair")
    add_arguments(parser, RESULTS, "runs per command, and timed rounds in the QGIS process; the fastest counts")
    args = parser.parse_args()
    for name, full in FULL_SIZES.items():
        if getattr(args, name) is None:
            setattr(args, name, QUICK_SIZES[name] if args.quick else full)
    results = results_file(args, RESULTS)
    global REPEAT
    REPEAT = max(1, args.repeat)
    parts = args.only or ["pair", "vci", "deflate"]
    folder = Path(tempfile.mkdtemp(prefix="mew-bench-drought-", dir=args.workdir))
    print(f"{platform.node()}: {os.cpu_count()} cores, load {os.getloadavg()}; data in {folder}")
    rows: dict[str, list[dict]] = {}
    comparisons: list[Comparison] = []
    try:
        home = qgis_home(folder)
        if "pair" in parts:
            print(f"\n[pair] B − A, {args.pair_size}² float32, tiled, uncompressed")
            if not args.in_process_only:
                rows["pair"] = bench_pair(folder, args.pair_size, home, not args.no_qgis_calculator)
            if not args.no_in_process:
                comparisons.append(in_process_pair(folder, args.pair_size, REPEAT))
            for path in (folder / "before.tif", folder / "after.tif"):
                path.unlink(missing_ok=True)
        if "vci" in parts:
            print(f"\n[vci] VCI of {args.dates} dates × {args.stack_size}² float32")
            if not args.in_process_only:
                rows["vci"] = bench_vci(folder, args.stack_size, args.dates, home)
            if not args.no_in_process:
                comparisons.append(in_process_vci(folder, args.stack_size, args.dates, REPEAT))
            remove(*folder.glob("ndvi_*.tif"))
        if "deflate" in parts and not args.in_process_only:
            print(f"\n[deflate] B − A, {args.pair_size}² float32, DEFLATE in and out")
            rows["deflate"] = bench_deflate(folder, args.pair_size)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if rows:
        summary = summarise(rows)
        print("\n" + "\n".join(summary))
        if results is not None:
            write_results(args, results, rows, summary)
    if comparisons and results is not None:
        record(results, comparisons, command_line(args))
    return 0


def command_line(args: argparse.Namespace) -> str:
    """The command that reproduces this run's sizes and parts."""
    only = "".join(f" --only {part}" for part in args.only or [])
    return (
        f".venv/bin/python -P benchmarks/bench_drought.py --pair-size {args.pair_size} "
        f"--stack-size {args.stack_size} --dates {args.dates} --repeat {args.repeat}{only}"
    )


def summarise(rows: dict[str, list[dict]]) -> list[str]:
    lines = []
    if "pair" in rows:
        pair = rows["pair"]
        core, cli = "ours: core step (drought_change, Python)", "ours: mew:droughtchange via qgis_process.bin"
        floor = "floor: read A and B, write A (rasterio, 1 thread, no arithmetic)"
        calc = "peer: gdal_calc.py B-A, defaults"
        lines.append(f"pair: core step vs gdal_calc.py defaults: {ratio(pair, calc, core):.2f}× (target ≥ 1.5×)")
        lines.append(
            f"pair: qgis_process ours vs gdal_calc.py defaults: "
            f"{ratio(pair, 'peer: gdal_calc.py B-A, defaults', cli):.2f}×"
        )
        if any(r["name"].startswith("peer: qgis:rastercalculator") for r in pair):
            lines.append(
                f"pair: qgis_process ours vs qgis:rastercalculator: "
                f"{ratio(pair, 'peer: qgis:rastercalculator via qgis_process.bin', cli):.2f}× (target ≥ 4×)"
            )
        by_name = {r["name"]: r for r in pair}
        lines.append(
            f"pair: core step / read+write floor: {ratio(pair, core, floor):.2f} whole processes, "
            f"{by_name[core]['inner'] / by_name[floor]['inner']:.2f} for the work itself "
            "(after interpreter start and imports) (target ≤ 1.3)"
        )
        lines.append(
            f"pair: peak memory core {by_name[core]['peak_mb']:.0f} MB (target ≤ 250), "
            f"qgis_process {by_name[cli]['peak_mb']:.0f} MB (target < 500)"
        )
    if "vci" in rows:
        vci = rows["vci"]
        core = next(r["name"] for r in vci if r["name"].startswith("ours: core step"))
        cli = "ours: mew:droughtindex via qgis_process.bin"
        chain = "peer: QGIS chain total (cellstatistics ×2 + rastercalculator)"
        script = next(r["name"] for r in vci if r["name"].startswith("peer: whole-stack numpy"))
        by_name = {r["name"]: r for r in vci}
        lines.append(
            f"vci: qgis_process ours vs QGIS chain: {ratio(vci, chain, cli):.2f}× (target ≥ 8×); "
            f"core step vs chain {ratio(vci, chain, core):.2f}×"
        )
        lines.append(f"vci: core step vs whole-stack numpy: {ratio(vci, script, core):.2f}× (target ≥ 1.5×)")
        lines.append(
            f"vci: peak memory core {by_name[core]['peak_mb']:.0f} MB (target ≤ 300), qgis_process "
            f"{by_name[cli]['peak_mb']:.0f} MB (target < 500); "
            f"numpy script {by_name[script]['peak_mb']:.0f} MB"
        )
    if "deflate" in rows:
        deflate = rows["deflate"]
        calc = "peer: gdal_calc.py B-A, DEFLATE out, single-threaded"
        ours = "ours: core step, DEFLATE in and out"
        control = deflate[0]["seconds"]
        lines.append(
            f"deflate: core step vs single-threaded gdal_calc.py: {ratio(deflate, calc, ours):.2f}× "
            f"(target ≥ 1.6×); two threads of plain zlib reached {control:.2f}× over one at the same time"
        )
    return lines


def _seconds(value: float | None) -> str:
    return f"{value:.2f}" if value is not None else "–"


def write_results(args, results: Path, rows: dict[str, list[dict]], summary: list[str]) -> None:
    now = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    lines = [
        "# Drought benchmarks",
        "",
        f"Run {now} on `{platform.node()}` ({os.cpu_count()} cores, shared with other engineers: the load average "
        "at the start of each command is given), Debian bookworm, GDAL "
        f"{rasterio.__gdal_version__}, rasterio {rasterio.__version__}, QGIS 3.22 `qgis_process.bin`.",
        f"Command: `{command_line(args)}`. Each command ran {args.repeat} time(s) "
        "in its own process under `/usr/bin/time -v` (wall time, CPU time, peak RSS); the fastest run counts. "
        "Peers run with GDAL's defaults.",
        "",
        "## Ratios",
        "",
        *[f"- {line}" for line in summary],
        "",
    ]
    for part, part_rows in rows.items():
        lines += [
            f"## {part}",
            "",
            "| command | wall s | work s (after imports) | CPU s (user+sys) | peak MB | load |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        lines += [
            f"| {r['name']} | {r['seconds']:.2f} | {_seconds(r.get('inner'))} | {r['cpu']:.2f} | "
            f"{r['peak_mb']:.0f} | {r['load']:.1f} |"
            for r in part_rows
        ]
        lines.append("")
    results.parent.mkdir(parents=True, exist_ok=True)
    results.write_text("\n".join(lines), encoding="utf-8")
    print(f"Results written to {results}")


if __name__ == "__main__":
    sys.exit(main())
