"""KnowledgeGraph -> plain statements, per `rdf-contract.md`; and their TriG/Turtle text.

The one place that decides which statements a build writes. A statement is a
tuple (graph, subject, predicate, object) of plain values: an IRI is a `str`,
a literal a `(lexical form, datatype IRI or None)` pair. A build writes its
files and draws its page from these directly: making rdflib terms and adding
them to an rdflib Dataset one triple at a time, then reading them back, took
most of a cached rebuild (benchmarks/README.md). `rdf.to_dataset` turns the
same statements into an rdflib Dataset for callers that want one.

Each account's claims live in a named graph called after the account, so a
query can ask who claims what; entity labels and the event-type scheme live in
one shared graph. IRIs are minted from a configurable base and normalised
names, so rebuilding gives the same IRIs.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from decimal import Decimal
from functools import lru_cache
from operator import attrgetter
from typing import Any, Union
from urllib.parse import quote

from .bodykinds import KINDS as BODY_KIND_CONCEPTS, of_lexicon
from .dates import iso_precision
from .model import (EVENT_TYPES, PARTICIPANT_ROLES, STANCES, Account, Bound, Evidence, EventFact, KnowledgeGraph,
                    Node, RoleFact)
from .vocab import DCTERMS, DEFAULT_BASE, FOAF, KG, OA, ORG, PREFIXES, PROV, RDF, RDFS, SEM, SKOS, TIME, XSD

SHARED_GRAPH = "graph/entities"
MAX_MENTIONS = 5  # mention sentences kept per entity and account

Lit = tuple[str, Union[str, None]]  # (lexical form, datatype IRI); None: a plain string
Term = Union[str, Lit]              # an IRI, or a literal
Quad = tuple[str, str, str, Term]   # (graph, subject, predicate, object)
Triple = tuple[str, str, Term]      # (subject, predicate, object) within one graph
Graphs = dict[str, list[Triple]]    # graph IRI -> its statements, each once


# Plain-string IRIs: attribute access on rdflib's namespaces is slow in a loop, and
# rdflib terms hash apart from the equal strings.
A = str(RDF.type)
LABEL = str(RDFS.label)
PREF, ALT, CONCEPT, SCHEME, IN_SCHEME = map(str, (SKOS.prefLabel, SKOS.altLabel, SKOS.Concept,
                                                   SKOS.ConceptScheme, SKOS.inScheme))
PERSON, NAME = str(FOAF.Person), str(FOAF.name)
ORGANIZATION, SUB_ORG, MEMBERSHIP, MEMBER, ROLE, ORG_ROLE, IN_ORG = map(str, (
    ORG.Organization, ORG.subOrganizationOf, ORG.Membership, ORG.member, ORG.Role, ORG.role,
    ORG.organization))
ENTITY, DERIVED = str(PROV.Entity), str(PROV.wasDerivedFrom)
SOURCE, TITLE, DATE, IDENTIFIER, PART_OF, CREATOR = map(str, (
    DCTERMS.source, DCTERMS.title, DCTERMS.date, DCTERMS.identifier, DCTERMS.isPartOf, DCTERMS.creator))
RESOURCE, HAS_SOURCE, HAS_SELECTOR, QUOTE_SEL, EXACT, POSITION_SEL, START, END = map(str, (
    OA.SpecificResource, OA.hasSource, OA.hasSelector, OA.TextQuoteSelector, OA.exact,
    OA.TextPositionSelector, OA.start, OA.end))
EVENT, EVENT_TYPE, ACTOR, TIME_STAMP = map(str, (SEM.Event, SEM.eventType, SEM.hasActor, SEM.hasTimeStamp))
EVENT_TYPES_IRI, EVIDENCE, CONFIDENCE, NAMED_AS, MENTIONED_IN, TRIGGER, FORMER, PAGE = map(str, (
    KG.EventTypes, KG.evidence, KG.confidence, KG.namedAs, KG.mentionedIn, KG.trigger, KG.former, KG.page))
XSD_STRING, XSD_INTEGER, XSD_DECIMAL, XSD_BOOLEAN = str(XSD.string), str(XSD.integer), str(XSD.decimal), \
    str(XSD.boolean)
# Roles over time (OWL-Time), participants' parts (SEM's role pattern), stances (#16)
MEMBER_DURING, INTERVAL, INSTANT, HAS_BEGINNING, HAS_END = map(str, (
    ORG.memberDuring, TIME.Interval, TIME.Instant, TIME.hasBeginning, TIME.hasEnd))
IN_XSD = {"date": str(TIME.inXSDDate), "gYearMonth": str(TIME.inXSDgYearMonth), "gYear": str(TIME.inXSDgYear)}
AS_OF, CUE, VIA = map(str, (KG.asOf, KG.cue, KG.openedOrClosedBy))
SEM_ROLE, ROLE_TYPE, VALUE, PARTICIPANT, MAIN_ACTOR, STANCE = map(str, (
    SEM.Role, SEM.roleType, RDF.value, KG.participant, KG.mainActor, KG.stance))
ROLE_TYPES_IRI, STANCES_IRI = str(KG.ParticipantRoles), str(KG.Stances)
BODY_KIND, BODY_KINDS_IRI = str(KG.bodyKind), str(KG.BodyKinds)  # what a body is (graph/bodykinds.py)


def slug(text: str) -> str:
    """Lower-case ASCII words joined by hyphens: the readable part of an IRI."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[^A-Za-z0-9]+", "-", text.lower()).strip("-")
    return text or "x"


