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
