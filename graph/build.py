"""The pipe, end to end: load -> extract (cached) -> merge -> statements -> files.

One straight line, the same on every platform. Everything is computed in
memory first and written last, each file through a temporary name and all
renamed together (`atomic.Staging`), so an interrupted or failed build leaves
the previous output as it was. Parallelism is spaCy's own: `jobs` is handed to
`nlp.pipe(n_process=...)` and nothing else runs in another process, unless a
`parse` function is given (a resident parser, `graph.serve`; a Dask cluster,
`graph.cluster`). Each stage is a function of its own so that `kg serve`
rebuilds with the very same steps.
"""
from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any
from pathlib import Path

from . import judgements as judging, quads
from .atomic import Staging, fill
from .cache import Cache
from .errors import KgError
from .extract import Extractor, cache_key, pieces
from .extract.nlp import model_id
from .load import Fields, LoadMemo, LoadResult, load_paths
from .lock import output_lock
from .merge import merge
from .model import Account, Extraction, KnowledgeGraph
from .paths import DEFAULT_BASE
from .render import render_html
from .stats import totals
from .tenure import bound_roles
from .view import View, read_view


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
    judgements: Path | None = None   # the judgements file read, if any
    judged: list[judging.Outcome] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # judgements that matched nothing, or conflict
    undated: int = 0         # accounts with no date of their own (relative dates in them stay unread)


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


Progress = Callable[[int], None]
# (accounts with their addressees, processes, progress) -> their extractions, in order
Parse = Callable[[list[tuple[Account, str | None]], int, Progress | None], Iterable[Extraction]]


def parse_here(batch: list[tuple[Account, str | None]], processes: int,
               progress: Progress | None) -> Iterable[Extraction]:
    """The default parser: a model loaded for this build, `processes` spaCy workers."""
    return Extractor().extract_many(batch, n_process=processes, progress=progress)


def extract_all(accounts: list[Account], cache: Cache, jobs: int = 1,
                progress: Progress | None = None,
                finished: Callable[[int, int], None] | None = None,
                parse: Parse = parse_here) -> tuple[list[Extraction], int]:
    """Every account's extraction, from the cache where it holds one; and how many were parsed.

    The model is loaded only when some account is not cached; the new ones
    are parsed in one `parse` call (by default one `nlp.pipe` stream over
    `jobs` processes, fewer when there are fewer pieces of text to parse).
    `finished(done, total)` counts accounts: once for those the cache held
    (before any parsing starts, so a progress display can tell cached text from
    parsed), then after each parsed one.
    """
    addressees = _addressees(accounts)
    model = model_id()
    keys = [cache_key(a, addressees[a.id], model) for a in accounts]
    found = [cache.get(key) for key in keys]
    todo = [i for i, extraction in enumerate(found) if extraction is None]
    if progress:
        for account, extraction in zip(accounts, found):
            if extraction is not None:
                progress(len(account.text))
    done = len(accounts) - len(todo)
    if finished:
        finished(done, len(accounts))
    if todo:
        batch = [(accounts[i], addressees[accounts[i].id]) for i in todo]
        # No more processes than pieces to parse: a worker spaCy starts for nothing costs a rebuild ~0.3 s.
        processes = min(jobs, sum(1 for account, _ in batch for _ in pieces(account.text)))
        for i, extraction in zip(todo, parse(batch, processes, progress)):
            cache.put(keys[i], extraction)
            found[i] = extraction
            done += 1
            if finished:
                finished(done, len(accounts))
    return [extraction for extraction in found if extraction is not None], len(todo)


def apply_threshold(kg: KnowledgeGraph, min_confidence: float) -> KnowledgeGraph:
    kg.roles = [r for r in kg.roles if r.evidence.confidence >= min_confidence]
    kg.events = [e for e in kg.events if e.evidence.confidence >= min_confidence]
    return kg


def write_outputs(graphs: quads.Graphs, out_dir: Path, staging: Staging, html: bool = True,
                  view: View | None = None) -> None:
    """graph.trig, graph.ttl and (with `html`) graph.html of `graphs`, to temporary files in `staging`.

    Written and drawn from the plain statements (`quads`), not an rdflib
    Dataset: the same bytes as `rdf.serialize` and `render_html` of
    `rdf.to_dataset(kg)`, without making and reading back an rdflib term per
    statement.
    """
    rdf = quads.texts(quads.flatten(graphs))
    fill(staging.reserve(out_dir / "graph.trig"), rdf["trig"].encode("utf-8"))
    fill(staging.reserve(out_dir / "graph.ttl"), rdf["turtle"].encode("utf-8"))
    if html:
        fill(staging.reserve(out_dir / "graph.html"), render_html(view or graphs).encode("utf-8"))


def load_judge(paths: Sequence[str | Path], judgements: Path | None,
               base: str) -> tuple[judging.Judge | None, Path | None]:
    """The judgements to apply (None when there are none) and the file they come from.

    `judgements`: the file given, else judgements.yaml beside the accounts when there is one.
    """
    judgement_file = judgements or judging.default_file(paths)
    read = judgement_file is not None and (judgements is not None or judgement_file.is_file())
    entries = judging.load(judgement_file) if judgement_file is not None and read else []
    return (judging.Judge(entries, base, judgement_file) if entries else None), judgement_file