def digest(*parts: object) -> str:
    return hashlib.sha1("\x1f".join(map(str, parts)).encode()).hexdigest()[:12]


def date_literal(value: str) -> tuple[Lit, bool]:
    """An ISO date as precise as known, typed so SPARQL can compare it; and whether it is one.

    A date-time keeps its day (the contract allows no finer type); anything
    else stays an xsd:string, which an event's time stamp declines to be.
    """
    iso = iso_precision(value)
    if iso is None:
        return (value.strip(), XSD_STRING), False
    return (iso[0], f"{XSD}{iso[1]}"), True


_LABELS = {k.name: k.label for k in BODY_KIND_CONCEPTS}  # a concept's skos:prefLabel, where not its name


def concept(name: str) -> str:
    """The kg: concept of an event type, participant role, stance or body kind (its name is its local name)."""
    return f"{KG}{name}"


def event_type(name: str) -> str:
    return concept(name)


_START = attrgetter("start")  # evidence by offset, without a Python call per item
_UNRESERVED = re.compile(r"[A-Za-z0-9._~-]*")  # what quote(..., safe="-._~") leaves as it is


def _quoted(part: str) -> str:
    """One path segment of an IRI, percent-encoded.

    Most segments (kinds, slugs, digests, offsets) need no encoding: checked
    with one regex match, three times cheaper than quote(), which a build
    would otherwise call some 20,000 times.
    """
    return part if _UNRESERVED.fullmatch(part) else quote(part, safe="-._~")


@lru_cache(maxsize=64)
def _type_slug(name: str) -> str:
    """An event type's slug, made once per type rather than once per event."""
    return slug(name)


class Minter:
    """Stable IRIs under one base, as plain strings."""

    def __init__(self, base: str = DEFAULT_BASE):
        self.base = base if base.endswith(("/", "#")) else base + "/"
        self._accounts: dict[str, str] = {}
        self._under: dict[tuple[str, str], str] = {}
        self._nodes: dict[str, str] = {}

    def __call__(self, *path: str) -> str:
        return self.base + "/".join(map(_quoted, path))

    def account(self, account_id: str) -> str:
        # Minted once per account and node: every fact names them (quote() is slow).
        iri = self._accounts.get(account_id)
        if iri is None:
            iri = self._accounts[account_id] = self("account", *account_id.replace("#", "/").split("/"))
        return iri

    def under_account(self, kind: str, account_id: str, last: str) -> str:
        """`kind/<account path>/last` (evidence, events), the account part quoted once per account.

        `last` is offsets and a slug, which need no quoting (`_quoted`).
        """
        prefix = self._under.get((kind, account_id))
        if prefix is None:
            prefix = self._under[(kind, account_id)] = self(kind, *account_id.replace("#", "/").split("/"))
        return f"{prefix}/{_quoted(last)}"

    def node(self, node: Node) -> str:
        iri = self._nodes.get(node.id)
        if iri is None:
            iri = self._nodes[node.id] = self(node.kind if node.kind == "person" else "body", node.id)
        return iri


