"""The interactive HTML explorer: one self-contained page, written with pyvis.

pyvis holds the network (directed, so two edges between the same pair both
survive), its vis-network options and its bundled vis-network script; the page
itself comes from our own template in `graph/templates/`, because pyvis's
template loads Bootstrap from a CDN and the page must open from file:// with no
network at all. Nodes and edges are handed to pyvis in bulk (its `add_edge`
scans every edge and node id on each call: quadratic on big graphs).

Account text is untrusted. It reaches the page only as JSON inside a
`<script type="application/json">` block with `<`, `>` and `&` escaped, and the
page's script puts it into the DOM with `textContent` only, so `<script>` in an
account is shown as text and never runs.
"""
from __future__ import annotations

import base64
import hashlib
import json
from collections import Counter
from pathlib import Path
from typing import Any, Iterable

import networkx as nx
import pyvis
from markupsafe import Markup
from jinja2 import Environment, FileSystemLoader
from pyvis.network import Network
from rdflib import Graph

from .atomic import write_text
from .errors import KgError
from .network import EDGE_LABELS, KINDS, to_networkx

TEMPLATES = Path(__file__).resolve().parent / "templates"
VIS_JS = Path(pyvis.__file__).resolve().parent / "templates" / "lib" / "vis-9.1.2" / "vis-network.min.js"

STYLE: dict[str, dict[str, str]] = {
    "person": {"shape": "dot", "color": "#3b6fb6", "name": "Person", "plural": "people"},
    "body": {"shape": "square", "color": "#e08a1e", "name": "Body", "plural": "bodies"},
    "role": {"shape": "triangle", "color": "#3f9a55", "name": "Role held", "plural": "roles held"},
    "event": {"shape": "diamond", "color": "#c8443c", "name": "Event", "plural": "events"},
}
EDGE_COLOURS = {"holds_role": "#3f9a55", "in_body": "#e08a1e", "took_part": "#c8443c",
                "part_of": "#8a6d3b", "member_of": "#3b6fb6", "role_in": "#3f9a55"}
MAX_CENTRES = 5  # a --focus matching more than this is too vague to draw
BIG = 400  # above this many nodes: cheaper layout, straight edges, labels on demand


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


def find(g: nx.MultiDiGraph, name: str) -> list[str]:
    """Nodes named `name`: exact (case-insensitive) on any of their names, else containing it."""
    want = name.strip().casefold()
    exact = [n for n, d in g.nodes(data=True) if any(x.casefold() == want for x in d["names"])]
    if exact:
        return exact
    return [n for n, d in g.nodes(data=True) if any(want in x.casefold() for x in d["names"])]


def select(g: nx.MultiDiGraph, focus: str | None = None, depth: int = 2,
           types: str | Iterable[str] | None = None) -> nx.MultiDiGraph:
    """The part of the graph to draw: a neighbourhood of `focus`, then only the chosen types.

    When role nodes are filtered out but a holder and the body are kept, the
    person is joined to the body directly (edge labelled with the title), so
    `--type person,body` still shows who holds what where.
    """
    kinds = parse_types(types)
    keep = set(g.nodes)
    centre: set[str] = set()
    if focus:
        centre = set(find(g, focus))
        if not centre:
            raise KgError(f"no entity named {focus!r} in the graph (try part of a name, or `kg show`)")
        if len(centre) > MAX_CENTRES:
            names = "; ".join(sorted(g.nodes[c]["label"] for c in centre)[:8])
            raise KgError(f"{focus!r} matches {len(centre)} entities ({names} ...): be more precise")
        if depth < 0:
            raise KgError(f"--depth must be 0 or more, not {depth}")
        undirected = g.to_undirected(as_view=True)
        keep = set()
        for c in centre:
            keep |= set(nx.single_source_shortest_path_length(undirected, c, cutoff=depth))
    keep = {n for n in keep if g.nodes[n]["kind"] in kinds or n in centre}
    if len(keep) == g.number_of_nodes() and "role" in kinds:
        g.graph["focus"] = []
        return g  # nothing filtered: drawing the whole graph needs no copy of it
    sub = g.subgraph(sorted(keep)).copy()
    if "role" not in kinds:
        _bridge_roles(g, sub)
    sub.graph["focus"] = sorted(centre)
    return sub


