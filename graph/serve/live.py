"""The build kept live: spaCy loaded once, the graph in memory, rebuilt when the accounts change.

A rebuild is `kg build`'s own steps (graph/build.py: load, extract through the
per-account cache, compose, write), so the files on disk are always what `kg
build` would write, replaced all together. What a resident process adds: the
model stays loaded (only accounts that changed are parsed), extractions stay
in memory (the cache on disk is read once per account), and the store is
updated graph by graph before the files are written, so the served graph
answers with a new account as soon as it is merged.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .. import quads
from ..build import (BuildReport, check_writable, compose, extract_all, load_accounts, load_judge, provenance,
                     summarise, write_build)
from ..cache import Cache
from ..errors import KgError
from ..extract import Extractor
from ..load import Fields, LoadMemo
from ..model import Account, Extraction
from ..paths import DEFAULT_BASE
from ..view import View, read_view
from .oxstore import GraphStore

LOG = logging.getLogger("graph.serve")


class Stopped(Exception):
    """The server is stopping: a rebuild under way is abandoned (the files stay as they were)."""


class MemoCache(Cache):
    """The per-account cache on disk, with the entries of the last build kept in memory."""

    def __init__(self, folder: Path | None) -> None:
        super().__init__(folder)
        self.memo: dict[str, Extraction] = {}
        self.used: set[str] = set()

    def get(self, key: str) -> Extraction | None:
        self.used.add(key)
        if key not in self.memo:
            found = super().get(key)
            if found is None:
                return None
            self.memo[key] = found
        return self.memo[key]

    def put(self, key: str, extraction: Extraction) -> None:
        self.memo[key] = extraction
        super().put(key, extraction)

    def forget_unused(self) -> None:
        """Keep in memory only what the last build used: removed accounts free their entries."""
        self.memo = {k: v for k, v in self.memo.items() if k in self.used}
        self.used = set()


@dataclass
class Snapshot:
    """One build as served: its statements by graph, and (when first asked for) its view."""

    graphs: quads.Graphs
    accounts: int
    generation: int

    @cached_property
    def view(self) -> View:
        return read_view(self.graphs)


class LiveGraph:
    """The accounts under `paths`, built into `out_dir` and `store`, kept up to date by `watch`."""

    def __init__(self, paths: Sequence[Path], out_dir: Path, store: GraphStore, *,
                 cache_dir: Path | None = None, base: str = DEFAULT_BASE,
                 min_confidence: float = 0.0, html: bool = True, judgements: Path | None = None,
                 date_from: str = "filename", ignore: Sequence[Path] = ()) -> None:
        self.paths, self.out_dir, self.store = list(paths), out_dir, store
        self.cache = MemoCache(cache_dir or out_dir / ".cache")
        self.base, self.min_confidence, self.html = base, min_confidence, html
        self.judgements, self.date_from = judgements, date_from  # as kg build's options
        self.ignore = list(ignore)  # beside the output and the cache, folders never watched (a store)
        self.current: Snapshot | None = None
        self.files = LoadMemo()  # a rebuild re-reads only the files that changed
        self._extractor: Extractor | None = None
        self._building = threading.Lock()
        self._loading = threading.Lock()
        self.view_lock = threading.Lock()  # a view is read once however many requests ask at once

    def parse(self, batch: list[tuple[Account, str | None]], processes: int,
              progress: Callable[[int], None] | None) -> Iterable[Extraction]:
        """The resident parser: the model loaded once (`warm`), kept for every rebuild."""
        return self.warm().extract_many(batch, progress=progress)

    def warm(self) -> Extractor:
        """Load the model now (kg serve does so as it starts serving), so no change waits for it."""
        with self._loading:
            if self._extractor is None:
                started = time.perf_counter()
                self._extractor = Extractor()
                LOG.info("model loaded in %.1f s", time.perf_counter() - started)
            return self._extractor

    def rebuild(self, stop: threading.Event | None = None) -> BuildReport | None:
        """Build again; the new graph is served from the moment it is merged, then written.

        None if nothing changed (no file is rewritten) or `stop` was set before the
        files were written (they stay as the last build left them).
        """
        with self._building:
            started = time.perf_counter()
            check_writable(self.out_dir)
            judge, judgement_file = load_judge(self.paths, self.judgements, self.base)
            loaded = load_accounts(self.paths, self.out_dir, self.cache, self.date_from, memo=self.files)

            def progress(_chars: int) -> None:  # checked after each parsed piece of text
                if stop is not None and stop.is_set():
                    raise Stopped()

            extractions, extracted = extract_all(loaded.accounts, self.cache, 1, progress, parse=self.parse)
            self.cache.forget_unused()
            kg, graphs = compose(extractions, judge, self.min_confidence, self.base)
            previous = self.current
            if previous is not None and previous.graphs == graphs:
                return None
            changed = self.store.replace(graphs)
            snapshot = Snapshot(graphs, len(kg.accounts), previous.generation + 1 if previous else 1)
            self.current = snapshot
            LOG.info("serving %d accounts (%d graphs changed, %d accounts parsed) after %.2f s",
                     snapshot.accounts, changed, extracted, time.perf_counter() - started)
            if stop is not None and stop.is_set():
                return None
            with self.view_lock:
                view = snapshot.view  # the page is drawn from the view the API serves
            made = provenance(self.paths, self.base, self.min_confidence, self.date_from, Fields(), self.html,
                              self.cache, judgement_file)
            written = write_build(graphs, view, self.out_dir, self.html, judge, made)
            report = summarise(kg, view, loaded, extracted, started, written, judge, judgement_file)
            LOG.info("wrote %s after %.2f s", self.out_dir, report.seconds)
            return report

    def view(self, snapshot: Snapshot | None = None) -> View:
        """The view of `snapshot` (by default the build served now), read once however many ask."""
        snapshot = snapshot or self.require()
        with self.view_lock:
            return snapshot.view

    def require(self) -> Snapshot:
        if self.current is None:
            raise KgError("the graph is still being built")
        return self.current

    def watch(self, stop: threading.Event, on_error: Callable[[Exception], None]) -> None:
        """Rebuild whenever something under the account folders changes, until `stop` is set.

        The output folder, the cache and the store are never watched: kg's own
        writes start no rebuild.
        """
        import watchfiles

        ignored = [p.resolve() for p in [self.out_dir, *filter(None, [self.cache.folder]), *self.ignore]]
        folders = [p for p in self.paths if p.exists()]
        watch_filter = watchfiles.DefaultFilter(ignore_paths=[str(p) for p in ignored])
        for _changes in watchfiles.watch(*folders, watch_filter=watch_filter, stop_event=stop,
                                         step=20, yield_on_timeout=False, raise_interrupt=False):
            try:
                self.rebuild(stop)
            except Stopped:
                return
            except KgError as exc:  # an account folder emptied, the output unwritable: say so, keep serving
                on_error(exc)
