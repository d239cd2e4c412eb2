"""Work shared out to threads or forked processes gives the same answer as in one thread, and fails or stops cleanly.

Which way shares run depends on the installed shapely and on the platform
(see ``core/parallel.py``). Tests of pure-Python tasks force each way in turn:
such tasks never touch GEOS, so threads are safe for them on shapely 1.8 too.
Tests of GEOS work (track buffers, coverage zones) use the way this machine
really has, with two workers whatever its cores.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from typing import Callable

import numpy as np
import pytest
from affine import Affine
from rasterio.windows import Window
from shapely.geometry import LineString

from mission_early_warning.core import geodesic, parallel, raster_blocks
from mission_early_warning.core.errors import OperationCancelled
from mission_early_warning.core.geodesic import Geodesy, buffer_lines
from mission_early_warning.core.parallel import Strategy


def _strategy_with_two_workers() -> Strategy:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(parallel.WORKERS_VARIABLE, "2")
        return parallel.strategy()


#: How shares of GEOS work run on this machine (decided on the main thread, as the tests below run).
HERE = _strategy_with_two_workers()
uses_fork = pytest.mark.skipif(
    HERE is not Strategy.FORK,
    reason=f"shares run in forked processes only with shapely < 2 on Linux; here they run {HERE.value}",
)
shares_work = pytest.mark.skipif(
    HERE is Strategy.IN_TURN, reason="shares of GEOS work cannot run side by side here (shapely < 2 and no safe fork)"
)


@pytest.fixture
def two_workers(monkeypatch):
    """Two workers whatever the machine's cores, so the parallel paths also run on a one-core machine."""
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "2")


def _force(monkeypatch, wanted: Strategy) -> None:
    """Make shares run ``wanted`` (for pure-Python tasks only: threads are forced even on shapely 1.8)."""
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "1" if wanted is Strategy.IN_TURN else "2")
    monkeypatch.setattr(parallel, "geos_in_threads", lambda: wanted is Strategy.THREADS)
    if parallel.strategy() is not wanted:
        pytest.skip(f"shares cannot run {wanted.value} on this machine")


@pytest.fixture(params=list(Strategy), ids=lambda strategy: strategy.name.lower())
def each_strategy(request, monkeypatch) -> Strategy:
    _force(monkeypatch, request.param)
    return request.param


def _square_with_pid(n: int) -> tuple[int, int]:
    return n * n, os.getpid()


def _square_with_place(n: int) -> tuple[int, int, int]:
    return n * n, os.getpid(), threading.get_ident()


def _worker_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name.startswith(parallel.THREAD_PREFIX)]


def _shares_out() -> bool:
    """Is a share still out: a forked child (running or not reaped yet) or a worker thread?"""
    try:
        os.waitid(os.P_ALL, 0, os.WEXITED | os.WNOHANG | os.WNOWAIT)
        return True
    except ChildProcessError:
        return bool(_worker_threads())


def _assert_nothing_left_behind() -> None:
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # no child left, running or unreaped
    deadline = time.perf_counter() + 5  # a stopped worker thread ends at its next check, well within this
    while _worker_threads() and time.perf_counter() < deadline:
        time.sleep(0.02)
    assert not _worker_threads()


def _in_another_thread(work: Callable[[], object]) -> object:
    """``work()`` run in a new thread (as QGIS desktop runs Processing algorithms); its error is raised here."""
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["value"] = work()
        except BaseException as error:  # handed to the test's thread
            outcome["error"] = error

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]


def test_every_strategy_gives_the_results_of_a_plain_loop_in_task_order(each_strategy):
    tasks = [3, 4, 5, 6]
    plain = [_square_with_place(n)[0] for n in tasks]
    shared = parallel.map_parallel(_square_with_place, tasks)
    with parallel.Background(_square_with_place, tasks) as later:
        background = later.results()
    assert [value for value, _, _ in shared] == plain
    assert [value for value, _, _ in background] == plain
    here = (os.getpid(), threading.get_ident())
    places = [(pid, thread) for _, pid, thread in shared]
    assert places[0] == here  # the first task runs in the calling thread, whatever the strategy
    if each_strategy is Strategy.FORK:
        assert all(pid != os.getpid() for pid, _ in places[1:] + [(pid, t) for _, pid, t in background])
    elif each_strategy is Strategy.THREADS:
        assert all(pid == os.getpid() and thread != here[1] for pid, thread in places[1:])
        assert all(pid == os.getpid() and thread != here[1] for _, pid, thread in background)
    else:
        assert all(place == here for place in places + [(pid, t) for _, pid, t in background])


