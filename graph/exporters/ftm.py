"""The graph as a FollowTheMoney entity stream (JSON lines), for Aleph, OpenSanctions' tools and `ftm`.

Every entity is made with `followthemoney`'s own model (`model.make_entity`),
so its schema and every value's type are checked and cleaned by the library
that Aleph uses to read it. What each kg record becomes:

- an account: a `Document` (fileName, title, publishedAt, author, sourceUrl);
- a person: `Person`; a body: by its kind (`Node.body_kind`, graph/bodykinds.py)
  a `PublicBody` when it is a public authority (a council, parliament,
  government, court, regulator, police force, international body), a `Company`
  when it is a company, else an `Organization` (FtM has no schema for a party:
  a party is an `Organization` with the topic `pol.party`); the kind is its
  `classification`, FtM's topic for it (`pol.party`, `pol.union`, `gov.muni`,
  ...) its `topics`, and `parent` the body it is part of;
- a role held: a `Position` (the title in its body, shared by every holder) and
  an `Occupancy` (holder, post, startDate/endDate when the graph knows them);
  a plain "Member" of a body: a `Membership`;
- an event: `Event` with `involved` (its people and bodies), `date` and the
  event type as a keyword.

Each points back to where it was read: `proof` is the account's `Document`,
`sourceUrl` the account's URL when the input had one, and `summary` the
sentences a role or event was read from (a PDF's as "letter.pdf, p. 3: ...").
Ids come from the graph's IRIs (`graph.exporters.ids`); the stream is sorted
by id, each entity's properties and values sorted, so the same graph gives
the same bytes.
"""
from __future__ import annotations

import json
from collections.abc import Iterable

from followthemoney import model
from followthemoney.proxy import EntityProxy
from rdflib import Graph

from ..bodykinds import is_public
from ..formats import Outputs
from ..view import Edge, Fact, Node, View, read_view
from .accounts import AccountRecord, read_accounts
from .ids import derived_id, entity_id
from .roles import plain_memberships, role_ends


class _Stream:
    """The entities being made, by id; each cites its accounts through `cite`."""

    def __init__(self, view: View, accounts: dict[str, AccountRecord]):
        self.view, self.accounts = view, accounts
        self.entities: dict[str, EntityProxy] = {}

    def make(self, schema: str, entity_id: str) -> EntityProxy:
        """The entity of this id, made once (a position shared by several holders is met again)."""
        found = self.entities.get(entity_id)
        if found is None:
            found = self.entities[entity_id] = model.make_entity(schema)
            found.id = entity_id
        return found

    def cite(self, proxy: EntityProxy, sources: Iterable[str], facts: Iterable[Fact] = ()) -> None:
        """`proof` and `sourceUrl` of each account in `sources` or behind `facts`; `summary`: the facts' sentences."""
        names = set(sources)
        for fact in facts:
            names.add(fact.source.account)
            s = fact.source
            if s.sentence:  # a PDF's page named beside its sentence, as `kg show` does
                proxy.add("summary", f"{s.account}, p. {s.page}: {s.sentence}" if s.page else s.sentence)
        for name in sorted(names):
            account = self.accounts.get(name)
            if account is None:
                continue
            proxy.add("proof", entity_id("account", account.iri))
            if account.url:
                proxy.add("sourceUrl", account.url)

    def ref(self, iri: str) -> str:
        """The id of the view's node `iri` (its kind is part of it)."""
        return entity_id(self.view.nodes[iri].kind, iri)


def _documents(stream: _Stream) -> None:
    view = stream.view
    for account in stream.accounts.values():
        doc = stream.make("Document", entity_id("account", account.iri))
        doc.add("fileName", account.source)
        doc.add("title", account.title or account.source)
        doc.add("publishedAt", account.date)
        doc.add("sourceUrl", account.url)
        doc.add("author", [view.nodes[t].label for t in account.tellers if t in view.nodes])