def rolestr(mint: Minter, title: str) -> str:
    return mint("role", slug(title))


def membership_iri(mint: Minter, person: str, title: str, body: str | None) -> str:
    """The org:Membership of a person (node id) holding `title` in a body (node id, or None)."""
    return mint("membership", digest(person, title.lower(), body or ""))


def event_iri(mint: Minter, event: EventFact) -> str:
    ev = event.evidence
    return mint.under_account("event", ev.account, f"{ev.start}-{_type_slug(event.type)}")


class _Writer:
    """Collects statements by graph, each once, in the order first written."""

    def __init__(self, kg: KnowledgeGraph, mint: Minter, graphs: Iterable[str]):
        self.kg, self.mint = kg, mint
        self.out: dict[str, dict[Triple, None]] = {g: {} for g in graphs}
        self._confidence: dict[float, Lit] = {}
        self._evidence: dict[tuple[str, str, int, int, str], str] = {}
        self._paged = {a.id: a for a in kg.accounts if a.pages}  # accounts read from PDFs
        self._led: set[str] = set()     # events whose kg:mainActor is written
        self._parts: set[str] = set()   # participants (sem:Role) written
        self._intervals: set[str] = set()

    def add(self, g: str, s: str, p: str, o: Term) -> None:
        self.out[g][(s, p, o)] = None

    def scheme(self, g: str) -> None:
        for scheme, label, names in ((EVENT_TYPES_IRI, "Event types", EVENT_TYPES),
                                     (ROLE_TYPES_IRI, "Participant roles", PARTICIPANT_ROLES),
                                     (STANCES_IRI, "Stances", STANCES),
                                     (BODY_KINDS_IRI, "Body kinds", tuple(k.name for k in BODY_KIND_CONCEPTS))):
            self.add(g, scheme, A, SCHEME)
            self.add(g, scheme, PREF, (label, None))
            for name in names:
                iri = concept(name)
                self.add(g, iri, A, CONCEPT)
                self.add(g, iri, PREF, (_LABELS.get(name, name), None))
                self.add(g, iri, IN_SCHEME, scheme)

    def node(self, g: str, node: Node) -> None:
        iri, label = self.mint.node(node), (node.name, None)
        if node.kind == "person":
            self.add(g, iri, A, PERSON)
            self.add(g, iri, NAME, label)
        else:
            self.add(g, iri, A, ORGANIZATION)
            self.add(g, iri, PREF, label)
            if node.parent and node.parent in self.kg.nodes:
                self.add(g, iri, SUB_ORG, self.mint.node(self.kg.nodes[node.parent]))
            kind = of_lexicon(node.body_kind)
            if kind is not None:
                self.add(g, iri, BODY_KIND, concept(kind.name))
        self.add(g, iri, LABEL, label)
        for alias in sorted(node.aliases - {node.name}):
            self.add(g, iri, ALT, (alias, None))

    def account(self, g: str, account: Account, tellers: list[Node]) -> None:
        iri = self.mint.account(account.id)
        self.add(g, iri, A, ENTITY)
        self.add(g, iri, SOURCE, (account.source, None))
        self.add(g, iri, TITLE, (account.title, None))
        if account.date:
            self.add(g, iri, DATE, date_literal(account.date)[0])
        if account.url:
            self.add(g, iri, IDENTIFIER, (account.url, None))
        if account.parent:
            self.add(g, iri, PART_OF, self.mint.account(account.parent))
        for node in tellers:
            teller = self.mint.node(node)
            self.add(g, iri, CREATOR, teller)
            # the teller exists because this account exists, named or not
            self.add(g, teller, A, PERSON)
            self.add(g, teller, DERIVED, iri)

    def evidence(self, g: str, ev: Evidence) -> str:
        """The evidence resource of `ev`, written once however many facts cite it (most are cited by several)."""
        key = (g, ev.account, ev.start, ev.end, ev.text)  # its confidence is not written here
        iri = self._evidence.get(key)
        if iri is not None:
            return iri
        iri = self._evidence[key] = self.mint.under_account("evidence", ev.account, f"{ev.start}-{ev.end}")
        quote_sel, pos_sel = f"{iri}/quote", f"{iri}/position"
        out = self.out[g]
        out[iri, A, RESOURCE] = None
        out[iri, HAS_SOURCE, self.mint.account(ev.account)] = None
        out[iri, HAS_SELECTOR, quote_sel] = None
        out[iri, HAS_SELECTOR, pos_sel] = None
        out[quote_sel, A, QUOTE_SEL] = None
        out[quote_sel, EXACT, (ev.text, None)] = None
        out[pos_sel, A, POSITION_SEL] = None
        out[pos_sel, START, (str(ev.start), XSD_INTEGER)] = None
        out[pos_sel, END, (str(ev.end), XSD_INTEGER)] = None
        paged = self._paged.get(ev.account)
        if paged is not None:
            out[pos_sel, PAGE, (str(paged.page(ev.start)), XSD_INTEGER)] = None
        return iri

    def derive(self, g: str, subject: str, ev: Evidence) -> None:
        out = self.out[g]
        out[subject, DERIVED, self.mint.account(ev.account)] = None
        out[subject, EVIDENCE, self.evidence(g, ev)] = None
        conf = self._confidence.get(ev.confidence)
        if conf is None:  # the lexical form rdflib gives Decimal("0.90"): two places, always
            conf = self._confidence[ev.confidence] = (str(Decimal(f"{ev.confidence:.2f}")), XSD_DECIMAL)
        out[subject, CONFIDENCE, conf] = None

    def mention(self, g: str, node: Node, account_id: str, names: set[str], mentions: list[Evidence]) -> None:
        """`mentions`: the node's evidence in this account (grouped once per node by the caller)."""
        iri, out = self.mint.node(node), self.out[g]
        out[iri, A, PERSON if node.kind == "person" else ORGANIZATION] = None
        out[iri, DERIVED, self.mint.account(account_id)] = None
        for name in sorted(names):
            out[iri, NAMED_AS, (name, None)] = None
        for ev in sorted(mentions, key=_START)[:MAX_MENTIONS]:
            out[iri, MENTIONED_IN, self.evidence(g, ev)] = None

    def role(self, g: str, role: RoleFact) -> None:
        person = self.kg.nodes[role.person]
        body = self.kg.nodes.get(role.body) if role.body else None
        m = membership_iri(self.mint, person.id, role.title, body.id if body else None)
        r = rolestr(self.mint, role.title)
        self.add(g, m, A, MEMBERSHIP)
        self.add(g, m, MEMBER, self.mint.node(person))
        self.add(g, m, ORG_ROLE, r)
        if body:
            self.add(g, m, IN_ORG, self.mint.node(body))
        label = f"{person.name}: {role.title}" + (f", {body.name}" if body else "")
        self.add(g, m, LABEL, (label, None))
        self.add(g, r, A, ROLE)
        self.add(g, r, PREF, (role.title, None))
        if role.former:
            self.add(g, m, FORMER, ("true", XSD_BOOLEAN))
        self.derive(g, m, role.evidence)
        if role.began or role.ended or role.as_of:
            self.tenure(g, m, role)

    def tenure(self, g: str, m: str, role: RoleFact) -> None:
        """The role's org:memberDuring interval as its account tells it, each bound with its evidence."""
        ev = role.evidence
        i = self.mint.under_account("interval", ev.account, f"{ev.start}-{m.rsplit('/', 1)[-1]}")
        if i in self._intervals:
            return  # the same role told twice in one sentence (two names merged into one person): once
        self._intervals.add(i)
        self.add(g, m, MEMBER_DURING, i)
        self.add(g, i, A, INTERVAL)
        if role.as_of:
            self.add(g, i, AS_OF, date_literal(role.as_of)[0])
        for pred, bound, name in ((HAS_BEGINNING, role.began, "begin"), (HAS_END, role.ended, "end")):
            if bound is not None:
                self.bound(g, i, pred, f"{i}/{name}", bound)

    def bound(self, g: str, interval: str, pred: str, b: str, bound: Bound) -> None:
        self.add(g, interval, pred, b)
        self.add(g, b, A, INSTANT)
        iso = iso_precision(bound.date) if bound.date else None
        if iso is not None:
            self.add(g, b, IN_XSD[iso[1]], (iso[0], f"{XSD}{iso[1]}"))
        self.add(g, b, CUE, (bound.cue, None))
        self.add(g, b, EVIDENCE, self.evidence(g, bound.evidence))
        if bound.event:
            ev = bound.evidence
            self.add(g, b, VIA, self.mint.under_account("event", ev.account, f"{ev.start}-{_type_slug(bound.event)}"))

    def event(self, g: str, event: EventFact) -> None:
        ev = event.evidence
        e, out = event_iri(self.mint, event), self.out[g]
        out[e, A, EVENT] = None
        out[e, EVENT_TYPE, event_type(event.type)] = None
        names = []
        for n, (actor, part) in enumerate(zip(event.actors, event.roles or [""] * len(event.actors))):
            node = self.kg.nodes[actor]
            who = self.mint.node(node)
            out[e, ACTOR, who] = None
            names.append(node.name)
            # Two events of one type told in one sentence share an IRI (and so are one node):
            # the first told keeps its main actor, and each participant its first part.
            if n == 0 and e not in self._led:
                self._led.add(e)
                out[e, MAIN_ACTOR, who] = None
            r = f"{e}/{_quoted(node.id)}"
            if part and r not in self._parts:  # SEM's role pattern: the participant, and the part they play
                self._parts.add(r)
                out[e, PARTICIPANT, r] = None
                out[r, A, SEM_ROLE] = None
                out[r, VALUE, who] = None
                out[r, ROLE_TYPE, concept(part)] = None
        if event.stance:
            out[e, STANCE, concept(event.stance)] = None
        out[e, LABEL, (f"{event.type}: {', '.join(sorted(names))}" if names else event.type, None)] = None
        out[e, TRIGGER, (event.trigger, None)] = None
        if event.date:
            stamp, is_date = date_literal(event.date)
            if is_date:
                out[e, TIME_STAMP, stamp] = None
        self.derive(g, e, ev)


