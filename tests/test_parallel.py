"""Work shared with forked processes gives the same answer as one process, and fails or stops cleanly."""

from __future__ import annotations

import os

import numpy as np
import pytest
from shapely.geometry import LineString

from mission_early_warning.core import geodesic, parallel
from mission_early_warning.core.errors import OperationCancelled
from mission_early_warning.core.geodesic import Geodesy, buffer_lines

needs_fork = pytest.mark.skipif(not parallel.can_fork(), reason="needs fork and two cores")


def _square_with_pid(n: int) -> tuple[int, int]:
    return n * n, os.getpid()


@needs_fork
def test_results_come_back_in_task_order_from_other_processes():
    results = parallel.map_forked(_square_with_pid, [3, 4, 5])
    assert [value for value, _ in results] == [9, 16, 25]
    pids = [pid for _, pid in results]
    assert pids[0] == os.getpid() and os.getpid() not in pids[1:] and len(set(pids)) == 3


@needs_fork
def test_a_failing_child_task_is_rerun_here_so_its_own_error_surfaces():
    parent = os.getpid()

    def fails_in_a_child(n: int) -> int:
        if os.getpid() != parent:
            raise RuntimeError("lost in the child")
        return n + 1

    assert parallel.map_forked(fails_in_a_child, [1, 2]) == [2, 3]

    def fails_everywhere(n: int) -> int:
        if n == 2:
            raise ValueError("task 2 is bad")
        return n

    with pytest.raises(ValueError, match="task 2 is bad"):
        parallel.map_forked(fails_everywhere, [1, 2])


@needs_fork
def test_an_error_here_kills_the_children_and_leaves_no_process_behind():
    def slow_in_child_fails_here(n: int) -> int:
        if n == 0:
            raise OperationCancelled("cancelled")
        import time

        time.sleep(30)
        return n

    with pytest.raises(OperationCancelled):
        parallel.map_forked(slow_in_child_fails_here, [0, 1])
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # no child left, running or unreaped


def _random_walks(count: int, seed: int = 7) -> list[LineString]:
    rng = np.random.default_rng(seed)
    starts = rng.uniform(300_000, 360_000, (count, 2)) + np.array([0.0, 1_500_000.0])
    steps = rng.normal(0, 300, (count, 20, 2))
    return [LineString(start + np.cumsum(walk, axis=0)) for start, walk in zip(starts, steps)]


@needs_fork
def test_dissolved_track_buffers_are_the_same_shared_out_or_in_one_process(monkeypatch):
    geodesy = Geodesy("EPSG:32630")
    tracks = _random_walks(geodesic.PARALLEL_MIN_LINES + 100)
    shared = buffer_lines(geodesy, tracks, 2000.0)
    monkeypatch.setattr(geodesic, "can_fork", lambda: False)
    alone = buffer_lines(geodesy, tracks, 2000.0)
    assert shared.is_valid and alone.is_valid
    assert shared.symmetric_difference(alone).area <= 1e-9 * alone.area
    assert shared.area == pytest.approx(alone.area, rel=1e-9)


@needs_fork
def test_cancelling_while_tracks_are_dissolved_stops_and_leaves_no_process_behind():
    from mission_early_warning.core.progress import Progress

    looks: list[bool] = []  # at each look for a cancel: is a forked share still out?

    def cancelled_at_second_look() -> bool:
        try:
            os.waitid(os.P_ALL, 0, os.WEXITED | os.WNOHANG | os.WNOWAIT)
            looks.append(True)
        except ChildProcessError:
            looks.append(False)
        return len(looks) >= 2

    progress = Progress(is_canceled=cancelled_at_second_look)
    tracks = _random_walks(geodesic.PARALLEL_MIN_LINES + 100)
    with pytest.raises(OperationCancelled):
        geodesic._dissolve_buffers(tracks, 2000.0, 8, 50, progress)
    assert looks == [False, True]  # the cancel was seen while the other share was still being computed
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


def _sleep_then_pid(seconds: float) -> int:
    import time

    time.sleep(seconds)
    return os.getpid()


@needs_fork
def test_background_tasks_run_while_this_process_goes_on():
    import time

    started = time.perf_counter()
    with parallel.Background(_sleep_then_pid, [0.5, 0.5]) as later:
        here = _sleep_then_pid(0.5)
        pids = later.results()
    assert time.perf_counter() - started < 1.2  # three half-second sleeps side by side, not one after another
    assert here == os.getpid() and os.getpid() not in pids and len(set(pids)) == 2


def _forks_a_sleeper(pid_file: str) -> int:
    def sleeper(_: int) -> int:
        with open(pid_file, "a") as out:
            out.write(f"{os.getpid()}\n")
        import time

        time.sleep(30)
        return 0

    parallel.map_forked(sleeper, [0, 1])
    return 0


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"  # a zombie is dead, only not reaped
    except OSError:
        return False


@needs_fork
def test_a_cancel_while_waiting_kills_the_background_and_what_it_forked(tmp_path):
    import time

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


@needs_fork
def test_coverage_zones_from_the_background_equal_those_computed_in_line(monkeypatch):
    from mission_early_warning.core import coverage

    tracks = _random_walks(geodesic.PARALLEL_MIN_LINES + 50)
    villages = coverage.Features(list(range(200)), [], "villages",
                                 xy=np.random.default_rng(3).uniform([300_000, 1_500_000], [360_000, 1_560_000],
                                                                     (200, 2)))
    settings = coverage.CoverageSettings(patrol_distance=2000.0, rings=[1000.0, 5000.0])
    patrols = coverage.Features(list(range(len(tracks))), tracks, "tracks")
    background = coverage.analyse_coverage("EPSG:32630", None, patrols, villages, None, settings)
    monkeypatch.setattr(coverage, "can_fork", lambda: False)
    in_line = coverage.analyse_coverage("EPSG:32630", None, patrols, villages, None, settings)
    assert [z.label for z in background.zones] == [z.label for z in in_line.zones]
    for a, b in zip(background.zones, in_line.zones):
        assert a.geometry.symmetric_difference(b.geometry).area <= 1e-9 * b.geometry.area
        assert a.area_km2 == pytest.approx(b.area_km2, rel=1e-9)
    assert background.summary == in_line.summary


@needs_fork
def test_a_cancel_while_villages_are_measured_stops_the_zones_in_the_background():
    from mission_early_warning.core import coverage
    from mission_early_warning.core.progress import Progress

    looks: list[bool] = []  # at each look for a cancel: is the background still out?

    def cancelled_at_third_look() -> bool:
        try:
            os.waitid(os.P_ALL, 0, os.WEXITED | os.WNOHANG | os.WNOWAIT)
            looks.append(True)
        except ChildProcessError:
            looks.append(False)
        return len(looks) >= 3

    tracks = _random_walks(geodesic.PARALLEL_MIN_LINES + 50)
    villages = coverage.Features(list(range(50_000)), [], "villages",
                                 xy=np.random.default_rng(4).uniform([300_000, 1_500_000], [360_000, 1_560_000],
                                                                     (50_000, 2)))
    settings = coverage.CoverageSettings(patrol_distance=2000.0)
    patrols = coverage.Features(list(range(len(tracks))), tracks, "tracks")
    with pytest.raises(OperationCancelled):
        coverage.analyse_coverage("EPSG:32630", None, patrols, villages, None, settings,
                                  Progress(is_canceled=cancelled_at_third_look))
    assert looks[-1] is True  # the cancel came while the zones were still being built
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)
