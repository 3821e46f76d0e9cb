"""The explorer as served: a small opening view, and each node's neighbourhood on demand.

A page holding the whole graph stops being usable long before 100,000
accounts; the served page opens on the most connected people and bodies
(`stats.most_connected`, the order the page itself ranks by) with the roles
and events between them, and fetches a node's neighbours when it is expanded
(`/api/expand?node=IRI`), in the page's own data format (`graph.payload`,
"Served mode"), which the page merges by IRI.
"""
from __future__ import annotations

from typing import Any

from .. import payload
from ..errors import KgError
from ..stats import most_connected
from ..view import View

OPENING = 40  # people and bodies the served page opens on


def _subview(view: View, keep: set[str], focus: tuple[str, ...] = ()) -> View:
    nodes = {iri: n for iri, n in view.nodes.items() if iri in keep}
    edges = tuple(e for e in view.edges if e.source in keep and e.target in keep)
    return View(nodes, edges, view.accounts, focus)


def _neighbours(view: View, iri: str) -> set[str]:
    """Nodes one edge away either way, from the view's own edge index (no graph of the whole view)."""
    return {e.target for e in view.out_edges(iri)} | {e.source for e in view.in_edges(iri)}


def opening(view: View, size: int = OPENING) -> View:
    """The `size` most connected people and bodies, and the role and event nodes joining two of them."""
    top = set(most_connected(view)[:size])
    joining = {n for iri in top for n in _neighbours(view, iri)
               if view.nodes[n].kind in ("role", "event") and len(_neighbours(view, n) & top) >= 2}
    return _subview(view, top | joining)


def around(view: View, iri: str) -> View:
    """The node `iri` and its neighbours: `render.select(view, iri, 1)`, without a graph of the whole view."""
    if iri not in view.nodes:
        raise KgError(f"no node {iri!r} in the served graph")
    return _subview(view, {iri} | _neighbours(view, iri), (iri,))


def expand_payload(view: View, iri: str) -> dict[str, Any]:
    """A node's neighbourhood in the page's data format (no settings: the page keeps its own)."""
    return payload.pack(around(view, iri), {})