def graphs(kg: KnowledgeGraph, base: str = DEFAULT_BASE) -> Graphs:
    """Every statement of the graph by named graph: the shared graph, then one per account."""
    mint = Minter(base)
    shared = mint(*SHARED_GRAPH.split("/"))
    named = {account.id: mint.account(account.id) for account in kg.accounts}
    w = _Writer(kg, mint, [shared, *named.values()])
    w.scheme(shared)
    nodes = sorted(kg.nodes.values(), key=lambda n: n.id)
    for node in nodes:
        w.node(shared, node)
    tellers: dict[str, list[Node]] = {}  # account id -> its tellers, found in one pass over the nodes
    for node in nodes:
        for account_id in node.narrator_of:
            tellers.setdefault(account_id, []).append(node)
    for account in kg.accounts:
        w.account(named[account.id], account, tellers.get(account.id, []))
    for node in kg.nodes.values():
        by_account: dict[str, list[Evidence]] = {}
        for ev in node.evidence:
            by_account.setdefault(ev.account, []).append(ev)
        for account_id, names in node.names_in.items():
            w.mention(named[account_id], node, account_id, names, by_account.get(account_id, []))
    for role in kg.roles:
        w.role(named[role.evidence.account], role)
    for event in kg.events:
        w.event(named[event.evidence.account], event)
    return {g: list(triples) for g, triples in w.out.items() if triples}


