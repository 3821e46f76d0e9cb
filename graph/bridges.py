"""Roles and events left out of a drawing, drawn instead as labelled edges between the people and bodies they join.

Why: a page (or `kg render --type person,body`) that hides role and event
nodes must still show who holds what where and who acted with whom, else
hiding a type drops every link and leaves unconnected dots. One rule for both
the page's type filter and `kg render --type`:

- a role held (person -holds role-> role -in body-> body) becomes
  person -> body, labelled with the title ("Shadow Home Secretary");
- an event joins each pair of its actors (main actor first), labelled with the
  event types of the events they share ("Election, Resignation").

Each bridge names the connector nodes it stands for (`via`), so the page shows
it exactly when those nodes are not drawn.
"""
from __future__ import annotations

from itertools import combinations
from typing import Iterable, NamedTuple

from .view import Edge, Node, View

ROLE_EDGE, EVENT_EDGE = "role_in", "with"


class Bridge(NamedTuple):
    """A person/body -> person/body edge standing for the connector nodes in `via` (IRIs, sorted)."""

    edge: Edge
    via: tuple[str, ...]


def actors_in_order(node: Node) -> list[str]:
    """An event's actors, those who acted (`agents`, main actor first) ahead of the rest."""
    return [*node.agents, *(a for a in node.actors if a not in node.agents)]


def bridges(view: View, connectors: Iterable[str] | None = None, keep: set[str] | None = None) -> list[Bridge]:
    """The bridges for the role and event nodes `connectors` (default: all), between ends in `keep` (default: all).

    Same view, same list: ordered by first appearance of the connectors, which
    follow the view's (sorted) node order.
    """
    chosen = view.nodes.keys() if connectors is None else connectors
    found: dict[tuple[str, str, str, str], tuple[set[str], set[str], list[str]]] = {}

    def add(a: str, b: str, kind: str, label: str, via: Node) -> None:
        if keep is not None and (a not in keep or b not in keep):
            return
        accounts, vias, labels = found.setdefault((a, b, kind, label if kind == ROLE_EDGE else ""),
                                                  (set(), set(), []))
        accounts.update(via.accounts)
        vias.add(via.iri)
        if label not in labels:
            labels.append(label)

    for iri in chosen:
        node = view.nodes[iri]
        if node.kind == "role":
            holders = [e.source for e in view.in_edges(iri) if e.kind == "holds_role"]
            bodies = [e.target for e in view.out_edges(iri) if e.kind == "in_body"]
            for person in holders:
                for body in bodies:
                    add(person, body, ROLE_EDGE, node.title, node)
        elif node.kind == "event":
            ends = [a for a in actors_in_order(node) if a in view.nodes]
            for a, b in combinations(ends, 2):
                add(a, b, EVENT_EDGE, node.event_type, node)
    return [Bridge(Edge(a, b, kind, tuple(sorted(accounts)), ", ".join(sorted(labels))), tuple(sorted(vias)))
            for (a, b, kind, _), (accounts, vias, labels) in found.items()]


__all__ = ["EVENT_EDGE", "ROLE_EDGE", "Bridge", "actors_in_order", "bridges"]
