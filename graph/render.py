"""The interactive HTML explorer: one self-contained page around vis-network.

The page comes from our own template in `graph/templates/` and carries the
vis-network script bundled with pyvis, inlined: pyvis's own template loads
Bootstrap from a CDN, and the page must open from file:// with no network at all.

Account text is untrusted. It reaches the page only as JSON inside
`<script type="application/json">` blocks with `<`, `>` and `&` escaped, and the
page's script puts it into the DOM with `textContent` only (vis-network shows
the string tooltips it is given with `innerText`), so `<script>` in an account
is shown as text and never runs.

The data is stored compactly, since a sentence naming several people is
evidence on each of their nodes, and a big build has tens of thousands of
facts. Every string that repeats is stored once, in a table, and referred to
by its index (nodes and edges by their id, their position in the lists):

kg-vis-nodes  the label drawn on the canvas, per node (events by type and date)
kg-vis-edges  per edge: [from, to, kind (index in edgeKinds), label (index in
              strings), [accounts (indexes in accounts)]]
kg-data       strings      every fact text, sentence and date and every edge
                           label, once each, sorted
              accounts     [{source, title, nodes}] sorted by source: every
                           account a node, edge or fact names; `nodes` is how
                           many nodes it mentions (the filter lists those with 1+)
              nodes        one column per attribute, a list indexed by node id:
                           kind, names (label first), accounts (indexes), date,
                           narrator_of (sources), links (edge ids, sorted by
                           label, other end, direction; ~id for an edge into
                           the node), facts; and label, only for the rare node
                           whose label is not its first name, as {id: label}
              nodes.facts  per node, per fact: [kind (index in factKinds),
                           text, account, sentence, start, end, confidence,
                           date]; text, sentence and date index strings,
                           account indexes accounts (which holds its title)
              factKinds, edgeKinds ({kind, color}), kinds (legend, counts),
              edgeLabels, focus (node ids), total (nodes in the whole graph)

Hover texts are made by the page from these, so sentences are not repeated in
tooltips either. Tables are sorted and JSON keys too: same graph, same bytes.
"""
from __future__ import annotations

import base64
import hashlib
import json
from collections import Counter
from functools import cache
from importlib.util import find_spec
from itertools import chain, islice
from operator import itemgetter
from pathlib import Path
from typing import Any, Iterable, NamedTuple

import networkx as nx
from markupsafe import Markup
from jinja2 import Environment, FileSystemLoader, Template
from rdflib import Graph

from .atomic import write_text
from .errors import KgError
from .network import EDGE_LABELS, KINDS, to_networkx

TEMPLATES = Path(__file__).resolve().parent / "templates"
# Located without importing pyvis: its package imports its whole Network class, which the page no longer uses.
VIS_JS = Path(find_spec("pyvis").origin).resolve().parent / "templates" / "lib" / "vis-9.1.2" / "vis-network.min.js"

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
    keep = {n for n, d in g.nodes(data=True) if n in keep and (d["kind"] in kinds or n in centre)}
    if len(keep) == g.number_of_nodes() and "role" in kinds:
        g.graph["focus"] = []
        return g  # nothing filtered: drawing the whole graph needs no copy of it
    # Built node by node in sorted order: a subgraph view iterates a set, whose order
    # changes with the process's string hashing, and node ids follow this order.
    sub = nx.MultiDiGraph(**g.graph)
    sub.add_nodes_from((n, g.nodes[n]) for n in sorted(keep))
    sub.add_edges_from((u, v, k, d) for u, v, k, d in g.edges(keys=True, data=True) if u in keep and v in keep)
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


def _short_label(d: dict[str, Any]) -> str:
    """What is drawn on the canvas: events by type and date (the full label is in the panel)."""
    if d["kind"] == "event":
        return d.get("event_type", "Event") + (f" · {d['date']}" if d.get("date") else "")
    return d["label"] if len(d["label"]) <= 36 else d["label"][:34] + "…"


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


def _json(data: Any) -> str:
    """JSON as the page stores it (compact, keys sorted, not limited to ASCII), safe inside <script>.

    No `<`, `>` or `&` can close the block or open a tag. Made safe part by part
    (see `_object`): a part that holds none of them is not copied for it.
    """
    # No cycle check (a lookup per list, an eighth of the time): lists and dicts made here, holding
    # attribute values, and no graph that `to_networkx` makes has an attribute that holds itself.
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), check_circular=False)
    for char, code in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"),
                       ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, code)
    return text


class _Raw(NamedTuple):
    """A value already written as JSON, which `_object` places as it is."""

    text: str


def _object(members: dict[str, Any]) -> _Raw:
    """`_json(members)`, any `_Raw` member placed as written: one copy of each big part, in one join."""
    parts: list[str] = []
    for key, value in sorted(members.items()):
        parts += ",", _json(key), ":", value.text if isinstance(value, _Raw) else _json(value)
    parts[:1] = ["{"]  # in place of the first member's comma
    parts.append("}")
    return _Raw("".join(parts))


