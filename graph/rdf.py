"""KnowledgeGraph -> rdflib Dataset, per `rdf-contract.md`.

Each account's claims live in a named graph called after the account, so a
query can ask who claims what; entity labels and the event-type scheme live in
one shared graph. IRIs are minted from a configurable base and normalised
names, so rebuilding gives the same IRIs.

`serialize` is the only way kg writes RDF text: rdflib's own serializers walk
hash-ordered sets, so their output changes with PYTHONHASHSEED; ours sorts
graphs, subjects and statements so the same graph gives the same bytes.
TriG and Turtle, the two files every build writes, go through Oxigraph's
streaming writer (Rust) fed with sorted statements: rdflib's pure-Python
Turtle writer took a fifth of a 1,000-account build (benchmarks/README.md).
"""
from __future__ import annotations

import hashlib
import io
import json
import re
import unicodedata
import warnings
from collections.abc import Iterator
from decimal import Decimal
from functools import lru_cache
from typing import Any
from urllib.parse import quote

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.plugins.serializers.rdfxml import XMLSerializer
from rdflib.plugins.serializers.trig import TrigSerializer
from rdflib.term import Node as Term

from .model import EVENT_TYPES, Account, Evidence, KnowledgeGraph, Node
from .paths import SCHEMA
from .vocab import DCTERMS, DEFAULT_BASE, FOAF, KG, OA, ORG, PREFIXES, PROV, RDF, RDFS, SEM, SKOS, XSD

SHARED_GRAPH = "graph/entities"
MAX_MENTIONS = 5  # mention sentences kept per entity and account