@uses_fork
def test_results_come_back_in_task_order_from_other_processes(two_workers):
    results = parallel.map_parallel(_square_with_pid, [3, 4, 5])
    assert [value for value, _ in results] == [9, 16, 25]
    pids = [pid for _, pid in results]
    assert pids[0] == os.getpid() and os.getpid() not in pids[1:] and len(set(pids)) == 3


@uses_fork
def test_a_failing_child_task_is_rerun_here_so_its_own_error_surfaces(two_workers):
    parent = os.getpid()

    def fails_in_a_child(n: int) -> int:
        if os.getpid() != parent:
            raise RuntimeError("lost in the child")
        return n + 1

    assert parallel.map_parallel(fails_in_a_child, [1, 2]) == [2, 3]


def test_a_failing_share_surfaces_with_its_own_error(each_strategy):
    def fails_everywhere(n: int) -> int:
        if n == 2:
            raise ValueError("task 2 is bad")
        return n

    with pytest.raises(ValueError, match="task 2 is bad"):
        parallel.map_parallel(fails_everywhere, [1, 2])
    with pytest.raises(ValueError, match="task 2 is bad"):
        with parallel.Background(fails_everywhere, [2]) as later:
            later.results()
    _assert_nothing_left_behind()


@uses_fork
def test_an_error_here_kills_the_children_and_leaves_no_process_behind(two_workers):
    def slow_in_child_fails_here(n: int) -> int:
        if n == 0:
            raise OperationCancelled("cancelled")
        time.sleep(30)
        return n

    with pytest.raises(OperationCancelled):
        parallel.map_parallel(slow_in_child_fails_here, [0, 1])
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # no child left, running or unreaped


def test_an_error_here_stops_the_worker_threads_at_their_next_check(monkeypatch):
    _force(monkeypatch, Strategy.THREADS)
    working = threading.Semaphore(0)

    def slow_in_worker_fails_here(n: int) -> int:
        if n == 0:
            for _ in range(2):  # both workers are busy before this share fails
                assert working.acquire(timeout=10)
            raise OperationCancelled("cancelled")
        working.release()
        for _ in parallel.stoppable(range(600)):  # 30 s unless stopped
            time.sleep(0.05)
        return n

    started = time.perf_counter()
    with pytest.raises(OperationCancelled):
        parallel.map_parallel(slow_in_worker_fails_here, [0, 1, 2])
    _assert_nothing_left_behind()
    assert time.perf_counter() - started < 10


def _random_walks(count: int, seed: int = 7) -> list[LineString]:
    rng = np.random.default_rng(seed)
    starts = rng.uniform(300_000, 360_000, (count, 2)) + np.array([0.0, 1_500_000.0])
    steps = rng.normal(0, 300, (count, 20, 2))
    return [LineString(start + np.cumsum(walk, axis=0)) for start, walk in zip(starts, steps)]


@shares_work
def test_dissolved_track_buffers_are_the_same_shared_out_or_in_one_thread(monkeypatch, two_workers):
    geodesy = Geodesy("EPSG:32630")
    tracks = _random_walks(geodesic.PARALLEL_MIN_LINES + 100)
    shared = buffer_lines(geodesy, tracks, 2000.0)
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "1")
    assert parallel.strategy() is Strategy.IN_TURN
    alone = buffer_lines(geodesy, tracks, 2000.0)
    assert shared.is_valid and alone.is_valid
    assert shared.symmetric_difference(alone).area <= 1e-9 * alone.area
    assert shared.area == pytest.approx(alone.area, rel=1e-9)


