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

from itertools import repeat
from operator import itemgetter
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
# subject -> predicate -> its objects, each followed by its graph: [o1, g1, o2, g2, ...].
# Flat rather than a list of (o, g) pairs: a big build has some 120,000 entries, most
# holding one object, and each tuple saved is one less to make, read through and free.
Index = dict[str, dict[str, list]]
# node -> neighbour -> edge key -> edge attributes: how networkx keeps a MultiDiGraph's edges.
Adjacency = dict[str, dict[str, dict[str, dict[str, Any]]]]
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


def _least(found: list | None, default: str = "") -> str:
    """The least object of an index entry (the first when all are sorted), or `default` if none."""
    if not found:
        return default
    return found[0] if len(found) == 2 else min(found[::2])


def _objects(found: list | None) -> list[str]:
    """The objects of an index entry, sorted, each once (one or two: no set, no sort)."""
    if not found:
        return []
    if len(found) == 2:
        return [found[0]]
    if len(found) == 4:  # an evidence's two selectors, an event's two actors
        a, b = found[0], found[2]
        return [a, b] if a < b else [b, a] if b < a else [a]
    return sorted(set(found[::2]))


def _by_value_and_graph(pair: tuple[str, str | None]) -> tuple[str, str]:
    """Sort key of (object, graph) pairs: a plain Graph's graph is None."""
    return pair[0], str(pair[1])


def _pairs(found: list) -> list[tuple[str, str | None]]:
    """(object, graph) of an index entry, each once, sorted (most entries hold one: no sort)."""
    if len(found) == 2:
        return [(found[0], found[1])]
    return sorted(set(zip(found[::2], found[1::2])), key=_by_value_and_graph)


# The classes the view asks for the members of: evidence and selectors (most typed subjects) are not among them.
_CLASSES = (ENTITY, PERSON, ORGANIZATION, MEMBERSHIP, EVENT)


class _View:
    """One pass over the statements, indexed by subject and predicate; rdf:type by class instead.

    Types are only ever asked as "every subject of this class", so they stay out
    of the index (a quarter of a build's statements), and only `_CLASSES` are kept.
    """

    def __init__(self, source: Graphs | Iterable[PlainQuad]):
        self.index: Index = {}
        self.typed: dict[str, set[str]] = {cls: set() for cls in _CLASSES}
        self._first: dict[tuple[str, str], str] = {}
        index, typed = self.index, self.typed
        # A build's own statements come by graph, a literal as a (lexical form, datatype) pair.
        by_graph = source.items() if isinstance(source, dict) else (
            (g, ((s, p, o),)) for s, p, o, g in source)
        last = by_predicate = None
        for g, triples in by_graph:
            for s, p, o in triples:
                if o.__class__ is tuple:
                    o = o[0]
                if p == A:
                    members = typed.get(o)
                    if members is not None:
                        members.add(s)
                    continue
                if s is not last:  # a subject's statements mostly come together: look it up once
                    last = s
                    by_predicate = index.get(s)
                    if by_predicate is None:
                        by_predicate = index[s] = {}
                found = by_predicate.get(p)
                if found is None:
                    by_predicate[p] = [o, g]
                else:
                    found += o, g

    def all(self, s: str, p: str) -> list[str]:
        return _objects(self.index.get(s, _NONE).get(p))

    def one(self, s: str, p: str, default: str = "") -> str:
        """The first of `all(s, p)`, without sorting them all (called for nearly every statement).

        A role's title is stated once in every account naming the role, and
        read for every membership: the first of such long lists is kept.
        """
        found = self.index.get(s, _NONE).get(p)
        if not found:
            return default
        if len(found) == 2:
            return found[0]
        first = self._first.get((s, p))
        if first is None:
            first = self._first[(s, p)] = min(found[::2])
        return first

    def of_type(self, cls: str) -> list[str]:
        """Every subject of `cls`, one of `_CLASSES`, sorted."""
        return sorted(self.typed[cls])


def _num(value: str, cast: type, default: Any) -> Any:
    try:
        return cast(value)
    except (TypeError, ValueError):
        return default


_NO_CONFIDENCE: tuple[dict[str | None, float], float] = ({}, 1.0)  # shared: never written to


