"""The explorer page's data: the view's records as tables, written with one `json.dumps`.

The format is defined here and only here; it describes itself, so the page's
script (`templates/explorer.js`) and `unpack` below read it without knowing a
single column name:

- four tables, `accounts`, `nodes`, `facts` and `edges`, each a mapping of
  column name -> list of values, one value per row;
- `strings`: every string the tables hold, once each, sorted; `interned` names,
  per table, the columns whose values (or list items) are indexes into it.
  A sentence naming several people is evidence on each of their nodes, and a
  big build has tens of thousands of facts: each string is stored once;
- references between tables are row numbers: `nodes.facts` lists rows of
  `facts` (each fact is stored once, however many nodes hold it), `edges.from`
  and `edges.to` are rows of `nodes` (a node's id on the canvas is its row);
- `nodes.iri` is each node's IRI, the key that identifies it across payloads;
  `nodes.short` the label drawn (events "Resignation · David Blunkett ·
  2004-12", roles "Shadow Home Secretary, Conservative Party"); `nodes.keys`
  the names as `show.normalise` makes them, for the page's search;
  `nodes.links` the node's edges in the view and `nodes.rank` its place among
  the most connected people and bodies (`stats.most_connected`; -1: none),
  both for ranking; `nodes.began` / `nodes.ended` a role's dates;
- `facts.start` / `facts.end`: the sentence's character offsets in its account
  (-1: unknown), `facts.page` the PDF page it is on (0: not a paged document);
- `edges.via`: rows of the role and event nodes an edge stands for
  (`graph.bridges`: drawn only while those are hidden); empty for the view's own edges;
- the rest is the page's settings: `kinds` (legend, counts), `edgeColours`,
  `edgeLabels`, `focus` (node rows), `total` (nodes in the whole graph), `top`
  (how many of the most connected the page opens on; 0: all), `totals`
  (`stats.totals`, as `kg stats` prints them) and `options` (vis-network's).

Served mode (the interface `kg serve` implements): a page made with
`render.render_html(..., expand_url=URL)` carries `data-expand-url="URL"` on
its body and lets its Content-Security-Policy connect to URL's origin. When
the user expands a node, the page fetches `URL?node=<IRI>` (`&node=` if URL
already has a query), once per node, and expects JSON in this same format: the
server answers `dumps(pack(render.select(view, iri, 1), {}))` (settings may be
left out: the page keeps its own). The page merges the rows by IRI: nodes it
already has are kept as they are, new nodes and edges (by ends, kind and
label) are added, new accounts join the account list, ticked. A page on
another origin (or file://) needs the server to send
`Access-Control-Allow-Origin`.

Rows follow the view's order and JSON keys are sorted: same graph, same bytes.
Account text is untrusted: `dumps` escapes `<`, `>` and `&` so the block can
neither close its `<script>` nor open a tag.
"""
from __future__ import annotations

import json
from itertools import chain
from typing import Any

from .bridges import actors_in_order, bridges
from .safetext import visible
from .show import normalise
from .stats import most_connected
from .view import Fact, Node, View

# Columns of each table whose values are indexes into `strings` (a list column: each item is).
INTERNED: dict[str, tuple[str, ...]] = {
    "accounts": ("source", "title"),
    "nodes": ("iri", "kind", "label", "short", "names", "keys", "accounts", "date", "event_type", "began", "ended",
              "narrator_of", "judged"),
    "facts": ("kind", "account", "sentence", "date", "holder", "title", "body", "event_type", "actors"),
    "edges": ("kind", "label", "accounts"),
}
Table = dict[str, list[Any]]


def _clip(text: str, most: int) -> str:
    return text if len(text) <= most else text[:most - 2] + "…"


def short_label(view: View, node: Node) -> str:
    """What is drawn on the canvas (the full label is in the panel): an event as type · main actor ·
    date ("Resignation · David Blunkett · 2004-12"), a role as "title, body", others by name."""
    if node.kind == "event":
        actors = [a for a in actors_in_order(node) if a in view.nodes]
        main = _clip(view.nodes[actors[0]].label, 30) if actors else ""
        return " · ".join(part for part in (node.event_type, main, node.date) if part)
    if node.kind == "role":
        return _clip(node.title + (f", {node.body}" if node.body else ""), 56)
    return _clip(node.label, 36)


def _columns(rows: list[Any], width: int) -> list[tuple[Any, ...]]:
    """Records (tuples) turned into `width` columns, empty ones when there are none."""
    return [*zip(*rows)] or [()] * width