def slug(text: str) -> str:
    """Lower-case ASCII words joined by hyphens: the readable part of an IRI."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[^A-Za-z0-9]+", "-", text.lower()).strip("-")
    return text or "x"


def digest(*parts: object) -> str:
    return hashlib.sha1("\x1f".join(map(str, parts)).encode()).hexdigest()[:12]


_DATE_FORMS = (
    (re.compile(r"(\d{4}-\d{2}-\d{2})(?:[T ].*)?"), XSD.date),
    (re.compile(r"(\d{4}-\d{2})"), XSD.gYearMonth),
    (re.compile(r"(\d{4})"), XSD.gYear),
)
DATE_TYPES = frozenset(kind for _, kind in _DATE_FORMS)


def typed_date(value: str) -> Literal:
    """An ISO date as precise as known, typed so SPARQL can compare it.

    A date-time keeps its day (the contract allows no finer type); anything
    else stays a plain string, which `_write_event` declines to write.
    """
    value = value.strip()
    for pattern, kind in _DATE_FORMS:
        match = pattern.fullmatch(value)
        if match:
            return Literal(match.group(1), datatype=kind)
    return Literal(value, datatype=XSD.string)


class Minter:
    """Stable IRIs under one base."""

    def __init__(self, base: str = DEFAULT_BASE):
        self.base = base if base.endswith(("/", "#")) else base + "/"
        self._accounts: dict[str, URIRef] = {}
        self._under: dict[tuple[str, str], str] = {}

    def __call__(self, *path: str) -> URIRef:
        return URIRef(self.base + "/".join(quote(p, safe="-._~") for p in path))

    def account(self, account_id: str) -> URIRef:
        # Minted once per account: every fact of the account names it (quote() is slow).
        iri = self._accounts.get(account_id)
        if iri is None:
            iri = self._accounts[account_id] = self("account", *account_id.replace("#", "/").split("/"))
        return iri

    def under_account(self, kind: str, account_id: str, last: str) -> URIRef:
        """`kind/<account path>/last` (evidence, events), the account part quoted once per account."""
        prefix = self._under.get((kind, account_id))
        if prefix is None:
            prefix = self._under[(kind, account_id)] = str(self(kind, *account_id.replace("#", "/").split("/")))
        return URIRef(f"{prefix}/{quote(last, safe='-._~')}")

    def node(self, node: Node) -> URIRef:
        return self(node.kind if node.kind == "person" else "body", node.id)


def event_type(name: str) -> URIRef:
    return KG[name]


def to_dataset(kg: KnowledgeGraph, base: str = DEFAULT_BASE) -> Dataset:
    mint = Minter(base)
    ds = Dataset()
    for prefix, ns in PREFIXES.items():
        ds.bind(prefix, ns)
    shared = ds.graph(mint(*SHARED_GRAPH.split("/")))
    _write_scheme(shared)
    for node in sorted(kg.nodes.values(), key=lambda n: n.id):
        _write_node(shared, mint, node, kg)

    graphs: dict[str, Graph] = {}
    tellers: dict[str, list[Node]] = {}  # account id -> its tellers, found in one pass over the nodes
    for node in sorted(kg.nodes.values(), key=lambda n: n.id):
        for account_id in node.narrator_of:
            tellers.setdefault(account_id, []).append(node)
    for account in kg.accounts:
        g = graphs[account.id] = ds.graph(mint.account(account.id))
        _write_account(g, mint, account, tellers.get(account.id, []))
    for node in kg.nodes.values():
        by_account: dict[str, list[Evidence]] = {}
        for ev in node.evidence:
            by_account.setdefault(ev.account, []).append(ev)
        for account_id, names in node.names_in.items():
            _write_mention(graphs[account_id], mint, node, account_id, names, by_account.get(account_id, []))
    for role in kg.roles:
        _write_role(graphs[role.evidence.account], mint, role, kg)
    for event in kg.events:
        _write_event(graphs[event.evidence.account], mint, event, kg)
    return ds


def _write_scheme(g: Graph) -> None:
    scheme = KG.EventTypes
    g.add((scheme, RDF.type, SKOS.ConceptScheme))
    g.add((scheme, SKOS.prefLabel, Literal("Event types")))
    for name in EVENT_TYPES:
        g.add((event_type(name), RDF.type, SKOS.Concept))
        g.add((event_type(name), SKOS.prefLabel, Literal(name)))
        g.add((event_type(name), SKOS.inScheme, scheme))


def _write_node(g: Graph, mint: Minter, node: Node, kg: KnowledgeGraph) -> None:
    iri = mint.node(node)
    label = Literal(node.name)
    if node.kind == "person":
        g.add((iri, RDF.type, FOAF.Person))
        g.add((iri, FOAF.name, label))
    else:
        g.add((iri, RDF.type, ORG.Organization))
        g.add((iri, SKOS.prefLabel, label))
        if node.parent and node.parent in kg.nodes:
            g.add((iri, ORG.subOrganizationOf, mint.node(kg.nodes[node.parent])))
    g.add((iri, RDFS.label, label))
    for alias in sorted(node.aliases - {node.name}):
        g.add((iri, SKOS.altLabel, Literal(alias)))


def _write_account(g: Graph, mint: Minter, account: Account, tellers: list[Node]) -> None:
    iri = mint.account(account.id)
    g.add((iri, RDF.type, PROV.Entity))
    g.add((iri, DCTERMS.source, Literal(account.source)))
    g.add((iri, DCTERMS.title, Literal(account.title)))
    if account.date:
        g.add((iri, DCTERMS.date, typed_date(account.date)))
    if account.url:
        g.add((iri, DCTERMS.identifier, Literal(account.url)))
    if account.parent:
        g.add((iri, DCTERMS.isPartOf, mint.account(account.parent)))
    for node in tellers:
        teller = mint.node(node)
        g.add((iri, DCTERMS.creator, teller))
        # the teller exists because this account exists, named or not
        g.add((teller, RDF.type, FOAF.Person))
        g.add((teller, PROV.wasDerivedFrom, iri))


def _evidence(g: Graph, mint: Minter, ev: Evidence) -> URIRef:
    iri = mint.under_account("evidence", ev.account, f"{ev.start}-{ev.end}")
    quote_sel, pos_sel = URIRef(f"{iri}/quote"), URIRef(f"{iri}/position")
    g.add((iri, RDF.type, OA.SpecificResource))
    g.add((iri, OA.hasSource, mint.account(ev.account)))
    g.add((iri, OA.hasSelector, quote_sel))
    g.add((iri, OA.hasSelector, pos_sel))
    g.add((quote_sel, RDF.type, OA.TextQuoteSelector))
    g.add((quote_sel, OA.exact, Literal(ev.text)))
    g.add((pos_sel, RDF.type, OA.TextPositionSelector))
    g.add((pos_sel, OA.start, Literal(ev.start)))
    g.add((pos_sel, OA.end, Literal(ev.end)))
    return iri


def _derive(g: Graph, mint: Minter, subject: URIRef, ev: Evidence) -> None:
    g.add((subject, PROV.wasDerivedFrom, mint.account(ev.account)))
    g.add((subject, KG.evidence, _evidence(g, mint, ev)))
    g.add((subject, KG.confidence, Literal(Decimal(f"{ev.confidence:.2f}"))))


def _write_mention(g: Graph, mint: Minter, node: Node, account_id: str, names: set[str],
                   mentions: list[Evidence]) -> None:
    """`mentions`: the node's evidence in this account (grouped once per node by the caller)."""
    iri = mint.node(node)
    g.add((iri, RDF.type, FOAF.Person if node.kind == "person" else ORG.Organization))
    g.add((iri, PROV.wasDerivedFrom, mint.account(account_id)))
    for name in sorted(names):
        g.add((iri, KG.namedAs, Literal(name)))
    for ev in sorted(mentions, key=lambda e: e.start)[:MAX_MENTIONS]:
        g.add((iri, KG.mentionedIn, _evidence(g, mint, ev)))


def role_iri(mint: Minter, title: str) -> URIRef:
    return mint("role", slug(title))


