"""Run independent pieces of CPU-bound work on the machine's other cores, in forked processes.

GEOS (through shapely 1.8) holds one context for the whole process, so its
calls cannot safely run in threads; a forked child gets its own copy of the
process and of the input, computes one piece and sends the result back through
a pipe. Where ``fork`` is not offered (Windows, macOS's default) or there is one
core, the pieces simply run one after another in this process.
"""

from __future__ import annotations

import os
import pickle
import select
import signal
from typing import Callable, Sequence, TypeVar

#: True in a forked child: what it forks stays in its process group.
_in_child = False

Task = TypeVar("Task")
Result = TypeVar("Result")


def usable_cores() -> int:
    """Cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def can_fork() -> bool:
    """True where pieces of work can run in forked processes."""
    return hasattr(os, "fork") and usable_cores() > 1


def map_forked(function: Callable[[Task], Result], tasks: Sequence[Task]) -> list[Result]:
    """``[function(task) for task in tasks]``, the first task here and each other one in a forked child.

    ``function`` must not report progress or touch Qt (a child has no event
    loop) and must return something picklable. A child that fails is not
    trusted: its task is run again here, so an error surfaces with its own
    message. If this process fails or is cancelled meanwhile, the children are
    killed before the exception goes on.
    """
    if len(tasks) < 2 or not can_fork():
        return [function(task) for task in tasks]
    with Background(function, tasks[1:]) as others:
        first = function(tasks[0])
        return [first, *others.results()]


class Background:
    """Tasks started now in forked children while this process goes on; results collected later.

    Use as a context manager: leaving the block without collecting the results
    (an error, a cancel) kills the children and everything they forked in turn.
    ``function`` follows :func:`map_forked`'s rules. Where fork is not offered,
    the tasks run here when the results are asked for.
    """

    def __init__(self, function: Callable[[Task], Result], tasks: Sequence[Task], forked: bool | None = None):
        self.function = function
        self.tasks = list(tasks)
        self.children: list[tuple[int, int]] = []  # (pid, read end of its pipe); -1 once the pipe is closed
        if can_fork() if forked is None else forked:
            try:
                for task in self.tasks:
                    self.children.append(_fork(function, task))
            except BaseException:
                self.stop()
                raise

    def results(self, check: Callable[[], None] | None = None) -> list[Result]:
        """The tasks' results in order; ``check`` is called while waiting (it may raise to stop)."""
        if not self.children:
            return [self.function(task) for task in self.tasks]
        results = []
        for index, (pid, read_fd) in enumerate(self.children):
            payload = _read_all(read_fd, check)
            self.children[index] = (pid, -1)  # from here on this loop reaps the child
            os.close(read_fd)
            _, status = os.waitpid(pid, 0)
            try:
                done, value = pickle.loads(payload) if payload else (False, None)
            except Exception:  # a child killed mid-write: its result is not used
                done, value = False, None
            results.append(value if done and status == 0 else self.function(self.tasks[index]))
        return results

    def stop(self) -> None:
        """Kill the children not collected yet (and whatever they forked)."""
        for pid, read_fd in self.children:
            if read_fd >= 0:
                os.close(read_fd)
                _kill(pid)
        self.children = [(pid, -1) for pid, _ in self.children]

    def __enter__(self) -> Background:
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()


def _read_all(read_fd: int, check: Callable[[], None] | None) -> bytes:
    chunks = []
    while True:
        if check is not None:
            ready, _, _ = select.select([read_fd], [], [], 0.1)
            if not ready:
                check()
                continue
        chunk = os.read(read_fd, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _fork(function: Callable[[Task], Result], task: Task) -> tuple[int, int]:
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: compute, send, and leave without running the parent's exit handlers
        code = 0
        try:
            global _in_child
            if not _in_child:  # its own process group: killing it also kills what it forks in turn
                os.setpgid(0, 0)
                _in_child = True
            os.close(read_fd)
            try:
                payload = pickle.dumps((True, function(task)), protocol=pickle.HIGHEST_PROTOCOL)
            except BaseException:  # whatever went wrong, the parent recomputes this task
                payload, code = pickle.dumps((False, None)), 1
            with os.fdopen(write_fd, "wb") as pipe:
                pipe.write(payload)
        finally:
            os._exit(code)
    os.close(write_fd)
    if not _in_child:
        try:
            os.setpgid(pid, pid)  # also here, so a kill right after the fork finds the group
        except OSError:
            pass
    return pid, read_fd


def _kill(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except OSError:  # the child has not made its group yet
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    try:
        os.waitpid(pid, 0)
    except OSError:
        pass
