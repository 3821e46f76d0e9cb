"""A built graph (RDF) -> typed records: the one view that render, show, stats and export read.

Read from RDF only, so it works on any build on disk (TriG with named graphs or a
plain Turtle union) and never imports spaCy; `kg build` hands it its own
statements (`quads.graphs`) instead, the same view without an rdflib round trip.

The view is built once (`read_view`) into immutable records:

- `Node`: a person, body, role held or event, keyed by IRI, with its names, the
  accounts that mention it and every `Fact` about it;
- `Fact`: one claim with its `Source` (account, sentence, character offsets) and
  confidence, and its meaning as fields: a role fact's holder, title and body, an
  event fact's type, actors and date. Nothing downstream reads meaning out of a
  label: display text is made from these fields where it is shown;
- `Edge`: "holds role", "in body", "took part", "part of", "member of".

Why one role node per org:Membership rather than per title: a title node such as
"Chair" would join every chair of every body into one hub, and the graph could
no longer say who chairs what. A membership node keeps person, title and body
together (person -holds role-> "Chair" -in body-> Labour Group) and holds that
membership's evidence. A plain "Member" title is drawn as one direct
person -member of-> body edge instead, which carries that membership's facts.

`View.graph()` is the same view as a networkx MultiDiGraph (node and edge keys
only, filled through networkx's public methods) for graph algorithms:
neighbourhoods, centrality, GraphML.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Iterable, NamedTuple, Union

import networkx as nx
from rdflib import Graph

from .quads import (A, ACTOR, ALT, BODY_KIND, CONFIDENCE, CREATOR, DERIVED, END, ENTITY, EVENT, EVENT_TYPE, EVIDENCE,
                    EXACT, HAS_SELECTOR, HAS_SOURCE, IN_ORG, LABEL, MEMBER, MEMBERSHIP, MENTIONED_IN, NAME,
                    NAMED_AS, ORG_ROLE, ORGANIZATION, PAGE, PERSON, PREF, SOURCE, START, SUB_ORG, TIME_STAMP, TITLE,
                    Graphs, HAS_BEGINNING, HAS_END, IN_XSD, MAIN_ACTOR, MEMBER_DURING, PARTICIPANT, ROLE_TYPE,
                    VALUE, concept)
from .vocab import KG

KINDS = ("person", "body", "role", "event")
EDGE_LABELS = {
    "holds_role": "holds role",
    "in_body": "in body",
    "took_part": "took part",
    "part_of": "part of",
    "member_of": "member of",
}
PLAIN_MEMBER = frozenset({"member"})  # a title that is drawn as a member-of edge, not a role node
# A person's judgements (graph.judgements): predicate -> the word `Node.judged` lists
JUDGED = {str(KG.confirmedBy): "confirmed", str(KG.mergedBy): "merged", str(KG.splitBy): "split",
          str(KG.renamedBy): "renamed", str(KG.retypedBy): "retyped"}

# (subject, predicate, object, graph), each a plain string: an IRI, or a literal's
# lexical form; graph None in a plain graph.
PlainQuad = tuple[str, str, str, Union[str, None]]
Statements = Union[Graph, Graphs, Iterable[PlainQuad]]


# The records are NamedTuples: immutable, compared and hashed by value like frozen
# dataclasses, but made and hashed in C and, holding only strings, numbers and such
# tuples, left alone by the cyclic garbage collector (a big build has ~100,000 of them).


class Source(NamedTuple):
    """Where a fact was read: the account (its file name and title), the sentence, its offsets (-1: unknown),
    and the page it is on (a PDF's; 0: not a paged document)."""

    account: str
    account_title: str
    sentence: str
    start: int
    end: int
    page: int = 0


class Fact(NamedTuple):
    """One claim of one account, with the sentence it was read from.

    kind "role": `holder` held `title` in `body` (labels; body "" when none);
    kind "event": an `event_type` with `actors` (labels, sorted) on `date`;
    kind "mention": the node `about` is named in the sentence.
    `about` is the IRI of the membership, the event or the node mentioned.
    """

    kind: str
    about: str
    source: Source
    confidence: float
    date: str = ""
    holder: str = ""
    title: str = ""
    body: str = ""
    event_type: str = ""
    actors: tuple[str, ...] = ()

    def record(self) -> dict[str, str | int | float | list[str]]:
        """The fact as one flat mapping (what exporters write): the source's fields (page 0: not a paged
        document) beside the meaning's."""
        s = self.source
        return {"kind": self.kind, "account": s.account, "account_title": s.account_title,
                "sentence": s.sentence, "start": s.start, "end": s.end, "page": s.page, "confidence": self.confidence,
                "date": self.date, "holder": self.holder, "title": self.title, "body": self.body,
                "event_type": self.event_type, "actors": list(self.actors)}

    def sort_key(self) -> tuple:
        s = self.source
        return (s.account, s.start, self.kind, self.title, self.body, self.holder, self.event_type,
                self.actors, s.end, s.sentence)


class Node(NamedTuple):
    """A person, body, role held (one membership) or event.

    `names`: every name, label first. Roles carry `title` and `body` (the body's
    label) and, when known, `began` / `ended` (ISO dates, as precise as the source:
    "2015", "2015-05", "2015-05-03"); events `event_type`, `date` (as written, "" if
    undated), `actors` (IRIs) and `agents` (the actors who acted, main actor first);
    people `narrator_of` (the accounts they tell); bodies `body_kind` ("" when unknown).
    """

    iri: str
    kind: str
    label: str
    names: tuple[str, ...]
    accounts: tuple[str, ...]
    facts: tuple[Fact, ...] = ()
    narrator_of: tuple[str, ...] = ()
    title: str = ""
    body: str = ""
    event_type: str = ""
    date: str = ""
    actors: tuple[str, ...] = ()
    began: str = ""
    ended: str = ""
    agents: tuple[str, ...] = ()
    judged: tuple[str, ...] = ()  # what a person decided about it: confirmed, merged, split, renamed, retyped
    body_kind: str = ""  # a body's kind (kg:bodyKind's label: "party", "council", ...; graph/bodykinds.py)


class Edge(NamedTuple):
    """A directed link between two nodes; `facts` are those of the plain membership a member-of edge stands for."""

    source: str
    target: str
    kind: str
    accounts: tuple[str, ...]
    label: str = ""
    facts: tuple[Fact, ...] = ()


@dataclass(frozen=True)
class View:
    """Nodes (people, bodies, roles, events, each sorted by IRI), edges in the order met, accounts by source."""

    nodes: dict[str, Node]
    edges: tuple[Edge, ...]
    accounts: dict[str, str] = field(default_factory=dict)  # account source -> title
    focus: tuple[str, ...] = ()  # the nodes a selection was centred on (`render.select`)

    @cached_property
    def _out(self) -> dict[str, list[Edge]]:
        out: dict[str, list[Edge]] = {n: [] for n in self.nodes}
        for e in self.edges:
            out[e.source].append(e)
        return out

    @cached_property
    def _in(self) -> dict[str, list[Edge]]:
        into: dict[str, list[Edge]] = {n: [] for n in self.nodes}
        for e in self.edges:
            into[e.target].append(e)
        return into

    def out_edges(self, iri: str) -> list[Edge]:
        return self._out[iri]

    def in_edges(self, iri: str) -> list[Edge]:
        return self._in[iri]

    def degree(self, iri: str) -> int:
        """Edges touching the node (for sizing)."""
        return len(self._out[iri]) + len(self._in[iri])

    def graph(self) -> nx.MultiDiGraph[str]:
        """The view as a networkx graph: nodes keyed by IRI with their kind, edges keyed by kind."""
        g: nx.MultiDiGraph[str] = nx.MultiDiGraph()
        g.add_nodes_from((iri, {"kind": n.kind}) for iri, n in self.nodes.items())
        for e in self.edges:
            g.add_edge(e.source, e.target, key=e.kind)
        return g


# --- reading the statements ----------------------------------------------------

def _by_graph(source: Statements) -> Iterable[tuple[str | None, Iterable[tuple[str, str, Any]]]]:
    """The statements as (graph, its triples): a build's own as they are, others one quad at a time.

    Plain strings throughout (an rdflib term becomes its IRI or lexical form); a
    build's literals are (lexical form, datatype) pairs, which `_Index` reads.
    """
    if isinstance(source, dict):
        return source.items()
    if isinstance(source, Graph):
        if hasattr(source, "quads"):
            return ((None if g is None else str(getattr(g, "identifier", g)), ((str(s), str(p), str(o)),))
                    for s, p, o, g in source.quads((None, None, None, None)))
        return ((None, ((str(s), str(p), str(o)),)) for s, p, o in source.triples((None, None, None)))
    return ((g, ((s, p, o),)) for s, p, o, g in source)


# Predicates whose objects are read together with the named graph stating them.
_IN_GRAPH = frozenset({CONFIDENCE, EVIDENCE, MENTIONED_IN})
# What the view reads: other statements (dates, identifiers, triggers, ...) and the types of
# other subjects (evidence, selectors: most typed subjects) are not indexed at all.
_READ = frozenset({SOURCE, TITLE, CREATOR, NAME, LABEL, ALT, NAMED_AS, PREF, DERIVED, HAS_SOURCE,
                   HAS_SELECTOR, EXACT, START, END, PAGE, SUB_ORG, MEMBER, ORG_ROLE, IN_ORG, EVENT_TYPE,
                   ACTOR, TIME_STAMP, MEMBER_DURING, HAS_BEGINNING, HAS_END, *IN_XSD.values(), MAIN_ACTOR,
                   PARTICIPANT, VALUE, ROLE_TYPE, BODY_KIND, *JUDGED}) | _IN_GRAPH
_AGENT = concept("Agent")
_CLASSES = (ENTITY, PERSON, ORGANIZATION, MEMBERSHIP, EVENT)
_NOTHING: dict = {}  # shared empty answers: never written to


class _Index:
    """subject -> predicate -> objects of what the view reads; rdf:type as class -> subjects; graphs where asked.

    Objects are kept in lists, not sets: a graph states each statement once, and
    a repeat from another graph is harmless to `one` and `all`.
    """

    def __init__(self, source: Statements):
        about: dict[str, dict[str, list[str]]] = {}
        typed: dict[str, set[str]] = {cls: set() for cls in _CLASSES}
        in_graph: dict[tuple[str, str], list[tuple[str, str | None]]] = {}
        last, predicates = None, _NOTHING
        for g, triples in _by_graph(source):
            for s, p, o in triples:
                if o.__class__ is tuple:
                    o = o[0]
                if p not in _READ:
                    if p == A and o in typed:
                        typed[o].add(s)
                    continue
                if s != last:  # a subject's statements mostly come together: looked up once
                    last, predicates = s, about.setdefault(s, {})
                found = predicates.get(p)
                if found is None:
                    predicates[p] = [o]
                else:
                    found.append(o)
                if p in _IN_GRAPH:
                    in_graph.setdefault((s, p), []).append((o, g))
        self.about, self.typed, self.in_graph = about, typed, in_graph
        self._least: dict[tuple[str, str], str] = {}

    def pairs(self, s: str, p: str) -> list[tuple[str, str | None]]:
        """(object, graph) of one of the `_IN_GRAPH` predicates."""
        return self.in_graph.get((s, p), [])

    def all(self, s: str, p: str) -> list[str]:
        """The objects, sorted, each once."""
        found = self.about.get(s, _NOTHING).get(p)
        if not found:
            return []
        return [found[0]] if len(found) == 1 else sorted(set(found))

    def one(self, s: str, p: str, default: str = "") -> str:
        """The least object (so the same on every run), or `default`; a long list's read once."""
        found = self.about.get(s, _NOTHING).get(p)
        if not found:
            return default
        if len(found) == 1:
            return found[0]
        least = self._least.get((s, p))
        if least is None:
            least = self._least[s, p] = min(found)
        return least

    def of_type(self, cls: str) -> list[str]:
        """Every subject of `cls`, one of `_CLASSES`, sorted."""
        return sorted(self.typed[cls])


def _number(value: str, cast: type, default: float) -> float:
    """`value` as a number, or `default`: also for "NaN" and "INF", which no page or JSON can carry."""
    try:
        number = cast(value)
    except (TypeError, ValueError, OverflowError):
        return default
    return number if math.isfinite(number) else default


class _Reader:
    """Reads the records out of an index; nodes' facts gathered in lists, frozen at the end."""

    def __init__(self, source: Statements):
        ix = self.ix = _Index(source)
        self.accounts = {a: (ix.one(a, SOURCE) or a, ix.one(a, TITLE)) for a in ix.of_type(ENTITY)}
        self.fields: dict[str, dict] = {}   # iri -> Node fields, facts as a list
        self.edges: dict[tuple[str, str, str], dict] = {}
        self._sources: dict[str, Source] = {}

    def sources(self, s: str) -> tuple[str, ...]:
        """Source names of the accounts a subject is derived from, sorted, each once."""
        return tuple(sorted({self.accounts.get(a, (a, ""))[0] for a in self.ix.all(s, DERIVED)}))

    def source(self, ev: str) -> Source:
        """The account, sentence and offsets of an evidence resource, read once."""
        known = self._sources.get(ev)
        if known is None:
            ix = self.ix
            account = ix.one(ev, HAS_SOURCE)
            sentence, start, end, page = "", -1, -1, 0
            for sel in ix.all(ev, HAS_SELECTOR):
                sentence = ix.one(sel, EXACT, sentence)
                first = ix.one(sel, START)
                if first:
                    start = int(_number(first, int, -1))
                    end = int(_number(ix.one(sel, END), int, -1))
                    page = max(int(_number(ix.one(sel, PAGE), int, 0)), 0)
            src, title = self.accounts.get(account, (account, "")) if account else ("", "")
            known = self._sources[ev] = Source(src, title, sentence, start, end, page)
        return known

    def facts(self, s: str, pred: str, kind: str, **meaning) -> list[Fact]:
        """One fact per evidence of a subject, its confidence read in the same named graph.

        A graph stating several confidences keeps the highest; a graph stating none
        takes the highest of all. The same sentence stated in several graphs is one fact.
        """
        best: dict[str | None, float] = {}
        for value, g in self.ix.pairs(s, CONFIDENCE):
            best[g] = max(max(_number(value, float, 1.0), 0.0), best.get(g, 0.0))
        fallback = max(best.values(), default=1.0)
        unique: dict[tuple, Fact] = {}
        for ev, g in sorted(self.ix.pairs(s, pred), key=lambda pair: (pair[0], str(pair[1]))):
            src = self.source(ev)
            confidence = round(best.get(g, fallback), 3)
            unique[src.account, src.start, src.end, src.sentence] = Fact(kind, s, src, confidence, **meaning)
        return [unique[k] for k in sorted(unique)]

    def add_node(self, iri: str, kind: str, label: str, names: set[str], accounts: tuple[str, ...],
                 facts: Iterable[Fact] = (), **attrs) -> None:
        rest = sorted(names - {"", label})
        self.fields[iri] = {"iri": iri, "kind": kind, "label": label, "names": (label, *rest),
                            "accounts": accounts, "facts": [*facts], **attrs}

    def add_edge(self, a: str, b: str, kind: str, accounts: Iterable[str], facts: Iterable[Fact] = ()) -> None:
        """An edge between two nodes already added; met again, it gains the accounts and facts."""
        if a not in self.fields or b not in self.fields:
            return
        known = self.edges.setdefault((a, b, kind), {"accounts": set(), "facts": []})
        known["accounts"].update(accounts)
        known["facts"].extend(facts)

    def names(self, s: str, name: str) -> set[str]:
        ix = self.ix
        return {*ix.all(s, ALT), *ix.all(s, NAMED_AS), *ix.all(s, name)}

    def read(self) -> View:
        ix, fields = self.ix, self.fields
        told: dict[str, set[str]] = {}
        for a, (source, _) in self.accounts.items():
            for teller in ix.all(a, CREATOR):
                told.setdefault(teller, set()).add(source)
        for p in ix.of_type(PERSON):
            self.add_node(p, "person", ix.one(p, NAME) or ix.one(p, LABEL) or p, self.names(p, NAME),
                          self.sources(p), narrator_of=tuple(sorted(told.get(p, ()))))
        for o in ix.of_type(ORGANIZATION):
            kind = ix.one(o, BODY_KIND)
            self.add_node(o, "body", ix.one(o, PREF) or ix.one(o, LABEL) or o, self.names(o, PREF),
                          self.sources(o), body_kind=ix.one(kind, PREF) if kind else "")
        for node, data in fields.items():
            data["facts"].extend(self.facts(node, MENTIONED_IN, "mention"))
        for o in ix.of_type(ORGANIZATION):
            for parent in ix.all(o, SUB_ORG):
                self.add_edge(o, parent, "part_of", ())
        for m in ix.of_type(MEMBERSHIP):
            self._membership(m)
        for e in ix.of_type(EVENT):
            self._event(e)
        return self._view()

    def _membership(self, m: str) -> None:
        ix, fields = self.ix, self.fields
        person, role, body = ix.one(m, MEMBER), ix.one(m, ORG_ROLE), ix.one(m, IN_ORG)
        if person not in fields:
            return
        title = (ix.one(role, PREF) if role else "") or ix.one(m, LABEL) or "Role"
        body_label = fields[body]["label"] if body in fields else ""
        facts = self.facts(m, EVIDENCE, "role", holder=fields[person]["label"], title=title, body=body_label)
        accounts = self.sources(m)
        fields[person]["facts"].extend(facts)
        if body_label:
            fields[body]["facts"].extend(facts)
        if title.strip().lower() in PLAIN_MEMBER and body_label:
            self.add_edge(person, body, "member_of", accounts, facts)
            return
        began, ended = self._tenure(m)
        self.add_node(m, "role", title, set(), accounts, facts, title=title, body=body_label,
                      began=began, ended=ended)
        self.add_edge(person, m, "holds_role", accounts)
        if body_label:
            self.add_edge(m, body, "in_body", accounts)

    def _tenure(self, m: str) -> tuple[str, str]:
        """(earliest beginning, latest end) any account gives the role, ISO at its precision; "" if none."""
        ix = self.ix
        begins, ends = [], []
        for interval in ix.all(m, MEMBER_DURING):
            for pred, found in ((HAS_BEGINNING, begins), (HAS_END, ends)):
                for instant in ix.all(interval, pred):
                    found.extend(d for p in IN_XSD.values() for d in ix.all(instant, p))
        return min(begins, default=""), max(ends, default="")

    def _agents(self, e: str) -> tuple[str, ...]:
        """Those who acted (sem:roleType kg:Agent), the main actor first, then by IRI."""
        ix = self.ix
        agents = sorted({ix.one(r, VALUE) for r in ix.all(e, PARTICIPANT) if ix.one(r, ROLE_TYPE) == _AGENT}
                        - {""})
        main = ix.one(e, MAIN_ACTOR)
        ordered = ([main] if main in agents else []) + [a for a in agents if a != main]
        return tuple(a for a in ordered if a in self.fields)

    def _event(self, e: str) -> None:
        ix, fields = self.ix, self.fields
        etype = ix.one(e, EVENT_TYPE)
        etype = (ix.one(etype, PREF) if etype else "") or "Event"
        actors = [a for a in ix.all(e, ACTOR) if a in fields]
        date = ix.one(e, TIME_STAMP)
        facts = self.facts(e, EVIDENCE, "event", date=date, event_type=etype,
                           actors=tuple(sorted(fields[a]["label"] for a in actors)))
        accounts = self.sources(e)
        self.add_node(e, "event", ix.one(e, LABEL) or etype, set(), accounts, facts, date=date,
                      event_type=etype, actors=tuple(actors), agents=self._agents(e))
        for actor in actors:
            fields[actor]["facts"].extend(facts)
            self.add_edge(actor, e, "took_part", accounts)

    def _view(self) -> View:
        nodes = {}
        for iri, data in self.fields.items():
            facts = sorted(data.pop("facts"), key=Fact.sort_key)
            judged = tuple(sorted(word for p, word in JUDGED.items() if self.ix.all(iri, p)))
            nodes[iri] = Node(**data, facts=tuple(facts), judged=judged)
        edges = tuple(Edge(a, b, kind, tuple(sorted(d["accounts"])), EDGE_LABELS[kind], tuple(d["facts"]))
                      for (a, b, kind), d in self.edges.items())
        return View(nodes, edges, {source: title for source, title in sorted(self.accounts.values())})


def read_view(source: Statements) -> View:
    """The view of a built graph.

    `source`: an rdflib graph, plain (subject, predicate, object, graph) strings,
    or a build's own statements by graph (`quads.graphs`), so a build draws its
    page without an rdflib round trip.
    """
    return _Reader(source).read()


__all__ = ["EDGE_LABELS", "KINDS", "PLAIN_MEMBER", "Edge", "Fact", "Node", "Source", "View",
           "read_view"]