def _confidences(found: list | None) -> tuple[dict[str | None, float], float]:
    """A subject's confidence per named graph, rounded as facts show it, and the highest for the others.

    Read once per subject rather than per fact. A graph stating several keeps
    the highest; in sorted order, so that even NaN compares as it always did.
    """
    if not found:
        return _NO_CONFIDENCE
    if len(found) == 2:  # one, in one graph (most subjects): every graph's is that one
        return _NONE, round(max(_num(found[0], float, 1.0), 0.0), 3)
    best: dict[str | None, float] = {}
    for value, graph in _pairs(found):
        best[graph] = max(_num(value, float, 1.0), best.get(graph, 0.0))
    fallback = round(max(best.values()), 3)
    return {graph: round(conf, 3) for graph, conf in best.items()}, fallback


def _plain(source: Graph | Graphs | Iterable[PlainQuad]) -> Graphs | Iterable[PlainQuad]:
    return _quads(source) if isinstance(source, Graph) else source


_FACT_ORDER = itemgetter("account", "start", "kind", "text")
EvidenceRow = tuple[str, str, str, int, int]  # (account source, account title, sentence, start, end): not model.Evidence


def _fact(kind: str, text: str, evidence: EvidenceRow, confidence: float, date: str) -> dict[str, Any]:
    src, title, sentence, start, end = evidence
    return {"kind": kind, "text": text, "account": src, "account_title": title, "sentence": sentence,
            "start": start, "end": end, "confidence": confidence, "date": date}


