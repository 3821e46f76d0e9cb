"""Parser worker processes never outlive kg.

`nlp.pipe(n_process=N)` forks N workers. If kg is killed outright (`kill -9`,
the OOM killer) nothing tells them: they wait on their queues for ever, each
holding a loaded model (about 140 MB). So every process forked from here on
asks the kernel to send it SIGTERM when its parent dies (Linux's
PR_SET_PDEATHSIG); elsewhere a daemon thread checks for a new parent once a
second. A worker that gets SIGTERM leaves quietly (see `graph.cli`).
"""
from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1.0)
    os.kill(os.getpid(), signal.SIGTERM)


def _die_with_parent() -> None:
    parent = os.getppid()
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent:  # the parent died before the request was made
            os.kill(os.getpid(), signal.SIGTERM)
    else:
        threading.Thread(target=_watch, args=(parent,), daemon=True, name="kg-parent-watch").start()


_REGISTERED: list[bool] = []


def bind_workers_to_this_process() -> None:
    """From now on, processes forked here end when this process does (idempotent)."""
    if not _REGISTERED and hasattr(os, "register_at_fork"):
        os.register_at_fork(after_in_child=_die_with_parent)
        _REGISTERED.append(True)
