"""The person-person network: people linked by what they share, weighted, for Gephi and network analysis.

The full view (`graph.export.flat_view`) has roles and events as nodes between
people; a network analyst mostly wants people only, linked when the accounts
put them together. Two people are linked, once, with one count per reason:

- `events`: events both take part in;
- `bodies`: bodies both hold a role in or are members of (the same body: a
  group and the council it is part of are two bodies, and link no one);
- `sentences`: sentences that name both (the mention evidence of each, so an
  account's sentences beyond the first few naming someone are not counted:
  `graph.quads.MAX_MENTIONS`).

`weight` is their sum (what Gephi sizes and lays out edges by) and `via` names
the reasons that count. Nobody is linked to themselves, and two people who
only appear in the same account, or in bodies one inside the other, are not
linked. Every person is a node, linked or not; attributes are scalars (lists
as JSON strings), as GraphML and GEXF require.
"""
from __future__ import annotations

import json
from collections import defaultdict
from itertools import combinations

import networkx as nx

from ..safetext import xml_chars
from ..view import View
from .roles import role_ends

REASONS = ("events", "bodies", "sentences")


def _shared(view: View) -> dict[str, dict[str, set[str]]]:
    """reason -> thing shared (an event, a body, a sentence) -> the people it joins."""
    people = {iri for iri, n in view.nodes.items() if n.kind == "person"}
    shared: dict[str, dict[str, set[str]]] = {reason: defaultdict(set) for reason in REASONS}
    for node in view.nodes.values():
        if node.kind == "event":
            shared["events"][node.iri].update(a for a in node.actors if a in people)
        elif node.kind == "role":
            holder, body = role_ends(view, node)
            if holder in people and body:
                shared["bodies"][body].add(holder)
        elif node.kind == "person":
            for fact in node.facts:
                if fact.kind == "mention" and fact.about == node.iri:
                    s = fact.source
                    shared["sentences"][json.dumps([s.account, s.start, s.end, s.sentence])].add(node.iri)
    for edge in view.edges:
        if edge.kind == "member_of" and edge.source in people:
            shared["bodies"][edge.target].add(edge.source)
    return shared


def people_network(view: View) -> nx.Graph[str]:
    """Every person, and a weighted edge between each two who share an event, a body or a sentence."""
    counts: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: dict.fromkeys(REASONS, 0))
    for reason, groups in _shared(view).items():
        for members in groups.values():
            for pair in combinations(sorted(members), 2):
                counts[pair][reason] += 1
    g: nx.Graph[str] = nx.Graph()
    for iri, node in view.nodes.items():
        if node.kind == "person":
            g.add_node(iri, label=xml_chars(node.label), iri=iri,
                       names=xml_chars(json.dumps(list(node.names), ensure_ascii=False)),
                       accounts=xml_chars(json.dumps(list(node.accounts), ensure_ascii=False)),
                       narrator=bool(node.narrator_of))
    for (a, b), by in sorted(counts.items()):
        g.add_edge(a, b, weight=sum(by.values()), **by, via=", ".join(r for r in REASONS if by[r]))
    return g


__all__ = ["REASONS", "people_network"]