class _Builder:
    """Nodes and edges gathered in the plain dicts networkx keeps, then handed to a graph in one go.

    Why not build the networkx graph as we go: every lookup through its node
    and edge views is a Python call, the build asks tens of thousands of them,
    and its methods copy every attribute dict. The graph made at the end is
    the same one (`_multidigraph`): nodes and edges are added in the order
    they were first met, each with the same attributes.
    Per-subject reads take the subject's index entry (`about`), looked up once.
    """

    def __init__(self, source: Graph | Graphs | Iterable[PlainQuad]):
        v = self.v = _View(_plain(source))
        self.index = v.index
        self.accounts = {a: (v.one(a, SOURCE) or a, v.one(a, TITLE)) for a in v.of_type(ENTITY)}
        self.source_of = {a: source for a, (source, _) in self.accounts.items()}
        self.nodes: dict[str, dict[str, Any]] = {}
        self.succ: Adjacency = {}
        self.pred: Adjacency = {}
        self.degree: dict[str, int] = {}  # networkx would sum each node's adjacency again to say this
        self._evidence: dict[str, EvidenceRow] = {}
        self._confidence: dict[str, tuple[dict[str | None, float], float]] = {}

    def confidences(self, found: list | None) -> tuple[dict[str | None, float], float]:
        """`_confidences`; a single one read once per value (a build states a handful, thousands of times)."""
        if not found or len(found) != 2:
            return _confidences(found)
        known = self._confidence.get(found[0])
        if known is None:
            known = self._confidence[found[0]] = _confidences(found)
        return known

    def sources(self, about: dict[str, list]) -> list[str]:
        """Source names of the accounts a subject is derived from, sorted, each once."""
        found = about.get(DERIVED)
        if not found:
            return []
        source_of = self.source_of
        if len(found) == 2:
            account = found[0]
            return [source_of.get(account, account)]
        accounts = found[::2]  # a body named in every account has hundreds: mapped in C
        return sorted(set(map(source_of.get, accounts, accounts)))

    def facts(self, about: dict[str, list], pred: str, kind: str, text: str, date: str = "") -> list[dict]:
        """One fact per evidence of a subject; confidence read in the same named graph."""
        found = about.get(pred)
        if not found:
            return []
        confidence, fallback = self.confidences(about.get(CONFIDENCE))
        known = self._evidence
        if len(found) == 2:  # one piece of evidence: most subjects
            ev = found[0]
            return [_fact(kind, text, known.get(ev) or self.evidence(ev), confidence.get(found[1], fallback), date)]
        # With one confidence for every graph (or none), a piece of evidence stated in several graphs
        # makes one fact: its graphs need not be read. The last of equal sentences wins.
        unique: dict[tuple[str, int, int, str], dict] = {}
        for ev, graph in _pairs(found) if confidence else zip(_objects(found), repeat(None)):
            evidence = known.get(ev) or self.evidence(ev)
            unique[evidence[0], evidence[3], evidence[4], evidence[2]] = _fact(
                kind, text, evidence, confidence.get(graph, fallback), date)
        if len(unique) == 1:
            return [*unique.values()]
        return [unique[k] for k in sorted(unique)]

    def read_evidence(self) -> None:
        """Read every evidence resource before any fact, walking the index in the order it was stated.

        A resource and its selectors were stated together, so they lie together
        in memory; read in the order facts name them, they would be fetched from
        all over it (0.05 s rather than 0.04 s at 1,000 accounts). `evidence`
        reads any other.
        """
        known, evidence_of = self._evidence, self._evidence_of
        for ev, about in self.index.items():
            if HAS_SELECTOR in about or HAS_SOURCE in about:
                known[ev] = evidence_of(about)

    def evidence(self, ev: str) -> EvidenceRow:
        """`_evidence_of` an object of kg:evidence or kg:mentionedIn, read once per resource."""
        known = self._evidence.get(ev)
        if known is None:
            known = self._evidence[ev] = self._evidence_of(self.index.get(ev, _NONE))
        return known

    def _evidence_of(self, about: dict[str, list]) -> EvidenceRow:
        """(account source, account title, sentence, start, end) of an evidence resource."""
        index = self.index
        account = _least(about.get(HAS_SOURCE))
        sentence, start, end = "", -1, -1
        for sel in _objects(about.get(HAS_SELECTOR)):
            selector = index.get(sel, _NONE)
            sentence = _least(selector.get(EXACT), sentence)
            first = _least(selector.get(START))
            if first:
                start = _num(first, int, -1)
                end = _num(_least(selector.get(END)), int, -1)
        src, title = self.accounts.get(account, (account, "")) if account else ("", "")
        return src, title, sentence, start, end

    def add_node(self, iri: str, kind: str, label: str, names: set[str], accounts: list[str],
                 facts: Iterable[dict] = (), **attrs: Any) -> None:
        """Add a node, or update one met before (as networkx's add_node does).

        `names`: its other names, any of them empty or the label.
        """
        rest = sorted(names - {"", label}) if names else []
        data = {"kind": kind, "label": label, "iri": iri, "names": [label, *rest], "accounts": accounts,
                "facts": [*facts], **attrs}
        known = self.nodes.get(iri)
        if known is None:
            self.nodes[iri] = data
            self.succ[iri] = {}
            self.pred[iri] = {}
        else:
            known.update(data)

    def add_edge(self, a: str, b: str, kind: str, accounts: list[str]) -> None:
        """An edge between two nodes already added; `accounts` sorted and each once, as `sources` gives them.

        Kept as networkx keeps a MultiDiGraph's edges, keyed by kind: successor
        and predecessor -> neighbour -> kind -> attributes, one key dict shared by both.
        """
        succ = self.succ
        if a not in succ or b not in succ:
            return
        keyed = succ[a].get(b)
        if keyed is None:
            keyed = succ[a][b] = self.pred[b][a] = {}
        data = keyed.get(kind)
        if data is not None:
            data["accounts"] = sorted(set(data["accounts"]) | set(accounts))
            return
        keyed[kind] = {"kind": kind, "label": EDGE_LABELS[kind], "accounts": accounts[:]}
        degree = self.degree
        degree[a] = degree.get(a, 0) + 1
        degree[b] = degree.get(b, 0) + 1

    def build(self) -> nx.MultiDiGraph:
        v, index, nodes = self.v, self.index, self.nodes
        told: dict[str, set[str]] = {}
        for a, (source, _) in self.accounts.items():
            for teller in v.all(a, CREATOR):
                told.setdefault(teller, set()).add(source)
        for p in v.of_type(PERSON):
            about = index.get(p, _NONE)
            self.add_node(p, "person", v.one(p, NAME) or v.one(p, LABEL) or p, _names(about, NAME),
                          self.sources(about), narrator_of=sorted(told.get(p, ())))
        for o in v.of_type(ORGANIZATION):
            about = index.get(o, _NONE)
            self.add_node(o, "body", v.one(o, PREF) or v.one(o, LABEL) or o, _names(about, PREF),
                          self.sources(about))
        self.read_evidence()
        for node, data in nodes.items():
            data["facts"].extend(self.facts(index.get(node, _NONE), MENTIONED_IN, "mention", data["label"]))
        for o in v.of_type(ORGANIZATION):
            for parent in v.all(o, SUB_ORG):
                self.add_edge(o, parent, "part_of", [])
        for m in v.of_type(MEMBERSHIP):
            self._membership(m)
        for e in v.of_type(EVENT):
            self._event(e)
        return self._graph()

    def _graph(self) -> nx.MultiDiGraph:
        degree = self.degree
        for node, data in self.nodes.items():
            if len(data["facts"]) > 1:
                data["facts"].sort(key=_FACT_ORDER)
            data["degree"] = degree.get(node, 0)
        return _multidigraph(self.nodes, self.succ, self.pred)

    def _membership(self, m: str) -> None:
        v, nodes = self.v, self.nodes
        about = self.index.get(m, _NONE)
        person, role, body = _least(about.get(MEMBER)), _least(about.get(ORG_ROLE)), _least(about.get(IN_ORG))
        if not person or person not in nodes:
            return
        title = v.one(role, PREF) if role else ""  # one role, many memberships: `one` keeps its title
        title = title or _least(about.get(LABEL)) or "Role"
        body_label = nodes[body]["label"] if body in nodes else ""
        text = f"{title}, {body_label}" if body_label else title
        facts = self.facts(about, EVIDENCE, "role", text)
        accounts = self.sources(about)
        nodes[person]["facts"].extend(facts)
        if body_label:
            held = f"{nodes[person]['label']}: {text}"
            nodes[body]["facts"].extend([{**f, "text": held} for f in facts])
        if title.strip().lower() in PLAIN_MEMBER and body_label:
            self.add_edge(person, body, "member_of", accounts)
            return
        self.add_node(m, "role", title, set(), accounts, facts, title=title, body=body_label)
        self.add_edge(person, m, "holds_role", accounts)
        if body_label:
            self.add_edge(m, body, "in_body", accounts)

    def _event(self, e: str) -> None:
        v, nodes = self.v, self.nodes
        about = self.index.get(e, _NONE)
        etype = _least(about.get(EVENT_TYPE))
        etype = (v.one(etype, PREF) if etype else "") or "Event"
        label = _least(about.get(LABEL)) or etype
        date = _least(about.get(TIME_STAMP))
        facts = self.facts(about, EVIDENCE, "event", label, date)
        accounts = self.sources(about)
        self.add_node(e, "event", label, set(), accounts, facts, date=date, event_type=etype)
        for actor in _objects(about.get(ACTOR)):
            if actor in nodes:
                nodes[actor]["facts"].extend(facts)
            self.add_edge(actor, e, "took_part", accounts)


def _multidigraph(nodes: dict[str, dict[str, Any]], succ: Adjacency, pred: Adjacency) -> nx.MultiDiGraph:
    """The graph networkx's add_node and add_edge, called in the same order, would make of these dicts.

    They are networkx's own dict-of-dicts layout (see `_Builder.add_edge`), and
    are handed over, not copied: nothing else holds them. Setting them is how
    networkx lets a graph be filled directly (its `_node`, `_adj`, `_succ` and
    `_pred` reset the views cached on them); through its methods, which check
    each node and copy every attribute dict, this took a third of
    `to_networkx` at 1,000 accounts. `test_network.py` checks the result
    against those methods.
    """
    g = nx.MultiDiGraph()
    g._node = nodes
    g._adj = g._succ = succ
    g._pred = pred
    return g


def _names(about: dict[str, list], name: str) -> set[str]:
    """Every altLabel, namedAs and `name` of a subject (hundreds, for a body named in every account)."""
    return {*about.get(ALT, ())[::2], *about.get(NAMED_AS, ())[::2], *about.get(name, ())[::2]}


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
