"""The SPARQL 1.1 Protocol over the served store: read-only, time-limited, size-capped.

What reaches Oxigraph has passed `graph.query.check_query`, the check `kg
query` makes: updates are refused (403 here), SERVICE is refused (kg makes no
network requests from a query), malformed text gets rdflib's parser message
(400). The contract's prefixes are predeclared, as in `kg query`.

The answer is read row by row in a worker thread that stops at `max_rows`
(the rest are left out and the response says so in `Kg-Rows-Left-Out`) or at
the deadline; the request waits for it `timeout` seconds at most, then
answers 503 and the worker stops at its next row. Rows are written as SPARQL
JSON results, and for the other formats handed to Oxigraph's own result
parser and serialisers (XML, CSV, TSV), so every format carries the same rows.
"""
from __future__ import annotations

import io
import json
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import pyoxigraph as ox

from ..errors import KgError
from ..query import Checked, UpdateRefused, check_query
from ..vocab import PREFIXES
from .oxstore import XSD_STRING, GraphStore

PREFIX_MAP = {prefix: str(ns) for prefix, ns in PREFIXES.items()}

# media type -> Oxigraph format, for SELECT and ASK answers; the first is the default
RESULT_TYPES: dict[str, Any] = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
ALIASES = {"application/json": "application/sparql-results+json",
           "application/xml": "application/sparql-results+xml", "text/xml": "application/sparql-results+xml"}
# media type -> Oxigraph format, for CONSTRUCT and DESCRIBE answers
GRAPH_TYPES: dict[str, Any] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}


