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
import signal
from typing import Callable, Sequence, TypeVar

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
    children: list[tuple[int, int]] = []
    try:
        for task in tasks[1:]:
            children.append(_fork(function, task))
        results = [function(tasks[0])]
        for index, (pid, read_fd) in enumerate(children, start=1):
            children[index - 1] = (pid, -1)  # from here on this loop closes the pipe and reaps the child
            with os.fdopen(read_fd, "rb") as pipe:
                payload = pipe.read()
            _, status = os.waitpid(pid, 0)
            try:
                done, value = pickle.loads(payload) if payload else (False, None)
            except Exception:  # a child killed mid-write: its result is not used
                done, value = False, None
            results.append(value if done and status == 0 else function(tasks[index]))
        return results
    finally:
        for pid, read_fd in children:
            if read_fd >= 0:
                os.close(read_fd)
                _kill(pid)


def _fork(function: Callable[[Task], Result], task: Task) -> tuple[int, int]:
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: compute, send, and leave without running the parent's exit handlers
        code = 0
        try:
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
    return pid, read_fd


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except OSError:
        pass
