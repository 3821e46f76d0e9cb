"""Roles held, as the exporters read them from the view: a role node's holder and body; plain memberships.

The view draws a role as person -holds role-> role -in body-> body, and a plain
"Member" of a body as one person -member of-> body edge that carries its facts
(`graph.view`); FollowTheMoney and Popolo both need the holder and the body of
each, so they are read here once.
"""
from __future__ import annotations

from collections.abc import Iterator

from ..view import Edge, Node, View


def role_ends(view: View, role: Node) -> tuple[str, str]:
    """The holder's IRI and the body's ("" when none) of a role node."""
    holder = next((e.source for e in view.in_edges(role.iri) if e.kind == "holds_role"), "")
    body = next((e.target for e in view.out_edges(role.iri) if e.kind == "in_body"), "")
    return holder, body


def plain_memberships(view: View) -> Iterator[tuple[str, Edge]]:
    """Each person -member of-> body edge with the IRI of the membership it stands for ("" if unknown)."""
    for edge in view.edges:
        if edge.kind == "member_of":
            yield min((f.about for f in edge.facts), default=""), edge


__all__ = ["plain_memberships", "role_ends"]
