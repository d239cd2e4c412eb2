"""Python work on threads that Python did not create (Qt's task threads, QGIS's Processing threads).

A thread Python did not start gets a Python thread state only for the duration of
each call into Python, and loses it, with everything kept in its
``threading.local`` objects, when that call returns. pyproj 3.7.0 and 3.7.1 keep
each thread's PROJ context in native thread-specific storage and its owner in a
``threading.local``: once the owner is gone the context is destroyed, the stored
pointer is not cleared, and the next pyproj call on that operating-system thread
uses freed memory and crashes the process (pyproj issue 1509, fixed in later
releases). QGIS runs tasks and background Processing algorithms on a pool of
such threads and reuses them, so the second analysis on the same pooled thread
would crash QGIS (seen with Debian 13's pyproj 3.7.1 under QGIS 3.40 and 3.44).

:func:`hold_thread_state` keeps the calling thread's Python state alive for the
life of the thread, so its PROJ context stays valid; it does nothing on threads
Python created (the main thread, ``threading`` threads), which keep theirs anyway.
"""

from __future__ import annotations

import ctypes
import threading

_held = threading.local()


def hold_thread_state() -> None:
    """Keep this thread's Python state (and its ``threading.local`` data) alive until the thread ends.

    Call it first thing in any work that starts on a thread Python did not
    create. It takes one extra reference on the thread's state, once per thread
    however often it is called, and never gives it back: a thread state of a few
    hundred bytes stays behind when a pooled thread ends.
    """
    if not isinstance(threading.current_thread(), threading._DummyThread) or getattr(_held, "done", False):
        return
    ctypes.pythonapi.PyGILState_Ensure.restype = ctypes.c_int
    ctypes.pythonapi.PyGILState_Ensure()
    _held.done = True