def tables(view: View) -> dict[str, Table]:
    """The view's records as the four tables, strings not yet interned; read a column at a time.

    The edges table holds the view's edges, then the bridges of its role and
    event nodes (`graph.bridges`), which carry `via`.
    """
    ids = {iri: i for i, iri in enumerate(view.nodes)}
    nodes = [*view.nodes.values()]
    fact_ids: dict[Fact, int] = {}
    for node in nodes:
        for f in node.facts:
            fact_ids.setdefault(f, len(fact_ids))
    counts: dict[str, int] = {}
    for node in nodes:
        for a in node.accounts:
            counts[a] = counts.get(a, 0) + 1
    confirmed = {n.iri for n in nodes if "confirmed" in n.judged}
    kind, _, source, confidence, date, holder, title, body, event_type, actors = _columns([*fact_ids], 10)
    account, _, sentence, start, end, page = _columns([*source], 6)
    named = sorted(set(counts) | set(account) | {a for e in view.edges for a in e.accounts})
    rank = {iri: i for i, iri in enumerate(most_connected(view))}
    extra = bridges(view)
    return {
        "accounts": {"source": named, "title": [view.accounts.get(a, "") for a in named],
                     "nodes": [counts.get(a, 0) for a in named]},
        "nodes": {"iri": [*view.nodes], "kind": [n.kind for n in nodes], "label": [n.label for n in nodes],
                  "short": [short_label(view, n) for n in nodes],
                  "names": [list(n.names) for n in nodes],
                  "keys": [sorted({normalise(x) for x in n.names}) for n in nodes],
                  "accounts": [list(n.accounts) for n in nodes],
                  "date": [n.date for n in nodes], "event_type": [n.event_type for n in nodes], "began": [n.began for n in nodes],
                  "ended": [n.ended for n in nodes], "narrator_of": [list(n.narrator_of) for n in nodes],
                  "links": [view.degree(iri) for iri in view.nodes],
                  "rank": [rank.get(iri, -1) for iri in view.nodes],
                  "facts": [[*map(fact_ids.__getitem__, n.facts)] for n in nodes],
                  "judged": [list(n.judged) for n in nodes]},
        "facts": {"kind": [*kind], "account": [*account], "sentence": [*sentence], "start": [*start],
                  "end": [*end], "page": [*page], "confidence": [*confidence], "date": [*date], "holder": [*holder],
                  "title": [*title], "body": [*body], "event_type": [*event_type], "actors": [*map(list, actors)],
                  "confirmed": [f.about in confirmed for f in fact_ids]},  # checked by a person
        "edges": {"from": [ids[e.source] for e in view.edges] + [ids[b.edge.source] for b in extra],
                  "to": [ids[e.target] for e in view.edges] + [ids[b.edge.target] for b in extra],
                  "kind": [e.kind for e in view.edges] + [b.edge.kind for b in extra],
                  "label": [e.label for e in view.edges] + [b.edge.label for b in extra],
                  "accounts": [list(e.accounts) for e in view.edges] + [list(b.edge.accounts) for b in extra],
                  "via": [[] for _ in view.edges] + [[*map(ids.__getitem__, b.via)] for b in extra]},
    }


def pack(view: View, settings: dict[str, Any]) -> dict[str, Any]:
    """The page's data: the tables with their strings interned, beside `settings` (kinds, options, ...)."""
    raw = tables(view)
    strings: set[str] = set()
    for name, columns in INTERNED.items():
        for c in columns:
            values = raw[name][c]
            strings.update(chain.from_iterable(values) if values and isinstance(values[0], list) else values)
    ordered = sorted(strings)
    index = {s: i for i, s in enumerate(ordered)}.__getitem__
    shown = [page_text(s) for s in ordered]
    for name, columns in INTERNED.items():
        for c in columns:
            values = raw[name][c]
            raw[name][c] = ([[*map(index, v)] for v in values] if values and isinstance(values[0], list)
                            else [*map(index, values)])
    focus = set(view.focus)
    return {**settings, **raw, "strings": shown, "interned": {k: list(v) for k, v in INTERNED.items()},
            "focus": [i for i, iri in enumerate(view.nodes) if iri in focus]}


_SEPARATORS = str.maketrans({"\u2028": "\n", "\u2029": "\n\n", "\u0085": "\n"})


def page_text(text: str) -> str:
    """A string as the page shows it: line separators as line breaks, every other control
    character (ESC, NUL, bidi overrides and isolates, lone surrogates) as a visible escape,
    so a name cannot display reversed ("txt.exe" as "exe.txt") or hide what follows it."""
    return visible(text.translate(_SEPARATORS), keep="\n\t")


_UNSAFE = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))


def dumps(data: dict[str, Any]) -> str:
    """Compact JSON, keys sorted, safe inside a `<script type="application/json">` block.

    The escaped characters can only occur inside JSON strings, where `\\u003c`
    means the same `<` to any JSON reader.
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    for char, escaped in _UNSAFE:
        text = text.replace(char, escaped)
    return text


def unpack(data: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Each table as one dict per row, strings looked up: what the page's script makes of the data."""
    strings = data["strings"]
    out: dict[str, list[dict[str, Any]]] = {}
    for name, interned in data["interned"].items():
        columns: Table = data[name]
        n = len(next(iter(columns.values()), []))
        out[name] = [{c: ([strings[j] for j in v[i]] if isinstance(v[i], list) else strings[v[i]])
                      if c in interned else v[i] for c, v in columns.items()} for i in range(n)]
    return out


__all__ = ["INTERNED", "dumps", "pack", "tables", "unpack"]