@shares_work
def test_cancelling_while_tracks_are_dissolved_stops_and_leaves_nothing_behind(two_workers):
    from mission_early_warning.core.progress import Progress

    looks: list[bool] = []  # at each look for a cancel: is another share still out?

    def cancelled_at_second_look() -> bool:
        looks.append(_shares_out())
        return len(looks) >= 2

    progress = Progress(is_canceled=cancelled_at_second_look)
    tracks = _random_walks(geodesic.PARALLEL_MIN_LINES + 100)
    with pytest.raises(OperationCancelled):
        geodesic._dissolve_buffers(tracks, 2000.0, 8, 50, progress)
    assert looks == [False, True]  # the cancel was seen while the other share was still being computed
    _assert_nothing_left_behind()


def _sleep_then_place(seconds: float) -> tuple[int, int]:
    time.sleep(seconds)
    return os.getpid(), threading.get_ident()


@pytest.mark.parametrize("wanted", [Strategy.THREADS, Strategy.FORK], ids=["threads", "fork"])
def test_background_tasks_run_while_this_thread_goes_on(monkeypatch, wanted):
    _force(monkeypatch, wanted)
    started = time.perf_counter()
    with parallel.Background(_sleep_then_place, [0.5, 0.5]) as later:
        here = _sleep_then_place(0.5)
        places = later.results()
    assert time.perf_counter() - started < 1.2  # three half-second sleeps side by side, not one after another
    assert here == (os.getpid(), threading.get_ident()) and here not in places and len(set(places)) == 2
    if wanted is Strategy.FORK:
        assert os.getpid() not in [pid for pid, _ in places]


def _forks_a_sleeper(pid_file: str) -> int:
    def sleeper(_: int) -> int:
        with open(pid_file, "a") as out:
            out.write(f"{os.getpid()}\n")
        time.sleep(30)
        return 0

    parallel.map_parallel(sleeper, [0, 1])
    return 0


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"  # a zombie is dead, only not reaped
    except OSError:
        return False


@uses_fork
def test_a_cancel_while_waiting_kills_the_background_and_what_it_forked(tmp_path, two_workers):
    pid_file = tmp_path / "sleepers"
    pid_file.touch()

    def cancel_once_both_sleep() -> None:
        if len(pid_file.read_text().split()) == 2:
            raise OperationCancelled("cancelled")
        if time.perf_counter() - started > 10:
            pytest.fail("the background never started sleeping")

    started = time.perf_counter()
    with pytest.raises(OperationCancelled):
        with parallel.Background(_forks_a_sleeper, [str(pid_file)]) as later:
            later.results(cancel_once_both_sleep)
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)
    # Both sleepers are gone: the background process and the one it forked in turn, not left sleeping.
    sleepers = [int(pid) for pid in pid_file.read_text().split()]
    assert len(sleepers) == 2
    deadline = time.perf_counter() + 5
    while any(_alive(pid) for pid in sleepers) and time.perf_counter() < deadline:
        time.sleep(0.05)
    assert not any(_alive(pid) for pid in sleepers)


def test_a_cancel_while_waiting_stops_the_background_thread_and_the_shares_it_started(monkeypatch):
    _force(monkeypatch, Strategy.THREADS)
    sleeping: list[int] = []  # threads of the shares that have started sleeping

    def sleeper(_: int) -> int:
        sleeping.append(threading.get_ident())
        for _ in parallel.stoppable(range(600)):  # 30 s unless stopped
            time.sleep(0.05)
        return 0

    def shares_out_two_sleepers(_: int) -> int:
        parallel.map_parallel(sleeper, [0, 1])  # one in the background thread, one in a thread it starts
        return 0

    def cancel_once_both_sleep() -> None:
        if len(set(sleeping)) == 2:
            raise OperationCancelled("cancelled")
        if time.perf_counter() - started > 10:
            pytest.fail("the background never started sleeping")

    started = time.perf_counter()
    with pytest.raises(OperationCancelled):
        with parallel.Background(shares_out_two_sleepers, [0]) as later:
            later.results(cancel_once_both_sleep)
    _assert_nothing_left_behind()  # both sleepers ended at their next check, not after 30 s
    assert time.perf_counter() - started < 15


