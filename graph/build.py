"""The pipe, end to end: load -> extract (cached) -> merge -> RDF -> files.

Everything is computed in memory first and written last, each file through a
temporary name, so an interrupted or failed build leaves the previous output
as it was.
"""
from __future__ import annotations

import gc
import multiprocessing
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .atomic import Staging, fill
from .cache import Cache
from .errors import KgError
from .model import Account, Extraction, KnowledgeGraph
from .paths import DEFAULT_BASE

if TYPE_CHECKING:  # the stages are imported when they run: see `build`
    from .blocks import BlockStore
    from .extract.warm import WarmExtractor
    from .quads import Graphs


@dataclass
class BuildReport:
    accounts: int
    files: int
    skipped: list[tuple[str, str]]
    people: int
    bodies: int
    roles: int
    events: int
    extracted: int           # accounts parsed this time (the rest came from the cache)
    seconds: float
    written: list[Path] = field(default_factory=list)


def check_writable(folder: Path) -> None:
    """Fail before any extraction work if the output folder cannot be written."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".kg-write-test-"):
            pass
    except OSError as exc:
        raise KgError(f"{folder}: cannot write the output folder ({exc.strerror or exc})") from exc


def _addressees(accounts: list[Account]) -> dict[str, str | None]:
    """A comment's "Dear Jon" speaks to the post's author."""
    authors = {a.id: a.author for a in accounts}
    return {a.id: authors.get(a.parent) if a.parent else None for a in accounts}


def _can_fork() -> bool:
    """Whether work can go to a forked process, which inherits what is loaded (nothing is pickled).

    macOS lists fork, but its system libraries are not fork-safe.
    """
    return "fork" in multiprocessing.get_all_start_methods() and sys.platform != "darwin"


def _warm_worker(cache: Cache, jobs: int) -> WarmExtractor | None:
    """A worker loading spaCy from the start, on a rebuild (a cache is there) with `jobs` > 1."""
    if jobs < 2 or cache.folder is None or not cache.folder.is_dir() or not _can_fork():
        return None
    from .extract.warm import WarmExtractor

    return WarmExtractor()


def extract_all(accounts: list[Account], cache: Cache, jobs: int = 1,
                progress: Callable[[int], None] | None = None,
                warm: WarmExtractor | None = None,
                meanwhile: Callable[[], None] | None = None) -> tuple[list[Extraction], int]:
    """Every account's extraction, from the cache where it holds one.

    `warm`, a worker already loading spaCy, extracts the new accounts when they
    are few; it is stopped in any case. `meanwhile` runs while it does.
    """
    from .extract import cache_key
    from .extract.nlp import model_id

    addressees = _addressees(accounts)
    model = model_id()
    keys = [cache_key(a, addressees[a.id], model) for a in accounts]
    results: dict[int, Extraction] = {}
    todo = []
    with gc_paused():
        for i, (account, key) in enumerate(zip(accounts, keys)):
            cached = cache.get(key)
            if cached is not None:
                results[i] = cached
                if progress:
                    progress(len(account.text))
            else:
                todo.append(i)
    batch = [(accounts[i], addressees[accounts[i].id]) for i in todo]
    done: list[Extraction] | None = None
    if warm is not None:
        if todo and sum(len(a.text) for a, _ in batch) <= warm.MAX_CHARS:
            done = warm.extract(batch, meanwhile)  # None if the worker died: extracted below instead
            if done is not None and progress:
                for account, _ in batch:
                    progress(len(account.text))
        else:
            warm.close()
    if todo and done is None:
        from .extract import Extractor

        done = Extractor().extract_many(batch, n_process=jobs, progress=progress)
    for i, extraction in zip(todo, done or ()):
        cache.put(keys[i], extraction)
        results[i] = extraction
    return [results[i] for i in range(len(accounts))], len(todo)


def apply_threshold(kg: KnowledgeGraph, min_confidence: float) -> KnowledgeGraph:
    kg.roles = [r for r in kg.roles if r.evidence.confidence >= min_confidence]
    kg.events = [e for e in kg.events if e.evidence.confidence >= min_confidence]
    return kg


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while the build reads, merges and writes.

    Those stages allocate millions of small tuples, strings and records (and
    no cycles); each collection of the oldest generation walks them all again.
    At 10,000 accounts that was a third of reading the cache and of merging,
    and half of writing the files. Parsing keeps the collector: spaCy's
    objects do make cycles.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            # Everything made meanwhile joins the oldest generation: otherwise the first
            # collection after this walks it all as "young" (0.05 s after a rebuild's merge).
            gc.freeze()
            gc.unfreeze()
            gc.enable()


def _prepare_outputs(html: bool, store: BlockStore | None) -> None:
    """Import the output stages and read the block store: done while the warm worker parses.

    Otherwise both would wait until the merge is done (0.15 s of a rebuild
    that takes about 2); the forked RDF process inherits them.
    """
    import pyoxigraph  # noqa: F401

    from . import quads  # noqa: F401

    if html:
        from . import render, view  # noqa: F401

        render.page_parts()
    if store is not None:
        store.load()


def _page(graphs: Graphs) -> str:
    from .render import render_html

    return render_html(graphs)


_FORKED: list = []  # what a forked RDF process writes: inherited, never pickled


def _rdf_in_fork() -> None:
    _write_rdf(*_FORKED[0])


def write_outputs(kg: KnowledgeGraph, out_dir: Path, staging: Staging, base: str = DEFAULT_BASE,
                  html: bool = True, jobs: int = 1, store: BlockStore | None = None) -> None:
    """Write graph.trig, graph.ttl and graph.html to temporary files in `staging`.

    Written and drawn from the plain statements (`quads`), not an rdflib
    Dataset: adding and reading back rdflib terms one by one took most of a
    rebuild after one new account. Same bytes as `rdf.serialize` and
    `render_html` of `rdf.to_dataset(kg)`. With a `store` (the build's
    cache) only the TriG and Turtle blocks the last build did not write are
    written (`blocks`). With `jobs` > 1 a forked process, which inherits the
    statements, writes the RDF while this one draws the page: the page takes
    longer, and a forked process pays for each object it reads with a copy
    of its memory page (touching its reference count), so the longer job stays
    here. `build` runs this with the garbage collector paused, and the forked
    process inherits that.
    """
    from . import quads

    names = ["graph.trig", "graph.ttl", *(["graph.html"] if html else [])]
    files = {name: staging.reserve(out_dir / name) for name in names}
    graphs = quads.graphs(kg, base)
    if not (html and jobs > 1 and _can_fork()):
        _write_rdf(graphs, store, files)
        if html:
            fill(files["graph.html"], _page(graphs).encode("utf-8"))
        return
    _FORKED[:] = [(graphs, store, files)]
    try:
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
            rdf = pool.submit(_rdf_in_fork)
            fill(files["graph.html"], _page(graphs).encode("utf-8"))
            rdf.result()
    finally:
        _FORKED.clear()


def _write_rdf(graphs: Graphs, store: BlockStore | None, files: dict[str, Path]) -> None:
    from . import quads

    if store is None:
        rdf = {fmt: text.encode("utf-8") for fmt, text in quads.texts(quads.flatten(graphs)).items()}
    else:
        from .blocks import block_texts

        rdf = block_texts(graphs, store)
    fill(files["graph.trig"], rdf["trig"])
    fill(files["graph.ttl"], rdf["turtle"])


def build(paths: Sequence[str | Path], out_dir: Path, **options) -> BuildReport:
    """Build under the output folder's lock (graph/lock.py): one build per folder at a time."""
    from .lock import output_lock

    check_writable(out_dir)
    with output_lock(out_dir):
        return _build(paths, out_dir, **options)


