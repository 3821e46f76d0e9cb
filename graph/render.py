"""The interactive HTML explorer: one self-contained page around vis-network.

The page comes from our own template in `graph/templates/`, with vis-network's
script inlined from the copy vendored beside it (`vis-network.min.js`, with its
licence): the page must open from file:// with no network at all. Why not
through pyvis: the README's "The explorer" says.

Account text is untrusted. It reaches the page only as the JSON of
`payload.dumps` inside a `<script type="application/json">` block, and the
page's script puts it into the DOM with `textContent` only (vis-network shows
the string tooltips it is given with `innerText`), so `<script>` in an account
is shown as text and never runs. The page's data format is `graph.payload`'s.
"""
from __future__ import annotations

import base64
import hashlib
from functools import cache
from pathlib import Path
from typing import Any, Iterable, NamedTuple
from urllib.parse import urlsplit

import networkx as nx
from jinja2 import Environment, FileSystemLoader, Template
from markupsafe import Markup

from . import payload
from .atomic import write_text
from .errors import KgError
from .paths import PACKAGE
from .bridges import EVENT_EDGE, ROLE_EDGE, bridges
from .show import find
from .stats import totals
from .view import EDGE_LABELS, KINDS, Statements, View, read_view

TEMPLATES = PACKAGE / "templates"

STYLE: dict[str, dict[str, str]] = {
    "person": {"shape": "dot", "color": "#3b6fb6", "name": "Person", "plural": "people"},
    "body": {"shape": "square", "color": "#e08a1e", "name": "Body", "plural": "bodies"},
    "role": {"shape": "triangle", "color": "#3f9a55", "name": "Role held", "plural": "roles held"},
    "event": {"shape": "diamond", "color": "#c8443c", "name": "Event", "plural": "events"},
}
EDGE_COLOURS = {"holds_role": "#3f9a55", "in_body": "#e08a1e", "took_part": "#c8443c",
                "part_of": "#8a6d3b", "member_of": "#3b6fb6", "role_in": "#3f9a55"}
EDGE_COLOURS.update({ROLE_EDGE: "#3f9a55", EVENT_EDGE: "#c8443c"})
BIG = 400  # above this many nodes: cheaper layout, straight edges, labels on demand
OPEN_TOP = 150  # above BIG nodes, the page opens on this many of the most connected people and bodies
CONNECTORS = ("role", "event")  # kinds drawn as labelled edges when hidden (`graph.bridges`)
PAGE_EDGE_LABELS = {**EDGE_LABELS, ROLE_EDGE: "holds a role in (roles hidden)",
                    EVENT_EDGE: "in an event with (events hidden)"}


def parse_types(value: str | Iterable[str] | None) -> list[str]:
    """`person,body` -> ["person", "body"]; an unknown type is a usage error naming the valid ones."""
    if value is None:
        return list(KINDS)
    items = value.split(",") if isinstance(value, str) else list(value)
    types = [t.strip().lower() for t in items if t.strip()]
    unknown = [t for t in types if t not in KINDS]
    if unknown or not types:
        raise KgError(f"unknown type {', '.join(unknown) or '(none)'}: choose from {', '.join(KINDS)}")
    return [k for k in KINDS if k in types]