def flatten(by_graph: Graphs) -> list[Quad]:
    """Statements by graph as one list of quads."""
    return [(g, *t) for g, triples in by_graph.items() for t in triples]


def statements(kg: KnowledgeGraph, base: str = DEFAULT_BASE) -> list[Quad]:
    """Every statement of the graph, each once: `graphs` as one list of quads."""
    return flatten(graphs(kg, base))


# --- TriG and Turtle through Oxigraph ---------------------------------------------

Row = tuple[str, str, str, str]  # (graph, subject, predicate, object), each as its N-Triples form
DEFAULT_GRAPH_KEY = "\uffff"  # the default graph sorts after every named graph


def oxigraph_text(rows: list[Row], terms: dict[str, Any], fmt: str) -> str:
    """TriG (the named graphs) or Turtle (their union) of `rows`, in sorted order.

    Oxigraph writes statements in the order given, grouping a run of one graph,
    subject and predicate, so sorting them (by their N-Triples form) first
    makes the bytes deterministic. Its @prefix lines are sorted too, so nothing
    depends on its map order. `rows` holds each statement of a graph once;
    `terms` maps each N-Triples form (DEFAULT_GRAPH_KEY too) to its Oxigraph term.
    Sorting and mapping back are done on whole columns (`map`, `zip`): a Python
    call per statement cost more than Oxigraph's writing.
    """
    import pyoxigraph as ox

    if fmt == "trig":
        columns = list(zip(*sorted(rows))) or [(), (), (), ()]
        g, s, p, o = (map(terms.__getitem__, c) for c in columns)
        stream: Any = map(ox.Quad, s, p, o, g)
        out_format = ox.RdfFormat.TRIG
    else:
        columns = list(zip(*sorted({row[1:] for row in rows}))) or [(), (), ()]
        stream = map(ox.Triple, *(map(terms.__getitem__, c) for c in columns))
        out_format = ox.RdfFormat.TURTLE
    written = ox.serialize(list(stream), format=out_format,
                           prefixes={prefix: str(ns) for prefix, ns in PREFIXES.items()})
    text = (written or b"").decode("utf-8")  # bytes when no output file is given
    lines = text.split("\n")
    head = 0
    while head < len(lines) and lines[head].startswith("@prefix "):
        head += 1
    body = "\n".join(lines[head:])
    return "".join(f"{line}\n" for line in sorted(lines[:head])) + ("\n" if head else "") + body