@shares_work
def test_coverage_zones_from_the_background_equal_those_computed_in_line(monkeypatch, two_workers):
    from mission_early_warning.core import coverage

    tracks = _random_walks(geodesic.PARALLEL_MIN_LINES + 50)
    villages = coverage.Features(
        list(range(200)),
        [],
        "villages",
        xy=np.random.default_rng(3).uniform([300_000, 1_500_000], [360_000, 1_560_000], (200, 2)),
    )
    settings = coverage.CoverageSettings(patrol_distance=2000.0, rings=[1000.0, 5000.0])
    patrols = coverage.Features(list(range(len(tracks))), tracks, "tracks")
    background = coverage.analyse_coverage("EPSG:32630", None, patrols, villages, None, settings)
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "1")
    in_line = coverage.analyse_coverage("EPSG:32630", None, patrols, villages, None, settings)
    assert [z.label for z in background.zones] == [z.label for z in in_line.zones]
    for a, b in zip(background.zones, in_line.zones):
        assert a.geometry.symmetric_difference(b.geometry).area <= 1e-9 * b.geometry.area
        assert a.area_km2 == pytest.approx(b.area_km2, rel=1e-9)
    assert background.summary == in_line.summary


@shares_work
def test_a_cancel_while_villages_are_measured_stops_the_zones_in_the_background(two_workers):
    from mission_early_warning.core import coverage
    from mission_early_warning.core.progress import Progress

    looks: list[bool] = []  # at each look for a cancel: is the background still out?

    def cancelled_at_third_look() -> bool:
        looks.append(_shares_out())
        return len(looks) >= 3

    tracks = _random_walks(geodesic.PARALLEL_MIN_LINES + 50)
    villages = coverage.Features(
        list(range(50_000)),
        [],
        "villages",
        xy=np.random.default_rng(4).uniform([300_000, 1_500_000], [360_000, 1_560_000], (50_000, 2)),
    )
    settings = coverage.CoverageSettings(patrol_distance=2000.0)
    patrols = coverage.Features(list(range(len(tracks))), tracks, "tracks")
    with pytest.raises(OperationCancelled):
        coverage.analyse_coverage(
            "EPSG:32630", None, patrols, villages, None, settings, Progress(is_canceled=cancelled_at_third_look)
        )
    assert looks[-1] is True  # the cancel came while the zones were still being built
    _assert_nothing_left_behind()


def _never_fork() -> int:
    raise AssertionError("os.fork was called")


def test_a_call_from_another_thread_never_forks(monkeypatch, two_workers):
    geodesy = Geodesy("EPSG:32630")
    tracks = _random_walks(geodesic.PARALLEL_MIN_LINES + 100)
    shared_on_main_thread = buffer_lines(geodesy, tracks, 2000.0)
    monkeypatch.setattr(os, "fork", _never_fork)
    tasks = [3, 4, 5]

    def as_qgis_desktop_runs_an_algorithm():
        with parallel.Background(_square_with_place, tasks) as later:
            background = later.results()
        return (
            parallel.strategy(),
            parallel.map_parallel(_square_with_place, tasks),
            background,
            buffer_lines(geodesy, tracks, 2000.0),
        )

    strategy, shared, background, dissolved = _in_another_thread(as_qgis_desktop_runs_an_algorithm)
    assert strategy is not Strategy.FORK
    assert [value for value, _, _ in shared] == [value for value, _, _ in background] == [9, 16, 25]
    assert all(pid == os.getpid() for _, pid, _ in shared + background)
    assert dissolved.symmetric_difference(shared_on_main_thread).area <= 1e-9 * dissolved.area
    _assert_nothing_left_behind()


@pytest.mark.parametrize("platform, has_fork", [("win32", False), ("darwin", True)], ids=["windows", "macos"])
def test_without_a_safe_fork_the_shares_run_one_after_another(monkeypatch, two_workers, platform, has_fork):
    geodesy = Geodesy("EPSG:32630")
    tracks = _random_walks(geodesic.PARALLEL_MIN_LINES + 100)
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "1")
    alone = buffer_lines(geodesy, tracks, 2000.0)
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "2")
    monkeypatch.setattr(parallel, "geos_in_threads", lambda: False)  # shapely < 2: threads are not safe for GEOS
    monkeypatch.setattr(sys, "platform", platform)
    if has_fork:
        monkeypatch.setattr(os, "fork", _never_fork)
    else:
        monkeypatch.delattr(os, "fork")
    assert parallel.strategy() is Strategy.IN_TURN and not parallel.can_share()
    here = (os.getpid(), threading.get_ident())
    shared = parallel.map_parallel(_square_with_place, [3, 4, 5])
    with parallel.Background(_square_with_place, [3, 4, 5]) as later:
        background = later.results()
    assert [value for value, _, _ in shared] == [value for value, _, _ in background] == [9, 16, 25]
    assert all((pid, thread) == here for _, pid, thread in shared + background)
    assert buffer_lines(geodesy, tracks, 2000.0).wkb == alone.wkb  # the same single share, the same geometry