def select(view: View, focus: str | None = None, depth: int = 2,
           types: str | Iterable[str] | None = None) -> View:
    """The part of the view to draw: a neighbourhood of `focus`, then only the chosen types.

    `focus` is resolved as `kg show` resolves a name (`show.find`, the one
    shared matcher). Role and event nodes filtered out are drawn as labelled
    edges between the people and bodies kept (`graph.bridges`), as the page's
    own type filter draws them, so `--type person,body` still shows who holds
    what where and who acted with whom.
    """
    kinds = parse_types(types)
    keep = set(view.nodes)
    centre: set[str] = set()
    if focus:
        if depth < 0:
            raise KgError(f"--depth must be 0 or more, not {depth}")
        centre = {find(view, focus).node}
        undirected = view.graph().to_undirected(as_view=True)
        keep = set()
        for c in centre:
            keep |= set(nx.single_source_shortest_path_length(undirected, c, cutoff=depth))
    keep = {iri for iri in keep if view.nodes[iri].kind in kinds or iri in centre}
    if len(keep) == len(view.nodes):
        return view  # nothing filtered
    nodes = {iri: n for iri, n in view.nodes.items() if iri in keep}
    edges = [e for e in view.edges if e.source in keep and e.target in keep]
    left_out = [iri for iri, n in view.nodes.items() if n.kind in CONNECTORS and n.kind not in kinds]
    edges += [b.edge for b in bridges(view, left_out, keep)]
    return View(nodes, tuple(edges), view.accounts, tuple(sorted(centre)))


HUGE = 1500  # above this, a cheaper force estimate and fewer layout steps keep the page quick


def _options(n_nodes: int, shown: int, opening: bool) -> dict[str, Any]:
    """vis-network's options for a page of `n_nodes` opening on `shown` of them (`opening`: on the most
    connected, where only the edges standing for roles keep their labels; the rest are on demand)."""
    big, huge, crowded = n_nodes > BIG, shown > HUGE, shown > BIG or opening
    return {
        "nodes": {"scaling": {"min": 8, "max": 30, "label": {"enabled": True, "min": 11, "max": 16}},
                  "font": {"size": 12, "face": "system-ui, sans-serif", "strokeWidth": 3, "color": "#1f2933",
                           "strokeColor": "#ffffff"},
                  "borderWidth": 1},
        "edges": {"font": {"size": 9 if not crowded else 0, "color": "#555555", "strokeWidth": 3,
                           "align": "middle"},
                  "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
                  "smooth": False if crowded else {"type": "continuous"},
                  "width": 1.2, "selectionWidth": 2},
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": big,
                        "navigationButtons": False, "keyboard": False},
        "layout": {"improvedLayout": not big, "randomSeed": 7},
        "physics": {"solver": "forceAtlas2Based",
                    "forceAtlas2Based": {"gravitationalConstant": -45, "centralGravity": 0.02,
                                         "springLength": 60, "springConstant": 0.08,
                                         "avoidOverlap": 0.3, "theta": 1.0 if huge else 0.5},
                    "adaptiveTimestep": not huge,
                    "stabilization": {"enabled": True, "iterations": 150 if huge else 300 if crowded else 600,
                                      "updateInterval": 25, "fit": True},
                    "minVelocity": 1.0},
    }


def _sha256(text: str) -> str:
    return base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


class PageParts(NamedTuple):
    """What every page carries the same: the compiled template, the CSP hashes, scripts and style."""

    template: Template
    csp_scripts: str
    blocks: dict[str, str]  # vis_js, app_js, app_css: placed as they are


@cache
def page_parts() -> PageParts:
    """The template, vis-network, our script and style: read, hashed and compiled once per process."""
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, keep_trailing_newline=True)
    vis_js = (TEMPLATES / "vis-network.min.js").read_text(encoding="utf-8")
    app_js = (TEMPLATES / "explorer.js").read_text(encoding="utf-8")
    return PageParts(env.get_template("explorer.html"),
                     " ".join(f"'sha256-{_sha256(js)}'" for js in (vis_js, app_js)),
                     {"vis_js": vis_js, "app_js": app_js,
                      "app_css": (TEMPLATES / "explorer.css").read_text(encoding="utf-8")})


