"""Run independent pieces of CPU-bound work side by side on the cores this process may use.

:func:`strategy` chooses, at each call, how the shares of a piece of work run:

- **In threads**, where shapely ≥ 2 is installed: it gives each thread its own
  GEOS context and releases the GIL during GEOS calls, so shares of GEOS work
  run at the same time in this process. Nothing is forked, which is what a
  multi-threaded host needs: QGIS desktop runs Processing algorithms in a
  worker thread, next to Qt's, GDAL's and PROJ's threads.
- **In forked processes**, where shapely < 2 is installed: it keeps one GEOS
  context for the whole process, so its calls cannot safely run in threads. A
  forked child gets its own copy of the process and of the input, computes one
  share and sends the result back through a pipe. Forking a multi-threaded
  program can leave the child waiting forever on a lock that a thread of the
  parent held at that moment, so it is done only where that risk is small:
  on Linux (Windows has no fork; on macOS the system libraries are not
  fork-safe), from the main thread (``qgis_process``, a script, a test run;
  never from a worker thread such as QGIS desktop's Processing thread), never
  in a process that forbade it (the plugin does in QGIS desktop, a GUI process:
  :func:`set_fork_allowed`), and on Python < 3.12 or in a single-threaded
  process (from 3.12 on, CPython itself deprecates forking a multi-threaded
  process).
  A forked child dies with its parent, even one killed outright
  (``kill -9``, a crash): Linux kills it then (``PR_SET_PDEATHSIG``).
- **One after another** in the calling thread otherwise, with one worker (see
  :func:`worker_count`), or when the caller forbids sharing.

The results are the same whichever way the shares ran.
"""

from __future__ import annotations

import enum
import os
import pickle
import select
import signal
import sys
import threading
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import Any, Callable, Generic, Iterable, Iterator, Sequence, TypeVar

#: Environment variable: how many workers (cores) parallel work may use, an integer ≥ 1; 1 shares nothing out.
WORKERS_VARIABLE = "MEW_WORKERS"
#: Seconds between two calls of a ``check`` callback while waiting for shares.
POLL_SECONDS = 0.1
#: Worker threads' names start with this (a test or a debugger can tell them from others).
THREAD_PREFIX = "mew-share"

#: True in a forked child: what it forks stays in its process group, and it reports no progress.
_in_child = False
#: Per thread: the stop events of the runs this worker thread computes a share of (unset outside workers).
_worker = threading.local()

Task = TypeVar("Task")
Result = TypeVar("Result")
Item = TypeVar("Item")


class Strategy(enum.Enum):
    """How the shares of a piece of work run."""

    THREADS = "in threads"
    FORK = "in forked processes"
    IN_TURN = "one after another"


class Stopped(Exception):
    """Raised in a worker thread whose run was stopped (its caller failed or was cancelled); nobody reads it."""


