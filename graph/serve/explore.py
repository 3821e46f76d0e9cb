"""The explorer as served: a small opening view, and each node's neighbourhood on demand.

A page holding the whole graph stops being usable long before 100,000
accounts; the served page opens on the most connected people and bodies
(`stats.most_connected`, the order the page itself ranks by) with the roles
and events between them, and fetches a node's neighbours when it is expanded
(`/api/expand?node=IRI`), in the page's own data format (`graph.payload`,
"Served mode"), which the page merges by IRI. Both are cut to a size a browser
draws at once: a party's node at 10,000 accounts has ten thousand neighbours,
so they come a page at a time, the most told first (`&offset=N` for the next).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .. import payload
from ..errors import KgError
from ..stats import most_connected
from ..view import View

OPENING = 40   # people and bodies the served page opens on
JOINING = 160  # at most this many roles and events drawn between them
PAGE = 150     # neighbours sent per expansion, the most told first; expanding again sends the next


def _subview(view: View, keep: set[str], focus: tuple[str, ...] = ()) -> View:
    """The nodes `keep` and the edges between them, in the view's order, read from its edge index
    (a neighbourhood of a hub at 10,000 accounts must not walk every edge of the graph)."""
    nodes = {iri: n for iri, n in view.nodes.items() if iri in keep}
    edges = tuple(e for iri in nodes for e in view.out_edges(iri) if e.target in keep)
    return View(nodes, edges, view.accounts, focus)


def _neighbours(view: View, iri: str) -> set[str]:
    """Nodes one edge away either way, from the view's own edge index (no graph of the whole view)."""
    return {e.target for e in view.out_edges(iri)} | {e.source for e in view.in_edges(iri)}


def _most_told(view: View, iris: set[str]) -> list[str]:
    """`iris`, those the most accounts tell of first (then by label): the order pages are cut in."""
    nodes = view.nodes
    return sorted(iris, key=lambda n: (-len(nodes[n].accounts), nodes[n].label, n))


def opening(view: View, size: int = OPENING, joining: int = JOINING) -> View:
    """The `size` most connected people and bodies, and up to `joining` of the role and event nodes
    between two of them: those joining the most of them first, then the most told."""
    top = set(most_connected(view)[:size])
    links = {n: len(_neighbours(view, n) & top) for iri in top for n in _neighbours(view, iri)
             if view.nodes[n].kind in ("role", "event")}
    # a stable sort: among nodes joining as many, the most told stay first
    between = sorted(_most_told(view, {n for n, k in links.items() if k >= 2}), key=lambda n: -links[n])
    return _subview(view, top | set(between[:joining]))


@dataclass(frozen=True)
class Neighbourhood:
    view: View            # the node and one page of its neighbours
    total: int            # how many neighbours it has in all
    next: int | None      # the offset of the next page, None when this was the last


def around(view: View, iri: str, offset: int = 0, limit: int = PAGE) -> Neighbourhood:
    """The node `iri` and its neighbours from `offset` on, at most `limit` of them, the most told first."""
    if iri not in view.nodes:
        raise KgError(f"no node {iri!r} in the served graph")
    if offset < 0 or limit < 1:
        raise KgError(f"offset must be 0 or more and limit 1 or more, not {offset} and {limit}")
    ranked = _most_told(view, _neighbours(view, iri))
    page = ranked[offset:offset + limit]
    end = offset + len(page)
    return Neighbourhood(_subview(view, {iri, *page}, (iri,)), len(ranked), end if end < len(ranked) else None)


def expand_payload(view: View, iri: str, offset: int = 0, limit: int = PAGE) -> dict[str, Any]:
    """One page of a node's neighbourhood in the page's data format (no settings: the page keeps its
    own), with `neighbours`: how many there are in all and the offset of the next page."""
    found = around(view, iri, offset, limit)
    return {**payload.pack(found.view, {}), "neighbours": {"total": found.total, "next": found.next}}
