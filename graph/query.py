"""Read-only SPARQL over a built graph, and the named queries that ship with kg.

Why a module of its own: the CLI, `show` and the tests all need the same three
things (load a graph, refuse anything that is not a read, turn result rows into
tables) and none of them may pay for spaCy. The contract's prefixes are
predeclared, so `foaf:name` works without a PREFIX line, and the build is
loaded as a Dataset whose default graph is the union of every named graph:
plain patterns see everything, `GRAPH ?g { }` asks which account claims what.

Two engines answer the same queries: rdflib's own in-memory store, and
Oxigraph behind rdflib's API (oxrdflib). See `ENGINES` for which is the default
and why.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional, cast

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.query import ResultRow
from rdflib.term import Identifier

from .safetext import safe_cell
from .errors import KgError
from .offline import check_service, dataset_graphs, local_jsonld
from . import formats
from .store import open_graph, parser_message, require_file
from .vocab import PREFIXES

QUERY_DIR = Path(__file__).resolve().parent / "queries"
_NS = {prefix: str(ns) for prefix, ns in PREFIXES.items()}  # Oxigraph wants plain strings


# -- named queries ---------------------------------------------------------

@dataclass(frozen=True)
class Param:
    name: str
    required: bool
    help: str


@dataclass(frozen=True)
class NamedQuery:
    """One .rq file: its SPARQL, and the comment header that documents it."""

    name: str
    title: str
    description: str
    text: str
    params: tuple[Param, ...] = ()
    example: str = ""


_HEADER = re.compile(r"^#\s*(title|description|param|example):\s*(.*)$")
_CONTINUATION = re.compile(r"^#\s{2,}(\S.*)$")


def parse_header(name: str, text: str) -> NamedQuery:
    """Read `# title:`, `# description:`, `# param:` and `# example:` lines.

    A line starting `#` and two or more spaces continues the previous field, so
    descriptions can wrap. `# param: NAME (required) help` declares a parameter.
    """
    fields: dict[str, list[str]] = {"title": [], "description": [], "example": []}
    params: list[list[str]] = []
    current: list[str] | None = None
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        if match := _HEADER.match(line):
            key, value = match.groups()
            if key == "param":
                params.append([value.strip()])
                current = params[-1]
            else:
                current = fields[key]
                current.append(value.strip())
        elif (match := _CONTINUATION.match(line)) and current is not None:
            current.append(match.group(1).strip())
    parsed = []
    for words in params:
        pname, _, rest = " ".join(words).partition(" ")
        required = rest.startswith("(required)")
        parsed.append(Param(pname, required, rest.removeprefix("(required)").strip()))
    return NamedQuery(name=name, title=" ".join(fields["title"]) or name,
                      description=" ".join(fields["description"]), text=text,
                      params=tuple(parsed), example=" ".join(fields["example"]))


def named_queries(folder: Path = QUERY_DIR) -> dict[str, NamedQuery]:
    """Every shipped query by name (the file stem), in name order."""
    return {p.stem: parse_header(p.stem, p.read_text(encoding="utf-8"))
            for p in sorted(folder.glob("*.rq"))}


def get_named(name: str) -> NamedQuery:
    queries = named_queries()
    if name not in queries:
        raise KgError(f"no named query {name!r} (known: {', '.join(queries)}; see `kg query --list`)")
    return queries[name]


# -- parameters --------------------------------------------------------------

_VAR = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def parse_params(pairs: Iterable[str]) -> dict[str, Identifier]:
    """`name=value` pairs -> initial bindings.

    Values become RDF terms, never query text: a plain value is a string
    literal, `<...>` an IRI. So a value holding quotes or braces cannot change
    the query (no SPARQL injection).
    """
    bindings: dict[str, Identifier] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip().lstrip("?$")
        if not sep or not _VAR.match(key):
            raise KgError(f"bad --param {pair!r}: expected NAME=VALUE, NAME a SPARQL variable name")
        if value.startswith("<") and value.endswith(">") and len(value) > 2:
            bindings[key] = URIRef(value[1:-1])
        else:
            bindings[key] = Literal(value)
    return bindings


def check_params(query: NamedQuery, bindings: dict[str, Identifier]) -> None:
    known = {p.name for p in query.params}
    missing = [p.name for p in query.params if p.required and p.name not in bindings]
    if missing:
        raise KgError(f"query {query.name!r} needs --param {missing[0]}=VALUE"
                      f" ({', '.join(f'{p.name}: {p.help}' for p in query.params)})")
    unknown = sorted(set(bindings) - known)
    if unknown:
        raise KgError(f"query {query.name!r} takes no parameter {unknown[0]!r}"
                      f" (it takes: {', '.join(sorted(known)) or 'none'})")


# -- checking the query text -----------------------------------------------------

class UpdateRefused(KgError):
    """The text is a SPARQL update: kg only reads (`kg serve` answers these with 403)."""

    def __init__(self, message: str, verb: str):
        super().__init__(message)
        self.verb = verb


@dataclass(frozen=True)
class Checked:
    """What the engines need to know about a query that passed `check_query`."""

    projected: set[str] | None      # the variables a SELECT projects (None for SELECT *, ASK, ...)
    graphs: list[str]               # the IRIs its FROM / FROM NAMED clauses name
    form: str = ""                  # SelectQuery, AskQuery, ConstructQuery or DescribeQuery


def _blank(text: str) -> bool:
    """Nothing but whitespace, comments and PREFIX/BASE lines: no query at all."""
    body = re.sub(r"#[^\n]*", " ", text)
    body = re.sub(r"(?i)\b(PREFIX\s+[\w.-]*:\s*<[^>]*>|BASE\s*<[^>]*>)", " ", body)
    return not body.strip()


def check_query(text: str, allow_service: bool = False) -> Checked:
    """Refuse updates, network reach and malformed SPARQL with one line the user can act on.

    Both engines get text that rdflib's parser accepted as a query, so an
    update (INSERT, DELETE, LOAD, CLEAR, DROP, ...) never reaches a store, nor
    a SERVICE call unless `allow_service` (see graph/offline.py).
    """
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    if _blank(text):
        raise KgError("empty query: give a SELECT, ASK, CONSTRUCT or DESCRIBE query (see `kg query --help`)")
    try:
        parsed = parseQuery(text)
    except ParseException as exc:
        error = exc
    else:
        _check_prefixes(parsed)
        check_service(parsed, allow_service)
        return Checked(_projection(parsed), dataset_graphs(parsed), parsed[1].name)
    try:
        update = parseUpdate(text)
    except ParseException:
        update = None
    if update is not None and update.get("request"):
        verb = update["request"][0].name
        raise UpdateRefused(f"kg query is read-only: SPARQL updates ({_update_word(verb)}) are refused",
                            _update_word(verb))
    raise KgError(f"malformed SPARQL at line {error.lineno}, column {error.col}: "
                  f"{error.msg} (near {_near(error)!r})")


def account_graphs(ds: Dataset) -> set[str]:
    """The named graphs of a build that hold statements: what FROM may name."""
    return {str(g.identifier) for g in ds.graphs() if isinstance(g.identifier, URIRef) and len(g)}


def _check_prefixes(parsed) -> None:
    """An undeclared prefix, named the way rdflib names it (Oxigraph's is a wall of text)."""
    from rdflib.plugins.sparql.algebra import translateQuery

    try:
        translateQuery(parsed, initNs=PREFIXES)
    except Exception as exc:  # rdflib raises a bare Exception for an unknown prefix
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise KgError(f"bad query: {first}") from exc


def _projection(parsed) -> set[str] | None:
    body = parsed[1]
    if body.name != "SelectQuery" or "projection" not in body:
        return None
    return {str(v["var"] if "var" in v else v["evar"]) for v in body["projection"]}


def _update_word(verb: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", " ", verb).upper()  # InsertData -> INSERT DATA


def _near(error) -> str:
    line = error.line or ""
    return line[max(0, error.col - 1):][:30].strip() or line.strip()[:30]


# -- engines ---------------------------------------------------------------------

def load_rdflib(path: str | Path) -> Dataset:
    return open_graph(path)


def load_oxigraph(path: str | Path) -> Dataset:
    """Parse straight into an Oxigraph store (Rust parser and query engine).

    Oxigraph's "union default graph" is a multiset: a triple stated in three
    account graphs matches three times, where rdflib's union matches it once.
    So the union is materialised once, as a set, into the default graph, and
    queries run against that: the same rows as rdflib, still GRAPH ?g per account.
    """
    path = Path(path)
    require_file(path, "graph file")
    found = formats.for_path(path)
    fmt, ox_fmt = found.name, found.oxigraph_parser
    ds = Dataset(store="Oxigraph", default_union=False)
    for prefix, ns in PREFIXES.items():
        ds.bind(prefix, ns)
    try:
        if fmt == "jsonld":
            ds.parse(data=local_jsonld(path), format=ox_fmt, publicID=path.resolve().as_uri())
        else:
            ds.parse(str(path), format=ox_fmt)
    except KgError:
        raise
    except Exception as exc:  # pyoxigraph raises SyntaxError, rdflib ParserError
        raise KgError(f"{path}: not a readable {fmt} graph: {parser_message(exc)}") from exc
    ds.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
    return ds


# Measured on the bundled build (see the README, "Query engines"): Oxigraph
# answers the named queries one to two orders of magnitude faster than
# rdflib's pure-Python evaluator, so `kg query` uses it unless told otherwise.
ENGINES: dict[str, Callable[[str | Path], Dataset]] = {
    "oxigraph": load_oxigraph,
    "rdflib": load_rdflib,
}
DEFAULT_ENGINE = "oxigraph"


def pick_engine(wanted: str | None, projected: set[str] | None,
                bindings: dict[str, Identifier], graphs: list[str] | None = None) -> str:
    """The engine to use for one query.

    Oxigraph pre-binds a parameter only if the SELECT projects it (a rule of
    its substitution API); rdflib's initBindings have no such rule. So a query
    binding a variable it does not project runs on rdflib, still as a bound
    term, never as pasted text. A query with FROM / FROM NAMED runs on rdflib
    too: kg hands Oxigraph the union as its default graph, which overrides
    the query's own dataset.
    """
    engine = wanted or DEFAULT_ENGINE
    if engine == "oxigraph" and graphs:
        return "rdflib"
    if engine == "oxigraph" and bindings and not set(bindings) <= (projected or set()):
        return "rdflib"
    return engine


# -- running -----------------------------------------------------------------------

@dataclass
class Table:
    """A SELECT result as plain rows (ASK gives `boolean`, CONSTRUCT `graph`)."""

    columns: list[str]
    rows: list[list[Identifier | None]] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None
    more: bool = False          # rows were left out (the `max_rows` cap)


DEFAULT_TIMEOUT = 60.0   # seconds: a runaway query (a cartesian product) stops with a message


@dataclass
class Stream:
    """An answer arriving as it is computed: `head` holds the columns (or the whole ASK or
    CONSTRUCT answer), `rows` yields a SELECT's rows one by one."""

    head: Table
    rows: Iterator[list[Identifier | None]]


def stream(ds: Dataset, text: str, bindings: dict[str, Identifier] | None = None,
           hide: Iterable[str] = (), timeout: float | None = DEFAULT_TIMEOUT) -> Stream:
    """Run one read-only query (already passed through check_query), its rows as they come.

    `hide` drops columns from the result: a named query projects its
    parameters (so Oxigraph can bind them) but nobody needs them echoed back.
    The query is evaluated in a worker thread that hands rows over through a
    bounded queue (both engines let the main thread run meanwhile: Oxigraph
    releases the GIL, rdflib yields it), so the main thread writes rows while
    later ones are computed, stops waiting `timeout` seconds after the start,
    and Ctrl-C stops it at once. The worker reads every row itself: Oxigraph's
    result objects may only be freed in the thread that made them.
    """
    import queue
    import threading
    import time

    handed: queue.Queue[tuple[str, object]] = queue.Queue(maxsize=1024)
    deadline = time.monotonic() + timeout if timeout and timeout > 0 else None

    def work() -> None:
        try:
            for item in _evaluate(ds, text, bindings or {}, set(hide)):
                handed.put(("item", item))
            handed.put(("end", None))
        except BaseException as exc:  # handed to the main thread, raised there
            handed.put(("error", exc))

    def take() -> tuple[str, object]:
        wait = None if deadline is None else max(deadline - time.monotonic(), 0.0)
        try:
            kind, value = handed.get(timeout=wait)
        except queue.Empty:
            raise KgError(f"the query ran longer than {timeout:g} s and was stopped "
                          "(--timeout SECONDS to allow more, 0 for no limit)") from None
        if kind == "error":
            raise cast(BaseException, value)
        return kind, value

    threading.Thread(target=work, name="kg-query", daemon=True).start()
    _kind, head = take()

    def rows() -> Iterator[list[Identifier | None]]:
        while True:
            kind, value = take()
            if kind == "end":
                return
            yield cast(list, value)

    return Stream(cast(Table, head), rows())


def run(ds: Dataset, text: str, bindings: dict[str, Identifier] | None = None,
        hide: Iterable[str] = (), timeout: float | None = DEFAULT_TIMEOUT,
        max_rows: int | None = None) -> Table:
    """The whole answer as a Table; `max_rows` keeps the first rows and marks the rest as left out."""
    answer = stream(ds, text, bindings, hide, timeout)
    table = answer.head
    for row in answer.rows:
        if max_rows is not None and len(table.rows) >= max_rows:
            table.more = True
            continue
        table.rows.append(row)
    return table


def _evaluate(ds: Dataset, text: str, bindings: dict[str, Identifier], hide: set[str]) -> Iterator[object]:
    """The answer's head (a Table without rows), then each row."""
    try:
        result = ds.query(text, initNs=_NS, initBindings=bindings)
        if result.type == "ASK":
            yield Table(["boolean"], boolean=bool(result.askAnswer))
            return
        if result.type in ("CONSTRUCT", "DESCRIBE"):
            yield Table([], graph=result.graph)
            return
        names = [str(v) for v in result.vars or ()]
        keep = [i for i, c in enumerate(names) if c not in hide]
        yield Table([names[i] for i in keep])
        for row in cast(Iterable[ResultRow], result):
            yield [cast(Optional[Identifier], row[i]) for i in keep]
    except KgError:
        raise
    except Exception as exc:  # unknown prefix, bad function call, engine limits
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise KgError(f"query failed: {first}") from exc


# -- output formats ------------------------------------------------------------------

MAX_CELL = 60  # widest a table cell gets before it is cut with an ellipsis


def compact(term: Identifier | None) -> str:
    """A cell for people: prefixed names for IRIs, the lexical form for literals."""
    from .vocab import DEFAULT_BASE

    if term is None:
        return ""
    if isinstance(term, URIRef):
        text = str(term)
        if text.startswith(DEFAULT_BASE):
            return text[len(DEFAULT_BASE):]
        for prefix, ns in PREFIXES.items():
            if text.startswith(str(ns)) and len(text) > len(str(ns)):
                return f"{prefix}:{text[len(str(ns)):]}"
        return f"<{text}>"
    return str(term)


def plain(term: Identifier | None) -> str:
    """A cell for machines: full IRIs, lexical forms, empty when unbound."""
    return "" if term is None else str(term)


def json_value(term: Identifier | None) -> object:
    if term is None:
        return None
    if isinstance(term, Literal):
        value = term.toPython()
        if isinstance(value, bool) or isinstance(value, int):
            return value
        if type(value).__name__ in ("Decimal", "float"):
            return float(value)
    return str(term)


def _cut(text: str, width: int) -> str:
    text = " ".join(text.split())  # newlines and tabs would break the grid
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def format_table(columns: list[str], rows: list[list[str]], width: int | None = None,
                 max_cell: int = MAX_CELL) -> str:
    """Aligned columns that fit the terminal: long cells end in an ellipsis.

    Each column is as wide as its widest cell up to `max_cell`; if the row is
    still wider than the terminal, the columns with the longest cells on
    average give way first (never below 8 characters), so dates, names and
    account ids stay whole while titles and sentences are cut.
    """
    import shutil

    if width is None:
        width = shutil.get_terminal_size((120, 24)).columns
    cells = [[" ".join(c.split()) for c in row] for row in rows]
    widths = [min(max([len(col)] + [len(r[i]) for r in cells]), max_cell)
              for i, col in enumerate(columns)]
    # Prose columns (long on average: titles, sentences) give way before
    # identifier-like ones (accounts, names) that are only occasionally long.
    mean = [sum(len(r[i]) for r in cells) / len(cells) if cells else 0 for i in range(len(columns))]
    gap = 2
    while sum(widths) + gap * (len(widths) - 1) > width:
        shrinkable = [i for i, w in enumerate(widths) if w > 8]
        if not shrinkable:
            break
        widest = max(shrinkable, key=lambda i: (min(mean[i], widths[i]), widths[i]))
        widths[widest] -= 1
    def line(values: list[str]) -> str:
        return "  ".join(_cut(v, w).ljust(w) for v, w in zip(values, widths)).rstrip()
    out = [line(columns), "  ".join("─" * w for w in widths)]
    out += [line(r) for r in cells]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n"


def _delimited_lines(columns: list[str], rows: Iterable[list[Identifier | None]],
                     delimiter: str) -> Iterator[str]:
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    for cells in chain([columns], ([plain(t) for t in row] for row in rows)):
        if delimiter == "\t":  # TSV has no quoting: tabs and newlines become spaces
            cells = [" ".join(c.split()) for c in cells]
        writer.writerow([safe_cell(c) for c in cells])  # spreadsheets open both
        yield buf.getvalue()
        buf.seek(0)
        buf.truncate()


def _json_lines(columns: list[str], rows: Iterable[list[Identifier | None]]) -> Iterator[str]:
    """The same text as `json.dumps(rows, indent=2)`, a row at a time."""
    import json

    first = True
    for row in rows:
        item = json.dumps({c: json_value(t) for c, t in zip(columns, row)}, indent=2, ensure_ascii=False)
        yield ("[\n" if first else ",\n") + "\n".join("  " + line for line in item.split("\n"))
        first = False
    yield "[]\n" if first else "\n]\n"


def _delimited(table: Table, delimiter: str) -> str:
    return "".join(_delimited_lines(table.columns, table.rows, delimiter))


def render_json(table: Table) -> str:
    import json

    if table.boolean is not None:
        return json.dumps({"boolean": table.boolean}) + "\n"
    return "".join(_json_lines(table.columns, table.rows))


def render_lines(answer: Stream, fmt: str) -> Iterator[str]:
    """An answer in csv, tsv or json, written as its rows arrive (the table format needs them all)."""
    head = answer.head
    if head.graph is not None or head.boolean is not None or fmt == "table":
        head.rows.extend(answer.rows)
        yield render(head, fmt)
    elif fmt == "json":
        yield from _json_lines(head.columns, answer.rows)
    else:
        yield from _delimited_lines(head.columns, answer.rows, "," if fmt == "csv" else "\t")


def render_table(table: Table) -> str:
    if table.boolean is not None:
        return ("true" if table.boolean else "false") + "\n"
    text = format_table(table.columns, [[compact(t) for t in row] for row in table.rows])
    if table.more:
        text += (f"(only the first {len(table.rows)} rows are shown: --max-rows N for more, "
                 "or --format csv|tsv|json for all)\n")
    return text


OUTPUT_FORMATS: dict[str, Callable[[Table], str]] = {
    "table": render_table,
    "csv": lambda t: _delimited(t, ","),
    "tsv": lambda t: _delimited(t, "\t"),
    "json": render_json,
}


def render(table: Table, fmt: str) -> str:
    """A result in one of OUTPUT_FORMATS; CONSTRUCT/DESCRIBE results are Turtle."""
    if table.graph is not None:
        return table.graph.serialize(format=formats.get("turtle").plugin)
    if table.boolean is not None and fmt in ("csv", "tsv"):
        return f"boolean\n{'true' if table.boolean else 'false'}\n"
    return OUTPUT_FORMATS[fmt](table)