# A body kind's FtM topic (followthemoney's `topic` type), where it has one
TOPICS = {"party": "pol.party", "constituency party": "pol.party", "branch": "pol.party",
          "trade union": "pol.union", "council": "gov.muni", "parliament": "gov.legislative",
          "government": "gov.executive", "court": "gov.judicial", "regulator": "gov", "police": "gov.security",
          "international body": "gov.igo"}


def body_schema(kind: str) -> str:
    """The FtM schema of a body of this kind ("" unknown): never `PublicBody` unless it is a public authority."""
    if is_public(kind):
        return "PublicBody"
    return "Company" if kind == "company" else "Organization"


def _actor(stream: _Stream, node: Node) -> None:
    schema = "Person" if node.kind == "person" else body_schema(node.body_kind)
    proxy = stream.make(schema, stream.ref(node.iri))
    proxy.add("name", node.label)
    proxy.add("alias", [n for n in node.names[1:] if n != node.label])
    stream.cite(proxy, node.accounts)
    if node.kind == "body":
        proxy.add("classification", node.body_kind)
        proxy.add("topics", TOPICS.get(node.body_kind))
        for edge in stream.view.out_edges(node.iri):
            if edge.kind == "part_of" and edge.target != node.iri:
                proxy.add("parent", stream.ref(edge.target))


def _role(stream: _Stream, role: Node) -> None:
    holder, body = role_ends(stream.view, role)
    if not holder:
        return
    post = stream.make("Position", derived_id("position", role.title.lower(), body))
    post.add("name", f"{role.title}, {role.body}" if body else role.title)
    if body:
        post.add("organization", stream.ref(body))
    stream.cite(post, role.accounts)
    held = stream.make("Occupancy", stream.ref(role.iri))
    held.add("holder", stream.ref(holder))
    held.add("post", post.id)
    held.add("startDate", role.began)
    held.add("endDate", role.ended)
    stream.cite(held, role.accounts, role.facts)


def _member(stream: _Stream, about: str, edge: Edge) -> None:
    """A plain membership (`about`: its IRI), which the view draws as a person -member of-> body edge."""
    member = stream.make("Membership", entity_id("membership", about) if about
                         else derived_id("membership", edge.source, edge.target))
    member.add("member", stream.ref(edge.source))
    member.add("organization", stream.ref(edge.target))
    member.add("role", edge.facts[0].title if edge.facts else "Member")
    stream.cite(member, edge.accounts, edge.facts)


def _event(stream: _Stream, event: Node) -> None:
    proxy = stream.make("Event", stream.ref(event.iri))
    proxy.add("name", event.label)
    proxy.add("date", event.date)
    proxy.add("keywords", event.event_type)
    proxy.add("involved", [stream.ref(a) for a in event.actors if a in stream.view.nodes])
    stream.cite(proxy, event.accounts, event.facts)


def entities(view: View, accounts: dict[str, AccountRecord]) -> list[EntityProxy]:
    """Every entity of the stream, sorted by id: the view's records and the accounts they cite."""
    stream = _Stream(view, accounts)
    _documents(stream)
    for node in view.nodes.values():
        if node.kind in ("person", "body"):
            _actor(stream, node)
        elif node.kind == "role":
            _role(stream, node)
        else:
            _event(stream, node)
    for about, edge in plain_memberships(view):
        _member(stream, about, edge)
    return [stream.entities[k] for k in sorted(stream.entities)]


def record(proxy: EntityProxy) -> dict:
    """An entity as its JSON line holds it: properties, and each one's values, sorted."""
    data = proxy.to_dict()
    data["properties"] = {name: sorted(values) for name, values in sorted(data["properties"].items())}
    return data


def ftm(graph: Graph) -> Outputs:
    """The FtM entity stream: one JSON object per line."""
    return {"": "".join(json.dumps(record(p), ensure_ascii=False, sort_keys=True) + "\n"
                        for p in entities(read_view(graph), read_accounts(graph)))}


__all__ = ["TOPICS", "body_schema", "entities", "ftm", "record"]