def _script_json(data: Any) -> str:
    """A JSON block of the page: `data` as `_json` writes it, or as it was written (`_Raw`)."""
    return data.text if isinstance(data, _Raw) else _json(data)


FACT_KINDS = ("role", "event", "mention")
# The fields of a fact and of an edge that the page stores, each read in one call (kg-data's order).
_FACT_FIELDS = itemgetter("kind", "text", "account", "sentence", "start", "end", "confidence", "date",
                          "account_title")
_EDGE_FIELDS = itemgetter("label", "kind", "accounts")
_EDGE_ID = itemgetter(3)
_FACTS = itemgetter("facts")


def _columns(rows: Iterable[tuple], width: int) -> list[tuple]:
    """Rows turned into `width` columns (empty ones when there are no rows)."""
    return [*zip(*rows)] or [()] * width


def _numbering(keys: Iterable[str]) -> tuple[dict[str, int], dict[str, str]]:
    """Each key's position, as a number and as its JSON text."""
    positions = {k: i for i, k in enumerate(keys)}
    return positions, dict(zip(positions, map(str, positions.values())))


def _json_each(values: tuple) -> list[str]:
    """The JSON of each value, written in one call and split at the commas between them.

    A number's JSON holds no comma; should a value's hold one, the split comes
    out too long and each value is written on its own.
    """
    if not values:
        return []
    each = _json(values)[1:-1].split(",")
    return each if len(each) == len(values) else [*map(_json, values)]


def _facts_json(nodes: list[dict[str, Any]], held: list[dict], facts: list[dict], rows: Iterable[str]) -> _Raw:
    """The facts column: per node, the rows (JSON arrays, brackets left off) of the facts it holds.

    `held` is every node's facts, node after node; `facts` each of them once, and
    `rows` their rows: an event's facts are on each of its actors too, and are
    written once.
    """
    row_of = dict(zip(map(id, facts), rows))
    rows_held = map(row_of.__getitem__, map(id, held))
    per_node = ["[[" + "],[".join(islice(rows_held, n)) + "]]" if n else "[]"
                for n in map(len, map(_FACTS, nodes))]
    return _Raw("[" + ",".join(per_node) + "]")


def _edges(g: nx.MultiDiGraph, ids: dict[str, int]) -> tuple[list[int], list[int], list[dict[str, Any]]]:
    """Every edge's two ends (ids) and attributes, in g.edges() order.

    Read from networkx's adjacency dicts (its edge view costs a call per
    edge), a node's id looked up once for all its edges.
    """
    froms: list[int] = []
    tos: list[int] = []
    edges: list[dict[str, Any]] = []
    for u, nbrs in g.adjacency():
        if nbrs:
            i = ids[u]
            for v, keyed in nbrs.items():
                j = ids[v]
                for data in keyed.values():
                    froms.append(i)
                    tos.append(j)
                    edges.append(data)
    return froms, tos, edges


def _links(n_nodes: int, froms: list[int], tos: list[int], labels: Iterable[str]) -> list[list[int]]:
    """Per node, the ids of its edges (~id for an edge into it), by label, other end and direction."""
    links: list[list[tuple[str, int, bool, int]]] = [[] for _ in range(n_nodes)]
    for i, (u, v, label) in enumerate(zip(froms, tos, labels)):
        links[u].append((label, v, True, i))
        links[v].append((label, u, False, ~i))
    return [[*map(_EDGE_ID, sorted(ls))] for ls in links]


