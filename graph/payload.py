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
- the rest is the page's settings: `kinds` (legend, counts), `edgeColours`,
  `edgeLabels`, `focus` (node rows), `total` (nodes in the whole graph) and
  `options` (vis-network's).

Rows follow the view's order and JSON keys are sorted: same graph, same bytes.
Account text is untrusted: `dumps` escapes `<`, `>` and `&` so the block can
neither close its `<script>` nor open a tag.
"""
from __future__ import annotations

import json
from typing import Any

from .view import Fact, View

# Columns of each table whose values are indexes into `strings` (a list column: each item is).
INTERNED: dict[str, tuple[str, ...]] = {
    "accounts": ("source", "title"),
    "nodes": ("kind", "label", "short", "names", "accounts", "date", "narrator_of"),
    "facts": ("kind", "account", "sentence", "date", "holder", "title", "body", "event_type", "actors"),
    "edges": ("kind", "label", "accounts"),
}
Table = dict[str, list[Any]]


def _short_label(label: str, kind: str, event_type: str, date: str) -> str:
    """What is drawn on the canvas: events by type and date (the full label is in the panel)."""
    if kind == "event":
        return event_type + (f" · {date}" if date else "")
    return label if len(label) <= 36 else label[:34] + "…"


def _fact_row(f: Fact) -> dict[str, Any]:
    s = f.source
    return {"kind": f.kind, "account": s.account, "sentence": s.sentence, "start": s.start, "end": s.end,
            "confidence": f.confidence, "date": f.date, "holder": f.holder, "title": f.title, "body": f.body,
            "event_type": f.event_type, "actors": list(f.actors)}


def _table(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> Table:
    return {c: [row[c] for row in rows] for c in columns}


def tables(view: View) -> dict[str, Table]:
    """The view's records as the four tables, strings not yet interned."""
    ids = {iri: i for i, iri in enumerate(view.nodes)}
    fact_ids: dict[Fact, int] = {}
    for node in view.nodes.values():
        for f in node.facts:
            fact_ids.setdefault(f, len(fact_ids))
    counts: dict[str, int] = {}
    for node in view.nodes.values():
        for a in node.accounts:
            counts[a] = counts.get(a, 0) + 1
    named = set(counts) | {f.source.account for f in fact_ids} | {a for e in view.edges for a in e.accounts}
    nodes = [{"kind": n.kind, "label": n.label, "short": _short_label(n.label, n.kind, n.event_type, n.date),
              "names": list(n.names), "accounts": list(n.accounts), "date": n.date,
              "narrator_of": list(n.narrator_of), "facts": [fact_ids[f] for f in n.facts]}
             for n in view.nodes.values()]
    return {
        "accounts": _table([{"source": a, "title": view.accounts.get(a, ""), "nodes": counts.get(a, 0)}
                            for a in sorted(named)], ("source", "title", "nodes")),
        "nodes": _table(nodes, ("kind", "label", "short", "names", "accounts", "date", "narrator_of", "facts")),
        "facts": _table([_fact_row(f) for f in fact_ids], ("kind", "account", "sentence", "start", "end",
                                                            "confidence", "date", "holder", "title", "body",
                                                            "event_type", "actors")),
        "edges": _table([{"from": ids[e.source], "to": ids[e.target], "kind": e.kind, "label": e.label,
                          "accounts": list(e.accounts)} for e in view.edges],
                        ("from", "to", "kind", "label", "accounts")),
    }


def pack(view: View, settings: dict[str, Any]) -> dict[str, Any]:
    """The page's data: the tables with their strings interned, beside `settings` (kinds, options, ...)."""
    raw = tables(view)
    strings = sorted({s for name, columns in INTERNED.items() for c in columns for value in raw[name][c]
                      for s in (value if isinstance(value, list) else (value,))})
    index = {s: i for i, s in enumerate(strings)}
    for name, columns in INTERNED.items():
        for c in columns:
            raw[name][c] = [[index[s] for s in v] if isinstance(v, list) else index[v] for v in raw[name][c]]
    focus = set(view.focus)
    return {**settings, **raw, "strings": strings, "interned": {k: list(v) for k, v in INTERNED.items()},
            "focus": [i for i, iri in enumerate(view.nodes) if iri in focus]}


_UNSAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
                         "\u2028": "\\u2028", "\u2029": "\\u2029"})


def dumps(data: dict[str, Any]) -> str:
    """Compact JSON, keys sorted, safe inside a `<script type="application/json">` block.

    The escaped characters can only occur inside JSON strings, where `\\u003c`
    means the same `<` to any JSON reader.
    """
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).translate(_UNSAFE)


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
