"""A built graph (RDF) -> a networkx MultiDiGraph: the view render, export and stats share.

Read from RDF only, so it works on any build on disk (TriG with named graphs or a
plain Turtle union) and never imports spaCy; `kg build` hands it its own
statements (`quads.graphs`) instead, the same view without an rdflib round trip.

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

from collections import Counter, defaultdict
from typing import Any, Iterable, Iterator, Union

import networkx as nx
from rdflib import Graph

from .quads import (A, ACTOR, ALT, CONFIDENCE, CREATOR, DERIVED, ENTITY, EVENT, EVENT_TYPE, EVIDENCE,
                    EXACT, END, HAS_SELECTOR, HAS_SOURCE, IN_ORG, LABEL, MEMBER, MEMBERSHIP, MENTIONED_IN,
                    NAME, NAMED_AS, ORG_ROLE, ORGANIZATION, PERSON, PREF, SOURCE, START, SUB_ORG,
                    TIME_STAMP, TITLE, Graphs)

KINDS = ("person", "body", "role", "event")
EDGE_LABELS = {
    "holds_role": "holds role",
    "in_body": "in body",
    "took_part": "took part",
    "part_of": "part of",
    "member_of": "member of",
}
PLAIN_MEMBER = {"member"}

# (subject, predicate, object, graph), each a plain string: an IRI, or a literal's
# lexical form; graph None in a plain graph. Every value the view shows goes through
# str() anyway, and plain strings are what a build's statements already are
# (`quads.graphs`, literals there as (lexical form, datatype) pairs), so the view
# never needs rdflib terms.
PlainQuad = tuple[str, str, str, Union[str, None]]
Index = dict[str, dict[str, list[tuple[str, Union[str, None]]]]]
_NONE: dict = {}


def _quads(ds: Graph) -> Iterator[PlainQuad]:
    """Every statement of an rdflib graph with the named graph it sits in (None for a plain Graph)."""
    if hasattr(ds, "quads"):
        for s, p, o, g in ds.quads((None, None, None, None)):
            g = getattr(g, "identifier", g)
            yield str(s), str(p), str(o), None if g is None else str(g)
    else:
        for s, p, o in ds.triples((None, None, None)):
            yield str(s), str(p), str(o), None


class _View:
    """One pass over the statements, indexed by subject and predicate."""

    def __init__(self, source: Graphs | Iterable[PlainQuad]):
        self.index: Index = {}
        self.typed: dict[str, set[str]] = defaultdict(set)
        self._first: dict[tuple[str, str], str] = {}
        index = self.index
        # A build's own statements come by graph, a literal as a (lexical form, datatype) pair.
        by_graph = source.items() if isinstance(source, dict) else (
            (g, ((s, p, o),)) for s, p, o, g in source)
        for g, triples in by_graph:
            for s, p, o in triples:
                if o.__class__ is tuple:
                    o = o[0]
                by_predicate = index.get(s)
                if by_predicate is None:
                    by_predicate = index[s] = {}
                found = by_predicate.get(p)
                if found is None:
                    by_predicate[p] = [(o, g)]
                else:
                    found.append((o, g))
                if p == A:
                    self.typed[o].add(s)

    def all(self, s: str, p: str) -> list[str]:
        found = self.index.get(s, _NONE).get(p)
        if not found:
            return []
        return [found[0][0]] if len(found) == 1 else sorted({o for o, _ in found})

    def with_graph(self, s: str, p: str) -> list[tuple[str, str | None]]:
        found = self.index.get(s, _NONE).get(p)
        if not found:
            return []
        return found[:] if len(found) == 1 else sorted(set(found), key=lambda x: (x[0], str(x[1])))

    def one(self, s: str, p: str, default: str = "") -> str:
        """The first of `all(s, p)`, without sorting them all (called for nearly every statement).

        A role's title is stated once in every account naming the role, and
        read for every membership: the first of such long lists is kept.
        """
        found = self.index.get(s, _NONE).get(p)
        if not found:
            return default
        if len(found) == 1:
            return found[0][0]
        first = self._first.get((s, p))
        if first is None:
            first = self._first[(s, p)] = min(o for o, _ in found)
        return first

    def of_type(self, cls: str) -> list[str]:
        return sorted(self.typed.get(cls, ()))


def _num(value: str, cast: type, default: Any) -> Any:
    try:
        return cast(value)
    except (TypeError, ValueError):
        return default


def _plain(source: Graph | Graphs | Iterable[PlainQuad]) -> Graphs | Iterable[PlainQuad]:
    return _quads(source) if isinstance(source, Graph) else source


class _Builder:
    def __init__(self, source: Graph | Graphs | Iterable[PlainQuad]):
        self.v = _View(_plain(source))
        self.g = nx.MultiDiGraph()
        self.accounts = {a: (self.v.one(a, SOURCE) or a, self.v.one(a, TITLE))
                         for a in self.v.of_type(ENTITY)}
        self._evidence: dict[str, tuple[str, str, str, int, int]] = {}
        self._degree: Counter[str] = Counter()

    def source(self, account: str) -> str:
        return self.accounts.get(account, (account, ""))[0]

    def sources(self, subject: str) -> list[str]:
        return sorted({self.source(a) for a in self.v.all(subject, DERIVED)})

    def facts(self, subject: str, pred: str, kind: str, text: str, date: str = "") -> list[dict]:
        """One fact per evidence of `subject`; confidence read in the same named graph."""
        conf_by_graph: dict[str | None, float] = {}
        for value, graph in self.v.with_graph(subject, CONFIDENCE):
            conf = _num(value, float, 1.0)
            conf_by_graph[graph] = max(conf, conf_by_graph.get(graph, 0.0))
        fallback = max(conf_by_graph.values(), default=1.0)
        unique: dict[tuple[str, int, int, str], dict] = {}  # the last of equal sentences wins
        for ev, graph in self.v.with_graph(subject, pred):
            src, title, sentence, start, end = self.evidence(ev)
            unique[(src, start, end, sentence)] = {
                "kind": kind, "text": text, "account": src, "account_title": title, "sentence": sentence,
                "start": start, "end": end, "confidence": round(conf_by_graph.get(graph, fallback), 3),
                "date": date}
        return [unique[k] for k in sorted(unique)]

    def evidence(self, ev: str) -> tuple[str, str, str, int, int]:
        """(account source, account title, sentence, start, end) of an evidence resource.

        Read once per resource: every entity named in a sentence points at the same one.
        """
        known = self._evidence.get(ev)
        if known is None:
            v = self.v
            account = v.one(ev, HAS_SOURCE)
            sentence, start, end = "", -1, -1
            for sel in v.all(ev, HAS_SELECTOR):
                sentence = v.one(sel, EXACT, sentence)
                first = v.one(sel, START)
                if first:
                    start = _num(first, int, -1)
                    end = _num(v.one(sel, END), int, -1)
            src, title = self.accounts.get(account, (account, "")) if account else ("", "")
            known = self._evidence[ev] = (src, title, sentence, start, end)
        return known

    def add_node(self, iri: str, kind: str, label: str, names: Iterable[str], **attrs: Any) -> None:
        rest = sorted({n for n in names if n and n != label})
        self.g.add_node(iri, kind=kind, label=label, iri=iri, names=[label, *rest],
                        accounts=self.sources(iri), facts=[], **attrs)

    def add_edge(self, a: str, b: str, kind: str, accounts: Iterable[str]) -> None:
        if a not in self.g or b not in self.g:
            return
        if self.g.has_edge(a, b, key=kind):
            data = self.g.edges[a, b, kind]
            data["accounts"] = sorted(set(data["accounts"]) | set(accounts))
            return
        self.g.add_edge(a, b, key=kind, kind=kind, label=EDGE_LABELS[kind], accounts=sorted(set(accounts)))
        self._degree[a] += 1  # networkx would sum each node's adjacency again to say this
        self._degree[b] += 1

    def fact(self, node: str, facts: list[dict]) -> None:
        if node in self.g:
            self.g.nodes[node]["facts"].extend(facts)

    def build(self) -> nx.MultiDiGraph:
        v = self.v
        told: dict[str, set[str]] = defaultdict(set)
        for a in self.accounts:
            for teller in v.all(a, CREATOR):
                told[teller].add(self.source(a))
        for p in v.of_type(PERSON):
            label = v.one(p, NAME) or v.one(p, LABEL) or p
            names = v.all(p, ALT) + v.all(p, NAMED_AS) + v.all(p, NAME)
            self.add_node(p, "person", label, names, narrator_of=sorted(told[p]))
        for o in v.of_type(ORGANIZATION):
            label = v.one(o, PREF) or v.one(o, LABEL) or o
            names = v.all(o, ALT) + v.all(o, NAMED_AS) + v.all(o, PREF)
            self.add_node(o, "body", label, names)
        for node in list(self.g.nodes):
            self.fact(node, self.facts(node, MENTIONED_IN, "mention", self.g.nodes[node]["label"]))
        for o in v.of_type(ORGANIZATION):
            for parent in v.all(o, SUB_ORG):
                self.add_edge(o, parent, "part_of", [])
        for m in v.of_type(MEMBERSHIP):
            self._membership(m)
        for e in v.of_type(EVENT):
            self._event(e)
        for node, data in self.g.nodes(data=True):
            data["facts"].sort(key=lambda f: (f["account"], f["start"], f["kind"], f["text"]))
            data["degree"] = self._degree[node]
        return self.g

    def _membership(self, m: str) -> None:
        v = self.v
        person, role, body = v.one(m, MEMBER), v.one(m, ORG_ROLE), v.one(m, IN_ORG)
        if not person or person not in self.g:
            return
        title = v.one(role, PREF) if role else ""
        title = title or v.one(m, LABEL) or "Role"
        body_label = self.g.nodes[body]["label"] if body in self.g else ""
        text = f"{title}, {body_label}" if body_label else title
        facts = self.facts(m, EVIDENCE, "role", text)
        accounts = self.sources(m)
        self.fact(person, facts)
        if body_label:
            self.fact(body, [{**f, "text": f"{self.g.nodes[person]['label']}: {text}"} for f in facts])
        if title.strip().lower() in PLAIN_MEMBER and body_label:
            self.add_edge(person, body, "member_of", accounts)
            return
        self.add_node(m, "role", title, [title], title=title, body=body_label)
        self.g.nodes[m]["facts"].extend(facts)
        self.add_edge(person, m, "holds_role", accounts)
        if body_label:
            self.add_edge(m, body, "in_body", accounts)

    def _event(self, e: str) -> None:
        v = self.v
        etype = v.one(v.one(e, EVENT_TYPE), PREF) if v.one(e, EVENT_TYPE) else ""
        etype = etype or "Event"
        label = v.one(e, LABEL) or etype
        date = v.one(e, TIME_STAMP)
        self.add_node(e, "event", label, [label], date=date, event_type=etype)
        facts = self.facts(e, EVIDENCE, "event", label, date)
        self.g.nodes[e]["facts"].extend(facts)
        accounts = self.sources(e)
        for actor in v.all(e, ACTOR):
            self.fact(actor, facts)
            self.add_edge(actor, e, "took_part", accounts)


def to_networkx(source: Graph | Graphs | Iterable[PlainQuad]) -> nx.MultiDiGraph:
    """The networkx view of a built graph (see the module docstring for attributes).

    `source`: an rdflib graph, plain (subject, predicate, object, graph)
    strings, or a build's own statements by graph (`quads.graphs`), so a
    build draws its page without an rdflib round trip.
    """
    return _Builder(source).build()


def account_titles(source: Graph | Graphs | Iterable[PlainQuad]) -> dict[str, str]:
    """Account source name -> title, for every account in the graph."""
    v = _View(_plain(source))
    return {v.one(a, SOURCE) or a: v.one(a, TITLE) for a in v.of_type(ENTITY)}


__all__ = ["EDGE_LABELS", "KINDS", "account_titles", "to_networkx"]