@pytest.mark.parametrize(
    "value, expected",
    [("1", 1), ("3", 3), (" 2 ", 2), ("", None), ("0", None), ("-2", None), ("two", None), ("1.5", None)],
)
def test_the_worker_setting_is_read_in_one_place_and_bad_values_mean_all_cores(monkeypatch, value, expected):
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, value)
    workers = expected or parallel.usable_cores()
    assert parallel.worker_count() == workers
    assert raster_blocks.default_workers([], "DEFLATE") == workers  # raster block threads follow the same setting
    grid = raster_blocks.Grid(None, Affine.identity(), 10, 10)
    profile = raster_blocks.output_profile(
        grid, raster_blocks.OutputSpec("out.tif", "float32", -1.0, compress="DEFLATE")
    )
    assert profile["NUM_THREADS"] == str(workers)


def test_one_worker_shares_nothing_out(monkeypatch):
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "1")
    monkeypatch.setattr(parallel, "geos_in_threads", lambda: True)  # not even where threads would be safe
    monkeypatch.setattr(os, "fork", _never_fork)
    assert parallel.worker_count() == 1 and parallel.strategy() is Strategy.IN_TURN and not parallel.can_share()
    here = (os.getpid(), threading.get_ident())
    shared = parallel.map_parallel(_square_with_place, [3, 4, 5])
    with parallel.Background(_square_with_place, [3, 4, 5]) as later:
        assert not _worker_threads()
        background = later.results()
    assert [value for value, _, _ in shared + background] == [9, 16, 25] * 2
    assert all((pid, thread) == here for _, pid, thread in shared + background)
    windows = [Window(0, row, 4, 1) for row in range(4)]
    blocks = raster_blocks.map_windows(windows, lambda window: threading.get_ident())
    assert [thread for _, thread in blocks] == [here[1]] * 4


def test_from_python_3_12_a_multi_threaded_process_never_forks(monkeypatch, two_workers):
    monkeypatch.setattr(parallel, "geos_in_threads", lambda: False)
    if parallel.strategy() is not Strategy.FORK:
        pytest.skip("this machine does not fork shares of work in any case")
    monkeypatch.setattr(sys, "version_info", (3, 13, 0, "final", 0))
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert parallel.strategy() is Strategy.IN_TURN  # CPython 3.12+ deprecates (and warns about) such a fork
    finally:
        release.set()
        other.join()


_ORPHAN_SCRIPT = """
import os, sys, time
from pathlib import Path
from mission_early_warning.core import parallel

def sleeper(pid_file):
    Path(pid_file).write_text(str(os.getpid()))
    time.sleep(120)
    return 0

parallel._fork(sleeper, sys.argv[1])  # what Background and map_parallel fork each share with
time.sleep(120)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forked shares exist only on Linux")
def test_a_forked_child_dies_when_its_parent_is_killed_outright(tmp_path):
    import signal
    import subprocess

    pid_file = tmp_path / "child"
    parent = subprocess.Popen([sys.executable, "-P", "-c", _ORPHAN_SCRIPT, str(pid_file)])
    try:
        deadline = time.perf_counter() + 30
        while not (pid_file.exists() and pid_file.read_text()) and time.perf_counter() < deadline:
            time.sleep(0.05)
        child = int(pid_file.read_text())
        assert _alive(child)
        parent.send_signal(signal.SIGKILL)  # kill -9: the parent can clean nothing up
        parent.wait(timeout=10)
        deadline = time.perf_counter() + 5
        while _alive(child) and time.perf_counter() < deadline:
            time.sleep(0.05)
        assert not _alive(child), "the forked child outlived its killed parent"
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()
