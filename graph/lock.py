"""One build at a time per output folder.

Two `kg build` runs writing the same folder would interleave their renames
(one run's graph.trig beside the other's graph.html) and delete each other's
temporary files. A build holds an exclusive lock on `.kg-build.lock` in the
folder (filelock: fcntl on POSIX, msvcrt on Windows; released by the kernel
when the process dies, so a killed build never leaves the folder locked); a
second build says it is waiting and starts when the first is done.
"""
from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from .atomic import remove_stale

LOG = logging.getLogger("graph.build")
LOCK_NAME = ".kg-build.lock"
OUTPUT_NAMES = ["graph.trig", "graph.ttl", "graph.html"]


@contextmanager
def output_lock(folder: Path, wait: float | None = None) -> Iterator[None]:
    """Hold the folder's build lock; then clear temporary files a killed build left there.

    `wait`: seconds to wait for another build (None: as long as it takes).
    """
    lock = FileLock(folder / LOCK_NAME)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        LOG.warning("%s: another kg build is writing here; waiting for it to finish", folder)
        lock.acquire(timeout=-1 if wait is None else wait)
    try:
        for path in remove_stale(folder, OUTPUT_NAMES):
            LOG.info("%s: removed a temporary file an interrupted build left", path)
        yield
    finally:
        lock.release()