def _write_role(g: Graph, mint: Minter, role, kg: KnowledgeGraph) -> None:
    person = kg.nodes[role.person]
    body = kg.nodes.get(role.body) if role.body else None
    m = mint("membership", digest(person.id, role.title.lower(), body.id if body else ""))
    r = role_iri(mint, role.title)
    g.add((m, RDF.type, ORG.Membership))
    g.add((m, ORG.member, mint.node(person)))
    g.add((m, ORG.role, r))
    if body:
        g.add((m, ORG.organization, mint.node(body)))
    label = f"{person.name}: {role.title}" + (f", {body.name}" if body else "")
    g.add((m, RDFS.label, Literal(label)))
    g.add((r, RDF.type, ORG.Role))
    g.add((r, SKOS.prefLabel, Literal(role.title)))
    _derive(g, mint, m, role.evidence)


def _write_event(g: Graph, mint: Minter, event, kg: KnowledgeGraph) -> None:
    ev = event.evidence
    e = mint.under_account("event", ev.account, f"{ev.start}-{slug(event.type)}")
    g.add((e, RDF.type, SEM.Event))
    g.add((e, SEM.eventType, event_type(event.type)))
    names = []
    for actor in event.actors:
        node = kg.nodes[actor]
        g.add((e, SEM.hasActor, mint.node(node)))
        names.append(node.name)
    g.add((e, RDFS.label, Literal(f"{event.type}: {', '.join(sorted(names))}" if names else event.type)))
    g.add((e, KG.trigger, Literal(event.trigger)))
    stamp = typed_date(event.date) if event.date else None
    if stamp is not None and stamp.datatype in DATE_TYPES:
        g.add((e, SEM.hasTimeStamp, stamp))
    _derive(g, mint, e, ev)


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
    """TriG (the named graphs) or Turtle (their union), statements in sorted order.

    Oxigraph writes statements in the order given, grouping a run of one graph,
    subject and predicate, so sorting them (by their N-Triples form) first
    makes the bytes deterministic. Its @prefix lines are sorted too, so nothing
    depends on its map order. Statements are read graph by graph: rdflib's
    `quads()` looks up every triple's graphs again, which costs more than the rest.
    """
    import pyoxigraph as ox

    iris: dict[str, tuple[Any, str]] = {}

    def term(t: Term) -> tuple[Any, str]:
        if isinstance(t, URIRef):
            found = iris.get(t)
            if found is None:
                node = ox.NamedNode(t)
                found = iris[t] = (node, str(node))
            return found
        if isinstance(t, Literal):
            node = (ox.Literal(t, language=t.language) if t.language
                    else ox.Literal(t, datatype=ox.NamedNode(t.datatype or _XSD_STRING)))
        else:
            node = ox.BlankNode(str(t))
        return node, str(node)

    graphs = list(_as_dataset(ds).contexts())
    if fmt == "trig":
        rows = []
        for g in graphs:
            default = g.identifier == DATASET_DEFAULT_GRAPH_ID
            gt = (ox.DefaultGraph(), "\uffff") if default else term(g.identifier)  # default graph last
            rows.extend((gt, term(s), term(p), term(o)) for s, p, o in g.triples((None, None, None)))
        rows.sort(key=lambda r: (r[0][1], r[1][1], r[2][1], r[3][1]))
        stream = [ox.Quad(s[0], p[0], o[0], g[0]) for g, s, p, o in rows]
        out_format = ox.RdfFormat.TRIG
    else:
        seen: dict[str, tuple] = {}
        for g in graphs:
            for s, p, o in g.triples((None, None, None)):
                row = (term(s), term(p), term(o))
                seen.setdefault(f"{row[0][1]} {row[1][1]} {row[2][1]}", row)
        stream = [ox.Triple(s[0], p[0], o[0]) for _k, (s, p, o) in sorted(seen.items())]
        out_format = ox.RdfFormat.TURTLE
    text = ox.serialize(stream, format=out_format,
                        prefixes={prefix: str(ns) for prefix, ns in PREFIXES.items()}).decode("utf-8")
    lines = text.split("\n")
    head = 0
    while head < len(lines) and lines[head].startswith("@prefix "):
        head += 1
    body = "\n".join(lines[head:])
    return "".join(f"{line}\n" for line in sorted(lines[:head])) + ("\n" if head else "") + body


class _SortedTrig(TrigSerializer):
    """rdflib's TriG writer, visiting graphs in IRI order instead of set order.

    Within a graph rdflib already sorts subjects and predicates; only the
    graphs themselves come from a hash-ordered set.
    """

    def __init__(self, store: Dataset):
        super().__init__(store)
        self.contexts.sort(key=lambda c: (c.identifier == DATASET_DEFAULT_GRAPH_ID, _key(c.identifier)))


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
    """The friendly JSON-LD context of `schema/context.jsonld` ("name", "actors", ...).

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