def usable_cores() -> int:
    """Cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def worker_count() -> int:
    """Workers for parallel work: ``MEW_WORKERS`` when it is an integer ≥ 1, else :func:`usable_cores`.

    The one place the setting is read; block threads in :mod:`.raster_blocks`
    use it too. ``MEW_WORKERS=1`` runs everything one after another in the
    calling thread (a laptop that must stay responsive, or while debugging);
    an empty, zero, negative or non-numeric value is ignored.
    """
    try:
        workers = int(os.environ.get(WORKERS_VARIABLE, ""))
    except ValueError:
        workers = 0
    return workers if workers >= 1 else usable_cores()


def geos_in_threads() -> bool:
    """True where GEOS work may run in threads: shapely ≥ 2 (one GEOS context per thread, GIL released)."""
    import shapely  # here, not at import: raster work imports this module and needs no GEOS

    return int(shapely.__version__.split(".")[0]) >= 2


def strategy(side_by_side: bool = True) -> Strategy:
    """How shares of work started here and now would run (see the module docstring).

    ``side_by_side=False`` is the caller forbidding it: one after another.
    """
    if not side_by_side or worker_count() < 2:
        return Strategy.IN_TURN
    if geos_in_threads():
        return Strategy.THREADS
    if _fork_is_safe():
        return Strategy.FORK
    return Strategy.IN_TURN


def can_share() -> bool:
    """True where shares of work started here and now run side by side (worth splitting work for)."""
    return strategy() is not Strategy.IN_TURN


def in_worker() -> bool:
    """True while computing a share handed to a worker thread or a forked child.

    Only the caller may report progress or look for the user's cancel (a child
    has no event loop, and a progress bar fed by several shares would jump
    back and forth); a worker calls :func:`check_stopped` instead.
    """
    return _in_child or bool(getattr(_worker, "stops", ()))


def check_stopped() -> None:
    """Raise :class:`Stopped` in a worker thread whose run has been stopped; elsewhere do nothing.

    Long shares call this between chunks, so that after an error or a cancel
    their thread ends at the next chunk instead of computing for no one (a
    thread cannot be killed; a forked child is killed instead).
    """
    if any(stop.is_set() for stop in getattr(_worker, "stops", ())):
        raise Stopped()


def stoppable(items: Iterable[Item]) -> Iterator[Item]:
    """``items`` one by one, with :func:`check_stopped` before each: a loop over them is where a stopped share ends."""
    for item in items:
        check_stopped()
        yield item


def map_parallel(
    function: Callable[[Task], Result], tasks: Sequence[Task], check: Callable[[], None] | None = None
) -> list[Result]:
    """``[function(task) for task in tasks]``, the first task in this thread and the others side by side with it.

    ``function`` follows :class:`Background`'s rules. ``check`` is called
    while the other shares are awaited (it may raise to stop). If this thread
    fails or is cancelled meanwhile, the other shares are stopped before the
    exception goes on.
    """
    if len(tasks) < 2:
        return [function(task) for task in tasks]
    with Background(function, tasks[1:]) as others:
        first = function(tasks[0])
        return [first, *others.results(check)]


class Background(Generic[Task, Result]):
    """Tasks started now in worker threads or forked children while this thread goes on; results collected later.

    Use as a context manager: leaving the block without collecting the results
    (an error, a cancel) stops the workers: forked children are killed with
    everything they forked in turn; worker threads are told to stop and end
    at their next :func:`check_stopped`. Where shares cannot run side by side
    (:func:`strategy`), or ``side_by_side`` is false, the tasks run here when
    their results are asked for.

    ``function`` must not report progress or touch Qt (a child has no event
    loop; see :func:`in_worker`), must return something picklable, and must
    not change state that this thread reads meanwhile. A forked child that
    fails is not trusted: its task is run again here, so an error surfaces
    with its own message; a worker thread's error surfaces as it is.
    """

    def __init__(self, function: Callable[[Task], Result], tasks: Sequence[Task], side_by_side: bool = True):
        self.function = function
        self.tasks = list(tasks)
        self.strategy = strategy(side_by_side) if self.tasks else Strategy.IN_TURN
        self.children: list[tuple[int, int]] = []  # (pid, read end of its pipe); -1 once the pipe is closed
        self.futures: list[Future[Result]] = []
        self._stop = threading.Event()
        self._threads: ThreadPoolExecutor | None = None
        try:
            if self.strategy is Strategy.THREADS:
                self._threads = ThreadPoolExecutor(len(self.tasks), thread_name_prefix=THREAD_PREFIX)
                stops = (*getattr(_worker, "stops", ()), self._stop)  # a nested run also stops with its caller's
                self.futures = [self._threads.submit(_as_worker, stops, function, task) for task in self.tasks]
            elif self.strategy is Strategy.FORK:
                for task in self.tasks:
                    self.children.append(_fork(function, task))
        except BaseException:
            self.stop()
            raise

    def results(self, check: Callable[[], None] | None = None) -> list[Result]:
        """The tasks' results in order; ``check`` is called while waiting (it may raise to stop)."""
        if self.strategy is Strategy.THREADS:
            return [_result(future, check) for future in self.futures]
        if self.strategy is Strategy.FORK:
            return self._forked_results(check)
        return [self.function(task) for task in self.tasks]

    def _forked_results(self, check: Callable[[], None] | None) -> list[Result]:
        results: list[Result] = []
        for index, (pid, read_fd) in enumerate(self.children):
            payload = _read_all(read_fd, check)
            self.children[index] = (pid, -1)  # from here on this loop reaps the child
            os.close(read_fd)
            _, status = os.waitpid(pid, 0)
            done, value = _child_outcome(payload)
            results.append(value if done and status == 0 else self.function(self.tasks[index]))
        return results

    def stop(self) -> None:
        """Stop the workers not collected yet: kill the children (and whatever they forked), stop the threads."""
        self._stop.set()
        if self._threads is not None:
            # Threads that are done are joined; one still computing ends at its next check_stopped().
            self._threads.shutdown(wait=all(future.done() for future in self.futures), cancel_futures=True)
        for pid, read_fd in self.children:
            if read_fd >= 0:
                os.close(read_fd)
                _kill(pid)
        self.children = [(pid, -1) for pid, _ in self.children]

    def __enter__(self) -> Background[Task, Result]:
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()


