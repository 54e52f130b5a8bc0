"""The risk core's threads: one executor per process, a thread per core it may use (at most four).

The compiled waterfall spreads a run's paths over them, and the simulation draws the next chunk's sales shocks on
one while the current chunk is computed; both release the GIL. Each figure is computed as it would be on one
thread, so none depends on them. Threads do not survive a fork: a forked worker makes its own.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor

_EXECUTORS: dict[int, ThreadPoolExecutor | None] = {}  # process id -> its executor
_MADE = threading.Lock()  # two server threads starting their first run at once make one executor


def _after_fork_in_child() -> None:  # a lock another thread held at the fork would never be released in the child
    global _MADE
    _MADE = threading.Lock()


os.register_at_fork(after_in_child=_after_fork_in_child)


def core_threads() -> ThreadPoolExecutor | None:
    """This process's executor, made on first use; None on a single core."""
    pid = os.getpid()
    with _MADE:
        if pid not in _EXECUTORS:
            cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
            _EXECUTORS.clear()
            _EXECUTORS[pid] = ThreadPoolExecutor(min(cores, 4), thread_name_prefix="ipsa-risk") if cores > 1 else None
        return _EXECUTORS[pid]
