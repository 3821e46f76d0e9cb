"""The graph as Popolo JSON: persons, organizations, posts, memberships and events, for civic-tech tools.

One JSON document with the five collections of a Popolo export (as
EveryPolitician and Popolo's own tools exchange them), each record valid
against the Popolo specification's classes (tests/popolo_schema.py):

- a person: `name`, `other_names`; a body: `name`, `other_names`, `parent_id`,
  `classification` (its kind: party, council, constituency party, ...; graph/bodykinds.py);
- a role held in a body: a `post` (the title in that body, shared by all its
  holders: `label`, `role`, `organization_id`) and a `membership` (`person_id`,
  `organization_id`, `post_id`, `role`, `start_date`/`end_date` when the graph
  has them); a role with no body is a membership with its `role` only; a plain
  "Member" of a body is a membership with no post;
- an event: `name`, `classification` (the event type), `start_date`, its people
  as `attendees` and, when it names exactly one body, that body as
  `organization_id`.

Ids are those of the FollowTheMoney export (`graph.exporters.ids`), so the
same person has the same id in both; each record keeps its graph IRI in
`identifiers` (scheme "kg"). `sources` point back to the accounts: the account's
URL when the input had one, else its IRI, with the sentence (and its PDF page
and offsets: "letter.pdf, p. 3, characters 10-52: ...") as the note. Every
list is sorted: the same graph gives the same bytes.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from rdflib import Graph

from ..formats import Outputs
from ..view import Fact, Node, View, read_view
from .accounts import AccountRecord, read_accounts
from .ids import derived_id, entity_id
from .roles import plain_memberships, role_ends

ISO_DATE = re.compile(r"[0-9]{4}(-[0-9]{2}){0,2}")  # what Popolo's date fields take
IRI_SCHEME = "kg"

Record = dict[str, Any]


class _Writer:
    def __init__(self, view: View, accounts: dict[str, AccountRecord]):
        self.view, self.accounts = view, accounts

    def ref(self, iri: str) -> str:
        return entity_id(self.view.nodes[iri].kind, iri)

    def link(self, source: str, note: str) -> dict[str, str]:
        account = self.accounts.get(source)
        url = (account.url or account.iri) if account else ""
        return {"url": url, "note": note}

    def sources(self, accounts: Iterable[str], facts: Iterable[Fact] = ()) -> list[dict[str, str]]:
        """One link per account (its title), or per sentence where there are facts."""
        links = []
        for fact in facts:
            s = fact.source
            where = s.account + (f", p. {s.page}" if s.page else "")
            where += f", characters {s.start}-{s.end}" if s.start >= 0 else ""
            links.append(self.link(s.account, f"{where}: {s.sentence}" if s.sentence else where))
        if not links:
            for name in accounts:
                account = self.accounts.get(name)
                links.append(self.link(name, account.title if account and account.title else name))
        unique = {(link["url"], link["note"]): link for link in links if link["url"]}
        return [unique[k] for k in sorted(unique)]

    def base(self, node: Node, **fields: Any) -> Record:
        record: Record = {"id": self.ref(node.iri), **fields,
                          "identifiers": [{"scheme": IRI_SCHEME, "identifier": node.iri}],
                          "sources": self.sources(node.accounts, node.facts if node.kind in ("role", "event") else ())}
        return {k: v for k, v in record.items() if v not in ("", None, [])}


def _dated(record: Record, **dates: str) -> Record:
    """`record` with each date that is an ISO date as precise as known (Popolo takes no other)."""
    return {**record, **{k: v for k, v in dates.items() if ISO_DATE.fullmatch(v)}}


def _actor(w: _Writer, node: Node) -> Record:
    others = [{"name": n} for n in node.names[1:] if n != node.label]
    record = w.base(node, name=node.label, other_names=others)
    if node.kind == "body":
        if node.body_kind:
            record["classification"] = node.body_kind
        parents = sorted(w.ref(e.target) for e in w.view.out_edges(node.iri)
                         if e.kind == "part_of" and e.target != node.iri)
        if parents:
            record["parent_id"] = parents[0]
    return record


def _role(w: _Writer, role: Node, posts: dict[str, Record]) -> Record | None:
    holder, body = role_ends(w.view, role)
    if not holder:
        return None
    record = w.base(role, person_id=w.ref(holder), role=role.title)
    if body:
        post_id = derived_id("position", role.title.lower(), body)
        posts.setdefault(post_id, {"id": post_id, "label": f"{role.title}, {role.body}", "role": role.title,
                                   "organization_id": w.ref(body)})
        record.update(organization_id=w.ref(body), post_id=post_id)
    return _dated(record, start_date=role.began, end_date=role.ended)


def _event(w: _Writer, event: Node) -> Record:
    actors = [w.view.nodes[a] for a in event.actors if a in w.view.nodes]
    people = sorted(({"id": w.ref(a.iri), "name": a.label} for a in actors if a.kind == "person"),
                    key=lambda p: p["id"])
    bodies = [a for a in actors if a.kind == "body"]
    record = w.base(event, name=event.label, classification=event.event_type, attendees=people)
    if len(bodies) == 1:
        record["organization_id"] = w.ref(bodies[0].iri)
    return _dated(record, start_date=event.date)


def document(view: View, accounts: dict[str, AccountRecord]) -> dict[str, list[Record]]:
    """The five Popolo collections, each sorted by id."""
    w = _Writer(view, accounts)
    out: dict[str, list[Record]] = {"persons": [], "organizations": [], "posts": [], "memberships": [],
                                    "events": []}
    posts: dict[str, Record] = {}
    for node in view.nodes.values():
        if node.kind == "person":
            out["persons"].append(_actor(w, node))
        elif node.kind == "body":
            out["organizations"].append(_actor(w, node))
        elif node.kind == "role":
            membership = _role(w, node, posts)
            if membership:
                out["memberships"].append(membership)
        else:
            out["events"].append(_event(w, node))
    for about, edge in plain_memberships(view):
        out["memberships"].append({
            "id": entity_id("membership", about) if about else derived_id("membership", edge.source, edge.target),
            "person_id": w.ref(edge.source), "organization_id": w.ref(edge.target),
            "role": edge.facts[0].title if edge.facts else "Member",
            **({"identifiers": [{"scheme": IRI_SCHEME, "identifier": about}]} if about else {}),
            "sources": w.sources(edge.accounts, edge.facts)})
    out["posts"] = list(posts.values())
    return {name: sorted(records, key=lambda r: r["id"]) for name, records in out.items()}


def popolo(graph: Graph) -> Outputs:
    """The Popolo JSON document, indented, keys sorted."""
    data = document(read_view(graph), read_accounts(graph))
    return {"": json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"}


__all__ = ["document", "popolo"]
