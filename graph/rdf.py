"""KnowledgeGraph -> rdflib Dataset, per `rdf-contract.md`; and RDF text in every format.

Which statements a graph makes is decided in `quads` (plain tuples, which is
what `kg build` writes its files from); `to_dataset` wraps the same
statements in an rdflib Dataset for callers that query, validate or export
one. Each account's claims live in a named graph called after the account.

`serialize` is the only way kg writes RDF text from a Dataset, through kg's
rdflib serializer plugins (`TrigWriter` ..., registered in `graph.formats`):
rdflib's own serializers walk hash-ordered sets, so their output changes with
PYTHONHASHSEED; ours sort graphs, subjects and statements so the same graph
gives the same bytes. TriG and Turtle go through Oxigraph's streaming writer
(Rust) fed with sorted statements (`quads.oxigraph_text`): rdflib's
pure-Python Turtle writer took a fifth of a 1,000-account build
(benchmarks/README.md).
"""
from __future__ import annotations

import json
from functools import lru_cache
from typing import IO, Any
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.serializer import Serializer
from rdflib.term import Node as Term

from . import formats, quads
from .model import KnowledgeGraph, Node
from .paths import SCHEMA
from .safetext import xml_chars
from .vocab import DEFAULT_BASE, PREFIXES, RDF, XSD


def typed_date(value: str) -> Literal:
    """An ISO date as precise as known (`quads.date_literal`), as an rdflib term."""
    (lexical, datatype), _ = quads.date_literal(value)
    return Literal(lexical, datatype=URIRef(datatype) if datatype else None)


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


# --- serialization: kg's rdflib serializer plugins, registered in `graph.formats` ---

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
            node: Any
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

    rows: list[tuple[str, str, str, str]] = []
    for g in _as_dataset(ds).contexts():
        gk = quads.DEFAULT_GRAPH_KEY if g.identifier == DATASET_DEFAULT_GRAPH_ID else key(g.identifier)
        rows.extend((gk, key(s), key(p), key(o)) for s, p, o in g.triples((None, None, None)))
    return quads.oxigraph_text(rows, terms, fmt)


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
    # split("\n"), not splitlines(): a literal may hold U+2028, U+0085 or a form feed unescaped,
    # which splitlines() would take for line ends and tear the statement apart
    return "".join(f"{line}\n" for line in sorted({ln for ln in text.split("\n") if ln.strip()}))


class _Writer(Serializer):
    """A serializer plugin writing `text(graph)`, the whole document made in memory and sorted."""

    def text(self, graph: Graph) -> str:
        raise NotImplementedError

    def serialize(self, stream: IO[bytes], base: str | None = None, encoding: str | None = None,
                  **args: Any) -> None:
        stream.write(self.text(self.store).encode(encoding or "utf-8"))


class TrigWriter(_Writer):
    """TriG, one named graph per account, through Oxigraph (`quads.oxigraph_text`)."""

    def text(self, graph: Graph) -> str:
        return _oxigraph_text(_as_dataset(graph), "trig")


class TurtleWriter(_Writer):
    """Turtle of the union, through Oxigraph."""

    def text(self, graph: Graph) -> str:
        return _oxigraph_text(graph, "turtle")


class NQuadsWriter(_Writer):
    """N-Quads, one statement a line, lines sorted."""

    def text(self, graph: Graph) -> str:
        return _sorted_lines(_as_dataset(graph).serialize(format="nquads"))


class NTriplesWriter(_Writer):
    """N-Triples of the union, lines sorted."""

    def text(self, graph: Graph) -> str:
        return _sorted_lines(union(graph).serialize(format="nt"))


class JsonLdWriter(_Writer):
    """JSON-LD with the named graphs and kg's context embedded, every unordered array sorted."""

    def text(self, graph: Graph) -> str:
        text = _as_dataset(graph).serialize(format="json-ld", context=jsonld_context())
        return json.dumps(_sorted_json(json.loads(text)), indent=2, ensure_ascii=False) + "\n"


_XML_ESCAPES = {"\r": "&#13;"}  # as rdflib's own RDF/XML writer escapes element text


class XmlWriter(_Writer):
    """RDF/XML of the union, in the layout of rdflib's "xml" writer, with subjects and statements sorted.

    rdflib's writer walks a graph's subjects in its store's hash order; this one
    walks them sorted by their N3 form, so prefixes it has to invent come out the same too.
    """

    def text(self, graph: Graph) -> str:
        flat = union(graph)
        names = flat.namespace_manager
        predicates = sorted(set(flat.predicates()), key=_key)
        bindings = {"rdf": str(RDF)}
        for predicate in predicates:
            prefix, namespace, _ = names.compute_qname_strict(str(predicate))
            bindings[prefix] = str(namespace)
        out = ['<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF\n']
        out += [f'   xmlns:{prefix}="{ns}"\n' if prefix else f'   xmlns="{ns}"\n'
                for prefix, ns in sorted(bindings.items())]
        out.append(">\n")
        for subject in sorted(set(flat.subjects()), key=_key):
            if isinstance(subject, BNode):
                out.append(f'  <rdf:Description rdf:nodeID="{subject}">\n')
            else:
                out.append(f"  <rdf:Description rdf:about={quoteattr(xml_chars(str(subject)))}>\n")
            for predicate, obj in sorted(flat.predicate_objects(subject), key=lambda po: (_key(po[0]), _key(po[1]))):
                qname = names.qname_strict(str(predicate))
                if isinstance(obj, Literal):
                    attributes = (f' xml:lang="{obj.language}"' if obj.language else "") + (
                        f' rdf:datatype="{obj.datatype}"' if obj.datatype else "")
                    out.append(f"    <{qname}{attributes}>{escape(xml_chars(obj), _XML_ESCAPES)}</{qname}>\n")
                elif isinstance(obj, BNode):
                    out.append(f'    <{qname} rdf:nodeID="{obj}"/>\n')
                else:
                    out.append(f"    <{qname} rdf:resource={quoteattr(xml_chars(str(obj)))}/>\n")
            out.append("  </rdf:Description>\n")
        out.append("</rdf:RDF>\n")
        return "".join(out)


def serialize(ds: Graph, fmt: str) -> str:
    """The graph as text in RDF format `fmt` (a name or alias of `graph.formats`), byte-identical
    for the same statements.

    trig, nquads and jsonld keep the named graphs (one per account, plus the
    shared one); turtle, ntriples and xml write their union.
    """
    return ds.serialize(format=formats.rdf_format(fmt).plugin)
