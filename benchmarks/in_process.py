"""Ours and the peer in one warm QGIS process: the time and memory a QGIS desktop user feels.

``qgis_process.bin`` pays QGIS's start-up on every run; a user working in QGIS desktop pays it
once. :func:`compare` starts one child Python process which initialises QGIS as the tests do
(``QgsApplication``, Processing, our provider registered), runs each side once to warm up
(Python modules, GDAL drivers, the input files in the page cache), then times
``processing.run`` of each side, ours and the peer taking turns for ``repeat`` rounds; the
fastest round of each side counts. A side is one algorithm or a chain of them, given as
:class:`common.Step` s, the same steps the scripts run through ``qgis_process.bin``.

Our algorithms run under the rule the plugin sets in QGIS desktop (``plugin.py``): no forked
child processes, since forking a GUI process may deadlock. Where ``qgis_process.bin`` shares
work out to forked processes (the patrol coverage's buffers with shapely 1.8), here it runs in
threads with shapely ≥ 2 and one share after another with shapely 1.8, as on a user's desktop.

Measured per side, around its ``processing.run`` calls only:

- wall time: ``time.perf_counter``;
- CPU time: ``time.process_time`` (every thread of the process) plus the CPU time of any
  child process the side forked and waited for (``os.times``);
- peak memory: the kernel's peak resident set of the process (``VmHWM``, the counter
  ``getrusage``'s ``ru_maxrss`` reports), reset to the current resident set just before the side
  runs (Linux ``/proc/self/clear_refs``). Both sides run in one process, whose peak never goes
  down on its own: a ``ru_maxrss`` delta would hide the second side under the first. Given as the
  peak of the whole QGIS process and as its rise over the resident set before the run. Where the
  kernel refuses the reset, the figure is the process's peak so far, and the results say so.

:func:`record` writes each comparison into a results file, beside the ``qgis_process.bin``
tables, in a marked block that the next run of the same comparison replaces. Run alone, this
file is the child: ``python -P benchmarks/in_process.py SPEC.json``.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the benchmark scripts' shared modules (not the plugin root)
from common import ROOT, Step, import_this_checkout

SIDECARS = (".qml", ".aux.xml", ".gpkg-wal", ".gpkg-shm")


@dataclass(frozen=True)
class Side:
    """One side of a comparison: a label for the table and the algorithm steps it runs, in order."""

    label: str
    steps: list[Step]


@dataclass(frozen=True)
class Measurement:
    """The fastest timed round of one side (memory: the largest over the rounds)."""

    label: str
    seconds: float
    cpu: float
    peak_mb: float
    rise_mb: float


@dataclass(frozen=True)
class Comparison:
    """Ours against the peer on the same data, in one warm QGIS process.

    ``key`` names the comparison in its results file, where a later run replaces its block.
    """

    key: str
    title: str
    ours: Measurement
    peer: Measurement
    target: float | None
    repeat: int
    peak_reset: bool
    started_mb: float
    qgis_version: str
    gdal_cachemax: str

    @property
    def wall_ratio(self) -> float:
        return self.peer.seconds / self.ours.seconds

    @property
    def cpu_ratio(self) -> float:
        return self.peer.cpu / self.ours.cpu

    def summary(self) -> str:
        """One line: the ratios and the target."""
        target = f" (target ≥ {self.target:g}×)" if self.target else ""
        return (
            f"{self.title}: {self.wall_ratio:.1f}× (wall), {self.cpu_ratio:.1f}× (CPU){target}; "
            f"peak {self.ours.peak_mb:.0f} MB ours, {self.peer.peak_mb:.0f} MB peer"
        )

    def rows(self) -> list[str]:
        """Markdown table rows, one per side."""
        return [
            f"| {m.label} | {m.seconds:.2f} | {m.cpu:.2f} | {m.peak_mb:.0f} | {m.rise_mb:.0f} |"
            for m in (self.ours, self.peer)
        ]


def add_arguments(
    parser: argparse.ArgumentParser,
    results: Path,
    repeat_help: str = "timed rounds in the QGIS process; the fastest counts",
) -> None:
    """The options the benchmark scripts share: a quick check, which part runs, rounds, the results file."""
    parser.add_argument("--quick", action="store_true", help="small data, to check a script (see --results)")
    part = parser.add_mutually_exclusive_group()
    part.add_argument("--in-process-only", action="store_true", help="only the comparisons in one QGIS process")
    part.add_argument("--no-in-process", action="store_true", help="only the runs in processes of their own")
    parser.add_argument("--repeat", type=int, default=1, help=repeat_help)
    parser.add_argument(
        "--results", type=Path, help=f"results file ({results.relative_to(ROOT)}; with --quick, none unless given)"
    )


def results_file(args: argparse.Namespace, default: Path) -> Path | None:
    """Where the results go: ``--results``, else ``default``, else nowhere for a quick check."""
    return args.results or (None if args.quick else default)


def compare(
    key: str,
    title: str,
    ours: Side,
    peer: Side,
    *,
    home: Path,
    target: float | None = None,
    repeat: int = 1,
    env: dict[str, str] | None = None,
) -> Comparison:
    """Time ``ours`` and ``peer`` in one fresh, warm QGIS process (see the module's description).

    ``home`` is the HOME of that process, a private one, so the QGIS profile of whoever runs the
    benchmark is neither read nor changed; ``env`` is its environment (this one by default).
    """
    spec = {"sides": [_side_json(ours), _side_json(peer)], "repeat": max(1, repeat)}
    env = dict(os.environ if env is None else env, QT_QPA_PLATFORM="offscreen", HOME=str(home))
    env.pop("QGIS_CUSTOM_CONFIG_PATH", None)  # the private HOME's profile, not another one
    print(f"  in one QGIS process: {title} …", flush=True)
    with tempfile.NamedTemporaryFile("w", suffix=".json", prefix="mew-in-process-") as handle:
        json.dump(spec, handle)
        handle.flush()
        done = subprocess.run(
            [sys.executable, "-P", __file__, handle.name], env=env, capture_output=True, text=True, check=False
        )
    reports = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not reports:
        raise SystemExit(f"in-process comparison '{title}' failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    report = json.loads(reports[-1])
    comparison = Comparison(
        key=key,
        title=title,
        ours=Measurement(**report["sides"][0]),
        peer=Measurement(**report["sides"][1]),
        target=target,
        repeat=spec["repeat"],
        peak_reset=report["peak_reset"],
        started_mb=report["started_mb"],
        qgis_version=report["qgis_version"],
        gdal_cachemax=env.get("GDAL_CACHEMAX", "GDAL's default"),
    )
    for measurement in (comparison.ours, comparison.peer):
        print(
            f"    {measurement.label:<60} {measurement.seconds:8.2f} s  cpu {measurement.cpu:7.2f} s  "
            f"peak {measurement.peak_mb:6.0f} MB (+{measurement.rise_mb:.0f})",
            flush=True,
        )
    print(f"    {comparison.summary()}", flush=True)
    return comparison


def block(comparison: Comparison, command: str) -> str:
    """The results block (markdown, between its markers) of one comparison."""
    stamp = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    peak = (
        "each side's own peak, the kernel's peak resident set being reset before it runs"
        if comparison.peak_reset
        else "the process's peak so far (the kernel refused to reset it: the second side may hide under the first)"
    )
    start, end = _markers(comparison.key)
    return "\n".join(
        [
            start,
            f"## In one warm QGIS process: {comparison.title}",
            "",
            f"What a desktop user feels. Measured {stamp} on {platform.node()} ({os.cpu_count()} cores, load average "
            f"{os.getloadavg()[0]:.2f} at the end), QGIS {comparison.qgis_version}, GDAL_CACHEMAX "
            f"{comparison.gdal_cachemax}. Command: `{command}`.",
            "One Python process initialises QGIS (QgsApplication, Processing, our provider), runs each side once to "
            f"warm up, then times `processing.run` of ours and of the peer in turns, {comparison.repeat} round(s); the "
            "fastest round counts. No QGIS start-up in these times; our algorithms fork no child process, as in QGIS "
            "desktop. CPU time: every thread of the process (and any child process a side forks). "
            f'Peak memory: {peak}; "rise" is that peak minus the resident set just '
            f"before the run (QGIS itself, started with our provider, held {comparison.started_mb:.0f} MB before the "
            "warm-up). Harness: `benchmarks/in_process.py`.",
            "",
            "| side | wall s | CPU s | peak MB (QGIS process) | rise MB |",
            "|---|---:|---:|---:|---:|",
            *comparison.rows(),
            "",
            f"**{comparison.summary()}**",
            end,
        ]
    )


def record(results: Path, comparisons: list[Comparison], command: str) -> None:
    """Write each comparison's block into ``results``: in place of its previous block, or at the end."""
    text = results.read_text(encoding="utf-8") if results.exists() else ""
    for comparison in comparisons:
        new = block(comparison, command)
        start, end = _markers(comparison.key)
        pattern = re.compile(re.escape(start) + ".*?" + re.escape(end), re.DOTALL)
        if pattern.search(text):
            text = pattern.sub(lambda _, new=new: new, text)
        else:
            text = f"{text.rstrip()}\n\n{new}\n" if text.strip() else f"{new}\n"
    results.parent.mkdir(parents=True, exist_ok=True)
    results.write_text(text, encoding="utf-8")
    print(f"in-process comparisons written to {results}")


def _markers(key: str) -> tuple[str, str]:
    return (
        f'<!-- in-process comparison "{key}": written by benchmarks/in_process.py, replaced when it runs again -->',
        f'<!-- end of in-process comparison "{key}" -->',
    )


def _side_json(side: Side) -> dict[str, object]:
    return {"label": side.label, "steps": [step.as_json() for step in side.steps]}


# --- the child process ----------------------------------------------------------------------


def start_qgis() -> tuple[object, object]:
    """QGIS initialised with Processing and our provider registered; keep the returned pair alive."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if "/usr/share/qgis/python/plugins" not in sys.path:
        sys.path.append("/usr/share/qgis/python/plugins")  # QGIS's own ``processing`` package
    import_this_checkout()
    from processing.core.Processing import Processing
    from qgis.core import QgsApplication

    from mission_early_warning.processing.provider import MissionEarlyWarningProvider

    QgsApplication.setPrefixPath("/usr", True)
    app = QgsApplication([], False)
    app.initQgis()
    Processing.initialize()
    provider = MissionEarlyWarningProvider()  # Python must keep a reference to the provider
    QgsApplication.processingRegistry().addProvider(provider)
    return app, provider


def _status_mb(key: str) -> float:
    match = re.search(rf"^{key}:\s+(\d+) kB", Path("/proc/self/status").read_text(), re.MULTILINE)
    return int(match.group(1)) / 1024.0


def _reset_peak() -> bool:
    """Set the kernel's peak resident set of this process to its current one (Linux ≥ 4.0)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _remove_outputs(steps: list[dict]) -> None:
    """Delete what a previous run wrote, so each run writes its files anew."""
    for step in steps:
        for key, value in step["parameters"].items():
            if key.startswith("OUTPUT") and isinstance(value, str) and os.path.isabs(value):
                path = Path(value)
                for candidate in (path, *(Path(str(path) + suffix) for suffix in SIDECARS), path.with_suffix(".qml")):
                    if candidate.is_dir():
                        shutil.rmtree(candidate)
                    else:
                        candidate.unlink(missing_ok=True)


def _run_side(processing: object, side: dict) -> None:
    for step in side["steps"]:
        processing.run(step["algorithm"], step["parameters"])


def _measure_side(processing: object, side: dict) -> tuple[dict, bool]:
    _remove_outputs(side["steps"])
    os.sync()  # the previous run's output is flushed now, not during this one
    before_rss = _status_mb("VmRSS")
    peak_reset = _reset_peak()
    times_before, cpu_before = os.times(), time.process_time()
    started = time.perf_counter()
    _run_side(processing, side)
    seconds = time.perf_counter() - started
    times_after = os.times()
    cpu = (
        time.process_time()
        - cpu_before
        + times_after.children_user
        - times_before.children_user
        + times_after.children_system
        - times_before.children_system
    )
    peak = _status_mb("VmHWM") if peak_reset else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    measurement = {
        "label": side["label"],
        "seconds": seconds,
        "cpu": cpu,
        "peak_mb": peak,
        "rise_mb": max(0.0, peak - before_rss),
    }
    return measurement, peak_reset


def run_child(spec_file: Path) -> dict:
    """Warm up both sides, time them in turns, and return the fastest round of each."""
    spec = json.loads(spec_file.read_text(encoding="utf-8"))
    qgis = start_qgis()  # noqa: F841 - keep the application and provider alive
    from qgis import processing
    from qgis.core import Qgis

    from mission_early_warning.core import parallel

    parallel.set_fork_allowed(False)  # as the plugin does in QGIS desktop (see the module's description)

    started_mb = _status_mb("VmRSS")
    for side in spec["sides"]:
        _remove_outputs(side["steps"])
        _run_side(processing, side)
    best: list[dict | None] = [None] * len(spec["sides"])
    peak_reset = True
    for _ in range(spec["repeat"]):
        for index, side in enumerate(spec["sides"]):
            measurement, reset = _measure_side(processing, side)
            peak_reset = peak_reset and reset
            previous = best[index]
            if previous is not None:
                measurement["peak_mb"] = max(measurement["peak_mb"], previous["peak_mb"])
                measurement["rise_mb"] = max(measurement["rise_mb"], previous["rise_mb"])
                if previous["seconds"] < measurement["seconds"]:
                    measurement.update(seconds=previous["seconds"], cpu=previous["cpu"])
            best[index] = measurement
    for side in spec["sides"]:
        _remove_outputs(side["steps"])  # full-size outputs take gigabytes; what they hold was checked elsewhere
    return {"sides": best, "peak_reset": peak_reset, "started_mb": started_mb, "qgis_version": Qgis.QGIS_VERSION}


if __name__ == "__main__":
    print(json.dumps(run_child(Path(sys.argv[1]))))
    sys.exit(0)