class ProtocolError(KgError):
    """A request the endpoint will not answer, with the HTTP status to answer it with."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Limits:
    timeout: float = 30.0      # seconds a query may run (0: no limit)
    max_rows: int = 10_000     # rows (or triples) an answer holds at most (0: no limit)


@dataclass
class Answer:
    body: bytes
    media_type: str
    left_out: bool = False      # rows past max_rows were not sent
    headers: dict[str, str] = field(default_factory=dict)


def negotiate(accept: str | None, offered: Iterable[str]) -> str:
    """The offered media type the Accept header likes best (q-values, wildcards); the first one if none given."""
    offered = list(offered)
    if not accept or not accept.strip():
        return offered[0]
    best: tuple[float, int, str] | None = None
    for order, item in enumerate(accept.split(",")):
        kind, *params = [part.strip() for part in item.split(";")]
        kind = ALIASES.get(kind.lower(), kind.lower())
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if q <= 0:
            continue
        if kind in ("*/*", "*"):
            matches = offered[:1]
        elif kind.endswith("/*"):
            matches = [o for o in offered if o.startswith(kind[:-1])][:1]
        else:
            matches = [kind] if kind in offered else []
        for match in matches:
            rank = (q, -order, match)
            if best is None or rank[:2] > best[:2]:
                best = rank
    if best is None:
        raise ProtocolError(406, f"none of the media types asked for ({accept}) can be given; "
                                 f"ask for one of: {', '.join(offered)}")
    return best[2]


@lru_cache(maxsize=256)
def checked(text: str) -> Checked:
    """`check_query`, once per distinct text (rdflib's parser is slow next to Oxigraph)."""
    try:
        return check_query(text)
    except UpdateRefused as exc:
        raise ProtocolError(403, f"this SPARQL endpoint is read-only: SPARQL updates ({exc.verb}) are refused; "
                                 "kg serve rebuilds the graph from the account files it watches") from None
    except KgError as exc:
        raise ProtocolError(400, exc.message) from None


def _json_term(term: Any) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != XSD_STRING:
        out["datatype"] = term.datatype.value
    return out


class _Run:
    """One query read in a worker thread, up to the cap or the deadline."""

    def __init__(self, store: GraphStore, text: str, limits: Limits,
                 default_graph: list[str], named_graphs: list[str], results_format: Any = None) -> None:
        self.done = threading.Event()
        self.stop = threading.Event()
        self.result: Any = None
        self.error: BaseException | None = None
        self.args = (store, text, limits, default_graph, named_graphs)
        self.results_format = results_format  # with no row cap, solutions are written by Oxigraph itself

    def work(self) -> None:
        store, text, limits, default_graph, named_graphs = self.args
        answer: Any = None
        try:
            answer = store.query(text, PREFIX_MAP, default_graph, named_graphs)
            if isinstance(answer, ox.QueryBoolean):
                self.result = ("boolean", bool(answer), False)
            elif isinstance(answer, ox.QuerySolutions) and not limits.max_rows and self.results_format:
                # nothing to count: Oxigraph writes the whole answer (800,000 rows in seconds,
                # where a Python dict per row took minutes)
                self.result = ("body", answer.serialize(format=self.results_format), False)
            elif isinstance(answer, ox.QuerySolutions):
                names = [v.value for v in answer.variables]
                rows, more = self._read(answer, limits.max_rows,
                                        lambda s: {n: _json_term(s[n]) for n in names if s[n] is not None})
                self.result = ("solutions", (names, rows), more)
            else:
                triples, more = self._read(answer, limits.max_rows, lambda t: t)
                self.result = ("triples", triples, more)
        except BaseException as exc:  # handed to the request, answered there
            # without its traceback, whose frames would keep `answer` alive past this thread
            self.error = exc.with_traceback(None)
        finally:
            # Oxigraph's answer objects may only be freed by the thread that made them: here, now
            answer = None
            self.done.set()

    def _read(self, answer: Any, cap: int, convert: Any) -> tuple[list[Any], bool]:
        rows: list[Any] = []
        for item in answer:
            if self.stop.is_set():
                return rows, True
            if cap and len(rows) >= cap:
                return rows, True
            rows.append(convert(item))
        return rows, False


def evaluate(store: GraphStore, text: str, accept: str | None, limits: Limits,
             default_graph: list[str] | None = None, named_graphs: list[str] | None = None) -> Answer:
    """The answer to one query, in the format `accept` asks for; ProtocolError for what is refused."""
    kind = checked(text)
    # CONSTRUCT and DESCRIBE answer with a graph (known from rdflib's parse, never the text)
    is_graph = kind.form in ("ConstructQuery", "DescribeQuery")
    media = negotiate(accept, GRAPH_TYPES if is_graph else RESULT_TYPES)
    run = _Run(store, text, limits, default_graph or [], named_graphs or [],
               None if is_graph else RESULT_TYPES[media])
    started = time.monotonic()
    threading.Thread(target=run.work, name="kg-sparql", daemon=True).start()
    if not run.done.wait(limits.timeout if limits.timeout > 0 else None):
        run.stop.set()
        raise ProtocolError(503, f"the query ran longer than {limits.timeout:g} s and was stopped "
                                 "(kg serve --timeout SECONDS allows more)")
    if run.error is not None:
        if isinstance(run.error, SyntaxError):
            raise ProtocolError(400, f"malformed SPARQL: {' '.join(str(run.error).split())[:300]}")
        first = (str(run.error).strip().splitlines() or [type(run.error).__name__])[0]
        raise ProtocolError(400, f"query failed: {first}")
    what, value, more = run.result
    headers = {"Kg-Seconds": f"{time.monotonic() - started:.4f}"}
    if more:
        headers["Kg-Rows-Left-Out"] = f"only the first {limits.max_rows} were sent (kg serve --max-rows N for more)"
    if what == "body":
        return Answer(value, media, more, headers)
    if what == "triples":
        body = ox.serialize(value, format=GRAPH_TYPES[media], prefixes=PREFIX_MAP) or b""
        return Answer(body, media, more, headers)
    if what == "boolean":
        data: dict[str, Any] = {"head": {}, "boolean": value}
    else:
        names, rows = value
        data = {"head": {"vars": names}, "results": {"bindings": rows}}
    body = json.dumps(data, ensure_ascii=False).encode("utf-8")
    if media != "application/sparql-results+json":
        out = io.BytesIO()
        ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON).serialize(out, format=RESULT_TYPES[media])
        body = out.getvalue()
    return Answer(body, media, more, headers)

