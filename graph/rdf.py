"""KnowledgeGraph -> rdflib Dataset, per `rdf-contract.md`; and RDF text in every format.

Which statements a graph makes is decided in `quads` (plain tuples, which is
what `kg build` writes its files from); `to_dataset` wraps the same
statements in an rdflib Dataset for callers that query, validate or export
one. Each account's claims live in a named graph called after the account.

`serialize` is the only way kg writes RDF text from a Dataset: rdflib's own
serializers walk hash-ordered sets, so their output changes with
PYTHONHASHSEED; ours sorts graphs, subjects and statements so the same graph
gives the same bytes. TriG and Turtle go through Oxigraph's streaming writer
(Rust) fed with sorted statements (`quads.oxigraph_text`): rdflib's
pure-Python Turtle writer took a fifth of a 1,000-account build
(benchmarks/README.md).
"""
from __future__ import annotations

import io
import json
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.plugins.serializers.rdfxml import XMLSerializer
from rdflib.term import Node as Term

from . import quads
from .model import KnowledgeGraph, Node
from .paths import SCHEMA
from .vocab import DEFAULT_BASE, PREFIXES, XSD


def typed_date(value: str) -> Literal:
    """An ISO date as precise as known (`quads.date_literal`), as an rdflib term."""
    (lexical, datatype), _ = quads.date_literal(value)
    return Literal(lexical, datatype=URIRef(datatype))


class Minter:
    """`quads.Minter`'s IRIs as rdflib terms, for callers that look them up in a Dataset."""

    def __init__(self, base: str = DEFAULT_BASE):
        self._mint = quads.Minter(base)
        self.base = self._mint.base

    def __call__(self, *path: str) -> URIRef:
        return URIRef(self._mint(*path))

    def account(self, account_id: str) -> URIRef:
        return URIRef(self._mint.account(account_id))

    def node(self, node: Node) -> URIRef:
        return URIRef(self._mint.node(node))


def to_dataset(kg: KnowledgeGraph, base: str = DEFAULT_BASE) -> Dataset:
    """The graph as an rdflib Dataset: one named graph per account, plus the shared one."""
    ds = Dataset()
    for prefix, ns in PREFIXES.items():
        ds.bind(prefix, ns)
    terms: dict[quads.Term, Term] = {}
    graphs: dict[str, Graph] = {}

    def term(t: quads.Term) -> Term:
        found = terms.get(t)
        if found is None:
            found = terms[t] = (URIRef(t) if t.__class__ is str
                                else Literal(t[0], datatype=URIRef(t[1]) if t[1] else None))
        return found

    def graph(iri: str) -> Graph:
        found = graphs.get(iri)
        if found is None:
            found = graphs[iri] = ds.graph(URIRef(iri))
        return found

    ds.addN((term(s), term(p), term(o), graph(g)) for g, s, p, o in quads.statements(kg, base))
    return ds


# --- serialization ---------------------------------------------------------

FORMATS = ("turtle", "trig", "nquads", "ntriples", "json-ld", "xml")
ALIASES = {"ttl": "turtle", "nt": "ntriples", "nq": "nquads", "jsonld": "json-ld",
           "rdfxml": "xml", "rdf": "xml", "pretty-xml": "xml"}
QUAD_FORMATS = frozenset({"trig", "nquads", "json-ld"})  # keep the named graphs


def _key(term: Term) -> str:
    return term.n3()


def union(ds: Graph) -> Graph:
    """Every statement of every named graph in one plain graph: the Turtle view."""
    g = Graph(bind_namespaces="none")
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    for s, p, o, *_ in ds.quads((None, None, None)) if isinstance(ds, Dataset) else ds:
        g.add((s, p, o))
    return g


def _as_dataset(g: Graph) -> Dataset:
    if isinstance(g, Dataset):
        return g
    ds = Dataset()
    for prefix, ns in PREFIXES.items():
        ds.bind(prefix, ns)
    ds.default_graph.addN((s, p, o, ds.default_graph) for s, p, o in g)
    return ds


_XSD_STRING = str(XSD.string)  # attribute access on rdflib's namespaces is slow in a loop