def _settings(view: View, whole: View, top: int | None, served: bool) -> dict[str, Any]:
    """The page's data besides the tables: legend, colours, vis-network's options, the opening.

    `top`: open on that many of the most connected people and bodies (None:
    everything up to BIG nodes, OPEN_TOP above; 0: everything). `totals` count
    what the page holds, except when `served`: a served page opens on a few
    nodes of the whole graph and fetches the rest, so its overview counts the
    whole graph (`whole`).
    """
    counted = whole if served else view
    per_kind: dict[str, int] = {k: 0 for k in KINDS}
    for n in view.nodes.values():
        per_kind[n.kind] += 1
    if top is None:
        top = OPEN_TOP if len(view.nodes) > BIG else 0
    colours = {e.kind: EDGE_COLOURS.get(e.kind, "#999999") for e in view.edges}
    colours.update({ROLE_EDGE: EDGE_COLOURS[ROLE_EDGE], EVENT_EDGE: EDGE_COLOURS[EVENT_EDGE]})
    return {"kinds": [{"kind": k, **STYLE[k], "nodes": per_kind[k]} for k in KINDS],
            "edgeColours": colours, "edgeLabels": PAGE_EDGE_LABELS, "total": len(whole.nodes), "top": top,
            "totals": {**totals(counted), "plain": sum(e.kind == "member_of" for e in counted.edges),
                       "accounts": len({a for n in counted.nodes.values() for a in n.accounts})},
            "options": _options(len(view.nodes), min(top, len(view.nodes)) if top else len(view.nodes), top > 0)}


def _origin(url: str) -> str:
    """What the page's Content-Security-Policy must let it fetch: the URL's origin, or 'self' for a path."""
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") and parts.netloc:
        return f"{parts.scheme}://{parts.netloc}"
    if parts.scheme or parts.netloc or any(c in url for c in " ;'\"\n"):
        raise KgError(f"expand URL must be a path or an http(s) URL, not {url!r}")
    return "'self'"


def render_html(source: Statements | View, *, focus: str | None = None, depth: int = 2,
                types: str | Iterable[str] | None = None, title: str = "kg explorer",
                top: int | None = None, expand_url: str | None = None, whole: View | None = None) -> str:
    """The page as a string: same input, byte-identical page.

    `source`: a view, or anything `read_view` reads (an rdflib graph, a build's statements).
    `top`: how many of the most connected people and bodies the page opens on (see `_settings`).
    `expand_url`: served mode (graph/payload.py's docstring): expanding a node fetches
    `expand_url?node=<iri>` for its neighbourhood; `whole`: the graph a served page
    opens a piece of (its overview counts that, and the status line what is outside).
    """
    if top is not None and top < 0:
        raise KgError(f"--top must be 0 or more, not {top}")
    full = source if isinstance(source, View) else read_view(source)
    sub = select(full, focus, depth, types)
    whole = whole or full
    data = payload.pack(sub, _settings(sub, whole, top, bool(expand_url)))
    parts = page_parts()
    accounts = {a for n in sub.nodes.values() for a in n.accounts}
    values = {"title": title, "subtitle": f"around {focus} (depth {depth})" if focus else "",
              "csp_scripts": parts.csp_scripts, "n_nodes": len(sub.nodes), "n_edges": len(sub.edges),
              "n_total": len(whole.nodes), "n_accounts": len(accounts), "expand_url": expand_url or "",
              "csp_connect": _origin(expand_url) if expand_url else "'none'"}
    # The JSON is made safe by `payload.dumps`, the scripts and style are our own: placed as they are.
    blocks = {"data": payload.dumps(data), **parts.blocks}
    return parts.template.render(**values, **{name: Markup(block) for name, block in blocks.items()})


def write_html(source: Statements | View, path: str | Path, *, focus: str | None = None,
               depth: int = 2, types: str | Iterable[str] | None = None,
               title: str = "kg explorer", top: int | None = None) -> Path:
    """Render and write atomically; returns the path written."""
    return write_text(path, render_html(source, focus=focus, depth=depth, types=types, title=title, top=top))


__all__ = ["BIG", "OPEN_TOP", "parse_types", "render_html", "select", "write_html"]