#: False in a process that must never fork (QGIS desktop); see :func:`set_fork_allowed`.
_fork_allowed = True


def set_fork_allowed(allowed: bool) -> None:
    """Allow or forbid forked shares in this whole process (QGIS desktop forbids them while the plugin is loaded).

    Forbidden, shares run in threads with shapely >= 2 and one after another otherwise.
    """
    global _fork_allowed
    _fork_allowed = allowed


def _fork_is_safe() -> bool:
    """Whether this thread may fork now; see the module docstring for why each condition."""
    return (
        _fork_allowed
        and hasattr(os, "fork")
        and sys.platform.startswith("linux")
        and threading.current_thread() is threading.main_thread()
        and (sys.version_info < (3, 12) or _one_thread())
    )


def _one_thread() -> bool:
    """True when this process runs a single OS thread (what CPython ≥ 3.12 counts before it warns)."""
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:
        return False


def _as_worker(stops: tuple[threading.Event, ...], function: Callable[[Task], Result], task: Task) -> Result:
    _worker.stops = stops
    try:
        return function(task)
    finally:
        del _worker.stops


def _result(future: Future[Result], check: Callable[[], None] | None) -> Result:
    if check is not None:
        while not wait([future], timeout=POLL_SECONDS).done:
            check()
    return future.result()


def _child_outcome(payload: bytes) -> tuple[bool, Any]:
    """(done, the task's result) as a forked child wrote them; not done when it wrote nothing."""
    try:
        return pickle.loads(payload) if payload else (False, None)
    except Exception:  # a child killed mid-write: its result is not used
        return False, None


def _read_all(read_fd: int, check: Callable[[], None] | None) -> bytes:
    chunks: list[bytes] = []
    while True:
        if check is not None:
            ready, _, _ = select.select([read_fd], [], [], POLL_SECONDS)
            if not ready:
                check()
                continue
        chunk = os.read(read_fd, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _die_with_parent(parent: int) -> None:
    """Have the kernel kill this forked child when its parent dies, however it dies (Linux).

    A parent killed outright (``kill -9``, a crash) cannot stop its children,
    which would go on computing for no one. ``PR_SET_PDEATHSIG`` asks Linux to
    send SIGKILL then. Elsewhere there is no such request (forking happens only
    on Linux anyway). If the parent died before the request took effect, the
    child leaves at once.
    """
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # no C library to call: nothing more can be done here
        return
    if os.getppid() != parent:
        os._exit(1)


#: prctl option: the signal a process gets when its parent dies (linux/prctl.h).
_PR_SET_PDEATHSIG = 1


def _fork(function: Callable[[Task], Result], task: Task) -> tuple[int, int]:
    read_fd, write_fd = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # the child: compute, send, and leave without running the parent's exit handlers
        code = 0
        try:
            _die_with_parent(parent)
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
