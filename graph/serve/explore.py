"""The explorer as served: a small opening view, and each node's neighbourhood on demand.

A page holding the whole graph stops being usable long before 100,000
accounts; the served page opens on the most connected people and bodies and
fetches a node's neighbours when it is expanded (`/api/expand?node=IRI`),
in the page's own data format (`graph.payload`), merged into the page by IRI.
"""
from __future__ import annotations

from typing import Any

from .. import payload, render
from ..errors import KgError
from ..view import View

OPENING = 60  # people and bodies the served page opens on


def _subview(view: View, keep: set[str], focus: tuple[str, ...] = ()) -> View:
    nodes = {iri: n for iri, n in view.nodes.items() if iri in keep}
    edges = tuple(e for e in view.edges if e.source in keep and e.target in keep)
    return View(nodes, edges, view.accounts, focus)


def opening(view: View, size: int = OPENING) -> View:
    """The `size` most connected people and bodies (ties by IRI), with the edges between them."""
    ranked = sorted((n for n in view.nodes.values() if n.kind in ("person", "body")),
                    key=lambda n: (-view.degree(n.iri), n.iri))
    return _subview(view, {n.iri for n in ranked[:size]})


def around(view: View, iri: str, depth: int = 1) -> View:
    """The node `iri` and everything within `depth` edges of it, either way."""
    if iri not in view.nodes:
        raise KgError(f"no node {iri!r} in the served graph")
    keep, frontier = {iri}, [iri]
    for _ in range(depth):  # the view's own edge index: no graph of the whole view is made
        step = {e.target for n in frontier for e in view.out_edges(n)} | \
               {e.source for n in frontier for e in view.in_edges(n)}
        frontier = sorted(step - keep)
        keep |= step
    return _subview(view, keep, (iri,))


def expand_payload(view: View, iri: str) -> dict[str, Any]:
    """A node's neighbourhood in the page's data format (`payload.pack`)."""
    sub = around(view, iri)
    return payload.pack(sub, render._settings(sub, len(view.nodes)))  # the page's own settings