def _build(paths: Sequence[str | Path], out_dir: Path, *, cache_dir: Path | None = None,
          use_cache: bool = True, jobs: int = 1,
          min_confidence: float = 0.0, base: str = DEFAULT_BASE, html: bool = True,
          on_start: Callable[[int], None] | None = None,
          progress: Callable[[int], None] | None = None) -> BuildReport:
    """Load, extract, merge and write; see the module docstring.

    On a rebuild the warm worker is forked first, before this process has
    imported the stages: it starts loading spaCy as early as it can.
    """
    started = time.perf_counter()
    check_writable(out_dir)
    cache = Cache((cache_dir or out_dir / ".cache") if use_cache else None)
    warm = _warm_worker(cache, jobs)
    from .blocks import BlockStore
    from .load import load_paths
    from .merge import merge

    store = BlockStore(cache.folder) if cache.folder else None
    try:
        with gc_paused():
            # warns about each file it skips; never reads kg's own output or cache as input
            loaded = load_paths(paths, exclude=[out_dir, out_dir / "graph.html", *filter(None, [cache.folder])])
        if not loaded.accounts:
            raise KgError(f"{', '.join(map(str, paths))}: no readable accounts "
                          f"({len(loaded.skipped)} file(s) skipped)")
        if on_start:
            on_start(sum(len(a.text) for a in loaded.accounts))
        extractions, extracted = extract_all(loaded.accounts, cache, jobs, progress, warm,
                                             lambda: _prepare_outputs(html, store))
    finally:
        if warm is not None:
            warm.close()
    with gc_paused(), Staging() as staging:
        kg = apply_threshold(merge(extractions), min_confidence)
        write_outputs(kg, out_dir, staging, base, html, jobs, store)
        written = staging.commit()
    files = len({a.id.split("#", 1)[0] for a in loaded.accounts})
    return BuildReport(
        accounts=len(kg.accounts), files=files, skipped=loaded.skipped,
        people=sum(n.kind == "person" for n in kg.nodes.values()),
        bodies=sum(n.kind == "body" for n in kg.nodes.values()),
        roles=len(kg.roles), events=len(kg.events), extracted=extracted,
        seconds=time.perf_counter() - started, written=written,
    )
