"""A forked process that loads spaCy while the build reads files and its cache.

Importing spaCy and loading the model take about a second, most of a rebuild
after one new account; the files and cache entries of the other accounts take
half that. Started at the beginning of a rebuild (`--jobs` > 1, a cache
already there), the worker has the model loaded by the time the build knows
which accounts are new; a few new accounts are extracted there. Many new
accounts go through `Extractor.extract_many`'s own processes instead, and the
worker is stopped unused.
"""
from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from multiprocessing.connection import Connection

from ..model import Account, Extraction


def _serve(conn: Connection) -> None:
    from . import Extractor

    try:
        extractor = Extractor()
    except Exception:
        return  # the parent reads EOF and extracts in its own process, where the error is raised
    jobs = conn.recv()
    try:
        conn.send(("ok", list(extractor.extract_many(jobs))))
    except Exception as exc:  # the parent raises it
        conn.send(("error", exc))


class WarmExtractor:
    MAX_CHARS = 200_000  # more new text than this is parsed over the --jobs processes instead

    def __init__(self) -> None:
        context = multiprocessing.get_context("fork")
        self._conn, child = context.Pipe()
        self._process = context.Process(target=_serve, args=(child,), daemon=True, name="kg-warm-extractor")
        self._process.start()
        child.close()

    def extract(self, jobs: list[tuple[Account, str | None]],
                meanwhile: Callable[[], None] | None = None) -> list[Extraction] | None:
        """The extractions of `jobs`, in order, or None if the worker died; it then exits.

        `meanwhile` runs here while the worker parses.
        """
        try:
            self._conn.send(jobs)
            if meanwhile is not None:
                meanwhile()
            status, value = self._conn.recv()
        except (EOFError, OSError):
            return None  # killed or crashed: the caller extracts them itself
        finally:
            self.close()
        if status == "error":
            raise value
        return value

    def close(self) -> None:
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()
        self._conn.close()