def _bridge_roles(g: nx.MultiDiGraph, sub: nx.MultiDiGraph) -> None:
    for role, data in g.nodes(data=True):
        if data["kind"] != "role" or role in sub:
            continue
        holders = [u for u, _, k in g.in_edges(role, keys=True) if k == "holds_role" and u in sub]
        bodies = [v for _, v, k in g.out_edges(role, keys=True) if k == "in_body" and v in sub]
        for person in holders:
            for body in bodies:
                sub.add_edge(person, body, key=f"role_in:{data['title']}", kind="role_in",
                             label=data["title"].lower(), accounts=data["accounts"])


def _tooltip(d: dict[str, Any]) -> str:
    """Plain text (vis-network shows string titles with innerText, never as HTML)."""
    lines = [d["label"], STYLE[d["kind"]]["name"] + (f" · {d['date']}" if d.get("date") else "")]
    if len(d["names"]) > 1:
        lines.append("Also: " + "; ".join(d["names"][1:6]))
    roles = sorted({f["text"] for f in d["facts"] if f["kind"] == "role"})
    events = sorted({f["text"] for f in d["facts"] if f["kind"] == "event"})
    if d["kind"] not in ("role", "event"):
        lines += [f"Role: {r}" for r in roles[:4]] + [f"Event: {e}" for e in events[:4]]
    fact = next((f for f in d["facts"] if f["kind"] != "mention"), d["facts"][0] if d["facts"] else None)
    if fact:
        sentence = fact["sentence"] if len(fact["sentence"]) <= 220 else fact["sentence"][:217] + "..."
        lines.append(f"“{sentence}” ({fact['account']})")
    lines.append(f"{len(d['facts'])} sourced fact(s) · click for all")
    return "\n".join(lines)


def _short_label(d: dict[str, Any]) -> str:
    """What is drawn on the canvas: events by type and date (the full label is in the panel)."""
    if d["kind"] == "event":
        return d.get("event_type", "Event") + (f" · {d['date']}" if d.get("date") else "")
    return d["label"] if len(d["label"]) <= 36 else d["label"][:34] + "…"


def _network(sub: nx.MultiDiGraph) -> tuple[Network, dict[str, int]]:
    """A pyvis Network filled in bulk; node ids are small integers in a stable order."""
    ids = {n: i for i, n in enumerate(sub.nodes)}
    net = Network(directed=True, cdn_resources="in_line", height="100%", width="100%")
    net.set_template_dir(str(TEMPLATES), "explorer.html")
    degrees = dict(sub.degree())
    for node, d in sub.nodes(data=True):
        style = STYLE[d["kind"]]
        label = _short_label(d)
        net.nodes.append({"id": ids[node], "label": label, "shape": style["shape"],
                          "color": style["color"], "value": degrees[node] + 1,
                          "title": _tooltip(d), "kind": d["kind"]})
        net.node_ids.append(ids[node])
        net.node_map[ids[node]] = net.nodes[-1]
    for u, v, key, d in sub.edges(keys=True, data=True):
        net.edges.append({"from": ids[u], "to": ids[v], "label": d["label"], "arrows": "to",
                          "color": EDGE_COLOURS.get(d["kind"], "#999999"), "kind": d["kind"],
                          "accounts": d["accounts"], "title": f"{sub.nodes[u]['label']} {d['label']} "
                                                              f"{sub.nodes[v]['label']}"})
    net.options = _options(sub.number_of_nodes(), sub.number_of_edges())
    return net, ids


HUGE = 1500  # above this, a cheaper force estimate and fewer layout steps keep the page quick


def _options(n_nodes: int, n_edges: int) -> dict[str, Any]:
    big, huge = n_nodes > BIG, n_nodes > HUGE
    return {
        "nodes": {"scaling": {"min": 8, "max": 30, "label": {"enabled": True, "min": 11, "max": 16}},
                  "font": {"size": 12, "face": "system-ui, sans-serif", "strokeWidth": 3,
                           "strokeColor": "#ffffff"},
                  "borderWidth": 1},
        "edges": {"font": {"size": 9 if not big else 0, "color": "#555555", "strokeWidth": 3,
                           "align": "middle"},
                  "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
                  "smooth": False if big else {"type": "continuous"},
                  "width": 1.2, "selectionWidth": 2},
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": big,
                        "navigationButtons": False, "keyboard": False},
        "layout": {"improvedLayout": not big, "randomSeed": 7},
        "physics": {"solver": "forceAtlas2Based",
                    "forceAtlas2Based": {"gravitationalConstant": -45, "centralGravity": 0.02,
                                         "springLength": 60, "springConstant": 0.08,
                                         "avoidOverlap": 0.3, "theta": 1.0 if huge else 0.5},
                    "adaptiveTimestep": not huge,
                    "stabilization": {"enabled": True, "iterations": 150 if huge else 300 if big else 600,
                                      "updateInterval": 25, "fit": True},
                    "minVelocity": 1.0},
    }