def _payload(sub: nx.MultiDiGraph, full: nx.MultiDiGraph, ids: dict[str, int]) -> dict[str, Any]:
    """kg-data and the two vis blocks, every repeated string stored once and referred to by index.

    The format is in the module docstring; `explorer.js` turns it back into one
    object per node and per fact. Facts and edges are read a field at a time,
    over all of them at once (`_columns`), so the work per fact, of which a big
    build has tens of thousands, is done in C; each fact dict is read once
    however many nodes hold it, and its row written as JSON text straight from
    the columns (`_facts_json`).
    """
    nodes = [d for _, d in sub.nodes(data=True)]  # in id order
    froms, tos, edges = _edges(sub, ids)
    labels, edge_kinds_of, edge_accounts = _columns(map(_EDGE_FIELDS, edges), 3)
    held = [*chain.from_iterable(map(_FACTS, nodes))]  # each node's facts, node after node
    facts = [*dict(zip(map(id, held), held)).values()]  # each once, in the order first held
    (fact_kinds_of, texts, fact_accounts, sentences, starts, ends, confidences, dates,
     fact_titles) = _columns(map(_FACT_FIELDS, facts), 9)
    counts: Counter[str] = Counter(chain.from_iterable(map(itemgetter("accounts"), nodes)))
    # The first title given for an account wins: reversed, it is the last one written.
    titles = dict(zip(reversed(fact_accounts), reversed(fact_titles)))
    sources = sorted(set(counts) | set(titles) | set(chain.from_iterable(edge_accounts)))
    account_ids, account_json = _numbering(sources)
    account = account_ids.__getitem__
    strings = sorted({*texts, *sentences, *dates, *labels})
    string_ids, string_json = _numbering(strings)
    string = string_ids.__getitem__
    fact_kinds = [*FACT_KINDS, *sorted(set(fact_kinds_of) - set(FACT_KINDS))]
    fact_kind_json = _numbering(fact_kinds)[1]
    edge_kinds = sorted(set(edge_kinds_of))
    edge_kind = _numbering(edge_kinds)[0].__getitem__

    # Each fact's row, as JSON text without its brackets: indexes, and the numbers the fact holds.
    string_index = string_json.__getitem__
    rows = map(",".join, zip(map(fact_kind_json.__getitem__, fact_kinds_of), map(string_index, texts),
                             map(account_json.__getitem__, fact_accounts), map(string_index, sentences),
                             _json_each(starts), _json_each(ends), _json_each(confidences),
                             map(string_index, dates)))
    vis_edges = [*zip(froms, tos, map(edge_kind, edge_kinds_of), map(string, labels),
                      [[*map(account, a)] for a in edge_accounts])]
    node_kinds = [d["kind"] for d in nodes]
    columns: dict[str, Any] = {
        "kind": node_kinds,
        "label": {str(i): d["label"] for i, d in enumerate(nodes) if d["names"][:1] != [d["label"]]},
        "names": [d["names"] for d in nodes],
        "accounts": [[*map(account, d["accounts"])] for d in nodes],
        "facts": _facts_json(nodes, held, facts, rows),
        "date": [d.get("date", "") for d in nodes],
        "links": _links(len(nodes), froms, tos, labels),
        "narrator_of": [d.get("narrator_of", []) for d in nodes],
    }
    per_kind = Counter(node_kinds)
    data = {
        "nodes": _object(columns),
        "strings": strings,
        "factKinds": fact_kinds,
        "accounts": [{"source": a, "title": titles.get(a, ""), "nodes": counts[a]} for a in sources],
        "kinds": [{"kind": k, **STYLE[k], "nodes": per_kind[k]} for k in KINDS],
        "edgeKinds": [{"kind": k, "color": EDGE_COLOURS.get(k, "#999999")} for k in edge_kinds],
        "edgeLabels": EDGE_LABELS,
        "focus": [ids[c] for c in sub.graph.get("focus", []) if c in ids],
        "total": full.number_of_nodes(),
    }
    return {"data": _object(data), "vis_nodes": [_short_label(d) for d in nodes], "vis_edges": vis_edges,
            "n_accounts": len(counts)}


def _sha256(text: str) -> str:
    return base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


class PageParts(NamedTuple):
    """What every page carries the same: the compiled template, the CSP hashes, scripts and style."""

    template: Template
    csp_scripts: str
    blocks: dict[str, str]  # vis_js, app_js, app_css: placed as they are


@cache
def page_parts() -> PageParts:
    """Read, hashed and compiled once per process.

    A build calls this while it waits for the parser, so that drawing its page
    does not wait for it either.
    """
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, keep_trailing_newline=True)
    vis_js = VIS_JS.read_text(encoding="utf-8")
    app_js = (TEMPLATES / "explorer.js").read_text(encoding="utf-8")
    return PageParts(env.get_template("explorer.html"),
                     " ".join(f"'sha256-{_sha256(js)}'" for js in (vis_js, app_js)),
                     {"vis_js": vis_js, "app_js": app_js,
                      "app_css": (TEMPLATES / "explorer.css").read_text(encoding="utf-8")})


def render_html(source: Graph | nx.MultiDiGraph, *, focus: str | None = None, depth: int = 2,
                types: str | Iterable[str] | None = None, title: str = "kg explorer") -> str:
    """The page as a string: same input, byte-identical page."""
    full = source if isinstance(source, nx.MultiDiGraph) else to_networkx(source)
    sub = select(full, focus, depth, types)
    payload = _payload(sub, full, {n: i for i, n in enumerate(sub.nodes)})
    n_edges = len(payload["vis_edges"])  # networkx counts them by summing every node's degree
    parts = page_parts()
    values = {"title": title, "subtitle": f"around {focus} (depth {depth})" if focus else "",
              "csp_scripts": parts.csp_scripts, "n_nodes": sub.number_of_nodes(), "n_edges": n_edges,
              "n_total": full.number_of_nodes(), "n_accounts": payload["n_accounts"]}
    blocks = {"vis_nodes": _script_json(payload["vis_nodes"]), "vis_edges": _script_json(payload["vis_edges"]),
              "options": _script_json(_options(sub.number_of_nodes(), n_edges)),
              "data": _script_json(payload["data"]), **parts.blocks}
    # JSON made safe by `_json`, and our own scripts and style: placed as they are.
    return parts.template.render(**values, **{name: Markup(block) for name, block in blocks.items()})


def write_html(source: Graph | nx.MultiDiGraph, path: str | Path, *, focus: str | None = None,
               depth: int = 2, types: str | Iterable[str] | None = None,
               title: str = "kg explorer") -> Path:
    """Render and write atomically; returns the path written."""
    return write_text(path, render_html(source, focus=focus, depth=depth, types=types, title=title))


__all__ = ["find", "parse_types", "render_html", "select", "write_html"]
