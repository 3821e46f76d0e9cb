"""A built graph (RDF) -> a networkx MultiDiGraph: the view render, export and stats share.

Read from RDF only, so it works on any build on disk (TriG with named graphs or a
plain Turtle union) and never imports spaCy.

Nodes are keyed by IRI (a string) and carry:

=============  ===========================================================================
attribute      value
=============  ===========================================================================
kind           "person", "body", "role" or "event"
label          display name (foaf:name / skos:prefLabel / role title / event label)
iri            the node's IRI (same as the key)
names          list[str]: every name, label first (altLabel, kg:namedAs)
accounts       list[str]: source file names of the accounts that mention it (sorted)
facts          list[dict]: one per piece of evidence, each with kind ("role", "event",
               "mention"), text (what the fact says), account (source file name),
               account_title, sentence (oa:exact), start, end (int offsets),
               confidence (float), date (str, "" if unknown)
date           events only: sem:hasTimeStamp as written ("2016-05"), "" if undated
event_type     events only: Resignation, Meeting, ...
title, body    roles only: the role title, and the body's label ("" if none)
narrator_of    persons only: list[str] of account source names they tell
degree         number of edges touching the node (for sizing)
=============  ===========================================================================

Scalars are str/int/float (GraphML-safe); ``names``, ``accounts``, ``facts`` and
``narrator_of`` are lists, which an exporter should JSON-encode.

Edges (key = ``kind``) carry ``label`` ("holds role", "in body", "took part",
"part of", "member of"), ``kind`` (the same with underscores) and ``accounts``
(list[str]).

Why one role node per org:Membership rather than per title: a title node such as
"Chair" would join every chair of every body into one hub, and the graph could
no longer say who chairs what. A membership node keeps person, title and body
together (person -holds role-> "Chair" -in body-> Labour Group) and holds that
membership's evidence. A plain "Member" title is drawn as one direct
person -member of-> body edge instead, since a node saying only "Member" adds
clutter and nothing else.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Any, Iterable, Iterator

import networkx as nx
from rdflib import Graph, URIRef
from rdflib.term import Node as RdfNode

from .vocab import DCTERMS, FOAF, KG, OA, ORG, PROV, RDF, RDFS, SEM, SKOS

KINDS = ("person", "body", "role", "event")
EDGE_LABELS = {
    "holds_role": "holds role",
    "in_body": "in body",
    "took_part": "took part",
    "part_of": "part of",
    "member_of": "member of",
}
PLAIN_MEMBER = {"member"}

Index = dict[RdfNode, dict[RdfNode, list[tuple[RdfNode, RdfNode | None]]]]


def _quads(ds: Graph) -> Iterator[tuple[RdfNode, RdfNode, RdfNode, RdfNode | None]]:
    """Every statement with the named graph it sits in (None for a plain Graph)."""
    if hasattr(ds, "quads"):
        for s, p, o, g in ds.quads((None, None, None, None)):
            yield s, p, o, getattr(g, "identifier", g)
    else:
        for s, p, o in ds.triples((None, None, None)):
            yield s, p, o, None


class _View:
    """One pass over the statements, indexed by subject and predicate."""

    def __init__(self, ds: Graph):
        self.index: Index = defaultdict(lambda: defaultdict(list))
        self.typed: dict[RdfNode, set[RdfNode]] = defaultdict(set)
        for s, p, o, g in _quads(ds):
            self.index[s][p].append((o, g))
            if p == RDF.type:
                self.typed[o].add(s)

    def all(self, s: RdfNode, p: RdfNode) -> list[RdfNode]:
        return sorted({o for o, _ in self.index.get(s, {}).get(p, [])}, key=str)

    def with_graph(self, s: RdfNode, p: RdfNode) -> list[tuple[RdfNode, RdfNode | None]]:
        return sorted(set(self.index.get(s, {}).get(p, [])), key=lambda x: (str(x[0]), str(x[1])))

    def one(self, s: RdfNode, p: RdfNode, default: str = "") -> str:
        values = self.all(s, p)
        return str(values[0]) if values else default

    def of_type(self, cls: RdfNode) -> list[RdfNode]:
        return sorted(self.typed.get(cls, ()), key=str)


def _num(value: str, cast: type, default: Any) -> Any:
    try:
        return cast(value)
    except (TypeError, ValueError):
        return default


class _Builder:
    def __init__(self, ds: Graph):
        self.v = _View(ds)
        self.g = nx.MultiDiGraph()
        self.accounts = {a: (self.v.one(a, DCTERMS.source) or str(a), self.v.one(a, DCTERMS.title))
                         for a in self.v.of_type(PROV.Entity)}

    def source(self, account: RdfNode) -> str:
        return self.accounts.get(account, (str(account), ""))[0]

    def sources(self, subject: RdfNode) -> list[str]:
        return sorted({self.source(a) for a in self.v.all(subject, PROV.wasDerivedFrom)})

    def facts(self, subject: RdfNode, pred: RdfNode, kind: str, text: str, date: str = "") -> list[dict]:
        """One fact per evidence of `subject`; confidence read in the same named graph."""
        conf_by_graph: dict[RdfNode | None, float] = {}
        for value, graph in self.v.with_graph(subject, KG.confidence):
            conf = _num(str(value), float, 1.0)
            conf_by_graph[graph] = max(conf, conf_by_graph.get(graph, 0.0))
        fallback = max(conf_by_graph.values(), default=1.0)
        out = []
        for ev, graph in self.v.with_graph(subject, pred):
            account = URIRef(self.v.one(ev, OA.hasSource)) if self.v.one(ev, OA.hasSource) else None
            sentence, start, end = "", -1, -1
            for sel in self.v.all(ev, OA.hasSelector):
                if self.v.all(sel, OA.exact):
                    sentence = self.v.one(sel, OA.exact)
                if self.v.all(sel, OA.start):
                    start = _num(self.v.one(sel, OA.start), int, -1)
                    end = _num(self.v.one(sel, OA.end), int, -1)
            src, title = self.accounts.get(account, (str(account or ""), "")) if account else ("", "")
            out.append({"kind": kind, "text": text, "account": src, "account_title": title,
                        "sentence": sentence, "start": start, "end": end,
                        "confidence": round(conf_by_graph.get(graph, fallback), 3), "date": date})
        unique = {(f["account"], f["start"], f["end"], f["sentence"]): f for f in out}
        return [unique[k] for k in sorted(unique)]

    def add_node(self, iri: RdfNode, kind: str, label: str, names: Iterable[str], **attrs: Any) -> None:
        rest = sorted({n for n in names if n and n != label})
        self.g.add_node(str(iri), kind=kind, label=label, iri=str(iri), names=[label, *rest],
                        accounts=self.sources(iri), facts=[], **attrs)

    def add_edge(self, a: RdfNode, b: RdfNode, kind: str, accounts: Iterable[str]) -> None:
        a, b = str(a), str(b)
        if a not in self.g or b not in self.g:
            return
        if self.g.has_edge(a, b, key=kind):
            data = self.g.edges[a, b, kind]
            data["accounts"] = sorted(set(data["accounts"]) | set(accounts))
            return
        self.g.add_edge(a, b, key=kind, kind=kind, label=EDGE_LABELS[kind], accounts=sorted(set(accounts)))

    def fact(self, node: RdfNode, facts: list[dict]) -> None:
        if str(node) in self.g:
            self.g.nodes[str(node)]["facts"].extend(facts)

    def build(self) -> nx.MultiDiGraph:
        v = self.v
        told: dict[RdfNode, set[str]] = defaultdict(set)
        for a in self.accounts:
            for teller in v.all(a, DCTERMS.creator):
                told[teller].add(self.source(a))
        for p in v.of_type(FOAF.Person):
            label = v.one(p, FOAF.name) or v.one(p, RDFS.label) or str(p)
            names = v.all(p, SKOS.altLabel) + v.all(p, KG.namedAs) + v.all(p, FOAF.name)
            self.add_node(p, "person", label, map(str, names), narrator_of=sorted(told[p]))
        for o in v.of_type(ORG.Organization):
            label = v.one(o, SKOS.prefLabel) or v.one(o, RDFS.label) or str(o)
            names = v.all(o, SKOS.altLabel) + v.all(o, KG.namedAs) + v.all(o, SKOS.prefLabel)
            self.add_node(o, "body", label, map(str, names))
        for node in list(self.g.nodes):
            iri = URIRef(node)
            self.fact(iri, self.facts(iri, KG.mentionedIn, "mention", self.g.nodes[node]["label"]))
        for o in v.of_type(ORG.Organization):
            for parent in v.all(o, ORG.subOrganizationOf):
                self.add_edge(o, parent, "part_of", [])
        for m in v.of_type(ORG.Membership):
            self._membership(m)
        for e in v.of_type(SEM.Event):
            self._event(e)
        for node, data in self.g.nodes(data=True):
            data["facts"].sort(key=lambda f: (f["account"], f["start"], f["kind"], f["text"]))
            data["degree"] = self.g.degree(node)
        return self.g

    def _membership(self, m: RdfNode) -> None:
        v = self.v
        person, role, body = v.one(m, ORG.member), v.one(m, ORG.role), v.one(m, ORG.organization)
        if not person or person not in self.g:
            return
        title = v.one(URIRef(role), SKOS.prefLabel) if role else ""
        title = title or v.one(m, RDFS.label) or "Role"
        body_label = self.g.nodes[body]["label"] if body in self.g else ""
        text = f"{title}, {body_label}" if body_label else title
        facts = self.facts(m, KG.evidence, "role", text)
        accounts = self.sources(m)
        self.fact(URIRef(person), facts)
        if body_label:
            self.fact(URIRef(body), [{**f, "text": f"{self.g.nodes[person]['label']}: {text}"} for f in facts])
        if title.strip().lower() in PLAIN_MEMBER and body_label:
            self.add_edge(URIRef(person), URIRef(body), "member_of", accounts)
            return
        self.add_node(m, "role", title, [title], title=title, body=body_label)
        self.g.nodes[str(m)]["facts"].extend(facts)
        self.add_edge(URIRef(person), m, "holds_role", accounts)
        if body_label:
            self.add_edge(m, URIRef(body), "in_body", accounts)

    def _event(self, e: RdfNode) -> None:
        v = self.v
        etype = v.one(URIRef(v.one(e, SEM.eventType)), SKOS.prefLabel) if v.one(e, SEM.eventType) else ""
        etype = etype or "Event"
        label = v.one(e, RDFS.label) or etype
        date = v.one(e, SEM.hasTimeStamp)
        self.add_node(e, "event", label, [label], date=date, event_type=etype)
        facts = self.facts(e, KG.evidence, "event", label, date)
        self.g.nodes[str(e)]["facts"].extend(facts)
        accounts = self.sources(e)
        for actor in v.all(e, SEM.hasActor):
            self.fact(actor, facts)
            self.add_edge(actor, e, "took_part", accounts)


def to_networkx(ds: Graph) -> nx.MultiDiGraph:
    """The networkx view of a built graph (see the module docstring for attributes)."""
    return _Builder(ds).build()


def account_titles(ds: Graph) -> dict[str, str]:
    """Account source name -> title, for every account in the graph."""
    v = _View(ds)
    return {v.one(a, DCTERMS.source) or str(a): v.one(a, DCTERMS.title) for a in v.of_type(PROV.Entity)}


__all__ = ["EDGE_LABELS", "KINDS", "account_titles", "to_networkx"]