def _oxigraph_text(ds: Graph, fmt: str) -> str:
    """TriG or Turtle of an rdflib graph, through `quads.oxigraph_text`.

    Statements are read graph by graph: rdflib's `quads()` looks up every
    triple's graphs again, which costs more than the rest.
    """
    import pyoxigraph as ox

    keys: dict[Term, str] = {}
    terms: dict[str, Any] = {quads.DEFAULT_GRAPH_KEY: ox.DefaultGraph()}

    def key(t: Term) -> str:
        found = keys.get(t)
        if found is None:
            if isinstance(t, URIRef):
                node = ox.NamedNode(t)
            elif isinstance(t, Literal):
                node = (ox.Literal(t, language=t.language) if t.language
                        else ox.Literal(t, datatype=ox.NamedNode(t.datatype or _XSD_STRING)))
            else:
                node = ox.BlankNode(str(t))
            found = keys[t] = str(node)
            terms[found] = node
        return found

    rows = []
    for g in _as_dataset(ds).contexts():
        gk = quads.DEFAULT_GRAPH_KEY if g.identifier == DATASET_DEFAULT_GRAPH_ID else key(g.identifier)
        rows.extend((gk, key(s), key(p), key(o)) for s, p, o in g.triples((None, None, None)))
    return quads.oxigraph_text(rows, terms, fmt)


class _SortedGraph(Graph):
    """A graph whose subject and predicate walks are sorted, for the RDF/XML writer."""

    def subjects(self, predicate: Any = None, object: Any = None, unique: bool = False) -> Iterator[Any]:
        return iter(sorted(set(super().subjects(predicate, object)), key=_key))

    def predicate_objects(self, subject: Any = None, unique: bool = False) -> Iterator[Any]:
        pairs = set(super().predicate_objects(subject))
        return iter(sorted(pairs, key=lambda po: (_key(po[0]), _key(po[1]))))


def _sorted_json(value: Any, key: str | None = None) -> Any:
    """JSON-LD with every unordered array sorted (`@list` keeps its order)."""
    if isinstance(value, dict):
        return {k: _sorted_json(v, k) for k, v in sorted(value.items())}
    if isinstance(value, list):
        items = [_sorted_json(v) for v in value]
        if key == "@list":
            return items
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value


@lru_cache(maxsize=1)
def jsonld_context() -> dict[str, Any]:
    """The friendly JSON-LD context of `graph/schema/context.jsonld` ("name", "actors", ...).

    Embedded in every JSON-LD file so a reader needs nothing from the network;
    plain prefixes if the schema folder is missing (a non-editable install).
    """
    try:
        return json.loads((SCHEMA / "context.jsonld").read_text(encoding="utf-8"))["@context"]
    except FileNotFoundError:
        return {prefix: str(ns) for prefix, ns in sorted(PREFIXES.items())}


def _sorted_lines(text: str) -> str:
    """Line formats escape newlines inside literals: one statement per line."""
    return "".join(f"{line}\n" for line in sorted({ln for ln in text.splitlines() if ln.strip()}))


def serialize(ds: Graph, fmt: str) -> str:
    """The graph as text in `fmt`, byte-identical for the same statements.

    trig, nquads and json-ld keep the named graphs (one per account, plus the
    shared one); turtle, ntriples and xml write their union.
    """
    fmt = ALIASES.get(fmt.lower(), fmt.lower())
    if fmt not in FORMATS:
        raise ValueError(f"unknown RDF format {fmt!r} (expected one of {', '.join(FORMATS)})")
    if fmt in QUAD_FORMATS:
        data = _as_dataset(ds)
        if fmt == "trig":
            return _oxigraph_text(data, "trig")
        if fmt == "nquads":
            return _sorted_lines(data.serialize(format="nquads"))
        text = data.serialize(format="json-ld", context=jsonld_context())
        return json.dumps(_sorted_json(json.loads(text)), indent=2, ensure_ascii=False) + "\n"
    if fmt == "turtle":
        return _oxigraph_text(ds, "turtle")
    flat = union(ds)
    if fmt == "ntriples":
        return _sorted_lines(flat.serialize(format="nt"))
    ordered = _SortedGraph(bind_namespaces="none")
    for prefix, ns in PREFIXES.items():
        ordered.bind(prefix, ns)
    ordered += flat
    stream = io.BytesIO()
    XMLSerializer(ordered).serialize(stream, encoding="utf-8")
    return stream.getvalue().decode("utf-8")