def load_accounts(paths: Sequence[str | Path], out_dir: Path, cache: Cache,
                  date_from: str = "filename", fields: Fields = Fields(), memo: LoadMemo | None = None) -> LoadResult:
    """The accounts under `paths` (warning about each file skipped), never kg's own output or cache;
    `memo`: a resident process's files already loaded (`graph.load.LoadMemo`)."""
    loaded = load_paths(paths, exclude=[out_dir, out_dir / "graph.html", *filter(None, [cache.folder])],
                        fields=fields, date_from=date_from, memo=memo)
    if not loaded.accounts:
        raise KgError(f"{', '.join(map(str, paths))}: no readable accounts "
                      f"({len(loaded.skipped)} file(s) skipped)")
    return loaded


def compose(extractions: list[Extraction], judge: judging.Judge | None, min_confidence: float = 0.0,
            base: str = DEFAULT_BASE) -> tuple[KnowledgeGraph, quads.Graphs]:
    """Merge the extractions (judgements applied) into one graph, and its statements by named graph."""
    kg = bound_roles(apply_threshold(merge(extractions, judge), min_confidence))
    graphs = quads.graphs(kg, base)
    if judge:
        graphs[judging.graph_iri(base)] = judging.statements(judge, kg, base)
    return kg, graphs


def provenance(paths: Sequence[str | Path], base: str, min_confidence: float, date_from: str, fields: Fields,
               html: bool, cache: Cache, judgement_file: Path | None) -> dict[str, Any]:
    """How the build was made, as judgements.json records it."""
    return {"paths": [str(Path(p).resolve()) for p in paths], "base": base, "min_confidence": min_confidence,
            "date_from": date_from, "fields": asdict(fields),
            "html": html, "cache_dir": str(cache.folder.resolve()) if cache.folder else None,
            "judgements": str(judgement_file.resolve()) if judgement_file else None}


def write_build(graphs: quads.Graphs, view: View, out_dir: Path, html: bool, judge: judging.Judge | None,
                made: dict[str, Any]) -> list[Path]:
    """Every output file, all replaced together under the folder's lock; the paths written."""
    # one build writes a folder at a time (graph/lock.py): a second one waits here
    with output_lock(out_dir), Staging() as staging:
        fill(staging.reserve(out_dir / judging.REPORT), judging.report(judge, made))
        write_outputs(graphs, out_dir, staging, html, view)
        return staging.commit()


def summarise(kg: KnowledgeGraph, view: View, loaded: LoadResult, extracted: int, started: float,
              written: list[Path], judge: judging.Judge | None, judgement_file: Path | None) -> BuildReport:
    counted = totals(view)
    return BuildReport(
        accounts=len(kg.accounts), files=len({a.id.split("#", 1)[0] for a in loaded.accounts}),
        skipped=loaded.skipped,
        people=counted["people"], bodies=counted["bodies"], roles=counted["roles"], events=counted["events"],
        extracted=extracted, undated=sum(a.date is None for a in kg.accounts),
        seconds=time.perf_counter() - started, written=written,
        judgements=judgement_file if judge else None, judged=judge.outcomes if judge else [],
        warnings=judging.warnings(judge),
    )


def build(paths: Sequence[str | Path], out_dir: Path, *, cache_dir: Path | None = None,
          use_cache: bool = True, jobs: int = 1,
          min_confidence: float = 0.0, base: str = DEFAULT_BASE, html: bool = True,
          judgements: Path | None = None, fields: Fields = Fields(), date_from: str = "filename",
          on_start: Callable[[int], None] | None = None,
          progress: Progress | None = None,
          on_accounts: Callable[[int, int], None] | None = None, parse: Parse = parse_here) -> BuildReport:
    """Load, extract, merge and write; see the module docstring.

    `fields` names the record fields of .jsonl/.csv collections (text, title, author, date);
    `date_from`: where a post with no date in its metadata or text takes one
    (`load.files.DATE_FROM`).
    `judgements`: the judgements file (default: judgements.yaml beside the
    accounts, when there is one), applied in merge; the extraction cache knows
    nothing of it, so a changed judgement re-parses no account.
    `parse`: where uncached accounts are parsed (see `extract_all`).

    `on_start(total characters)` is called once the accounts are loaded,
    `progress(characters)` as each account (or piece of one) is done,
    `on_accounts(done, total)` as accounts are done (see `extract_all`).
    """
    started = time.perf_counter()
    check_writable(out_dir)
    judge, judgement_file = load_judge(paths, judgements, base)
    cache = Cache((cache_dir or out_dir / ".cache") if use_cache else None)
    loaded = load_accounts(paths, out_dir, cache, date_from, fields)
    if on_start:
        on_start(sum(len(a.text) for a in loaded.accounts))
    extractions, extracted = extract_all(loaded.accounts, cache, jobs, progress, on_accounts, parse)
    kg, graphs = compose(extractions, judge, min_confidence, base)
    view = read_view(graphs)  # drawn, and counted as `kg stats` counts (`stats.totals`)
    made = provenance(paths, base, min_confidence, date_from, fields, html, cache, judgement_file)
    written = write_build(graphs, view, out_dir, html, judge, made)
    return summarise(kg, view, loaded, extracted, started, written, judge, judgement_file)