def texts(quads: Sequence[Quad], formats: Iterable[str] = ("trig", "turtle")) -> dict[str, str]:
    """`statements(...)` as TriG and Turtle: the same bytes `rdf.serialize` writes for them.

    Each distinct term is made an Oxigraph term once, for every format.
    """
    import pyoxigraph as ox

    columns = list(zip(*quads)) or [(), (), (), ()]
    datatypes: dict[str, Any] = {}
    key_of: dict[Term, str] = {}
    terms: dict[str, Any] = {}
    node: ox.NamedNode | ox.Literal
    for t in set().union(*columns):
        if t.__class__ is str:
            node = ox.NamedNode(t)
        else:
            dt = t[1] or XSD_STRING
            kind = datatypes.get(dt) or datatypes.setdefault(dt, ox.NamedNode(dt))
            node = ox.Literal(t[0], datatype=kind)
        key = key_of[t] = str(node)
        terms[key] = node
    rows = list(zip(*(map(key_of.__getitem__, c) for c in columns)))
    return {fmt: oxigraph_text(rows, terms, fmt) for fmt in formats}


__all__ = ["MAX_MENTIONS", "Graphs", "Minter", "Quad", "SHARED_GRAPH", "Term", "concept", "date_literal", "digest",
           "event_type", "flatten", "graphs", "oxigraph_text", "slug", "statements", "texts"]