def _script_json(data: Any) -> Markup:
    """JSON safe inside <script>: no `<`, `>` or `&` can close the block or open a tag."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for char, code in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"),
                       ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, code)
    return Markup(text)


def _payload(sub: nx.MultiDiGraph, full: nx.MultiDiGraph, ids: dict[str, int]) -> dict[str, Any]:
    titles: dict[str, str] = {}
    counts: Counter[str] = Counter()
    for _, d in sub.nodes(data=True):
        counts.update(d["accounts"])
        for f in d["facts"]:
            titles.setdefault(f["account"], f["account_title"])
    info = []
    for node, d in sub.nodes(data=True):
        links = []
        for u, v, e in [*sub.in_edges(node, data=True), *sub.out_edges(node, data=True)]:
            other = v if u == node else u
            links.append([e["label"], ids[other], u == node])
        info.append({"kind": d["kind"], "label": d["label"], "names": d["names"], "accounts": d["accounts"],
                     "facts": d["facts"], "date": d.get("date", ""), "links": sorted(links),
                     "narrator_of": d.get("narrator_of", [])})
    return {
        "nodes": info,
        "accounts": [{"source": a, "title": titles.get(a, ""), "nodes": counts[a]} for a in sorted(counts)],
        "kinds": [{"kind": k, **STYLE[k], "nodes": sum(1 for _, d in sub.nodes(data=True) if d["kind"] == k)}
                  for k in KINDS],
        "edgeLabels": EDGE_LABELS,
        "focus": [ids[c] for c in sub.graph.get("focus", []) if c in ids],
        "total": full.number_of_nodes(),
    }


def _sha256(text: str) -> str:
    return base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def render_html(source: Graph | nx.MultiDiGraph, *, focus: str | None = None, depth: int = 2,
                types: str | Iterable[str] | None = None, title: str = "kg explorer") -> str:
    """The page as a string: same input, byte-identical page."""
    full = source if isinstance(source, nx.MultiDiGraph) else to_networkx(source)
    sub = select(full, focus, depth, types)
    net, ids = _network(sub)
    nodes, edges, _, _, _, options = net.get_network_data()
    env = Environment(loader=FileSystemLoader(net.template_dir), autoescape=True,
                      keep_trailing_newline=True)
    subtitle = f"around {focus} (depth {depth})" if focus else ""
    vis_js = VIS_JS.read_text(encoding="utf-8")
    app_js = (TEMPLATES / "explorer.js").read_text(encoding="utf-8")
    return env.get_template(net.path).render(
        csp_scripts=" ".join(f"'sha256-{_sha256(js)}'" for js in (vis_js, app_js)),
        title=title, subtitle=subtitle, n_nodes=sub.number_of_nodes(), n_edges=sub.number_of_edges(),
        n_total=full.number_of_nodes(), n_accounts=len({a for _, d in sub.nodes(data=True) for a in d["accounts"]}),
        vis_nodes=_script_json(nodes), vis_edges=_script_json(edges), options=_script_json(json.loads(options)),
        data=_script_json(_payload(sub, full, ids)),
        vis_js=Markup(vis_js), app_js=Markup(app_js),
        app_css=Markup((TEMPLATES / "explorer.css").read_text(encoding="utf-8")),
    )


def write_html(source: Graph | nx.MultiDiGraph, path: str | Path, *, focus: str | None = None,
               depth: int = 2, types: str | Iterable[str] | None = None,
               title: str = "kg explorer") -> Path:
    """Render and write atomically; returns the path written."""
    return write_text(path, render_html(source, focus=focus, depth=depth, types=types, title=title))


__all__ = ["find", "parse_types", "render_html", "select", "write_html"]
